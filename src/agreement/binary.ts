/**
 * Agreement between two codings of one dimension: Cohen's kappa (any k×k table,
 * with the Fleiss, Cohen & Everitt 1969 large-sample standard error that
 * statsmodels and SAS report) and, for binary codings, precision, recall and F1
 * with B as the reference.
 */

/** Two binary codings over the same units. B is the reference: `fp` is coded in A only. */
export interface BinaryTable {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Kappa {
  /** null when undefined: no units, or no variation (expected agreement 1) */
  kappa: number | null;
  /** asymptotic standard error (not under the null hypothesis) */
  se: number | null;
  /** 95% confidence interval, kappa ± 1.96 SE */
  low: number | null;
  high: number | null;
  observed: number | null;
  expected: number | null;
  /** why kappa is null */
  reason?: string;
}

export interface BinaryAgreement extends BinaryTable {
  units: number;
  aCoded: number;
  bCoded: number;
  /** observed proportion of agreement; null with no units */
  agreement: number | null;
  kappa: Kappa;
  /** null when A codes no unit */
  precision: number | null;
  /** null when B codes no unit */
  recall: number | null;
  /** null when neither codes a unit */
  f1: number | null;
}

const Z95 = 1.959963984540054;

/** Counts the four cells from two codings of the same units, in the same order. */
export function binaryTable(a: readonly boolean[], b: readonly boolean[]): BinaryTable {
  if (a.length !== b.length) throw new Error(`codings cover ${a.length} and ${b.length} units`);
  const t = { tp: 0, fp: 0, fn: 0, tn: 0 };
  a.forEach((x, i) => {
    const y = b[i]!;
    if (x && y) t.tp++;
    else if (x) t.fp++;
    else if (y) t.fn++;
    else t.tn++;
  });
  return t;
}

/**
 * Unweighted Cohen's kappa of a square table of counts (rows: rater A, columns: rater B).
 * Var(κ) = [Σᵢ pᵢᵢ(1 − (pᵢ. + p.ᵢ)(1 − κ))² + (1 − κ)² Σᵢ≠ⱼ pᵢⱼ(p.ᵢ + pⱼ.)² − (κ − pₑ(1 − κ))²] / (n(1 − pₑ)²)
 */
export function cohenKappa(table: readonly (readonly number[])[]): Kappa {
  const k = table.length;
  if (table.some((row) => row.length !== k)) throw new Error('the confusion table must be square');
  const n = table.reduce((s, row) => s + row.reduce((t, x) => t + x, 0), 0);
  if (n === 0) return undefinedKappa(null, null, 'there are no units');
  const p = table.map((row) => row.map((x) => x / n));
  const rows = p.map((row) => row.reduce((s, x) => s + x, 0));
  const cols = p[0]!.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  const observed = p.reduce((s, row, i) => s + row[i]!, 0);
  const expected = rows.reduce((s, r, i) => s + r * cols[i]!, 0);
  // p_e = 1 only when both raters put every unit in one and the same category
  if (expected >= 1 - 1e-12) {
    return undefinedKappa(observed, expected, 'no variation: both codings put every unit in the same category');
  }
  const kappa = (observed - expected) / (1 - expected);
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const pij = p[i]![j]!;
      if (i === j) a += pij * (1 - (rows[i]! + cols[i]!) * (1 - kappa)) ** 2;
      else b += pij * (cols[i]! + rows[j]!) ** 2;
    }
  }
  const c = (kappa - expected * (1 - kappa)) ** 2;
  // rounding can leave a tiny negative variance when agreement is perfect
  const variance = Math.max(0, (a + (1 - kappa) ** 2 * b - c) / (n * (1 - expected) ** 2));
  const se = Math.sqrt(variance);
  return { kappa, se, low: kappa - Z95 * se, high: kappa + Z95 * se, observed, expected };
}

function undefinedKappa(observed: number | null, expected: number | null, reason: string): Kappa {
  return { kappa: null, se: null, low: null, high: null, observed, expected, reason };
}

/** Kappa, agreement, precision, recall and F1 of a binary table (B is the reference). */
export function binaryAgreement(t: BinaryTable): BinaryAgreement {
  const units = t.tp + t.fp + t.fn + t.tn;
  const aCoded = t.tp + t.fp;
  const bCoded = t.tp + t.fn;
  const ratio = (x: number, y: number) => (y === 0 ? null : x / y);
  return {
    ...t,
    units,
    aCoded,
    bCoded,
    agreement: ratio(t.tp + t.tn, units),
    // coded first, so the table reads [[tp, fp], [fn, tn]]
    kappa: cohenKappa([
      [t.tp, t.fp],
      [t.fn, t.tn],
    ]),
    precision: ratio(t.tp, aCoded),
    recall: ratio(t.tp, bCoded),
    f1: ratio(2 * t.tp, 2 * t.tp + t.fp + t.fn),
  };
}
