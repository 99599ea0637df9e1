import { describe, expect, it } from 'vitest';
import { binaryAgreement, binaryTable, cohenKappa } from '../../src/agreement/binary.js';

/** A k×k table of counts from two raters' category labels (1-based categories). */
function tableOf(a: number[], b: number[], k: number): number[][] {
  const t = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  a.forEach((x, i) => t[x - 1]![b[i]! - 1]!++);
  return t;
}

describe("Cohen's kappa against published values (shared/oracles/agreement.md)", () => {
  it('statsmodels 3×3 table: kappa 0.4842, SE 0.1380, 95% CI 0.2137..0.7547', () => {
    const k = cohenKappa([
      [0, 4, 1],
      [0, 8, 0],
      [0, 1, 5],
    ]);
    expect(k.kappa).toBeCloseTo(0.4842, 4);
    expect(k.se).toBeCloseTo(0.138, 4);
    expect(k.low).toBeCloseTo(0.2137, 4);
    expect(k.high).toBeCloseTo(0.7547, 4);
  });

  it('R irr `anxiety`, rater 2 vs rater 3: unweighted kappa −0.006289308', () => {
    const rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
    const rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];
    expect(cohenKappa(tableOf(rater2, rater3, 6)).kappa).toBeCloseTo(-0.006289308, 9);
  });

  it('ATLAS.ti 10-unit binary example: agreement 0.60, expected agreement 0.56', () => {
    const c1 = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0].map(Boolean);
    const c2 = [0, 1, 1, 0, 0, 1, 0, 1, 0, 0].map(Boolean);
    const t = binaryTable(c1, c2);
    expect(t).toEqual({ tp: 1, fp: 1, fn: 3, tn: 5 });
    const a = binaryAgreement(t);
    expect(a.agreement).toBeCloseTo(0.6, 12);
    expect(a.kappa.expected).toBeCloseTo(0.56, 12);
    // (0.60 − 0.56) / (1 − 0.56)
    expect(a.kappa.kappa).toBeCloseTo(0.04 / 0.44, 12);
  });
});

describe('binary agreement, worked by hand', () => {
  // tp 20, fp 5, fn 10, tn 15 (Wikipedia's kappa example): p_o = 35/50 = 0.7;
  // A codes 25/50 = 0.5, B codes 30/50 = 0.6, so p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
  // SE: proportions [[.4,.1],[.2,.3]], rows (.5,.5), cols (.6,.4), 1 − κ = .6:
  //   a = .4(1 − 1.1·.6)² + .3(1 − .9·.6)² = .04624 + .06348 = .10972
  //   b = .36 (.1(.6 + .5)² + .2(.4 + .5)²) = .36 · .283 = .10188
  //   c = (.4 − .5·.6)² = .01
  //   var = (.10972 + .10188 − .01) / (50 · .25) = .016128, SE = .126996
  const a = binaryAgreement({ tp: 20, fp: 5, fn: 10, tn: 15 });

  it('counts, agreement and kappa', () => {
    expect(a).toMatchObject({ units: 50, aCoded: 25, bCoded: 30 });
    expect(a.agreement).toBeCloseTo(0.7, 12);
    expect(a.kappa.observed).toBeCloseTo(0.7, 12);
    expect(a.kappa.expected).toBeCloseTo(0.5, 12);
    expect(a.kappa.kappa).toBeCloseTo(0.4, 12);
  });

  it('standard error and 95% CI', () => {
    expect(a.kappa.se).toBeCloseTo(Math.sqrt(0.016128), 10);
    expect(a.kappa.low).toBeCloseTo(0.4 - 1.959964 * Math.sqrt(0.016128), 6);
    expect(a.kappa.high).toBeCloseTo(0.4 + 1.959964 * Math.sqrt(0.016128), 6);
  });

  it('precision, recall and F1 take B as the reference', () => {
    expect(a.precision).toBeCloseTo(20 / 25, 12);
    expect(a.recall).toBeCloseTo(20 / 30, 12);
    expect(a.f1).toBeCloseTo(40 / 55, 12);
  });

  it('complete disagreement with both categories used gives −1', () => {
    expect(binaryAgreement({ tp: 0, fp: 5, fn: 5, tn: 0 }).kappa.kappa).toBeCloseTo(-1, 12);
  });

  it('perfect agreement with variation gives 1 with SE 0', () => {
    const k = binaryAgreement({ tp: 3, fp: 0, fn: 0, tn: 7 }).kappa;
    expect(k.kappa).toBeCloseTo(1, 12);
    expect(k.se).toBe(0);
    expect([k.low, k.high]).toEqual([k.kappa, k.kappa]);
  });

  it('one coder coding everything and the other nothing is 0, not undefined', () => {
    const k = binaryAgreement({ tp: 0, fp: 10, fn: 0, tn: 0 }).kappa;
    expect(k.kappa).toBe(0);
  });
});

describe('undefined statistics are null with a reason, never NaN or a made-up 1', () => {
  it.each([
    ['nobody codes any unit', { tp: 0, fp: 0, fn: 0, tn: 12 }],
    ['both code every unit', { tp: 12, fp: 0, fn: 0, tn: 0 }],
  ])('%s: kappa is null (p_e = 1)', (_name, t) => {
    const a = binaryAgreement(t);
    expect(a.agreement).toBe(1);
    expect(a.kappa).toMatchObject({ kappa: null, se: null, low: null, high: null, expected: 1 });
    expect(a.kappa.reason).toMatch(/no variation/);
  });

  it('no units at all', () => {
    const a = binaryAgreement({ tp: 0, fp: 0, fn: 0, tn: 0 });
    expect(a.agreement).toBeNull();
    expect(a.kappa.kappa).toBeNull();
    expect(a.kappa.reason).toMatch(/no units/);
    expect(cohenKappa([]).kappa).toBeNull();
  });

  it('precision, recall and F1 are null when their denominators are 0', () => {
    expect(binaryAgreement({ tp: 0, fp: 0, fn: 3, tn: 7 })).toMatchObject({ precision: null, recall: 0, f1: 0 });
    expect(binaryAgreement({ tp: 0, fp: 3, fn: 0, tn: 7 })).toMatchObject({ precision: 0, recall: null, f1: 0 });
    expect(binaryAgreement({ tp: 0, fp: 0, fn: 0, tn: 7 })).toMatchObject({ precision: null, recall: null, f1: null });
  });

  it('no statistic is ever NaN', () => {
    for (let tp = 0; tp < 3; tp++)
      for (let fp = 0; fp < 3; fp++)
        for (let fn = 0; fn < 3; fn++)
          for (let tn = 0; tn < 3; tn++) {
            const a = binaryAgreement({ tp, fp, fn, tn });
            const values = [a.agreement, a.precision, a.recall, a.f1, a.kappa.kappa, a.kappa.se, a.kappa.low, a.kappa.high];
            for (const v of values) expect(Number.isNaN(v)).toBe(false);
          }
  });
});

describe('binaryTable', () => {
  it('counts the four cells unit by unit (B is the reference)', () => {
    expect(binaryTable([true, true, false, false, true], [true, false, true, false, true])).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 });
  });

  it('refuses codings of different lengths', () => {
    expect(() => binaryTable([true], [true, false])).toThrow(/1 and 2 units/);
  });

  it('refuses a table that is not square', () => {
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(/square/);
  });
});
