/**
 * `relcode code`: read → turns → code → aggregate → write, one transcript at a time.
 * Writes data to `out` only; every diagnostic goes through `report`.
 * With jobs > 1 and several files, this thread and jobs − 1 workers code the
 * files, and this thread writes their results in input order: the output is the same.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { loadCodebook, DEFAULT_CODEBOOK } from '../codebook/load.js';
import { summarise } from '../coding/aggregate.js';
import { codeTranscript } from '../coding/code.js';
import type { CodedTranscript, DimensionInfo, SummaryRow } from '../coding/model.js';
import { compileCodebook } from '../coding/tagger.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { codedTurns, columnsFor, transcriptRecords } from '../output/rows.js';
import { ExcerptCollector, renderSummaryTable } from '../output/table.js';
import { createWriter, type Format } from '../output/writers.js';
import type { QdpxSink } from '../output/qdpx.js';
import { expandInputs, readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';
import type { Role } from '../transcript/model.js';

import type { Level } from '../choices.js';
import type { Shard, ShardIndex } from './shard.js';

export interface CodeOptions {
  inputs: string[];
  codebook?: string;
  level: Level;
  format: Format | 'qdpx';
  /** with format qdpx: a selection per coded turn, or per match */
  qdpxUnit?: 'turn' | 'match';
  byRole: boolean;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
  /** excerpts per dimension in the table view */
  excerpts: number;
  color: boolean;
  width: number;
  /** --redact: identifiers replaced in every text written (coding still runs on the original); `names`: a --names file */
  redact?: { names?: string };
  /** --raw-cells: CSV/TSV text cells starting with = + - @ are written as they are, not prefixed with ' */
  rawCells?: boolean;
  /**
   * worker threads; 1, or a single file, codes in this thread. Default: the
   * number of cores, but at most one per 512 KB of input.
   */
  jobs?: number;
  /** code only this shard of the input files (file i goes to shard i mod N + 1) */
  shard?: Shard;
  /** called as transcripts and files are done, e.g. for a progress bar */
  onProgress?: (p: CodeProgress) => void;
}

export interface CodeProgress {
  files: number;
  filesDone: number;
  transcripts: number;
  turns: number;
}

export interface CodeTotals {
  files: number;
  transcripts: number;
  turns: number;
  codedTurns: number;
  /** input rows or lines that readers left out, each reported as a warning */
  skipped: number;
  /** with a shard: what `merge` needs, written beside the output */
  shardIndex?: ShardIndex;
}

export async function runCode(options: CodeOptions, out: NodeJS.WritableStream, reportTo: Report): Promise<CodeTotals> {
  const codebookFile = options.codebook ?? DEFAULT_CODEBOOK;
  const codebook = await loadCodebook(codebookFile);
  // loaded only for --redact, to keep start-up light
  const redaction = options.redact ? await import('../redact/transcript.js') : undefined;
  const names = redaction && options.redact?.names !== undefined ? await redaction.readNamesFile(options.redact.names) : [];
  const written = (t: CodedTranscript) => (redaction ? redaction.redactTranscript(t, names) : t);
  const dimensions: DimensionInfo[] = codebook.dimensions.map((d) => ({ id: d.id, label: d.label }));
  const inputs = await expandInputs(options.inputs);
  // loaded only for --shard and for worker threads, like redaction
  const sharding = options.shard ? await import('./shard.js') : undefined;
  const files = options.shard && sharding ? sharding.pickShard(inputs, options.shard) : inputs;
  const readOptions: ReadOptions = { ...options.read, rolePatterns: codebook.roles };
  const sink =
    options.format === 'qdpx'
      ? qdpxSink((await import('../output/qdpx.js')).createQdpxSink(codebook, options.qdpxUnit ?? 'turn'), out)
      : createSink({ ...options, format: options.format }, dimensions, out);
  const totals: CodeTotals = { files: files.length, transcripts: 0, turns: 0, codedTurns: 0, skipped: 0 };
  const report: Report = (d) => {
    totals.skipped += d.skipped ?? 0;
    reportTo(d);
  };
  if (options.shard && files.length === 0) {
    const { index, count: of } = options.shard;
    report(diagnostic('warning', 'empty-shard', { file: '<command line>' },
      `shard ${index}/${of} has no files: the inputs are ${count(inputs.length, 'file')}, and file i goes to shard i mod ${of} + 1`,
      'the output holds no rows (only the header); `relcode merge` takes it like any other shard'));
  }

  // records written per file: `merge` puts shards back together by them
  const records: number[] = [];
  let fileRecords = 0;
  let filesDone = 0;
  const progress = () => options.onProgress?.({ files: files.length, filesDone, transcripts: totals.transcripts, turns: totals.turns });
  const counted = (turns: number, coded: number) => {
    totals.transcripts++;
    totals.turns += turns;
    totals.codedTurns += coded;
  };
  const add = async (coded: CodedTranscript) => {
    counted(coded.turns.length, codedTurns(coded));
    fileRecords += await sink.add(written(coded));
    progress();
  };
  const fileDone = () => {
    records.push(fileRecords);
    fileRecords = 0;
    filesDone++;
    progress();
  };

  try {
    const jobs = options.jobs ?? (await defaultJobs(files));
    if (jobs > 1 && files.length > 1 && !files.includes('-')) {
      // with a streaming format, workers send their records as text: less to copy, and little left for this thread
      const render = sink.addEncoded && options.format !== 'qdpx' && options.format !== 'table'
        ? { level: options.level, format: options.format, byRole: options.byRole, rawCells: options.rawCells ?? false, ...(options.redact ? { redact: options.redact } : {}) }
        : undefined;
      const setup = { codebook: codebookFile, read: options.read, roles: options.roles, ...(render ? { render } : {}) };
      const { codeInPool } = await import('../coding/pool.js');
      for await (const e of codeInPool(files, { jobs, setup, codebook })) {
        if (e.kind === 'diagnostic') report(e.diagnostic);
        else if (e.kind === 'transcript') await add(e.transcript);
        else if (e.kind === 'encoded') {
          counted(e.turns, e.codedTurns);
          fileRecords += await sink.addEncoded!(e.bytes, e.records);
          progress();
        } else fileDone();
      }
    } else {
      const compiled = compileCodebook(codebook);
      for (const file of files) {
        for await (const raw of readTranscripts(file, readOptions, report)) {
          await add(codeTranscript(compiled, resolveRoles(raw, codebook.roles, options.roles, report)));
        }
        fileDone();
      }
    }
  } catch (err) {
    // what was coded before the error goes out, whether one thread or workers wrote it
    await sink.abort?.().catch(() => undefined);
    throw err;
  }
  await sink.end();
  report(
    diagnostic('info', 'totals', { file: 'relcode' },
      `coded ${count(totals.turns, 'turn')} in ${count(totals.transcripts, 'transcript')}; ` +
        `${count(totals.codedTurns, 'turn')} coded for at least one dimension; ` +
        `${count(totals.skipped, 'input row or line', 'input rows or lines')} skipped${totals.skipped ? ' (see the warnings above)' : ''}`),
  );
  if (options.shard && sharding && options.format !== 'qdpx') {
    totals.shardIndex = {
      relcode: 'shard-index',
      version: 1,
      shard: options.shard.index,
      of: options.shard.count,
      files: inputs.length,
      inputs: sharding.fingerprint(inputs),
      level: options.level,
      format: options.format,
      columns: columnsFor(options.level, options.byRole, dimensions),
      records,
    };
  }
  return totals;
}

/** Input bytes below which one more coding thread costs more to start (a worker loads modules and the codebook) than it saves. */
const BYTES_PER_THREAD = 512 * 1024;

/** Without --jobs: a coding thread per core, but no more than one per BYTES_PER_THREAD of input. */
async function defaultJobs(files: string[]): Promise<number> {
  const cores = availableParallelism();
  let bytes = 0;
  for (const file of files) {
    if (file !== '-') bytes += (await stat(file).catch(() => undefined))?.size ?? 0;
    if (bytes >= cores * BYTES_PER_THREAD) return cores;
  }
  return Math.max(1, Math.floor(bytes / BYTES_PER_THREAD));
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

interface Sink {
  /** resolves to the number of records written for the transcript */
  add(t: CodedTranscript): Promise<number>;
  /** the same for records encoded on a worker (streaming formats only) */
  addEncoded?(bytes: Uint8Array, records: number): Promise<number>;
  end(): Promise<void>;
  /** after an error: what was coded before it goes out (the summary table and QDPX write nothing) */
  abort?(): Promise<void>;
}

function qdpxSink(qdpx: QdpxSink, out: NodeJS.WritableStream): Sink {
  return {
    add: async (t) => {
      qdpx.add(t);
      return 0;
    },
    end: async () => {
      out.write(qdpx.end());
    },
  };
}

function createSink(options: CodeOptions & { format: Format }, dimensions: DimensionInfo[], out: NodeJS.WritableStream): Sink {
  const table = { color: options.color, width: options.width };
  if (options.level === 'summary' && options.format === 'table') {
    // The summary view needs every transcript's rows and the best excerpts: both stay small.
    const rows: SummaryRow[] = [];
    const excerpts = new ExcerptCollector(dimensions, options.excerpts);
    return {
      add: async (t) => {
        const own = summarise(t, dimensions, options.byRole);
        rows.push(...own);
        excerpts.add(t);
        return own.length;
      },
      end: async () => {
        out.write(renderSummaryTable(rows, excerpts.result(), dimensions, { ...table, byRole: options.byRole }));
      },
    };
  }
  const columns = columnsFor(options.level, options.byRole, dimensions);
  const writer = createWriter(options.format, columns, out, table, { raw: options.rawCells });
  const records = transcriptRecords(options.level, options.byRole, dimensions);
  return {
    add: async (t) => {
      const rows = records(t);
      for (const r of rows) writer.write(r);
      await writer.drained();
      return rows.length;
    },
    addEncoded: async (bytes, n) => {
      writer.writeEncoded(bytes, n);
      await writer.drained();
      return n;
    },
    end: () => writer.end(),
    abort: () => writer.abort(),
  };
}

/** 9,699: grouped by hand, because toLocaleString loads ICU data (about 10 ms at start-up). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
