/**
 * `relcode codebook lint`: warnings about indicators and exclusions that cannot
 * do what they seem to. Pure functions over a loaded Codebook (and its YAML text,
 * for suppression comments); nothing here reads files or prints.
 *
 * Rules (ruleId: what is flagged):
 *   stopwords-only      an indicator phrase that can match a text of stop words only
 *                       (STOP_WORDS): some choice of alternatives, with optional parts left
 *                       out, needs no other word. A glob counts as a content word.
 *   never-matches       an indicator that can never survive: a word the tokenizer never
 *                       produces (`'em`), no role left, or every expansion overlapped by a
 *                       match of one of its dimension's phrase exclusions.
 *   duplicate-indicator the same parsed phrase (alternatives in any order) or regex source,
 *                       with the same stem/question/near/context settings, listed twice in a
 *                       dimension or in two dimensions; reported on the later one.
 *   shadowed-indicator  A adds nothing: another phrase B of its dimension matches every
 *                       expansion of A in full, from the same token, and B's rules (roles,
 *                       question, context, near, negation, weight under a threshold) are no
 *                       stricter; when the dimension has exclusions, B must also be unable to
 *                       run past A's span (an exclusion could then veto B but not A).
 *   idle-exclusion      a phrase exclusion that no indicator of its dimension can ever
 *                       overlap, even with any words around it, so it never vetoes anything.
 *
 * Expansions: a phrase is enumerated as token sequences: alternatives × optional parts,
 * each gap filled with its maximum number of "any" tokens (a proof at the maximum holds
 * for every shorter fill, because gaps also accept fewer tokens). Globs stay one symbolic
 * token. A phrase with more than MAX_EXPANSIONS expansions is not analysed. Regexes are
 * opaque: a regex indicator is never flagged by these rules and never proves anything,
 * except that it keeps an exclusion busy when it matches inside the exclusion's words.
 *
 * Two matching modes over those symbolic tokens:
 *   forall  the phrase matches every real text the expansion stands for (proofs)
 *   exists  some real text lets the phrase match (possibilities)
 *
 * Suppression: `# relcode-lint-ignore RULE[, RULE] [-- why]` at the end of the finding's
 * line, or alone on the line above it.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { stem } from '../text/stem.js';
import { tokenize } from '../text/tokenize.js';
import type { Codebook, Context, Dimension, Indicator } from './model.js';
import type { PhraseNode } from './phrase.js';

export const LINT_RULES = ['stopwords-only', 'never-matches', 'duplicate-indicator', 'shadowed-indicator', 'idle-exclusion'] as const;
export type LintRule = (typeof LINT_RULES)[number];

export const MAX_EXPANSIONS = 500;

/** Short English list: pronouns, articles and determiners, auxiliaries, prepositions, conjunctions, wh-words. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my mine myself you your yours yourself yourselves he him his himself she her hers herself ' +
    'it its itself we us our ours ourselves they them their theirs themselves one ' +
    'a an the this that these those some any each every all both no not such own same other ' +
    'am is are was were be been being have has had having do does did doing ' +
    'will would shall should can could may might must ' +
    'of in on at by for with about to from into onto up down out over under off ' +
    'than as through during before after above below between again further ' +
    'and or but if because so then while nor yet until unless ' +
    'there here what which who whom whose when where why how just very too also only'
  ).split(' '),
);

// ---------------------------------------------------------------- symbolic tokens

/** A token of an expansion; a word's `stem` says whether it stands for every word with its stem. */
export type Tok =
  | { kind: 'word'; norm: string; stem: boolean }
  | { kind: 'glob'; source: string; re: RegExp }
  /** a gap's filler: some unknown token */
  | { kind: 'fill' }
  /** context around an expansion, in exists mode: any token we like */
  | { kind: 'wild' };

type Mode = 'forall' | 'exists';

/** All expansions of a phrase, or undefined when there are more than `cap`. */
export function expansions(seq: PhraseNode[], stemming: boolean, cap = MAX_EXPANSIONS): Tok[][] | undefined {
  if (countExpansions(seq) > cap) return undefined;
  const expand = (nodes: PhraseNode[]): Tok[][] => {
    let out: Tok[][] = [[]];
    for (const n of nodes) {
      const options = expandNode(n);
      out = out.flatMap((prefix) => options.map((o) => [...prefix, ...o]));
    }
    return out;
  };
  const expandNode = (n: PhraseNode): Tok[][] => {
    switch (n.kind) {
      case 'word':
        return [[{ kind: 'word', norm: n.norm, stem: stemming }]];
      case 'glob':
        return [[{ kind: 'glob', source: n.source, re: n.re }]];
      case 'alt':
        return n.options.flatMap(expand);
      case 'opt':
        return [[], ...expand(n.seq)];
      case 'gap':
        return [Array.from({ length: n.max }, () => ({ kind: 'fill' }) as const)];
    }
  };
  return expand(seq);
}

function countExpansions(seq: PhraseNode[]): number {
  let n = 1;
  for (const node of seq) {
    if (node.kind === 'alt') n *= node.options.reduce((sum, o) => sum + countExpansions(o), 0);
    else if (node.kind === 'opt') n *= 1 + countExpansions(node.seq);
    if (n > 1e9) return n;
  }
  return n;
}

/** Most tokens a phrase can span. */
function maxLength(seq: PhraseNode[]): number {
  let n = 0;
  for (const node of seq) {
    if (node.kind === 'word' || node.kind === 'glob') n += 1;
    else if (node.kind === 'gap') n += node.max;
    else if (node.kind === 'opt') n += maxLength(node.seq);
    else n += Math.max(...node.options.map(maxLength));
  }
  return n;
}

/** Whether a phrase node (`stemming`: its indicator's setting) matches the token, per mode. */
function fits(node: PhraseNode & { kind: 'word' | 'glob' }, stemming: boolean, tok: Tok, mode: Mode): boolean {
  if (tok.kind === 'wild') return true;
  if (tok.kind === 'fill') return mode === 'exists';
  if (tok.kind === 'glob') {
    // a glob stands for many words: only the same glob covers them all
    return mode === 'exists' || (node.kind === 'glob' && node.source === tok.source);
  }
  if (node.kind === 'glob') {
    if (mode === 'exists') return node.re.test(tok.norm) || (tok.stem && node.re.test(stem(tok.norm)));
    return !tok.stem && node.re.test(tok.norm);
  }
  if (mode === 'exists') return node.norm === tok.norm || ((stemming || tok.stem) && stem(node.norm) === stem(tok.norm));
  // a stemmed token stands for every word with its stem: only a stemmed node with that stem covers them
  if (tok.stem) return stemming && stem(node.norm) === stem(tok.norm);
  return node.norm === tok.norm || (stemming && stem(node.norm) === stem(tok.norm));
}

/** Every end (exclusive) of a match of `seq` starting at `start` in `toks`; like match.ts, but all paths. */
function ends(seq: PhraseNode[], stemming: boolean, toks: Tok[], start: number, mode: Mode): Set<number> {
  const run = (nodes: PhraseNode[], from: Set<number>): Set<number> => {
    let cur = from;
    for (const node of nodes) {
      const next = new Set<number>();
      for (const p of cur) {
        switch (node.kind) {
          case 'word':
          case 'glob':
            if (p < toks.length && fits(node, stemming, toks[p]!, mode)) next.add(p + 1);
            break;
          case 'alt':
            for (const o of node.options) for (const e of run(o, new Set([p]))) next.add(e);
            break;
          case 'opt':
            next.add(p);
            for (const e of run(node.seq, new Set([p]))) next.add(e);
            break;
          case 'gap':
            for (let k = 0; k <= node.max && p + k <= toks.length; k++) next.add(p + k);
            break;
        }
      }
      cur = next;
      if (cur.size === 0) break;
    }
    return cur;
  };
  const out = run(seq, new Set([start]));
  out.delete(start);
  return out;
}

/** The expansion as real-world text, in exists mode: fillers and the context may be anything. */
function loosen(toks: Tok[]): Tok[] {
  return toks.map((t) => (t.kind === 'fill' ? { kind: 'wild' } : t));
}

const wild = (n: number): Tok[] => Array.from({ length: n }, () => ({ kind: 'wild' }) as const);

// ---------------------------------------------------------------- per-indicator facts

interface Item {
  indicator: Indicator;
  /** position among its dimension's indicators */
  order: number;
  seq?: PhraseNode[];
  /** undefined: a regex, or too many to enumerate */
  expansions?: Tok[][];
}

function itemOf(indicator: Indicator, order: number, cap: number): Item {
  const p = indicator.pattern;
  if (p.kind === 'regex') return { indicator, order };
  return { indicator, order, seq: p.seq, expansions: expansions(p.seq, indicator.stem, cap) };
}

/** A phrase or regex in a canonical form: alternatives sorted, so `(a|b)` = `(b|a)`. */
export function canonical(seq: PhraseNode[]): string {
  return seq
    .map((n): string => {
      switch (n.kind) {
        case 'word':
          return n.norm;
        case 'glob':
          return `glob:${n.source}`;
        case 'gap':
          return `...${n.max}`;
        case 'opt':
          return `[${canonical(n.seq)}]`;
        case 'alt': {
          const options = [...new Set(n.options.map(canonical))].sort();
          return options.length === 1 ? options[0]! : `(${options.join('|')})`;
        }
      }
    })
    .join(' ');
}

function contextKey(c: Context | undefined): string {
  return c ? JSON.stringify([c.role ?? null, c.phrase?.source ?? null, c.coded ?? null]) : '';
}

function duplicateKey(ind: Indicator): string {
  const p = ind.pattern;
  const pattern = p.kind === 'regex' ? `regex:${p.re.source}` : `phrase:${canonical(p.seq)}`;
  const rules = [ind.stem, ind.question ?? null, ind.near ? [ind.near.source, ind.near.within] : null, contextKey(ind.context)];
  return `${pattern}\u0000${JSON.stringify(rules)}`;
}

// ---------------------------------------------------------------- rules

export interface LintOptions {
  /** most expansions enumerated per phrase */
  maxExpansions?: number;
}

export function lintCodebook(codebook: Codebook, text = '', options: LintOptions = {}): Diagnostic[] {
  const cap = options.maxExpansions ?? MAX_EXPANSIONS;
  const file = codebook.file;
  const found: Diagnostic[] = [];
  const warn = (rule: LintRule, at: { line: number; col: number }, message: string, hint: string) =>
    found.push(diagnostic('warning', rule, { file, line: at.line, col: at.col }, message, hint));

  const firstSeen = new Map<string, { dimension: string; indicator: Indicator }>();
  for (const d of codebook.dimensions) {
    const items = d.indicators.map((ind, order) => itemOf(ind, order, cap));
    const exclusions = d.exclude.map((x, order) => itemOf(x, order, cap));
    const dead = new Set<Item>();

    for (const item of items) {
      const ind = item.indicator;
      const q = `"${ind.source}"`;
      const stop = stopwordsOnly(item);
      if (stop) {
        warn('stopwords-only', ind, `indicator ${q} matches "${stop}", stop words only: it matches almost any turn, or nothing meaningful`,
          'make a content word required (not optional, in every alternative), or remove the indicator');
      }
      const never = neverMatches(item, exclusions);
      if (never) {
        dead.add(item);
        warn('never-matches', ind, `indicator ${q} can never match: ${never.why}`, never.hint);
      }
      const key = duplicateKey(ind);
      const first = firstSeen.get(key);
      if (first) {
        const same = first.dimension === d.id;
        warn('duplicate-indicator', ind,
          `indicator ${q} duplicates line ${first.indicator.line}${same ? ` in the same dimension "${d.id}"` : ` (dimension "${first.dimension}")`}`,
          same
            ? 'remove one of them; merge their roles into one indicator if they differ'
            : 'different dimensions may legitimately share an indicator; if intended, add `# relcode-lint-ignore duplicate-indicator`');
      } else firstSeen.set(key, { dimension: d.id, indicator: ind });
    }

    for (const a of items) {
      const key = duplicateKey(a.indicator);
      const b = items.find((b) => b !== a && !dead.has(b) && duplicateKey(b.indicator) !== key && shadows(b, a, d) && !(a.order < b.order && shadows(a, b, d)));
      if (!b) continue;
      warn('shadowed-indicator', a.indicator,
        `indicator "${a.indicator.source}" adds nothing: every match of it is also matched, from the same word, by "${b.indicator.source}" (line ${b.indicator.line})`,
        `remove it; if it is there on purpose (a note, a different weight), add \`# relcode-lint-ignore shadowed-indicator -- why\``);
    }

    for (const x of exclusions) {
      if (isIdle(x, items)) {
        warn('idle-exclusion', x.indicator,
          `exclusion "${x.indicator.source}" of "${d.id}" can never overlap a match of the dimension's indicators, so it never vetoes anything`,
          'an exclusion must share words with the matches it is meant to veto; widen it to cover them, or remove it');
      }
    }
  }
  const ignored = suppressions(text);
  return found
    .filter((f) => !ignored.get(f.line!)?.has(f.ruleId))
    .sort((a, b) => a.line! - b.line! || a.col! - b.col! || a.ruleId.localeCompare(b.ruleId));
}

/**
 * A text of stop words only that the phrase matches, if there is one: each alternative
 * may pick its stop-word option, optional parts may be left out, and gap fillers are
 * not words the phrase asks for. A glob can match content words, so it never counts.
 */
function stopwordsOnly(item: Item): string | undefined {
  const witness = (seq: PhraseNode[]): string[] | undefined => {
    const out: string[] = [];
    for (const n of seq) {
      if (n.kind === 'word') {
        if (!STOP_WORDS.has(n.norm)) return undefined;
        out.push(n.norm);
      } else if (n.kind === 'glob') return undefined;
      else if (n.kind === 'gap') out.push('...');
      else if (n.kind === 'alt') {
        const option = n.options.map(witness).find((w) => w !== undefined);
        if (!option) return undefined;
        out.push(...option);
      }
    }
    return out;
  };
  const words = item.seq && witness(item.seq);
  return words?.join(' ').replace(/(?: \.\.\.)+ /g, ' ... ');
}

function neverMatches(item: Item, exclusions: Item[]): { why: string; hint: string } | undefined {
  const ind = item.indicator;
  if (ind.roles.length === 0) {
    return { why: 'it allows no role', hint: 'give it at least one of its dimension\'s roles' };
  }
  if (!item.seq) return undefined;
  const unproducible = wordsOf(item.seq).find((w) => !producible(w));
  if (unproducible !== undefined) {
    return {
      why: `transcripts never give the token "${unproducible}" (text is split into words without a leading apostrophe, and contractions are expanded)`,
      hint: `write the word as it is tokenized, e.g. "${tokenize(unproducible).tokens.map((t) => t.norm).join(' ')}"`,
    };
  }
  const all = item.expansions;
  if (!all || all.length === 0) return undefined;
  const phrases = exclusions.filter((x) => x.seq);
  const by = new Set<Item>();
  for (const e of all) {
    const veto = phrases.find((x) => e.some((_, i) => ends(x.seq!, x.indicator.stem, e, i, 'forall').size > 0));
    if (!veto) return undefined;
    by.add(veto);
  }
  const names = [...by].map((x) => `"${x.indicator.source}" (line ${x.indicator.line})`).join(', ');
  return {
    why: `every match of it overlaps a match of ${by.size === 1 ? 'the exclusion' : 'the exclusions'} ${names}, which vetoes it`,
    hint: by.size === 1 ? 'remove the indicator, or narrow the exclusion' : 'remove the indicator, or narrow the exclusions',
  };
}

function wordsOf(seq: PhraseNode[]): string[] {
  return seq.flatMap((n) =>
    n.kind === 'word' ? [n.norm] : n.kind === 'alt' ? n.options.flatMap(wordsOf) : n.kind === 'opt' ? wordsOf(n.seq) : [],
  );
}

/** Whether tokenizing the word as text gives back that one token. */
function producible(word: string): boolean {
  const toks = tokenize(word).tokens;
  return toks.length === 1 && toks[0]!.norm === word;
}

/** B makes A redundant (see the rule list at the top). */
function shadows(b: Item, a: Item, d: Dimension): boolean {
  const A = a.indicator;
  const B = b.indicator;
  if (!a.expansions || !b.seq || a.expansions.length === 0) return false;
  if (!A.roles.every((r) => B.roles.includes(r))) return false;
  if (B.question !== undefined && B.question !== A.question) return false;
  if (B.context && contextKey(B.context) !== contextKey(A.context)) return false;
  if (B.negation && !A.negation) return false;
  if (d.threshold !== undefined && B.weight < A.weight) return false;
  if (B.near && !(A.near && A.near.source === B.near.source && B.near.within >= A.near.within)) return false;
  const mustNotGrow = d.exclude.length > 0 || B.near !== undefined;
  const room = maxLength(b.seq);
  for (const e of a.expansions) {
    if (!ends(b.seq, B.stem, e, 0, 'forall').has(e.length)) return false;
    if (mustNotGrow && [...ends(b.seq, B.stem, [...loosen(e), ...wild(room)], 0, 'exists')].some((end) => end > e.length)) return false;
  }
  return true;
}

/** No indicator of the dimension can share a token with any match of the exclusion. */
function isIdle(x: Item, indicators: Item[]): boolean {
  if (!x.seq) return false;
  const all = expansionsWithEveryFill(x.seq, x.indicator.stem);
  if (!all) return false;
  for (const e of all) {
    const t = loosen(e);
    for (const i of indicators) {
      if (!i.seq) {
        if (e.every((tok) => tok.kind === 'word') && regexHits(i.indicator, e)) return false;
        continue;
      }
      // the indicator may start before the exclusion and run past it: pad with anything
      const pad = maxLength(i.seq);
      const toks = [...wild(pad), ...t, ...wild(pad)];
      for (let s = 0; s < pad + t.length; s++) {
        for (const end of ends(i.seq, i.indicator.stem, toks, s, 'exists')) if (end > pad) return false;
      }
    }
  }
  return true;
}

function regexHits(ind: Indicator, e: Tok[]): boolean {
  if (ind.pattern.kind !== 'regex') return false;
  const re = new RegExp(ind.pattern.re.source, 'iu');
  return re.test(e.map((t) => (t.kind === 'word' ? t.norm : '')).join(' '));
}

/** For an exclusion, each gap filled 0..max times (whether it overlaps can depend on the fill). */
function expansionsWithEveryFill(seq: PhraseNode[], stemming: boolean): Tok[][] | undefined {
  const variants = (nodes: PhraseNode[]): PhraseNode[][] => {
    let out: PhraseNode[][] = [[]];
    for (const n of nodes) {
      const forms: PhraseNode[][] =
        n.kind === 'gap'
          ? Array.from({ length: n.max + 1 }, (_, k) => (k === 0 ? [] : [{ kind: 'gap', max: k }]))
          : n.kind === 'alt'
            ? [[{ kind: 'alt', options: n.options.flatMap(variants) }]]
            : n.kind === 'opt'
              ? variants(n.seq).map((v) => [{ kind: 'opt', seq: v }])
              : [[n]];
      out = out.flatMap((prefix) => forms.map((f) => [...prefix, ...f]));
      if (out.length > MAX_EXPANSIONS) return out;
    }
    return out;
  };
  const result: Tok[][] = [];
  for (const v of variants(seq)) {
    const e = expansions(v, stemming);
    if (!e) return undefined;
    result.push(...e);
    if (result.length > MAX_EXPANSIONS) return undefined;
  }
  return result;
}

// ---------------------------------------------------------------- suppression

const IGNORE = /(?:^|\s)#\s*relcode-lint-ignore\s+([^\n]*)$/;

/** Line (1-based) → rules silenced there, from trailing comments and comment lines above. */
export function suppressions(text: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    const m = IGNORE.exec(line);
    if (!m) return;
    const rules = m[1]!.split(/\s--\s|\s--$/)[0]!.split(/[\s,]+/).filter(Boolean);
    // a comment alone on its line speaks for the line below; a trailing one for its own
    const target = /^\s*#/.test(line) ? i + 2 : i + 1;
    const set = out.get(target) ?? new Set<string>();
    for (const r of rules) set.add(r);
    out.set(target, set);
  });
  return out;
}
