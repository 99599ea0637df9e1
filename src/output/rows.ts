/**
 * Coded data → flat records with the column names and order fixed by DESIGN.md
 * ("Outputs"). Writers pick values by these column names, so a record's key
 * order does not matter, but the column lists do.
 *
 * Missing values are `null`: an empty cell in CSV/TSV, `null` in JSON.
 */
import type { Level } from '../choices.js';
import { summarise } from '../coding/aggregate.js';
import type { CodedTranscript, CodedTurn, DimensionInfo, SummaryRow } from '../coding/model.js';

export type OutputRecord = Record<string, unknown>;

export function summaryColumns(byRole: boolean): string[] {
  const counts = ['turns', 'coded_turns', 'matches', 'words', 'per_1000_words'];
  return ['transcript', 'dimension', ...(byRole ? ['role'] : []), ...counts];
}

/** A SummaryRow as a writer record (an interface is not assignable to a Record). */
export function summaryRecord(row: SummaryRow): OutputRecord {
  return { ...row, role: row.role ?? null };
}

export function turnColumns(dimensions: DimensionInfo[]): string[] {
  const head = ['transcript', 'turn', 'speaker', 'role', 'start', 'end', 'words'];
  return [...head, ...dimensions.map((d) => d.id), 'text'];
}

export function turnRecord(
  t: CodedTranscript,
  turn: CodedTurn,
  dimensions: DimensionInfo[],
): OutputRecord {
  const record: OutputRecord = {
    transcript: t.id,
    turn: turn.turn,
    speaker: turn.speaker,
    role: turn.role,
    start: turn.start ?? null,
    end: turn.end ?? null,
    words: turn.words,
  };
  for (const d of dimensions) record[d.id] = turn.counts[d.id] ?? 0;
  record.text = turn.text;
  return record;
}

export function matchColumns(): string[] {
  return ['transcript', 'turn', 'speaker', 'role', 'dimension', 'indicator', 'start', 'end', 'match', 'text'];
}

/** One record per match of the turn; `start`/`end` are offsets in the turn text, not times. */
export function matchRecords(t: CodedTranscript, turn: CodedTurn): OutputRecord[] {
  return turn.matches.map((m) => ({
    transcript: t.id,
    turn: turn.turn,
    speaker: turn.speaker,
    role: turn.role,
    dimension: m.dimension,
    indicator: m.indicator,
    start: m.start,
    end: m.end,
    match: m.match,
    text: turn.text,
  }));
}

export function columnsFor(level: Level, byRole: boolean, dimensions: DimensionInfo[]): string[] {
  return level === 'summary' ? summaryColumns(byRole) : level === 'turn' ? turnColumns(dimensions) : matchColumns();
}

/** A coded transcript's records at `level`, in the order they are written. */
export function transcriptRecords(level: Level, byRole: boolean, dimensions: DimensionInfo[]): (t: CodedTranscript) => OutputRecord[] {
  return (t) =>
    level === 'summary'
      ? summarise(t, dimensions, byRole).map(summaryRecord)
      : level === 'turn'
        ? t.turns.map((turn) => turnRecord(t, turn, dimensions))
        : t.turns.flatMap((turn) => matchRecords(t, turn));
}

/** Turns coded for at least one dimension. */
export function codedTurns(t: CodedTranscript): number {
  let coded = 0;
  for (const turn of t.turns) {
    for (const id in turn.counts) {
      if (turn.counts[id]! > 0) {
        coded++;
        break;
      }
    }
  }
  return coded;
}
