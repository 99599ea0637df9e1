/**
 * tokenize() scans by char code (a class table, a word-forms cache); it must
 * give exactly what the regex version gave, which is kept below as the
 * reference: the same tokens (norm, start, end, word, sentence, clause), the
 * same sentences and the same word count, on generated strings rich in the
 * characters the rules turn on, on the fixture transcripts and on every AnnoMI
 * utterance when the data set is there. Both use the same expandWord and
 * normaliseWord: this is about finding words, sentences and clauses.
 */
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  expandWord,
  normaliseWord,
  tokenize,
  type Sentence,
  type Token,
  type TokenizedText,
} from '../../src/text/tokenize.js';
import { ANNOMI, ROOT } from '../cli/run.js';

const RUNS = Number(process.env.RELCODE_RUNS ?? 300);

// ------------------------------------------------ reference: the regex version

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’ʼ‘][\p{L}\p{M}]+)*['’]?/gu;
const SENTENCE_END = /[.?!…]/;
const CLAUSE_END = /[,;:—–()"“”]|\s-+\s|--/;
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'st', 'vs', 'prof', 'e.g', 'i.e', 'etc', 'jr', 'sr']);

function referenceTokenize(text: string): TokenizedText {
  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  let sentence = 0;
  let clause = 0;
  let sentenceFirst = 0;
  let prevEnd = 0;
  let prevWord = '';
  let words = 0;

  const closeSentence = (question: boolean) => {
    if (tokens.length > sentenceFirst) {
      sentences.push({ first: sentenceFirst, last: tokens.length, question });
      sentenceFirst = tokens.length;
      sentence++;
    }
  };

  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const gap = text.slice(prevEnd, start);
    if (words > 0) {
      if (endsSentence(gap, prevWord)) {
        closeSentence(gap.includes('?'));
        clause++;
      } else if (CLAUSE_END.test(gap)) {
        clause++;
      }
    }
    const written = normaliseWord(m[0]);
    for (const norm of expandWord(written)) {
      tokens.push({ norm, start, end: start + m[0].length, word: words, sentence, clause });
    }
    words++;
    prevEnd = start + m[0].length;
    prevWord = written;
  }
  closeSentence(text.slice(prevEnd).includes('?'));
  return { tokens, sentences, words };
}

function endsSentence(gap: string, prevWord: string): boolean {
  if (!SENTENCE_END.test(gap)) return false;
  if (/[?!…]/.test(gap)) return true;
  if (!/\s/.test(gap)) return false;
  return !(gap.trimEnd() === '.' && ABBREVIATIONS.has(prevWord));
}

// ------------------------------------------------------------------ comparing

let compared = 0;

/** Old and new on one string; toEqual (with its diff) only when they differ, so a large corpus stays quick. */
function expectSame(text: string): void {
  compared++;
  const expected = referenceTokenize(text);
  const actual = tokenize(text);
  if (!isDeepStrictEqual(actual, expected)) expect({ text, ...actual }).toEqual({ text, ...expected });
}

// ---------------------------------------------------------------- arbitraries

/** Pieces the rules turn on: word characters of every kind, apostrophes, sentence and clause ends, white space, abbreviations, contractions. */
const PIECES = [
  // letters, digits, marks; non-ASCII, astral, and lone surrogates
  'a', 'B', 'z', 'Q', 'é', 'e\u0301', '\u0301', 'ß', 'İ', 'Σ', 'ς', 'ж', 'ğ', '中', 'ا', 'ʼ', 'ǅ', 'ﬁ',
  '0', '7', '½', '²', '٣', 'Ⅻ', '𝐀', '𝟏', '😀', '👩‍👧', '\uD835', '\uDC00', '\u200b', '\u200d', '_',
  // apostrophes
  "'", '’', 'ʼ', '‘', '`', '´', "''",
  // sentence and clause ends, dashes
  '.', '..', '...', '?', '!', '?!', '…', ',', ';', ':', '—', '–', '(', ')', '"', '“', '”', '-', '--', '---', ' - ', ' -- ', '/', '&',
  // white space, \s and not
  ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u2029', '\u3000', '\ufeff', '\u1680', '\u202f',
  // abbreviations and words around them
  'Dr.', 'dr', 'DR.', 'Mr', 'Mrs.', 'ms', 'St.', 'vs.', 'Prof.', 'e.g.', 'i.e.', 'etc.', 'Jr.', 'sr', 'Lee', '3.5',
  // contractions and expansions
  "can't", "won't", "shan't", "ain't", "let's", "it's", "It’s", "John's", "'cause", "y'all", "don’t", "donʼt", "you're", "I'm",
  "they'd", "we'll", "we've", "goin'", "Joneses'", "o'clock", "rock'n'roll", "n't", "'s", "s'", "a'1", "1'a", 'cannot', 'gonna',
  'wanna', 'kinda', 'cuz', 'constructor', '__proto__', 'toString',
];
const piece = fc.constantFrom(...PIECES);
/** Sometimes a space between pieces, so that words stay apart as often as they run together. */
const richText = fc
  .array(fc.tuple(piece, fc.constantFrom('', '', ' ')), { maxLength: 40 })
  .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
/** Any code points at all, and any UTF-16 code units (lone surrogates). */
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));

// ---------------------------------------------------------------------- tests

describe('tokenize: the char-code scanner gives what the regex version gave', () => {
  it.each([
    '',
    ' ',
    'hello',
    'Hello, world.',
    'Dr. Lee is here. He is.',
    'See Dr.Lee today',
    'I saw e.g. this. And etc. that',
    'It costs 3.5 dollars... really?!',
    'Wait -- what? - no - yes-no',
    'a - b',
    'a -b',
    'a- b',
    'a\t-\tb',
    'a\u00a0-\u2028b',
    '"Quote," she said: (yes); no — maybe – ok…',
    "I can't, won't; let's go. It's John's 'cause y'all",
    "don’t donʼt don‘t don`t don´t",
    "a'b'c' a''b a'1 1'a rock'n'roll goin' Joneses' 'tis",
    'e\u0301te\u0301 naïve İstanbul ΟΔΟΣ straße',
    '𝐀𝐁 𝟏 😀 x😀y \uD835 \uDC00 a\uD835b',
    'Why? Because. ? ! …',
    'trailing question ?',
    'no words at all ... ?',
    'Dr.\n\nNext',
    'Dr. \u3000 Next',
    'constructor __proto__ toString',
  ])('%j', (text) => {
    expectSame(text);
  });

  it('on generated strings from a rich alphabet, and on any code points and code units', () => {
    fc.assert(fc.property(richText, (text) => expectSame(text)), { numRuns: RUNS * 20 });
    fc.assert(fc.property(anyText, (text) => expectSame(text)), { numRuns: RUNS * 10 });
  });

  it('on a text of more distinct words than the word-forms cache holds, twice', () => {
    // 40,000 distinct words: the cache is emptied on the way, and words come back after that
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const word = (k: number) => letters[k % 26]! + letters[Math.floor(k / 26) % 26]! + letters[Math.floor(k / 676) % 26]! + letters[Math.floor(k / 17576) % 26]!;
    const text = Array.from({ length: 40_000 }, (_, k) => (k % 7 === 0 ? `${word(k)}'s.` : word(k))).join(' ');
    expectSame(text);
    expectSame(text);
  });

  it('on every fixture transcript (.txt), whole and line by line', () => {
    const dir = join(ROOT, 'fixtures', 'transcripts');
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expectSame(text);
      for (const line of text.split('\n')) expectSame(line);
    }
  });

  it.skipIf(!existsSync(ANNOMI))('on every AnnoMI utterance, and on the whole CSV file as one text', () => {
    const file = readFileSync(ANNOMI, 'utf8');
    const records = parse(file, { columns: true }) as { utterance_text: string }[];
    expect(records.length).toBeGreaterThan(9000);
    for (const r of records) expectSame(r.utterance_text);
    expectSame(file);
  });

  it('compared them all', () => {
    console.info(`tokenize equivalence: ${compared} strings compared, old and new the same on each`);
    expect(compared).toBeGreaterThan(RUNS * 30);
  });
});
