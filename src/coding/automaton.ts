/**
 * Every phrase of a codebook compiled once into one automaton over normalised
 * tokens (a Thompson NFA, all phrases side by side), run over each sentence in
 * a single pass: no loop over indicators per turn. Words, stems and globs are
 * token classes; the classes of a distinct token are worked out once and cached.
 * From each start token, a pattern yields its longest match, as `longestMatch` does.
 */
import type { PhraseNode } from '../codebook/phrase.js';
import { stem } from '../text/stem.js';

const MATCH = 0; // consume a token of class `arg`
const ANY = 1; // consume any token (a gap)
const SPLIT = 2; // go to `next` and `alt` without consuming
const ACCEPT = 3; // pattern `arg` matched

export interface Automaton {
  patterns: number;
  /** number of token classes */
  classes: number;
  scratch?: Scratch;
  kind: number[];
  arg: number[];
  next: number[];
  alt: number[];
  /** per pattern, the MATCH states it can begin with, by their class */
  seeds: Map<number, number[]>[];
  /** per pattern, the ANY states it can begin with (a gap first inside an alternative) */
  seedsAny: number[][];
  /** patterns by the classes of their anchor: the required token least likely to be common */
  byAnchor: Map<number, number[]>;
  /**
   * Per pattern, the tokens any match must contain: each entry is a set of
   * classes of which at least one must occur. A sentence lacking one (at or
   * after the start) cannot match, so no thread is started: most are not.
   */
  required: number[][][];
  classOf: { exact: Map<string, number>; stemmed: Map<string, number>; globs: { re: RegExp; id: number }[] };
  cache: Map<string, readonly number[]>;
}

export interface PatternSource {
  seq: PhraseNode[];
  stem: boolean;
}

export function compileAutomaton(patterns: PatternSource[]): Automaton {
  const a: Automaton = {
    patterns: patterns.length,
    classes: 0,
    kind: [],
    arg: [],
    next: [],
    alt: [],
    seeds: [],
    seedsAny: [],
    byAnchor: new Map(),
    required: [],
    classOf: { exact: new Map(), stemmed: new Map(), globs: [] },
    cache: new Map(),
  };
  let classes = 0;
  const globIds = new Map<string, number>();
  const state = (kind: number, arg = -1, next = -1, alt = -1) => {
    a.kind.push(kind);
    a.arg.push(arg);
    a.next.push(next);
    a.alt.push(alt);
    return a.kind.length - 1;
  };
  const classFor = (node: PhraseNode, stemming: boolean): number => {
    if (node.kind === 'glob') {
      let id = globIds.get(node.source);
      if (id === undefined) {
        globIds.set(node.source, (id = classes++));
        a.classOf.globs.push({ re: node.re, id });
      }
      return id;
    }
    if (node.kind !== 'word') throw new Error('not a token node');
    const [map, key] = stemming ? [a.classOf.stemmed, stem(node.norm)] : [a.classOf.exact, node.norm];
    let id = map.get(key);
    if (id === undefined) map.set(key, (id = classes++));
    return id;
  };
  // Compiles `seq` so that it continues at state `then`; returns its entry state.
  const build = (seq: PhraseNode[], then: number, stemming: boolean): number => {
    let entry = then;
    for (let i = seq.length - 1; i >= 0; i--) {
      const node = seq[i]!;
      switch (node.kind) {
        case 'word':
        case 'glob':
          entry = state(MATCH, classFor(node, stemming), entry);
          break;
        case 'alt': {
          const after = entry;
          const entries = node.options.map((o) => build(o, after, stemming));
          entry = entries.reduceRight((rest, e) => (rest < 0 ? e : state(SPLIT, -1, e, rest)), -1);
          break;
        }
        case 'opt':
          entry = state(SPLIT, -1, build(node.seq, entry, stemming), entry);
          break;
        case 'gap': {
          // up to `max` optional ANY steps, each of which may stop early
          let chain = entry;
          for (let k = 0; k < node.max; k++) chain = state(SPLIT, -1, state(ANY, -1, chain), entry);
          entry = chain;
          break;
        }
      }
    }
    return entry;
  };
  // Classes a match of `seq` must contain, one set per mandatory token (alternatives pooled).
  const required = (seq: PhraseNode[], stemming: boolean): number[][] =>
    seq.flatMap((node): number[][] => {
      if (node.kind === 'word' || node.kind === 'glob') return [[classFor(node, stemming)]];
      if (node.kind === 'alt') return [[...new Set(node.options.flatMap((o) => required(o, stemming).flat()))]];
      return [];
    });
  const reqs = patterns.map((p) => required(p.seq, p.stem));
  const common = new Set<number>();
  for (const w of COMMON_WORDS) {
    const exact = a.classOf.exact.get(w);
    const stemmed = a.classOf.stemmed.get(stem(w));
    if (exact !== undefined) common.add(exact);
    if (stemmed !== undefined) common.add(stemmed);
  }
  patterns.forEach((p, id) => {
    const req = reqs[id]!;
    a.required.push(req);
    // anchor on the required set with the fewest common words (globs count as common)
    const globs = new Set(a.classOf.globs.map((g) => g.id));
    const cost = (set: number[]) => set.filter((c) => common.has(c) || globs.has(c)).length / set.length + set.length / 1000;
    const anchor = req.reduce((best, set) => (cost(set) < cost(best) ? set : best), req[0]!);
    for (const c of anchor) a.byAnchor.set(c, [...(a.byAnchor.get(c) ?? []), id]);
    const start = build(p.seq, state(ACCEPT, id), p.stem);
    const byClass = new Map<number, number[]>();
    const any: number[] = [];
    for (const s of closure(a, start)) {
      if (a.kind[s] === MATCH) byClass.set(a.arg[s]!, [...(byClass.get(a.arg[s]!) ?? []), s]);
      else if (a.kind[s] === ANY) any.push(s);
    }
    a.seeds.push(byClass);
    a.seedsAny.push(any);
  });
  a.classes = classes;
  return a;
}

/** Words too common to anchor a pattern on; any required word outside this list is a better anchor. */
const COMMON_WORDS = (
  'i you he she it we they me him her us them my your his its our their this that these those a an the and or but if so ' +
  'to of in on at for with about from by as is am are was were be been being have has had do does did not no will would ' +
  'can could should may might must what how why when where who which there here just really very like know think get go ' +
  'feel say said want one all some any more much well yeah okay oh um uh right'
).split(' ');

/** States reachable from `s` without consuming a token (SPLIT followed), including `s`. */
function closure(a: Automaton, s: number): number[] {
  const out: number[] = [];
  const stack = [s];
  const seen = new Set<number>();
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (a.kind[x] === SPLIT) stack.push(a.alt[x]!, a.next[x]!);
    else out.push(x);
  }
  return out;
}

const CACHE_LIMIT = 500_000;

/** Class ids of a normalised token, worked out once per distinct token. */
export function classesOf(a: Automaton, norm: string): readonly number[] {
  let ids = a.cache.get(norm);
  if (ids) return ids;
  const found: number[] = [];
  const exact = a.classOf.exact.get(norm);
  if (exact !== undefined) found.push(exact);
  const stemmed = a.classOf.stemmed.size ? a.classOf.stemmed.get(stem(norm)) : undefined;
  if (stemmed !== undefined) found.push(stemmed);
  for (const g of a.classOf.globs) if (g.re.test(norm)) found.push(g.id);
  ids = found;
  if (a.cache.size >= CACHE_LIMIT) a.cache.clear(); // bound memory on a huge vocabulary
  a.cache.set(norm, ids);
  return ids;
}

/**
 * Runs the automaton over tokens [from, to) — one sentence — and calls `found`
 * with each pattern's longest match from each start (end exclusive).
 */
export function runAutomaton(a: Automaton, norms: readonly string[], from: number, to: number, found: (pattern: number, start: number, end: number) => void): void {
  const scratch = (a.scratch ??= newScratch(a));
  const { last, tried } = scratch;
  const stamp = ++scratch.stamp;
  const touched: number[] = [];
  // the classes of each token, and the last position of each class, for the required-token check
  const sentence: (readonly number[])[] = [];
  for (let i = from; i < to; i++) {
    const classes = classesOf(a, norms[i]!);
    sentence.push(classes);
    for (const c of classes) {
      if (last[c] === -1) touched.push(c);
      last[c] = i;
    }
  }
  const viable = (pattern: number, start: number) => {
    for (const any of a.required[pattern]!) {
      let ok = false;
      for (const c of any) if (last[c]! >= start) ok = true;
      if (!ok) return false;
    }
    return true;
  };
  // Only patterns whose anchor occurs in the sentence are started, at the tokens they can begin with.
  let seedsAt: number[][] | undefined;
  for (const c of touched) {
    const anchored = a.byAnchor.get(c);
    if (!anchored) continue;
    for (const p of anchored) {
      if (tried[p] === stamp) continue;
      tried[p] = stamp;
      if (!viable(p, from)) continue;
      const byClass = a.seeds[p]!;
      const any = a.seedsAny[p]!;
      for (let i = from; i < to; i++) {
        let here: number[] | undefined;
        for (const c of sentence[i - from]!) {
          const states = byClass.get(c);
          if (states) (here ??= []).push(...states);
        }
        if (any.length) (here ??= []).push(...any);
        if (here && viable(p, i)) ((seedsAt ??= [])[i - from] ??= []).push(...here);
      }
    }
  }
  for (const c of touched) last[c] = -1;
  if (!seedsAt) return;

  const width = to - from + 1;
  const best = new Map<number, number>(); // pattern * width + start → end
  const seen = new Set<number>();
  let threads: number[] = []; // pairs: state, start
  const add = (list: number[], s: number, start: number, at: number) => {
    // follow SPLITs; record ACCEPTs reached at position `at`
    const stack = [s];
    while (stack.length) {
      const x = stack.pop()!;
      const key = x * width + (start - from);
      if (seen.has(key)) continue;
      seen.add(key);
      const k = a.kind[x];
      if (k === SPLIT) stack.push(a.alt[x]!, a.next[x]!);
      else if (k === ACCEPT) {
        const pk = a.arg[x]! * width + (start - from);
        if ((best.get(pk) ?? -1) < at) best.set(pk, at);
      } else list.push(x, start);
    }
  };
  for (let i = from; i < to; i++) {
    const classes = sentence[i - from]!;
    for (const s of seedsAt[i - from] ?? []) threads.push(s, i);
    if (threads.length === 0) continue;
    seen.clear();
    const next: number[] = [];
    for (let t = 0; t < threads.length; t += 2) {
      const s = threads[t]!;
      const start = threads[t + 1]!;
      if (a.kind[s] === ANY || classes.includes(a.arg[s]!)) add(next, a.next[s]!, start, i + 1);
    }
    threads = next;
  }
  for (const [key, end] of best) {
    const start = (key % width) + from;
    if (end > start) found(Math.floor(key / width), start, end);
  }
}

/** Per-automaton working arrays, reset after each sentence, so a run allocates little. */
interface Scratch {
  /** last position of each class in the sentence, -1 when absent */
  last: Int32Array;
  /** the sentence stamp at which each pattern was last tried */
  tried: Int32Array;
  stamp: number;
}

function newScratch(a: Automaton): Scratch {
  return { last: new Int32Array(a.classes).fill(-1), tried: new Int32Array(a.patterns), stamp: 0 };
}
