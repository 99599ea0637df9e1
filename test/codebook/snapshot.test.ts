import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, parseCodebook } from '../../src/codebook/load.js';
import { fromSnapshot, toSnapshot } from '../../src/codebook/snapshot.js';
import { codeText, compileCodebook } from '../../src/coding/tagger.js';

describe('build-time snapshot of a codebook', () => {
  const text = readFileSync(DEFAULT_CODEBOOK, 'utf8');
  const parsed = parseCodebook(text, 'cb.yaml');
  const json = toSnapshot(parsed, text);

  it('gives back the same codebook, regexes included, and codes the same', () => {
    const revived = fromSnapshot(json, text, 'cb.yaml')!;
    const { automaton, ...model } = revived;
    expect(model).toEqual(parsed);
    expect(automaton).toBeDefined();
    const sample = "It sounds like you've been carrying this alone. So you're not sure yet. I'm not here to judge.";
    for (const role of ['therapist', 'client'] as const) {
      expect(codeText(compileCodebook(revived), sample, role)).toEqual(codeText(compileCodebook(parsed), sample, role));
    }
  });

  it('is ignored once the source text changes', () => {
    expect(fromSnapshot(json, `${text}\n# edited`, 'cb.yaml')).toBeUndefined();
  });
});
