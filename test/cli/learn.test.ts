/**
 * `relcode suggest` and `relcode learn` as a user runs them, on the fixtures and
 * fixtures/coding/human.csv; then a learned model used as an indicator, and explained.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { relcode } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-learn-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const FIXTURES = ['sample-session.txt', 'intake-lee.txt', 'couples-tc.txt', 'hard-negatives.txt', 'group-notes.csv', 'telehealth.tsv', 'followup.jsonl'].map((f) => `fixtures/transcripts/${f}`);
const HUMAN = ['--human', 'fixtures/coding/human.csv'];

describe('relcode suggest', () => {
  it('ranks phrases for a dimension, with counts, z, the precision and recall with each added, and examples', () => {
    const r = relcode(['suggest', ...FIXTURES, ...HUMAN, '-d', 'empathy', '--top', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Empathy \[empathy\]: 93 therapist turns in 8 transcripts; 16 coded by the humans, 16 by the codebook \(precision 0\.750, recall 0\.750, kappa 0\.698\)/);
    expect(r.stdout).toMatch(/#\s+phrase\s+z\s+coded\s+uncoded\s+\+tp\s+\+fp\s+precision\s+recall\s+kappa/);
    expect(r.stdout).toMatch(/«[^»]+»/);
  });

  it('--format json gives the same as data; --format yaml, indicator lines relcode loads', () => {
    const json = relcode(['suggest', ...FIXTURES, ...HUMAN, '-d', 'warmth', '--top', '4', '-f', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { dimension: string; suggestions: { phrase: string; z: number; examples: unknown[] }[] };
    expect(report.dimension).toBe('warmth');
    expect(report.suggestions.length).toBeGreaterThan(0);
    expect(report.suggestions.length).toBeLessThanOrEqual(4);
    const zs = report.suggestions.map((s) => s.z);
    expect(zs).toEqual([...zs].sort((a, b) => b - a));

    const yaml = relcode(['suggest', ...FIXTURES, ...HUMAN, '-d', 'warmth', '--top', '4', '-f', 'yaml']);
    expect(yaml.code, yaml.stderr).toBe(0);
    const pasted = `codebook: t\ndimensions:\n  warmth:\n    indicators:\n${yaml.stdout.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
    expect(parseCodebook(pasted, 'pasted.yaml').dimensions[0]!.indicators.map((i) => i.source)).toEqual(report.suggestions.map((s) => s.phrase));
  });

  it('stops on an unknown dimension with a did-you-mean (exit 2)', () => {
    const r = relcode(['suggest', ...FIXTURES, ...HUMAN, '-d', 'empaty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no dimension "empaty".*did you mean "empathy"\?.*\[unknown-dimension\]/);
  });

  it('stops when the coding names a turn the transcripts do not have', () => {
    const human = write('bad-human.csv', 'transcript,turn,dimension\nsample-session,99,empathy\nnowhere,1,empathy\n');
    const r = relcode(['suggest', ...FIXTURES, '--human', human, '-d', 'empathy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${human}:2: error: transcript "sample-session" has no turn 99 [unknown-unit]`);
    expect(r.stderr).toContain(`${human}:3: error: transcript "nowhere" is not among the transcripts read`);
  });
});

describe('relcode learn', () => {
  const model = join(dir, 'empathy.json');
  const learned = relcode(['learn', ...FIXTURES, ...HUMAN, '--dimensions', 'empathy', '--folds', '3', '--seed', '7', '-o', model]);

  it('writes a versioned, readable model and reports cross-validated agreement grouped by transcript', () => {
    expect(learned.code, learned.stderr).toBe(0);
    const m = JSON.parse(readFileSync(model, 'utf8')) as Record<string, any>;
    expect(m).toMatchObject({ relcode_model: 1, dimension: 'empathy', roles: ['therapist'], trained_on: { transcripts: 8, turns: 93, positives: 16, coding: 'human.csv' } });
    expect(m.cv).toMatchObject({ folds: 3, seed: 7, grouped_by: 'transcript' });
    expect(m.cv.kappa.folds).toHaveLength(3);
    expect(m.threshold).toBeGreaterThan(0);
    expect(m.threshold).toBeLessThan(1);
    const weights = Object.values(m.features as Record<string, number>).map(Math.abs);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(m.top_features[0].feature).toBe(Object.keys(m.features)[0]);
    expect(learned.stdout).toContain('3-fold cross-validation grouped by transcript (seed 7); every figure is on held-out transcripts');
    expect(learned.stdout).toMatch(/kappa\s+-?\d\.\d{3} ± \d\.\d{3}\s+\(-?\d\.\d{3}–\d\.\d{3}\)/);
    expect(learned.stdout).toContain('learning curve');
  });

  it('is deterministic for a seed', () => {
    const again = join(dir, 'again.json');
    expect(relcode(['learn', ...FIXTURES, ...HUMAN, '--dimensions', 'empathy', '--folds', '3', '--seed', '7', '-o', again]).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(model, 'utf8'));
  });

  it('trains every coded dimension into one bundle without --dimensions', () => {
    const bundle = join(dir, 'all.json');
    const r = relcode(['learn', ...FIXTURES, ...HUMAN, '--folds', '2', '-o', bundle]);
    expect(r.code, r.stderr).toBe(0);
    const b = JSON.parse(readFileSync(bundle, 'utf8')) as { relcode_model: number; models: { dimension: string }[] };
    expect(b.relcode_model).toBe(1);
    expect(b.models.map((x) => x.dimension)).toEqual(['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth']);
    // a bundle serves the dimension of the same id
    const cb = write('bundle.yaml', 'codebook: t\ndimensions:\n  warmth:\n    roles: [therapist]\n    indicators:\n      - { model: all.json }\n');
    expect(relcode(['codebook', 'validate', cb]).code).toBe(0);
  });

  it('refuses fewer than 2 folds (exit 2)', () => {
    const r = relcode(['learn', ...FIXTURES, ...HUMAN, '--folds', '1', '-o', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--folds needs at least 2/);
  });

  it('codes turns with the learned model as an indicator of the codebook', () => {
    const cb = write('with-model.yaml', 'codebook: t\ndimensions:\n  empathy:\n    roles: [therapist]\n    indicators:\n      - { model: empathy.json, threshold: 0.05 }\n');
    const r = relcode(['code', ...FIXTURES, '-c', cb, '--level', 'match', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { indicator: string; start: number; end: number; match: string; text: string; role: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ indicator: 'model:empathy.json', start: 0, end: row.text.length, match: row.text, role: 'therapist' });
    }
  });
});

describe('a model indicator, explained', () => {
  const model = write('banana.json', JSON.stringify({ relcode_model: 1, dimension: 'empathy', roles: ['therapist'], features: { 'ngram:banana': 3, 'previous:role=client': 0.5, 'turn:question': -2 }, intercept: -1, threshold: 0.6 }));
  const cb = write('banana.yaml', ['codebook: banana', 'dimensions:', '  empathy:', '    roles: [therapist]', '    indicators:', '      - sounds like you', '      - { model: banana.json }', ''].join('\n'));
  const transcript = write('s.txt', ['Client: I had toast.', 'Therapist: Banana bread, then.', 'Therapist: Banana?'].join('\n'));
  void model;

  it('codes the turn whose probability reaches the threshold, as a whole-turn match', () => {
    const r = relcode(['code', transcript, '-c', cb, '--level', 'turn', '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    // turn 2: z = −1 + 3 + 0.5 = 2.5, p = 0.92; turn 3: z = −1 + 3 − 2 = 0 (previous is a therapist), p = 0.5 < 0.6
    expect(r.stdout.trim().split('\n').map((l) => l.split(',').slice(0, 8).join(','))).toEqual([
      'transcript,turn,speaker,role,start,end,words,empathy',
      's,1,Client,client,,,3,0',
      's,2,Therapist,therapist,,,3,1',
      's,3,Therapist,therapist,,,1,0',
    ]);
  });

  it('explain shows the probability and the features that pushed it over the threshold', () => {
    const json = relcode(['explain', transcript, '--turn', '2', '-c', cb, '-f', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const d = (JSON.parse(json.stdout) as { dimensions: { coded: boolean; matched: { indicator: string }[]; models: Record<string, any>[] }[] }).dimensions[0]!;
    expect(d.coded).toBe(true);
    expect(d.matched.map((m) => m.indicator)).toEqual(['model:banana.json']);
    expect(d.models[0]).toMatchObject({ indicator: 'model:banana.json', line: 7, threshold: 0.6, reached: true, counted: true, intercept: -1 });
    expect(d.models[0]!.probability).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 12);
    expect(d.models[0]!.contributions).toEqual([
      { feature: 'ngram:banana', value: 1, weight: 3, contribution: 3 },
      { feature: 'previous:role=client', value: 1, weight: 0.5, contribution: 0.5 },
    ]);

    const table = relcode(['explain', transcript, '--turn', '3', '-c', cb]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('✗ line 7  model:banana.json  p = 0.500 < threshold 0.6');
    expect(table.stdout).toMatch(/\+3\.000 {2}ngram:banana/);
    expect(table.stdout).toMatch(/-2\.000 {2}turn:question/);
  });

  it('a missing model file is an error at its line and column (exit 2)', () => {
    const broken = write('broken.yaml', ['codebook: b', 'dimensions:', '  empathy:', '    indicators:', '      - { model: models/nope.json }', ''].join('\n'));
    const r = relcode(['code', transcript, '-c', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken}:5:18: error: cannot read model file "models/nope.json": ENOENT [model-not-found]`);
  });
});
