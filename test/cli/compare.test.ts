import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { relcode } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-compare-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// A: a turn-level coding of 10 turns; empathy coded on turns 1-4, warmth never.
const turnLevel = (coded: number[]) =>
  ['transcript,turn,speaker,role,start,end,words,empathy,warmth,text']
    .concat(Array.from({ length: 10 }, (_, i) => `s,${i + 1},T,therapist,,,3,${coded.includes(i + 1) ? 1 : 0},0,Turn ${i + 1} text`))
    .join('\n');
const auto = write('auto.csv', turnLevel([1, 2, 3, 4]));
// B: a long human coding; empathy on turns 1, 2 and 5; warmth never mentioned.
const human = write('human.csv', 'transcript,turn,dimension\ns,1,empathy\ns,2,empathy\ns,5,empathy\n');

const csv = (s: string) => parse(s, { columns: true }) as Record<string, string>[];

describe('relcode compare, on hand-worked codings', () => {
  it('gives the statistics worked out by hand', () => {
    const r = relcode(['compare', auto, human, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(r.stdout);
    expect(Object.keys(rows[0]!)).toEqual(['dimension', 'units', 'a_coded', 'b_coded', 'agreement', 'kappa', 'kappa_se', 'kappa_low', 'kappa_high', 'alpha', 'ac1', 'precision', 'recall', 'f1', 'tp', 'fp', 'fn', 'tn', 'note']);
    const empathy = rows.find((x) => x.dimension === 'empathy')!;
    // tp = 2 (turns 1, 2), fp = 2 (3, 4), fn = 1 (5), tn = 5
    expect(empathy).toMatchObject({ units: '10', a_coded: '4', b_coded: '3', tp: '2', fp: '2', fn: '1', tn: '5' });
    // agreement 7/10; pe = .4·.3 + .6·.7 = .54; kappa = (.7 - .54)/.46 = .347826
    expect(Number(empathy.agreement)).toBe(0.7);
    expect(Number(empathy.kappa)).toBeCloseTo(0.3478, 4);
    // alpha: n = 20 values, n1 = 7, n0 = 13, disagreeing pairs 2·3 = 6: 1 - 19·6/(2·13·7) = .373626
    expect(Number(empathy.alpha)).toBeCloseTo(0.3736, 4);
    // AC1: π = (.4 + .3)/2 = .35, pe = 2·.35·.65 = .455, (.7 - .455)/.545 = .449541
    expect(Number(empathy.ac1)).toBeCloseTo(0.4495, 4);
    // P = 2/4, R = 2/3, F1 = 4/7
    expect([Number(empathy.precision), Number(empathy.recall), Number(empathy.f1)]).toEqual([0.5, 0.6667, 0.5714]);
    // warmth: neither side codes it, so kappa is undefined and says why; B never mentions it
    const warmth = rows.find((x) => x.dimension === 'warmth')!;
    expect(warmth.kappa).toBe('');
    expect(warmth.note).toMatch(/no variation/);
    expect(r.stderr).toMatch(/human\.csv never mentions dimension "warmth": it is all-absent on that side/);
    // pooled over 20 decisions: tp 2, fp 2, fn 1, tn 15; pe = .2·.15 + .8·.85 = .71; (.85 - .71)/.29 = .482759
    const pooled = rows.find((x) => x.dimension === '_pooled')!;
    expect(Number(pooled.units)).toBe(20);
    expect(Number(pooled.kappa)).toBeCloseTo(0.4828, 4);
  });

  it('--min-kappa exits 1 and names each dimension below the bar', () => {
    const r = relcode(['compare', auto, human, '-f', 'csv', '--min-kappa', '0.4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empathy: kappa 0\.348 is below 0\.4/);
    expect(r.stderr).toMatch(/warmth: kappa is undefined/);
    expect(relcode(['compare', auto, human, '--dimensions', 'empathy', '--min-kappa', '0.3', '--min-f1', '0.5']).code).toBe(0);
    expect(relcode(['compare', auto, human, '--dimensions', 'empathy', '--min-f1', '0.6']).code).toBe(1);
    expect(relcode(['compare', auto, human, '--dimensions', 'empathy', '--min-alpha', '0.4']).code).toBe(1);
  });

  it('reads stdin with -, and lists disagreements with their text', () => {
    const r = relcode(['compare', '-', human, '-f', 'json', '--disagreements', '2'], { input: turnLevel([1, 2, 3, 4]) });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { disagreements: { turn: number; dimension: string; coded: boolean[]; text: string }[] };
    expect(out.disagreements).toMatchObject([
      { turn: 3, dimension: 'empathy', coded: [true, false], text: 'Turn 3 text' },
      { turn: 4, dimension: 'empathy', coded: [true, false] },
    ]);
  });

  it('a unit missing from the set of units is an error that names it', () => {
    const stray = write('stray.csv', 'transcript,turn,dimension\ns,11,empathy\n');
    const r = relcode(['compare', auto, stray]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stray\.csv:2: error: transcript "s" turn 11 is not among the units of .*auto\.csv \[unknown-unit\]/);
  });

  it('three codings: Fleiss kappa and alpha over all, plus the pairwise table', () => {
    const third = write('third.csv', turnLevel([1, 2, 3, 4]));
    const r = relcode(['compare', auto, human, third, '-f', 'csv', '--dimensions', 'empathy']);
    expect(r.code, r.stderr).toBe(0);
    // votes per turn: 1,2 → 3 coded; 3,4 → 2 of 3; 5 → 1 of 3; 6-10 → none.
    // P̄ = (1+1+⅓+⅓+⅓+5·1)/10 = .8; p = 11/30; Pe = (11/30)² + (19/30)² = .535556; κ = .264444/.464444 = .569378
    const [overall] = csv(r.stdout);
    expect(overall).toMatchObject({ dimension: 'empathy', codings: '3', units: '10' });
    expect(Number(overall!.fleiss_kappa)).toBeCloseTo(0.5694, 4);
    const pairs = csv(relcode(['compare', auto, human, third, '-f', 'csv', '--dimensions', 'empathy', '--pairwise']).stdout);
    expect(pairs.map((p) => [p.a!.endsWith('auto.csv'), p.b!.split('/').pop(), p.dimension, p.kappa])).toEqual([
      [true, 'human.csv', 'empathy', '0.3478'],
      [true, 'human.csv', '_pooled', '0.3478'],
      [true, 'third.csv', 'empathy', '1'],
      [true, 'third.csv', '_pooled', '1'],
      [false, 'third.csv', 'empathy', '0.3478'],
      [false, 'third.csv', '_pooled', '0.3478'],
    ]);
  });

  it('two long codings need --units', () => {
    expect(relcode(['compare', human, human]).code).toBe(2);
    expect(relcode(['compare', human, human, '--units', auto, '-f', 'csv']).code).toBe(0);
  });
});
