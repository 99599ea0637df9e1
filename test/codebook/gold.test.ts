import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGoldSpec, parseGoldSpec, runGold } from '../../src/codebook/gold.js';
import { DEFAULT_CODEBOOK, loadCodebook, parseCodebook } from '../../src/codebook/load.js';
import { compileCodebook } from '../../src/coding/tagger.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';

const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];

function problems(yaml: string): Diagnostic[] {
  try {
    parseGoldSpec(yaml, 'gold.yaml', IDS);
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  return [];
}

async function rejection(p: Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected an InputError');
}

const spec = (thresholds: string) => `transcripts: [t.txt]\ncoding: c.csv\nthresholds:\n${thresholds}`;

describe('parseGoldSpec', () => {
  it('reads the spec; paths are relative to its directory; thresholds keep their lines', () => {
    const s = parseGoldSpec(
      ['# comment', 'transcripts: [a.txt, "dir/", "more/*.csv"]', 'coding: coding/human.csv', 'thresholds:', '  default: { min_kappa: 0.4, min_f1: 0.5 }', '  empathy:', '    min_kappa: 0.6', ''].join('\n'),
      'specs/gold.yaml',
      IDS,
    );
    expect(s.transcripts).toEqual([
      { input: join('specs', 'a.txt'), line: 2, col: 15 },
      { input: join('specs', 'dir/'), line: 2, col: 22 },
      { input: join('specs', 'more/*.csv'), line: 2, col: 30 },
    ]);
    expect(s.coding).toEqual({ path: join('specs', 'coding/human.csv'), line: 3, col: 9 });
    expect(s.thresholds.default).toEqual({ min_kappa: { value: 0.4, line: 5, col: 14 }, min_f1: { value: 0.5, line: 5, col: 30 } });
    expect(s.thresholds.dimensions).toEqual({ empathy: { min_kappa: { value: 0.6, line: 7, col: 5 } } });
  });

  it('a single transcript path need not be a list; absolute paths stay absolute', () => {
    const s = parseGoldSpec('transcripts: /data/t.txt\ncoding: c.csv\nthresholds: {}\n', 'x/gold.yaml', IDS);
    expect(s.transcripts.map((t) => t.input)).toEqual(['/data/t.txt']);
  });

  // each invalid spec, with its rule and where a reader would point
  it.each([
    ['YAML syntax error', 'transcripts: [a\ncoding: c.csv\n', 'yaml-syntax', 2, /flow|Missing|closing/i],
    ['unknown top-level key, with did-you-mean', 'transcripts: [t.txt]\ncodings: c.csv\nthresholds: {}\n', 'unknown-key', 2, /unknown key "codings".*did you mean "coding"/],
    ['missing coding', 'transcripts: [t.txt]\nthresholds: {}\n', 'missing-key', 1, /needs `coding`/],
    ['missing transcripts', 'coding: c.csv\nthresholds: {}\n', 'missing-key', 1, /needs `transcripts`/],
    ['empty transcripts', 'transcripts: []\ncoding: c.csv\nthresholds: {}\n', 'bad-value', 1, /`transcripts` is empty/],
    ['a transcript that is not a path', 'transcripts: [1]\ncoding: c.csv\nthresholds: {}\n', 'bad-value', 1, /must be a path/],
    ['unknown dimension, with did-you-mean', spec('  default: { min_kappa: 0.4 }\n  empahty: { min_kappa: 0.5 }\n'), 'unknown-dimension', 5, /no dimension "empahty".*did you mean "empathy"/],
    ['unknown statistic, with did-you-mean', spec('  default: { min_kapa: 0.4 }\n'), 'unknown-key', 4, /unknown key "min_kapa".*did you mean "min_kappa"/],
    ['a threshold above 1', spec('  trust: { min_f1: 1.5 }\n'), 'bad-value', 4, /`min_f1` must be a number from 0 to 1/],
    ['a threshold that is not a number', spec('  trust:\n    min_kappa: high\n'), 'bad-value', 5, /`min_kappa` must be a number from -1 to 1/],
    ['thresholds that are not a mapping', spec('  - 0.4\n'), 'bad-value', 4, /`thresholds` must be a mapping/],
    ['duplicate key', 'transcripts: [t.txt]\ncoding: c.csv\ncoding: d.csv\nthresholds: {}\n', 'duplicate-key', 3, /unique|duplicate/i],
  ])('%s', (_name, yaml, ruleId, line, message) => {
    // a misspelt key also leaves a required one missing; the test looks for its own rule
    const d = problems(yaml).find((x) => x.ruleId === ruleId);
    expect(d).toMatchObject({ severity: 'error', file: 'gold.yaml', line });
    expect(d!.col).toBeGreaterThan(0);
    expect(d!.message).toMatch(message);
    expect(d!.hint).toBeTruthy();
  });

  it('reports every problem at once', () => {
    const d = problems('transcripts: [t.txt]\ncodng: c.csv\nthresholds:\n  trst: { min_kappa: 0.4 }\n  empathy: { min_f1: 2 }\n');
    expect(d.map((x) => x.ruleId)).toEqual(['missing-key', 'unknown-key', 'unknown-dimension', 'bad-value']);
  });

  it('a missing spec file', async () => {
    const d = await rejection(loadGoldSpec('no/such/gold.yaml', IDS));
    expect(d[0]).toMatchObject({ ruleId: 'file-not-found', file: 'no/such/gold.yaml' });
  });
});

describe('runGold', async () => {
  const compiled = compileCodebook(await loadCodebook(DEFAULT_CODEBOOK));

  it('fixtures/gold.yaml: 8 transcripts, 184 turns, every dimension at or above its thresholds', async () => {
    const r = await runGold(await loadGoldSpec('fixtures/gold.yaml', IDS), compiled);
    expect(r).toMatchObject({ transcripts: 8, units: 184, shape: 'long', passed: true, warnings: [] });
    expect(r.dimensions.map((d) => d.dimension)).toEqual(IDS);
    for (const d of r.dimensions) {
      // the human coding is fixed, so the human column adds up to the 113 rows of human.csv
      expect(d.units).toBe(184);
      expect(d.checks.map((c) => c.statistic)).toEqual(['min_kappa', 'min_f1']);
      expect(d.kappa.kappa).toBeGreaterThanOrEqual(0.4);
    }
    expect(r.dimensions.reduce((s, d) => s + d.bCoded, 0)).toBe(113);
  });

  // A one-dimension codebook over a small transcript, so every count is known.
  const dir = mkdtempSync(join(tmpdir(), 'relcode-gold-'));
  mkdirSync(join(dir, 't'));
  writeFileSync(join(dir, 't', 'one.txt'), ['T: Welcome, take your time.', 'C: Thanks.', 'T: Welcome back.', 'C: Hello there.', 'T: So, the plan.'].join('\n'));
  const small = compileCodebook(parseCodebook('codebook: t\ndimensions:\n  warmth:\n    indicators: [welcome]\n  respect:\n    indicators: [your choice]\n', 'small.yaml'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const run = (yaml: string) => loadGoldSpec(write('gold.yaml', yaml), ['warmth', 'respect']).then((s) => runGold(s, small));

  it('counts against the human coding, with the default inherited per statistic', async () => {
    write('long.csv', 'transcript,turn,dimension\none,1,warmth\none,4,warmth\n');
    const r = await run('transcripts: [t/]\ncoding: long.csv\nthresholds:\n  default: { min_kappa: 0.9, min_f1: 0.5 }\n  warmth: { min_kappa: 0.1 }\n');
    const warmth = r.dimensions.find((d) => d.dimension === 'warmth')!;
    // auto codes turns 1 and 3; the human 1 and 4
    expect(warmth).toMatchObject({ units: 5, tp: 1, fp: 1, fn: 1, tn: 2, f1: 0.5 });
    expect(warmth.checks).toEqual([
      expect.objectContaining({ statistic: 'min_kappa', min: 0.1, line: 5, passed: true }),
      expect.objectContaining({ statistic: 'min_f1', min: 0.5, line: 4, passed: true }),
    ]);
    // nobody codes respect: kappa is undefined, so a threshold on it fails with the reason
    const respect = r.dimensions.find((d) => d.dimension === 'respect')!;
    expect(respect.kappa.kappa).toBeNull();
    expect(respect.passed).toBe(false);
    expect(respect.checks[0]).toMatchObject({ statistic: 'min_kappa', value: null, line: 4, passed: false });
    expect(respect.checks[0]!.reason).toMatch(/kappa is undefined \(no variation/);
    expect(respect.checks[1]!.reason).toMatch(/F1 is undefined \(neither coding codes any turn\)/);
    expect(r.passed).toBe(false);
  });

  it('a threshold above the measured value fails with the numbers', async () => {
    write('long.csv', 'transcript,turn,dimension\none,1,warmth\none,4,warmth\n');
    const r = await run('transcripts: [t/one.txt]\ncoding: long.csv\nthresholds:\n  warmth: { min_f1: 0.75 }\n');
    expect(r.dimensions[0]!.checks[0]).toMatchObject({ passed: false, line: 4, reason: 'F1 0.500 is below min_f1 0.75' });
  });

  it('a turn-level coding: only its dimension columns are decided', async () => {
    write('turns.csv', 'transcript,turn,warmth,text\none,1,1,x\none,2,0,x\none,3,2,x\none,4,0,x\none,5,0,x\n');
    const r = await run('transcripts: ["t/*.txt"]\ncoding: turns.csv\nthresholds:\n  default: { min_kappa: 0.9 }\n');
    expect(r.shape).toBe('turn');
    expect(r.dimensions.map((d) => d.dimension)).toEqual(['warmth']);
    expect(r.dimensions[0]).toMatchObject({ tp: 2, fp: 0, fn: 0, tn: 3, passed: true });
  });

  it('a human-coded unit that is not a turn read is an error naming it, with the coding line', async () => {
    write('long.csv', 'transcript,turn,dimension\none,1,warmth\none,9,warmth\nonee,2,warmth\n');
    const d = await rejection(run('transcripts: [t/one.txt]\ncoding: long.csv\nthresholds: {}\n'));
    expect(d).toEqual([
      expect.objectContaining({ ruleId: 'unknown-unit', file: join(dir, 'long.csv'), line: 3, message: 'transcript "one" has no turn 9' }),
      expect.objectContaining({ ruleId: 'unknown-unit', file: join(dir, 'long.csv'), line: 4, message: 'transcript "onee" is not among the gold transcripts (did you mean "one"?)' }),
    ]);
  });

  it('a turn-level coding missing a turn is an error naming the turn', async () => {
    write('turns.csv', 'transcript,turn,warmth,text\none,1,1,x\none,2,0,x\none,3,2,x\none,5,0,x\n');
    const d = await rejection(run('transcripts: [t/one.txt]\ncoding: turns.csv\nthresholds: {}\n'));
    expect(d).toEqual([expect.objectContaining({ ruleId: 'uncoded-unit', file: join(dir, 't', 'one.txt'), line: 4, message: expect.stringMatching(/turn 4 of transcript "one" is not in the turn-level coding/) })]);
  });

  it('a threshold for a dimension the turn-level coding lacks is an error at its line', async () => {
    write('turns.csv', 'transcript,turn,warmth,text\none,1,1,x\none,2,0,x\none,3,2,x\none,4,0,x\none,5,0,x\n');
    const d = await rejection(run('transcripts: [t/one.txt]\ncoding: turns.csv\nthresholds:\n  respect: { min_f1: 0.5 }\n'));
    expect(d).toEqual([expect.objectContaining({ ruleId: 'uncoded-dimension', file: join(dir, 'gold.yaml'), line: 4 })]);
  });

  it('a transcript path that matches nothing is an error at its line in the spec', async () => {
    write('long.csv', 'transcript,turn,dimension\n');
    const d = await rejection(run('transcripts:\n  - t/one.txt\n  - t/missing.txt\ncoding: long.csv\nthresholds: {}\n'));
    expect(d[0]).toMatchObject({ ruleId: 'file-not-found', file: join(dir, 'gold.yaml'), line: 3, col: 5 });
    expect(d[0]!.message).toMatch(/missing\.txt: no such file/);
  });

  it('warns about a transcript with no coded turn in a long coding', async () => {
    write('long.csv', 'transcript,turn,dimension\n');
    const r = await run('transcripts: [t/one.txt]\ncoding: long.csv\nthresholds: {}\n');
    expect(r.warnings).toEqual([expect.objectContaining({ severity: 'warning', ruleId: 'uncoded-transcript' })]);
  });

  it('a coding with an unknown dimension is an error with did-you-mean', async () => {
    write('long.csv', 'transcript,turn,dimension\none,1,wramth\n');
    const d = await rejection(run('transcripts: [t/one.txt]\ncoding: long.csv\nthresholds: {}\n'));
    expect(d[0]).toMatchObject({ ruleId: 'unknown-dimension', line: 2, message: expect.stringMatching(/did you mean "warmth"/) });
  });
});
