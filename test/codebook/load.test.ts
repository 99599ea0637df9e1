import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { diagnosticsOf } from '../helpers.js';

const problems = (yaml: string): Diagnostic[] => diagnosticsOf(() => parseCodebook(yaml, 'cb.yaml'));

const ok = (indicators: string) => `codebook: t\ndimensions:\n  d:\n    indicators: ${indicators}\n`;

// Each invalid codebook, with the rule it breaks and where a reader would point.
const invalid: [name: string, yaml: string, ruleId: string, line: number, col: number, message: RegExp][] = [
  ['YAML syntax error', 'codebook: t\ndimensions:\n  d:\n    indicators: [a, b\n', 'yaml-syntax', 5, 1, /flow sequence|Missing|closing/i],
  ['unknown key with did-you-mean', 'codebook: t\ndimensions:\n  d:\n    indicaters: [a]\n', 'unknown-key', 4, 5, /unknown key "indicaters".*did you mean "indicators"/],
  ['unknown top-level key', 'codebok: t\ndimensions:\n  d:\n    indicators: [a]\n', 'unknown-key', 1, 1, /did you mean "codebook"/],
  ['regex that does not compile', "codebook: t\ndimensions:\n  d:\n    indicators:\n      - { regex: '(unclosed' }\n", 'bad-regex', 5, 18, /does not compile/],
  ['catastrophic regex', "codebook: t\ndimensions:\n  d:\n    indicators:\n      - { regex: '(a+)+$' }\n", 'unsafe-regex', 5, 18, /backtrack/],
  ['unbalanced (', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - must (be|have been hard\n', 'bad-phrase', 5, 14, /unbalanced "\("/],
  ['unbalanced ( in a quoted phrase', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "must (be"\n', 'bad-phrase', 5, 15, /unbalanced "\("/],
  ['stray )', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - must be) hard\n', 'bad-phrase', 5, 16, /nothing to close/],
  ['unbalanced [', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "[really hear you"\n', 'bad-phrase', 5, 10, /unbalanced "\["/],
  ['empty alternative', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "(a|) b"\n', 'bad-phrase', 5, 10, /empty alternative/],
  ['gap at the end', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "sounds like ..."\n', 'bad-phrase', 5, 10, /gap/],
  ['only optional words', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "[maybe]"\n', 'bad-phrase', 5, 10, /no word that must match/],
  ['gap too large', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "a ...99 b"\n', 'bad-phrase', 5, 12, /gap/],
  ['glob over two words', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - "self-*"\n', 'bad-phrase', 5, 10, /glob/],
  ['duplicate dimension id', 'codebook: t\ndimensions:\n  d:\n    indicators: [a]\n  d:\n    indicators: [b]\n', 'duplicate-key', 5, 3, /unique/i],
  ['unknown role', 'codebook: t\ndimensions:\n  d:\n    roles: [therapist, cleint]\n    indicators: [a]\n', 'bad-roles', 4, 12, /unknown role "cleint"/],
  ['indicator role outside its dimension', 'codebook: t\ndimensions:\n  d:\n    roles: [therapist]\n    indicators:\n      - { phrase: a, roles: [client] }\n', 'bad-roles', 6, 29, /not among its dimension/],
  ['phrase and regex both', "codebook: t\ndimensions:\n  d:\n    indicators:\n      - { phrase: a, regex: 'b' }\n", 'bad-indicator', 5, 9, /exactly one/],
  ['weight not positive', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - { phrase: a, weight: 0 }\n', 'bad-value', 5, 30, /weight/],
  ['missing indicators', 'codebook: t\ndimensions:\n  d:\n    label: D\n', 'missing-key', 4, 5, /needs `indicators`/],
  ['missing codebook name', 'dimensions:\n  d:\n    indicators: [a]\n', 'missing-key', 1, 1, /needs `codebook`/],
  ['bad dimension id', 'codebook: t\ndimensions:\n  Empathy Scale:\n    indicators: [a]\n', 'bad-id', 3, 3, /lower case/],
  ['reserved dimension id', 'codebook: t\ndimensions:\n  text:\n    indicators: [a]\n', 'bad-id', 3, 3, /column name/],
  ['multi-word negation cue', 'codebook: t\ndefaults:\n  negation: { cues: [no longer] }\ndimensions:\n  d:\n    indicators: [a]\n', 'bad-negation', 3, 21, /single word/],
  ['negation window not a whole number', 'codebook: t\ndefaults:\n  negation: { window: 2.5 }\ndimensions:\n  d:\n    indicators: [a]\n', 'bad-value', 3, 23, /whole number/],
  ['example key misspelt', 'codebook: t\ndimensions:\n  d:\n    indicators: [a]\n    examples:\n      coded: [a]\n      notcoded: [b]\n', 'unknown-key', 7, 7, /did you mean "not_coded"/],
];

describe('codebook loader rejects broken codebooks with file:line:col and a hint', () => {
  it.each(invalid)('%s', (_name, yaml, ruleId, line, col, message) => {
    const found = problems(yaml);
    const d = found.find((x) => x.ruleId === ruleId);
    expect(d, JSON.stringify(found)).toBeDefined();
    expect(d).toMatchObject({ file: 'cb.yaml', line, col, severity: 'error' });
    expect(d!.message).toMatch(message);
    expect(d!.hint).toBeTruthy();
  });

  it('reports every problem in one run, not only the first', () => {
    const found = problems('codebook: t\ndimensions:\n  d:\n    indicaters: [a]\n  e:\n    indicators: ["(x"]\n');
    expect(found.map((d) => d.ruleId).sort()).toEqual(['bad-phrase', 'missing-key', 'unknown-key']);
  });

  it('accepts the minimal codebook and fills in defaults', () => {
    const cb = parseCodebook(ok('[a]'), 'cb.yaml');
    expect(cb.dimensions[0]).toMatchObject({ id: 'd', label: 'd', roles: ['therapist', 'client', 'other'] });
    expect(cb.dimensions[0]!.negation).toEqual({ cues: ['not', 'no', 'never', 'without'], window: 3 });
    expect(cb.dimensions[0]!.indicators[0]).toMatchObject({ source: 'a', line: 4, col: 18, weight: 1, stem: true, negation: true });
  });

  it('normalises negation cues like text: "n\'t" is "not"', () => {
    const cb = parseCodebook("codebook: t\ndefaults:\n  negation: { cues: [\"n't\", never] }\n" + ok('[a]').slice('codebook: t\n'.length), 'cb.yaml');
    expect(cb.dimensions[0]!.negation.cues).toEqual(['not', 'never']);
  });

  it('resolves YAML aliases, e.g. a shared list of cues', () => {
    const cb = parseCodebook('codebook: t\ndimensions:\n  d:\n    indicators: &shared [a, b]\n  e:\n    indicators: *shared\n', 'cb.yaml');
    expect(cb.dimensions[1]!.indicators.map((i) => i.source)).toEqual(['a', 'b']);
  });
});
