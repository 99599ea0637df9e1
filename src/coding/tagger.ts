/**
 * Run a compiled codebook over one turn. Rules, in order, per dimension:
 *   1. roles: the dimension's and the indicator's roles must include the turn's role
 *   2. question: `question: true` needs the match's sentence to end with `?`; false, not to
 *   3. context: the previous turn must meet the dimension's and the indicator's `context`
 *   4. near: the `near` phrase must stand in the same sentence, within N tokens
 *   5. negation: a cue within `window` tokens before the match, in its clause, drops it
 *   6. exclusion: a match overlapping an `exclude` phrase of its dimension is vetoed
 *   7. overlap: within a dimension a token belongs to at most one match; the longest
 *      match wins, then the earlier, then the indicator listed first (quanteda's
 *      nested_scope = "key"). Different dimensions may share tokens.
 *   8. threshold: with a dimension `threshold`, the surviving weights must add up to it
 */
import type { Codebook, Context, Dimension, Indicator, ModelIndicator, RulePhrase } from '../codebook/model.js';
import { turnFeatures } from '../learn/features.js';
import { probability } from '../learn/model.js';
import { stem } from '../text/stem.js';
import { scanTokens, tokenColumns, tokenize, tokensOf, type TokenColumns, type TokenizedText } from '../text/tokenize.js';
import { withOptionalFields, type Role, type Turn } from '../transcript/model.js';
import type { PhraseNode } from '../codebook/phrase.js';
import { compileAutomaton, runAutomaton, type Automaton, type PatternSource } from './automaton.js';
import { longestMatch, type TokenView } from './match.js';
import { requiredLiteral } from '../codebook/regex-safety.js';
import type { CodedTurn, Match } from './model.js';

interface Entry {
  dim: number;
  /** position in its dimension's list, for the overlap tie-break */
  order: number;
  indicator: Indicator;
}

export interface CompiledCodebook {
  codebook: Codebook;
  /** every phrase indicator and exclusion, as one automaton */
  automaton: Automaton;
  /** what each automaton pattern is: an indicator, or an exclusion of its dimension */
  patterns: { entry: Entry; exclusion: boolean }[];
  /** some dimension has model indicators */
  models: boolean;
  /** regex indicators and exclusions, the one kind run on its own; `literal` is text every match holds */
  regexes: { entry: Entry; exclusion: boolean; literal?: RegExp }[];
}

export type DropReason =
  | { reason: 'role'; role: Role }
  | { reason: 'question'; wanted: boolean }
  | { reason: 'context'; unmet: string; line: number }
  | { reason: 'near'; phrase: string; within: number; line: number }
  | { reason: 'negated'; cue: string; written: string; offset: number }
  | { reason: 'excluded'; by: string; line: number }
  | { reason: 'overlap'; by: string; line: number }
  | { reason: 'threshold'; total: number; threshold: number };

/** What a context rule can see of the turn before. */
export interface PreviousTurn {
  role: Role;
  text: string;
  /** surviving matches per dimension id */
  counts: Record<string, number>;
}

/** A place where an indicator matched, before or after the rules. */
export interface Candidate {
  dim: number;
  order: number;
  indicator: Indicator;
  /** token range, end exclusive */
  first: number;
  last: number;
  /** character range in the turn text */
  start: number;
  end: number;
  dropped?: DropReason;
}

/** Phrase indicators and exclusions, in the order the automaton numbers them; the rest are regexes. */
function split(codebook: Codebook): Pick<CompiledCodebook, 'patterns' | 'regexes'> {
  const patterns: CompiledCodebook['patterns'] = [];
  const regexes: CompiledCodebook['regexes'] = [];
  const add = (entry: Entry, exclusion: boolean) => {
    const p = entry.indicator.pattern;
    if (p.kind !== 'regex') return patterns.push({ entry, exclusion });
    const literal = requiredLiteral(p.re.source);
    regexes.push({ entry, exclusion, ...(literal ? { literal: new RegExp(literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), p.re.flags.replace('g', '')) } : {}) });
  };
  codebook.dimensions.forEach((d, dim) => {
    d.indicators.forEach((indicator, order) => add({ dim, order, indicator }, false));
    d.exclude.forEach((indicator, order) => add({ dim, order, indicator }, true));
  });
  return { patterns, regexes };
}

export function automatonPatterns(codebook: Codebook): PatternSource[] {
  return split(codebook).patterns.map(({ entry }) => ({ seq: (entry.indicator.pattern as { seq: PhraseNode[] }).seq, stem: entry.indicator.stem }));
}

export function compileCodebook(codebook: Codebook): CompiledCodebook {
  const automaton = codebook.automaton ?? compileAutomaton(automatonPatterns(codebook));
  return { codebook, automaton, models: codebook.dimensions.some((d) => d.models?.length), ...split(codebook) };
}

export function viewOf(tokenized: TokenizedText): TokenView {
  return { tokens: tokenized.tokens, stems: tokenized.tokens.map((t) => stem(t.norm)) };
}

/** Built field by field rather than spread from `entry`: one object shape, and a spread costs more than the automaton step that found it. */
function candidate(entry: Entry, first: number, last: number, start: number, end: number): Candidate {
  return { dim: entry.dim, order: entry.order, indicator: entry.indicator, first, last, start, end };
}

/** Every place a regex matches the text, mapped onto the tokens it covers. */
function regexMatches(entry: Entry, text: string, cols: TokenColumns, found: (c: Candidate) => void): void {
  const p = entry.indicator.pattern;
  if (p.kind !== 'regex') return;
  // exec on the codebook's own regex, not matchAll: matchAll clones the regex on every call
  const re = p.re;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex = afterCodePoint(text, re.lastIndex);
      continue;
    }
    const start = m.index;
    const end = start + m[0].length;
    let first = 0;
    while (first < cols.length && cols.end[first]! <= start) first++;
    let last = first;
    while (last < cols.length && cols.start[last]! < end) last++;
    if (first < cols.length && last > first) found(candidate(entry, first, last, start, end));
  }
}

/** The index after the code point at `i`: where a global /u regex goes on after an empty match. */
function afterCodePoint(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const low = text.charCodeAt(i + 1);
  return c >= 0xd800 && c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? i + 2 : i + 1;
}

/**
 * Candidates of every indicator, and exclusion matches by dimension, from one pass of the automaton.
 * With `survivorsOnly`, a regex indicator that its role or context rule would drop is not run at all.
 */
function candidates(compiled: CompiledCodebook, scope: TurnScope, survivorsOnly: boolean): { found: Candidate[]; excluded: Candidate[][] | undefined } {
  const { text, cols } = scope;
  const dims = compiled.codebook.dimensions;
  const found: Candidate[] = [];
  // by dimension, made on the first exclusion match: most turns have none
  let excluded: Candidate[][] | undefined;
  const add = (c: Candidate, exclusion: boolean) => (exclusion ? (excluded ??= dims.map(() => []))[c.dim]! : found).push(c);
  for (const { entry, exclusion, literal } of compiled.regexes) {
    if (literal && !literal.test(text)) continue;
    const ind = entry.indicator;
    if (survivorsOnly && !exclusion && (!ind.roles.includes(scope.role) || unmetContext(dims[entry.dim]!.context, scope) || unmetContext(ind.context, scope))) continue;
    regexMatches(entry, text, cols, (c) => add(c, exclusion));
  }
  const onPattern = (pattern: number, first: number, last: number) => {
    const { entry, exclusion } = compiled.patterns[pattern]!;
    add(candidate(entry, first, last, cols.start[first]!, cols.end[last - 1]!), exclusion);
  };
  for (const s of cols.sentences) runAutomaton(compiled.automaton, cols.norms, s.first, s.last, onPattern, cols);
  return { found: withoutNested(found), excluded };
}

/**
 * Drops a match nested inside a longer match of the same indicator ("not judge" inside "do not judge").
 * One sort and sweep per indicator, not a pairwise check: a long turn can hold thousands of one indicator's matches.
 */
function withoutNested(found: Candidate[]): Candidate[] {
  if (found.length < 2) return found;
  const byIndicator = new Map<Indicator, Candidate[]>();
  for (const c of found) {
    const list = byIndicator.get(c.indicator);
    if (list) list.push(c);
    else byIndicator.set(c.indicator, [c]);
  }
  const nested = new Set<Candidate>();
  for (const list of byIndicator.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.first - b.first || b.last - a.last);
    let reach = -1; // the furthest end of a match that starts before the current start
    for (let i = 0; i < sorted.length; ) {
      const first = sorted[i]!.first;
      const longest = sorted[i]!.last; // of the matches starting here
      let j = i;
      for (; j < sorted.length && sorted[j]!.first === first; j++) {
        const c = sorted[j]!;
        // a cover that starts earlier, or starts here and ends later, is strictly longer
        if (reach >= c.last || longest > c.last) nested.add(c);
      }
      reach = Math.max(reach, longest);
      i = j;
    }
  }
  return nested.size ? found.filter((c) => !nested.has(c)) : found;
}

/** No exclusion matches: what a dimension without any is given (never written to). */
const NONE: Candidate[] = [];

/** The token columns every turn is scanned into, in turn: codeText keeps nothing of them once it returns. */
const shared = tokenColumns();

/** The turn's tokens as objects (for `near` rules and models), made on first use. */
function tokenizedOf(scope: TurnScope): TokenizedText {
  const { cols } = scope;
  return (scope.tokenized ??= { tokens: tokensOf(cols), sentences: cols.sentences, words: cols.words });
}

export interface TurnCoding {
  words: number;
  counts: Record<string, number>;
  matches: Match[];
  /** every place an indicator matched, with why it was dropped (explain, tests) */
  candidates: Candidate[];
  /** every model indicator run on the turn (explain, tests); empty when the codebook has none */
  models: ModelHit[];
}

/** A model indicator's verdict on one turn. */
export interface ModelHit {
  dim: number;
  indicator: ModelIndicator;
  probability: number;
  /** the turn's features, for explain */
  features: Map<string, number>;
  /** the probability reached the indicator's threshold */
  reached: boolean;
  /** why a hit that reached its threshold still does not count: the dimension's context or threshold */
  dropped?: DropReason;
}

/** One turn's text, and what rules can see around it. */
interface TurnScope {
  text: string;
  role: Role;
  /** the turn's tokens: `scanTokens` columns, valid while the turn is coded */
  cols: TokenColumns;
  /** the tokens as objects, on first use by a `near` rule or a model */
  tokenized?: TokenizedText;
  /** tokens with their stems, on first use by a `near` rule */
  view?: TokenView;
  previous: PreviousTurn | undefined;
  /** the previous turn tokenized, on first use by a context phrase */
  previousView?: { tokenized: TokenizedText; view: TokenView };
}

/** Codes one turn; `candidates` holds every match, dropped or not, unless `survivorsOnly` (bulk coding) leaves some out. */
export function codeText(compiled: CompiledCodebook, text: string, role: Role, previous?: PreviousTurn, survivorsOnly = false): TurnCoding {
  const dims = compiled.codebook.dimensions;
  const cols = scanTokens(text, shared);
  const scope: TurnScope = { text, role, cols, previous };
  const { found: all, excluded } = candidates(compiled, scope, survivorsOnly);
  const counts: Record<string, number> = {};
  const matches: Match[] = [];
  // loops rather than callbacks, and NONE for a dimension without candidates: this runs for every turn
  const kept: Candidate[][] = dims.map(() => NONE);
  for (const c of all) (kept[c.dim] === NONE ? (kept[c.dim] = []) : kept[c.dim]!).push(c);
  for (let dim = 0; dim < dims.length; dim++) {
    const d = dims[dim]!;
    if (kept[dim]!.length) kept[dim] = applyRules(d, kept[dim]!, scope, excluded?.[dim] ?? NONE);
    counts[d.id] = kept[dim]!.length;
  }
  const models = compiled.models ? runModels(dims, all, kept, counts, scope) : [];
  for (let dim = 0; dim < dims.length; dim++) for (const c of kept[dim]!) matches.push(toMatch(dims[dim]!, c, text));
  for (const h of models) if (h.reached && !h.dropped) matches.push(modelMatch(dims[h.dim]!, h, text));
  if (matches.length > 1) matches.sort((a, b) => a.start - b.start || a.end - b.end);
  return { words: cols.words, counts, matches, candidates: all, models };
}

/**
 * Model indicators run after every phrase and regex, since their `hits:` features
 * are this turn's phrase counts. A model match is the whole turn: it takes no part
 * in the overlap rule, and its weight joins the dimension's threshold.
 */
function runModels(dims: Dimension[], all: Candidate[], kept: Candidate[][], counts: Record<string, number>, scope: TurnScope): ModelHit[] {
  const prev = scope.previous;
  const phraseCounts = { ...counts };
  let features: Map<string, number> | undefined;
  const featuresOf = (): Map<string, number> => {
    scope.view ??= viewOf(tokenizedOf(scope));
    return (features ??= turnFeatures({
      tokenized: tokenizedOf(scope),
      stems: scope.view.stems,
      role: scope.role,
      counts: phraseCounts,
      ...(prev ? { previous: { role: prev.role, counts: prev.counts } } : {}),
    }));
  };
  const hits: ModelHit[] = [];
  dims.forEach((d, dim) => {
    const mine: ModelHit[] = [];
    for (const indicator of d.models ?? []) {
      if (!indicator.roles.includes(scope.role)) continue;
      const features = featuresOf();
      const p = probability(indicator.model, features);
      const hit: ModelHit = { dim, indicator, probability: p, features, reached: p >= indicator.threshold };
      const unmet = hit.reached ? unmetContext(d.context, scope) : undefined;
      if (unmet) hit.dropped = unmet;
      mine.push(hit);
    }
    const live = mine.filter((h) => h.reached && !h.dropped);
    if (live.length && d.threshold !== undefined) {
      // phrase matches that fell short of the threshold alone count again, with the models' weights
      const phrases = kept[dim]!.length ? kept[dim]! : all.filter((c) => c.dim === dim && c.dropped?.reason === 'threshold');
      const total = [...phrases, ...live].reduce((sum, x) => sum + x.indicator.weight, 0);
      if (total >= d.threshold) {
        for (const c of phrases) delete c.dropped;
        kept[dim] = phrases.sort((a, b) => a.first - b.first);
      } else {
        for (const x of [...phrases, ...live]) x.dropped = { reason: 'threshold', total, threshold: d.threshold };
      }
    }
    counts[d.id] = kept[dim]!.length + live.filter((h) => !h.dropped).length;
    hits.push(...mine);
  });
  return hits;
}

function modelMatch(d: Dimension, h: ModelHit, text: string): Match {
  return { dimension: d.id, indicator: h.indicator.source, indicatorLine: h.indicator.line, start: 0, end: text.length, match: text, weight: h.indicator.weight };
}

export function codeTurn(compiled: CompiledCodebook, turn: Turn, previous?: PreviousTurn): CodedTurn {
  const { words, counts, matches } = codeText(compiled, turn.text, turn.role, previous, true);
  const coded: CodedTurn = { turn: turn.turn, speaker: turn.speaker, text: turn.text, role: turn.role, words, counts, matches };
  return withOptionalFields(turn, coded);
}

/** Marks each candidate's `dropped` and returns the survivors. */
function applyRules(d: Dimension, mine: Candidate[], scope: TurnScope, excluded: Candidate[]): Candidate[] {
  const { cols, text } = scope;
  const alive: Candidate[] = [];
  for (const c of mine) {
    const ind = c.indicator;
    if (!ind.roles.includes(scope.role)) {
      c.dropped = { reason: 'role', role: scope.role };
      continue;
    }
    if (ind.question !== undefined && cols.sentences[cols.sentence[c.first]!]!.question !== ind.question) {
      c.dropped = { reason: 'question', wanted: ind.question };
      continue;
    }
    const unmet = unmetContext(d.context, scope) ?? unmetContext(ind.context, scope);
    if (unmet) {
      c.dropped = unmet;
      continue;
    }
    if (ind.near && !isNear(c, ind.near, scope)) {
      c.dropped = { reason: 'near', phrase: ind.near.source, within: ind.near.within, line: ind.near.line };
      continue;
    }
    if (c.indicator.negation) {
      const cue = negationCue(d, c.first, cols);
      if (cue !== undefined) {
        const start = cols.start[cue]!;
        c.dropped = { reason: 'negated', cue: cols.norms[cue]!, written: text.slice(start, cols.end[cue]!), offset: start };
        continue;
      }
    }
    const veto = excluded.find((x) => x.first < c.last && c.first < x.last);
    if (veto) {
      c.dropped = { reason: 'excluded', by: veto.indicator.source, line: veto.indicator.line };
      continue;
    }
    alive.push(c);
  }
  alive.sort((a, b) => b.last - b.first - (a.last - a.first) || a.first - b.first || a.order - b.order);
  const owner = new Map<number, Candidate>();
  const kept: Candidate[] = [];
  for (const c of alive) {
    let blocker: Candidate | undefined;
    for (let t = c.first; t < c.last && !blocker; t++) blocker = owner.get(t);
    if (blocker) {
      c.dropped = { reason: 'overlap', by: blocker.indicator.source, line: blocker.indicator.line };
      continue;
    }
    for (let t = c.first; t < c.last; t++) owner.set(t, c);
    kept.push(c);
  }
  if (d.threshold !== undefined) {
    const total = kept.reduce((sum, c) => sum + c.indicator.weight, 0);
    if (total < d.threshold) {
      for (const c of kept) c.dropped = { reason: 'threshold', total, threshold: d.threshold };
      return [];
    }
  }
  return kept.sort((a, b) => a.first - b.first);
}

/** Why the previous turn fails a context condition, or undefined when it meets it. */
function unmetContext(context: Context | undefined, scope: TurnScope): DropReason | undefined {
  if (!context) return undefined;
  const unmet = (why: string): DropReason => ({ reason: 'context', unmet: why, line: context.line });
  const prev = scope.previous;
  if (!prev) return unmet('there is no previous turn');
  if (context.role && !context.role.includes(prev.role)) {
    return unmet(`the previous turn is by a ${prev.role}, not a ${context.role.join(' or ')}`);
  }
  if (context.coded && !context.coded.some((id) => (prev.counts[id] ?? 0) > 0)) {
    return unmet(`the previous turn is not coded ${context.coded.join(' or ')}`);
  }
  if (context.phrase) {
    if (!scope.previousView) {
      const tokenized = tokenize(prev.text);
      scope.previousView = { tokenized, view: viewOf(tokenized) };
    }
    if (!containsPhrase(context.phrase, scope.previousView.tokenized, scope.previousView.view)) {
      return unmet(`the previous turn does not contain "${context.phrase.source}"`);
    }
  }
  return undefined;
}

function containsPhrase(phrase: RulePhrase, tokenized: TokenizedText, view: TokenView): boolean {
  return tokenized.sentences.some((s) => {
    for (let i = s.first; i < s.last; i++) if (longestMatch(phrase.seq, view, i, s.last, phrase.stem) > 0) return true;
    return false;
  });
}

/** The `near` phrase matches elsewhere in the candidate's sentence, at most `within` tokens away. */
function isNear(c: Candidate, near: NonNullable<Indicator['near']>, scope: TurnScope): boolean {
  const sentence = scope.cols.sentences[scope.cols.sentence[c.first]!]!;
  scope.view ??= viewOf(tokenizedOf(scope));
  for (let i = sentence.first; i < sentence.last; i++) {
    const end = longestMatch(near.seq, scope.view, i, sentence.last, near.stem);
    if (end < 0 || (i < c.last && c.first < end)) continue;
    const distance = i >= c.last ? i - c.last : c.first - end;
    if (distance <= near.within) return true;
  }
  return false;
}

/** Index of a negation cue within the window before token `first`, in the same clause. */
function negationCue(d: Dimension, first: number, cols: TokenColumns): number | undefined {
  const clause = cols.clause[first]!;
  for (let i = first - 1; i >= 0 && i >= first - d.negation.window; i--) {
    if (cols.clause[i]! !== clause) return undefined;
    if (d.negation.cues.includes(cols.norms[i]!)) return i;
  }
  return undefined;
}

function toMatch(d: Dimension, c: Candidate, text: string): Match {
  return {
    dimension: d.id,
    indicator: c.indicator.source,
    indicatorLine: c.indicator.line,
    start: c.start,
    end: c.end,
    match: text.slice(c.start, c.end),
    weight: c.indicator.weight,
  };
}
