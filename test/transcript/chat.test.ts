import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { formatFromExtension, sniffFormat } from '../../src/transcript/read.js';
import { chatRole, cleanChatText, parseChat, parseParticipants } from '../../src/transcript/readers/chat.js';
import { relcode } from '../cli/run.js';

const B = '\u0015';
const read = (content: string) => parseChat(content, { file: 's.cha', source: 's.cha', id: 's' }, () => {});

function errorOf(content: string): Diagnostic {
  try {
    read(content);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

describe('cleanChatText: CHAT codes removed one by one', () => {
  const cases: [code: string, main: string, text: string][] = [
    ['plain words and terminator', 'how are you ?', 'how are you?'],
    ['comma attached', 'well , I guess .', 'well, I guess.'],
    ['retracing [/]: the words stay, the code and <> go', '<I was> [/] I was late .', 'I was I was late.'],
    ['reformulation [//]', 'I <went> [//] I go .', 'I went I go.'],
    ['[///] and [/?]', 'we [///] they [/?] left .', 'we they left.'],
    ['paralinguistic [=! laughs]', 'okay [=! laughs] .', 'okay.'],
    ['comment [% …]', 'fine [% said quietly] .', 'fine.'],
    ['postcode [+ bch]', 'yes . [+ bch]', 'yes.'],
    ['explanation [= …] and replacement [: …]', 'that [= the job] goed [: went] badly .', 'that goed badly.'],
    ['error and overlap marks [*] [>] [<]', '<no> [>] wait [*] .', 'no wait.'],
    ['filler &-um dropped entirely', '&-um I think &-uh so .', 'I think so.'],
    ['event &=laughs dropped', '&=laughs that is funny .', 'that is funny.'],
    ['fragment &+fr, nonword &~, interposed &*', 'I &+w want &~gaga that &*THE:mhm .', 'I want that.'],
    ['xxx yyy www unintelligible', 'xxx I yyy know www .', 'I know.'],
    ['0 = no speech → empty', '0 .', ''],
    ['0word: an omitted word', 'he 0is here .', 'he here.'],
    ['pauses (.) (..) (...) (1.5)', 'so (.) well (..) I (...) mean (1.5) yes .', 'so well I mean yes.'],
    ['trailing off +...', 'I thought +...', 'I thought'],
    ['interruption +/. and self-interruption +//.', 'you +/.', 'you'],
    ['interrupted question +/? keeps the question', 'are you +/?', 'are you?'],
    ['linkers +< ++ +^', '+< yes I do .', 'yes I do.'],
    ['quotation linker +"', '+" I am fine .', 'I am fine.'],
    ['@c @s:spa special forms', 'my sister@c said adios@s:spa .', 'my sister said adios.'],
    ['omitted sounds (be)cause', '(be)cause it was hard .', 'because it was hard.'],
    ['compounds with _', 'a_lot of New_York .', 'a lot of New York.'],
    ['CA marks: lengthening and pitch', 'no: ↑really ?', 'no really?'],
    ['only punctuation left → empty', '&=nods .', ''],
  ];
  it.each(cases)('%s', (_code, main, text) => {
    expect(cleanChatText(main).text).toBe(text);
  });

  it('time bullets give start and end in seconds with 3 decimals; first start, last end', () => {
    expect(cleanChatText(`hello . ${B}1200_4800${B}`)).toEqual({ text: 'hello.', start: '1.200', end: '4.800' });
    expect(cleanChatText(`one . ${B}5_90${B} two . ${B}100_123456${B}`)).toEqual({ text: 'one. two.', start: '0.005', end: '123.456' });
    expect(cleanChatText('hello . ·2000_3500·')).toEqual({ text: 'hello.', start: '2.000', end: '3.500' });
    expect(cleanChatText('no bullet .')).toEqual({ text: 'no bullet.' });
  });
});

describe('@Participants', () => {
  it('reads code, name and role; a two-word entry has no name', () => {
    expect(parseParticipants('THE Mara_Quinn Therapist, PAT Patient, CHI Target_Child')).toEqual([
      { code: 'THE', name: 'Mara Quinn', chatRole: 'Therapist' },
      { code: 'PAT', chatRole: 'Patient' },
      { code: 'CHI', chatRole: 'Target_Child' },
    ]);
  });

  it.each([
    ['Therapist', 'therapist'], ['Investigator', 'therapist'], ['Interviewer', 'therapist'],
    ['Patient', 'client'], ['Client', 'client'], ['Participant', 'client'], ['Target_Adult', 'client'], ['target_adult', 'client'],
    ['Mother', undefined], ['Unidentified', undefined], ['Target_Child', undefined],
  ])('CHAT role %s → %s', (role, mapped) => {
    expect(chatRole(role)).toBe(mapped);
  });
});

describe('parseChat', () => {
  const session = [
    '@UTF8',
    '@Begin',
    '@Languages:\teng',
    '@Participants:\tINV Ana_Ruiz Investigator, MOT Mother,',
    '\tCLI Sam Client',
    '@ID:\teng|demo|INV|||||Investigator|||',
    '*INV:\thow are you today ?',
    '%com:\tclient smiles',
    '\tand sits down',
    '*CLI:\tI am okay .',
    '\tthanks for asking . ' + `${B}3000_4200${B}`,
    '%mor:\tpro|I cop|be adj|okay .',
    '@Comment:\tinterruption in the recording',
    '*MOT:\tcan I stay ?',
    '*XYZ:\tundeclared .',
    '@End',
  ].join('\n');

  it('one turn per main tier, labelled with the code; continuations join, dependent tiers and headers do not', () => {
    const t = read(session);
    expect(t.turns.map(({ turn, speaker, text, line }) => ({ turn, speaker, text, line }))).toEqual([
      { turn: 1, speaker: 'INV', text: 'how are you today?', line: 7 },
      { turn: 2, speaker: 'CLI', text: 'I am okay. thanks for asking.', line: 10 },
      { turn: 3, speaker: 'MOT', text: 'can I stay?', line: 14 },
      { turn: 4, speaker: 'XYZ', text: 'undeclared.', line: 15 },
    ]);
    expect(t.turns[1]).toMatchObject({ start: '3.000', end: '4.200' });
    expect(t.turns[0]).not.toHaveProperty('start');
  });

  it('keeps the participants (a header continued on the next line) and the role of each mapped one', () => {
    const t = read(session);
    expect(t.participants).toEqual([
      { code: 'INV', name: 'Ana Ruiz', chatRole: 'Investigator' },
      { code: 'MOT', chatRole: 'Mother' },
      { code: 'CLI', name: 'Sam', chatRole: 'Client' },
    ]);
    // a role that does not map (Mother), or an undeclared code, is left to the role patterns
    expect(t.turns.map((x) => x.role)).toEqual(['therapist', 'client', undefined, undefined]);
  });

  it('accepts CRLF and a BOM, and a main tier with no text', () => {
    const t = read('\uFEFF@Begin\r\n*PAT:\r\n*THE:\thello .\r\n@End\r\n');
    expect(t.turns.map((x) => [x.speaker, x.text])).toEqual([['PAT', ''], ['THE', 'hello.']]);
  });

  const bad: [name: string, content: string, ruleId: string, line?: number][] = [
    ['a line that is no tier', '@Begin\n*THE:\thi .\nhello there\n', 'bad-chat-line', 3],
    ['a continuation before any tier', '\tstray\n*THE:\thi .\n', 'bad-chat-line', 1],
    ['a main tier without a colon', '@Begin\n*THE hi .\n', 'bad-chat-line', 2],
    ['no main tier at all', '@Begin\n@Participants:\tTHE Therapist\n@End\n', 'no-turns'],
  ];
  it.each(bad)('%s → %s', (_name, content, ruleId, line) => {
    const d = errorOf(content);
    expect(d.ruleId).toBe(ruleId);
    if (line !== undefined) expect(d.line).toBe(line);
    expect(d.hint).toBeTruthy();
  });

  it('is chosen by the .cha extension, and sniffed from @UTF8 / @Begin', () => {
    expect(formatFromExtension('s/session.cha')).toBe('chat');
    expect(sniffFormat('@UTF8\n@Begin\n')).toBe('chat');
    expect(sniffFormat('@Begin\n*THE:\thi .\n')).toBe('chat');
    expect(sniffFormat('@someone: hi\n')).toBe('text');
  });
});

describe('fixtures/transcripts/session.cha, through the CLI', () => {
  it('16 turns labelled THE/PAT, codes stripped, bullet times kept', () => {
    // THE and PAT get their roles from @Participants (Therapist, Patient), not from the label patterns
    const r = relcode(['code', 'fixtures/transcripts/session.cha', '--level', 'turn', '--format', 'csv']);
    expect(r.stderr).not.toMatch(/unknown-speaker/);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(16);
    expect(rows.map((x) => x.speaker)).toEqual(Array.from({ length: 16 }, (_, i) => (i % 2 ? 'PAT' : 'THE')));
    expect(rows.map((x) => x.role)).toEqual(Array.from({ length: 16 }, (_, i) => (i % 2 ? 'client' : 'therapist')));
    expect(rows.map((x) => x.transcript)).toEqual(Array(16).fill('session'));
    expect(rows[0]).toMatchObject({ turn: '1', start: '1.200', end: '4.800', text: 'so how did the week go?' });
    expect(rows[1]!.text).toBe('it was kind of kind of hard.');
    // a main tier continued on a second line with its own bullet: the first start, the last end
    expect(rows[6]).toMatchObject({ start: '22.400', end: '30.100' });
    expect(rows[6]!.text).toMatch(/be here\. it helps me understand/);
    expect(rows[13]).toMatchObject({ speaker: 'PAT', text: '' });
    expect(rows[15]).toMatchObject({ text: 'can we talk about my sister?', start: '', end: '' });
    const all = rows.map((x) => x.text).join(' ');
    expect(all).not.toMatch(/[\u0015[\]<>&%@]|\+\.\.\.|\+\/\.|xxx|\(\.\)/);
    expect(all).not.toMatch(/client arrives|pro\|it/); // dependent tiers are not text
  });
});
