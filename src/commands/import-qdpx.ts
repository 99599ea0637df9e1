// STUB (issue 5): signatures are the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';

export interface ImportQdpxOptions {
  file: string;
  /** YAML: project code name → dimension id */
  map: string;
  /** only this coder */
  user?: string;
}

export interface ImportedCoding {
  /** the coder's User name in the project (or its guid when it has none) */
  user: string;
  rows: { transcript: string; turn: number; dimension: string }[];
}

export async function runImportQdpx(_options: ImportQdpxOptions, _report: Report): Promise<{ codings: ImportedCoding[] }> {
  throw new Error('not implemented');
}
