import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { DFA_LIMITS, runAutomaton } from '../../src/coding/automaton.js';
import { longestMatch } from '../../src/coding/match.js';
import { compileCodebook, viewOf } from '../../src/coding/tagger.js';
import { NORM_IDS, scanTokens, tokenColumns, tokenize } from '../../src/text/tokenize.js';
import { readTranscripts } from '../../src/transcript/read.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';
import { ANNOMI, ROOT } from '../cli/run.js';

// The compiled automaton must find exactly what the plain recursive matcher
// (match.ts, kept as the reference and for `near`/`context`) finds: every
// pattern's longest match from every start, over every sentence of every fixture,
// whether tokens are looked up by norm or by the tokenizer's numbers of them.
describe('the compiled automaton agrees with the reference matcher', async () => {
  const compiled = compileCodebook(await loadCodebook(DEFAULT_CODEBOOK));
  const dir = join(ROOT, 'fixtures', 'transcripts');
  const files = readdirSync(dir).filter((f) => /\.(txt|csv|tsv|jsonl)$/.test(f));
  const options = { inputFormat: 'auto' as const, columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };

  /** Compares both matchers on every sentence of `text`; returns the number of sentences. */
  const agree = (text: string): number => {
    const tokenized = tokenize(text);
    const view = viewOf(tokenized);
    const norms = tokenized.tokens.map((x) => x.norm);
    const cols = scanTokens(text, tokenColumns());
    for (const s of tokenized.sentences) {
      const fast: string[] = [];
      runAutomaton(compiled.automaton, norms, s.first, s.last, (p, start, end) => fast.push(`${p}:${start}-${end}`));
      const numbered: string[] = [];
      runAutomaton(compiled.automaton, cols.norms, s.first, s.last, (p, start, end) => numbered.push(`${p}:${start}-${end}`), cols);
      const reference: string[] = [];
      compiled.patterns.forEach(({ entry }, p) => {
        const pattern = entry.indicator.pattern;
        if (pattern.kind !== 'phrase') return;
        for (let i = s.first; i < s.last; i++) {
          const end = longestMatch(pattern.seq, view, i, s.last, entry.indicator.stem);
          if (end > 0) reference.push(`${p}:${i}-${end}`);
        }
      });
      expect(fast.sort()).toEqual(reference.sort());
      expect(numbered.sort()).toEqual(fast);
    }
    return tokenized.sentences.length;
  };

  it.each(files)('%s', async (file) => {
    let sentences = 0;
    for await (const t of readTranscripts(join(dir, file), options, () => {})) for (const turn of t.turns) sentences += agree(turn.text);
    expect(sentences).toBeGreaterThan(20);
  });

  // The caches are bounded: with tiny bounds the DFA starts afresh before most sentences and
  // forgets tokens all the time, and must still find exactly what the reference matcher finds.
  // NORM_IDS.limit 2: the tokenizer numbers its norms afresh before almost every text.
  it('with the DFA and token caches bounded to almost nothing', async () => {
    const saved = { ...DFA_LIMITS };
    const savedIds = NORM_IDS.limit;
    Object.assign(DFA_LIMITS, { tokens: 2, states: 3 });
    NORM_IDS.limit = 2;
    try {
      let sentences = 0;
      for await (const t of readTranscripts(join(dir, 'sample-session.txt'), options, () => {})) for (const turn of t.turns) sentences += agree(turn.text);
      expect(sentences).toBeGreaterThan(20);
    } finally {
      Object.assign(DFA_LIMITS, saved);
      NORM_IDS.limit = savedIds;
    }
  });

  // real counselling talk the codebook was not written against: every 8th AnnoMI utterance
  it.skipIf(!existsSync(ANNOMI))('AnnoMI, every 8th utterance', async () => {
    let sentences = 0;
    let turns = 0;
    for await (const t of readTranscripts(ANNOMI, options, () => {})) {
      for (const turn of t.turns) if (turns++ % 8 === 0) sentences += agree(turn.text);
    }
    expect(sentences).toBeGreaterThan(1000);
  }, 60_000);
});
