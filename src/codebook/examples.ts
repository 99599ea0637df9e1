/**
 * A codebook's own examples, run like ESLint's RuleTester cases: a `coded`
 * example must be coded for its dimension, a `not_coded` one must not.
 */
import { codeText, type CompiledCodebook } from '../coding/tagger.js';
import type { Match } from '../coding/model.js';
import type { Example } from './model.js';

export interface ExampleResult {
  dimension: string;
  expected: 'coded' | 'not_coded';
  example: Example;
  passed: boolean;
  /** the matches of the example's dimension that survived the rules */
  matches: Match[];
}

/** An example with its `previous` turn, which is coded first so `context: { previous: { coded } }` can see it. */
export function codeExample(compiled: CompiledCodebook, example: Example) {
  const p = example.previous;
  const previous = p && { ...p, counts: codeText(compiled, p.text, p.role).counts };
  return codeText(compiled, example.text, example.role, previous);
}

export function runExamples(compiled: CompiledCodebook): ExampleResult[] {
  const results: ExampleResult[] = [];
  for (const d of compiled.codebook.dimensions) {
    for (const expected of ['coded', 'not_coded'] as const) {
      for (const example of d.examples[expected]) {
        const matches = codeExample(compiled, example).matches.filter((m) => m.dimension === d.id);
        results.push({ dimension: d.id, expected, example, passed: (matches.length > 0) === (expected === 'coded'), matches });
      }
    }
  }
  return results;
}
