import type { Role, Turn } from '../transcript/model.js';

/** One indicator occurrence that survived every rule (negation, exclusion, roles, overlap). */
export interface Match {
  dimension: string;
  /** the indicator as written in the codebook: the phrase, or `regex:<pattern>` */
  indicator: string;
  /** 1-based line of the indicator in the codebook */
  indicatorLine: number;
  /** character offsets of the match in the turn text (UTF-16 code units, end exclusive) */
  start: number;
  end: number;
  /** the matched span of the turn text, as written */
  match: string;
  weight: number;
}

export interface CodedTurn extends Turn {
  /** number of word tokens, as written (contractions count once) */
  words: number;
  /** surviving matches per dimension id; every dimension of the codebook is present */
  counts: Record<string, number>;
  /** in text order */
  matches: Match[];
}

export interface CodedTranscript {
  id: string;
  source: string;
  turns: CodedTurn[];
}

export interface DimensionInfo {
  id: string;
  label: string;
}

/** One row of `--level summary`: a transcript × dimension (× role with --by-role). */
export interface SummaryRow {
  transcript: string;
  dimension: string;
  role?: Role;
  turns: number;
  coded_turns: number;
  matches: number;
  words: number;
  /** matches per 1,000 words; null when there are no words */
  per_1000_words: number | null;
}
