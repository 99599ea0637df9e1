/**
 * `{ model: FILE, threshold }` indicators: the loader's checks (at file:line:col),
 * the schema, and how the tagger codes a turn with a model beside phrases.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCodebook } from '../../src/codebook/load.js';
import { codeText, compileCodebook } from '../../src/coding/tagger.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { turnFeatures } from '../../src/learn/features.js';
import { contributions, probability } from '../../src/learn/model.js';
import { tokenize } from '../../src/text/tokenize.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-model-'));
mkdirSync(join(dir, 'models'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A hand-made model: "banana" adds 3 to the log-odds, a question subtracts 2; intercept −1. */
const banana = { relcode_model: 1, dimension: 'd', roles: ['therapist'], features: { 'ngram:banana': 3, 'turn:question': -2, 'hits:d': 0.5 }, intercept: -1, threshold: 0.5 };
write('models/banana.json', JSON.stringify(banana));
write('models/v2.json', JSON.stringify({ ...banana, relcode_model: 2 }));
write('models/bundle.json', JSON.stringify({ relcode_model: 1, models: [{ ...banana, dimension: 'other' }] }));
write('models/not-json.json', '{ oops');
write('models/foreign.json', JSON.stringify({ weights: [1, 2] }));

const codebook = (...lines: string[]) => ['codebook: t', 'dimensions:', '  d:', '    roles: [therapist]', '    indicators:', ...lines.map((l) => `      ${l}`), ''].join('\n');
const load = (yaml: string) => parseCodebook(yaml, join(dir, 'cb.yaml'));
function problems(yaml: string): Diagnostic[] {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  return [];
}

describe('loading a model indicator', () => {
  it('reads the model, relative to the codebook, with its threshold or the model\'s', () => {
    const cb = load(codebook('- { model: models/banana.json, threshold: 0.7, note: trained }', '- { model: models/banana.json }', '- banana bread'));
    const d = cb.dimensions[0]!;
    expect(d.indicators.map((i) => i.source)).toEqual(['banana bread']);
    expect(d.models!.map((m) => ({ source: m.source, line: m.line, threshold: m.threshold, roles: m.roles, path: m.path }))).toEqual([
      { source: 'model:models/banana.json', line: 6, threshold: 0.7, roles: ['therapist'], path: join(dir, 'models/banana.json') },
      { source: 'model:models/banana.json', line: 7, threshold: 0.5, roles: ['therapist'], path: join(dir, 'models/banana.json') },
    ]);
  });

  // Each broken model indicator, its rule and where it is reported (line 6 is the indicator's line).
  const broken: [name: string, line: string, ruleId: string, col: number, message: RegExp][] = [
    ['missing file', '- { model: models/none.json }', 'model-not-found', 18, /cannot read model file "models\/none.json": ENOENT/],
    ['not JSON', '- { model: models/not-json.json }', 'bad-model', 18, /is not JSON/],
    ['not a relcode model', '- { model: models/foreign.json }', 'bad-model', 18, /not a relcode model/],
    ['another version', '- { model: models/v2.json }', 'model-version', 18, /version 2; this relcode reads version 1/],
    ['a bundle without the dimension', '- { model: models/bundle.json }', 'bad-model', 18, /no model for dimension "d" \(it has: other\)/],
    ['threshold above 1', '- { model: models/banana.json, threshold: 1.5 }', 'bad-value', 49, /`threshold` must be a number > 0 and <= 1/],
    ['threshold without a model', '- { phrase: a, threshold: 0.5 }', 'bad-indicator', 22, /`threshold` belongs to a model indicator/],
    ['a phrase rule on a model', '- { model: models/banana.json, negation: false }', 'bad-indicator', 38, /`negation` does not apply to a model indicator/],
    ['a model and a phrase', '- { model: models/banana.json, phrase: a }', 'bad-indicator', 38, /`phrase` does not apply/],
    ['a role outside the dimension', '- { model: models/banana.json, roles: [client] }', 'bad-roles', 45, /not among its dimension's roles/],
  ];
  it.each(broken)('%s: %s', (_name, line, ruleId, col, message) => {
    const found = problems(codebook(line));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId, file: join(dir, 'cb.yaml'), line: 6, col });
    expect(found[0]!.message).toMatch(message);
  });

  it('is not allowed as an exclusion', () => {
    const found = problems(codebook('- a', '    exclude:', '      - { model: models/banana.json }').replace('      exclude', 'exclude'));
    expect(found.map((p) => p.ruleId)).toEqual(['bad-indicator']);
    expect(found[0]!.message).toMatch(/a model cannot be used in `exclude`/);
  });

  it('the schema accepts a model indicator and rejects a threshold on a phrase', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/codebook.schema.json', import.meta.url), 'utf8')) as object;
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(parse(codebook('- { model: models/banana.json, threshold: 0.5, weight: 2, roles: [therapist], note: n }')))).toBe(true);
    expect(validate(parse(codebook('- { phrase: a, threshold: 0.5 }')))).toBe(false);
    expect(validate(parse(codebook('- { model: models/banana.json, threshold: 0 }')))).toBe(false);
  });
});

describe('coding with a model indicator', () => {
  const compiled = compileCodebook(load(codebook('- { model: models/banana.json }', '- sounds like')));
  const coding = (text: string, role: 'therapist' | 'client' = 'therapist') => codeText(compiled, text, role);

  it('matches the whole turn when the probability reaches the threshold', () => {
    // z = −1 + 3 (banana) = 2, p = σ(2) = 0.881
    const c = coding('I like banana bread.');
    expect(c.counts.d).toBe(1);
    expect(c.matches).toEqual([{ dimension: 'd', indicator: 'model:models/banana.json', indicatorLine: 6, start: 0, end: 20, match: 'I like banana bread.', weight: 1 }]);
    expect(c.models[0]!.probability).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });

  it('does not match below the threshold, and leaves phrase matches as they are', () => {
    // a question: z = −1 + 3 − 2 = 0, p = 0.5 reaches 0.5; "sounds like" adds hits:d = 1: z = 0.5
    expect(coding('Banana?').counts.d).toBe(1);
    const c = coding('It sounds like rain.');
    // z = −1 + 0.5 (one hit) = −0.5: p = 0.38 < 0.5, only the phrase counts
    expect(c.models[0]!.reached).toBe(false);
    expect(c.matches.map((m) => m.indicator)).toEqual(['sounds like']);
    expect(c.counts.d).toBe(1);
  });

  it('respects the dimension\'s roles', () => {
    expect(coding('I like banana bread.', 'client')).toMatchObject({ counts: { d: 0 }, models: [] });
  });

  it('joins the dimension\'s threshold with its weight', () => {
    const both = compileCodebook(load(codebook('- { model: models/banana.json, weight: 1 }', '- sounds like').replace('    indicators:', '    threshold: 2\n    indicators:')));
    // the phrase alone (1) and the model alone (1) fall short; together they reach 2
    expect(codeText(both, 'It sounds like rain.', 'therapist').counts.d).toBe(0);
    expect(codeText(both, 'Banana bread.', 'therapist').counts.d).toBe(0);
    const c = codeText(both, 'It sounds like banana bread.', 'therapist');
    expect(c.counts.d).toBe(2);
    expect(c.candidates.every((x) => !x.dropped)).toBe(true);
  });

  it('gives the same probability as the model applied to the turn\'s features', () => {
    const text = 'So banana is what you want? It sounds like it.';
    const features = turnFeatures({ tokenized: tokenize(text), role: 'therapist', counts: { d: 1 } });
    const hit = coding(text).models[0]!;
    expect(hit.probability).toBeCloseTo(probability(banana, features), 12);
    // explain's contributions: weight × value, largest first
    expect(contributions(banana, hit.features)).toEqual([
      { feature: 'ngram:banana', value: 1, weight: 3, contribution: 3 },
      { feature: 'hits:d', value: 1, weight: 0.5, contribution: 0.5 },
    ]);
  });
});

describe('turnFeatures', () => {
  it('names the codebook hits, stemmed 1–2-grams, the turn and the previous turn', () => {
    const f = turnFeatures({ tokenized: tokenize("You're feeling stuck?"), role: 'therapist', counts: { empathy: 5, trust: 0 }, previous: { role: 'client', counts: { warmth: 1, trust: 0 } } });
    expect(Object.fromEntries(f)).toEqual({
      'hits:empathy': 3,
      'ngram:you': 1,
      'ngram:ar': 1,
      'ngram:feel': 1,
      'ngram:stuck': 1,
      'ngram:you ar': 1,
      'ngram:ar feel': 1,
      'ngram:feel stuck': 1,
      'turn:question': 1,
      'turn:log_words': Math.log(4),
      'turn:role=therapist': 1,
      'previous:role=client': 1,
      'previous:coded=warmth': 1,
    });
    expect(turnFeatures({ tokenized: tokenize('Hi.'), role: 'client', counts: {} }).get('previous:none')).toBe(1);
  });
});
