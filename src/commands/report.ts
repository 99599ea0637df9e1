// STUB (issue 8): the signature is the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';
import type { Role } from '../transcript/model.js';
import type { ReadOptions } from '../transcript/read.js';

export interface ReportOptions {
  inputs: string[];
  codebook?: string;
  /** a human coding (long or turn-level CSV) to show agreement against */
  human?: string;
  redact: boolean;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
  /** excerpts per dimension */
  excerpts: number;
}

/** One self-contained HTML document. */
export async function runReport(_options: ReportOptions, _report: Report): Promise<string> {
  throw new Error('not implemented');
}
