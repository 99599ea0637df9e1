import type { CodedTranscript, CodedTurn, DimensionInfo, SummaryRow } from './model.js';
import { ROLES, type Role } from '../transcript/model.js';

/**
 * One row per transcript × dimension, in codebook order; with `byRole`, one per
 * transcript × dimension × role, for the roles that occur in the transcript.
 */
export function summarise(
  t: CodedTranscript,
  dimensions: DimensionInfo[],
  byRole: boolean,
): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (!byRole) {
    for (const d of dimensions) rows.push(summariseTurns(t.id, d.id, t.turns));
    return rows;
  }
  const groups = ROLES.map((role) => ({ role, turns: t.turns.filter((turn) => turn.role === role) }))
    .filter((group) => group.turns.length > 0);
  for (const d of dimensions) {
    for (const { role, turns } of groups) rows.push(summariseTurns(t.id, d.id, turns, role));
  }
  return rows;
}

function summariseTurns(
  transcript: string,
  dimension: string,
  turns: CodedTurn[],
  role?: Role,
): SummaryRow {
  let coded = 0;
  let matches = 0;
  let words = 0;
  for (const turn of turns) {
    const count = turn.counts[dimension] ?? 0;
    if (count > 0) coded++;
    matches += count;
    words += turn.words;
  }
  return {
    transcript,
    dimension,
    ...(role ? { role } : {}),
    turns: turns.length,
    coded_turns: coded,
    matches,
    words,
    per_1000_words: rate(matches, words),
  };
}

/** Matches per 1,000 words, rounded to 3 decimals; null when there are no words to divide by. */
export function rate(matches: number, words: number): number | null {
  if (words === 0) return null;
  return Math.round((matches / words) * 1000 * 1000) / 1000;
}

/**
 * Sums rows of several transcripts into one row per dimension (× role), in the
 * order first seen, under the transcript id `transcript`. The rate is recomputed
 * from the sums, not averaged, so long transcripts weigh more.
 */
export function totals(rows: SummaryRow[], transcript: string): SummaryRow[] {
  const byKey = new Map<string, SummaryRow>();
  for (const row of rows) {
    const key = `${row.dimension}\u0000${row.role ?? ''}`;
    const sum = byKey.get(key);
    if (!sum) {
      byKey.set(key, { ...row, transcript });
      continue;
    }
    sum.turns += row.turns;
    sum.coded_turns += row.coded_turns;
    sum.matches += row.matches;
    sum.words += row.words;
  }
  const out = [...byKey.values()];
  for (const row of out) row.per_1000_words = rate(row.matches, row.words);
  return out;
}
