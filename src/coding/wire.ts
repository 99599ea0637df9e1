/** What crosses between the pool (pool.ts) and its coders (file-coder.ts): plain data only. */
import { InputError, type Diagnostic } from '../diagnostics.js';
import type { ReadOptions } from '../transcript/read.js';
import type { Role } from '../transcript/model.js';
import type { Level } from '../choices.js';
import type { StreamingFormat } from '../output/writers.js';
import type { CodedTranscript } from './model.js';

/** What each coder needs to code files the way `runCode` does; cloned into a worker once. */
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

export function toWire(err: unknown): WireError {
  if (err instanceof InputError) return { name: err.name, message: err.message, diagnostics: err.diagnostics };
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}), ...(code ? { code } : {}) };
}

export function revive(w: WireError): Error {
  if (w.diagnostics) return new InputError(w.diagnostics);
  const err = new Error(w.message);
  err.name = w.name;
  if (w.stack) err.stack = w.stack;
  if (w.code) (err as NodeJS.ErrnoException).code = w.code;
  return err;
}
