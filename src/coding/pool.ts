/**
 * Codes files on worker threads and hands back what they give, file by file,
 * in input order, so the output is the same as coding them one after another.
 * The main thread reads nothing: it hands out file paths (a file is the unit of
 * work) and receives plain data. Each worker holds a few files at a time, so it
 * never waits for the main thread between two small files. Results that arrive
 * early wait in a buffer; no file is handed out more than QUEUE × jobs files
 * ahead of the one being written, so memory stays flat however long the run.
 */
import { Worker } from 'node:worker_threads';
import { InputError, type Diagnostic } from '../diagnostics.js';
import type { ReadOptions } from '../transcript/read.js';
import type { Role } from '../transcript/model.js';
import type { Level } from '../choices.js';
import type { StreamingFormat } from '../output/writers.js';
import type { CodedTranscript } from './model.js';

/** What each worker needs to code files the way `runCode` does; cloned into it once. */
export interface WorkerSetup {
  codebook: string;
  read: Omit<ReadOptions, 'rolePatterns'>;
  roles: Record<string, Role>;
  /** given, the worker posts each transcript's records encoded as UTF-8, not the coded transcript */
  render?: RenderSetup;
}

/** How a worker turns a coded transcript into output text: the records of `runCode`'s writer, encoded. */
export interface RenderSetup {
  level: Level;
  format: StreamingFormat;
  byRole: boolean;
  rawCells: boolean;
  /** --redact, with its --names file */
  redact?: { names?: string };
}

/** main → worker */
export interface Job {
  file: number;
  path: string;
}

/** An error as plain data; an InputError keeps its diagnostics. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  diagnostics?: Diagnostic[];
}

export type PoolEvent =
  | { kind: 'transcript'; file: number; transcript: CodedTranscript }
  /** a transcript's records, encoded; with its counts for the totals */
  | { kind: 'encoded'; file: number; bytes: Uint8Array; records: number; turns: number; codedTurns: number }
  | { kind: 'diagnostic'; file: number; diagnostic: Diagnostic }
  | { kind: 'done'; file: number };

/** worker → main */
export type Reply = PoolEvent | { kind: 'error'; file: number; error: WireError };

export interface PoolOptions {
  jobs: number;
  setup: WorkerSetup;
  /** the compiled worker script (default: worker.js beside this file, in dist/) */
  workerUrl?: URL;
  /** called as each file is handed to a worker (tests watch the buffer bound with it) */
  onDispatch?: (file: number) => void;
}

interface Slot {
  events: PoolEvent[];
  done: boolean;
  error?: Error;
}

/**
 * Yields every file's events (its diagnostics and coded transcripts, as the
 * worker produced them, then `done`) in input order. An error in a file is
 * thrown when that file's turn comes, after the events before it, exactly
 * where coding in-process would have thrown; later files are not written.
 * The workers are terminated when the generator finishes, throws or is left.
 */
/**
 * A worker's heap. V8 sizes a heap's growth by its limit, and a worker's default
 * limit follows the machine's memory: on 24 GiB, two workers held about 40 MB
 * more than with these limits, for no gain in speed. 512 MB still codes a
 * transcript of tens of megabytes.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 512 };

/** Files handed to one worker before it finished the first of them. */
export const QUEUE = 4;

export async function* codeInPool(paths: readonly string[], options: PoolOptions): AsyncGenerator<PoolEvent> {
  const size = Math.max(1, Math.min(options.jobs, paths.length));
  const ahead = QUEUE * size;
  const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
  const slots = new Map<number, Slot>();
  const held = new Map<Worker, number>(); // files handed to each worker and not yet finished
  let next = 0; // the file being yielded
  let handedOut = 0;
  let end = paths.length; // nothing after a failed file is handed out
  let fatal: Error | undefined;
  let closing = false;
  let wake: (() => void) | undefined;

  const dispatch = () => {
    while (handedOut < end && handedOut < next + ahead) {
      let worker: Worker | undefined;
      for (const [w, n] of held) if (n < QUEUE && (!worker || n < held.get(worker)!)) worker = w;
      if (!worker) return;
      const file = handedOut++;
      slots.set(file, { events: [], done: false });
      held.set(worker, held.get(worker)! + 1);
      options.onDispatch?.(file);
      worker.postMessage({ file, path: paths[file]! } satisfies Job);
    }
  };

  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(url, { workerData: options.setup, resourceLimits: WORKER_HEAP });
    worker.on('message', (r: Reply) => {
      const slot = slots.get(r.file);
      if (!slot) return;
      if (r.kind === 'error') {
        slot.error = revive(r.error);
        end = Math.min(end, r.file + 1);
        held.set(worker, held.get(worker)! - 1);
      } else if (r.kind === 'done') {
        slot.done = true;
        held.set(worker, held.get(worker)! - 1);
      } else slot.events.push(r);
      dispatch();
      wake?.();
    });
    worker.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        err.message = `a worker thread ran out of its ${WORKER_HEAP.maxOldGenerationSizeMb} MB heap, on one of files ${next + 1}–${handedOut}; code those with --jobs 1`;
      }
      fatal ??= err;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (closing) return;
      fatal ??= new Error(`a worker thread stopped unexpectedly (exit code ${code})`);
      wake?.();
    });
    return worker;
  });

  try {
    for (const w of workers) held.set(w, 0);
    for (; next < end; next++) {
      dispatch();
      const slot = slots.get(next)!;
      let i = 0;
      for (;;) {
        if (fatal) throw fatal;
        if (i < slot.events.length) {
          yield slot.events[i++]!;
          continue;
        }
        // caught up: drop what was yielded, so a long file does not pile up
        slot.events.length = 0;
        i = 0;
        if (slot.error) throw slot.error;
        if (slot.done) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      slots.delete(next);
      yield { kind: 'done', file: next };
    }
  } finally {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export function toWire(err: unknown): WireError {
  if (err instanceof InputError) return { name: err.name, message: err.message, diagnostics: err.diagnostics };
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}), ...(code ? { code } : {}) };
}

function revive(w: WireError): Error {
  if (w.diagnostics) return new InputError(w.diagnostics);
  const err = new Error(w.message);
  err.name = w.name;
  if (w.stack) err.stack = w.stack;
  if (w.code) (err as NodeJS.ErrnoException).code = w.code;
  return err;
}
