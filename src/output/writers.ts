/**
 * Streaming writers: records go out as they come (in chunks of about 64 KB),
 * so a corpus is never held in memory. Only the table view buffers,
 * because it must see every row to align the columns.
 *
 * A writer does not end `out`: the caller owns it (it is often stdout).
 */
import { renderRowsTable, type TableOptions } from './table.js';

import type { Format } from '../choices.js';
export type { Format };

export interface RowWriter {
  /** Values are picked by column name; null/undefined are empty cells (CSV/TSV) or null (JSON). */
  write(record: Record<string, unknown>): void;
  /** `records` records already encoded by `recordsEncoder` (on a worker thread), written as `write` would. */
  writeEncoded(bytes: Uint8Array, records: number): void;
  /**
   * Resolves once `out` has drained if a write found its buffer full. Await it
   * between transcripts to keep memory flat on a slow pipe; skipping it is safe.
   */
  drained(): Promise<void>;
  /** Writes what is left (the closing `]`, the table) and resolves after `out` flushed it. */
  end(): Promise<void>;
  /** After an error: writes the records held back, and nothing to close (no `]`, no table), so what came before the error is out. */
  abort(): Promise<void>;
}

export function createWriter(
  format: Format,
  columns: readonly string[],
  out: NodeJS.WritableStream,
  table: Partial<TableOptions> = {},
  cells: CellOptions = {},
): RowWriter {
  switch (format) {
    case 'csv':
      return delimitedWriter(columns, out, ',', !cells.raw);
    case 'tsv':
      return delimitedWriter(columns, out, '\t', !cells.raw);
    case 'json':
      return jsonWriter(columns, out, false);
    case 'jsonl':
      return jsonWriter(columns, out, true);
    case 'table':
      return tableWriter(columns, out, { color: table.color ?? false, width: table.width ?? 80 });
  }
}

export interface CellOptions {
  /** --raw-cells: write text cells as they are, without the formula guard */
  raw?: boolean;
}

/**
 * OWASP's rule against CSV (formula) injection, as csv-stringify's `escape_formulas`
 * applies it: a text cell starting with = + - @, a tab or a carriage return (or
 * their full-width forms) gets a leading `'`, so a spreadsheet shows it as text
 * instead of running it. Numbers are not text: -0.12 stays a number.
 */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u.test(value) ? `'${value}` : value;
}

/**
 * Writes to `out` in chunks of up to CHUNK bytes: text is encoded straight into
 * a buffer as it comes, about an eighth of the cost of encoding a 64 KB string built by
 * `+=` (a rope that must be flattened first). Tracks backpressure on `out` and
 * waits for it to flush.
 */
class Sink {
  private full = false;
  private buffer: Buffer | undefined;
  private used = 0;
  constructor(private readonly out: NodeJS.WritableStream) {}

  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.push();
      this.send(chunk);
      return;
    }
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + 3 * chunk.length > CHUNK) {
      this.push();
      if (3 * chunk.length > CHUNK) return this.send(chunk);
    }
    this.buffer ??= Buffer.allocUnsafe(CHUNK);
    this.used += this.buffer.write(chunk, this.used);
  }

  /** The buffered bytes go to `out`; the next write takes a new buffer, since `out` may hold on to this one. */
  private push(): void {
    if (this.used === 0) return;
    this.send(this.buffer!.subarray(0, this.used));
    this.buffer = undefined;
    this.used = 0;
  }

  private send(chunk: string | Uint8Array): void {
    if (!this.out.write(chunk)) this.full = true;
  }

  drained(): Promise<void> {
    // 'drain' may have fired before this was called; Node streams say so in writableNeedDrain.
    const state = this.out as { writableNeedDrain?: boolean; destroyed?: boolean };
    if (state.writableNeedDrain === false || state.destroyed === true) this.full = false;
    if (!this.full) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        this.full = false;
        if (err) reject(err);
        else resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
      this.out.on('close', done);
    });
  }

  /** Writes are flushed in order, so the callback of an empty write means all before it are out. */
  flush(): Promise<void> {
    this.push();
    return new Promise((resolve, reject) => {
      this.out.write('', (err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

/**
 * CSV (RFC 4180) and TSV: a header row, fields quoted only when they hold the
 * delimiter, a quote or a line break (`\n` or a lone `\r`), `""` for a quote.
 * Records end in `\n`, not RFC 4180's `\r\n`: R's read.csv, pandas and csv-parse
 * read both, and `\n` keeps shell tools (wc, diff, grep) honest.
 * TSV is quoted the same way rather than replacing tabs and line breaks in text:
 * nothing is lost, and pandas `read_csv(sep='\t')` and R `read.delim` read it.
 * The formula guard is on unless --raw-cells: see `escapeFormula`. It leaves
 * number cells alone, and relcode's own readers do not strip the quote again.
 *
 * The bytes are csv-stringify's with `escape_formulas`, `record_delimiter: '\n'`
 * and `quote_record_delimiter: true` (test/property/csv-equivalence.test.ts
 * checks them against it), written by hand because its stream cost about 8% of
 * a large coding run.
 */
function delimitedWriter(columns: readonly string[], out: NodeJS.WritableStream, delimiter: string, escapeFormulas: boolean): RowWriter {
  const sink = new Sink(out);
  const line = delimitedLine(delimiter, escapeFormulas);
  // the header row goes through `cell` too, as in csv-stringify; held until a record or the end,
  // so that a run failing before any record writes nothing
  let header = line(columns);
  const start = () => {
    if (header) sink.write(header);
    header = '';
  };
  return {
    write(record) {
      start();
      sink.write(line(columns.map((c) => record[c])));
    },
    writeEncoded(bytes) {
      start();
      sink.write(bytes);
    },
    drained: () => sink.drained(),
    end() {
      start();
      return sink.flush();
    },
    abort: () => sink.flush(),
  };
}

/** One CSV/TSV line: see `delimitedWriter`. */
function delimitedLine(delimiter: string, escapeFormulas: boolean): (values: readonly unknown[]) => string {
  const needsQuotes = delimiter === ',' ? /[",\n\r]/ : /["\t\n\r]/;
  const cell = (value: unknown): string => {
    // csv-stringify's default casts; a number never needs quotes or the guard
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    const text =
      typeof value === 'string' ? value
      : value === null || value === undefined || value === false ? ''
      : value === true ? '1'
      : value instanceof Date ? String(value.getTime())
      : typeof value === 'object' ? (JSON.stringify(value) ?? '')
      : unwritable(value);
    const guarded = escapeFormulas ? escapeFormula(text) : text;
    return needsQuotes.test(text) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
  };
  return (values) => values.map(cell).join(delimiter) + '\n';
}

export type StreamingFormat = Exclude<Format, 'table'>;

/** A transcript's records as UTF-8, as its writer's `writeEncoded` takes them (JSON objects joined by `,\n`). */
export function recordsEncoder(format: StreamingFormat, columns: readonly string[], cells: CellOptions = {}): (records: Record<string, unknown>[]) => Uint8Array {
  const encode = recordEncoder(format, columns, cells);
  const utf8 = new TextEncoder();
  return (records) => utf8.encode(records.map(encode).join(format === 'json' ? ',\n' : ''));
}

/**
 * A record as the text its format's writer puts out for it: a CSV/TSV or JSON
 * Lines line, or a JSON object (the writer adds the array's commas). Workers
 * encode their records with it, so only text crosses to the main thread.
 */
function recordEncoder(format: StreamingFormat, columns: readonly string[], cells: CellOptions = {}): (record: Record<string, unknown>) => string {
  if (format === 'json' || format === 'jsonl') {
    const object = (record: Record<string, unknown>) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, record[c] ?? null])));
    return format === 'jsonl' ? (record) => object(record) + '\n' : object;
  }
  const line = delimitedLine(format === 'csv' ? ',' : '\t', !cells.raw);
  return (record) => line(columns.map((c) => record[c]));
}

/** Bytes held back before one write to `out`. */
const CHUNK = 64 * 1024;

/** csv-stringify refuses a symbol or a function in a cell; so do we, at once rather than at end(). */
function unwritable(value: unknown): never {
  throw new TypeError(`cannot write a ${typeof value} as a CSV cell`);
}

/** JSON: one array, written as it goes (`[`, records joined by `,\n`, `]`). JSONL: one object a line. */
function jsonWriter(columns: readonly string[], out: NodeJS.WritableStream, lines: boolean): RowWriter {
  const sink = new Sink(out);
  const encode = recordEncoder(lines ? 'jsonl' : 'json', columns);
  let started = false;
  const separator = () => {
    const text = started ? ',\n' : '[\n';
    started = true;
    return text;
  };
  return {
    write: (record) => sink.write(lines ? encode(record) : separator() + encode(record)),
    writeEncoded(bytes, records) {
      if (records === 0) return;
      // JSON: the records come joined by `,\n`; the separator before the first is ours
      if (!lines) sink.write(separator());
      sink.write(bytes);
    },
    drained: () => sink.drained(),
    async end() {
      if (!lines) sink.write(started ? '\n]\n' : '[]\n');
      await sink.flush();
    },
    abort: () => sink.flush(),
  };
}

function tableWriter(columns: readonly string[], out: NodeJS.WritableStream, options: TableOptions): RowWriter {
  const sink = new Sink(out);
  const records: Record<string, unknown>[] = [];
  return {
    write: (record) => void records.push(record),
    writeEncoded: () => {
      throw new Error('the table view takes records, not encoded text');
    },
    drained: () => Promise.resolve(),
    async end() {
      sink.write(renderRowsTable(columns, records, options));
      await sink.flush();
    },
    abort: () => Promise.resolve(),
  };
}
