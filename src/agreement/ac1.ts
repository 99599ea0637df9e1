/**
 * Gwet's AC1 for two coders (Gwet 2008): chance agreement from the average
 * category shares, so it stays stable when a code is rare, where kappa collapses.
 * `table[i][j]`: units coder A put in category i and coder B in category j.
 */
export interface AC1 {
  ac1: number | null;
  reason?: string;
}

export function gwetAC1(table: readonly (readonly number[])[]): AC1 {
  const q = table.length;
  const n = table.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  if (n === 0) return { ac1: null, reason: 'no units' };
  if (q < 2) return { ac1: null, reason: 'fewer than two categories' };
  let observed = 0;
  let chance = 0;
  for (let k = 0; k < q; k++) {
    observed += table[k]![k]! / n;
    const share = (table[k]!.reduce((a, b) => a + b, 0) + table.reduce((a, row) => a + row[k]!, 0)) / (2 * n);
    chance += share * (1 - share);
  }
  chance /= q - 1;
  return { ac1: (observed - chance) / (1 - chance) };
}
