/**
 * `relcode merge`: the outputs of `code --shard K/N` runs → exactly what one
 * run would have written. One run writes its files in input order, and file i
 * went to shard (i mod N) + 1, so the merge takes file blocks round-robin from
 * the shards: file 0 from shard 1, file 1 from shard 2, … Each shard's
 * FILE.shard.json says how many records each of its files wrote. Records are
 * copied as written (raw CSV records, JSON lines), never re-formatted, so the
 * bytes are the same; only one header and JSON's `[`, `,` and `]` are rebuilt.
 */
import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { diagnostic, fail, InputError, type Report } from '../diagnostics.js';
import { INDEX_SUFFIX, indexPath, readShardIndex, shardSize, type ShardIndex } from './shard.js';

export const MERGE_FORMATS = ['csv', 'tsv', 'json', 'jsonl'] as const;
export type MergeFormat = (typeof MERGE_FORMATS)[number];

export interface MergeOptions {
  files: string[];
  /** the shard outputs' format (default: by extension, then content); `table` is refused */
  format?: MergeFormat | 'table';
}

export interface MergeResult {
  format: MergeFormat;
  shards: number;
  files: number;
  records: number;
}

interface Shard {
  path: string;
  index: ShardIndex;
  format: MergeFormat;
}

const TABLE_HINT = 'write the shards with --format csv (or tsv, json, jsonl), merge those, and view the result in any CSV tool';

export async function runMerge(options: MergeOptions, out: NodeJS.WritableStream, report: Report): Promise<MergeResult> {
  // an index given by a glob such as out/turns.* is not a shard itself
  const paths = options.files.filter((f) => !f.endsWith(INDEX_SUFFIX));
  if (paths.length === 0) {
    fail('no-input', { file: '<command line>' }, 'no shard outputs given', 'e.g. `relcode merge out/turns.*.csv -o turns.csv`');
  }
  const given = options.format;
  if (given === 'table') fail('cannot-merge-table', { file: '<command line>' }, 'the table format cannot be merged', TABLE_HINT);
  // one at a time, so a problem is reported for the first bad file given
  const shards: Shard[] = [];
  for (const path of paths) shards.push(await openShard(path, given));
  const bySlot = checkShards(shards);
  const first = shards[0]!;

  const writer = bufferedWriter(out);
  const readers = bySlot.map((s) => ({ shard: s, records: recordsOf(s), next: 0 }));
  if (first.format === 'csv' || first.format === 'tsv') {
    const header = await Promise.all(readers.map((r) => r.records.next()));
    header.forEach((h, k) => {
      if (h.done) fail('not-a-shard-output', { file: readers[k]!.shard.path }, 'is empty', 'a shard output always has its header; run that shard again');
      if (h.value !== header[0]!.value) {
        fail('headers-differ', { file: readers[k]!.shard.path, line: 1 }, `its header differs from the header of ${readers[0]!.shard.path}`, 'merge only outputs of one `relcode code` run, with the same --level, --by-role and codebook');
      }
    });
    await writer.write(header[0]!.value as string);
  }

  const json = first.format === 'json';
  let written = 0;
  for (let i = 0; i < first.index.files; i++) {
    const reader = readers[i % bySlot.length]!;
    const count = reader.shard.index.records[reader.next++]!;
    for (let n = 0; n < count; n++) {
      const r = await reader.records.next();
      if (r.done) mismatch(reader.shard, 'fewer');
      await writer.write(json ? `${written === 0 ? '[\n' : ',\n'}${r.value}` : r.value);
      written++;
    }
  }
  for (const reader of readers) if (!(await reader.records.next()).done) mismatch(reader.shard, 'more');
  if (json) await writer.write(written === 0 ? '[]\n' : '\n]\n');
  await writer.end();

  report(diagnostic('info', 'merged', { file: 'relcode' },
    `merged ${bySlot.length} shard${bySlot.length === 1 ? '' : 's'} of ${plural(first.index.files, 'input file')}: ${plural(written, 'record')}`));
  return { format: first.format, shards: bySlot.length, files: first.index.files, records: written };
}

async function openShard(path: string, given: MergeFormat | undefined): Promise<Shard> {
  const info = await stat(path).catch(() => undefined);
  if (!info) fail('file-not-found', { file: path }, 'no such file', 'check the path; globs must be quoted or expanded by the shell');
  if (info.isDirectory()) fail('not-a-file', { file: path }, 'is a directory', 'give the shard output files, e.g. out/turns.*.csv');
  const index = await readShardIndex(path);
  if (!index) {
    fail('no-shard-index', { file: path }, `has no shard index (${indexPath(path)})`,
      'merge takes the outputs of `relcode code … --shard K/N -o FILE`, which writes FILE.shard.json beside FILE');
  }
  if (index.format === 'table') fail('cannot-merge-table', { file: path }, 'the table format cannot be merged', TABLE_HINT);
  const format = given ?? fromExtension(path) ?? fromContent(await head(path));
  if (!format) fail('unknown-format', { file: path }, 'cannot tell the format of this file', 'name it .csv, .tsv, .json or .jsonl, or give --format');
  if (format !== index.format) {
    fail('format-mismatch', { file: path }, `reads as ${format}, but its shard index says ${index.format}`, 'the file and its .shard.json do not belong together; run that shard again');
  }
  return { path, index, format };
}

/** Checks that the shards are one complete run; returns them in shard order. */
function checkShards(shards: Shard[]): Shard[] {
  const first = shards[0]!;
  const same = 'merge the shards of one `relcode code` run: the same inputs, --level, --format and codebook';
  for (const s of shards) {
    if (s.format !== first.format) {
      fail('mixed-formats', { file: s.path }, `is ${s.format}, but ${first.path} is ${first.format}`, 'write every shard in one format (--format), then merge');
    }
    if (s.index.level !== first.index.level) {
      fail('headers-differ', { file: s.path }, `is --level ${s.index.level}, but ${first.path} is --level ${first.index.level}`, same);
    }
    if (s.index.columns.join('\0') !== first.index.columns.join('\0')) {
      fail('headers-differ', { file: s.path }, `its columns differ from those of ${first.path}`, same);
    }
    if (s.index.of !== first.index.of || s.index.files !== first.index.files || s.index.inputs !== first.index.inputs) {
      fail('shards-differ', { file: s.path },
        `is shard ${s.index.shard}/${s.index.of} of ${plural(s.index.files, 'input file')}, but ${first.path} is shard ${first.index.shard}/${first.index.of} of ${plural(first.index.files, 'input file')}${s.index.of === first.index.of && s.index.files === first.index.files ? ' (other inputs)' : ''}`,
        same);
    }
  }
  const of = first.index.of;
  const bySlot: (Shard | undefined)[] = Array.from({ length: of }, () => undefined);
  for (const s of shards) {
    const k = s.index.shard;
    if (k < 1 || k > of || s.index.records.length !== shardSize(s.index.files, { index: k, count: of })) {
      fail('bad-shard-index', { file: indexPath(s.path) }, `does not fit shard ${k}/${of} of ${plural(s.index.files, 'input file')}`, 'run that shard again');
    }
    const taken = bySlot[k - 1];
    if (taken) fail('duplicate-shard', { file: s.path }, `is shard ${k}/${of}, and so is ${taken.path}`, 'give each shard once');
    bySlot[k - 1] = s;
  }
  const missing = bySlot.flatMap((s, k) => (s ? [] : [`${k + 1}/${of}`]));
  if (missing.length > 0) {
    fail('missing-shard', { file: '<command line>' }, `${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} missing`,
      'give the output of every shard; a shard without files still writes one, with only the header');
  }
  return bySlot as Shard[];
}

function fromExtension(path: string): MergeFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.tsv' || ext === '.tab' ? 'tsv' : ext === '.json' ? 'json' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : undefined;
}

function fromContent(text: string): MergeFormat | undefined {
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'jsonl';
  const line = start.split('\n', 1)[0] ?? '';
  if (line.includes('\t')) return 'tsv';
  if (line.includes(',')) return 'csv';
  return undefined;
}

async function head(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(4096), position: 0 });
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

function mismatch(shard: Shard, what: 'fewer' | 'more'): never {
  return fail('shard-mismatch', { file: shard.path }, `holds ${what} records than its shard index says`,
    'the file and its .shard.json do not belong together (or the file was cut short); run that shard again');
}

/**
 * A shard's records as written, each with its line end: for CSV/TSV the header
 * first, then the raw records (a text cell may hold line breaks); for JSON and
 * JSONL one record a line (JSON.stringify never writes a raw line break).
 */
function recordsOf(shard: Shard): AsyncIterator<string> {
  switch (shard.format) {
    case 'csv':
    case 'tsv':
      return delimitedRecords(shard.path, shard.format === 'csv' ? ',' : '\t');
    case 'json':
      return jsonRecords(shard.path);
    case 'jsonl':
      return jsonlRecords(shard.path);
  }
}

async function* delimitedRecords(path: string, delimiter: string): AsyncGenerator<string> {
  const parser = parse({ delimiter, raw: true, record_delimiter: '\n' });
  pipeline(createReadStream(path), parser, () => undefined);
  try {
    for await (const r of parser as AsyncIterable<{ raw: string }>) yield r.raw;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    fail('not-a-shard-output', { file: path, ...(e.lines ? { line: e.lines } : {}) }, `cannot be read as ${delimiter === ',' ? 'CSV' : 'TSV'}: ${e.message}`,
      'merge takes files written by `relcode code … --shard K/N -o FILE`, unchanged');
  }
}

async function* lines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      rest += decoder.decode(chunk as Buffer, { stream: true });
      let from = 0;
      for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n', from)) {
        yield { text: rest.slice(from, nl), line: ++line };
        from = nl + 1;
      }
      rest = rest.slice(from);
    }
    rest += decoder.decode();
  } catch (err) {
    if (err instanceof TypeError) fail('not-a-shard-output', { file: path, line: line + 1 }, 'is not UTF-8 text', 'merge takes files written by `relcode code`, unchanged');
    throw err;
  }
  if (rest) yield { text: rest, line: ++line };
}

function notJson(path: string, line: number, what: string): never {
  return fail('not-a-shard-output', { file: path, line }, `is not relcode ${what} output here`,
    'merge takes files written by `relcode code … --shard K/N -o FILE`, unchanged');
}

/** `[`, then records each ending in `,` but the last, then `]`; or `[]` alone. */
async function* jsonRecords(path: string): AsyncGenerator<string> {
  let state: 'start' | 'records' | 'end' = 'start';
  let pending: { record: string; comma: boolean } | undefined;
  for await (const { text, line } of lines(path)) {
    if (state === 'start') {
      if (text === '[]') state = 'end';
      else if (text === '[') state = 'records';
      else notJson(path, line, 'JSON');
    } else if (state === 'records') {
      if (pending && !pending.comma) {
        if (text !== ']') notJson(path, line, 'JSON');
        yield pending.record;
        pending = undefined;
        state = 'end';
        continue;
      }
      if (pending) yield pending.record;
      const comma = text.endsWith('},');
      if (!text.startsWith('{') || !(comma || text.endsWith('}'))) notJson(path, line, 'JSON');
      pending = { record: comma ? text.slice(0, -1) : text, comma };
    } else notJson(path, line, 'JSON');
  }
  if (state !== 'end') notJson(path, 1, 'JSON');
}

async function* jsonlRecords(path: string): AsyncGenerator<string> {
  for await (const { text, line } of lines(path)) {
    if (!text.startsWith('{') || !text.endsWith('}')) notJson(path, line, 'JSONL');
    yield `${text}\n`;
  }
}

/** Collects small writes into larger ones and waits when `out` is full. */
function bufferedWriter(out: NodeJS.WritableStream) {
  let buffer = '';
  const flush = async () => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  return {
    async write(s: string) {
      buffer += s;
      if (buffer.length >= 1 << 16) await flush();
    },
    async end() {
      await flush();
      await new Promise<void>((resolve, reject) => out.write('', (err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
