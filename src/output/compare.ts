import { Chalk } from 'chalk';
import type { ComparisonReport } from '../commands/compare.js';
import type { AgreementRow, OverallRow } from '../agreement/compare.js';
import { highlightWindow, renderRowsTable, sanitise } from './table.js';

/** DESIGN.md's columns, plus the kappa SE and a note on undefined statistics. */
export const AGREEMENT_COLUMNS = [
  'dimension', 'units', 'a_coded', 'b_coded', 'agreement', 'kappa', 'kappa_se', 'kappa_low', 'kappa_high',
  'alpha', 'ac1', 'precision', 'recall', 'f1', 'tp', 'fp', 'fn', 'tn', 'note',
] as const;
export const OVERALL_COLUMNS = ['dimension', 'codings', 'units', 'alpha', 'fleiss_kappa', 'note'] as const;

/** Statistics rounded to 4 decimals for CSV and the table; JSON keeps full precision. */
export function agreementRecord(row: AgreementRow | OverallRow, digits = 4): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(digits)) : v;
  return out;
}

/** Short headers, so the table fits a terminal: A and B coded, agreement, kappa and its CI, alpha, AC1, P, R, F1. */
const TABLE_COLUMNS = ['dimension', 'units', 'A', 'B', 'agree', 'kappa', '95% CI', 'alpha', 'AC1', 'P', 'R', 'F1', 'note'];

function tableRecord(row: AgreementRow): Record<string, unknown> {
  const f = (x: number | null) => (x === null ? null : x.toFixed(3));
  return {
    dimension: row.dimension,
    units: row.units,
    A: row.a_coded,
    B: row.b_coded,
    agree: f(row.agreement),
    kappa: f(row.kappa),
    '95% CI': row.kappa_low === null ? null : `${f(row.kappa_low)}–${f(row.kappa_high)}`,
    alpha: f(row.alpha),
    AC1: f(row.ac1),
    P: f(row.precision),
    R: f(row.recall),
    F1: f(row.f1),
    note: row.note ?? '',
  };
}

export function renderComparison(r: ComparisonReport, options: { color: boolean; width: number }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [c.bold(`${r.units} units, ${r.dimensions.length} dimensions, ${r.codings.length} codings`)];
  r.codings.forEach((f, i) => out.push(c.dim(`  ${String.fromCharCode(65 + i)} = ${f === '-' ? '- (stdin)' : f}`)));
  out.push(c.dim('  kappa: Cohen, with its 95% CI; precision, recall and F1 take B as the reference'), '');
  for (const pair of r.pairs) {
    if (r.pairs.length > 1) out.push(c.bold(`${pair.a} vs ${pair.b}`));
    out.push(renderRowsTable(TABLE_COLUMNS, pair.rows.map(tableRecord), options));
  }
  if (r.overall) {
    out.push(c.bold(`All ${r.codings.length} codings`));
    out.push(renderRowsTable([...OVERALL_COLUMNS], r.overall.map((row) => agreementRecord(row, 3)), options));
  }
  if (r.shown.length) {
    const legend = options.color ? 'Codebook matches are highlighted.' : 'Codebook matches are shown **like this**.';
    out.push(c.bold(`Disagreements (${r.shown.length} of ${r.disagreements.length})`), c.dim(legend), '');
    for (const d of r.shown) {
      const sides = d.coded.map((x, i) => `${String.fromCharCode(65 + i)} ${x ? 'coded' : 'not coded'}`).join(', ');
      out.push(`${sanitise(d.transcript)} #${d.turn}${d.speaker ? ` ${sanitise(d.speaker)}` : ''}${d.role ? ` (${d.role})` : ''}  ${c.bold(d.dimension)}: ${sides}`);
      if (d.text !== undefined) out.push(`  ${highlightWindow(d.text, d.spans, Math.max(40, options.width) - 2, c, options.color)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
