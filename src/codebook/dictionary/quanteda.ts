/**
 * A quanteda YAML dictionary → Dictionary. Keys map to lists of values, or to
 * further keys; a value list under the key `''` belongs to the key above it
 * (as quanteda's `as.yaml()` writes it). Values are glob patterns (`*`, `?`),
 * multi-word values are separated by spaces, and case is ignored: quanteda's
 * defaults (`valuetype = "glob"`, `case_insensitive = TRUE`).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { diagnostic, InputError, type Diagnostic, type Report } from '../../diagnostics.js';
import type { Dictionary, DictionaryCategory, DictionaryEntry } from './model.js';

const SHAPE_HINT = 'a quanteda dictionary maps keys to lists of values, e.g. `positive: [good, great*]`, and keys may nest';

export function parseQuanteda(text: string, file: string, report: Report): Dictionary {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false });
  const errors: Diagnostic[] = doc.errors.map((e) =>
    diagnostic('error', 'yaml-syntax', { file, line: lines.linePos(e.pos[0]).line }, e.message.split('\n')[0]!, 'fix the YAML syntax here: check indentation, colons and quotes'),
  );
  if (errors.length) throw new InputError(errors);
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (!isMap(doc.contents) || doc.contents.items.length === 0) {
    throw new InputError([diagnostic('error', 'bad-dictionary', { file, line: lineOf(doc.contents) }, 'the dictionary is not a mapping of keys to values', SHAPE_HINT)]);
  }

  const categories: DictionaryCategory[] = [];
  const entries: DictionaryEntry[] = [];
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc as Document) : node);

  const addValues = (path: string[], keyLine: number, node: Node | null) => {
    const index = categories.length;
    categories.push({ path, line: keyLine });
    const items = isSeq(node) ? (node.items as unknown[]).map(resolve) : [node];
    const seen = new Set<string>();
    for (const item of items) {
      if (!isScalar(item)) {
        errors.push(diagnostic('error', 'bad-dictionary', { file, line: lineOf(item as Node) }, `a value of "${path.join(' > ')}" is not a single pattern`, SHAPE_HINT));
        continue;
      }
      if (item.value === null || item.value === undefined) continue;
      const value = String(item.value);
      const line = lineOf(item);
      if (seen.has(value.toLowerCase())) {
        report(diagnostic('warning', 'duplicate-entry', { file, line }, `"${value}" is listed twice under "${path.join(' > ')}"; kept once`, 'remove the repeated value'));
        continue;
      }
      seen.add(value.toLowerCase());
      entries.push({ text: value, line, categories: [index] });
    }
  };

  const walk = (map: YAMLMap, path: string[]) => {
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) && keyNode.value !== null ? String(keyNode.value).trim() : '';
      const value = resolve(pair.value) as Node | null;
      const here = key === '' ? path : [...path, key];
      if (here.length === 0) {
        errors.push(diagnostic('error', 'bad-dictionary', { file, line: lineOf(keyNode) }, 'a top-level key is empty', 'give every key a name'));
      } else if (isMap(value)) {
        walk(value, here);
      } else {
        addValues(here, lineOf(keyNode), value);
      }
    }
  };
  walk(doc.contents, []);
  if (errors.length) throw new InputError(errors);
  return { file, format: 'quanteda', categories, entries };
}
