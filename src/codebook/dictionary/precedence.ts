/**
 * LIWC gives each word to one entry: the exact entry if there is one, else the
 * wildcard with the longest prefix. So with `care*` in posemo and `career*` in
 * work, "careers" is work only. relcode matches each dimension on its own, so an
 * imported posemo would also count "careers". To keep LIWC's rule, each
 * dimension gets an `exclude` list: the entries of other categories that win
 * over one of its wildcards. An exclusion vetoes every overlapping match of the
 * dimension, so where the dimension has an even more specific entry of its own
 * under the winner (`career*` in work, `careerist` in posemo) the rule cannot be
 * kept; that case is reported and the exclusion left out.
 */
import { diagnostic, type Report } from '../../diagnostics.js';

export interface WordEntry {
  /** the entry as compared: lower case, e.g. `care*` */
  word: string;
  /** its relcode phrase */
  phrase: string;
  line: number;
  categories: number[];
}

interface Single extends WordEntry {
  wild: boolean;
  /** the word without its trailing `*` */
  base: string;
}

/** For each category, the phrases of other categories' entries that LIWC lets win over its wildcards. */
export function precedenceExclusions(entries: WordEntry[], names: string[], file: string, report: Report): string[][] {
  const singles: Single[] = entries
    .filter((e) => !e.word.includes(' ') && !/\*./.test(e.word))
    .map((e) => ({ ...e, wild: e.word.endsWith('*'), base: e.word.replace(/\*$/, '') }))
    .sort((a, b) => compare(a.base, b.base) || Number(a.wild) - Number(b.wild));
  const bases = singles.map((s) => s.base);

  /** Entries whose base starts with `prefix`: a contiguous run of the sorted list. */
  const under = (prefix: string): Single[] => {
    let lo = 0;
    let hi = bases.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(bases[mid]!, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: Single[] = [];
    for (let i = lo; i < singles.length && bases[i]!.startsWith(prefix); i++) out.push(singles[i]!);
    return out;
  };

  return names.map((name, c) => {
    const winners = new Map<string, Single>();
    const kept = new Set<string>();
    for (const w of singles) {
      if (!w.wild || !w.categories.includes(c)) continue;
      for (const e of under(w.base)) {
        if (e.categories.includes(c) || winners.has(e.word) || kept.has(e.word)) continue;
        if (e.wild && e.base === w.base) continue;
        if (e.wild) {
          // an exact or longer entry of c under e: LIWC gives those words back to c
          const mine = under(e.base).find((f) => f.categories.includes(c) && (!f.wild || f.base.length > e.base.length));
          if (mine) {
            kept.add(e.word);
            report(diagnostic('warning', 'wildcard-precedence', { file, line: e.line },
              `in LIWC "${e.word}" wins over "${w.word}" (${name}) except for "${mine.word}", which is in ${name} too; relcode cannot keep both, so ${name} also counts words that start with "${e.base}"`,
              `move "${mine.word}" out of ${name}, or add exclusions to ${name} by hand`));
            continue;
          }
        }
        winners.set(e.word, e);
      }
    }
    // a wildcard exclusion already covers the entries under it
    const wild = [...winners.values()].filter((e) => e.wild);
    return [...winners.values()]
      .filter((e) => !wild.some((x) => x !== e && e.base.startsWith(x.base)))
      .map((e) => e.phrase);
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
