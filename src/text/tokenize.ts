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

// A word: letters/digits, with inner apostrophes (don't, o'clock), a trailing one
// (goin'); hyphens split words. As a regex (flag u), which wordEnd() scans by hand:
//   [\p{L}\p{N}\p{M}]+(?:['’ʼ‘][\p{L}\p{M}]+)*['’]?
const WORD_CHAR_SET = /[\p{L}\p{N}\p{M}]/u;
const LETTER_SET = /[\p{L}\p{M}]/u;
const APOSTROPHES = /[’ʼ‘`´]/g;
const SENTENCE_END = /[.?!…]/;
// Clauses end at these characters, and at `--` or a hyphen between spaces:
// together the regex /[,;:—–()"“”]|\s-+\s|--/, see dashEndsClause().
const CLAUSE_END_SET = /[,;:—–()"“”]/;
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

/*
 * The scanner. tokenize() is the hot path of coding (about 400 ns a word with
 * String.matchAll over the word regex and regex tests on a slice of every gap),
 * so it walks the text once by char code instead, with a table of what each
 * character is to the word, sentence and clause rules. The character sets
 * above stay the definition: a non-ASCII character's entry is filled from them
 * the first time it is seen. test/text/tokenize-equivalence.test.ts checks the
 * scanner against the regex version on random and real text.
 */
const WORD_CHAR = 1; // \p{L} \p{N} \p{M}: starts or continues a word
const LETTER = 2; // \p{L} \p{M}: may follow an inner apostrophe (a digit may not)
const INNER_APOSTROPHE = 4; // ' ’ ʼ ‘
const FINAL_APOSTROPHE = 8; // ' ’
const SPACE = 16; // \s
const FULL_STOP = 32; // .
const STRONG_END = 64; // ? ! …: end a sentence wherever they stand
const QUESTION = 128; // ?
const CLAUSE_MARK = 256; // , ; : — – ( ) " “ ”
const HYPHEN = 512; // - ends a clause only as `--` or ` - `, see dashEndsClause
const HIGH_SURROGATE = 1024; // look at the pair: the regexes (flag u) see one code point
const WIDE = 2048; // the class of a surrogate pair: two code units
const KNOWN = 4096; // the table entry has been filled

/** Class bits of one code point, from the character sets above. */
function classOf(char: string): number {
  let bits = KNOWN;
  if (WORD_CHAR_SET.test(char)) bits |= WORD_CHAR;
  if (LETTER_SET.test(char)) bits |= LETTER;
  if (/['’ʼ‘]/.test(char)) bits |= INNER_APOSTROPHE;
  if (/['’]/.test(char)) bits |= FINAL_APOSTROPHE;
  if (/\s/.test(char)) bits |= SPACE;
  if (SENTENCE_END.test(char)) bits |= char === '.' ? FULL_STOP : STRONG_END;
  if (char === '?') bits |= QUESTION;
  if (CLAUSE_END_SET.test(char)) bits |= CLAUSE_MARK;
  if (char === '-') bits |= HYPHEN;
  return bits;
}

/** Classes of ASCII, the common case, without further checks. */
const ASCII_CLASS = new Uint16Array(128);
for (let c = 0; c < 128; c++) ASCII_CLASS[c] = classOf(String.fromCharCode(c));

/** Classes of the other UTF-16 code units, filled on first sight: 128 KB, and no regex on the hot path. */
const UNIT_CLASS = new Uint16Array(0x10000);

/** Classes of the astral code points seen so far (𝐀, emoji); rare in transcripts. */
const ASTRAL_CLASS = new Map<number, number>();

/** Class bits of the code point at `i` (i < text.length); WIDE when it is a surrogate pair. */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? ASCII_CLASS[c]! : nonAsciiClass(text, i, c);
}

function nonAsciiClass(text: string, i: number, c: number): number {
  let bits = UNIT_CLASS[c]!;
  if (bits === 0) {
    bits = c >= 0xd800 && c <= 0xdbff ? KNOWN | HIGH_SURROGATE : classOf(String.fromCharCode(c));
    UNIT_CLASS[c] = bits;
  }
  if ((bits & HIGH_SURROGATE) === 0) return bits;
  const low = text.charCodeAt(i + 1); // NaN past the end
  if (!(low >= 0xdc00 && low <= 0xdfff)) return KNOWN; // a lone surrogate is no word character
  const codePoint = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
  let astral = ASTRAL_CLASS.get(codePoint);
  if (astral === undefined) {
    astral = classOf(String.fromCodePoint(codePoint)) | WIDE;
    if (ASTRAL_CLASS.size < 4096) ASTRAL_CLASS.set(codePoint, astral);
  }
  return astral;
}

/** FNV-1a over UTF-16 code units: the key of the word-forms table below, computed while scanning. */
const FNV_OFFSET = 0x811c9dc5;
const mix = (hash: number, unit: number) => Math.imul(hash ^ unit, 0x01000193);

/** The hash of the word that wordEnd() last scanned (a second result, so that nothing is allocated per word). */
let wordHash = 0;

/** End of the word that starts at `start` (a word character): what WORD matches there. Sets wordHash. */
function wordEnd(text: string, start: number): number {
  const n = text.length;
  let hash = FNV_OFFSET;
  // Fast path, most words: ASCII letters and digits up to ASCII that is no apostrophe (a space, a full stop).
  let i = start;
  let c = 0;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c >= 128 || (ASCII_CLASS[c]! & WORD_CHAR) === 0) break;
    hash = mix(hash, c);
  }
  if (i === n || (c < 128 && (ASCII_CLASS[c]! & INNER_APOSTROPHE) === 0)) {
    wordHash = hash;
    return i;
  }
  // Otherwise the whole pattern, a code point at a time, from where the fast path stopped.
  const end = wordEndFrom(text, i);
  for (; i < end; i++) hash = mix(hash, text.charCodeAt(i));
  wordHash = hash;
  return end;
}

/** End of the word that goes on at `i` (at its first character or a later one): WORD, a code point at a time. */
function wordEndFrom(text: string, i: number): number {
  const n = text.length;
  let bits = 0;
  // [\p{L}\p{N}\p{M}]+
  while (i < n && ((bits = classAt(text, i)) & WORD_CHAR) !== 0) i += bits & WIDE ? 2 : 1;
  // (?:['’ʼ‘][\p{L}\p{M}]+)*: an apostrophe counts only with a letter after it (don't, o'clock)
  while (i + 1 < n && (classAt(text, i) & INNER_APOSTROPHE) !== 0 && ((bits = classAt(text, i + 1)) & LETTER) !== 0) {
    i++;
    do {
      i += bits & WIDE ? 2 : 1;
    } while (i < n && ((bits = classAt(text, i)) & LETTER) !== 0);
  }
  // ['’]?: a trailing apostrophe (goin', the Joneses')
  if (i < n && (classAt(text, i) & FINAL_APOSTROPHE) !== 0) i++;
  return i;
}

/** The multi-character forms of CLAUSE_END in a gap: `--`, or a lone `-` between spaces (`\s-+\s` with one hyphen). */
function dashEndsClause(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== 45) continue;
    if (i + 1 < to && text.charCodeAt(i + 1) === 45) return true;
    if (i > from && i + 1 < to && (classAt(text, i - 1) & SPACE) !== 0 && (classAt(text, i + 1) & SPACE) !== 0) return true;
  }
  return false;
}

/** gap.trimEnd() === '.': a full stop and then only white space. */
function isLoneFullStop(text: string, from: number, to: number): boolean {
  if (text.charCodeAt(from) !== 46) return false;
  for (let i = from + 1; i < to; i++) if ((classAt(text, i) & SPACE) === 0) return false;
  return true;
}

/** What one written word becomes; shared by every occurrence of it. */
interface WordForms {
  /** the word as it stands in the text */
  asWritten: string;
  /** expandWord(normaliseWord(asWritten)) */
  norms: string[];
  /** normaliseWord(asWritten) is in ABBREVIATIONS: a full stop after it does not end the sentence */
  abbreviation: boolean;
  /** the norms' ids, see normId */
  ids: number[];
}

/**
 * Every distinct normalised form is numbered the first time a word that gives it
 * is scanned, so that coding can look a token up by number in an array rather
 * than by string in a Map. Once NORM_IDS.limit forms are numbered, numbering
 * starts afresh between two texts, in a new epoch: memory stays bounded.
 */
export const NORM_IDS = { limit: 1 << 19 };
const normIds = new Map<string, number>();
let normEpoch = 0;

function normId(norm: string): number {
  let id = normIds.get(norm);
  if (id === undefined) normIds.set(norm, (id = normIds.size));
  return id;
}

/*
 * normaliseWord + expandWord once per distinct written word rather than once
 * per occurrence (a session repeats a few thousand words), in an
 * open-addressing hash table looked up by the word's place in the text: a hit
 * compares char codes and allocates nothing, where a Map would take a
 * text.slice() of every word and hash that new string. Emptied when half full,
 * so memory stays bounded and probes stay short.
 */
const SLOTS = 1 << 15;
const formsTable: (WordForms | undefined)[] = new Array<WordForms | undefined>(SLOTS).fill(undefined);
let formsCount = 0;

function clearForms(): void {
  formsTable.fill(undefined);
  formsCount = 0;
}

/** The forms of the word text.slice(start, end), whose hash is `hash`. */
function formsAt(text: string, start: number, end: number, hash: number): WordForms {
  let slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  for (let forms = formsTable[slot]; forms !== undefined; forms = formsTable[slot]) {
    if (isTextAt(forms.asWritten, text, start, end)) return forms;
    slot = (slot + 1) & (SLOTS - 1);
  }
  if (formsCount >= SLOTS / 2) {
    clearForms();
    slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  }
  const asWritten = text.slice(start, end);
  const written = normaliseWord(asWritten);
  const norms = expandWord(written);
  const forms = { asWritten, norms, abbreviation: ABBREVIATIONS.has(written), ids: norms.map(normId) };
  formsTable[slot] = forms;
  formsCount++;
  return forms;
}

/** word === text.slice(start, end), without making the slice. */
function isTextAt(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * A turn's tokens as columns, one entry per token in each: what coding reads,
 * without an object per token. `scanTokens` fills one and reuses it from turn
 * to turn, so a run allocates only the sentences.
 */
export interface TokenColumns {
  /** tokens in this text; the arrays may be longer */
  length: number;
  norms: string[];
  /** each norm's number, valid within `epoch`: see NORM_IDS */
  ids: Int32Array;
  epoch: number;
  start: Int32Array;
  end: Int32Array;
  word: Int32Array;
  sentence: Int32Array;
  clause: Int32Array;
  sentences: Sentence[];
  words: number;
}

export function tokenColumns(capacity = 256): TokenColumns {
  const ints = () => new Int32Array(capacity);
  return { length: 0, norms: [], ids: ints(), epoch: 0, start: ints(), end: ints(), word: ints(), sentence: ints(), clause: ints(), sentences: [], words: 0 };
}

function grow(cols: TokenColumns): void {
  const wider = (a: Int32Array) => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  cols.ids = wider(cols.ids);
  cols.start = wider(cols.start);
  cols.end = wider(cols.end);
  cols.word = wider(cols.word);
  cols.sentence = wider(cols.sentence);
  cols.clause = wider(cols.clause);
}

export function tokenize(text: string): TokenizedText {
  const cols = scanTokens(text, tokenColumns());
  return { tokens: tokensOf(cols), sentences: cols.sentences, words: cols.words };
}

/** The columns as one object per token. */
export function tokensOf(cols: TokenColumns): Token[] {
  const tokens: Token[] = [];
  for (let t = 0; t < cols.length; t++) {
    tokens.push({ norm: cols.norms[t]!, start: cols.start[t]!, end: cols.end[t]!, word: cols.word[t]!, sentence: cols.sentence[t]!, clause: cols.clause[t]! });
  }
  return tokens;
}

/** Tokenizes `text` into `cols`, overwriting what they held; returns them. */
export function scanTokens(text: string, cols: TokenColumns): TokenColumns {
  if (normIds.size >= NORM_IDS.limit) {
    normIds.clear();
    clearForms(); // their ids are of the old epoch
    normEpoch++;
  }
  const sentences: Sentence[] = [];
  const norms = cols.norms;
  const n = text.length;
  let count = 0;
  let sentence = 0;
  let clause = 0;
  let sentenceFirst = 0;
  let words = 0;
  let prevAbbreviation = false;
  let i = 0;

  for (;;) {
    // The gap before the next word, or the end: OR together the classes of its characters.
    const gapStart = i;
    let gap = 0;
    let bits = 0;
    while (i < n && ((bits = classAt(text, i)) & WORD_CHAR) === 0) {
      gap |= bits;
      i++; // past a non-word surrogate pair one unit at a time: a lone low surrogate is no word character either
    }
    const atEnd = i >= n;
    if (atEnd || (words > 0 && endsSentence(text, gap, gapStart, i, prevAbbreviation))) {
      // close the sentence (inline, not a closure, so that V8 keeps these counters in registers)
      if (count > sentenceFirst) {
        sentences.push({ first: sentenceFirst, last: count, question: (gap & QUESTION) !== 0 });
        sentenceFirst = count;
        sentence++;
      }
      if (atEnd) break;
      clause++;
    } else if (words > 0 && ((gap & CLAUSE_MARK) !== 0 || ((gap & HYPHEN) !== 0 && dashEndsClause(text, gapStart, i)))) {
      clause++;
    }
    const start = i;
    const end = wordEnd(text, start);
    const forms = formsAt(text, start, end, wordHash);
    for (let k = 0; k < forms.norms.length; k++) {
      if (count === cols.start.length) grow(cols);
      norms[count] = forms.norms[k]!;
      cols.ids[count] = forms.ids[k]!;
      cols.start[count] = start;
      cols.end[count] = end;
      cols.word[count] = words;
      cols.sentence[count] = sentence;
      cols.clause[count] = clause;
      count++;
    }
    words++;
    prevAbbreviation = forms.abbreviation;
    i = end;
  }
  cols.length = count;
  cols.epoch = normEpoch;
  cols.sentences = sentences;
  cols.words = words;
  return cols;
}

function endsSentence(text: string, gap: number, from: number, to: number, prevAbbreviation: boolean): boolean {
  if ((gap & (FULL_STOP | STRONG_END)) === 0) return false;
  // "Dr. Lee", "3.5": a full stop without following space, or after an abbreviation, does not end a sentence
  if ((gap & STRONG_END) !== 0) return true;
  if ((gap & SPACE) === 0) return false;
  return !(prevAbbreviation && isLoneFullStop(text, from, to));
}
