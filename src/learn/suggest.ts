/**
 * Phrase suggestions for one dimension: the n-grams that best separate the
 * turns human coders coded for it from the rest, by the weighted log-odds ratio
 * with an informative Dirichlet prior (see log-odds.ts).
 *
 * Counting: each stemmed n-gram once per turn (document frequency), since a
 * turn is the unit that is coded; a phrase said three times in one turn codes it once.
 * Left out: occurrences inside a surviving match of the dimension, n-grams of
 * stop words only (lint's `stopwords-only`), n-grams that one of the dimension's
 * indicators already matches as a phrase, and n-grams that contain a
 * higher-ranked suggestion (which already matches wherever they do).
 */
import { binaryAgreement } from '../agreement/binary.js';
import { STOP_WORDS } from '../codebook/lint.js';
import type { Dimension, Indicator } from '../codebook/model.js';
import { literalWords, parsePhrase } from '../codebook/phrase.js';
import { codeText, compileCodebook, type CompiledCodebook } from '../coding/tagger.js';
import type { Role } from '../transcript/model.js';
import { eligibleTurns, type Corpus, type CorpusTurn } from './corpus.js';
import { weightedLogOdds } from './log-odds.js';
import { ngrams, type NGram } from './ngrams.js';

export interface SuggestSettings {
  /** α0, the weight of the prior in n-gram counts; by default the corpus's own total, so α_w = y_w (as tidylo does) */
  alpha0?: number;
  /** longest n-gram, in tokens */
  maxN: number;
  /** an n-gram must occur in at least this many coded turns */
  minCoded: number;
  top: number;
}

export const DEFAULT_SUGGEST: SuggestSettings = { maxN: 4, minCoded: 3, top: 20 };

export interface Excerpt {
  transcript: string;
  turn: number;
  /** a short stretch of the turn around the n-gram */
  text: string;
  /** the n-gram within `text` */
  start: number;
  end: number;
}

export interface Agreement {
  precision: number | null;
  recall: number | null;
  kappa: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Suggestion {
  /** the most frequent surface form, as a phrase */
  phrase: string;
  /** the stems that were counted */
  stems: string;
  z: number;
  delta: number;
  /** turns containing it (outside the dimension's matches): coded by the humans, and not */
  coded: number;
  uncoded: number;
  /** turns the dimension would newly code with it as an indicator */
  added: { tp: number; fp: number };
  /** the dimension against the human coding, with it added */
  after: Agreement;
  examples: Excerpt[];
}

export interface SuggestReport {
  dimension: string;
  label: string;
  roles: Role[];
  turns: number;
  transcripts: number;
  human_coded: number;
  codebook_coded: number;
  /** the codebook as it is, against the human coding */
  current: Agreement;
  settings: SuggestSettings & { alpha0: number; counting: 'turns'; unit: 'stemmed n-grams' };
  suggestions: Suggestion[];
}

const EXCERPT_CONTEXT = 50;

export function suggest(corpus: Corpus, d: Dimension, settings: SuggestSettings = DEFAULT_SUGGEST): SuggestReport {
  const turns = eligibleTurns(corpus, d);
  const human = turns.map((t) => t.human.has(d.id));
  const now = turns.map((t) => (t.counts[d.id] ?? 0) > 0);
  const coded = new Map<string, number>();
  const uncoded = new Map<string, number>();
  const postings = new Map<string, number[]>();
  const surfaces = new Map<string, Map<string, number>>();
  turns.forEach((t, i) => {
    for (const g of counted(t, d, settings.maxN)) {
      const into = human[i] ? coded : uncoded;
      into.set(g.key, (into.get(g.key) ?? 0) + 1);
      const list = postings.get(g.key);
      if (list) list.push(i);
      else postings.set(g.key, [i]);
      const forms = surfaces.get(g.key) ?? new Map<string, number>();
      forms.set(g.surface, (forms.get(g.surface) ?? 0) + 1);
      surfaces.set(g.key, forms);
    }
  });
  let total = 0;
  for (const m of [coded, uncoded]) for (const n of m.values()) total += n;
  const alpha0 = settings.alpha0 ?? total;
  const ranked = [...weightedLogOdds(coded, uncoded, alpha0)]
    .filter(([key, s]) => s.z > 0 && (coded.get(key) ?? 0) >= settings.minCoded)
    .sort((a, b) => b[1].z - a[1].z || (a[0] < b[0] ? -1 : 1));

  const current = agreement(now, human);
  const { automaton: _compiled, ...rest } = corpus.codebook;
  const alone = compileCodebook({ ...rest, dimensions: [d] });
  const stem = d.indicators.filter((x) => x.stem).length * 2 >= d.indicators.length;
  const taken: string[] = [];
  const suggestions: Suggestion[] = [];
  for (const [key, s] of ranked) {
    if (suggestions.length >= settings.top) break;
    if (taken.some((k) => ` ${key} `.includes(` ${k} `))) continue;
    const phrase = mostFrequent(surfaces.get(key)!);
    if (coversPhrase(alone, phrase, d.roles[0] ?? 'therapist')) continue;
    taken.push(key);
    const indicator = phraseIndicator(phrase, d, stem);
    const withIt = compileCodebook({ ...rest, dimensions: [{ ...d, indicators: [...d.indicators, indicator] }] });
    const added = { tp: 0, fp: 0 };
    const after = [...now];
    const newTp: number[] = [];
    for (const i of postings.get(key)!) {
      const t = turns[i]!;
      if (now[i] || !(codeText(withIt, t.text, t.role, t.previous).counts[d.id]! > 0)) continue;
      after[i] = true;
      if (human[i]) {
        added.tp++;
        newTp.push(i);
      } else added.fp++;
    }
    // the shortest turns it would newly code correctly, then other human-coded turns it occurs in
    const shortest = (list: number[]) => list.sort((a, b) => turns[a]!.text.length - turns[b]!.text.length || a - b);
    const pool = [...shortest(newTp), ...shortest(postings.get(key)!.filter((i) => human[i] && !newTp.includes(i)))];
    const examples = pool.slice(0, 2).map((i) => excerpt(turns[i]!, d, key, settings.maxN));
    suggestions.push({ phrase, stems: key, z: s.z, delta: s.delta, coded: coded.get(key) ?? 0, uncoded: uncoded.get(key) ?? 0, added, after: agreement(after, human), examples });
  }
  return {
    dimension: d.id,
    label: d.label,
    roles: d.roles,
    turns: turns.length,
    transcripts: new Set(turns.map((t) => t.transcript)).size,
    human_coded: human.filter(Boolean).length,
    codebook_coded: now.filter(Boolean).length,
    current,
    settings: { ...settings, alpha0, counting: 'turns', unit: 'stemmed n-grams' },
    suggestions,
  };
}

/** The turn's n-grams that count: outside the dimension's matches, not only stop words; each key once. */
export function counted(t: CorpusTurn, d: Dimension, maxN: number): NGram[] {
  const { tokens } = t.tokenized;
  const spans = t.matches.filter((m) => m.dimension === d.id);
  // tokens inside a surviving match; an n-gram made only of them is already matched
  const matched = tokens.map((x) => spans.some((m) => m.start <= x.start && x.end <= m.end));
  const seen = new Set<string>();
  const out: NGram[] = [];
  for (const g of ngrams(t.tokenized, 1, maxN, t.stems)) {
    if (seen.has(g.key)) continue;
    if (matched.slice(g.first, g.last).every(Boolean)) continue;
    let content = false;
    for (let i = g.first; i < g.last && !content; i++) content = !STOP_WORDS.has(tokens[i]!.norm);
    if (!content) continue;
    seen.add(g.key);
    out.push(g);
  }
  return out;
}

/** Whether one of the dimension's indicators matches within the phrase's own words, whatever the rules around it. */
export function coversPhrase(alone: CompiledCodebook, phrase: string, role: Role): boolean {
  return codeText(alone, phrase, role).candidates.length > 0;
}

function phraseIndicator(phrase: string, d: Dimension, stem: boolean): Indicator {
  const seq = parsePhrase(phrase);
  return {
    source: phrase,
    line: 0,
    col: 0,
    pattern: { kind: 'phrase', seq },
    weight: 1,
    roles: d.roles,
    stem,
    negation: !literalWords(seq).some((w) => d.negation.cues.includes(w)),
  };
}

function agreement(a: readonly boolean[], b: readonly boolean[]): Agreement {
  const t = { tp: 0, fp: 0, fn: 0, tn: 0 };
  a.forEach((x, i) => (x ? (b[i] ? t.tp++ : t.fp++) : b[i] ? t.fn++ : t.tn++));
  const s = binaryAgreement(t);
  return { precision: s.precision, recall: s.recall, kappa: s.kappa.kappa, ...t };
}

function mostFrequent(forms: Map<string, number>): string {
  return [...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

/** The n-gram's first counted occurrence in the turn, with a little text either side. */
function excerpt(t: CorpusTurn, d: Dimension, key: string, maxN: number): Excerpt {
  const g = counted(t, d, maxN).find((x) => x.key === key)!;
  const { tokens } = t.tokenized;
  const start = tokens[g.first]!.start;
  const end = tokens[g.last - 1]!.end;
  let from = Math.max(0, start - EXCERPT_CONTEXT);
  let to = Math.min(t.text.length, end + EXCERPT_CONTEXT);
  // cut at spaces, never into the n-gram
  const space = t.text.indexOf(' ', from);
  if (from > 0 && space >= 0 && space < start) from = space + 1;
  if (to < t.text.length) to = Math.max(end, t.text.lastIndexOf(' ', to));
  const before = from > 0 ? '…' : '';
  const text = `${before}${t.text.slice(from, to)}${to < t.text.length ? '…' : ''}`;
  return { transcript: t.transcript, turn: t.turn, text, start: start - from + before.length, end: end - from + before.length };
}
