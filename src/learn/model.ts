/**
 * The model file `relcode learn` writes and a `{ model: FILE }` indicator reads:
 * versioned, human-readable JSON. One dimension's model, or, when several
 * dimensions were trained at once, `{ relcode_model: 1, models: [ … ] }`.
 */
import type { Role } from '../transcript/model.js';
import { sigmoid } from './logistic.js';

export const MODEL_VERSION = 1;

export interface Spread {
  mean: number | null;
  /** sample standard deviation over the folds where the statistic is defined */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** folds where the statistic is defined */
  n: number;
  /** per fold, in fold order; null where undefined */
  folds: (number | null)[];
}

export interface CurvePoint {
  /** coded transcripts trained on (the mean over folds for the last point) */
  transcripts: number;
  /** the last point: every training transcript of each fold */
  all?: boolean;
  kappa: Omit<Spread, 'folds'>;
  f1: Omit<Spread, 'folds'>;
}

export interface CvReport {
  folds: number;
  seed: number;
  grouped_by: 'transcript';
  kappa: Spread;
  f1: Spread;
  precision: Spread;
  recall: Spread;
  /** every turn's out-of-fold prediction, pooled */
  pooled: { kappa: number | null; f1: number | null; precision: number | null; recall: number | null; tp: number; fp: number; fn: number; tn: number };
  /** the codebook's phrases alone, on the same test folds */
  phrase_only: { kappa: Spread; f1: Spread };
  /** kappa on held-out transcripts against the number of coded transcripts trained on */
  learning_curve: CurvePoint[];
}

export interface TrainedModel {
  relcode_model: typeof MODEL_VERSION;
  dimension: string;
  /** the roles whose turns it was trained on */
  roles: Role[];
  trained_on: { transcripts: number; turns: number; positives: number; coding: string; codebook: string };
  settings: { l2: number; min_df: number; ngrams: [number, number]; class_weight: 'balanced'; max_iterations: number };
  /** nonzero weights, largest |weight| first */
  features: Record<string, number>;
  intercept: number;
  /** the turn matches when the probability reaches this; chosen by inner cross-validation on the training transcripts */
  threshold: number;
  top_features: { feature: string; weight: number; example?: string }[];
  cv: CvReport | null;
}

export interface ModelBundle {
  relcode_model: typeof MODEL_VERSION;
  models: TrainedModel[];
}

export interface Contribution {
  feature: string;
  value: number;
  weight: number;
  /** weight × value */
  contribution: number;
}

export function linearScore(model: Pick<TrainedModel, 'features' | 'intercept'>, features: ReadonlyMap<string, number>): number {
  let z = model.intercept;
  for (const [name, value] of features) if (Object.hasOwn(model.features, name)) z += model.features[name]! * value;
  return z;
}

export function probability(model: Pick<TrainedModel, 'features' | 'intercept'>, features: ReadonlyMap<string, number>): number {
  return sigmoid(linearScore(model, features));
}

/** The turn's features that the model weighs, largest contribution first. */
export function contributions(model: Pick<TrainedModel, 'features'>, features: ReadonlyMap<string, number>): Contribution[] {
  const out: Contribution[] = [];
  for (const [feature, value] of features) {
    if (!Object.hasOwn(model.features, feature)) continue;
    const weight = model.features[feature]!;
    out.push({ feature, value, weight, contribution: weight * value });
  }
  return out.sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature));
}

/**
 * The model for `dimension` in a parsed model file, or why there is none.
 * A single model is used whatever its dimension's id; a bundle must hold one for `dimension`.
 */
export function modelFor(json: unknown, dimension: string): { model: TrainedModel } | { problem: string; ruleId: string } {
  if (!json || typeof json !== 'object' || !('relcode_model' in json)) return { problem: 'is not a relcode model (no "relcode_model" key)', ruleId: 'bad-model' };
  const version = (json as { relcode_model: unknown }).relcode_model;
  if (version !== MODEL_VERSION) return { problem: `is a relcode model of version ${JSON.stringify(version)}; this relcode reads version ${MODEL_VERSION}`, ruleId: 'model-version' };
  const models = (json as { models?: unknown }).models;
  if (Array.isArray(models)) {
    const found = models.find((m) => (m as { dimension?: unknown } | null)?.dimension === dimension);
    if (!found) return { problem: `holds no model for dimension "${dimension}" (it has: ${models.map((m) => (m as { dimension?: unknown }).dimension).join(', ')})`, ruleId: 'bad-model' };
    return checked({ relcode_model: version, ...(found as object) });
  }
  return checked(json);
}

function checked(json: object): { model: TrainedModel } | { problem: string; ruleId: string } {
  const m = json as Partial<TrainedModel>;
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (typeof m.dimension !== 'string') return { problem: 'has no "dimension"', ruleId: 'bad-model' };
  if (!m.features || typeof m.features !== 'object' || Array.isArray(m.features) || !Object.values(m.features).every(finite)) {
    return { problem: 'has no "features" object of numbers', ruleId: 'bad-model' };
  }
  if (!finite(m.intercept)) return { problem: 'has no numeric "intercept"', ruleId: 'bad-model' };
  if (!finite(m.threshold)) return { problem: 'has no numeric "threshold"', ruleId: 'bad-model' };
  return { model: json as TrainedModel };
}
