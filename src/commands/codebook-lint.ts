/** `relcode codebook lint`: load a codebook (errors exit 2), then collect its lint warnings. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CODEBOOK, parseCodebook } from '../codebook/load.js';
import { lintCodebook } from '../codebook/lint.js';
import { diagnostic, InputError, type Diagnostic } from '../diagnostics.js';

export async function runLint(file: string | undefined): Promise<Diagnostic[]> {
  const path = file ?? DEFAULT_CODEBOOK;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError([
      diagnostic('error', 'file-not-found', { file: path }, `cannot read codebook: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path of the codebook'),
    ]);
  }
  // the text is read once: the model and the suppression comments come from the same bytes
  return lintCodebook(parseCodebook(text, path), text);
}
