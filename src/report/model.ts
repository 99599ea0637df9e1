/**
 * What `relcode report` shows, as plain data: built from the coded transcripts
 * one at a time (src/report/collect.ts), then drawn (src/report/page.ts).
 * Only aggregates, per-turn flags for a few timelines and the top excerpts are kept.
 */
import type { AgreementRow } from '../agreement/compare.js';
import type { Excerpt } from '../output/table.js';
import type { Role } from '../transcript/model.js';

/** Counts over some turns of one transcript; `matches` and `coded` are per dimension, in codebook order. */
export interface Tally {
  turns: number;
  words: number;
  matches: number[];
  /** turns coded for the dimension */
  coded: number[];
}

export interface TranscriptSummary {
  id: string;
  source: string;
  all: Tally;
  byRole: Record<Role, Tally>;
}

/** Which turns of one transcript are coded for which dimension, in turn order. */
export interface Timeline {
  id: string;
  /** the turn numbers as the source gives them (AnnoMI counts from 0) */
  turnNumbers: Int32Array;
  /** index into ROLES of each turn */
  roles: Uint8Array;
  /** coded flags, turn-major: dimension d of turn i is bit (d % 8) of byte i * stride + (d >> 3) */
  flags: Uint8Array;
  stride: number;
}

export function isCoded(t: Timeline, turn: number, dimension: number): boolean {
  return ((t.flags[turn * t.stride + (dimension >> 3)] ?? 0) & (1 << (dimension & 7))) !== 0;
}

/** A turn where the codebook and the human coder disagree on one dimension. */
export interface DisagreementExcerpt extends Excerpt {
  dimension: string;
  auto: boolean;
  human: boolean;
}

export interface AgreementData {
  /** the human coding's file */
  human: string;
  shape: 'long' | 'turn';
  /** transcripts compared */
  transcripts: number;
  /** their turns; each dimension is compared on the turns of its roles (its row's `units`) */
  units: number;
  /** per compared dimension, the roles the codebook codes it for: the turns it is compared on */
  roles: Record<string, Role[]>;
  /** per dimension, human codes on turns of other roles, left out of the comparison */
  outside: Record<string, number>;
  /** one row per compared dimension, then `_pooled` when there are several */
  rows: AgreementRow[];
  /** codebook dimensions the human coding does not decide on */
  notCompared: string[];
  /** a turn-level human coding: transcripts read that it does not cover, left out of the comparison */
  leftOut: string[];
  /** a long human coding: transcripts read that it never names, so every turn counts as not coded */
  uncoded: string[];
  disagreements: { total: number; shown: DisagreementExcerpt[] };
}

export interface ReportDimension {
  id: string;
  label: string;
  definition: string;
}

export interface ReportData {
  codebook: { name: string; version: string; file: string };
  tool: { name: string; version: string };
  /** ISO date (YYYY-MM-DD) the report was made */
  date: string;
  dimensions: ReportDimension[];
  files: number;
  transcripts: TranscriptSummary[];
  /** the first few transcripts' timelines */
  timelines: Timeline[];
  /** how many timelines were left out by the cap */
  timelinesOmitted: number;
  /** per dimension id, best first */
  excerpts: Record<string, Excerpt[]>;
  redacted: boolean;
  agreement?: AgreementData;
}
