import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { relcode, ROOT } from './run.js';

const DEFAULT = join(ROOT, 'codebooks/relationship.yaml');
const dir = mkdtempSync(join(tmpdir(), 'relcode-cli-diff-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const session = write('s.txt', 'Therapist: That sounds like a plan.\nTherapist: It sounds like you are tired.\nClient: Fine.\n');
const OLD = write('old.yaml', 'codebook: o\ndimensions:\n  empathy:\n    indicators: [sounds like]\n');
// new vetoes "sounds like a plan": turn 1 loses empathy, turn 2 keeps it
const NEW = write('new.yaml', 'codebook: n\ndimensions:\n  empathy:\n    indicators: [sounds like]\n    exclude: [sounds like a plan]\n');

describe('relcode codebook diff, as a process', () => {
  it('identical codebooks: header only, exit 0 even with --fail-on-change', () => {
    const r = relcode(['codebook', 'diff', DEFAULT, DEFAULT, 'fixtures/transcripts', '--fail-on-change']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('transcript,turn,speaker,role,dimension,change,old_indicators,new_indicators,text\n');
    expect(r.stderr).toMatch(/compared \d+ turns in \d+ transcripts: 0 dimension codings gained, 0 dimension codings lost/);
  });

  it('--fail-on-change exits 1 when a turn changes; without it, 0', () => {
    const failing = relcode(['codebook', 'diff', OLD, NEW, session, '--fail-on-change']);
    expect(failing.code, failing.stderr).toBe(1);
    const rows = parse(failing.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        transcript: 's', turn: '1', speaker: 'Therapist', role: 'therapist', dimension: 'empathy', change: 'lost',
        old_indicators: '"sounds like" line 4', new_indicators: '', text: 'That sounds like a plan.',
      },
    ]);
    expect(relcode(['codebook', 'diff', OLD, NEW, session]).code).toBe(0);
  });

  it('--format table and json', () => {
    const table = relcode(['codebook', 'diff', OLD, NEW, session, '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^empathy\s+same\s+3\s+2\s+1\s+0\s+1$/m);
    expect(table.stdout).toContain('- empathy  s #1 Therapist: That **sounds like** a plan.  (old: "sounds like" line 4)');
    const json = JSON.parse(relcode(['codebook', 'diff', OLD, NEW, session, '--format', 'json']).stdout) as { totals: unknown[]; changes: { turn: number }[] };
    expect(json.totals).toHaveLength(1);
    expect(json.changes.map((c) => c.turn)).toEqual([1]);
  });

  it('an added and a removed dimension', () => {
    const renamed = write('renamed.yaml', 'codebook: n\ndimensions:\n  reflection:\n    indicators: [sounds like]\n');
    const r = relcode(['codebook', 'diff', OLD, renamed, session, '--format', 'json']);
    const json = JSON.parse(r.stdout) as { totals: { dimension: string; status: string; gained: number; lost: number }[]; changes: { dimension: string; change: string }[] };
    expect(json.totals.map((t) => [t.dimension, t.status, t.gained, t.lost])).toEqual([['reflection', 'added', 2, 0], ['empathy', 'removed', 0, 2]]);
    expect(json.changes.map((c) => [c.dimension, c.change])).toEqual([['reflection', 'gained'], ['empathy', 'lost'], ['reflection', 'gained'], ['empathy', 'lost']]);
  });

  it('removing one indicator from the default codebook loses only turns it matched', () => {
    const text = readFileSync(DEFAULT, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('phrase: "welcome (back|in|aboard|to|here)"'));
    expect(at).toBeGreaterThan(0);
    const copy = write('without.yaml', [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'));
    const r = relcode(['codebook', 'diff', DEFAULT, copy, 'fixtures/transcripts', '--fail-on-change']);
    expect(r.code, r.stderr).toBe(1);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ dimension: 'warmth', change: 'lost', new_indicators: '' });
      expect(row.old_indicators).toContain(`"welcome (back|in|aboard|to|here)" line ${at + 1}`);
    }
  });

  it('a codebook that does not load exits 2 and names it', () => {
    const bad = write('bad.yaml', 'codebook: b\ndimensions:\n  d:\n    indicaters: [x]\n');
    const r = relcode(['codebook', 'diff', OLD, bad, session]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:5: error: .*\[unknown-key\]/);
    expect(r.stdout).toBe('');
  });
});
