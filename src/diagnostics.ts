/**
 * One type for every problem relcode reports: where it is, a stable rule id,
 * what is wrong and how to fix it. Finding problems and printing them are kept apart.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Place {
  file: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  col?: number;
}

export interface Diagnostic extends Place {
  severity: Severity;
  /** kebab-case, stable: `unknown-key`, `bad-phrase`, `unknown-speaker` … */
  ruleId: string;
  message: string;
  hint?: string;
  /** how many input rows or lines this problem left uncoded; summed into the run's totals */
  skipped?: number;
}

export function diagnostic(
  severity: Severity,
  ruleId: string,
  place: Place,
  message: string,
  hint?: string,
): Diagnostic {
  return { severity, ruleId, ...place, message, ...(hint ? { hint } : {}) };
}

/** Thrown when input cannot be used at all; the CLI prints the diagnostics and exits 2. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

export function fail(ruleId: string, place: Place, message: string, hint?: string): never {
  throw new InputError([diagnostic('error', ruleId, place, message, hint)]);
}

/** `file:line:col: severity: message [rule-id]` and, on the next line, the hint. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}`;
  if (d.line !== undefined && d.col !== undefined) where += `:${d.col}`;
  const head = `${where}: ${d.severity}: ${d.message} [${d.ruleId}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Receives warnings as they are found, so long runs report them without holding them. */
export type Report = (d: Diagnostic) => void;
