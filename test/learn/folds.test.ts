/**
 * Cross-validation grouped by transcript: the folds never share a transcript,
 * every turn is tested exactly once, and a model cannot score by having seen a
 * test session's turns.
 */
import { describe, expect, it } from 'vitest';
import { crossValidate, curveSizes, foldOf, spread } from '../../src/learn/evaluate.js';
import { groupedFolds, seededRandom } from '../../src/learn/folds.js';
import { DEFAULT_SETTINGS, fit, predict, type Example } from '../../src/learn/train.js';

/** `transcripts` sessions of 3 to 12 turns each; `label` and `features` say what each turn looks like. */
function corpus(transcripts: number, make: (t: number, turn: number, random: () => number) => Pick<Example, 'label' | 'features'>): Example[] {
  const random = seededRandom(5);
  const out: Example[] = [];
  for (let t = 0; t < transcripts; t++) {
    const turns = 3 + Math.floor(random() * 10);
    for (let u = 0; u < turns; u++) out.push({ transcript: `s${String(t).padStart(2, '0')}`, baseline: false, ...make(t, u, random) });
  }
  return out;
}

describe('groupedFolds', () => {
  const ids = Array.from({ length: 23 }, (_, i) => `t${i}`);

  it.each([2, 3, 5, 23])('%i folds: each transcript in exactly one, sizes differ by at most one', (k) => {
    const folds = groupedFolds([...ids, ...ids], k, 1);
    expect([...folds.keys()].sort()).toEqual([...ids].sort());
    const sizes = Array.from({ length: k }, (_, f) => [...folds.values()].filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.every((n) => n > 0)).toBe(true);
  });

  it('is deterministic for a seed, whatever the input order, and differs between seeds', () => {
    const a = groupedFolds(ids, 5, 42);
    expect(groupedFolds([...ids].reverse(), 5, 42)).toEqual(a);
    expect(groupedFolds(ids, 5, 43)).not.toEqual(a);
  });

  it('refuses more folds than transcripts, or fewer than 2', () => {
    expect(() => groupedFolds(['a', 'b'], 3, 1)).toThrow(RangeError);
    expect(() => groupedFolds(['a', 'b'], 1, 1)).toThrow(RangeError);
  });
});

describe('foldOf', () => {
  const examples = corpus(17, (_t, _u, random) => ({ label: random() < 0.3, features: new Map() }));

  it('puts every turn in exactly one test fold, and never a transcript on both sides', () => {
    const fold = foldOf(examples, 4, 9);
    expect(fold).toHaveLength(examples.length);
    const byTranscript = new Map<string, Set<number>>();
    examples.forEach((e, i) => byTranscript.set(e.transcript, (byTranscript.get(e.transcript) ?? new Set()).add(fold[i]!)));
    for (const folds of byTranscript.values()) expect(folds.size).toBe(1);
    for (let f = 0; f < 4; f++) {
      const test = new Set(examples.filter((_, i) => fold[i] === f).map((e) => e.transcript));
      const train = new Set(examples.filter((_, i) => fold[i] !== f).map((e) => e.transcript));
      expect([...test].filter((t) => train.has(t))).toEqual([]);
      expect(test.size + train.size).toBe(17);
    }
  });
});

describe('crossValidate', () => {
  const quick = { ...DEFAULT_SETTINGS, maxIterations: 200 };

  it('scores every turn once: the pooled table covers each turn', () => {
    const examples = corpus(12, (_t, u, random) => {
      const label = random() < 0.4;
      return { label, features: new Map([[label ? 'ngram:yes' : 'ngram:no', 1], [`turn:u${u % 3}`, 1]]) };
    });
    const cv = crossValidate(examples, 4, quick, { curve: false });
    const p = cv.pooled;
    expect(p.tp + p.fp + p.fn + p.tn).toBe(examples.length);
    expect(p.tp + p.fn).toBe(examples.filter((e) => e.label).length);
    expect(cv.kappa.folds).toHaveLength(4);
    // the label is in the features, so a model learns it on any training side
    expect(p.kappa!).toBeGreaterThan(0.9);
  });

  it('cannot score by recognising a session: labels that belong to transcripts are not learnable across them', () => {
    // every turn of a session shares its label and a feature naming the session;
    // a model that had seen the test session's turns would get kappa 1
    const examples = corpus(20, (t) => ({ label: t % 2 === 0, features: new Map([[`turn:session=${t}`, 1]]) }));
    const leaky = fit(examples, quick);
    const seen = predict(leaky, examples).map((p) => p >= 0.5);
    expect(seen.every((x, i) => x === examples[i]!.label)).toBe(true);
    const cv = crossValidate(examples, 5, quick, { curve: false });
    expect(cv.pooled.kappa ?? 0).toBeLessThan(0.3);
  });

  it('draws the learning curve at 5, 10, 20, … transcripts, then all, each on held-out transcripts', () => {
    expect(curveSizes(3)).toEqual([3]);
    expect(curveSizes(5)).toEqual([5]);
    expect(curveSizes(27)).toEqual([5, 10, 20, 27]);
    const examples = corpus(15, (_t, _u, random) => {
      const label = random() < 0.4;
      return { label, features: new Map([[label ? 'ngram:yes' : 'ngram:no', 1]]) };
    });
    const cv = crossValidate(examples, 3, quick);
    expect(cv.learning_curve.map((p) => p.transcripts)).toEqual([5, 10]);
    expect(cv.learning_curve.at(-1)!.all).toBe(true);
    expect(cv.learning_curve.every((p) => p.kappa.n === 3)).toBe(true);
  });
});

describe('spread', () => {
  it('is the mean, sample SD, min and max of the defined values', () => {
    // 0.2, 0.4, 0.6: mean 0.4, SD sqrt(((−0.2)² + 0 + 0.2²) / 2) = 0.2
    const s = spread([0.2, null, 0.4, 0.6]);
    expect(s).toMatchObject({ n: 3, min: 0.2, max: 0.6 });
    expect(s.mean).toBeCloseTo(0.4, 12);
    expect(s.sd).toBeCloseTo(0.2, 12);
    expect(spread([null]).mean).toBeNull();
    expect(spread([0.5]).sd).toBeNull();
  });
});
