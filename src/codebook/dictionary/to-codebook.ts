/**
 * Dictionary → relcode codebook YAML. Categories become dimensions in the
 * dictionary's order, entries become indicators. Both LIWC and quanteda match
 * words exactly (globs aside) with no negation rule, so the codebook turns
 * stemming and negation off and leaves roles open: it counts as the tool did.
 */
import { basename, extname } from 'node:path';
import { Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { diagnostic, type Report } from '../../diagnostics.js';
import { dimensionIds } from './ids.js';
import { FORMAT_NAMES, type Dictionary } from './model.js';
import { precedenceExclusions, type WordEntry } from './precedence.js';
import { cleanEntry, entryToPhrase } from './translate.js';

export function dictionaryToCodebook(dict: Dictionary, report: Report): string {
  const ids = dimensionIds(dict, report);
  const names = dict.categories.map((c) => c.path.join(' > '));
  const liwc = dict.format !== 'quanteda';
  const indicators: string[][] = dict.categories.map(() => []);
  const words: WordEntry[] = [];
  const skipped = { count: 0 };
  for (const entry of dict.entries) {
    const t = entryToPhrase(entry.text, liwc ? 'liwc' : 'quanteda');
    if ('problem' in t) {
      skipped.count++;
      report(diagnostic('warning', 'untranslatable-entry', { file: dict.file, line: entry.line }, `${t.problem}; left out`, t.hint));
      continue;
    }
    for (const c of entry.categories) if (!indicators[c]!.includes(t.phrase)) indicators[c]!.push(t.phrase);
    words.push({ word: cleanEntry(entry.text), phrase: t.phrase, line: entry.line, categories: entry.categories });
  }
  const exclusions = liwc ? precedenceExclusions(words, names, dict.file, report) : dict.categories.map(() => []);

  const dimensions: Record<string, { label: string; indicators: string[]; exclude?: string[] }> = {};
  dict.categories.forEach((category, c) => {
    if (indicators[c]!.length === 0) {
      report(diagnostic('warning', 'empty-category', { file: dict.file, line: category.line }, `category "${names[c]}" has no entry that translates; its dimension has no indicators`, 'add indicators to it, or remove it from the codebook'));
    }
    dimensions[ids[c]!] = { label: names[c]!, indicators: indicators[c]!, ...(exclusions[c]!.length ? { exclude: exclusions[c]! } : {}) };
  });

  const source = basename(dict.file);
  const doc = new Document({
    codebook: basename(dict.file, extname(dict.file)) || 'dictionary',
    version: '1.0.0',
    description: `Imported from ${source} (${FORMAT_NAMES[dict.format]}) by relcode.`,
    defaults: { stem: false, negation: false },
    dimensions,
  });
  doc.commentBefore = [
    ` Imported from ${source} (${FORMAT_NAMES[dict.format]}) by relcode codebook import.`,
    liwc
      ? ' LIWC matches whole words (a trailing * matches any ending) and has no negation'
      : ' quanteda matches whole words (globs: * any letters, ? one letter) and has no negation',
    ' rule, so stemming and negation are off below and every speaker can be coded.',
    ...(skipped.count ? [` ${skipped.count} entr${skipped.count === 1 ? 'y' : 'ies'} did not translate (see the warnings of the import).`] : []),
    ' No examples: add `examples: { coded, not_coded }` to each dimension before',
    ' relying on `relcode codebook test`.',
  ].join('\n');

  const dims = doc.get('dimensions', true) as YAMLMap;
  const firstIn = new Map<string, string>();
  for (const pair of dims.items) {
    const id = String((pair.key as { value: unknown }).value);
    const category = dict.categories[ids.indexOf(id)]!;
    if (isScalar(pair.key) && category.source !== undefined) pair.key.commentBefore = ` LIWC category ${category.source}`;
    const entry = (key: string) => (isMap(pair.value) ? pair.value.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined);
    // one word in several categories is the dictionary's design, not a slip for `codebook lint`
    const list = entry('indicators')?.value;
    if (isSeq(list)) {
      for (const item of list.items) {
        if (!isScalar(item)) continue;
        const first = firstIn.get(String(item.value));
        if (first) item.commentBefore = ` relcode-lint-ignore duplicate-indicator -- also in ${first} in the dictionary`;
        else firstIn.set(String(item.value), id);
      }
    }
    const exclude = entry('exclude');
    if (exclude && isScalar(exclude.key)) {
      exclude.key.commentBefore = ' LIWC gives a word to its exact entry, else to its longest wildcard: these\n entries of other categories win over this one\'s wildcards';
    }
  }
  return doc.toString({ lineWidth: 0 });
}
