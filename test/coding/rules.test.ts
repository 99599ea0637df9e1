import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { codeExample } from '../../src/codebook/examples.js';
import { codeTranscript } from '../../src/coding/code.js';
import { codeText, compileCodebook, type PreviousTurn } from '../../src/coding/tagger.js';
import type { Role } from '../../src/transcript/model.js';
import { codebookOf, matchesIn } from '../helpers.js';

const previous = (role: Role, text: string, counts: Record<string, number> = {}): PreviousTurn => ({ role, text, counts });

describe('question', () => {
  const asks = codebookOf(['{ phrase: how (do|did) you feel, question: true }']);
  const states = codebookOf(['{ phrase: you feel, question: false }']);

  it('question: true codes only a sentence ending with ?', () => {
    expect(matchesIn(asks, 'So how do you feel about that?')).toEqual(['how do you feel']);
    expect(matchesIn(asks, "I wonder how you feel. Tell me.")).toEqual([]);
    expect(matchesIn(asks, 'How did you feel, then? Okay.')).toEqual(['How did you feel']);
  });

  it('question: false codes only statements', () => {
    expect(matchesIn(states, 'You feel stuck.')).toEqual(['You feel']);
    expect(matchesIn(states, 'Do you feel stuck?')).toEqual([]);
    // two sentences: only the statement is coded
    expect(matchesIn(states, 'Do you feel stuck? You feel it every day.')).toEqual(['You feel']);
  });

  it('a turn with no final punctuation is a statement', () => {
    expect(matchesIn(states, 'you feel stuck')).toEqual(['you feel']);
  });
});

describe('near', () => {
  const cb = codebookOf(['{ phrase: sounds like, near: { phrase: "(frustrat*|scared|angry|hurt*)", within: 3 } }']);

  it('codes when the other phrase is in the same sentence within N tokens, on either side', () => {
    expect(matchesIn(cb, 'It sounds like you are frustrated.')).toEqual(['sounds like']); // 2 tokens between
    expect(matchesIn(cb, 'Scared, it sounds like.')).toEqual(['sounds like']);
  });

  it('does not code when the other phrase is too far or in another sentence', () => {
    expect(matchesIn(cb, 'It sounds like you were really very frustrated.')).toEqual([]); // 4 tokens between
    expect(matchesIn(cb, 'It sounds like a lot. I am frustrated.')).toEqual([]);
  });

  it('near as a plain string allows 5 tokens', () => {
    const plain = codebookOf(['{ phrase: sounds like, near: frustrated }']);
    expect(matchesIn(plain, 'It sounds like you are really very frustrated.')).toEqual(['sounds like']); // 4 between
    expect(matchesIn(plain, 'It sounds like you are really very very very frustrated.')).toEqual([]); // 6 between
  });
});

describe('context: a condition on the previous turn', () => {
  // An empathic reflection: a therapist turn that follows client talk about feelings.
  const yaml = `codebook: t
dimensions:
  feeling:
    roles: [client]
    indicators: ["(i|i am|i'm) (feel*|felt|scared|sad|angry)"]
  empathy:
    roles: [therapist]
    indicators:
      - { phrase: sounds like, context: { previous: { role: client, phrase: "(feel*|felt|scared|sad|angry)" } } }
      - { phrase: that makes sense, context: { previous: { coded: feeling } } }
  followup:
    context: { previous: { role: therapist } }
    indicators: [yes]
`;
  const cb = compileCodebook(parseCodebook(yaml, 't.yaml'));
  const empathy = (text: string, prev?: PreviousTurn) => codeText(cb, text, 'therapist', prev).matches.filter((m) => m.dimension === 'empathy').map((m) => m.match);

  it('role and phrase of the previous turn', () => {
    expect(empathy('That sounds like a lot.', previous('client', 'I felt so alone.'))).toEqual(['sounds like']);
    expect(empathy('That sounds like a lot.', previous('client', 'We moved house.'))).toEqual([]);
    expect(empathy('That sounds like a lot.', previous('therapist', 'You felt alone.'))).toEqual([]);
    expect(empathy('That sounds like a lot.')).toEqual([]); // no previous turn
  });

  it('a dimension coded in the previous turn', () => {
    expect(empathy('That makes sense.', previous('client', 'I feel scared.', { feeling: 1 }))).toEqual(['That makes sense']);
    expect(empathy('That makes sense.', previous('client', 'I feel scared.', { feeling: 0 }))).toEqual([]);
  });

  it('a dimension-level context applies to every indicator', () => {
    expect(codeText(cb, 'Yes.', 'client', previous('therapist', 'Ready?')).counts.followup).toBe(1);
    expect(codeText(cb, 'Yes.', 'client', previous('client', 'Ready?')).counts.followup).toBe(0);
  });

  it('codeTranscript gives each turn the coded turn before it', () => {
    const turns = [
      { turn: 1, speaker: 'C', role: 'client' as const, text: 'I feel scared all the time.' },
      { turn: 2, speaker: 'T', role: 'therapist' as const, text: 'That makes sense.' },
      { turn: 3, speaker: 'T', role: 'therapist' as const, text: 'That makes sense.' },
    ];
    const coded = codeTranscript(cb, { id: 'x', source: 'x', turns });
    expect(coded.turns.map((t) => t.counts.empathy)).toEqual([0, 1, 0]);
  });

  it('examples can carry the previous turn', () => {
    const ex = { text: 'That makes sense.', role: 'therapist' as const, previous: { text: 'I feel sad.', role: 'client' as const }, line: 1, col: 1 };
    expect(codeExample(cb, ex).counts.empathy).toBe(1);
    expect(codeExample(cb, { ...ex, previous: { text: 'We moved.', role: 'client' } }).counts.empathy).toBe(0);
  });

  it('rejects a context that names an unknown dimension, with did-you-mean', () => {
    expect(() => parseCodebook(yaml.replace('coded: feeling', 'coded: feelings'), 't.yaml')).toThrow(/t\.yaml:10:\d+: error: no dimension "feelings".*did you mean "feeling"/);
  });
});

describe('threshold on summed weights', () => {
  const cb = codebookOf(['{ phrase: with you, weight: 0.5 }', '{ phrase: i am here, weight: 1 }', '{ phrase: you matter, weight: 2 }'], '', '    threshold: 1.5');

  it('codes a turn only when the surviving weights reach the threshold', () => {
    expect(matchesIn(cb, 'I am here.')).toEqual([]); // 1 < 1.5
    expect(matchesIn(cb, 'I am here with you.')).toEqual(['I am here', 'with you']); // 1.5
    expect(matchesIn(cb, 'You matter.')).toEqual(['You matter']); // 2
  });

  it('a negated match does not count towards the threshold', () => {
    expect(matchesIn(cb, "I am here, and I'm not with you.")).toEqual([]);
  });
});

describe('negation: false', () => {
  it('per indicator keeps the match after a cue', () => {
    const cb = codebookOf(['{ phrase: accept gifts, negation: false }', 'accept cards']);
    expect(matchesIn(cb, "I can't accept gifts. I can't accept cards.")).toEqual(['accept gifts']);
  });

  it('per dimension turns the rule off for all its indicators', () => {
    const cb = codebookOf(['accept gifts'], '', '    negation: false');
    expect(matchesIn(cb, "I can't accept gifts.")).toEqual(['accept gifts']);
  });
});
