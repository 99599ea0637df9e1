/**
 * Codes files on `jobs` threads, the main thread and jobs − 1 workers, and
 * hands back what they give, file by file, in input order, so the output is
 * the same as coding them one after another. A file is the unit of work: the
 * main thread hands out file paths and receives plain data. Each worker holds
 * a few files at a time, so it never waits for the main thread between two
 * small files; the main thread codes a file itself whenever it would otherwise
 * wait for one. Results that arrive early wait in a buffer; no file is handed
 * out more than QUEUE × jobs files ahead of the one being written, so memory
 * stays flat however long the run.
 */
import { Worker } from 'node:worker_threads';
import type { Codebook } from '../codebook/model.js';
import { fileCoder } from './file-coder.js';
import { revive, type Job, type PoolEvent, type Reply, type WorkerSetup } from './wire.js';

export type { PoolEvent, WorkerSetup } from './wire.js';

/** Which thread a file is handed to. */
export type Coder = 'worker' | 'main';

export interface PoolOptions {
  jobs: number;
  setup: WorkerSetup;
  /** `setup.codebook`, already loaded in this thread */
  codebook?: Codebook;
  /** the compiled worker script (default: worker.js beside this file, in dist/) */
  workerUrl?: URL;
  /** called as each file is handed out, to a worker or to the main thread (tests watch the buffer bound with it) */
  onDispatch?: (file: number, coder: Coder) => void;
}

interface Slot {
  events: PoolEvent[];
  done: boolean;
  error?: Error;
}

/**
 * A worker's heap. V8 sizes a heap's growth by its limit, and a worker's default
 * limit follows the machine's memory: on 24 GiB, two workers held about 40 MB
 * more than with these limits, for no gain in speed. 512 MB still codes a
 * transcript of tens of megabytes.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 512 };

/** Files handed to one worker before it finished the first of them. */
export const QUEUE = 4;

/**
 * Yields every file's events (its diagnostics and coded transcripts, as its
 * coder produced them, then `done`) in input order. An error in a file is
 * thrown when that file's turn comes, after the events before it, exactly
 * where coding in-process would have thrown; later files are not written.
 * The workers are terminated when the generator finishes, throws or is left.
 */
export async function* codeInPool(paths: readonly string[], options: PoolOptions): AsyncGenerator<PoolEvent> {
  const workerCount = Math.max(1, Math.min(options.jobs - 1, paths.length - 1));
  const ahead = QUEUE * (workerCount + 1);
  const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
  const codeHere = fileCoder(options.setup, options.codebook);
  const slots = new Map<number, Slot>();
  const held = new Map<Worker, number>(); // files handed to each worker and not yet finished
  let next = 0; // the file being yielded
  let handedOut = 0;
  let end = paths.length; // nothing after a failed file is handed out
  let fatal: Error | undefined;
  let closing = false;
  let wake: (() => void) | undefined;

  const handOut = (coder: Coder): Job => {
    const file = handedOut++;
    slots.set(file, { events: [], done: false });
    options.onDispatch?.(file, coder);
    return { file, path: paths[file]! };
  };
  const canHandOut = () => handedOut < end && handedOut < next + ahead;

  const dispatch = () => {
    while (canHandOut()) {
      let worker: Worker | undefined;
      for (const [w, n] of held) if (n < QUEUE && (!worker || n < held.get(worker)!)) worker = w;
      if (!worker) return;
      held.set(worker, held.get(worker)! + 1);
      worker.postMessage(handOut('worker'));
    }
  };

  /** A reply from a worker, or from this thread's coder (`worker` undefined). */
  const receive = (r: Reply, worker?: Worker) => {
    const slot = slots.get(r.file);
    if (!slot) return;
    if (r.kind === 'error' || r.kind === 'done') {
      if (r.kind === 'error') {
        slot.error = revive(r.error);
        end = Math.min(end, r.file + 1);
      } else slot.done = true;
      if (worker) held.set(worker, held.get(worker)! - 1);
    } else slot.events.push(r);
    if (worker) dispatch();
    wake?.();
  };

  const workers = Array.from({ length: workerCount }, () => {
    const worker = new Worker(url, { workerData: options.setup, resourceLimits: WORKER_HEAP });
    worker.on('message', (r: Reply) => receive(r, worker));
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
      let i = 0;
      for (;;) {
        if (fatal) throw fatal;
        const slot = slots.get(next);
        // the workers are busy and this file is not ready: code the next one here rather than wait
        if (!slot || (i >= slot.events.length && !slot.done && !slot.error && canHandOut())) {
          await codeHere(handOut('main'), (r) => receive(r));
          continue;
        }
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
