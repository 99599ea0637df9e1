import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { runExamples } from '../../src/codebook/examples.js';
import { compileCodebook } from '../../src/coding/tagger.js';

const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];

describe('the default codebook (codebooks/relationship.yaml)', async () => {
  const codebook = await loadCodebook(DEFAULT_CODEBOOK);
  const compiled = compileCodebook(codebook);

  it('has the eight dimensions of DESIGN.md, in order', () => {
    expect(codebook.dimensions.map((d) => d.id)).toEqual(IDS);
  });

  it.each(IDS)('%s has a definition, 25+ indicators and 5+ examples each way', (id) => {
    const d = codebook.dimensions.find((x) => x.id === id)!;
    expect(d.definition.length).toBeGreaterThan(80);
    expect(d.indicators.length).toBeGreaterThanOrEqual(25);
    expect(d.examples.coded.length).toBeGreaterThanOrEqual(5);
    expect(d.examples.not_coded.length).toBeGreaterThanOrEqual(5);
    // both sides are covered wherever the dimension admits both
    for (const role of ['therapist', 'client'] as const) {
      if (d.roles.includes(role)) expect(d.indicators.some((i) => i.roles.includes(role))).toBe(true);
    }
  });

  it('passes every one of its examples', () => {
    const failures = runExamples(compiled)
      .filter((r) => !r.passed)
      .map((r) => `${codebook.file}:${r.example.line}: ${r.dimension} ${r.expected} (${r.example.role}) "${r.example.text}"` +
        (r.matches.length ? ` matched ${r.matches.map((m) => `"${m.match}" by ${m.indicator}`).join(', ')}` : ' matched nothing'));
    expect(failures).toEqual([]);
  });
});
