/**
 * Honest figures for a trained indicator: k-fold cross-validation grouped by
 * transcript, and a learning curve, both scored only on held-out transcripts.
 */
import { binaryAgreement, binaryTable, type BinaryAgreement } from '../agreement/binary.js';
import { groupedFolds, seededRandom, shuffled } from './folds.js';
import type { CurvePoint, CvReport, Spread } from './model.js';
import { predict, train, type Example, type Settings } from './train.js';

/** Training-set sizes of the learning curve: 5, 10, 20, 40, … below `total`, then `total`. */
export function curveSizes(total: number): number[] {
  const sizes: number[] = [];
  for (let n = 5; n < total; n *= 2) sizes.push(n);
  return [...sizes, total];
}

export function spread(values: readonly (number | null)[]): Spread {
  const xs = values.filter((v): v is number => v !== null);
  const n = xs.length;
  const mean = n ? xs.reduce((s, x) => s + x, 0) / n : null;
  const sd = n > 1 && mean !== null ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : null;
  return { mean, sd, min: n ? Math.min(...xs) : null, max: n ? Math.max(...xs) : null, n, folds: [...values] };
}

const withoutFolds = ({ folds: _folds, ...rest }: Spread): Omit<Spread, 'folds'> => rest;

/** Which examples each test fold holds: by transcript, never split. */
export function foldOf(examples: readonly Example[], k: number, seed: number): number[] {
  const folds = groupedFolds(examples.map((e) => e.transcript), k, seed);
  return examples.map((e) => folds.get(e.transcript)!);
}

export function crossValidate(examples: readonly Example[], k: number, settings: Settings, options: { curve: boolean } = { curve: true }): CvReport {
  const fold = foldOf(examples, k, settings.seed);
  const stats: BinaryAgreement[] = [];
  const baseline: BinaryAgreement[] = [];
  const oof = new Array<boolean>(examples.length);
  // the same sizes in every fold; the last point is all of each fold's training transcripts
  const trainCounts = Array.from({ length: k }, (_, f) => new Set(examples.filter((_, i) => fold[i] !== f).map((e) => e.transcript)).size);
  const sizes = curveSizes(Math.min(...trainCounts));
  const curve = sizes.map(() => ({ transcripts: [] as number[], kappa: [] as (number | null)[], f1: [] as (number | null)[] }));
  for (let f = 0; f < k; f++) {
    const trainSet = examples.filter((_, i) => fold[i] !== f);
    const testIdx = examples.map((_, i) => i).filter((i) => fold[i] === f);
    const test = testIdx.map((i) => examples[i]!);
    const truth = test.map((e) => e.label);
    const model = train(trainSet, settings);
    const predicted = predict(model, test).map((p) => p >= model.threshold);
    testIdx.forEach((i, j) => (oof[i] = predicted[j]!));
    stats.push(binaryAgreement(binaryTable(predicted, truth)));
    baseline.push(binaryAgreement(binaryTable(test.map((e) => e.baseline), truth)));
    if (!options.curve) continue;
    // the transcripts of this training side, in a seeded order: the first n are the "n coded transcripts"
    const ids = shuffled([...new Set(trainSet.map((e) => e.transcript))].sort(), seededRandom(settings.seed * 1000 + f));
    sizes.forEach((size, s) => {
      const n = s === sizes.length - 1 ? ids.length : size;
      const keep = new Set(ids.slice(0, n));
      const m = n === ids.length ? model : train(trainSet.filter((e) => keep.has(e.transcript)), settings);
      const a = binaryAgreement(binaryTable(predict(m, test).map((p) => p >= m.threshold), truth));
      curve[s]!.transcripts.push(n);
      curve[s]!.kappa.push(a.kappa.kappa);
      curve[s]!.f1.push(a.f1);
    });
  }
  const pooled = binaryAgreement(binaryTable(oof, examples.map((e) => e.label)));
  const learning_curve: CurvePoint[] = options.curve
    ? curve.map((p, s) => ({
        transcripts: Math.round(p.transcripts.reduce((a, b) => a + b, 0) / p.transcripts.length),
        ...(s === curve.length - 1 ? { all: true } : {}),
        kappa: withoutFolds(spread(p.kappa)),
        f1: withoutFolds(spread(p.f1)),
      }))
    : [];
  return {
    folds: k,
    seed: settings.seed,
    grouped_by: 'transcript',
    kappa: spread(stats.map((s) => s.kappa.kappa)),
    f1: spread(stats.map((s) => s.f1)),
    precision: spread(stats.map((s) => s.precision)),
    recall: spread(stats.map((s) => s.recall)),
    pooled: { kappa: pooled.kappa.kappa, f1: pooled.f1, precision: pooled.precision, recall: pooled.recall, tp: pooled.tp, fp: pooled.fp, fn: pooled.fn, tn: pooled.tn },
    phrase_only: { kappa: spread(baseline.map((s) => s.kappa.kappa)), f1: spread(baseline.map((s) => s.f1)) },
    learning_curve,
  };
}
