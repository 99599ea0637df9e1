/**
 * `relcode compare A B [C …]`: agreement between codings, per dimension, with
 * gates for CI. Reads the codings, compares, and finds the automatic matches
 * of the disagreeing turns so they can be shown highlighted.
 */
import { DEFAULT_CODEBOOK, loadCodebook } from '../codebook/load.js';
import { codeText, compileCodebook } from '../coding/tagger.js';
import { readCoding } from '../agreement/coding.js';
import { compareCodings, POOLED, type Comparison } from '../agreement/compare.js';
import { fail, type Report } from '../diagnostics.js';
import type { Role } from '../transcript/model.js';
import type { Span } from '../output/table.js';

export interface CompareCommandOptions {
  files: string[];
  dimensions?: string[];
  role?: Role;
  /** how many disagreements to keep, with their highlighted matches; 0 for none */
  disagreements: number;
  /** codebook whose matches are highlighted in the disagreements */
  codebook?: string;
  /** a turn-level coding that supplies the set of units */
  units?: string;
}

export interface ComparisonReport extends Comparison {
  /** the first N disagreements, each with the spans the codebook matches for its dimension */
  shown: (Comparison['disagreements'][number] & { spans: Span[] })[];
}

export async function runCompare(options: CompareCommandOptions, report: Report): Promise<ComparisonReport> {
  if (options.files.length < 2) fail('too-few-codings', { file: '<command line>' }, 'compare needs at least two codings', 'e.g. `relcode compare auto.csv human.csv`');
  if (options.files.filter((f) => f === '-').length > 1) fail('stdin-twice', { file: '<command line>' }, 'stdin (-) can be read only once', 'save one of the codings to a file');
  const codings = [];
  for (const file of options.files) codings.push(await readCoding(file));
  const units = options.units === undefined ? undefined : await readCoding(options.units);
  const comparison = compareCodings(codings, { dimensions: options.dimensions, role: options.role, units }, report);
  const picked = comparison.disagreements.slice(0, options.disagreements);
  const compiled = picked.some((d) => d.text) ? compileCodebook(await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK)) : undefined;
  const shown = picked.map((d) => {
    const role = (['therapist', 'client', 'other'] as const).find((r) => r === d.role) ?? 'other';
    const spans = compiled && d.text ? codeText(compiled, d.text, role).matches.filter((m) => m.dimension === d.dimension) : [];
    return { ...d, spans: spans.map((m) => ({ start: m.start, end: m.end })) };
  });
  return { ...comparison, shown };
}

export interface Gates {
  minKappa?: number;
  minF1?: number;
  minAlpha?: number;
}

/** Each dimension below a bar, in words; an undefined statistic cannot pass a bar. */
export function gateFailures(c: Comparison, gates: Gates): string[] {
  const out: string[] = [];
  for (const pair of c.pairs) {
    const which = c.pairs.length > 1 ? ` (${pair.a} vs ${pair.b})` : '';
    for (const row of pair.rows) {
      if (row.dimension === POOLED) continue;
      const check = (name: string, value: number | null, bar: number | undefined) => {
        if (bar === undefined) return;
        if (value === null) out.push(`${row.dimension}${which}: ${name} is undefined (${row.note ?? 'no variation'}), so it cannot reach ${bar}`);
        else if (value < bar) out.push(`${row.dimension}${which}: ${name} ${value.toFixed(3)} is below ${bar}`);
      };
      check('kappa', row.kappa, gates.minKappa);
      check('F1', row.f1, gates.minF1);
      check('alpha', row.alpha, gates.minAlpha);
    }
  }
  return out;
}
