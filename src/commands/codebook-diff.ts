// STUB: being implemented (issue 3). Signatures are the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';
import type { Role } from '../transcript/model.js';
import type { ReadOptions } from '../transcript/read.js';

export interface DiffOptions {
  old: string;
  new: string;
  inputs: string[];
  roles: Record<string, Role>;
  /** rolePatterns come from the NEW codebook */
  read: Omit<ReadOptions, 'rolePatterns'>;
}

export interface DiffReport {
  /** true when any turn gained or lost a dimension */
  changed: boolean;
}

export async function runCodebookDiff(_options: DiffOptions, _report: Report): Promise<DiffReport> {
  throw new Error('not implemented');
}

export function renderDiff(_report: DiffReport, _options: { format: 'table' | 'csv' | 'json'; color: boolean; width: number }): string {
  throw new Error('not implemented');
}
