/**
 * Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
 * & Quinn 2008, "Fightin' Words", section 3.5.1). For word w, groups i and j:
 *
 *   α_w = α0 · y_w / n                        prior: the pooled counts, scaled to α0
 *   δ_w = ln((y_iw + α_w) / (n_i + α0 − y_iw − α_w)) − ln((y_jw + α_w) / (n_j + α0 − y_jw − α_w))
 *   σ²_w ≈ 1 / (y_iw + α_w) + 1 / (y_jw + α_w)
 *   z_w = δ_w / √σ²_w
 *
 * where y_iw is w's count in group i, n_i the sum of group i's counts, y_w and n
 * the same over both groups. The prior shrinks rare words towards zero, so a
 * word seen twice cannot outrank a frequent, consistent one.
 */
export interface LogOdds {
  /** the point estimate δ_w */
  delta: number;
  /** its approximate variance σ²_w */
  variance: number;
  z: number;
}

export function weightedLogOdds(i: ReadonlyMap<string, number>, j: ReadonlyMap<string, number>, alpha0: number): Map<string, LogOdds> {
  const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);
  const ni = sum(i);
  const nj = sum(j);
  const n = ni + nj;
  const out = new Map<string, LogOdds>();
  if (n === 0) return out;
  for (const w of new Set([...i.keys(), ...j.keys()])) {
    const yi = i.get(w) ?? 0;
    const yj = j.get(w) ?? 0;
    const a = (alpha0 * (yi + yj)) / n;
    const delta = Math.log((yi + a) / (ni + alpha0 - yi - a)) - Math.log((yj + a) / (nj + alpha0 - yj - a));
    const variance = 1 / (yi + a) + 1 / (yj + a);
    out.set(w, { delta, variance, z: delta / Math.sqrt(variance) });
  }
  return out;
}
