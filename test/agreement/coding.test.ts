import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCoding, splitUnitKey, unitKey, type Coding } from '../../src/agreement/coding.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';

const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];
const dir = mkdtempSync(join(tmpdir(), 'relcode-coding-'));
let n = 0;
function file(content: string): string {
  const path = join(dir, `coding-${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function problem(content: string): Promise<Diagnostic & { path: string }> {
  const path = file(content);
  try {
    await readCoding(path, { dimensions: IDS });
  } catch (err) {
    if (err instanceof InputError) return { ...err.diagnostics[0]!, path };
    throw err;
  }
  throw new Error('expected an InputError');
}

const codedFor = (c: Coding, transcript: string, turn: number) => [...(c.coded.get(unitKey(transcript, turn)) ?? [])].sort();

describe('readCoding: the long shape (transcript,turn,dimension)', () => {
  it('reads fixtures/coding/human.csv', async () => {
    const c = await readCoding('fixtures/coding/human.csv', { dimensions: IDS });
    expect(c.shape).toBe('long');
    expect(c.units).toBeUndefined();
    expect(c.dimensions).toBeUndefined();
    // 113 rows under the header
    expect([...c.coded.values()].reduce((s, x) => s + x.size, 0)).toBe(113);
    expect(codedFor(c, 'couples-tc', 25)).toEqual(['boundaries', 'collaboration', 'respect']);
    expect(c.lines.get(unitKey('couples-tc', 1))).toBe(2);
  });

  it('keeps 0-based turns, ignores extra columns and a BOM, and merges repeated rows', async () => {
    const c = await readCoding(file('\uFEFFTranscript,Turn,Dimension,note\nt,0,trust,x\nt,0,trust,again\nt,0,warmth,\n'));
    expect(codedFor(c, 't', 0)).toEqual(['trust', 'warmth']);
  });

  it('a header only is an empty coding, not an error', async () => {
    const c = await readCoding(file('transcript,turn,dimension\n'));
    expect(c.coded.size).toBe(0);
  });
});

describe('readCoding: the turn-level shape (code --level turn output)', () => {
  const header = `transcript,turn,speaker,role,start,end,words,${IDS.join(',')},text`;
  const row = (t: string, turn: number, counts: number[], text: string) => `${t},${turn},T,therapist,,,3,${counts.join(',')},${text}`;

  it('a cell > 0 is coded; every row is a unit; the dimension columns are known', async () => {
    const c = await readCoding(
      file([header, row('a', 1, [0, 2, 0, 0, 0, 0, 0, 1], 'hello'), row('a', 2, [0, 0, 0, 0, 0, 0, 0, 0], '"a, ""quoted""\nline"'), row('a', 3, [1, 0, 0, 0, 0, 0, 0, 0], 'x')].join('\n')),
      { dimensions: IDS },
    );
    expect(c.shape).toBe('turn');
    expect(c.dimensions).toEqual(IDS);
    expect([...c.units!].map(splitUnitKey)).toEqual([{ transcript: 'a', turn: 1 }, { transcript: 'a', turn: 2 }, { transcript: 'a', turn: 3 }]);
    expect(codedFor(c, 'a', 1)).toEqual(['empathy', 'warmth']);
    expect(codedFor(c, 'a', 2)).toEqual([]);
    // the row after a quoted newline starts on line 5
    expect(c.lines.get(unitKey('a', 3))).toBe(5);
  });

  it('a subset of the dimensions is allowed, and only those are decided', async () => {
    const c = await readCoding(file('transcript,turn,empathy,text\na,1,1,x\n'), { dimensions: IDS });
    expect(c.dimensions).toEqual(['empathy']);
  });

  it('reads relcode code --level turn output of a fixture', async () => {
    const { relcode } = await import('../cli/run.js');
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const c = await readCoding(file(r.stdout), { dimensions: IDS });
    expect(c.units!.size).toBe(29);
  });
});

describe('readCoding: errors name the file and line, with a hint', () => {
  it.each([
    ['no turn column', 'transcript,dimension\na,trust\n', 'missing-column', 1, /no `turn` column/],
    ['no transcript or turn column', 'id,dimension\na,trust\n', 'missing-column', 1, /no `transcript` or `turn` column/],
    ['turn that is not an integer', 'transcript,turn,dimension\na,1,trust\na,2.5,trust\n', 'bad-unit', 3, /turn "2.5" is not a whole number/],
    ['turn that is text', 'transcript,turn,dimension\na,three,trust\n', 'bad-unit', 2, /turn "three"/],
    ['empty transcript', 'transcript,turn,dimension\n,1,trust\n', 'bad-unit', 2, /transcript cell is empty/],
    ['empty dimension', 'transcript,turn,dimension\na,1,\n', 'bad-unit', 2, /dimension cell is empty/],
    ['unknown dimension, with did-you-mean', 'transcript,turn,dimension\na,1,trust\na,2,empahty\n', 'unknown-dimension', 3, /no dimension "empahty".*did you mean "empathy"/],
    ['unknown dimension column, with did-you-mean', 'transcript,turn,warmht,text\na,1,1,x\n', 'unknown-dimension', 1, /no dimension "warmht".*did you mean "warmth"/],
    ['no dimension columns', 'transcript,turn,speaker,text\na,1,T,x\n', 'missing-column', 1, /neither a `dimension` column nor dimension columns/],
    ['a cell that is not a number', 'transcript,turn,trust,text\na,1,yes,x\n', 'bad-cell', 2, /trust cell "yes" is not a number/],
    ['a row with too many cells', 'transcript,turn,dimension\na,1,trust\na,2,trust,extra\n', 'bad-csv', 3, /cannot be read/],
    ['an empty file', '', 'empty-coding', undefined, /empty/],
  ])('%s', async (_name, content, ruleId, line, message) => {
    const d = await problem(content);
    expect(d).toMatchObject({ severity: 'error', ruleId, file: d.path });
    expect(d.line).toBe(line);
    expect(d.message).toMatch(message);
    expect(d.hint).toBeTruthy();
  });

  it('a missing file', async () => {
    await expect(readCoding(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: error: cannot read the coding: no such file \[file-not-found\]/);
  });

  it('without known dimensions any id is accepted', async () => {
    const c = await readCoding(file('transcript,turn,dimension\na,1,whatever\n'));
    expect(codedFor(c, 'a', 1)).toEqual(['whatever']);
  });
});
