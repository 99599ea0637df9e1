export const ROLES = ['therapist', 'client', 'other'] as const;
export type Role = (typeof ROLES)[number];

export interface Turn {
  /** 1-based position in file order, or the value of the turn column of tabular input */
  turn: number;
  speaker: string;
  role: Role;
  text: string;
  /** times as written in the source (`00:01:23`), where the source has them */
  start?: string;
  end?: string;
  /** 1-based line where the turn starts in its file, for diagnostics */
  line?: number;
}

export interface Transcript {
  /** file name without directory and extension, or the transcript column's value */
  id: string;
  /** path of the file it was read from (`-` for stdin) */
  source: string;
  turns: Turn[];
}

/** A turn as a reader yields it, before roles are resolved. */
/** `role`: the speaker's role as the source states it (CHAT @Participants), if it does */
export type RawTurn = Omit<Turn, 'role'> & { role?: Role };

/**
 * Copies the optional fields of a turn (times, line) onto `to` where `from` has
 * them, so that a turn is copied field by field: V8 makes objects from a spread
 * (`{ ...turn }`) whose fields are slow to copy again, and coding copies every turn.
 */
export function withOptionalFields<T extends Pick<Turn, 'start' | 'end' | 'line'>>(from: Pick<Turn, 'start' | 'end' | 'line'>, to: T): T {
  if (from.start !== undefined) to.start = from.start;
  if (from.end !== undefined) to.end = from.end;
  if (from.line !== undefined) to.line = from.line;
  return to;
}
export interface RawTranscript {
  id: string;
  source: string;
  turns: RawTurn[];
}
