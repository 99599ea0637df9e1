/**
 * The L2-regularised logistic regression against results known in closed form,
 * and its gradient against central differences.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/learn/folds.js';
import { classWeights, fitLogistic, objective, sigmoid, type SparseRow } from '../../src/learn/logistic.js';

const TIGHT = { l2: 0, positiveWeight: 1, maxIterations: 1000, tolerance: 1e-10 } as const;

/** One binary feature: `n` rows of each (x, y) cell. */
function table(cells: { x: 0 | 1; y: boolean; n: number }[]): { rows: SparseRow[]; labels: boolean[] } {
  const rows: SparseRow[] = [];
  const labels: boolean[] = [];
  for (const c of cells) {
    for (let k = 0; k < c.n; k++) {
      rows.push(c.x ? { index: [0], value: [1] } : { index: [], value: [] });
      labels.push(c.y);
    }
  }
  return { rows, labels };
}

describe('fitLogistic', () => {
  // With one binary feature the model is saturated, so the unregularised MLE
  // reproduces the observed proportions: b = logit P(y | x=0), w = logit P(y | x=1) − b.
  // x = 0: 1 positive, 3 negative → P = 1/4, b = ln(1/3) = −1.0986123
  // x = 1: 3 positive, 1 negative → P = 3/4, w = ln 3 − ln(1/3) = 2 ln 3 = 2.1972246
  const data = table([
    { x: 0, y: true, n: 1 },
    { x: 0, y: false, n: 3 },
    { x: 1, y: true, n: 3 },
    { x: 1, y: false, n: 1 },
  ]);

  it('finds the unregularised maximum-likelihood solution known in closed form', () => {
    const f = fitLogistic(data.rows, data.labels, 1, TIGHT);
    expect(f.converged).toBe(true);
    expect(f.intercept).toBeCloseTo(Math.log(1 / 3), 6);
    expect(f.weights[0]).toBeCloseTo(2 * Math.log(3), 6);
  });

  it('with a weight c on positive rows, shifts the intercept by ln c and keeps the slope', () => {
    // weighted odds at x = 0 become c · 1/3
    const f = fitLogistic(data.rows, data.labels, 1, { ...TIGHT, positiveWeight: 2 });
    expect(f.intercept).toBeCloseTo(Math.log(2 / 3), 6);
    expect(f.weights[0]).toBeCloseTo(2 * Math.log(3), 6);
  });

  it('balanced class weights give both classes the same total weight', () => {
    const labels = [true, false, false, false];
    expect(classWeights(labels, 'balanced')).toEqual({ positive: 2, negative: 4 / 6 });
    expect(classWeights([false, false], 'balanced')).toEqual({ positive: 1, negative: 1 });
  });

  it('shrinks the weight towards 0 as λ grows, never the intercept alone', () => {
    const w = [0, 0.01, 0.1, 1].map((l2) => fitLogistic(data.rows, data.labels, 1, { ...TIGHT, l2 }).weights[0]!);
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeLessThan(w[i - 1]!);
    expect(w[3]!).toBeGreaterThan(0);
  });

  it('stops where the gradient vanishes (first-order optimality), deterministically', () => {
    const { rows, labels } = randomData(60, 8, 7);
    const options = { l2: 0.05, positiveWeight: 'balanced', maxIterations: 500, tolerance: 1e-9 } as const;
    const f = fitLogistic(rows, labels, 8, options);
    const theta = Float64Array.from([...f.weights, f.intercept]);
    const g = objective(rows, labels, theta, options.l2, classWeights(labels, 'balanced')).gradient;
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-7);
    const again = fitLogistic(rows, labels, 8, options);
    expect([...again.weights, again.intercept]).toEqual([...f.weights, f.intercept]);
  });
});

describe('objective', () => {
  it('has the gradient that central differences give', () => {
    const { rows, labels } = randomData(30, 5, 3);
    const weights = { positive: 2.5, negative: 0.7 };
    const random = seededRandom(11);
    const theta = Float64Array.from({ length: 6 }, () => random() * 2 - 1);
    const { gradient } = objective(rows, labels, theta, 0.3, weights);
    const h = 1e-6;
    for (let k = 0; k < theta.length; k++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[k] = plus[k]! + h;
      minus[k] = minus[k]! - h;
      const numeric = (objective(rows, labels, plus, 0.3, weights).value - objective(rows, labels, minus, 0.3, weights).value) / (2 * h);
      expect(gradient[k]).toBeCloseTo(numeric, 7);
    }
  });

  it('is the mean weighted log-loss plus (λ/2)‖w‖², without the intercept in the penalty', () => {
    // two rows: x=1 positive, x=0 negative; θ = (w = 1, b = 0.5), λ = 0.2, weights 1
    // z = 1.5 for the positive row: loss ln(1 + e^−1.5); z = 0.5 for the negative: ln(1 + e^0.5)
    const rows: SparseRow[] = [{ index: [0], value: [1] }, { index: [], value: [] }];
    const value = objective(rows, [true, false], Float64Array.from([1, 0.5]), 0.2, { positive: 1, negative: 1 }).value;
    expect(value).toBeCloseTo((Math.log1p(Math.exp(-1.5)) + Math.log1p(Math.exp(0.5))) / 2 + 0.1, 12);
  });

  it('sigmoid is stable at the extremes', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
  });
});

/** A small random sparse dataset whose labels depend on its features. */
function randomData(n: number, d: number, seed: number): { rows: SparseRow[]; labels: boolean[] } {
  const random = seededRandom(seed);
  const truth = Array.from({ length: d }, () => random() * 4 - 2);
  const rows: SparseRow[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const row: SparseRow = { index: [], value: [] };
    let z = -0.5;
    for (let k = 0; k < d; k++) {
      if (random() < 0.4) {
        const v = random() * 2;
        row.index.push(k);
        row.value.push(v);
        z += truth[k]! * v;
      }
    }
    rows.push(row);
    labels.push(random() < sigmoid(z));
  }
  return { rows, labels };
}
