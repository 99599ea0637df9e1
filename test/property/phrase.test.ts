/**
 * Property tests of the phrase language: any phrase string is either refused
 * with a PhraseError (a `bad-phrase` diagnostic in a codebook) or compiles, and
 * a compiled phrase never throws at match time; the compiled automaton finds
 * exactly what the reference matcher (`longestMatch`) finds, on random tokens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { parsePhrase, PhraseError, type PhraseNode } from '../../src/codebook/phrase.js';
import { compileAutomaton, runAutomaton } from '../../src/coding/automaton.js';
import { longestMatch } from '../../src/coding/match.js';
import { codeText, compileCodebook, viewOf } from '../../src/coding/tagger.js';
import { InputError } from '../../src/diagnostics.js';
import { tokenize } from '../../src/text/tokenize.js';

export const RUNS = Number(process.env.RELCODE_RUNS ?? 300);

// a small vocabulary, so random phrases and random text meet often; inflections exercise stemming
const WORDS = ['i', 'you', 'feel', 'feeling', 'felt', 'hear', 'heard', 'not', 'sound', 'sounds', 'like', 'hard', 'trust', 'trusted', "you're", "don't", 'can', 'cannot', "can't", 'be', 'here', 'é', 'naïve', '2'];
const word = fc.constantFrom(...WORDS);
const glob = fc.constantFrom('feel*', 'h?ar', 'trust*', 's*s', '*', 'so?nd');

/** Phrases written from the grammar: words, globs, (a|b c), [opt], gaps, nested. */
const phraseNode: fc.Arbitrary<string> = fc.letrec<{ seq: string; item: string }>((tie) => ({
  seq: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join(' ')),
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    word,
    glob,
    fc.constantFrom('...', '...1', '...5'),
    fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((opts) => `(${opts.join('|')})`),
    tie('seq').map((s) => `[${s}]`),
  ),
})).seq.chain((inner) => fc.constantFrom(inner, `hear ${inner} you`, `${inner} feel*`));

/** Anything: brackets, bars, dots, stars and words in any order. */
const junk = fc.string({ unit: fc.constantFrom('(', ')', '[', ']', '|', '.', '*', '?', ' ', 'a', 'b', "'", '-', '9', 'é', ':'), maxLength: 24 });

const tokens = fc.array(word, { maxLength: 14 });

/** Both matchers over one token list, as sorted `start-end` strings. */
function bothMatchers(seq: PhraseNode[], stem: boolean, words: string[]): { fast: string[]; reference: string[] } {
  const text = words.join(' ');
  const tokenized = tokenize(text);
  const norms = tokenized.tokens.map((t) => t.norm);
  const view = viewOf(tokenized);
  const automaton = compileAutomaton([{ seq, stem }]);
  const fast: string[] = [];
  const reference: string[] = [];
  for (const s of tokenized.sentences) {
    runAutomaton(automaton, norms, s.first, s.last, (_p, start, end) => fast.push(`${start}-${end}`));
    for (let i = s.first; i < s.last; i++) {
      const end = longestMatch(seq, view, i, s.last, stem);
      if (end > 0) reference.push(`${i}-${end}`);
    }
  }
  return { fast: fast.sort(), reference: reference.sort() };
}

const cases = { accepted: 0, refused: 0 };

describe('the phrase compiler, on generated phrases', () => {
  it('a phrase from the grammar is refused with a PhraseError or compiles; both matchers agree on random tokens', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: phraseNode, weight: 3 }, { arbitrary: junk, weight: 1 }), fc.boolean(), tokens, (source, stem, words) => {
        let seq: PhraseNode[];
        try {
          seq = parsePhrase(source);
        } catch (err) {
          expect(err).toBeInstanceOf(PhraseError);
          expect((err as PhraseError).index).toBeGreaterThanOrEqual(0);
          expect((err as PhraseError).index).toBeLessThanOrEqual(source.length);
          cases.refused++;
          return;
        }
        cases.accepted++;
        const { fast, reference } = bothMatchers(seq, stem, words);
        expect(fast).toEqual(reference);
      }),
      { numRuns: RUNS * 2 },
    );
    console.info(`phrase compiler: ${cases.accepted} phrases compiled and matched, ${cases.refused} refused with a PhraseError`);
    expect(cases.accepted).toBeGreaterThan(RUNS / 3);
  });

  it('in a codebook: a bad phrase is a bad-phrase diagnostic at a place inside its line; a good one codes any text without throwing', () => {
    let diagnosed = 0;
    fc.assert(
      fc.property(fc.oneof(phraseNode, junk), fc.string({ unit: 'grapheme', maxLength: 60 }), tokens, (source, noise, words) => {
        const yaml = `codebook: t\ndimensions:\n  d:\n    indicators:\n      - ${JSON.stringify(source)}\n`;
        let compiled;
        try {
          compiled = compileCodebook(parseCodebook(yaml, 'cb.yaml'));
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          for (const d of (err as InputError).diagnostics) {
            expect(['bad-phrase', 'bad-value']).toContain(d.ruleId);
            expect(d.line).toBe(5);
            expect(d.col).toBeGreaterThanOrEqual(9);
          }
          diagnosed++;
          return;
        }
        const coded = codeText(compiled, `${words.join(' ')} ${noise}. ${noise}?`, 'therapist');
        for (const m of coded.matches) expect(m.end).toBeGreaterThan(m.start);
      }),
      { numRuns: RUNS },
    );
    expect(diagnosed).toBeGreaterThan(0);
  });
});
