/**
 * The process's side of the CLI: stdout for data, stderr for diagnostics,
 * colour only on a terminal and never under NO_COLOR, and output files written
 * to a temporary name and renamed, so a failed run leaves nothing half-written.
 */
import { createWriteStream, lstatSync, openSync, realpathSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDiagnostic, InputError, type Diagnostic } from '../diagnostics.js';

export interface Output {
  stream: NodeJS.WritableStream;
  /** finishes the output: flushes, and for a file renames it into place */
  commit(): Promise<void>;
}

export interface Terminal {
  out: Output;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  color: boolean;
  width: number;
  exitCode: number;
  diagnostic(d: Diagnostic): void;
  error(message: string): void;
  fileOutput(path: string, inputs: string[]): Output;
}

/** Colour only on a terminal, and never under NO_COLOR (https://no-color.org) or TERM=dumb. */
export function useColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function createTerminal(env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = Boolean(process.stdout.isTTY);
  const term: Terminal = {
    out: { stream: process.stdout, commit: () => flushed(process.stdout) },
    stdoutIsTTY: tty,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    color: useColor(tty, env),
    width: process.stdout.columns || 100,
    exitCode: 0,
    diagnostic: (d) => process.stderr.write(`${formatDiagnostic(d)}\n`),
    error: (message) => process.stderr.write(`${message}\n`),
    fileOutput: (path, inputs) => fileOutput(path, inputs),
  };
  // A closed pipe (`| head`) is the reader saying it has enough: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(term.exitCode);
    throw err;
  });
  return term;
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((done) => stream.write('', () => done()));
}

function fileOutput(path: string, inputs: string[]): Output {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  // A device or pipe (-o /dev/null, a FIFO) is written as it is: renaming over it would replace it.
  if (existing && !existing.isFile() && !existing.isSymbolicLink() && !existing.isDirectory()) return directOutput(path);
  // A link is followed, so the file it points to is replaced, not the link.
  const target = existing?.isSymbolicLink() ? realpathOr(path) : resolve(path);
  for (const input of inputs) {
    if (input !== '-' && sameFile(resolve(input), target)) {
      throw new InputError([{ severity: 'error', ruleId: 'output-is-input', file: path, message: 'the output file is one of the inputs', hint: 'choose another -o file; relcode never writes over an input' }]);
    }
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  // opened now, so a missing directory or a read-only one is an input error before any work, not a failed write later
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (err) {
    throw new InputError([{ severity: 'error', ruleId: 'cannot-write', file: path, message: `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, hint: 'check that the directory exists and is writable' }]);
  }
  const stream = createWriteStream(temp, { fd });
  let failed: Error | undefined;
  stream.on('error', (err) => (failed = err));
  const cleanup = () => rm(temp, { force: true });
  let committed = false;
  process.once('exit', () => {
    if (!committed) rmSyncQuiet(temp);
  });
  return {
    stream,
    commit: async () => {
      await new Promise<void>((done, fail) => stream.end((err?: Error | null) => (err ? fail(err) : done())));
      if (failed) {
        await cleanup();
        throw new InputError([{ severity: 'error', ruleId: 'cannot-write', file: path, message: `cannot write: ${failed.message}`, hint: 'check that the directory exists and is writable' }]);
      }
      await rename(temp, target);
      committed = true;
    },
  };
}

function directOutput(path: string): Output {
  const stream = createWriteStream(path, { flags: 'a' });
  return { stream, commit: () => new Promise<void>((done, fail) => stream.end((err?: Error | null) => (err ? fail(err) : done()))) };
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path); // a dangling link: the new file takes its place
  }
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function rmSyncQuiet(path: string) {
  try {
    rmSync(path, { force: true });
  } catch {
    /* best effort */
  }
}
