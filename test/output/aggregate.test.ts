import { describe, expect, it } from 'vitest';
import { summarise, totals } from '../../src/coding/aggregate.js';
import type { CodedTranscript } from '../../src/coding/model.js';
import { dimensions, session, turn } from './fixture.js';

// 1,250 words: 1,000 therapist words with 2 empathy matches, 250 client words with 1.
const rated: CodedTranscript = {
  id: 'r',
  source: 'r.txt',
  turns: [
    turn(1, 'C', 'client', 'I feel so alone.', 250, [['alone', 'empathy']]),
    turn(2, 'T', 'therapist', 'It sounds lonely, it sounds hard.', 1000, [['sounds lonely', 'empathy'], ['sounds hard', 'empathy']]),
    turn(3, 'T', 'therapist', 'Mm.', 0),
  ],
};

describe('summarise', () => {
  it('counts turns, coded turns, matches, words and the rate per 1,000 words', () => {
    expect(summarise(rated, dimensions, false)).toEqual([
      { transcript: 'r', dimension: 'trust', turns: 3, coded_turns: 0, matches: 0, words: 1250, per_1000_words: 0 },
      { transcript: 'r', dimension: 'empathy', turns: 3, coded_turns: 2, matches: 3, words: 1250, per_1000_words: 2.4 },
      { transcript: 'r', dimension: 'warmth', turns: 3, coded_turns: 0, matches: 0, words: 1250, per_1000_words: 0 },
    ]);
  });

  it('rounds the rate to 3 decimals', () => {
    // 2 trust matches in 36 words = 55.5555… per 1,000
    expect(summarise(session, dimensions, false)[0]).toMatchObject({ dimension: 'trust', matches: 2, words: 36, per_1000_words: 55.556 });
  });

  it('gives a null rate when there are no words', () => {
    const silent: CodedTranscript = { id: 'x', source: 'x', turns: [turn(1, 'T', 'therapist', '…', 0)] };
    const empty: CodedTranscript = { id: 'y', source: 'y', turns: [] };
    expect(summarise(silent, dimensions, false).map((r) => r.per_1000_words)).toEqual([null, null, null]);
    expect(summarise(empty, dimensions, false)[1]).toEqual({
      transcript: 'y', dimension: 'empathy', turns: 0, coded_turns: 0, matches: 0, words: 0, per_1000_words: null,
    });
  });

  it('by role: therapist, client, other, only the roles present, per dimension', () => {
    const rows = summarise(rated, dimensions, true);
    expect(rows.map((r) => `${r.dimension}/${r.role}`)).toEqual([
      'trust/therapist', 'trust/client', 'empathy/therapist', 'empathy/client', 'warmth/therapist', 'warmth/client',
    ]);
    expect(rows[2]).toEqual({ transcript: 'r', dimension: 'empathy', role: 'therapist', turns: 2, coded_turns: 1, matches: 2, words: 1000, per_1000_words: 2 });
    expect(rows[3]).toEqual({ transcript: 'r', dimension: 'empathy', role: 'client', turns: 1, coded_turns: 1, matches: 1, words: 250, per_1000_words: 4 });
  });

  it('by role includes other when a speaker has no role', () => {
    const t: CodedTranscript = { id: 'o', source: 'o', turns: [turn(1, 'Interpreter', 'other', 'hello', 1), turn(2, 'T', 'therapist', 'hi', 1)] };
    expect(summarise(t, dimensions.slice(0, 1), true).map((r) => r.role)).toEqual(['therapist', 'other']);
  });

  it('without --by-role the rows carry no role key', () => {
    expect('role' in summarise(rated, dimensions, false)[0]!).toBe(false);
  });
});

describe('totals', () => {
  it('sums transcripts and recomputes the rate from the sums', () => {
    const rows = [...summarise(rated, dimensions, false), ...summarise(session, dimensions, false)];
    const all = totals(rows, 'all');
    // empathy: 3 + 1 matches in 1,250 + 36 words
    expect(all[1]).toEqual({ transcript: 'all', dimension: 'empathy', turns: 7, coded_turns: 3, matches: 4, words: 1286, per_1000_words: 3.11 });
    expect(all.map((r) => r.dimension)).toEqual(['trust', 'empathy', 'warmth']);
  });
});
