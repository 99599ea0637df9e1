/**
 * Every phrase of a codebook compiled once into one automaton over normalised
 * tokens: a Thompson NFA of all phrases side by side, run as a lazily built DFA.
 * A token is reduced to its class set (the words, stems and globs it is), worked
 * out once per distinct token; a DFA state is a set of NFA states, and its
 * transition on a class set is computed once and cached. So coding a token is
 * a table lookup, with no loop over indicators or patterns per turn.
 * From each start token, a pattern yields its longest match, as `longestMatch` does.
 */
import type { PhraseNode } from '../codebook/phrase.js';
import { stem } from '../text/stem.js';

const MATCH = 0; // consume a token of class `arg`
const ANY = 1; // consume any token (a gap)
const SPLIT = 2; // go to `next` and `alt` without consuming
const ACCEPT = 3; // pattern `arg` matched

/** The compiled NFA: plain data, saved in the bundled codebook's snapshot. */
export interface Automaton {
  patterns: number;
  /** number of token classes */
  classes: number;
  kind: number[];
  arg: number[];
  next: number[];
  alt: number[];
  /** the NFA states every pattern begins with (SPLITs followed) */
  start: number[];
  classOf: { exact: Map<string, number>; stemmed: Map<string, number>; globs: { re: RegExp; id: number }[] };
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
    start: [],
    classOf: { exact: new Map(), stemmed: new Map(), globs: [] },
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
  const starts = new Set<number>();
  patterns.forEach((p, id) => {
    for (const x of closure(a, build(p.seq, state(ACCEPT, id), p.stem))) if (a.kind[x] !== ACCEPT) starts.add(x);
  });
  a.start = [...starts].sort((x, y) => x - y);
  a.classes = classes;
  return a;
}

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

/**
 * The lazily built DFA of one automaton, made on first use and never saved.
 * State 0 is the dead state (no NFA state left), state 1 the start.
 */
interface Dfa {
  /** per DFA state: its NFA states, sorted */
  nfa: Int32Array[];
  /** per DFA state: the patterns that matched on entering it */
  accepts: Int32Array[];
  /**
   * Next DFA state by class set id, undefined until built: from the start state
   * (most tokens) in an array, from the others in one hash table, since arrays
   * indexed by sparse set ids would hold mostly holes, and a Map per state costs
   * more than the rest of a step.
   */
  fromStart: (number | undefined)[];
  moves: Moves;
  /** DFA states by `stateKey` */
  ids: Map<string, number>;
  /** class set id per distinct normalised token, and the class sets themselves */
  tokenSets: Map<string, number>;
  /** class set id + 1 by token id (NormIds), 0 when not looked up yet; of ids of epoch `idEpoch` */
  byId: Int32Array;
  idEpoch: number;
  setIds: Map<string, number>;
  sets: Int32Array[];
  /** the start state's NFA states: MATCH states by their class, and the ANY states */
  startByClass: Map<number, number[]>;
  startAny: number[];
  /** per sentence: each token's class set id */
  scratch: Int32Array;
  /** per start: pattern → its longest end */
  ends: Map<number, number>;
  /** dedupe stamps per NFA state, and the classes of the set being read, for building a transition */
  mark: Int32Array;
  inSet: Int32Array;
  stamp: number;
}

const dfas = new WeakMap<Automaton, Dfa>();

/** Bounds on what a DFA caches: a huge vocabulary empties the token cache; too many states start the DFA afresh. */
export const DFA_LIMITS = { tokens: 500_000, states: 50_000 };

function dfaOf(a: Automaton): Dfa {
  let d = dfas.get(a);
  if (!d) {
    d = { nfa: [], accepts: [], fromStart: [], moves: new Moves(), startByClass: new Map(), startAny: [], ids: new Map(), tokenSets: new Map(), byId: new Int32Array(1 << 12), idEpoch: 0, setIds: new Map([['', 0]]), sets: [new Int32Array(0)], scratch: new Int32Array(256), ends: new Map(), mark: new Int32Array(a.kind.length), inSet: new Int32Array(a.classes), stamp: 0 };
    addState(d, new Int32Array(0), new Int32Array(0));
    addState(d, Int32Array.from(a.start), new Int32Array(0));
    for (const x of a.start) {
      if (a.kind[x] === ANY) d.startAny.push(x);
      else d.startByClass.set(a.arg[x]!, [...(d.startByClass.get(a.arg[x]!) ?? []), x]);
    }
    dfas.set(a, d);
  }
  return d;
}

/** A DFA state is its NFA states and the patterns matched on entering it. */
function stateKey(nfa: Int32Array, accepts: Int32Array): string {
  return `${nfa.join(',')}|${accepts.join(',')}`;
}

function addState(d: Dfa, nfa: Int32Array, accepts: Int32Array, key = stateKey(nfa, accepts)): number {
  d.nfa.push(nfa);
  d.accepts.push(accepts);
  d.ids.set(key, d.nfa.length - 1);
  return d.nfa.length - 1;
}

/** The class set id of a normalised token: which words, stems and globs it is. */
function classSet(a: Automaton, d: Dfa, norm: string): number {
  let id = d.tokenSets.get(norm);
  if (id !== undefined) return id;
  const found = classesOf(a, norm);
  const key = found.join(',');
  id = d.setIds.get(key);
  if (id === undefined) {
    d.setIds.set(key, (id = d.sets.length));
    d.sets.push(Int32Array.from(found));
  }
  if (d.tokenSets.size >= DFA_LIMITS.tokens) d.tokenSets.clear();
  d.tokenSets.set(norm, id);
  return id;
}

/** Class ids of a normalised token, ascending. */
export function classesOf(a: Automaton, norm: string): number[] {
  const found: number[] = [];
  const exact = a.classOf.exact.get(norm);
  if (exact !== undefined) found.push(exact);
  const stemmed = a.classOf.stemmed.size ? a.classOf.stemmed.get(stem(norm)) : undefined;
  if (stemmed !== undefined) found.push(stemmed);
  for (const g of a.classOf.globs) if (g.re.test(norm)) found.push(g.id);
  return found.sort((x, y) => x - y);
}

/** Builds the DFA state after `from` reads a token of class set `set`. */
function move(a: Automaton, d: Dfa, from: number, set: number): number {
  const classes = d.sets[set]!;
  const stamp = ++d.stamp;
  for (let i = 0; i < classes.length; i++) d.inSet[classes[i]!] = stamp;
  if (from !== 1 && set !== 0 && !readsAny(a, d, d.nfa[from]!, stamp)) {
    // no step of `from` reads one of these classes: only its gaps go on, as on a token of no class
    const known = d.moves.get(from, 0);
    const to = known >= 0 ? known : move(a, d, from, 0);
    d.moves.set(from, set, to);
    return to;
  }
  const nfa: number[] = [];
  const accepts: number[] = [];
  const stack: number[] = [];
  // the start state holds every pattern's first step: look those up by class rather than test them all
  const steps = from === 1 ? [...d.startAny, ...[...classes].flatMap((c) => d.startByClass.get(c) ?? [])] : d.nfa[from]!;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (a.kind[s] !== ANY && d.inSet[a.arg[s]!] !== stamp) continue;
    stack.push(a.next[s]!);
    while (stack.length) {
      const x = stack.pop()!;
      if (d.mark[x] === stamp) continue;
      d.mark[x] = stamp;
      const k = a.kind[x];
      if (k === SPLIT) stack.push(a.alt[x]!, a.next[x]!);
      else if (k === ACCEPT) accepts.push(a.arg[x]!);
      else nfa.push(x);
    }
  }
  // typed arrays sort numerically, natively
  const nfaSet = Int32Array.from(nfa).sort();
  const acceptSet = Int32Array.from(accepts).sort();
  const key = stateKey(nfaSet, acceptSet);
  const to = d.ids.get(key) ?? addState(d, nfaSet, acceptSet, key);
  if (from === 1) d.fromStart[set] = to;
  else d.moves.set(from, set, to);
  return to;
}

/** Some MATCH step among `steps` reads a class stamped `stamp` in d.inSet. */
function readsAny(a: Automaton, d: Dfa, steps: Int32Array, stamp: number): boolean {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (a.kind[s] !== ANY && d.inSet[a.arg[s]!] === stamp) return true;
  }
  return false;
}

/** The tokenizer's numbers of the tokens' norms (TokenColumns has them): an array lookup where a norm would be a Map lookup. */
export interface NormIds {
  ids: Int32Array;
  epoch: number;
}

/** The class set id of token `i`, by its norm's id. */
function classSetById(a: Automaton, d: Dfa, norms: readonly string[], ids: Int32Array, i: number): number {
  const id = ids[i]!;
  if (id >= d.byId.length) {
    const wider = new Int32Array(Math.max(2 * d.byId.length, id + 1));
    wider.set(d.byId);
    d.byId = wider;
  }
  const known = d.byId[id]!;
  if (known > 0) return known - 1;
  const set = classSet(a, d, norms[i]!);
  d.byId[id] = set + 1;
  return set;
}

/**
 * Runs the automaton over tokens [from, to) — one sentence — and calls `found`
 * with each pattern's longest match from each start (end exclusive), by start
 * and then pattern. `numbered`, when given, numbers the same tokens as `norms`.
 */
export function runAutomaton(a: Automaton, norms: readonly string[], from: number, to: number, found: (pattern: number, start: number, end: number) => void, numbered?: NormIds): void {
  let d = dfaOf(a);
  if (d.nfa.length > DFA_LIMITS.states) {
    dfas.delete(a);
    d = dfaOf(a);
  }
  if (to - from > d.scratch.length) d.scratch = new Int32Array(Math.max(2 * (to - from), 256));
  const sets = d.scratch;
  if (numbered) {
    if (d.idEpoch !== numbered.epoch) {
      d.byId.fill(0);
      d.idEpoch = numbered.epoch;
    }
    for (let i = from; i < to; i++) sets[i - from] = classSetById(a, d, norms, numbered.ids, i);
  } else for (let i = from; i < to; i++) sets[i - from] = classSet(a, d, norms[i]!);
  const ends = d.ends;
  for (let i = from; i < to; i++) {
    let state = 1;
    for (let j = i; j < to; j++) {
      const set = sets[j - from]!;
      const known = state === 1 ? d.fromStart[set] : d.moves.get(state, set);
      state = known === undefined || known < 0 ? move(a, d, state, set) : known;
      if (state === 0) break;
      const accepts = d.accepts[state]!;
      for (let k = 0; k < accepts.length; k++) ends.set(accepts[k]!, j + 1);
      if (d.nfa[state]!.length === 0) break;
    }
    if (ends.size === 0) continue;
    for (const p of [...ends.keys()].sort((x, y) => x - y)) found(p, i, ends.get(p)!);
    ends.clear();
  }
}

/** (DFA state, class set) → next DFA state: an open-addressing hash table over typed arrays. */
class Moves {
  private from = new Int32Array(1 << 12).fill(-1);
  private set_ = new Int32Array(1 << 12);
  private to = new Int32Array(1 << 12);
  private size = 0;

  /** the next state, or -1 when not built yet */
  get(from: number, set: number): number {
    const mask = this.from.length - 1;
    for (let i = slot(from, set, mask); ; i = (i + 1) & mask) {
      const f = this.from[i]!;
      if (f === -1) return -1;
      if (f === from && this.set_[i] === set) return this.to[i]!;
    }
  }

  set(from: number, set: number, to: number): void {
    if (2 * (this.size + 1) > this.from.length) this.grow();
    const mask = this.from.length - 1;
    let i = slot(from, set, mask);
    while (this.from[i] !== -1 && !(this.from[i] === from && this.set_[i] === set)) i = (i + 1) & mask;
    if (this.from[i] === -1) this.size++;
    this.from[i] = from;
    this.set_[i] = set;
    this.to[i] = to;
  }

  private grow(): void {
    const { from, set_, to } = this;
    this.from = new Int32Array(from.length * 2).fill(-1);
    this.set_ = new Int32Array(from.length * 2);
    this.to = new Int32Array(from.length * 2);
    this.size = 0;
    for (let i = 0; i < from.length; i++) if (from[i] !== -1) this.set(from[i]!, set_[i]!, to[i]!);
  }
}

function slot(from: number, set: number, mask: number): number {
  return (Math.imul(from, 0x9e3779b1) ^ Math.imul(set, 0x85ebca6b)) & mask;
}
