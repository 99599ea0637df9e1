/**
 * The reference matcher: one parsed phrase against a turn's tokens, used by
 * `near` and `context` rules and by the tests of the compiled automaton. A match never crosses a
 * sentence end; from each start only the longest match is kept.
 */
import type { PhraseNode } from '../codebook/phrase.js';
import { stem } from '../text/stem.js';
import type { Token } from '../text/tokenize.js';

export interface TokenView {
  tokens: Token[];
  /** Porter stem of each token's norm */
  stems: string[];
}

/** End (exclusive) of the longest match starting at `start`, or -1. */
export function longestMatch(seq: PhraseNode[], view: TokenView, start: number, limit: number, stemming: boolean): number {
  let best = -1;
  const visit = (nodes: PhraseNode[], i: number, pos: number, then: (pos: number) => void): void => {
    if (i === nodes.length) return then(pos);
    const node = nodes[i]!;
    const next = (p: number) => visit(nodes, i + 1, p, then);
    switch (node.kind) {
      case 'word':
        if (pos < limit && (view.tokens[pos]!.norm === node.norm || (stemming && view.stems[pos] === stem(node.norm)))) next(pos + 1);
        return;
      case 'glob':
        if (pos < limit && node.re.test(view.tokens[pos]!.norm)) next(pos + 1);
        return;
      case 'alt':
        for (const option of node.options) visit(option, 0, pos, next);
        return;
      case 'opt':
        next(pos);
        visit(node.seq, 0, pos, next);
        return;
      case 'gap':
        for (let p = pos; p <= Math.min(pos + node.max, limit); p++) next(p);
        return;
    }
  };
  visit(seq, 0, start, (end) => {
    if (end > best) best = end;
  });
  return best > start ? best : -1;
}
