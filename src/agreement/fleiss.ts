/**
 * Fleiss' kappa (Fleiss 1971): several raters, the same number per subject.
 * `counts[i][j]` is how many raters put subject i in category j.
 */
export interface FleissKappa {
  kappa: number | null;
  reason?: string;
}

export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappa {
  const subjects = counts.length;
  if (subjects === 0) return { kappa: null, reason: 'no subjects' };
  const raters = counts[0]!.reduce((a, b) => a + b, 0);
  if (raters < 2) return { kappa: null, reason: 'fewer than two raters per subject' };
  if (counts.some((row) => row.reduce((a, b) => a + b, 0) !== raters)) {
    throw new Error('Fleiss kappa needs the same number of raters for every subject');
  }
  const categories = counts[0]!.length;
  let agreement = 0;
  const share = new Array<number>(categories).fill(0);
  for (const row of counts) {
    agreement += (row.reduce((a, x) => a + x * x, 0) - raters) / (raters * (raters - 1));
    row.forEach((x, j) => (share[j]! += x / (subjects * raters)));
  }
  const observed = agreement / subjects;
  const expected = share.reduce((a, p) => a + p * p, 0);
  if (expected === 1) return { kappa: null, reason: 'every rating is in one category: no variation to agree on' };
  return { kappa: (observed - expected) / (1 - expected) };
}
