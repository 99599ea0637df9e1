import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { codeText, compileCodebook } from '../../src/coding/tagger.js';
import { codebookOf, matchesIn } from '../helpers.js';

// Each row: indicator (as written in YAML), a text, and the matched span(s) a
// careful reader expects by the rules in DESIGN.md (empty: no match).
const cases: [indicator: string, text: string, expected: string[]][] = [
  // words and stems
  ['understand', 'I understand.', ['understand']],
  ['understand', 'She understands me.', ['understands']],
  ['understand', 'Understanding takes time.', ['Understanding']],
  ['{ phrase: feel, stem: false }', 'I am feeling low.', []],
  ['{ phrase: feel, stem: false }', 'I feel low.', ['feel']],
  // globs
  ['judg*', 'Nobody is judgmental here.', ['judgmental']],
  ['judg*', 'Stop judging yourself.', ['judging']],
  ['judg*', 'Pass the jug.', []],
  ['w?rd', 'One word, one ward.', ['word', 'ward']],
  ['w?rd', 'How weird.', []],
  // alternatives, including several words in one alternative
  ['"(hard|really tough) time"', 'You had a hard time.', ['hard time']],
  ['"(hard|really tough) time"', 'A really tough time.', ['really tough time']],
  ['"(hard|really tough) time"', 'A tough time.', []],
  ['"(so|very) (sad|angry)"', 'I was very angry.', ['very angry']],
  // optional words
  ['"[really] hear you"', 'I hear you.', ['hear you']],
  ['"[really] hear you"', 'I really hear you.', ['really hear you']],
  // gaps: ... is 0-3 tokens, ...N is 0-N
  ['must ... hard', 'That must be hard.', ['must be hard']],
  ['must ... hard', 'That must have been really hard.', ['must have been really hard']],
  ['must ... hard', 'That must have been really very hard.', []],
  ['must ...1 hard', 'That must be hard.', ['must be hard']],
  ['must ...1 hard', 'That must be so hard.', []],
  ['must ... hard', 'I must go. It is hard.', []],
  // contractions on both sides, curly apostrophes
  ["you're", 'I think you are right.', ['you are']],
  ['you are', "Well, you're right.", ["you're"]],
  ['you are', 'Well, you’re right.', ['you’re']],
  ["can't", 'I cannot go.', ['cannot']],
  ["can't", 'I can not go.', ['can not']],
  ['cannot', "I can't go.", ["can't"]],
  ["don't have to", 'You do not have to explain.', ['do not have to']],
  ['do not have to', "You don't have to explain.", ["don't have to"]],
  ['"let us"', "Let's look at that.", ["Let's"]],
  ['going to', "I'm gonna try.", ['gonna']],
  // hyphens split words on both sides
  ['non-judgmental', 'I try to be non judgmental.', ['non judgmental']],
];

describe('phrase language', () => {
  it.each(cases)('%s in %j', (indicator, text, expected) => {
    expect(matchesIn(codebookOf([indicator]), text)).toEqual(expected);
  });

  it('keeps character offsets of the match in the original text', () => {
    const text = 'So — it’s been really hard.';
    const [m] = codeText(codebookOf(['been ... hard']), text, 'therapist').matches;
    expect(m).toMatchObject({ start: text.indexOf('been'), end: text.length - 1, match: 'been really hard' });
  });
});

describe('negation', () => {
  it('drops "understand" after "don\'t" but not in "I understand"', () => {
    const cb = codebookOf(['understand', 'i understand']);
    expect(matchesIn(cb, 'I understand.')).toEqual(['I understand']);
    expect(matchesIn(cb, "I don't understand what you mean.")).toEqual([]);
    expect(matchesIn(cb, 'I do not understand.')).toEqual([]);
  });

  it('keeps a phrase that itself contains a cue ("not here to judge")', () => {
    const cb = codebookOf(['not here to judge', 'judge']);
    expect(matchesIn(cb, "I'm not here to judge you.")).toEqual(['not here to judge']);
    expect(matchesIn(cb, "I won't judge you.")).toEqual([]);
  });

  it('looks only `window` tokens back', () => {
    const cb = codebookOf(['understand']);
    // never is 5 tokens before understand
    expect(matchesIn(cb, 'I never said that I really understand.')).toEqual(['understand']);
    expect(matchesIn(cb, 'I never really understand.')).toEqual([]);
    expect(matchesIn(codebookOf(['understand'], 'defaults: { negation: { window: 6 } }'), 'I never said that I really understand.')).toEqual([]);
  });

  it('stops at the clause: "No, I understand" is coded', () => {
    const cb = codebookOf(['understand']);
    expect(matchesIn(cb, 'No, I understand.')).toEqual(['understand']);
    expect(matchesIn(cb, "I don't know. I understand it now.")).toEqual(['understand']);
  });

  it('uses the codebook cues, normalised like text', () => {
    const cb = codebookOf(['understand'], 'defaults: { negation: { cues: ["hardly"], window: 3 } }');
    expect(matchesIn(cb, 'I hardly understand.')).toEqual([]);
    expect(matchesIn(cb, "I don't understand.")).toEqual(['understand']);
  });

  it('can be turned off per indicator', () => {
    const cb = codebookOf(['{ phrase: feel safe, negation: false }']);
    expect(matchesIn(cb, 'Never have I felt safe like this.')).toEqual([]); // felt is not a stem of feel
    expect(matchesIn(cb, 'I never feel safe anywhere but here.')).toEqual(['feel safe']);
  });
});

describe('exclusions, roles, weight and overlap', () => {
  it('an exclusion vetoes an overlapping match only', () => {
    const cb = codebookOf(['sounds like'], '', '    exclude: [sounds like a plan]');
    expect(matchesIn(cb, 'That sounds like a plan.')).toEqual([]);
    expect(matchesIn(cb, "It sounds like you're exhausted.")).toEqual(['sounds like']);
  });

  it('roles on a dimension and on an indicator limit who is coded', () => {
    const cb = codebookOf(['i hear you', '{ phrase: never told anyone, roles: [client] }'], '', '    roles: [therapist, client]');
    expect(matchesIn(cb, 'I hear you.', 'therapist')).toEqual(['I hear you']);
    expect(matchesIn(cb, 'I hear you.', 'client')).toEqual(['I hear you']);
    expect(matchesIn(cb, "I've never told anyone.", 'client')).toEqual(['never told anyone']);
    expect(matchesIn(cb, "I've never told anyone.", 'therapist')).toEqual([]);
    const therapistOnly = codebookOf(['i hear you'], '', '    roles: [therapist]');
    expect(matchesIn(therapistOnly, 'I hear you.', 'client')).toEqual([]);
    expect(matchesIn(therapistOnly, 'I hear you.', 'other')).toEqual([]);
  });

  it('carries the weight of the indicator', () => {
    const [m] = codeText(codebookOf(['{ phrase: i hear you, weight: 2.5 }']), 'I hear you.', 'therapist').matches;
    expect(m?.weight).toBe(2.5);
  });

  it('within a dimension the longest match wins a token; dimensions may share tokens', () => {
    const yaml = `codebook: t
dimensions:
  a:
    indicators: [hear, i hear you, you]
  b:
    indicators: [hear you]`;
    const coded = codeText(compileCodebook(parseCodebook(yaml, 't.yaml')), 'I hear you. You too.', 'therapist');
    expect(coded.counts).toEqual({ a: 2, b: 1 });
    expect(coded.matches.map((m) => `${m.dimension}:${m.match}`)).toEqual(['a:I hear you', 'b:hear you', 'a:You']);
  });

  it('a tie in length goes to the earlier match, then to the indicator listed first', () => {
    const cb = codebookOf(['a b', 'b c']);
    expect(matchesIn(cb, 'a b c')).toEqual(['a b']);
    const first = codeText(codebookOf(['(x|y) z', 'x z']), 'x z', 'therapist').matches;
    expect(first.map((m) => m.indicator)).toEqual(['(x|y) z']);
  });
});

describe('regex indicators', () => {
  it('match the turn text case-insensitively, with offsets', () => {
    const cb = codebookOf(["{ regex: '\\bit (sounds|seems) like\\b' }"]);
    const text = 'Hm. It seems like you were alone.';
    const [m] = codeText(cb, text, 'therapist').matches;
    expect(m).toMatchObject({ start: 4, end: 17, match: 'It seems like', indicator: 'regex:\\bit (sounds|seems) like\\b' });
  });

  it('are subject to negation like phrases', () => {
    const cb = codebookOf(["{ regex: 'underst\\w+' }"]);
    expect(matchesIn(cb, "I don't understand.")).toEqual([]);
  });
});
