// STUB: being implemented (issue 3). Signatures are the contract with src/cli/main.ts.
import type { Diagnostic } from '../diagnostics.js';

export async function runLint(_file: string | undefined): Promise<Diagnostic[]> {
  throw new Error('not implemented');
}
