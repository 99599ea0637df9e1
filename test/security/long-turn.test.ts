/**
 * One turn of 100,000 characters is coded with the default codebook in
 * bounded time, in a separate process with a hard timeout. The shapes are
 * ordinary talk, talk with no sentence punctuation (one huge sentence), one
 * letter repeated, and two that were slow before: a long run of spaces after a
 * full stop (a lookbehind with `\s+` in the codebook, quadratic) and thousands
 * of matches of one indicator (a pairwise nesting check, quadratic).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../cli/run.js';

const SIZE = 100_000;
const LIMIT_MS = 20_000;

const talk =
  "I feel like you really understand me, and I've never told anyone this before. It sounds like that must have been really hard for you. " +
  "Let's work on this together next week, is that okay with you? Take your time; what you say here stays between us. ";
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const cases: [string, string][] = [
  ['ordinary talk', fill(talk)],
  ['no sentence punctuation', fill(talk.replace(/[.,;?!']/g, ''))],
  ['one letter repeated', 'a'.repeat(SIZE)],
  ['spaces after a full stop', `Okay.${' '.repeat(SIZE - 20)}you are here`],
  ['one indicator matched thousands of times', fill('she/her ')],
];

describe('a 100,000-character turn is coded in bounded time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relcode-long-'));
  it.each(cases)('%s', (name, text) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.txt`);
    writeFileSync(file, `Therapist: ${text}\n`);
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'code', file, '--level', 'turn', '--format', 'csv', '-q'], { cwd: ROOT, encoding: 'utf8', timeout: LIMIT_MS, maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - started;
    console.info(`100k-character turn, ${name}: ${(ms / 1000).toFixed(2)} s`);
    expect(r.error, 'timed out').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^ordinary|^no-|^one-|^spaces-/);
    expect(ms).toBeLessThan(LIMIT_MS);
  }, LIMIT_MS + 5_000);
});
