/**
 * Agreement with a human coding, built while the transcripts stream by: the
 * codebook's coding of each turn goes into an in-memory turn-level `Coding`,
 * which `compareCodings` compares with the human one.
 *
 * Units: a turn-level human coding says which turns it covers, so transcripts
 * it lacks are left out; a long one lists only coded turns, so a transcript it
 * never names counts as coded for nothing. Each dimension is compared on the
 * turns of the roles the codebook codes it for (empathy: therapist turns), as
 * `relcode compare --role` would: turns it can never code would only add
 * agreement by construction. Human codes on other roles' turns are counted and
 * shown, not hidden.
 *
 * The text of a turn is kept only when it is among the first disagreements shown.
 */
import type { BinaryTable } from '../agreement/binary.js';
import { agreementRow, compareCodings, POOLED, type AgreementRow } from '../agreement/compare.js';
import { splitUnitKey, unitKey, type Coding } from '../agreement/coding.js';
import type { CodedTranscript } from '../coding/model.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { ROLES, type Role } from '../transcript/model.js';
import type { AgreementData, DisagreementExcerpt } from './model.js';

/** The automatic coding's name in messages about units. */
export const AUTO_CODING = 'the coded transcripts';

export interface ComparedDimension {
  id: string;
  /** the roles the codebook codes it for */
  roles: Role[];
}

export class AgreementCollector {
  private readonly auto: Coding;
  private readonly named: Set<string>;
  /** the codebook's dimensions the human coding decides on, in codebook order */
  private readonly compared: ComparedDimension[];
  /** turn-level coding: transcripts read that it does not cover */
  private readonly leftOut: string[] = [];
  /** long coding: transcripts read that it never names */
  private readonly uncoded: string[] = [];
  /** per dimension: human codes on turns of roles the codebook does not code it for */
  private readonly outside = new Map<string, number>();
  private readonly shown: DisagreementExcerpt[] = [];

  constructor(
    private readonly human: Coding,
    private readonly dimensions: ComparedDimension[],
    private readonly maxShown: number,
  ) {
    const units = human.units ?? new Set(human.coded.keys());
    this.named = new Set([...units].map((u) => splitUnitKey(u).transcript));
    const decided = new Set(human.dimensions ?? [...human.coded.values()].flatMap((s) => [...s]));
    this.compared = dimensions.filter((d) => decided.has(d.id));
    const ids = dimensions.map((d) => d.id);
    this.auto = { file: AUTO_CODING, shape: 'turn', coded: new Map(), dimensions: ids, units: new Set(), lines: new Map(), turns: new Map() };
  }

  add(t: CodedTranscript): void {
    if (!this.named.has(t.id)) {
      if (this.human.units) {
        this.leftOut.push(t.id);
        return;
      }
      this.uncoded.push(t.id);
    }
    for (const turn of t.turns) {
      const key = unitKey(t.id, turn.turn);
      this.auto.units!.add(key);
      this.auto.turns!.set(key, { role: turn.role });
      const coded = this.dimensions.filter((d) => (turn.counts[d.id] ?? 0) > 0).map((d) => d.id);
      if (coded.length) this.auto.coded.set(key, new Set(coded));
      const human = this.human.coded.get(key);
      // same order as compareCodings: units as read, then dimensions
      for (const d of this.compared) {
        const byHuman = human?.has(d.id) ?? false;
        if (!d.roles.includes(turn.role)) {
          if (byHuman) this.outside.set(d.id, (this.outside.get(d.id) ?? 0) + 1);
          continue;
        }
        const auto = (turn.counts[d.id] ?? 0) > 0;
        if (auto === byHuman || this.shown.length >= this.maxShown) continue;
        this.shown.push({
          transcript: t.id,
          turn: turn.turn,
          speaker: turn.speaker,
          role: turn.role,
          text: turn.text,
          spans: turn.matches.filter((m) => m.dimension === d.id).map((m) => ({ start: m.start, end: m.end })),
          dimension: d.id,
          auto,
          human: byHuman,
        });
      }
    }
  }

  /** Compares; throws an InputError when the codings do not cover the same turns. */
  result(report: Report): AgreementData {
    this.warn(report);
    const base = {
      human: this.human.file,
      shape: this.human.shape,
      notCompared: this.dimensions.filter((d) => !this.compared.includes(d)).map((d) => d.id),
      leftOut: this.leftOut,
      uncoded: this.uncoded,
      transcripts: new Set([...this.auto.units!].map((u) => splitUnitKey(u).transcript)).size,
      units: this.auto.units!.size,
      roles: Object.fromEntries(this.compared.map((d) => [d.id, d.roles])),
      outside: Object.fromEntries(this.outside),
    };
    if (this.compared.length === 0) {
      report(diagnostic('warning', 'empty-coding', { file: this.human.file }, 'the human coding codes no dimension of the codebook, so there is no agreement to show',
        'a long coding lists coded units as transcript,turn,dimension rows'));
      return { ...base, rows: [], disagreements: { total: 0, shown: [] } };
    }
    const ids = this.compared.map((d) => d.id);
    // over every turn first: a human unit that is not a turn read is an error that names it
    compareCodings([this.auto, this.human], { dimensions: ids }, report);

    const groups = new Map<string, ComparedDimension[]>();
    for (const d of this.compared) {
      const key = ROLES.filter((r) => d.roles.includes(r)).join(',');
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    const rows: AgreementRow[] = [];
    let pooled: AgreementRow | undefined;
    let total = 0;
    for (const group of groups.values()) {
      const roles = group[0]!.roles;
      const keep = new Set([...this.auto.units!].filter((u) => roles.includes(this.auto.turns!.get(u)!.role as Role)));
      const dims = group.map((d) => d.id);
      const c = compareCodings([restrict(this.auto, keep, dims), restrict(this.human, keep, dims)], { dimensions: dims }, () => {});
      const pair = c.pairs[0]!;
      rows.push(...pair.rows.filter((r) => r.dimension !== POOLED));
      pooled = pair.rows.find((r) => r.dimension === POOLED);
      total += c.disagreements.length;
    }
    rows.sort((a, b) => ids.indexOf(a.dimension) - ids.indexOf(b.dimension));
    if (groups.size > 1) pooled = pooledRow(rows);
    // with one dimension the pooled row would repeat it
    if (rows.length > 1 && pooled) rows.push(pooled);
    return { ...base, rows, disagreements: { total, shown: this.shown } };
  }

  private warn(report: Report): void {
    const some = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
    const n = (ids: string[]) => `${ids.length} transcript${ids.length === 1 ? '' : 's'}`;
    if (this.leftOut.length) {
      report(diagnostic('warning', 'uncovered-transcript', { file: this.human.file },
        `${n(this.leftOut)} read ${this.leftOut.length === 1 ? 'is' : 'are'} not in the turn-level human coding and left out of the agreement: ${some(this.leftOut)}`,
        'the agreement is computed on the turns the human coding covers'));
    }
    if (this.uncoded.length) {
      report(diagnostic('warning', 'uncoded-transcript', { file: this.human.file },
        `${n(this.uncoded)} read ${this.uncoded.length === 1 ? 'has' : 'have'} no coded turn in the human coding; every turn of ${this.uncoded.length === 1 ? 'it' : 'them'} counts as not coded: ${some(this.uncoded)}`,
        'if nobody coded them, leave them out of the inputs'));
    }
  }
}

/** The coding limited to some units and dimensions. */
function restrict(c: Coding, keep: Set<string>, dimensions: string[]): Coding {
  const coded = new Map<string, Set<string>>();
  for (const [unit, set] of c.coded) {
    if (!keep.has(unit)) continue;
    const own = new Set([...set].filter((d) => dimensions.includes(d)));
    if (own.size) coded.set(unit, own);
  }
  return {
    ...c,
    coded,
    ...(c.dimensions ? { dimensions: c.dimensions.filter((d) => dimensions.includes(d)) } : {}),
    ...(c.units ? { units: new Set([...c.units].filter((u) => keep.has(u))) } : {}),
  };
}

/** The `_pooled` row over every dimension × unit decision of the rows, as compareCodings makes it. */
export function pooledRow(rows: AgreementRow[]): AgreementRow {
  const t: BinaryTable = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const r of rows) for (const k of ['tp', 'fp', 'fn', 'tn'] as const) t[k] += r[k];
  return agreementRow(POOLED, t);
}
