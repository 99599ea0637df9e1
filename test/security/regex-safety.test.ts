/**
 * The load-time check for regexes that backtrack catastrophically
 * (src/codebook/regex-safety.ts), as valid/invalid cases, plus the codebook
 * error a user sees for a known ReDoS pattern.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCodebook } from '../../src/codebook/load.js';
import { requiredLiteral, unsafeRegexReason } from '../../src/codebook/regex-safety.js';
import { InputError } from '../../src/diagnostics.js';
import { relcode, ROOT } from '../cli/run.js';

// pattern, and what the reason must say
const invalid: [string, RegExp][] = [
  ['(a+)+$', /nested quantifier/],
  ['(\\w*)*', /nested quantifier/],
  ['(a?a?)+$', /nested quantifier/],
  ['(\\w+\\s?)+$', /nested quantifier/],
  ['(.*){2,}', /nested quantifier/],
  ['(?:x[a-z]+)*y', /nested quantifier/],
  ['(.*a){12}', /nested quantifier/],
  ['(a|a)+', /overlapping alternatives.*"a" and "a" can both begin with "a"/],
  ['(a|ab)*c', /overlapping alternatives.*"a" and "ab"/],
  ['(\\w|\\d)+$', /overlapping alternatives.*"\\w" and "\\d" can both begin with "0"/],
  ['(A|a)+', /overlapping alternatives/], // the codebook's regexes ignore case
  ['(ſ|s)+', /overlapping alternatives/], // and fold ſ to s
  ['(a|[^b])*', /overlapping alternatives/],
  ['(?:yes|yeah)+', /overlapping alternatives/], // conservative: only the first letter is compared
  ['(a|)+', /can match nothing/],
  ['(?:x(?:a|ab))+', /overlapping alternatives/], // nested inside the repeat
  ['(?<=\\.\\s+)you', /inside a lookbehind/],
  ['(?<!\\w*)x', /inside a lookbehind/],
];

const valid = [
  '\\bit (sounds|seems) like\\b',
  '(?:a|b)+',
  '(yes|no)+',
  '(\\p{L}|\\d)+',
  '(?:ab)+',
  '(?:a{2})+',
  '[a-z]+(x|y)*',
  '(?<=\\.\\s{1,20})you',
  '(?<!\\b(?:want|need)\\s)\\bto be\\b',
  '(?:(?:yeah|ok)[,.]?\\s+)?so', // optional, not repeated
  '\\b(?:she|he|they)\\s*/\\s*(?:her|him|them)\\b',
  '(a|b)\\1+',
];

describe('regex safety: catastrophic shapes are refused', () => {
  it.each(invalid)('%s', (pattern, reason) => {
    expect(() => new RegExp(pattern, 'giu')).not.toThrow(); // it compiles: only the shape is wrong
    expect(unsafeRegexReason(pattern)).toMatch(reason);
  });

  it.each(valid)('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeUndefined();
  });

  it('accepts every regex of the default codebook', () => {
    const cb = parse(readFileSync(join(ROOT, 'codebooks/relationship.yaml'), 'utf8')) as { dimensions: Record<string, { indicators: unknown[]; exclude?: unknown[] }> };
    const regexes = Object.values(cb.dimensions).flatMap((d) => [...d.indicators, ...(d.exclude ?? [])]).filter((i): i is { regex: string } => typeof i === 'object' && i !== null && 'regex' in i);
    expect(regexes.length).toBeGreaterThan(0);
    for (const r of regexes) expect(unsafeRegexReason(r.regex), r.regex).toBeUndefined();
  });

  it('makes a known ReDoS pattern a codebook error at its line and column', () => {
    const yaml = "codebook: t\ndimensions:\n  d:\n    indicators:\n      - { regex: '(a+)+$' }\n      - { regex: '(?<=[.!?]\\s+)you' }\n";
    let error: InputError | undefined;
    try {
      parseCodebook(yaml, 'cb.yaml');
    } catch (err) {
      error = err as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.diagnostics.map((d) => [d.ruleId, d.line, d.col])).toEqual([['unsafe-regex', 5, 18], ['unsafe-regex', 6, 18]]);
    expect(error!.diagnostics[0]!.hint).toMatch(/one way only/);
  });

  it('as a process: exit 2 with file:line:col, before any transcript is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-redos-'));
    writeFileSync(join(dir, 'cb.yaml'), "codebook: t\ndimensions:\n  d:\n    indicators:\n      - { regex: '(a+)+$' }\n");
    const r = relcode(['code', '-c', join(dir, 'cb.yaml'), '-'], { input: `Client: ${'a'.repeat(40)}!\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cb\.yaml:5:18: error: regex can backtrack catastrophically: nested quantifier in "\(a\+\)\+": .*\[unsafe-regex\]/);
  });
});

// The literal a regex's every match must hold: turns without it skip the regex.
describe('requiredLiteral', () => {
  it.each([
    ['(?<!\\b(?:want|need)\\s)\\bto be (?:honest|fair)\\b', 'to be '],
    ['\\b(?:she|he|they)\\s*/\\s*(?:her|him|them)\\b', '/'],
    ['(?:so,?\\s+)?you(?: feel| felt)\\b', 'you'],
    ['ab+c', 'ab'], // one b is certain; "abbc" does not hold "abc"
    ['x?yz', 'yz'],
    ['colou?r', 'colo'],
    ['\\.com\\b', '.com'],
    ['a.b', 'a'],
    ['[ab]c', 'c'],
    ['a|b', ''], // no text common to both alternatives is looked for
    ['(?:a|b)', ''],
    ['\\d+', ''],
  ])('%s → %j', (source, literal) => {
    expect(requiredLiteral(source)).toBe(literal);
    // whatever it finds, every match of the regex holds it
    const re = new RegExp(source, 'giu');
    for (const sample of ['To be honest, yes', 'she/her', 'so you feel', 'abbbc', 'yz', 'color', 'x.com', 'axb', 'bc', 'a', '42']) {
      for (const m of sample.matchAll(re)) expect(m[0].toLowerCase()).toContain(literal);
    }
  });
});
