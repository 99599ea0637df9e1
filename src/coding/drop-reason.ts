import type { Indicator } from '../codebook/model.js';
import type { DropReason } from './tagger.js';

/** Why a rule dropped a match, in words, with the codebook line of the rule where there is one. */
export function dropReason(d: DropReason, indicator: Pick<Indicator, 'roles'>): string {
  switch (d.reason) {
    case 'role':
      return `the turn is by a ${d.role}; this indicator codes ${indicator.roles.join(' or ') || 'nobody'}`;
    case 'question':
      return d.wanted ? 'not in a question (question: true)' : 'in a question (question: false)';
    case 'context':
      return `context unmet: ${d.unmet} (line ${d.line})`;
    case 'near':
      return `no "${d.phrase}" within ${d.within} tokens in the same sentence (line ${d.line})`;
    case 'negated':
      return `negated by "${d.written}" at offset ${d.offset}`;
    case 'excluded':
      return `excluded by "${d.by}" (line ${d.line})`;
    case 'overlap':
      return `inside a longer match of "${d.by}" (line ${d.line})`;
    case 'threshold':
      return `weights add up to ${d.total}, below the threshold ${d.threshold}`;
  }
}
