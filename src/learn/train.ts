/**
 * Turns with their features → a fitted model: a vocabulary from the training
 * turns only (n-grams pruned by document frequency), an L2-regularised
 * logistic regression, and a threshold chosen by an inner cross-validation on
 * the training transcripts, so no figure ever comes from the turns it was fitted on.
 */
import { binaryAgreement, binaryTable } from '../agreement/binary.js';
import { groupedFolds } from './folds.js';
import { DEFAULT_FIT, fitLogistic, type FitOptions, type SparseRow } from './logistic.js';
import { probability } from './model.js';

export interface Example {
  transcript: string;
  features: ReadonlyMap<string, number>;
  /** coded by the human coder */
  label: boolean;
  /** coded by the codebook's phrases alone */
  baseline: boolean;
}

export interface Settings extends FitOptions {
  /** an n-gram feature needs this many training turns */
  minDf: number;
  /** folds of the inner cross-validation that picks the threshold */
  innerFolds: number;
  seed: number;
}

export const DEFAULT_SETTINGS: Settings = { ...DEFAULT_FIT, minDf: 3, innerFolds: 3, seed: 1 };

export interface Fit {
  /** nonzero weights by feature name */
  features: Map<string, number>;
  intercept: number;
}

export interface Trained extends Fit {
  threshold: number;
}

/** The default threshold when there are too few transcripts to tune one. */
export const FALLBACK_THRESHOLD = 0.5;
const GRID = Array.from({ length: 91 }, (_, i) => 0.05 + i / 100);

export function fit(examples: readonly Example[], settings: Settings): Fit {
  const df = new Map<string, number>();
  for (const e of examples) for (const name of e.features.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  const names = [...df].filter(([name, n]) => !name.startsWith('ngram:') || n >= settings.minDf).map(([name]) => name).sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const rows: SparseRow[] = examples.map((e) => {
    const row: SparseRow = { index: [], value: [] };
    for (const [name, value] of e.features) {
      const i = index.get(name);
      if (i !== undefined && value !== 0) {
        row.index.push(i);
        row.value.push(value);
      }
    }
    return row;
  });
  const fitted = fitLogistic(rows, examples.map((e) => e.label), names.length, settings);
  const features = new Map<string, number>();
  names.forEach((name, i) => {
    const w = fitted.weights[i]!;
    if (Math.abs(w) > 1e-9) features.set(name, w);
  });
  return { features, intercept: fitted.intercept };
}

export function predict(model: Fit, examples: readonly Example[]): number[] {
  const m = { features: Object.fromEntries(model.features), intercept: model.intercept };
  return examples.map((e) => probability(m, e.features));
}

export function kappaOf(predicted: readonly boolean[], truth: readonly boolean[]): number | null {
  return binaryAgreement(binaryTable(predicted, truth)).kappa.kappa;
}

/** Fit on every example, with the threshold that maximises kappa on inner out-of-fold predictions. */
export function train(examples: readonly Example[], settings: Settings): Trained {
  return { ...fit(examples, settings), threshold: tuneThreshold(examples, settings) };
}

export function tuneThreshold(examples: readonly Example[], settings: Settings): number {
  const ids = [...new Set(examples.map((e) => e.transcript))];
  const k = Math.min(settings.innerFolds, ids.length);
  if (k < 2 || !examples.some((e) => e.label)) return FALLBACK_THRESHOLD;
  const folds = groupedFolds(ids, k, settings.seed);
  const scores = new Array<number>(examples.length);
  for (let f = 0; f < k; f++) {
    const inFold = examples.map((e) => folds.get(e.transcript) === f);
    const model = fit(examples.filter((_, i) => !inFold[i]), settings);
    const held = examples.filter((_, i) => inFold[i]);
    const p = predict(model, held);
    let j = 0;
    examples.forEach((_, i) => {
      if (inFold[i]) scores[i] = p[j++]!;
    });
  }
  const truth = examples.map((e) => e.label);
  let best = FALLBACK_THRESHOLD;
  let bestKappa = -Infinity;
  for (const t of GRID) {
    const kappa = kappaOf(scores.map((s) => s >= t), truth);
    if (kappa !== null && kappa > bestKappa + 1e-12) {
      best = t;
      bestKappa = kappa;
    }
  }
  return Math.round(best * 100) / 100;
}
