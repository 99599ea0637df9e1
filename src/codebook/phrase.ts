/**
 * The phrase language of indicators, parsed into a small tree over normalised tokens.
 *
 *   word        one token; with stemming it also matches the word's inflections
 *   wo*rd w?rd  glob on one token
 *   (a|b c)     alternatives, each a sequence
 *   [a b]       optional sequence
 *   ... / ...N  gap of 0–3 / 0–N tokens
 *
 * Words are normalised as transcript text is (case, apostrophes, contractions),
 * so `you're` in a phrase is the two tokens `you are`.
 */
import { expandWord, normaliseWord } from '../text/tokenize.js';

export type PhraseNode =
  | { kind: 'word'; norm: string }
  | { kind: 'glob'; source: string; re: RegExp }
  | { kind: 'alt'; options: PhraseNode[][] }
  | { kind: 'opt'; seq: PhraseNode[] }
  | { kind: 'gap'; max: number };

export class PhraseError extends Error {
  /** 0-based index into the phrase source */
  readonly index: number;
  readonly hint: string;
  constructor(message: string, index: number, hint: string) {
    super(message);
    this.index = index;
    this.hint = hint;
  }
}

export const DEFAULT_GAP = 3;
const MAX_GAP = 50;

type Lexeme =
  | { type: '(' | ')' | '[' | ']' | '|'; index: number }
  | { type: 'gap'; max: number; index: number }
  | { type: 'word'; text: string; index: number };

function lex(source: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if ('()[]|'.includes(ch)) {
      out.push({ type: ch as '(' | ')' | '[' | ']' | '|', index: i });
      i++;
    } else if (source.startsWith('...', i)) {
      const m = /^\.\.\.(\d*)/.exec(source.slice(i))!;
      const max = m[1] ? Number(m[1]) : DEFAULT_GAP;
      if (max < 1 || max > MAX_GAP) {
        throw new PhraseError(`gap "${m[0]}" must allow 1 to ${MAX_GAP} tokens`, i, 'write `...` for 0–3 tokens or `...N` with N from 1 to 50');
      }
      out.push({ type: 'gap', max, index: i });
      i += m[0].length;
    } else {
      let j = i;
      while (j < source.length && !/[\s()[\]|]/.test(source[j]!) && !source.startsWith('...', j)) j++;
      out.push({ type: 'word', text: source.slice(i, j), index: i });
      i = j;
    }
  }
  return out;
}

export function parsePhrase(source: string): PhraseNode[] {
  const lexemes = lex(source);
  let pos = 0;

  const parseSeq = (closers: string[]): PhraseNode[] => {
    const seq: PhraseNode[] = [];
    while (pos < lexemes.length) {
      const l = lexemes[pos]!;
      if (closers.includes(l.type)) break;
      pos++;
      switch (l.type) {
        case 'word':
          seq.push(...wordNodes(l.text, l.index));
          break;
        case 'gap':
          seq.push({ kind: 'gap', max: l.max });
          break;
        case '(': {
          const options: PhraseNode[][] = [];
          for (;;) {
            const option = parseSeq(['|', ')']);
            if (!canMatchToken(option)) {
              throw new PhraseError('empty alternative', l.index, 'remove the empty `|`, or write `[word]` for an optional word');
            }
            options.push(option);
            const next = lexemes[pos];
            if (!next) throw new PhraseError('unbalanced "(": no closing ")"', l.index, 'close the alternatives with ")"');
            pos++;
            if (next.type === ')') break;
          }
          seq.push({ kind: 'alt', options });
          break;
        }
        case '[': {
          const inner = parseSeq([']', ')', '|']);
          const next = lexemes[pos];
          if (!next || next.type !== ']') throw new PhraseError('unbalanced "[": no closing "]"', l.index, 'close the optional part with "]"');
          pos++;
          if (!canMatchToken(inner)) throw new PhraseError('empty optional part "[]"', l.index, 'put a word inside the brackets or remove them');
          seq.push({ kind: 'opt', seq: inner });
          break;
        }
        case ')':
        case ']':
          throw new PhraseError(`unbalanced "${l.type}": nothing to close`, l.index, `remove the "${l.type}" or add its opening bracket`);
        case '|':
          throw new PhraseError('"|" outside parentheses', l.index, 'write alternatives inside parentheses: `(a|b)`');
      }
    }
    return seq;
  };

  const seq = parseSeq([]);
  if (pos < lexemes.length) {
    const l = lexemes[pos]!;
    throw new PhraseError(`unexpected "${l.type}"`, l.index, 'check the brackets of the phrase');
  }
  if (!canMatchToken(seq)) {
    throw new PhraseError('the phrase has no word that must match', 0, 'a phrase needs at least one word outside `[...]`');
  }
  if (seq[0]?.kind === 'gap' || seq[seq.length - 1]?.kind === 'gap') {
    throw new PhraseError('a gap at the start or end of a phrase does nothing', 0, 'put `...` between two words');
  }
  return seq;
}

function wordNodes(text: string, index: number): PhraseNode[] {
  const written = normaliseWord(text);
  if (/[*?]/.test(written)) {
    if (!/^[\p{L}\p{N}\p{M}'*?]+$/u.test(written)) {
      throw new PhraseError(`glob "${text}" must be a single word`, index, 'a glob such as `judg*` or `w?rd` matches one token; split it into words');
    }
    const pattern = written.replace(/[*?']/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : c));
    return [{ kind: 'glob', source: written, re: new RegExp(`^${pattern}$`, 'u') }];
  }
  const words = written.match(/[\p{L}\p{N}\p{M}]+(?:'[\p{L}\p{M}]+)*'?|'[\p{L}]+/gu);
  if (!words) throw new PhraseError(`"${text}" has no letters or digits`, index, 'punctuation is ignored in phrases; remove it');
  return words.flatMap(expandWord).filter(Boolean).map((norm) => ({ kind: 'word', norm }) as const);
}

/** True when the sequence cannot match zero tokens. */
function canMatchToken(seq: PhraseNode[]): boolean {
  return seq.some((n) =>
    n.kind === 'word' || n.kind === 'glob' || (n.kind === 'alt' && n.options.every(canMatchToken)),
  );
}

/** Every literal word of a phrase, in alternatives and optional parts too. */
export function literalWords(seq: PhraseNode[]): string[] {
  return seq.flatMap((n) => {
    switch (n.kind) {
      case 'word':
        return [n.norm];
      case 'alt':
        return n.options.flatMap(literalWords);
      case 'opt':
        return literalWords(n.seq);
      default:
        return [];
    }
  });
}
