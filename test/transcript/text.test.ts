import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { parseLabelledLine, parseText } from '../../src/transcript/readers/text.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';

const options = { file: 's.txt', source: 's.txt', id: 's', rolePatterns: DEFAULT_ROLE_PATTERNS };

function read(content: string) {
  const warnings: Diagnostic[] = [];
  const t = parseText(content, options, (d) => warnings.push(d));
  return { turns: t.turns, warnings, transcript: t };
}

function errorOf(content: string): Diagnostic {
  try {
    parseText(content, options, () => {});
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

describe('parseLabelledLine', () => {
  const labels: [string, string | undefined, string?][] = [
    ['T: hello', 'T'],
    ['C: hi', 'C'],
    ['Therapist: How are you?', 'Therapist'],
    ['Counselor: ok', 'Counselor'],
    ['Dr. Lee: Welcome back.', 'Dr. Lee'],
    ['PATIENT: I feel tired', 'PATIENT'],
    ['Interpreter: she says yes', 'Interpreter'],
    ['Client 2: me too', 'Client 2'],
    ['J. R. Smith: yes', 'J. R. Smith'],
    ['Therapist (Dr. Lee): yes', 'Therapist (Dr. Lee)'],
    ['therapist: lower-case role name', 'therapist'],
    ['client: lower-case role name', 'client'],
    ['**Therapist:** markdown bold', 'Therapist'],
    ['**Client**: markdown bold', 'Client'],
    ['T:', 'T'],
    // not labels
    ['And I said: fine', undefined],
    ['so then she said: no way', undefined],
    ['My Very Long Speaker Name Here: x', undefined], // 5 words
    ['At 10:30 we met', undefined],
    ['Note:nospace', undefined],
    ['2nd: not a letter first', undefined],
    ['Well, Doctor: commas are not in labels', undefined],
    ['https://example.org is a link', undefined],
    ['Abcdefghijklmnopqrstuvwxyzabcdefgh: too long', undefined],
  ];
  it.each(labels)('%s → %s', (line, label) => {
    expect(parseLabelledLine(line, DEFAULT_ROLE_PATTERNS)?.label).toBe(label);
  });

  const times: [string, string, string][] = [
    ['[00:01:23] T: hi', '00:01:23', 'hi'],
    ['(00:01:23) Therapist: hi', '00:01:23', 'hi'],
    ['00:01:23 C: hi', '00:01:23', 'hi'],
    ['1:23 Client: hi', '1:23', 'hi'],
    ['[01:02:03.450] T: hi', '01:02:03.450', 'hi'],
    ['[00:00:05]T: no space after bracket', '00:00:05', 'no space after bracket'],
  ];
  it.each(times)('%s keeps start %s', (line, start, text) => {
    expect(parseLabelledLine(line, DEFAULT_ROLE_PATTERNS)).toEqual({ label: expect.any(String), start, text });
  });

  it('keeps colons inside the text', () => {
    expect(parseLabelledLine('T: at 10:30: see you', DEFAULT_ROLE_PATTERNS)).toEqual({ label: 'T', text: 'at 10:30: see you' });
  });
});

describe('parseText', () => {
  it('reads turns, numbers them from 1 and records their lines', () => {
    const { turns, warnings } = read('Therapist: Hello.\nClient: Hi.\n');
    expect(turns).toEqual([
      { turn: 1, speaker: 'Therapist', text: 'Hello.', line: 1 },
      { turn: 2, speaker: 'Client', text: 'Hi.', line: 2 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('joins continuation lines with newlines and ignores blank lines', () => {
    const { turns } = read('T: one\n  two  \n\nthree\n\n\nC: four\n');
    expect(turns.map((t) => t.text)).toEqual(['one\ntwo\nthree', 'four']);
    expect(turns.map((t) => t.line)).toEqual([1, 7]);
  });

  it('takes `And I said: fine` as a continuation', () => {
    const { turns } = read('Client: She asked me.\nAnd I said: fine\nT: ok');
    expect(turns.map((t) => [t.speaker, t.text])).toEqual([
      ['Client', 'She asked me.\nAnd I said: fine'],
      ['T', 'ok'],
    ]);
  });

  it('starts a new turn on every labelled line, even for the same speaker', () => {
    const { turns } = read('C: one\nC: two\nC: three');
    expect(turns.map((t) => [t.turn, t.text])).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
  });

  it('handles a BOM and CRLF line ends', () => {
    const { turns } = read('\uFEFFT: hi\r\nthere\r\n\r\nC: yo\r\n');
    expect(turns).toEqual([
      { turn: 1, speaker: 'T', text: 'hi\nthere', line: 1 },
      { turn: 2, speaker: 'C', text: 'yo', line: 4 },
    ]);
  });

  it('handles CR line ends', () => {
    expect(read('T: a\rb\rC: c').turns.map((t) => [t.text, t.line])).toEqual([['a\nb', 1], ['c', 3]]);
  });

  it('keeps timestamps as start', () => {
    const { turns } = read('[00:00:01] Dr. Lee: Welcome.\n(00:00:09) PATIENT: Thanks.\n00:00:12 T: So.\n0:15 C: Yes.');
    expect(turns.map((t) => [t.speaker, t.start, t.text])).toEqual([
      ['Dr. Lee', '00:00:01', 'Welcome.'],
      ['PATIENT', '00:00:09', 'Thanks.'],
      ['T', '00:00:12', 'So.'],
      ['C', '0:15', 'Yes.'],
    ]);
  });

  it('keeps a labelled line with no text as an empty turn', () => {
    expect(read('T:\nC: yes').turns.map((t) => t.text)).toEqual(['', 'yes']);
  });

  it('warns about text before the first label, with its line and count', () => {
    const { turns, warnings } = read('Session 4, 12 May\nRecorded with consent\n\nT: hi');
    expect(turns).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', ruleId: 'text-before-first-speaker', file: 's.txt', line: 1 });
    expect(warnings[0]!.message).toContain('2 lines');
  });

  it('rejects an empty file', () => {
    expect(errorOf('')).toMatchObject({ ruleId: 'empty-transcript', file: 's.txt' });
    expect(errorOf('\uFEFF\n  \n')).toMatchObject({ ruleId: 'empty-transcript' });
  });

  it('rejects a file without any label', () => {
    const d = errorOf('just some notes\nand more: notes\n');
    expect(d).toMatchObject({ ruleId: 'no-turns', file: 's.txt' });
    expect(d.hint).toContain('Speaker: text');
    expect(d.hint).toContain('--input-format');
  });

  it('uses the file id and source', () => {
    expect(read('T: x').transcript).toMatchObject({ id: 's', source: 's.txt' });
  });
});
