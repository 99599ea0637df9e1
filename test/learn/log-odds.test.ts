/**
 * The weighted log-odds ratio with an informative Dirichlet prior (Monroe,
 * Colaresi & Quinn 2008), against a tiny example worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { weightedLogOdds } from '../../src/learn/log-odds.js';

describe('weightedLogOdds', () => {
  // Counts of three words in two groups, and α0 = 8:
  //
  //          coded (i)  uncoded (j)  both (y_w)
  //   a          3          1           4
  //   b          1          3           4
  //   c          0          4           4
  //   total   n_i = 4    n_j = 8     n = 12
  //
  // Every word has y_w = 4, so α_w = α0 · y_w / n = 8 · 4 / 12 = 8/3.
  //
  // a: δ = ln((3 + 8/3) / (4 + 8 − 3 − 8/3)) − ln((1 + 8/3) / (8 + 8 − 1 − 8/3))
  //      = ln((17/3) / (19/3)) − ln((11/3) / (37/3)) = ln(17·37 / (19·11)) = ln(629/209) = 1.1017970
  //    σ² = 1/(17/3) + 1/(11/3) = 3/17 + 3/11 = 84/187 = 0.4491979
  //    z = 1.1017970 / √0.4491979 = 1.6439278
  // b: δ = ln((11/3) / (25/3)) − ln((17/3) / (31/3)) = ln(11·31 / (25·17)) = ln(341/425) = −0.2202067
  //    σ² = 3/11 + 3/17 = 84/187, z = −0.3285577
  // c: δ = ln((8/3) / (12 − 8/3)) − ln((4 + 8/3) / (16 − 4 − 8/3)) = ln((8/28) / (20/28)) = ln 0.4 = −0.9162907
  //    σ² = 3/8 + 3/20 = 0.525, z = −1.2646014
  const coded = new Map([['a', 3], ['b', 1]]);
  const uncoded = new Map([['a', 1], ['b', 3], ['c', 4]]);
  const r = weightedLogOdds(coded, uncoded, 8);

  it.each([
    ['a', 1.101797, 84 / 187, 1.643928],
    ['b', -0.2202067, 84 / 187, -0.3285577],
    ['c', -0.9162907, 0.525, -1.2646014],
  ])('%s: δ %f, σ² %f, z %f', (word, delta, variance, z) => {
    const s = r.get(word)!;
    expect(s.delta).toBeCloseTo(delta, 6);
    expect(s.variance).toBeCloseTo(variance, 9);
    expect(s.z).toBeCloseTo(z, 6);
  });

  it('gives every word of either group a score, and none to empty groups', () => {
    expect([...r.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(weightedLogOdds(new Map(), new Map(), 8).size).toBe(0);
  });

  it('is antisymmetric: swapping the groups flips the sign', () => {
    const swapped = weightedLogOdds(uncoded, coded, 8);
    for (const [w, s] of r) expect(swapped.get(w)!.z).toBeCloseTo(-s.z, 12);
  });

  it('shrinks a rare word below a frequent one with the same split', () => {
    // x: 2 of 2 in the coded group; y: 40 of 40. Same proportions, far more evidence for y.
    const i = new Map([['x', 2], ['y', 40], ['other', 100]]);
    const j = new Map([['other', 500]]);
    const s = weightedLogOdds(i, j, 642);
    expect(s.get('y')!.z).toBeGreaterThan(s.get('x')!.z * 3);
  });
});
