import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relcode } from './run.js';

const sample = 'fixtures/transcripts/sample-session.txt';

describe('-o FILE', () => {
  it('writes to /dev/null without replacing it', () => {
    const r = relcode(['code', sample, '-q', '-o', '/dev/null']);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writes through a symbolic link to its target, keeping the link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-out-'));
    const target = join(dir, 'real.csv');
    writeFileSync(target, 'old\n');
    symlinkSync(target, join(dir, 'link.csv'));
    expect(relcode(['code', sample, '-q', '-f', 'csv', '-o', join(dir, 'link.csv')]).code).toBe(0);
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^transcript,dimension,/);
  });

  it('writes into a FIFO as a stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-fifo-'));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = execFileSync('sh', ['-c', `node bin/relcode.js code ${sample} -q -f csv -o ${fifo} & cat ${fifo}`], { encoding: 'utf8' });
    expect(reader.split('\n')[0]).toBe('transcript,dimension,turns,coded_turns,matches,words,per_1000_words');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
