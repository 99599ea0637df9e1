/**
 * A conservative static check for codebook regexes that can make JavaScript's
 * backtracking engine run for minutes on one long turn. The regex is parsed
 * into a small tree (it has already compiled with the `u` flag) and refused when:
 *
 * 1. star height > 1: a repeated part (`+`, `*`, `{n,}`, `{n,m}`, `{n}` with
 *    n > 1) holds a quantifier: `(a+)+`, `(\w*)*`, `(a?a?)+`, `(.*){2,}`, `(\w+\s?)+`;
 * 2. overlapping alternatives under a repeat: two alternatives that can begin
 *    with the same character (compared case-insensitively, as the codebook's `i`
 *    flag does), or one that can match nothing: `(a|a)+`, `(a|ab)*c`, `(\w|\d)+$`, `(a|)+`;
 * 3. an unbounded quantifier inside a lookbehind: `(?<=\.\s+)` is re-run
 *    backwards at every position, quadratic on a long run of spaces.
 *
 * Not caught (they are polynomial, or need a full automaton analysis):
 * - quantifiers in sequence over overlapping characters, at the start of a
 *   pattern or after each other: `.*foo`, `\w+ing` (quadratic on a long word;
 *   `\b\w+ing` is fine), `\s*\s*$`, `.*a.*a.*a`;
 * - an unbounded lookahead tried at every position, `(?=.*x)`;
 * - backreferences (`(a+)\1`), beyond treating them as "any character";
 * - character overlaps seen only outside the sample of characters compared
 *   (ASCII, the letters written in the classes, and a few others).
 */

/** `start`/`end`: where the node is written in the source */
type Node = { start: number; end: number } & (
  | { kind: 'char'; src: string }
  | { kind: 'assert' }
  | { kind: 'backref' }
  | { kind: 'group'; look?: 'ahead' | 'behind'; alts: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number }
);
type Bare = Node extends infer N ? (N extends Node ? Omit<N, 'start' | 'end'> : never) : never;

export function unsafeRegexReason(source: string): string | undefined {
  let tree: Node[][];
  try {
    tree = parse(source);
  } catch {
    return undefined; // not ours to judge: the caller has compiled it with the u flag already
  }
  const show = (from: number, to: number) => {
    const s = source.slice(from, to);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  let reason: string | undefined;
  const visit = (nodes: Node[], underRepeat: boolean, inLookbehind: boolean): void => {
    for (const n of nodes) {
      if (reason) return;
      if (n.kind === 'repeat') {
        if (inLookbehind && n.max === Infinity) {
          reason = `unbounded quantifier "${show(n.start, n.end)}" inside a lookbehind is re-run at every position (quadratic on long text)`;
          return;
        }
        const repeats = n.max > 1;
        if (repeats && n.node.kind === 'group' && !n.node.look && hasQuantifier(n.node)) {
          reason = `nested quantifier in "${show(n.start, n.end)}": a quantifier inside a repeated group`;
          return;
        }
        visit([n.node], underRepeat || repeats, inLookbehind);
      } else if (n.kind === 'group') {
        if (underRepeat && !n.look && n.alts.length > 1) {
          const clash = overlappingAlternatives(n.alts, source);
          if (clash) {
            reason = `overlapping alternatives under a repeat in "${show(n.start, n.end)}": ${clash}`;
            return;
          }
        }
        // a lookaround matches nothing itself, so a repeat around it cannot multiply its work
        for (const alt of n.alts) visit(alt, n.look ? false : underRepeat, inLookbehind || n.look === 'behind');
      }
    }
  };
  for (const alt of tree) visit(alt, false, false);
  return reason;
}

/** A quantifier other than an exact `{n}` anywhere inside, lookarounds included. */
function hasQuantifier(n: Node): boolean {
  if (n.kind === 'repeat') return n.min !== n.max || hasQuantifier(n.node);
  if (n.kind === 'group') return n.alts.some((alt) => alt.some(hasQuantifier));
  return false;
}

// ---------------------------------------------------------------- first characters

interface First {
  /** sources of the one-character atoms a match can begin with */
  atoms: string[];
  /** the sequence can match the empty string */
  nullable: boolean;
}

function firstOfSeq(seq: Node[]): First {
  const atoms: string[] = [];
  for (const n of seq) {
    const f = firstOf(n);
    atoms.push(...f.atoms);
    if (!f.nullable) return { atoms, nullable: false };
  }
  return { atoms, nullable: true };
}

function firstOf(n: Node): First {
  switch (n.kind) {
    case 'char':
      return { atoms: [n.src], nullable: false };
    case 'assert':
      return { atoms: [], nullable: true };
    case 'backref':
      return { atoms: ['[^]'], nullable: true }; // could be anything, or empty
    case 'group': {
      if (n.look) return { atoms: [], nullable: true };
      const parts = n.alts.map(firstOfSeq);
      return { atoms: parts.flatMap((p) => p.atoms), nullable: parts.some((p) => p.nullable) };
    }
    case 'repeat': {
      const f = firstOf(n.node);
      return { atoms: f.atoms, nullable: f.nullable || n.min === 0 };
    }
  }
}

function overlappingAlternatives(alts: Node[][], source: string): string | undefined {
  const firsts = alts.map(firstOfSeq);
  const text = (alt: Node[]) => (alt.length ? source.slice(alt[0]!.start, alt[alt.length - 1]!.end) : '');
  for (let i = 0; i < alts.length; i++) {
    if (firsts[i]!.nullable) return `alternative ${i + 1} can match nothing`;
    for (let j = 0; j < i; j++) {
      const shared = sharedChar(firsts[j]!.atoms, firsts[i]!.atoms);
      if (shared !== undefined) {
        const a = text(alts[j]!) || `alternative ${j + 1}`;
        const b = text(alts[i]!) || `alternative ${i + 1}`;
        return `"${a}" and "${b}" can both begin with ${JSON.stringify(shared)}`;
      }
    }
  }
  return undefined;
}

const SAMPLE = (() => {
  const out: string[] = [];
  for (let c = 0; c < 128; c++) out.push(String.fromCharCode(c));
  // Latin-1 and other letters, case-folding oddities (ſ, K, İ), other digits and spaces, an emoji
  out.push('é', 'ß', 'ſ', '\u212a', 'İ', 'ı', 'Ω', 'я', 'あ', '中', '٣', '\u00a0', '\u2028', '\u3000', '😀', '\u0301');
  return out;
})();

const matchers = new Map<string, RegExp>();
function matcher(atom: string): RegExp {
  let re = matchers.get(atom);
  if (!re) {
    try {
      re = new RegExp(`^(?:${atom})$`, 'iu');
    } catch {
      re = /^[^]$/u; // an atom we cannot rebuild alone: assume it matches anything
    }
    matchers.set(atom, re);
  }
  return re;
}

/** Characters written in an atom (`a`, `[xyz]`, `[a-f]`), worth testing besides the sample. */
function writtenChars(atom: string): string[] {
  const out: string[] = [];
  for (const ch of atom.replace(/\\[pPuxc]\{?[^}\\\]]*\}?|\\./gu, '')) out.push(ch, ch.toLowerCase(), ch.toUpperCase());
  return out;
}

/** A character that some atom of `a` and some atom of `b` both match, if any. */
function sharedChar(a: string[], b: string[]): string | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const candidates = new Set([...a.flatMap(writtenChars), ...b.flatMap(writtenChars), ...SAMPLE]);
  for (const ch of candidates) {
    if (a.some((x) => matcher(x).test(ch)) && b.some((x) => matcher(x).test(ch))) return ch;
  }
  return undefined;
}

// ---------------------------------------------------------------- parser

/** Parses JavaScript regex syntax (as with the `u` flag) into alternatives of nodes. */
function parse(source: string): Node[][] {
  let i = 0;
  const alternation = (): Node[][] => {
    const alts: Node[][] = [sequence()];
    while (source[i] === '|') {
      i++;
      alts.push(sequence());
    }
    return alts;
  };
  const sequence = (): Node[] => {
    const seq: Node[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const start = i;
      const atom = { ...term(), start, end: i } as Node;
      const q = quantifier();
      if (q) {
        if (source[i] === '?') i++; // lazy
        seq.push({ kind: 'repeat', node: atom, ...q, start, end: i });
      } else seq.push(atom);
    }
    return seq;
  };
  const quantifier = (): { min: number; max: number } | undefined => {
    const c = source[i];
    if (c === '*') return i++, { min: 0, max: Infinity };
    if (c === '+') return i++, { min: 1, max: Infinity };
    if (c === '?') return i++, { min: 0, max: 1 };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      const min = Number(m[1]);
      return { min, max: m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity };
    }
    return undefined;
  };
  const term = (): Bare => {
    const start = i;
    const c = source[i]!;
    if (c === '(') {
      i++;
      let look: 'ahead' | 'behind' | undefined;
      if (source.startsWith('?:', i)) i += 2;
      else if (source.startsWith('?=', i) || source.startsWith('?!', i)) (look = 'ahead'), (i += 2);
      else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) (look = 'behind'), (i += 3);
      else if (source.startsWith('?<', i)) i = source.indexOf('>', i) + 1;
      const alts = alternation();
      if (source[i] !== ')') throw new Error('unbalanced');
      i++;
      return { kind: 'group', ...(look ? { look } : {}), alts };
    }
    if (c === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      return { kind: 'char', src: source.slice(start, i) };
    }
    if (c === '^' || c === '$') return i++, { kind: 'assert' };
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'b' || e === 'B') return (i += 2), { kind: 'assert' };
      if (/[1-9]/.test(e)) {
        i += 1 + /^\d+/.exec(source.slice(i + 1))![0].length;
        return { kind: 'backref' };
      }
      if (e === 'k') return (i = source.indexOf('>', i) + 1), { kind: 'backref' };
      const long = /^\\(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z])/.exec(source.slice(i));
      i += long ? long[0].length : 2;
      return { kind: 'char', src: source.slice(start, i) };
    }
    i += c.codePointAt(0)! > 0xffff ? 2 : 1;
    return { kind: 'char', src: source.slice(start, i) };
  };
  const tree = alternation();
  if (i !== source.length) throw new Error('unbalanced');
  return tree;
}

/**
 * The longest run of plain characters that every match of `source` contains,
 * or '' when there is none: `\bto be (?:honest|fair)\b` → "to be ". A test for
 * it (with the regex's own flags, so case folding is the same) skips most turns
 * before the regex itself runs.
 */
export function requiredLiteral(source: string): string {
  let tree: Node[][];
  try {
    tree = parse(source);
  } catch {
    return '';
  }
  if (tree.length !== 1) return '';
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (const n of tree[0]!) {
    const atom = n.kind === 'repeat' ? n.node : n;
    const c = atom.kind === 'char' ? literalChar(atom.src) : undefined;
    if (c === undefined || (n.kind === 'repeat' && n.min === 0)) {
      end();
      continue;
    }
    run += c;
    if (n.kind === 'repeat') end(); // `a+`: one `a` is certain, what follows may come after more of them
  }
  end();
  return best;
}

/** The character an atom stands for when it is a plain one: `a`, `\/`, `\.`; not `.`, `\s`, `[ab]`. */
function literalChar(src: string): string | undefined {
  if (src.startsWith('\\')) return src.length === 2 && /[^\p{L}\p{N}]/u.test(src[1]!) ? src[1] : undefined;
  return src === '.' || src.startsWith('[') ? undefined : src;
}
