/**
 * Codebook → LIWC .dic. Dimensions become categories 1..n in codebook order.
 * A phrase translates when it is words, each plain or with a trailing `*`
 * (LIWC's wildcard); small sets of alternatives and optional parts are written
 * out as several entries. Everything LIWC has no equivalent for is dropped or
 * kept with a loss, and reported with its codebook line.
 */
import { diagnostic, type Report } from '../../diagnostics.js';
import type { Codebook, Dimension, Indicator } from '../model.js';
import { parsePhrase } from '../phrase.js';
import { normaliseWord } from '../../text/tokenize.js';
import { ROLES } from '../../transcript/model.js';

/** More forms than this and a phrase is not worth writing out entry by entry. */
export const MAX_FORMS = 48;

type Node = { word: string } | { alt: Node[][] } | { opt: Node[] } | { gap: true };

export function codebookToDic(codebook: Codebook, report: Report): string {
  const file = codebook.file;
  const warn = (line: number, ruleId: string, message: string, hint: string) => report(diagnostic('warning', ruleId, { file, line }, message, hint));
  const entries = new Map<string, Set<number>>();
  const wildcards: string[][] = codebook.dimensions.map(() => []);
  const tally = { stemmed: [] as Indicator[], negated: [] as Indicator[], dropped: 0, expanded: 0 };

  codebook.dimensions.forEach((d, k) => {
    const id = k + 1;
    dimensionLosses(d, warn);
    const narrowed: Indicator[] = [];
    const weighted: Indicator[] = [];
    for (const ind of d.indicators) {
      const why = conditionOf(ind);
      const forms = why ? undefined : entryForms(ind.source);
      if (why || typeof forms === 'string') {
        tally.dropped++;
        warn(ind.line, 'export-dropped', `"${ind.source}" (${d.id}) is not exported: ${why ?? forms}`, 'LIWC entries are words with an optional trailing *; add entries for it by hand if it matters');
        continue;
      }
      if (forms!.length > 1) tally.expanded++;
      for (const form of forms!) {
        for (const entry of form) {
          const set = entries.get(entry) ?? new Set<number>();
          set.add(id);
          entries.set(entry, set);
          if (entry.endsWith('*') && !entry.includes(' ')) wildcards[k]!.push(entry.slice(0, -1));
        }
      }
      if (ind.roles.length < d.roles.length) narrowed.push(ind);
      if (ind.weight !== 1) weighted.push(ind);
      if (ind.stem && forms!.some((f) => f.some((e) => /(^| )[^ *]+( |$)/.test(e)))) tally.stemmed.push(ind);
      if (ind.negation && d.negation.window > 0 && d.negation.cues.length) tally.negated.push(ind);
    }
    if (narrowed.length) {
      warn(narrowed[0]!.line, 'export-lossy', `${count(narrowed.length, 'indicator')} of ${d.id} code only some speakers (first: "${narrowed[0]!.source}"); LIWC counts every speaker`, 'code the roles apart with `relcode code --by-role`');
    }
    if (weighted.length) {
      warn(weighted[0]!.line, 'export-lossy', `the weights of ${count(weighted.length, 'indicator')} of ${d.id} are not kept (first: "${weighted[0]!.source}"); LIWC counts each word once`, 'weights only matter with a threshold in relcode');
    }
  });

  codebook.dimensions.forEach((d, k) => {
    const lost = d.exclude.filter((x) => !impliedByPrecedence(x, k + 1, entries, wildcards[k]!));
    if (lost.length) {
      warn(lost[0]!.line, 'export-lossy', `${count(lost.length, 'exclusion')} of ${d.id} are not kept (first: "${lost[0]!.source}"); LIWC has no exclusions`, 'LIWC will count the phrases that these exclusions veto in relcode');
    }
  });
  if (tally.stemmed.length) {
    warn(tally.stemmed[0]!.line, 'export-lossy', `${count(tally.stemmed.length, 'indicator')} match word stems in relcode (stem: true; first: "${tally.stemmed[0]!.source}"); LIWC matches the exact word, so their inflections are lost`, 'add a trailing * to the .dic entries that should match every ending');
  }
  if (tally.negated.length) {
    warn(tally.negated[0]!.line, 'export-lossy', `relcode drops a match after a negation cue ("not", "never" …); LIWC has no negation rule and will count them (${count(tally.negated.length, 'indicator')})`, 'compare with LIWC\'s negate category, or import the .dic back, which turns negation off');
  }
  report(diagnostic('info', 'export-summary', { file },
    `wrote ${count(codebook.dimensions.length, 'category', 'categories')} and ${count(entries.size, 'entry', 'entries')}; ` +
      `${count(tally.expanded, 'phrase')} written out as several entries; ${count(tally.dropped, 'indicator')} dropped`));

  const header = codebook.dimensions.map((d, k) => `${k + 1}\t${d.id}`);
  const body = [...entries.keys()].sort(compare).map((e) => [e, ...[...entries.get(e)!].sort((a, b) => a - b)].join('\t'));
  return ['%', ...header, '%', ...body].join('\n') + '\n';
}

/** Whole-dimension rules that LIWC cannot keep; reported once per dimension. */
function dimensionLosses(d: Dimension, warn: (line: number, ruleId: string, message: string, hint: string) => void): void {
  if (d.roles.length < ROLES.length) {
    warn(d.line, 'export-lossy', `${d.id} codes only ${d.roles.join(' and ')} turns; LIWC counts every speaker`, 'code the roles apart with `relcode code --by-role`');
  }
  if (d.threshold !== undefined) warn(d.line, 'export-lossy', `the threshold of ${d.id} (${d.threshold}) is not kept; LIWC counts every match`, 'apply the threshold to LIWC\'s counts yourself');
  if (d.context) warn(d.context.line, 'export-lossy', `the context rule of ${d.id} is not kept; its entries count wherever they occur`, 'LIWC has no rule on the turn before');
}

/** Why an indicator cannot be an unconditional word list, or undefined when it can. */
function conditionOf(ind: Indicator): string | undefined {
  if (ind.pattern.kind === 'regex') return 'LIWC has no regular expressions';
  if (ind.question !== undefined) return 'LIWC has no question rule';
  if (ind.near) return 'LIWC has no `near` rule';
  if (ind.context) return 'LIWC has no rule on the turn before';
  return undefined;
}

/**
 * The LIWC entries of a phrase, one list per form (alternatives × optional
 * parts): the words as written (`i'm here`) and, when relcode's normalisation
 * differs, also as relcode reads them (`i am here`), since relcode matches both.
 * A string says why the phrase has no such form.
 */
export function entryForms(source: string): string[][] | string {
  const forms = expand(parseSource(source));
  if (typeof forms === 'string') return forms;
  const out: string[][] = [];
  for (const words of forms) {
    for (const w of words) {
      if (w.includes('?')) return `"${w}" has a ? wildcard, which LIWC does not have`;
      if (/\*./.test(w) || w === '*') return `"${w}" has a * that is not at the end of a word`;
    }
    const written = words.map(cleanWord).filter(Boolean).join(' ');
    const read = words.flatMap(readAs).join(' ');
    out.push(written === read || written === '' ? [read] : [written, read]);
  }
  return out;
}

function cleanWord(w: string): string {
  return normaliseWord(w).replace(/[^\p{L}\p{N}\p{M}'*-]/gu, '');
}

/** The tokens relcode makes of a written word: contractions expanded, hyphens split. */
function readAs(w: string): string[] {
  if (w.endsWith('*')) return [normaliseWord(w)];
  return parsePhrase(w).flatMap((n) => (n.kind === 'word' ? [n.norm] : []));
}

/** The phrase language's structure, on written words (the loader has already checked the syntax). */
function parseSource(source: string): Node[] {
  const lexemes = source.match(/\.\.\.\d*|[()[\]|]|[^\s()[\]|]+?(?=\.\.\.|[\s()[\]|]|$)/g) ?? [];
  let pos = 0;
  const seq = (closers: string[]): Node[] => {
    const out: Node[] = [];
    while (pos < lexemes.length && !closers.includes(lexemes[pos]!)) {
      const l = lexemes[pos++]!;
      if (l.startsWith('...')) out.push({ gap: true });
      else if (l === '(') {
        const options: Node[][] = [];
        for (;;) {
          options.push(seq(['|', ')']));
          if (lexemes[pos++] !== '|') break;
        }
        out.push({ alt: options });
      } else if (l === '[') {
        out.push({ opt: seq([']']) });
        pos++;
      } else out.push({ word: l });
    }
    return out;
  };
  return seq([]);
}

/** Every sequence of words the nodes can stand for, or why there is no finite small set. */
function expand(nodes: Node[]): string[][] | string {
  let forms: string[][] = [[]];
  for (const node of nodes) {
    let options: string[][];
    if ('gap' in node) return 'LIWC has no gaps (`...`)';
    if ('word' in node) options = [[node.word]];
    else {
      const parts = 'alt' in node ? node.alt.map(expand) : [expand(node.opt), [[]]];
      const bad = parts.find((p) => typeof p === 'string');
      if (bad) return bad as string;
      options = (parts as string[][][]).flat();
    }
    forms = forms.flatMap((f) => options.map((o) => [...f, ...o]));
    if (forms.length > MAX_FORMS) return `it has more than ${MAX_FORMS} forms (alternatives × optional parts)`;
  }
  return forms;
}

/**
 * An exclusion that LIWC's own rule implies: a single word, listed in another
 * category, more specific than one of this category's wildcards (as
 * `relcode codebook import` writes them).
 */
function impliedByPrecedence(x: Indicator, id: number, entries: Map<string, Set<number>>, wildcards: string[]): boolean {
  const forms = entryForms(x.source);
  if (typeof forms === 'string' || forms.length !== 1 || forms[0]!.length !== 1) return false;
  const word = forms[0]![0]!;
  if (word.includes(' ') || !entries.has(word) || entries.get(word)!.has(id)) return false;
  const base = word.replace(/\*$/, '');
  return wildcards.some((p) => base.startsWith(p) && (!word.endsWith('*') || base.length > p.length));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
