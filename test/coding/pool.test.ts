import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { codeTranscript } from '../../src/coding/code.js';
import { codeInPool, QUEUE, type Coder, type PoolEvent, type WorkerSetup } from '../../src/coding/pool.js';
import { compileCodebook } from '../../src/coding/tagger.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { SMALL_CODEBOOK } from '../helpers.js';
import { readTranscripts } from '../../src/transcript/read.js';
import { resolveRoles } from '../../src/transcript/roles.js';

// The pool runs from src/ here, its workers from the build (`npm test` runs tsc first).
const workerUrl = new URL('../../dist/coding/worker.js', import.meta.url);
const FIXTURES = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));
const read: WorkerSetup['read'] = { inputFormat: 'auto', columns: {} };
const bundled: WorkerSetup = { codebook: DEFAULT_CODEBOOK, read, roles: {} };
// Most cases use a small codebook: each worker loads its codebook, and the bundled one takes a while.
const SMALL = SMALL_CODEBOOK;
let small: WorkerSetup;

/** What coding the files one after another in this thread gives, as pool events; and the error, if any. */
async function inProcess(files: string[], setup = small): Promise<{ events: PoolEvent[]; error?: unknown }> {
  const codebook = await loadCodebook(setup.codebook);
  const compiled = compileCodebook(codebook);
  const events: PoolEvent[] = [];
  try {
    for (const [file, path] of files.entries()) {
      const report = (diagnostic: Diagnostic) => events.push({ kind: 'diagnostic', file, diagnostic });
      for await (const raw of readTranscripts(path, { ...setup.read, rolePatterns: codebook.roles }, report)) {
        events.push({ kind: 'transcript', file, transcript: codeTranscript(compiled, resolveRoles(raw, codebook.roles, setup.roles, report)) });
      }
      events.push({ kind: 'done', file });
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

async function pooled(files: string[], jobs: number, setup = small, onEvent?: (e: PoolEvent) => Promise<void> | void, onDispatch?: (file: number, coder: Coder) => void) {
  const events: PoolEvent[] = [];
  const terminate = vi.spyOn(Worker.prototype, 'terminate');
  try {
    for await (const e of codeInPool(files, { jobs, setup, workerUrl, ...(onDispatch ? { onDispatch } : {}) })) {
      events.push(e);
      await onEvent?.(e);
    }
    return { events };
  } catch (error) {
    return { events, error };
  } finally {
    // every worker (one fewer than jobs: the main thread codes too) was terminated, and had exited by the time the pool let go
    expect(terminate).toHaveBeenCalledTimes(Math.max(1, Math.min(jobs - 1, files.length - 1)));
    for (const worker of terminate.mock.contexts as Worker[]) expect(worker.threadId).toBe(-1);
    terminate.mockRestore();
  }
}

describe('codeInPool', () => {
  let files: string[];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relcode-pool-'));
    writeFileSync(join(dir, 'small.yaml'), SMALL);
    small = { codebook: join(dir, 'small.yaml'), read, roles: {} };
    // a speaker with no role and text before the first label: warnings that must come out in file order
    writeFileSync(join(dir, 'a-warnings.txt'), 'a preamble line\nTherapist: Welcome back.\nVisitor: It sounds like a plan.\nClient: I feel safe here.\n');
    files = [
      ...readdirSync(FIXTURES).filter((f) => f !== 'README.md').sort().map((f) => join(FIXTURES, f)),
      join(dir, 'a-warnings.txt'),
    ];
  });

  it('yields every file\'s diagnostics and transcripts in input order, as coding in this thread does', async () => {
    const expected = await inProcess(files, bundled);
    expect(expected.error).toBeUndefined();
    const got = await pooled(files, 2, bundled);
    expect(got.error).toBeUndefined();
    expect(got.events).toEqual(expected.events);
    expect(got.events.filter((e) => e.kind === 'done').map((e) => e.file)).toEqual(files.map((_, i) => i));
    expect(got.events.some((e) => e.kind === 'diagnostic')).toBe(true);
  });

  it('codes files on the main thread too, when it would otherwise wait: file QUEUE, right after the worker\'s first QUEUE', async () => {
    const coders: string[] = [];
    const expected = await inProcess(files);
    const got = await pooled(files, 2, small, undefined, (file, coder) => (coders[file] = coder));
    expect(got.error).toBeUndefined();
    expect(got.events).toEqual(expected.events);
    expect(coders.slice(0, QUEUE + 1)).toEqual([...Array<string>(QUEUE).fill('worker'), 'main']);
    expect(coders.length).toBe(files.length);
  });

  it('hands out no file more than QUEUE × jobs ahead of the one being yielded', async () => {
    let done = 0;
    let furthest = 0;
    const got = await pooled(
      files,
      2,
      small,
      async (e) => {
        if (e.kind !== 'done') return;
        done++;
        await new Promise((r) => setTimeout(r, 15)); // a slow writer
      },
      (file) => {
        furthest = Math.max(furthest, file);
        expect(file).toBeLessThan(done + QUEUE * 2);
      },
    );
    expect(got.error).toBeUndefined();
    expect(done).toBe(files.length);
    expect(furthest).toBe(files.length - 1);
  });

  // jobs 3: file 5 goes to a worker (two workers take 0–7); jobs 2: file QUEUE is the main thread's (see above)
  it.each([
    [3, 5, 'worker'],
    [2, QUEUE, 'main'],
  ])('with jobs %i, throws file %i\'s error (coded on the %s thread) in its place: the files before it first, none after, and the workers stop', async (jobs, bad, coder) => {
    writeFileSync(join(dir, 'bad.txt'), Buffer.from('Therapist: hello \xff there\n', 'latin1'));
    const withBad = [...files.slice(0, bad), join(dir, 'bad.txt'), ...files.slice(bad)];
    const expected = await inProcess(withBad);
    expect(expected.error).toBeInstanceOf(InputError);
    const coders: string[] = [];
    const got = await pooled(withBad, jobs, small, undefined, (file, c) => (coders[file] = c));
    expect(coders[bad]).toBe(coder);
    expect(got.error).toBeInstanceOf(InputError);
    expect((got.error as InputError).diagnostics).toEqual((expected.error as InputError).diagnostics);
    expect((got.error as InputError).message).toBe((expected.error as InputError).message);
    expect(got.events).toEqual(expected.events);
    expect(got.events.every((e) => e.file < bad || (e.file === bad && e.kind !== 'done'))).toBe(true);
  });

  it('a missing file fails as it does in this thread', async () => {
    const missing = [files[0]!, join(dir, 'nope.txt'), files[1]!];
    const expected = await inProcess(missing);
    const got = await pooled(missing, 2);
    expect((got.error as InputError).diagnostics).toEqual((expected.error as InputError).diagnostics);
  });

  it('stops the workers when the caller leaves early', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    for await (const e of codeInPool(files, { jobs: 3, setup: small, workerUrl })) {
      if (e.kind === 'done') break;
    }
    expect(terminate).toHaveBeenCalledTimes(2);
    for (const worker of terminate.mock.contexts as Worker[]) expect(worker.threadId).toBe(-1);
    terminate.mockRestore();
  });
});
