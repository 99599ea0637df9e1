// STUB (issue 5): signatures are the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';
import { DEFAULT_CODEBOOK, loadCodebook } from '../codebook/load.js';
import { codebookToQdc } from '../output/qdc.js';
import { readFile } from 'node:fs/promises';
import { diagnostic, fail } from '../diagnostics.js';
import { codebookToDic } from '../codebook/dictionary/export-dic.js';
import { importDictionary } from '../codebook/dictionary/import.js';

/** A LIWC .dic/.dicx or quanteda YAML dictionary → relcode codebook YAML text. */
export async function runCodebookImport(file: string, report: Report): Promise<string> {
  return importDictionary(await readDictionaryText(file, report), file, report);
}

/** A codebook → REFI-QDA codebook XML (qdc) or LIWC .dic text; what does not translate is reported. */
export async function runCodebookExport(file: string | undefined, format: 'qdc' | 'dic', report: Report): Promise<string> {
  if (format === 'qdc') return codebookToQdc(await loadCodebook(file ?? DEFAULT_CODEBOOK), report);
  if (format === 'dic') return codebookToDic(await loadCodebook(file ?? DEFAULT_CODEBOOK), report);
  throw new Error(`unknown export format ${String(format)}`);
}

/** UTF-8, or, for older LIWC dictionaries that are not, Windows-1252 with a warning. */
async function readDictionaryText(file: string, report: Report): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    fail('file-not-found', { file }, `cannot read dictionary: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path of the dictionary file');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    report(diagnostic('warning', 'encoding', { file }, 'the file is not UTF-8; read as Windows-1252', 'save the dictionary as UTF-8 to be sure accented words come through'));
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
