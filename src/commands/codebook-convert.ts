// STUB (issue 5): signatures are the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';

/** A LIWC .dic/.dicx or quanteda YAML dictionary → relcode codebook YAML text. */
export async function runCodebookImport(_file: string, _report: Report): Promise<string> {
  throw new Error('not implemented');
}

/** A codebook → REFI-QDA codebook XML (qdc) or LIWC .dic text; what does not translate is reported. */
export async function runCodebookExport(_file: string | undefined, _format: 'qdc' | 'dic', _report: Report): Promise<string> {
  throw new Error('not implemented');
}
