/**
 * schema/codebook.schema.json against the loader, which is the truth of what a
 * codebook may contain. Both accept the shipped codebook and the README's
 * example; both reject every broken codebook whose rule the schema can express.
 * The rows the schema cannot express document its boundary: the loader rejects
 * them, the schema lets them through, and `relcode codebook validate` is needed.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CODEBOOK, parseCodebook } from '../../src/codebook/load.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { diagnosticsOf } from '../helpers.js';
import { relcode } from '../cli/run.js';

const SCHEMA_FILE = new URL('../../schema/codebook.schema.json', import.meta.url);
const README = new URL('../../README.md', import.meta.url);
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(schemaText) as Record<string, unknown>;

const ajv = new Ajv({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

/** What the schema says of a codebook's YAML text: undefined when valid, else Ajv's errors as text. */
function schemaErrors(yaml: string): string | undefined {
  return validate(parse(yaml)) ? undefined : ajv.errorsText(validate.errors);
}

/** The loader's diagnostics for a codebook's YAML text; empty when it loads. */
function loaderProblems(yaml: string): Diagnostic[] {
  return diagnosticsOf(() => parseCodebook(yaml, 'cb.yaml'));
}

/** The YAML block under "## Codebook reference" in the README. */
function readmeCodebook(): string {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('\n## Codebook reference\n'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (readme.indexOf('\n## Codebook reference\n') < 0 || !block) throw new Error('README.md has no yaml block under "## Codebook reference"');
  return block[1]!;
}

/** A codebook whose one dimension `d` has these lines (indented for you). */
const dim = (...lines: string[]): string => ['codebook: t', 'dimensions:', '  d:', ...lines.map((l) => `    ${l}`), ''].join('\n');
/** A codebook with these top-level lines before a minimal `dimensions`. */
const top = (...lines: string[]): string => [...lines, 'dimensions:', '  d:', '    indicators: [a]', ''].join('\n');

describe('the schema file', () => {
  it('is a valid draft-07 schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
  });

  it('compiles in Ajv strict mode (no unknown keywords, types stated, required keys defined)', () => {
    expect(() => new Ajv({ strict: true }).compile(schema)).not.toThrow();
  });

  it('describes every property in its own words, for editor hovers and completions', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const obj = node as Record<string, unknown>;
      const props = obj.properties as Record<string, Record<string, unknown> | boolean> | undefined;
      for (const [key, sub] of Object.entries(props ?? {})) {
        // `{ phrase: true }` in the phrase/regex oneOf only names a key
        if (typeof sub !== 'boolean' && !(typeof sub.description === 'string' && sub.description.length > 20)) undocumented.push(`${path}/properties/${key}`);
      }
      for (const [key, value] of Object.entries(obj)) walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(undocumented).toEqual([]);
  });
});

describe('codebooks both the schema and the loader accept', () => {
  it('the shipped codebook', () => {
    const text = readFileSync(DEFAULT_CODEBOOK, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/codebook.schema.json');
    expect(schemaErrors(text)).toBeUndefined();
    expect(loaderProblems(text)).toEqual([]);
  });

  it("the README's codebook example", () => {
    const text = readmeCodebook();
    expect(text).toContain('dimensions:');
    expect(schemaErrors(text)).toBeUndefined();
    expect(loaderProblems(text)).toEqual([]);
  });

  // The short and long forms the loader accepts; the schema must not be stricter.
  const valid: [name: string, yaml: string][] = [
    ['minimal', dim('indicators: [a]')],
    ['numeric version, description', top('codebook: t', 'version: 2', 'language: de', 'description: a test')],
    ['role patterns as one string each', top('codebook: t', 'roles: { therapist: t, client: [c, p], other: [] }')],
    ['defaults with negation off', top('codebook: t', 'defaults: { stem: false, negation: false }')],
    ['defaults with a negation rule', top('codebook: t', 'defaults: { negation: { cues: [not, "n\'t"], window: 0 } }')],
    ['empty indicator list', dim('indicators: []')],
    ['dimension roles as one string', dim('roles: client', 'indicators: [a]')],
    ['dimension negation true, then a rule', dim('negation: true', 'indicators: [a]').replace('dimensions:', 'defaults: { negation: { window: 5 } }\ndimensions:')],
    ['every indicator option', dim('indicators:', "  - { phrase: a, weight: 0.5, roles: [therapist], stem: false, negation: false, question: true, near: b, note: why }", "  - { regex: '\\bb\\b', near: { phrase: c, within: 0 }, context: { previous: { role: client } } }")],
    ['exclude with objects', dim('indicators: [a]', "exclude: [b, { regex: 'c' }]")],
    ['context, threshold', dim('indicators: [a]', 'context: { previous: { role: [client, other], phrase: "(feel*|felt)", coded: d } }', 'threshold: 1.5')],
    ['coded as a list', dim('indicators: [a]', 'context: { previous: { coded: [d] } }')],
    ['examples in both forms', dim('indicators: [a]', 'examples:', '  coded: [a, { text: a b, role: client, previous: so? }]', '  not_coded: [{ text: b, previous: { text: c, role: other } }]')],
    ['empty example lists', dim('indicators: [a]', 'examples: { coded: [], not_coded: [] }')],
    ['id with digits and _', 'codebook: t\ndimensions:\n  working_alliance_2:\n    indicators: [a]\n'],
  ];
  it.each(valid)('%s', (_name, yaml) => {
    expect(loaderProblems(yaml)).toEqual([]);
    expect(schemaErrors(yaml)).toBeUndefined();
  });
});

/**
 * A codebook the loader rejects with `ruleId`. `schema` is true when the schema
 * can express the rule, so Ajv rejects it too; false marks the schema's boundary.
 */
type Broken = [name: string, yaml: string, ruleId: string, schema: boolean];

const broken: Broken[] = [
  // unknown keys, at every level
  ['unknown top-level key', top('codebook: t', 'codebok: t'), 'unknown-key', true],
  ['unknown role in `roles`', top('codebook: t', 'roles: { therapist: [t], patient: [p] }'), 'unknown-key', true],
  ['unknown key in `defaults`', top('codebook: t', 'defaults: { stemming: true }'), 'unknown-key', true],
  ['unknown key in a negation rule', top('codebook: t', 'defaults: { negation: { cues: [not], windw: 3 } }'), 'unknown-key', true],
  ['misspelt `indicaters`', dim('indicaters: [a]'), 'unknown-key', true],
  ['unknown key in a dimension', dim('labl: D', 'indicators: [a]'), 'unknown-key', true],
  ['unknown key in an indicator', dim('indicators:', '  - { phrase: a, wieght: 2 }'), 'unknown-key', true],
  ['unknown key in `near`', dim('indicators:', '  - { phrase: a, near: { phrase: b, distance: 3 } }'), 'unknown-key', true],
  ['unknown key in `context`', dim('indicators: [a]', 'context: { before: { role: client } }'), 'unknown-key', true],
  ['unknown key in `context.previous`', dim('indicators: [a]', 'context: { previous: { speaker: client } }'), 'unknown-key', true],
  ['unknown key in `examples`', dim('indicators: [a]', 'examples: { positive: [a] }'), 'unknown-key', true],
  ['unknown key in an example', dim('indicators: [a]', 'examples: { coded: [{ text: a, speaker: client }] }'), 'unknown-key', true],
  ["unknown key in an example's `previous`", dim('indicators: [a]', 'examples: { coded: [{ text: a, previous: { text: b, who: client } }] }'), 'unknown-key', true],
  // required keys and shapes
  ['missing `codebook`', 'dimensions:\n  d:\n    indicators: [a]\n', 'missing-key', true],
  ['blank `codebook`', top('codebook: "  "'), 'bad-value', true],
  ['`codebook` a number', top('codebook: 42'), 'bad-value', true],
  ['`version` left empty', top('codebook: t', 'version:'), 'bad-value', true],
  ['missing `dimensions`', 'codebook: t\n', 'missing-key', true],
  ['empty `dimensions`', 'codebook: t\ndimensions: {}\n', 'bad-value', true],
  ['`dimensions` a list', 'codebook: t\ndimensions: [empathy]\n', 'bad-value', true],
  ['a dimension left empty', 'codebook: t\ndimensions:\n  d:\n', 'bad-value', true],
  ['missing `indicators`', dim('label: D'), 'missing-key', true],
  ['`indicators` not a list', dim('indicators: sounds like you'), 'bad-value', true],
  ['an empty phrase', dim('indicators: [""]'), 'bad-value', true],
  ['`coded` examples left empty', dim('indicators: [a]', 'examples:', '  coded:'), 'bad-value', true],
  // dimension ids
  ['dimension id with a space and capitals', 'codebook: t\ndimensions:\n  Empathy Scale:\n    indicators: [a]\n', 'bad-id', true],
  ['dimension id starting with a digit', 'codebook: t\ndimensions:\n  1st:\n    indicators: [a]\n', 'bad-id', true],
  ['dimension id a reserved column name', 'codebook: t\ndimensions:\n  text:\n    indicators: [a]\n', 'bad-id', true],
  // indicators
  ['`phrase` and `regex` both', dim('indicators:', "  - { phrase: a, regex: 'b' }"), 'bad-indicator', true],
  ['neither `phrase` nor `regex`', dim('indicators:', '  - { weight: 2 }'), 'bad-indicator', true],
  ['weight 0', dim('indicators:', '  - { phrase: a, weight: 0 }'), 'bad-value', true],
  ['negative weight', dim('indicators:', '  - { phrase: a, weight: -1 }'), 'bad-value', true],
  ['weight a string', dim('indicators:', '  - { phrase: a, weight: heavy }'), 'bad-value', true],
  ['`negation: maybe` on an indicator', dim('indicators:', '  - { phrase: a, negation: maybe }'), 'bad-value', true],
  ['a negation rule on an indicator', dim('indicators:', '  - { phrase: a, negation: { window: 2 } }'), 'bad-value', true],
  ['`question: sometimes`', dim('indicators:', '  - { phrase: a, question: sometimes }'), 'bad-value', true],
  ['`stem: yes` (a string in YAML 1.2)', dim('stem: yes', 'indicators: [a]'), 'bad-value', true],
  // roles
  ['unknown dimension role', dim('roles: [therapist, cleint]', 'indicators: [a]'), 'bad-roles', true],
  ['unknown indicator role', dim('indicators:', '  - { phrase: a, roles: patient }'), 'bad-roles', true],
  ['unknown role of an example', dim('indicators: [a]', 'examples: { coded: [{ text: a, role: counsellor }] }'), 'bad-roles', true],
  // negation rules
  ['`negation: maybe` on a dimension', dim('negation: maybe', 'indicators: [a]'), 'bad-value', true],
  ['window 2.5', top('codebook: t', 'defaults: { negation: { window: 2.5 } }'), 'bad-value', true],
  ['window 99', dim('negation: { window: 99 }', 'indicators: [a]'), 'bad-value', true],
  ['window -1', dim('negation: { window: -1 }', 'indicators: [a]'), 'bad-value', true],
  // near, context, threshold
  ['near.within -1', dim('indicators:', '  - { phrase: a, near: { phrase: b, within: -1 } }'), 'bad-value', true],
  ['near.within 51', dim('indicators:', '  - { phrase: a, near: { phrase: b, within: 51 } }'), 'bad-value', true],
  ['`near` without `phrase`', dim('indicators:', '  - { phrase: a, near: { within: 3 } }'), 'missing-key', true],
  ['`context` without `previous`', dim('indicators: [a]', 'context: {}'), 'missing-key', true],
  ['`context.previous` with no condition', dim('indicators: [a]', 'context: { previous: {} }'), 'bad-value', true],
  ['threshold 0', dim('indicators: [a]', 'threshold: 0'), 'bad-value', true],
  ['threshold .inf', dim('indicators: [a]', 'threshold: .inf'), 'bad-value', true],
  // examples
  ['an example without `text`', dim('indicators: [a]', 'examples: { coded: [{ role: client }] }'), 'missing-key', true],
  ["an example's `previous` without `text`", dim('indicators: [a]', 'examples: { coded: [{ text: a, previous: { role: client } }] }'), 'missing-key', true],

  // The boundary: rules only the loader knows.
  ['phrase syntax: unbalanced (', dim('indicators: ["must (be"]'), 'bad-phrase', false],
  ['phrase syntax: gap over 50', dim('indicators: ["a ...99 b"]'), 'bad-phrase', false],
  ['phrase syntax in `near`', dim('indicators:', '  - { phrase: a, near: "[b" }'), 'bad-phrase', false],
  ['phrase syntax in `context.previous.phrase`', dim('indicators: [a]', 'context: { previous: { phrase: "(a|" } }'), 'bad-phrase', false],
  ['regex that does not compile', dim('indicators:', "  - { regex: '(unclosed' }"), 'bad-regex', false],
  ['regex that can backtrack catastrophically', dim('indicators:', "  - { regex: '(a+)+$' }"), 'unsafe-regex', false],
  ["indicator role outside its dimension's roles", dim('roles: [therapist]', 'indicators:', '  - { phrase: a, roles: [client] }'), 'bad-roles', false],
  ['`coded:` names an unknown dimension', dim('indicators: [a]', 'context: { previous: { coded: [empaty] } }'), 'unknown-dimension', false],
  ['a negation cue of several words', dim('negation: { cues: [not at all] }', 'indicators: [a]'), 'bad-negation', false],
];

describe('broken codebooks', () => {
  it('are distinct cases, at least 15 the schema can express', () => {
    expect(new Set(broken.map((b) => b[0])).size).toBe(broken.length);
    expect(new Set(broken.map((b) => b[1])).size).toBe(broken.length);
    expect(broken.filter((b) => b[3]).length).toBeGreaterThanOrEqual(15);
  });

  const rows = (expressible: boolean) => broken.filter((b) => b[3] === expressible).map(([name, yaml, ruleId]) => ({ name, yaml, ruleId }));

  it.each(rows(true))('$name: rejected by the loader ($ruleId) and by the schema', ({ yaml, ruleId }) => {
    const problems = loaderProblems(yaml);
    expect(problems.map((p) => p.ruleId)).toContain(ruleId);
    expect(problems.every((p) => p.line !== undefined)).toBe(true);
    expect(schemaErrors(yaml)).toBeDefined();
  });

  it.each(rows(false))('$name: rejected by the loader ($ruleId), beyond what the schema can say', ({ yaml, ruleId }) => {
    expect(loaderProblems(yaml).map((p) => p.ruleId)).toEqual([ruleId]);
    expect(schemaErrors(yaml)).toBeUndefined();
  });
});

describe('relcode codebook schema', () => {
  it('prints the schema file', () => {
    const r = relcode(['codebook', 'schema']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(schema);
    expect(r.stdout).toBe(schemaText);
  });
});
