import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { formatFromExtension, readSource, sniffFormat, type ReadOptions } from '../../src/transcript/read.js';
import { cueText, decodeEntities, parseSubtitles } from '../../src/transcript/readers/subtitles.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';
import { relcode } from '../cli/run.js';

function read(content: string, kind: 'vtt' | 'srt' = 'vtt') {
  const warnings: Diagnostic[] = [];
  const t = parseSubtitles(content, { file: `s.${kind}`, source: `s.${kind}`, id: 's', rolePatterns: DEFAULT_ROLE_PATTERNS, kind }, (d) => warnings.push(d));
  return { turns: t.turns, warnings };
}

function errorOf(content: string, kind: 'vtt' | 'srt' = 'vtt'): Diagnostic {
  try {
    read(content, kind);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

const vtt = (...blocks: string[]) => ['WEBVTT', '', ...blocks.flatMap((b) => [b, ''])].join('\n');
const said = (content: string, kind: 'vtt' | 'srt' = 'vtt') => read(content, kind).turns.map((t) => [t.speaker, t.text]);

describe('cueText: markup stripped, entities decoded, lines joined', () => {
  const cases: [string, string[], string][] = [
    ['bold, italic, underline', ['<b>very</b> <i>much</i> <u>so</u>'], 'very much so'],
    ['a class span', ['<c.yellow.bg_blue>noted</c>'], 'noted'],
    ['a voice tag and its end', ['<v Dr. Lee>hello</v>'], 'hello'],
    ['timestamp tags (karaoke)', ['one <00:00:01.000>two <00:01.500>three'], 'one two three'],
    ['lang and ruby', ['<lang fr>oui</lang> <ruby>kan<rt>かん</rt></ruby>'], 'oui kanかん'],
    ['SRT font tags', ['<font color="#ffff00">careful</font>'], 'careful'],
    ['SRT position codes', ['{\\an8}top of the screen'], 'top of the screen'],
    ['&amp; &lt; &gt;', ['rock &amp; roll, a &lt;b&gt; tag'], 'rock & roll, a <b> tag'],
    ['&nbsp; becomes a space', ['no&nbsp;break'], 'no break'],
    ['numeric references', ['it&#39;s &#x2014; fine'], "it's — fine"],
    ['an unknown reference stays', ['&bogus; &'], '&bogus; &'],
    ['multi-line text joined with a space', ['first line', '  second line  '], 'first line second line'],
  ];
  it.each(cases)('%s', (_name, lines, text) => {
    expect(cueText(lines)).toBe(text);
  });

  it('decodes once: &amp;lt; is the text &lt;', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(said(vtt('00:01.000 --> 00:02.000\nT: a &amp;lt; b'))).toEqual([['T', 'a &lt; b']]);
  });
});

describe('parseSubtitles, WebVTT', () => {
  it('one turn per cue, times kept as written, the line of the timing line', () => {
    const { turns, warnings } = read(vtt('00:00:01.000 --> 00:00:04.500\n<v Therapist>Hello.', '00:05.000 --> 00:07.250\n<v Client>Hi.'));
    expect(turns).toEqual([
      { turn: 1, speaker: 'Therapist', text: 'Hello.', start: '00:00:01.000', end: '00:00:04.500', line: 3 },
      { turn: 2, speaker: 'Client', text: 'Hi.', start: '00:05.000', end: '00:07.250', line: 6 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('does not merge cues of the same speaker', () => {
    const { turns } = read(vtt('00:01.000 --> 00:02.000\n<v Client>I keep', '00:02.000 --> 00:03.000\n<v Client>saying yes.'));
    expect(turns.map((t) => [t.turn, t.speaker, t.text])).toEqual([[1, 'Client', 'I keep'], [2, 'Client', 'saying yes.']]);
  });

  it('skips the header, NOTE, STYLE and REGION blocks, cue identifiers and cue settings', () => {
    const content = [
      'WEBVTT - a title', 'Kind: captions', 'Language: en', '',
      'REGION', 'id:fred', 'width:40%', '',
      'STYLE', '::cue { color: yellow }', '',
      'NOTE this is a comment', 'over two lines', '',
      'NOTE', '',
      'intro-1', '00:00:01.000 --> 00:00:02.000 align:start position:10% line:0', '<v Therapist>Hi.', '',
      '0b5c1f3e-7d2a-4c6b/12-0', '00:00:03.000 --> 00:00:04.000 region:fred', '<v Client>Hello.',
    ].join('\n');
    expect(read(content).turns.map((t) => [t.speaker, t.text, t.line])).toEqual([['Therapist', 'Hi.', 18], ['Client', 'Hello.', 22]]);
  });

  it('joins multi-line cue text with a space and strips markup', () => {
    expect(said(vtt('00:01.000 --> 00:03.000\n<v.loud Dr. Lee><i>Take</i> your\ntime &amp; breathe.</v>'))).toEqual([['Dr. Lee', 'Take your time & breathe.']]);
  });

  it('a `Name:` label on the first line names the speaker when there is no voice tag', () => {
    expect(said(vtt('00:01.000 --> 00:02.000\nTherapist: How are you?\nTake your time.'))).toEqual([['Therapist', 'How are you? Take your time.']]);
    expect(said(vtt('00:01.000 --> 00:02.000\n<i>Client:</i> fine'))).toEqual([['Client', 'fine']]);
  });

  it('a label on a later line of the cue is text, not a new speaker', () => {
    expect(said(vtt('00:01.000 --> 00:02.000\nT: she told me\nClient: you are late'))).toEqual([['T', 'she told me Client: you are late']]);
  });

  it('a cue with no voice tag and no label has speaker `unknown`, even after a labelled cue', () => {
    const { turns } = read(vtt('00:01.000 --> 00:02.000\nClient: I said no,', '00:02.000 --> 00:03.000\nand then I left.', '00:04.000 --> 00:05.000\nAnd I said: fine'));
    expect(turns.map((t) => t.speaker)).toEqual(['Client', 'unknown', 'unknown']);
  });

  it('splits a cue holding several voices into turns with the cue\'s times; one voice twice stays one turn', () => {
    const { turns } = read(vtt('00:01.000 --> 00:04.000\n<v T>Ready?</v>\n<v C>Yes.</v>', '00:05.000 --> 00:06.000\n<v C>Well,</v> <v C>maybe.</v>'));
    expect(turns.map((t) => [t.turn, t.speaker, t.text, t.start, t.end])).toEqual([
      [1, 'T', 'Ready?', '00:01.000', '00:04.000'],
      [2, 'C', 'Yes.', '00:01.000', '00:04.000'],
      [3, 'C', 'Well, maybe.', '00:05.000', '00:06.000'],
    ]);
  });

  it('skips a cue with no text and reports it as skipped', () => {
    const { turns, warnings } = read(vtt('00:01.000 --> 00:02.000\n<v T></v>', '00:02.000 --> 00:03.000\n<v T>Hi.'));
    expect(turns.map((t) => t.text)).toEqual(['Hi.']);
    expect(warnings).toMatchObject([{ ruleId: 'empty-cue', line: 3, skipped: 1 }]);
  });

  it('a cue right after the WEBVTT line, with no blank line between, is still a cue', () => {
    expect(said('WEBVTT\n00:01.000 --> 00:02.000\n<v T>Hi.')).toEqual([['T', 'Hi.']]);
  });

  it('accepts a BOM and CRLF line ends', () => {
    expect(said('\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n<v T>Hi.\r\n')).toEqual([['T', 'Hi.']]);
  });

  const bad: [name: string, content: string, ruleId: string, line: number, col?: number][] = [
    ['no WEBVTT line', '00:01.000 --> 00:02.000\n<v T>Hi.', 'bad-vtt', 1],
    ['a timing line with one arrow dash', vtt('00:01.000 -> 00:02.000\nT: hi'), 'bad-timing', 3],
    ['a time without milliseconds', vtt('00:00:01 --> 00:00:02.000\nT: hi'), 'bad-timing', 3, 1],
    ['seconds past 59', vtt('00:00:01.000 --> 00:00:61.000\nT: hi'), 'bad-timing', 3, 18],
    ['no space around the arrow', vtt('00:01.000-->00:02.000\nT: hi'), 'bad-timing', 3, 1],
    ['a block with no timing line (a blank line inside a cue)', vtt('00:01.000 --> 00:02.000\nT: hi', 'and more'), 'bad-timing', 6],
    ['only a header', 'WEBVTT\n\nNOTE nothing here\n', 'no-turns', 0],
  ];
  it.each(bad)('%s', (_name, content, ruleId, line, col) => {
    const d = errorOf(content);
    expect(d.ruleId).toBe(ruleId);
    if (line) expect(d.line).toBe(line);
    if (col) expect(d.col).toBe(col);
    expect(d.hint).toBeTruthy();
  });

  it('names the bad time in the message', () => {
    expect(errorOf(vtt('00:00:01.000 --> 1:2:3\nT: hi')).message).toBe('malformed timing line: "1:2:3" is not a time');
  });
});

describe('parseSubtitles, SRT', () => {
  const srt = ['1', '00:00:01,000 --> 00:00:03,500', 'Therapist: <i>Welcome</i> back.', '', '2', '00:00:04,000 --> 00:00:06,000', '{\\an8}Client: Thanks.', 'It has been a week.', ''].join('\n');

  it('drops sequence numbers, keeps times with commas, reads `Name:` labels, joins lines', () => {
    expect(read(srt, 'srt').turns).toEqual([
      { turn: 1, speaker: 'Therapist', text: 'Welcome back.', start: '00:00:01,000', end: '00:00:03,500', line: 2 },
      { turn: 2, speaker: 'Client', text: 'Thanks. It has been a week.', start: '00:00:04,000', end: '00:00:06,000', line: 6 },
    ]);
  });

  it('accepts cues without sequence numbers, and CRLF', () => {
    expect(said('00:00:01,000 --> 00:00:02,000\r\nT: hi\r\n\r\n00:00:02,000 --> 00:00:03,000\r\nC: hello\r\n', 'srt')).toEqual([['T', 'hi'], ['C', 'hello']]);
  });

  it('same speaker, two cues: two turns; an unlabelled cue: speaker unknown', () => {
    const content = ['1', '00:00:01,000 --> 00:00:02,000', 'Client: I tried,', '', '2', '00:00:02,000 --> 00:00:03,000', 'Client: I really did.', '', '3', '00:00:03,000 --> 00:00:04,000', 'but nothing changed.'].join('\n');
    expect(said(content, 'srt')).toEqual([['Client', 'I tried,'], ['Client', 'I really did.'], ['unknown', 'but nothing changed.']]);
  });

  it('a malformed timing line → bad-timing with its line and the SRT form in the hint', () => {
    const d = errorOf('1\n00:00:01,000 --> 00:00:02\nT: hi\n', 'srt');
    expect(d).toMatchObject({ ruleId: 'bad-timing', line: 2, col: 18 });
    expect(d.hint).toContain('00:01:02,500 --> 00:01:05,000');
  });

  it('a number with no timing line → bad-timing', () => {
    expect(errorOf('1\nT: hi\n', 'srt')).toMatchObject({ ruleId: 'bad-timing', line: 1 });
  });
});

describe('choosing the subtitle readers', () => {
  it('by extension', () => {
    expect(formatFromExtension('a/b.VTT')).toBe('vtt');
    expect(formatFromExtension('b.srt')).toBe('srt');
  });

  it.each([
    ['WEBVTT\n\n00:01.000 --> 00:02.000\nT: hi', 'vtt'],
    ['\uFEFFWEBVTT - title\n', 'vtt'],
    ['1\n00:00:01,000 --> 00:00:02,000\nT: hi', 'srt'],
    ['1\r\n00:00:01.000 --> 00:00:02.000\r\n', 'srt'],
    ['WEBVTTish: not a header', 'text'],
    ['1 Therapist: numbered lines are text\n2 Client: yes', 'text'],
  ])('sniffs %j as %s', (head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });

  const options: ReadOptions = { inputFormat: 'auto', columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };
  async function* bytes(s: string) {
    yield Buffer.from(s);
  }
  it('reads a WebVTT file from stdin, and --input-format srt overrides the extension', async () => {
    const out = [];
    for await (const t of readSource(bytes('WEBVTT\n\n00:01.000 --> 00:02.000\n<v T>Hi.\n'), '-', options, () => {})) out.push(t);
    expect(out[0]!.turns).toMatchObject([{ speaker: 'T', text: 'Hi.', start: '00:01.000' }]);
    const srt = [];
    for await (const t of readSource(bytes('1\n00:00:01,000 --> 00:00:02,000\nT: hi\n'), 'captions.txt', { ...options, inputFormat: 'srt' }, () => {})) srt.push(t);
    expect(srt[0]!.turns).toMatchObject([{ speaker: 'T', text: 'hi', start: '00:00:01,000' }]);
  });
});

describe('subtitle fixtures, through the CLI', () => {
  const code = (file: string) => {
    const r = relcode(['code', `fixtures/transcripts/${file}`, '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    return { rows: parse(r.stdout, { columns: true }) as Record<string, string>[], stderr: r.stderr };
  };

  it('zoom-session.vtt: 15 cues → 15 turns; the client\'s two cues in a row stay two turns', () => {
    const { rows, stderr } = code('zoom-session.vtt');
    expect(rows).toHaveLength(15);
    const speakers = ['Dr. Osei', 'Client J.', 'Dr. Osei', 'Client J.', 'Dr. Osei', 'Client J.', 'Client J.', 'Dr. Osei', 'Client J.', 'Dr. Osei', 'Client J.', 'Dr. Osei', 'Client J.', 'Dr. Osei', 'Client J.'];
    expect(rows.map((x) => x.speaker)).toEqual(speakers);
    expect(rows.map((x) => x.role)).toEqual(speakers.map((s) => (s === 'Dr. Osei' ? 'therapist' : 'client')));
    expect(rows.map((x) => x.transcript)).toEqual(Array(15).fill('zoom-session'));
    expect(rows[0]).toMatchObject({ turn: '1', start: '00:00:01.200', end: '00:00:05.800' });
    expect(rows[14]).toMatchObject({ turn: '15', start: '00:01:17.400', end: '00:01:20.000', text: "Okay. I'd like that." });
    expect(rows.slice(5, 7).map((x) => x.text)).toEqual(['It was. My manager keeps adding things to my list', "and I never say no. I don't know why I can't."]);
    expect(rows[3]!.text).toBe("I'm in my car outside work. It's the only place I can be alone & talk.");
    expect(rows.map((x) => x.text).join(' ')).not.toMatch(/[<>]|&\w+;/);
    expect(stderr).not.toMatch(/warning/);
  });

  it('teams-export.srt: 12 cues → 12 turns, SRT times as written, the unlabelled cue is `unknown`', () => {
    const { rows, stderr } = code('teams-export.srt');
    expect(rows).toHaveLength(12);
    expect(rows.map((x) => x.speaker)).toEqual([
      'Counselor Ruiz', 'Client', 'Counselor Ruiz', 'Client', 'Counselor Ruiz', 'Client', 'Counselor Ruiz', 'Client', 'unknown', 'Counselor Ruiz', 'Client', 'Counselor Ruiz',
    ]);
    expect(rows.map((x) => x.role)).toEqual(['therapist', 'client', 'therapist', 'client', 'therapist', 'client', 'therapist', 'client', 'other', 'therapist', 'client', 'therapist']);
    expect(rows[0]).toMatchObject({ start: '00:00:00,500', end: '00:00:04,200' });
    expect(rows[8]).toMatchObject({ turn: '9', start: '00:00:41,000', end: '00:00:44,300', text: 'and then he just walked out.' });
    expect(rows[6]!.text).toMatch(/^Last time we ended/);
    expect(stderr).toMatch(/teams-export\.srt:36: warning: speaker "unknown" .*\[unknown-speaker\]/);
  });
});
