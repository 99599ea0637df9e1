/**
 * Krippendorff's alpha for any number of coders, with missing values, from the
 * coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). Units coded by fewer than two coders are not pairable
 * and drop out, as in the definition.
 */
export type Metric = 'nominal' | 'interval';

export interface Alpha {
  /** null when undefined: fewer than two pairable values, or only one value used */
  alpha: number | null;
  /** number of pairable values (n in Krippendorff's notation) */
  pairable: number;
  reason?: string;
}

/**
 * `units[u][c]` is coder c's value for unit u, or null when missing.
 * Values are category labels (nominal) or numbers (interval).
 */
export function krippendorffAlpha(units: readonly (readonly (string | number | null)[])[], metric: Metric = 'nominal'): Alpha {
  const coincidence = new Map<string | number, Map<string | number, number>>();
  const add = (c: string | number, k: string | number, w: number) => {
    let row = coincidence.get(c);
    if (!row) coincidence.set(c, (row = new Map()));
    row.set(k, (row.get(k) ?? 0) + w);
  };
  for (const unit of units) {
    const values = unit.filter((v): v is string | number => v !== null);
    const m = values.length;
    if (m < 2) continue;
    // every ordered pair of values from different coders, weighted 1/(m-1)
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) add(values[i]!, values[j]!, 1 / (m - 1));
  }
  const marginals = new Map<string | number, number>();
  for (const [c, row] of coincidence) marginals.set(c, [...row.values()].reduce((a, b) => a + b, 0));
  const n = [...marginals.values()].reduce((a, b) => a + b, 0);
  if (n < 2) return { alpha: null, pairable: n, reason: 'fewer than two pairable values' };
  const delta = (c: string | number, k: string | number) => (metric === 'nominal' ? (c === k ? 0 : 1) : (Number(c) - Number(k)) ** 2);
  let observed = 0;
  for (const [c, row] of coincidence) for (const [k, o] of row) observed += o * delta(c, k);
  let expected = 0;
  for (const [c, nc] of marginals) for (const [k, nk] of marginals) expected += nc * nk * delta(c, k);
  if (expected === 0) return { alpha: null, pairable: n, reason: 'every pairable value is the same: no variation to agree on' };
  return { alpha: 1 - ((n - 1) * observed) / expected, pairable: n };
}
