import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { expansions, lintCodebook, LINT_RULES, suppressions, type LintRule } from '../../src/codebook/lint.js';
import { parsePhrase } from '../../src/codebook/phrase.js';
import { runLint } from '../../src/commands/codebook-lint.js';
import { relcode } from '../cli/run.js';

/**
 * A codebook from dimension → lines under it. Line numbers are fixed by the layout:
 * line 1 `codebook`, 2 `dimensions:`, then per dimension its id line and its lines,
 * so the first indicator of the first dimension (after `indicators:`) is on line 5.
 */
function book(dimensions: Record<string, { indicators: string[]; exclude?: string[]; extra?: string[] }>): string {
  const lines = ['codebook: t', 'dimensions:'];
  for (const [id, d] of Object.entries(dimensions)) {
    lines.push(`  ${id}:`, ...(d.extra ?? []).map((l) => `    ${l}`), '    indicators:', ...d.indicators.map(item));
    if (d.exclude) lines.push('    exclude:', ...d.exclude.map(item));
  }
  return lines.join('\n') + '\n';
}

/** A list item; a line starting with `#` is a comment line of the list. */
const item = (s: string) => (s.startsWith('#') ? `      ${s}` : `      - ${s}`);

const one = (indicators: string[], exclude?: string[], extra?: string[]) => book({ d: { indicators, ...(exclude ? { exclude } : {}), ...(extra ? { extra } : {}) } });

function lint(yaml: string) {
  return lintCodebook(parseCodebook(yaml, 'cb.yaml'), yaml);
}

interface Valid {
  name: string;
  yaml: string;
}
interface Invalid extends Valid {
  /** the expected findings of the rule under test, by line */
  lines: number[];
  message?: RegExp;
}

// ESLint RuleTester style: each rule has codebooks that must give exactly these findings, and ones that must give none.
const cases: Record<LintRule, { valid: Valid[]; invalid: Invalid[] }> = {
  'stopwords-only': {
    valid: [
      { name: 'a content word', yaml: one(['i understand']) },
      { name: 'a glob can match content', yaml: one(['you feel*']) },
      { name: 'a content word in every alternative', yaml: one(['(you|your) (happy|mind)']) },
      { name: 'gaps are not words the phrase asks for', yaml: one(['you ...2 matter']) },
      { name: 'regexes are not analysed', yaml: one(["{ regex: '\\bit is\\b' }"]) },
    ],
    invalid: [
      { name: 'pronouns and a preposition', yaml: one(['hello', 'i am here for you']), lines: [6], message: /matches "i am here for you", stop words only/ },
      { name: 'an optional content word can be left out', yaml: one(['i will [still] be here']), lines: [5], message: /"i will be here"/ },
      { name: 'one alternative of stop words is enough', yaml: one(['you (are|matter)']), lines: [5], message: /"you are"/ },
      { name: 'a gap is shown as ...', yaml: one(['i ...1 am']), lines: [5], message: /"i \.\.\. am"/ },
      { name: 'contractions are expanded first', yaml: one(["you're not"]), lines: [5] },
    ],
  },
  'never-matches': {
    valid: [
      { name: 'an exclusion covering some expansions only', yaml: one(['sounds like [a] plan'], ['a plan']) },
      { name: 'a gap may put words between what the exclusion needs', yaml: one(['sounds like ...2 plan'], ['like plan']) },
      { name: 'regex exclusions prove nothing (lookarounds depend on the text around)', yaml: one(['a plan'], ["{ regex: 'plan' }"]) },
      // the stemmed indicator also matches "understanding", which the unstemmed exclusion does not
      { name: 'a stemmed indicator is wider than an unstemmed exclusion', yaml: one(['i understand'], ['{ phrase: i understand, stem: false }']) },
      { name: "an apostrophe inside a word is kept by the tokenizer", yaml: one(["o'clock"]) },
    ],
    invalid: [
      { name: 'vetoed by one exclusion', yaml: one(['hi', 'sounds like a plan'], ['like a (plan|idea)']), lines: [6], message: /exclusion "like a \(plan\|idea\)" \(line 8\)/ },
      { name: 'each expansion vetoed by a different exclusion', yaml: one(['(sounds|seems) like a plan'], ['sounds like', 'seems']), lines: [5], message: /exclusions/ },
      // stem(understanding) = stem(understand), so the stemmed exclusion matches every "understand"
      { name: 'an unstemmed indicator inside a stemmed exclusion', yaml: one(['{ phrase: i understand, stem: false }'], ['understanding']), lines: [5] },
      { name: 'a token the tokenizer never produces', yaml: one([`"'em all"`]), lines: [5], message: /never give the token "'em"/ },
      { name: 'no role left', yaml: one(['{ phrase: hello there, roles: [] }']), lines: [5], message: /no role/ },
    ],
  },
  'duplicate-indicator': {
    valid: [
      { name: 'different words', yaml: one(['(a|b) c', '(a|b) d']) },
      { name: 'the same phrase under different conditions', yaml: one(['how are you', '{ phrase: how are you, question: true }']) },
    ],
    invalid: [
      { name: 'alternatives in another order', yaml: one(['(a|b) c', '(b|a) c']), lines: [6], message: /duplicates line 5 in the same dimension/ },
      { name: 'case and contractions are normalised', yaml: one(["I'm here", 'i am HERE']), lines: [6] },
      { name: 'the same regex', yaml: one(["{ regex: 'x+y' }", "{ regex: 'x+y' }"]), lines: [6] },
      { name: 'in two dimensions, on the later one', yaml: book({ d: { indicators: ['foo bar'] }, e: { indicators: ['baz', 'foo bar'] } }), lines: [9], message: /duplicates line 5 \(dimension "d"\)/ },
    ],
  },
  'shadowed-indicator': {
    valid: [
      { name: 'neither covers the other', yaml: one(['hard', 'really hard']) },
      { name: 'the wider one has narrower roles', yaml: one(['{ phrase: "(sound|seem) like you", roles: [client] }', 'sound like you']) },
      { name: 'the wider one asks for a question', yaml: one(['{ phrase: "(sound|seem) like you", question: true }', 'sound like you']) },
      { name: 'the wider one has the negation rule, the other not', yaml: one(['(sound|seem) like you', '{ phrase: sound like you, negation: false }']) },
      { name: 'an unstemmed phrase does not cover a stemmed one', yaml: one(['{ phrase: "(sound|seem) like you", stem: false }', 'sound like you']) },
      // "sound like [a plan]" can run on over "a plan", where the exclusion vetoes it but not "sound like"
      { name: 'a wider match that an exclusion could veto alone', yaml: one(['sound like [a plan]', 'sound like'], ['a plan']) },
      { name: 'a gap is not covered by adjacency', yaml: one(['i understand', 'i ...1 get']) },
    ],
    invalid: [
      { name: 'an alternative covers it', yaml: one(['(sound|seem) like you', 'sound like you']), lines: [6], message: /by "\(sound\|seem\) like you" \(line 5\)/ },
      { name: 'a gap of 0 covers adjacency', yaml: one(['i ...1 understand', 'i understand']), lines: [6] },
      { name: 'listed before the one that covers it', yaml: one(['sound like you', '(sound|seem) like you']), lines: [5] },
      { name: 'an optional word covers both forms', yaml: one(['"[really] hard"', 'really hard']), lines: [6] },
      { name: 'the longer match may grow when nothing can veto it', yaml: one(['sound like [a plan]', 'sound like']), lines: [6] },
      { name: 'a stemmed phrase covers an unstemmed one', yaml: one(['sound like you', '{ phrase: sounds like you, stem: false }']), lines: [6] },
    ],
  },
  'idle-exclusion': {
    valid: [
      { name: 'contains an indicator', yaml: one(['sounds like'], ['sounds like a plan']) },
      { name: 'overlaps the start of a match from outside', yaml: one(['you (feel|felt) upset'], ['(if|when) you']) },
      { name: 'overlaps the end of a match', yaml: one(['sounds like a'], ['a plan']) },
      { name: 'its gap may hold an indicator', yaml: one(['tell me'], ['hard ...3 say']) },
      { name: 'a stemmed exclusion shares a word with an unstemmed indicator', yaml: one(['{ phrase: understand, stem: false }'], ['understanding']) },
      { name: 'a regex indicator matches inside it', yaml: one(["{ regex: 'plan' }"], ['a plan']) },
    ],
    invalid: [
      { name: 'next to a match, never on it', yaml: one(['sounds like'], ['a plan']), lines: [7], message: /exclusion "a plan" of "d"/ },
      { name: 'unrelated words', yaml: one(['sounds like'], ['sounds like a plan', 'good morning']), lines: [8] },
      { name: "another dimension's indicator does not count", yaml: book({ d: { indicators: ['hello'], exclude: ['a plan'] }, e: { indicators: ['a plan'] } }), lines: [7] },
    ],
  },
};

describe('codebook lint rules', () => {
  it('covers every rule, with unique case names', () => {
    expect(Object.keys(cases).sort()).toEqual([...LINT_RULES].sort());
    for (const { valid, invalid } of Object.values(cases)) {
      const names = [...valid, ...invalid].map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of invalid) expect(c.lines.length, `"${c.name}" must expect a finding`).toBeGreaterThan(0);
    }
  });

  for (const [rule, { valid, invalid }] of Object.entries(cases) as [LintRule, (typeof cases)[LintRule]][]) {
    describe(rule, () => {
      it.each(valid.map((c) => [c.name, c] as const))('valid: %s', (_, c) => {
        expect(lint(c.yaml).filter((d) => d.ruleId === rule)).toEqual([]);
      });
      it.each(invalid.map((c) => [c.name, c] as const))('invalid: %s', (_, c) => {
        const found = lint(c.yaml).filter((d) => d.ruleId === rule);
        expect(found.map((d) => d.line), `should have ${c.lines.length} finding(s) but had ${found.length}: ${found.map((d) => d.message).join('; ')}`).toEqual(c.lines);
        for (const d of found) {
          expect(d).toMatchObject({ severity: 'warning', file: 'cb.yaml', ruleId: rule });
          expect(d.col).toBeGreaterThan(0);
          expect(d.hint).toBeTruthy();
        }
        if (c.message) expect(found[0]!.message).toMatch(c.message);
      });
    });
  }

  it('a cross-dimension duplicate hints at the suppression comment', () => {
    const [d] = lint(book({ d: { indicators: ['foo bar'] }, e: { indicators: ['foo bar'] } }));
    expect(d!.hint).toContain('# relcode-lint-ignore duplicate-indicator');
  });

  it('reports the column of the indicator', () => {
    const [d] = lint(one(['{ phrase: "i am here for you" }']));
    expect(d).toMatchObject({ line: 5, col: 19 });
  });
});

describe('suppression comments', () => {
  const cases: [name: string, indicators: string[], remaining: number][] = [
    ['at the end of the line', ['i am here for you  # relcode-lint-ignore stopwords-only'], 0],
    ['with a reason after --', ['i am here for you  # relcode-lint-ignore stopwords-only -- a fixed phrase of reliability'], 0],
    ['alone on the line above', ['# relcode-lint-ignore stopwords-only -- reason', 'i am here for you'], 0],
    ['several rules', ['(a|b) c', '(b|a) c  # relcode-lint-ignore stopwords-only, duplicate-indicator'], 0],
    ['another rule does not silence this one', ['i am here for you  # relcode-lint-ignore duplicate-indicator'], 1],
    ['two lines above is too far', ['# relcode-lint-ignore stopwords-only', 'hello', 'i am here for you'], 1],
    ["the previous indicator's trailing comment is its own", ['foo  # relcode-lint-ignore stopwords-only', 'i am here for you'], 1],
  ];
  it.each(cases)('%s', (_, indicators, remaining) => {
    expect(lint(one(indicators))).toHaveLength(remaining);
  });

  it('maps comment lines to the line they speak for', () => {
    const map = suppressions('a: 1 # relcode-lint-ignore x, y -- why\n# relcode-lint-ignore z\nb: 2\n');
    expect(map.get(1)).toEqual(new Set(['x', 'y']));
    expect(map.get(3)).toEqual(new Set(['z']));
  });
});

describe('expansions', () => {
  it('enumerates alternatives × optional parts, gaps at their maximum', () => {
    const out = expansions(parsePhrase('(a|b c) [d] ...2 e'), false)!;
    const show = out.map((e) => e.map((t) => (t.kind === 'word' ? t.norm : '_')).join(' '));
    expect(show.sort()).toEqual(['a _ _ e', 'a d _ _ e', 'b c _ _ e', 'b c d _ _ e']);
  });

  it('gives up past the cap', () => {
    expect(expansions(parsePhrase('(a|b|c|d|e) (a|b|c|d|e) (a|b|c|d|e) (a|b|c|d|e)'), false, 500)).toBeUndefined();
  });
});

describe('the shipped codebook', () => {
  it('lints clean', async () => {
    expect(await runLint(undefined)).toEqual([]);
  });
});

describe('relcode codebook lint, as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relcode-lint-'));
  const file = join(dir, 'cb.yaml');
  writeFileSync(file, one(['i understand', 'i am here for you', 'sound like you', '(sound|seem) like you']));

  it('prints file:line:col: warning: … [rule] lines and exits 0', () => {
    const r = relcode(['codebook', 'lint', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(file));
    expect(lines).toEqual([
      expect.stringMatching(/^.*cb\.yaml:6:9: warning: .* \[stopwords-only\]$/),
      expect.stringMatching(/^.*cb\.yaml:7:9: warning: .* \[shadowed-indicator\]$/),
    ]);
    expect(r.stdout).toMatch(/\n  hint: /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 warnings');
  });

  it('exits 1 with --max-warnings 0, and gives JSON with --format json', () => {
    expect(relcode(['codebook', 'lint', file, '--max-warnings', '0']).code).toBe(1);
    expect(relcode(['codebook', 'lint', file, '--max-warnings', '2']).code).toBe(0);
    const json = JSON.parse(relcode(['codebook', 'lint', file, '--format', 'json']).stdout) as { ruleId: string; line: number }[];
    expect(json.map((d) => [d.ruleId, d.line])).toEqual([['stopwords-only', 6], ['shadowed-indicator', 7]]);
  });

  it('exits 2 on a codebook that does not load', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'codebook: t\ndimensions:\n  d:\n    indicaters: [a]\n');
    const r = relcode(['codebook', 'lint', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:5: error: .*\[unknown-key\]/);
  });
});
