/**
 * Stemmed n-grams of a turn: the unit of `suggest` and of the model's word
 * features. N-grams stay inside a sentence, as codebook phrases do, so every
 * n-gram can be written back as a phrase that matches where it was counted.
 */
import { stem } from '../text/stem.js';
import type { TokenizedText } from '../text/tokenize.js';

export interface NGram {
  /** Porter stems joined by spaces: the unit that is counted */
  key: string;
  /** the normalised tokens as written, joined by spaces: a phrase for this occurrence */
  surface: string;
  /** token range, end exclusive */
  first: number;
  last: number;
}

/** Every n-gram of `min`..`max` tokens within a sentence, in text order. */
export function ngrams(tokenized: TokenizedText, min: number, max: number, stems = tokenized.tokens.map((t) => stem(t.norm))): NGram[] {
  const out: NGram[] = [];
  const norms = tokenized.tokens.map((t) => t.norm);
  for (const s of tokenized.sentences) {
    for (let i = s.first; i < s.last; i++) {
      for (let n = min; n <= max && i + n <= s.last; n++) {
        out.push({ key: stems.slice(i, i + n).join(' '), surface: norms.slice(i, i + n).join(' '), first: i, last: i + n });
      }
    }
  }
  return out;
}
