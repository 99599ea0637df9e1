/**
 * Agreement between two or more codings of the same units, per dimension:
 * the unit is (transcript, turn), each dimension a present/absent code.
 * The set of units comes from the turn-level codings; a long coding only
 * lists coded units, and one that names a unit outside the set is an error.
 */
import { didYouMean } from '../codebook/load.js';
import { diagnostic, fail, type Report } from '../diagnostics.js';
import { gwetAC1 } from './ac1.js';
import { krippendorffAlpha } from './alpha.js';
import { binaryAgreement, type BinaryTable } from './binary.js';
import { splitUnitKey, type Coding } from './coding.js';
import { fleissKappa } from './fleiss.js';

export const POOLED = '_pooled';

/** One row of the pairwise table; column names are DESIGN.md's. */
export interface AgreementRow extends BinaryTable {
  dimension: string;
  units: number;
  a_coded: number;
  b_coded: number;
  agreement: number | null;
  kappa: number | null;
  kappa_se: number | null;
  kappa_low: number | null;
  kappa_high: number | null;
  alpha: number | null;
  ac1: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** why kappa (or alpha) is undefined */
  note?: string;
}

export interface Pairwise {
  a: string;
  b: string;
  rows: AgreementRow[];
}

/** Agreement of all codings at once (three or more). */
export interface OverallRow {
  dimension: string;
  codings: number;
  units: number;
  alpha: number | null;
  fleiss_kappa: number | null;
  note?: string;
}

export interface Disagreement {
  transcript: string;
  turn: number;
  speaker?: string;
  role?: string;
  dimension: string;
  /** what each coding said, in the order given */
  coded: boolean[];
  text?: string;
}

export interface Comparison {
  codings: string[];
  units: number;
  dimensions: string[];
  pairs: Pairwise[];
  overall?: OverallRow[];
  disagreements: Disagreement[];
}

export interface CompareOptions {
  /** restrict to these dimensions */
  dimensions?: string[];
  /** compare only the units whose role (from a turn-level coding) is this */
  role?: string;
  /** a turn-level coding that only supplies the units, when every coding compared is long */
  units?: Coding;
}

export function compareCodings(codings: Coding[], options: CompareOptions, report: Report): Comparison {
  const units = unitSet(codings, options.role, options.units);
  const dimensions = dimensionsOf(codings, options.dimensions, options.units?.dimensions ?? [], report);
  const isCoded = (c: Coding, unit: string, d: string) => c.coded.get(unit)?.has(d) ?? false;
  const names = codings.map((c) => c.file);

  const pairs: Pairwise[] = [];
  for (let i = 0; i < codings.length; i++) {
    for (let j = i + 1; j < codings.length; j++) {
      const rows = dimensions.map((d) => row(d, units.map((u) => [isCoded(codings[i]!, u, d), isCoded(codings[j]!, u, d)] as const)));
      const pooled = dimensions.flatMap((d) => units.map((u) => [isCoded(codings[i]!, u, d), isCoded(codings[j]!, u, d)] as const));
      pairs.push({ a: names[i]!, b: names[j]!, rows: [...rows, row(POOLED, pooled)] });
    }
  }

  const overall =
    codings.length > 2
      ? dimensions.map((d): OverallRow => {
          const votes = units.map((u) => codings.map((c) => isCoded(c, u, d)));
          const alpha = krippendorffAlpha(votes.map((v) => v.map((x) => (x ? 1 : 0))));
          const fleiss = fleissKappa(votes.map((v) => [v.filter(Boolean).length, v.filter((x) => !x).length]));
          const note = fleiss.reason ?? alpha.reason;
          return { dimension: d, codings: codings.length, units: units.length, alpha: alpha.alpha, fleiss_kappa: fleiss.kappa, ...(note ? { note } : {}) };
        })
      : undefined;

  const turns = codings.find((c) => c.turns)?.turns;
  const disagreements: Disagreement[] = [];
  for (const u of units) {
    for (const d of dimensions) {
      const coded = codings.map((c) => isCoded(c, u, d));
      if (coded.every((x) => x === coded[0])) continue;
      const info = turns?.get(u);
      disagreements.push({ ...splitUnitKey(u), ...(info?.speaker !== undefined ? { speaker: info.speaker } : {}), ...(info?.role !== undefined ? { role: info.role } : {}), dimension: d, coded, ...(info?.text !== undefined ? { text: info.text } : {}) });
    }
  }
  return { codings: names, units: units.length, dimensions, pairs, ...(overall ? { overall } : {}), disagreements };
}

function row(dimension: string, decisions: readonly (readonly [boolean, boolean])[]): AgreementRow {
  const t = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const [a, b] of decisions) t[a ? (b ? 'tp' : 'fp') : b ? 'fn' : 'tn']++;
  return agreementRow(dimension, t);
}

/** Every statistic of one binary table (B is the reference). */
export function agreementRow(dimension: string, t: BinaryTable): AgreementRow {
  const s = binaryAgreement(t);
  // For two coders with no missing values the coincidence matrix follows from the table.
  const alpha = krippendorffAlpha([
    ...Array.from({ length: t.tp }, () => [1, 1]),
    ...Array.from({ length: t.fp }, () => [1, 0]),
    ...Array.from({ length: t.fn }, () => [0, 1]),
    ...Array.from({ length: t.tn }, () => [0, 0]),
  ]);
  const ac1 = gwetAC1([
    [t.tp, t.fp],
    [t.fn, t.tn],
  ]);
  const note = s.kappa.reason ?? alpha.reason;
  return {
    dimension,
    units: s.units,
    a_coded: s.aCoded,
    b_coded: s.bCoded,
    agreement: s.agreement,
    kappa: s.kappa.kappa,
    kappa_se: s.kappa.se,
    kappa_low: s.kappa.low,
    kappa_high: s.kappa.high,
    alpha: alpha.alpha,
    ac1: ac1.ac1,
    precision: s.precision,
    recall: s.recall,
    f1: s.f1,
    ...t,
    ...(note ? { note } : {}),
  };
}

/** Units from the turn-level codings, which must agree; every unit of a long coding must be among them. */
function unitSet(codings: Coding[], role: string | undefined, extra: Coding | undefined): string[] {
  const full = [...(extra?.units ? [extra] : []), ...codings.filter((c) => c.units)];
  if (full.length === 0) {
    fail('no-unit-set', { file: codings.map((c) => c.file).join(', ') }, 'every coding is long (transcript,turn,dimension), so the uncoded turns are unknown',
      'give at least one turn-level coding, such as `relcode code … --level turn` output, which lists every turn, or pass one with --units FILE');
  }
  const base = full[0]!;
  for (const other of full.slice(1)) {
    for (const [x, y] of [[base, other], [other, base]] as const) {
      for (const u of x.units!) if (!y.units!.has(u)) missingUnit(u, x, y);
    }
  }
  for (const c of codings) for (const u of c.coded.keys()) if (!base.units!.has(u)) missingUnit(u, c, base);
  let units = [...base.units!];
  if (role !== undefined) {
    const roles = full.find((c) => c.turns && [...c.turns.values()].some((t) => t.role !== undefined))?.turns;
    if (!roles) fail('no-role-column', { file: base.file }, `--role ${role} needs a turn-level coding with a role column`, 'use `relcode code … --level turn` output');
    units = units.filter((u) => roles.get(u)?.role === role);
  }
  return units;
}

function missingUnit(unit: string, where: Coding, set: Coding): never {
  const { transcript, turn } = splitUnitKey(unit);
  return fail('unknown-unit', { file: where.file, line: where.lines.get(unit) }, `transcript "${transcript}" turn ${turn} is not among the units of ${set.file}`,
    'both codings must cover the same transcripts and turn numbers; check the transcript ids and whether turns are numbered from 0 or 1');
}

/** Every dimension any coding mentions (or those asked for); a side that never mentions one is all-absent, and says so. */
function dimensionsOf(codings: Coding[], wanted: string[] | undefined, order: string[], report: Report): string[] {
  const mentions = (c: Coding) => new Set(c.dimensions ?? [...c.coded.values()].flatMap((s) => [...s]));
  const mentioned = codings.map(mentions);
  // turn-level column order (the codebook's) first, then the order long codings mention them in
  const columns = [...order, ...codings.flatMap((c) => c.dimensions ?? [])];
  const all = [...new Set([...columns, ...mentioned.flatMap((m) => [...m])])].filter((d) => mentioned.some((m) => m.has(d)));
  if (wanted) {
    for (const d of wanted) {
      if (!all.includes(d)) {
        const guess = didYouMean(d, all);
        fail('unknown-dimension', { file: '<command line>' }, `no coding mentions dimension "${d}"${guess ? ` (did you mean "${guess}"?)` : ''}`, `dimensions: ${all.join(', ')}`);
      }
    }
  }
  const dimensions = wanted ?? all;
  codings.forEach((c, i) => {
    for (const d of dimensions) {
      if (!mentioned[i]!.has(d)) {
        report(diagnostic('warning', 'dimension-never-mentioned', { file: c.file }, `${c.file} never mentions dimension "${d}": it is all-absent on that side`, 'check the dimension id, or add its column to the coding'));
      }
    }
  });
  return dimensions;
}
