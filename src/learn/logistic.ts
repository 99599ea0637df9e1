/**
 * L2-regularised logistic regression on sparse rows, fitted by L-BFGS with a
 * backtracking (Armijo) line search. Deterministic: no random start, fixed
 * iteration cap and tolerance. The objective, with class weights c_i:
 *
 *   J(w, b) = (1/C) Σ c_i [log(1 + e^{z_i}) − y_i z_i] + (λ/2) ‖w‖²,   z_i = b + w·x_i,  C = Σ c_i
 *   ∂J/∂w_k = (1/C) Σ c_i (σ(z_i) − y_i) x_ik + λ w_k,   ∂J/∂b = (1/C) Σ c_i (σ(z_i) − y_i)
 *
 * The intercept is not penalised.
 */
export interface SparseRow {
  /** feature indices, each at most once */
  index: number[];
  value: number[];
}

export interface FitOptions {
  /** λ, the L2 penalty on the weights (not the intercept) */
  l2: number;
  /** weight of each positive row; 'balanced' gives both classes the same total weight */
  positiveWeight: number | 'balanced';
  maxIterations: number;
  /** stop when the gradient's largest component is below this */
  tolerance: number;
}

export const DEFAULT_FIT: FitOptions = { l2: 1e-3, positiveWeight: 'balanced', maxIterations: 300, tolerance: 1e-6 };

export interface Fitted {
  weights: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
  /** J at the solution */
  objective: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export function classWeights(labels: readonly boolean[], positiveWeight: FitOptions['positiveWeight']): { positive: number; negative: number } {
  if (positiveWeight !== 'balanced') return { positive: positiveWeight, negative: 1 };
  const p = labels.filter(Boolean).length;
  const n = labels.length - p;
  if (p === 0 || n === 0) return { positive: 1, negative: 1 };
  return { positive: labels.length / (2 * p), negative: labels.length / (2 * n) };
}

/**
 * J and its gradient at θ = [w_0 … w_{d−1}, b]. Exported for the gradient check.
 */
export function objective(
  rows: readonly SparseRow[],
  labels: readonly boolean[],
  theta: Float64Array,
  l2: number,
  weights: { positive: number; negative: number },
): { value: number; gradient: Float64Array } {
  const d = theta.length - 1;
  const b = theta[d]!;
  const gradient = new Float64Array(theta.length);
  let loss = 0;
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const { index, value } = rows[r]!;
    let z = b;
    for (let k = 0; k < index.length; k++) z += theta[index[k]!]! * value[k]!;
    const y = labels[r] ? 1 : 0;
    const c = labels[r] ? weights.positive : weights.negative;
    total += c;
    loss += c * (softplus(z) - y * z);
    const g = c * (sigmoid(z) - y);
    for (let k = 0; k < index.length; k++) gradient[index[k]!]! += g * value[k]!;
    gradient[d]! += g;
  }
  const scale = total > 0 ? 1 / total : 0;
  let penalty = 0;
  for (let k = 0; k < d; k++) {
    gradient[k] = gradient[k]! * scale + l2 * theta[k]!;
    penalty += theta[k]! * theta[k]!;
  }
  gradient[d] = gradient[d]! * scale;
  return { value: loss * scale + (l2 / 2) * penalty, gradient };
}

const HISTORY = 10;

export function fitLogistic(rows: readonly SparseRow[], labels: readonly boolean[], features: number, options: FitOptions = DEFAULT_FIT): Fitted {
  if (rows.length !== labels.length) throw new Error(`${rows.length} rows but ${labels.length} labels`);
  const weights = classWeights(labels, options.positiveWeight);
  const f = (t: Float64Array) => objective(rows, labels, t, options.l2, weights);
  let theta: Float64Array = new Float64Array(features + 1);
  let current = f(theta);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  let iterations = 0;
  let converged = maxAbs(current.gradient) < options.tolerance;
  while (!converged && iterations < options.maxIterations) {
    iterations++;
    const direction = twoLoop(current.gradient, s, y);
    let slope = dot(direction, current.gradient);
    if (!(slope < 0)) {
      // not a descent direction (rounding): restart from steepest descent
      s.length = y.length = 0;
      direction.set(current.gradient.map((g) => -g));
      slope = dot(direction, current.gradient);
    }
    // the first step of steepest descent is scaled so it moves θ by about 1
    let step = s.length ? 1 : 1 / Math.max(1, Math.sqrt(-slope));
    let next: Float64Array | undefined;
    let trial = current;
    for (let k = 0; k < 40; k++) {
      next = theta.map((t, i) => t + step * direction[i]!);
      trial = f(next);
      if (trial.value <= current.value + 1e-4 * step * slope) break;
      step /= 2;
      next = undefined;
    }
    if (!next) break; // no decrease possible at this precision: as good as it gets
    const sk = next.map((t, i) => t - theta[i]!);
    const yk = trial.gradient.map((g, i) => g - current.gradient[i]!);
    if (dot(sk, yk) > 1e-12) {
      s.push(sk);
      y.push(yk);
      if (s.length > HISTORY) {
        s.shift();
        y.shift();
      }
    }
    const decrease = current.value - trial.value;
    theta = next;
    current = trial;
    converged = maxAbs(current.gradient) < options.tolerance || decrease <= 1e-14 * Math.max(1, Math.abs(current.value));
  }
  return { weights: theta.subarray(0, features), intercept: theta[features]!, iterations, converged, objective: current.value };
}

/** The L-BFGS direction −H·g from the stored curvature pairs. */
function twoLoop(g: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha: number[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    const rho = 1 / dot(y[i]!, s[i]!);
    const a = rho * dot(s[i]!, q);
    alpha[i] = a;
    for (let k = 0; k < q.length; k++) q[k]! -= a * y[i]![k]!;
  }
  if (s.length) {
    const last = s.length - 1;
    const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
    for (let k = 0; k < q.length; k++) q[k]! *= gamma;
  }
  for (let i = 0; i < s.length; i++) {
    const rho = 1 / dot(y[i]!, s[i]!);
    const b = rho * dot(y[i]!, q);
    for (let k = 0; k < q.length; k++) q[k]! += s[i]![k]! * (alpha[i]! - b);
  }
  for (let k = 0; k < q.length; k++) q[k] = -q[k]!;
  return q;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const x of a) m = Math.max(m, Math.abs(x));
  return m;
}
