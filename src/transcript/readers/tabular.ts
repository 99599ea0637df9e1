import { Readable, pipeline } from 'node:stream';
import type { CsvError, InfoRecord, Options } from 'csv-parse';
import { diagnostic, fail, InputError, type Report } from '../../diagnostics.js';
import { requirePackage } from '../../packages.js';
import type { RawTranscript, RawTurn } from '../model.js';

/** Column (or JSONL field) names set by `--transcript-col --turn-col --speaker-col --text-col`. */
export interface ColumnNames {
  transcript?: string;
  turn?: string;
  speaker?: string;
  text?: string;
}

export type Field = 'transcript' | 'turn' | 'speaker' | 'text' | 'start' | 'end';

/** Common names, in order of preference, compared by `normaliseName`. */
export const FIELD_NAMES: Record<Field, string[]> = {
  text: ['text', 'utterance_text', 'utterance', 'content', 'turn_text', 'message', 'transcript_text', 'body'],
  speaker: ['speaker', 'interlocutor', 'speaker_label', 'participant', 'who', 'role', 'author'],
  transcript: [
    'transcript', 'transcript_id', 'session', 'session_id', 'document', 'doc_id', 'file',
    'conversation_id', 'dialog_id',
  ],
  turn: ['turn', 'turn_id', 'turn_number', 'utterance_id', 'utterance_number', 'line_id', 'seq'],
  start: ['start', 'start_time', 'timestamp', 'begin', 'time'],
  end: ['end', 'end_time', 'stop'],
};

const FLAG: Record<keyof ColumnNames, string> = {
  transcript: '--transcript-col',
  turn: '--turn-col',
  speaker: '--speaker-col',
  text: '--text-col',
};

/** Case-insensitive, ignoring `_`, `-` and spaces. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Finds each field among `names` (a header, or an object's keys): the `columns` option
 * first, else the first common name present. Returns indexes into `names`.
 * An option naming an absent column (or JSONL field) → `unknown-column` at `line`.
 */
export function findFields(
  names: string[],
  columns: ColumnNames,
  file: string,
  line: number,
  kind: 'column' | 'field' = 'column',
): Partial<Record<Field, number>> {
  const norm = names.map(normaliseName);
  const found: Partial<Record<Field, number>> = {};
  const taken = new Set<number>();
  for (const field of Object.keys(FLAG) as (keyof ColumnNames)[]) {
    const wanted = columns[field];
    if (wanted === undefined) continue;
    let at = names.indexOf(wanted);
    if (at < 0) at = norm.indexOf(normaliseName(wanted));
    if (at < 0) {
      fail(
        'unknown-column',
        { file, line },
        `${FLAG[field]} "${wanted}": no such ${kind}`,
        `the ${kind}s are: ${names.join(', ')}`,
      );
    }
    found[field] = at;
    taken.add(at);
  }
  for (const field of Object.keys(FIELD_NAMES) as Field[]) {
    if (found[field] !== undefined) continue;
    for (const candidate of FIELD_NAMES[field]) {
      const at = norm.indexOf(normaliseName(candidate));
      if (at >= 0 && !taken.has(at)) {
        found[field] = at;
        taken.add(at);
        break;
      }
    }
  }
  return found;
}

/** Parses a turn-number cell; pandas writes `3.0`, so integral decimals are accepted. */
export function parseTurnNumber(value: string): number | undefined {
  const s = value.trim();
  if (s === '' || !/^[+-]?\d+(\.0*)?$/.test(s)) return undefined;
  return Number(s);
}

export interface Row {
  transcript?: string;
  turn?: string;
  speaker: string;
  text: string;
  start?: string;
  end?: string;
  line: number;
}

/**
 * Groups rows into transcripts, yielding each as soon as the next begins, so only one
 * transcript is held. Shared by the tabular and JSONL readers.
 */
export class TranscriptGrouper {
  private current: RawTranscript | undefined;
  private currentTurns = new Set<number>();
  private done = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly fileId: string,
    private readonly turnFlag: string,
  ) {}

  /** Adds a row; returns the transcript it completed, if any. */
  add(row: Row): RawTranscript | undefined {
    const { file } = this;
    const id = row.transcript === undefined ? this.fileId : row.transcript.trim();
    if (id === '') {
      fail('empty-transcript-id', { file, line: row.line }, 'the transcript cell is empty',
        'give every row its transcript id, or set --transcript-col');
    }
    let completed: RawTranscript | undefined;
    if (!this.current || this.current.id !== id) {
      if (this.done.has(id)) {
        fail(
          'transcript-not-contiguous',
          { file, line: row.line },
          `rows of transcript "${id}" start again after other transcripts`,
          'sort the rows by transcript, keeping the turn order within each',
        );
      }
      completed = this.current;
      if (completed) this.done.add(completed.id);
      this.current = { id, source: this.source, turns: [] };
      this.currentTurns.clear();
    }
    const turns = this.current.turns;
    let turn = turns.length + 1;
    if (row.turn !== undefined) {
      const n = parseTurnNumber(row.turn);
      if (n === undefined) {
        fail('bad-turn-number', { file, line: row.line }, `turn "${row.turn}" is not an integer`,
          `the turn column must hold whole numbers; point ${this.turnFlag} at another column`);
      }
      if (this.currentTurns.has(n)) {
        fail('duplicate-turn', { file, line: row.line }, `turn ${n} appears twice in transcript "${id}"`,
          `turn numbers must be unique within a transcript; fix them or point ${this.turnFlag} at another column`);
      }
      turn = n;
    }
    this.currentTurns.add(turn);
    const t: RawTurn = { turn, speaker: row.speaker.trim(), text: row.text, line: row.line };
    const start = row.start?.trim();
    const end = row.end?.trim();
    if (start) t.start = start;
    if (end) t.end = end;
    turns.push(t);
    return completed;
  }

  /** The last transcript, or undefined when no row was added. */
  finish(): RawTranscript | undefined {
    const last = this.current;
    this.current = undefined;
    return last;
  }
}

export interface TabularReadOptions {
  file: string;
  source: string;
  /** id used when there is no transcript column */
  id: string;
  delimiter: ',' | '\t';
  columns: ColumnNames;
}

const CSV_HINTS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed; check for a stray `"` in this row',
  CSV_INVALID_CLOSING_QUOTE: 'a `"` inside a quoted cell must be doubled (`""`)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted cell must end right after its closing `"`',
  INVALID_OPENING_QUOTE: 'a cell that contains `"` must be quoted as a whole, with the inner `"` doubled',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'every row needs as many cells as the header; quote cells that contain the delimiter',
};

const newlines = (cells: string[]): number => cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);

/**
 * Streams CSV/TSV rows (one row per turn) into transcripts.
 * `content` should use `\n` line ends (read.ts normalises them) for exact line numbers.
 */
export async function* readTabular(
  content: string | AsyncIterable<string> | Iterable<string>,
  options: TabularReadOptions,
  report: Report,
): AsyncGenerator<RawTranscript> {
  const { file } = options;
  // loaded here, not at the top: `relcode code` imports this module for every input, and most are text
  const { parse } = requirePackage('csv-parse') as typeof import('csv-parse');
  // Line bookkeeping from on_record, which runs synchronously per record, so a parse error
  // can name the line where the failing row starts.
  let lastEnd = 0;
  let emptyAtLastEnd = 0;
  const parser = parse({
    delimiter: options.delimiter,
    bom: true,
    // TSV cells often hold unbalanced quotes in speech (`He said "no`); CSV quoting stays strict
    relax_quotes: options.delimiter === '\t',
    relax_column_count: false,
    skip_empty_lines: true,
    // csv-parse types on_record as string[] → string[]; we return {cells, line} instead.
    on_record: ((cells: string[], ctx: InfoRecord) => {
      lastEnd = ctx.lines;
      emptyAtLastEnd = ctx.empty_lines;
      return { cells, line: ctx.lines - newlines(cells) };
    }) as unknown as Options['on_record'],
  });
  const input = typeof content === 'string' ? Readable.from([content]) : Readable.from(content);
  pipeline(input, parser, () => {
    // errors surface through the parser's iterator
  });

  let header: string[] | undefined;
  let fields: Partial<Record<Field, number>> = {};
  let grouper: TranscriptGrouper | undefined;
  let blank = { count: 0, first: 0 };
  let rows = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ cells: string[]; line: number }>) {
      const { cells, line } = rec;
      if (!header) {
        header = cells;
        fields = findFields(header, options.columns, file, line);
        requireField(fields, 'text', header, file, line);
        requireField(fields, 'speaker', header, file, line);
        grouper = new TranscriptGrouper(file, options.source, options.id, FLAG.turn);
        continue;
      }
      if (cells.every((c) => c.trim() === '')) {
        // spreadsheets leave rows of empty cells at the end
        if (blank.count === 0) blank = { count: 0, first: line };
        blank.count++;
        continue;
      }
      const cell = (f: Field) => (fields[f] === undefined ? undefined : cells[fields[f]]);
      const row: Row = { speaker: cell('speaker') ?? '', text: cell('text') ?? '', line };
      for (const f of ['transcript', 'turn', 'start', 'end'] as const) {
        const v = cell(f);
        if (v !== undefined) row[f] = v;
      }
      rows++;
      const completed = grouper!.add(row);
      if (completed) yield completed;
    }
  } catch (err) {
    if (isCsvError(err)) throw csvError(err, file, options.delimiter, lastEnd, emptyAtLastEnd);
    throw err;
  }
  if (!header) fail('empty-transcript', { file }, 'the file is empty', 'give a header row and one row per turn');
  if (blank.count > 0) {
    report({
      ...diagnostic('warning', 'empty-row', { file, line: blank.first }, `skipped ${blank.count} row${blank.count === 1 ? '' : 's'} with every cell empty`),
      skipped: blank.count,
    });
  }
  const last = grouper!.finish();
  if (rows === 0 || !last) {
    fail('no-turns', { file }, 'the file has a header but no rows', 'add one row per turn under the header');
  }
  yield last;
}

function requireField(
  fields: Partial<Record<Field, number>>,
  field: 'text' | 'speaker',
  header: string[],
  file: string,
  line: number,
): void {
  if (fields[field] !== undefined) return;
  fail(
    field === 'text' ? 'no-text-column' : 'no-speaker-column',
    { file, line },
    `no ${field} column found`,
    `the columns are: ${header.join(', ')}; name the ${field} column with ${FLAG[field]} NAME`,
  );
}

function isCsvError(err: unknown): err is CsvError {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

/** The failing row starts after the last good one and any empty lines between them. */
function csvError(err: CsvError, file: string, delimiter: string, lastEnd: number, emptyAtLastEnd: number) {
  const empty = typeof err.empty_lines === 'number' ? err.empty_lines - emptyAtLastEnd : 0;
  const line = lastEnd + 1 + Math.max(0, empty);
  const kind = delimiter === '\t' ? 'TSV' : 'CSV';
  const reason = err.message.replace(/\s*(at|on) line \d+.*$/s, '');
  const hint = CSV_HINTS[err.code] ?? `check the quoting of the ${kind} near this line`;
  return new InputError([diagnostic('error', 'bad-csv', { file, line }, `${kind} row cannot be read: ${reason}`, hint)]);
}
