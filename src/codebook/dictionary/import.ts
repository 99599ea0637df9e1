/**
 * Dictionary file text → codebook YAML: pick the format (by extension, else by
 * content), read it, translate it, and check that relcode's own loader accepts
 * the result.
 */
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diagnostic, InputError, type Report } from '../../diagnostics.js';
import { parseCodebook } from '../load.js';
import { parseDic, parseDicx } from './liwc.js';
import type { Dictionary, DictionaryFormat } from './model.js';
import { parseQuanteda } from './quanteda.js';
import { dictionaryToCodebook } from './to-codebook.js';

const BY_EXTENSION: Record<string, DictionaryFormat> = { '.dic': 'liwc-dic', '.dicx': 'liwc-dicx', '.yml': 'quanteda', '.yaml': 'quanteda' };

export function detectFormat(file: string, text: string): DictionaryFormat | undefined {
  const byExtension = BY_EXTENSION[extname(file).toLowerCase()];
  if (byExtension) return byExtension;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() === '%') return 'liwc-dic';
  if (lines[0]?.includes(',') && lines.slice(1).some((l) => /(^|,)\s*"?[xX]"?\s*(,|$)/.test(l))) return 'liwc-dicx';
  try {
    const value: unknown = parseYaml(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return 'quanteda';
  } catch {
    // not YAML either
  }
  return undefined;
}

export function readDictionary(text: string, file: string, report: Report): Dictionary {
  const format = detectFormat(file, text);
  switch (format) {
    case 'liwc-dic':
      return parseDic(text, file, report);
    case 'liwc-dicx':
      return parseDicx(text, file, report);
    case 'quanteda':
      return parseQuanteda(text, file, report);
    default:
      throw new InputError([
        diagnostic('error', 'bad-dictionary', { file, line: 1 }, 'cannot tell what kind of dictionary this is', 'name it .dic (LIWC), .dicx (LIWC-22) or .yml (quanteda); a .dic starts with a "%" line'),
      ]);
  }
}

export function importDictionary(text: string, file: string, report: Report): string {
  const yaml = dictionaryToCodebook(readDictionary(text, file, report), report);
  try {
    parseCodebook(yaml, `${basename(file, extname(file))}.yaml`);
  } catch (err) {
    // a translation that the loader rejects is relcode's bug, not the user's
    if (err instanceof InputError) throw new Error(`the imported codebook does not load:\n${err.message}`);
    throw err;
  }
  return yaml;
}
