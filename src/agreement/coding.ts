/**
 * A human coding read from CSV, in either shape DESIGN.md allows:
 *   long:       transcript,turn,dimension       one row per coded unit, only coded units
 *   turn-level: transcript,turn,…,<dims>,text   `code --level turn` output; a cell > 0 is coded
 * The shape is told by the header: a `dimension` column means long.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { didYouMean } from '../codebook/load.js';
import { diagnostic, fail, InputError, type Place } from '../diagnostics.js';

export type CodingShape = 'long' | 'turn';

export interface Coding {
  file: string;
  shape: CodingShape;
  /** unit key (see `unitKey`) → ids of the dimensions it is coded for */
  coded: Map<string, Set<string>>;
  /** the dimensions the coding decides on: the turn-level columns; for the long shape, undefined (all) */
  dimensions?: string[];
  /** turn-level shape only: every unit in the file, coded or not */
  units?: Set<string>;
  /** line of each unit's first row, for errors that name it */
  lines: Map<string, number>;
  /** turn-level shape: the speaker, role and text columns of each unit, where the file has them */
  turns?: Map<string, { speaker?: string; role?: string; text?: string }>;
}

export interface ReadCodingOptions {
  /** the codebook's dimension ids; others are an error with a did-you-mean */
  dimensions?: string[];
}

/** Columns of `code --level turn` that are not dimensions. */
const TURN_COLUMNS = ['transcript', 'turn', 'speaker', 'role', 'start', 'end', 'words', 'text'];

/** A unit is one turn of one transcript. */
export function unitKey(transcript: string, turn: number): string {
  return `${transcript}\u0000${turn}`;
}

export function splitUnitKey(key: string): { transcript: string; turn: number } {
  const at = key.lastIndexOf('\u0000');
  return { transcript: key.slice(0, at), turn: Number(key.slice(at + 1)) };
}

/** Reads a coding CSV; `-` is stdin, so `relcode code … --level turn | relcode compare - human.csv` works. */
export async function readCoding(file: string, options: ReadCodingOptions = {}): Promise<Coding> {
  if (file !== '-') {
    const info = await stat(file).catch(() => undefined);
    if (!info) fail('file-not-found', { file }, 'cannot read the coding: no such file', 'check the path of the coding CSV');
    if (info.isDirectory()) fail('not-a-file', { file }, 'the coding is a directory', 'give one CSV file');
  }
  const parser = (file === '-' ? process.stdin : createReadStream(file)).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      // each record with the line it starts on (a quoted cell may span lines)
      on_record: ((cells: string[], ctx: InfoRecord) => ({ cells, line: ctx.lines - newlines(cells) })) as unknown as Options['on_record'],
    }),
  );
  let reader: RowReader | undefined;
  try {
    for await (const { cells, line } of parser as AsyncIterable<{ cells: string[]; line: number }>) {
      if (!reader) reader = headerOf(cells, { file, line }, options);
      else reader.row(cells, line);
    }
  } catch (err) {
    if (isCsvError(err)) {
      throw new InputError([
        diagnostic('error', 'bad-csv', { file, ...(typeof err.lines === 'number' ? { line: err.lines } : {}) }, `CSV row cannot be read: ${err.message.replace(/\s*(at|on) line \d+.*$/s, '')}`,
          'every row needs as many cells as the header; quote cells that contain a comma, and double a `"` inside quotes'),
      ]);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') fail('unreadable-file', { file }, 'cannot read the coding: permission denied', 'check the file permissions');
    throw err;
  }
  if (!reader) fail('empty-coding', { file }, 'the coding is empty', 'start with a header row: transcript,turn,dimension');
  return reader.coding;
}

const newlines = (cells: string[]): number => cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);

function isCsvError(err: unknown): err is CsvError {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

interface RowReader {
  coding: Coding;
  row(cells: string[], line: number): void;
}

function headerOf(header: string[], place: Place & { line: number }, options: ReadCodingOptions): RowReader {
  const names = header.map((h) => h.trim().toLowerCase());
  const { file } = place;
  const column = (name: string) => names.indexOf(name);
  const missing = ['transcript', 'turn'].filter((c) => column(c) < 0);
  const long = column('dimension') >= 0;
  if (missing.length) {
    fail('missing-column', place, `the coding has no ${missing.map((m) => `\`${m}\``).join(' or ')} column`,
      `the header must be \`transcript,turn,dimension\` (long) or that of \`relcode code --level turn\`; it is: ${header.join(',')}`);
  }
  const t = column('transcript');
  const u = column('turn');
  const coding: Coding = { file, shape: long ? 'long' : 'turn', coded: new Map(), lines: new Map() };
  const known = options.dimensions;
  const checkDimension = (id: string, at: Place) => {
    if (!known || known.includes(id)) return;
    const guess = didYouMean(id, known);
    fail('unknown-dimension', at, `no dimension "${id}" in the codebook${guess ? ` (did you mean "${guess}"?)` : ''}`, `dimensions are: ${known.join(', ')}`);
  };
  const unit = (cells: string[], line: number): string => {
    const transcript = cells[t]!.trim();
    const turn = cells[u]!.trim();
    if (!transcript) fail('bad-unit', { file, line }, 'the transcript cell is empty', 'every row names its transcript (the id `relcode code` shows)');
    if (!/^\d+$/.test(turn)) fail('bad-unit', { file, line }, `turn "${turn}" is not a whole number`, 'turns are numbered as in `relcode code --level turn` output');
    const key = unitKey(transcript, Number(turn));
    if (!coding.lines.has(key)) coding.lines.set(key, line);
    return key;
  };
  const code = (key: string, dimension: string) => {
    const set = coding.coded.get(key);
    if (set) set.add(dimension);
    else coding.coded.set(key, new Set([dimension]));
  };

  if (long) {
    const d = column('dimension');
    return {
      coding,
      row(cells, line) {
        const key = unit(cells, line);
        const dimension = cells[d]!.trim();
        if (!dimension) fail('bad-unit', { file, line }, 'the dimension cell is empty', 'a long coding lists only coded units: one row per unit and dimension');
        checkDimension(dimension, { file, line, col: d + 1 });
        code(key, dimension);
      },
    };
  }

  const dims = names.map((name, i) => ({ name, i })).filter((c) => !TURN_COLUMNS.includes(c.name) && c.name !== '');
  if (dims.length === 0) {
    fail('missing-column', place, 'the coding has neither a `dimension` column nor dimension columns',
      'use `transcript,turn,dimension` (long) or `relcode code --level turn` output with one column per dimension');
  }
  for (const c of dims) checkDimension(c.name, { file, line: place.line, col: c.i + 1 });
  coding.dimensions = dims.map((c) => c.name);
  coding.units = new Set();
  const [speaker = -1, role = -1, text = -1] = ['speaker', 'role', 'text'].map(column);
  const turns = (coding.turns = new Map());
  const cell = (cells: string[], i: number) => (i >= 0 ? cells[i] : undefined);
  return {
    coding,
    row(cells, line) {
      const key = unit(cells, line);
      coding.units!.add(key);
      turns.set(key, { speaker: cell(cells, speaker), role: cell(cells, role), text: cell(cells, text) });
      for (const c of dims) {
        const cell = cells[c.i]!.trim();
        const n = cell === '' ? 0 : Number(cell);
        if (!Number.isFinite(n)) {
          fail('bad-cell', { file, line }, `the ${c.name} cell "${cell.slice(0, 20)}" is not a number`, 'a dimension cell holds a count of matches: 0 (or empty) means not coded, more means coded');
        }
        if (n > 0) code(key, c.name);
      }
    },
  };
}
