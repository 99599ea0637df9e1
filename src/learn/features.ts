/**
 * The features of one turn, by name, for the trained indicator. The same
 * function serves training (`relcode learn`) and coding (a `model:` indicator),
 * so the two can never drift apart.
 *
 *   hits:<dim>         the codebook's surviving matches in the turn, capped at 3
 *   ngram:<stems>      a stemmed 1- or 2-gram occurs (within a sentence)
 *   turn:question      the turn's last sentence ends with `?`
 *   turn:log_words     ln(1 + written words)
 *   turn:role=<role>   the speaker's role
 *   previous:role=<r>  the previous turn's role, or `previous:none` for the first turn
 *   previous:coded=<d> the codebook coded the previous turn for d
 */
import { stem } from '../text/stem.js';
import type { TokenizedText } from '../text/tokenize.js';
import type { Role } from '../transcript/model.js';
import { ngrams } from './ngrams.js';

export const MAX_HITS = 3;

export interface TurnInput {
  tokenized: TokenizedText;
  /** Porter stems of the tokens, when the caller has them */
  stems?: string[];
  role: Role;
  /** the codebook's surviving matches per dimension (phrases and regexes, not models) */
  counts: Record<string, number>;
  previous?: { role: Role; counts: Record<string, number> };
}

export function turnFeatures(input: TurnInput): Map<string, number> {
  const f = new Map<string, number>();
  for (const [dim, n] of Object.entries(input.counts)) if (n > 0) f.set(`hits:${dim}`, Math.min(n, MAX_HITS));
  const stems = input.stems ?? input.tokenized.tokens.map((t) => stem(t.norm));
  for (const g of ngrams(input.tokenized, 1, 2, stems)) f.set(`ngram:${g.key}`, 1);
  const { sentences, words } = input.tokenized;
  if (sentences[sentences.length - 1]?.question) f.set('turn:question', 1);
  f.set('turn:log_words', Math.log1p(words));
  f.set(`turn:role=${input.role}`, 1);
  const p = input.previous;
  if (!p) f.set('previous:none', 1);
  else {
    f.set(`previous:role=${p.role}`, 1);
    for (const [dim, n] of Object.entries(p.counts)) if (n > 0) f.set(`previous:coded=${dim}`, 1);
  }
  return f;
}
