/**
 * Turn text → normalised tokens that keep their character offsets.
 * Normalisation (the same for transcripts and codebook phrases): lower case,
 * curly apostrophes straightened, contractions expanded (`you're` → you are,
 * `can't` → can not), hyphenated words split.
 */
export interface Token {
  /** normalised form: lower case, contraction expanded */
  norm: string;
  /** offsets in the original text (UTF-16, end exclusive); parts of one contraction share its word */
  start: number;
  end: number;
  /** index of the written word this token came from; contractions give several tokens of one word */
  word: number;
  /** sentences end at . ? ! …; a match never crosses one */
  sentence: number;
  /** clauses also end at , ; : and dashes; the negation scope stops there */
  clause: number;
}

export interface Sentence {
  /** token range, end exclusive */
  first: number;
  last: number;
  /** the sentence ends with a question mark */
  question: boolean;
}

export interface TokenizedText {
  tokens: Token[];
  sentences: Sentence[];
  /** written words (a contraction counts once) */
  words: number;
}

// A word: letters/digits, with inner apostrophes (don't, o'clock). Hyphens split words.
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’ʼ‘][\p{L}\p{M}]+)*['’]?/gu;
const APOSTROPHES = /[’ʼ‘`´]/g;
const SENTENCE_END = /[.?!…]/;
const CLAUSE_END = /[,;:—–()"“”]|\s-+\s|--/;
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'st', 'vs', 'prof', 'e.g', 'i.e', 'etc', 'jr', 'sr']);

/** Whole-word forms whose expansion is not a suffix rule; a Map, so a word such as `constructor` never reaches Object.prototype. */
const IRREGULAR = new Map<string, string[]>(Object.entries({
  "can't": ['can', 'not'],
  cannot: ['can', 'not'],
  "won't": ['will', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['is', 'not'],
  "let's": ['let', 'us'],
  "y'all": ['you', 'all'],
  gonna: ['going', 'to'],
  wanna: ['want', 'to'],
  gotta: ['got', 'to'],
  kinda: ['kind', 'of'],
  sorta: ['sort', 'of'],
  "'cause": ['because'],
  cuz: ['because'],
}));

/** `'s` after these is `is`; after anything else it is a possessive and dropped. */
const S_IS = new Set([
  'it', 'that', 'there', 'here', 'what', 'who', 'where', 'how', 'when', 'why', 'he', 'she',
  'this', 'everything', 'nothing', 'something', 'someone', 'everyone', 'anyone', 'nobody', 'somebody', 'everybody',
]);

const SUFFIXES: [string, string][] = [
  ["n't", 'not'],
  ["'re", 'are'],
  ["'ve", 'have'],
  ["'ll", 'will'],
  ["'d", 'would'],
  ["'m", 'am'],
];

/** Expand one written word (lower case, straight apostrophes) into normalised tokens. */
export function expandWord(word: string): string[] {
  const irregular = IRREGULAR.get(word);
  if (irregular) return irregular;
  if (!word.includes("'")) return [word]; // most words: no contraction to expand
  for (const [suffix, full] of SUFFIXES) {
    if (word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      return base ? [base, full] : [full];
    }
  }
  if (word.endsWith("'s")) {
    const base = word.slice(0, -2);
    return S_IS.has(base) ? [base, 'is'] : [base];
  }
  if (word.endsWith("'")) return [word.slice(0, -1)];
  return [word];
}

export function normaliseWord(written: string): string {
  return written.replace(APOSTROPHES, "'").toLowerCase();
}

export function tokenize(text: string): TokenizedText {
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
  // "Dr. Lee", "3.5": a full stop without following space, or after an abbreviation, does not end a sentence
  if (/[?!…]/.test(gap)) return true;
  if (!/\s/.test(gap)) return false;
  return !(gap.trimEnd() === '.' && ABBREVIATIONS.has(prevWord));
}
