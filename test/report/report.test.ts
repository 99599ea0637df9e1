import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POOLED } from '../../src/agreement/compare.js';
import { buildReport, runReport } from '../../src/commands/report.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { renderReport } from '../../src/report/page.js';
import { ANNOMI, relcode } from '../cli/run.js';
import { annomiHuman, options } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-report-'));

describe('relcode report on the fixtures', async () => {
  const warnings: Diagnostic[] = [];
  const data = await buildReport(options(['fixtures/transcripts'], { human: 'fixtures/coding/human.csv' }), (d) => warnings.push(d));

  it('has every transcript, the codebook, the date', () => {
    expect(data.transcripts.length).toBe(13);
    expect(data.codebook.name).toBe('Therapeutic relationship');
    expect(data.codebook.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(data.date).toBe('2025-01-02');
    expect(data.timelines).toHaveLength(13);
    for (const list of Object.values(data.excerpts)) expect(list.length).toBeLessThanOrEqual(5);
  });

  it('agreement per dimension, the same as `relcode compare --role` gives', () => {
    const a = data.agreement!;
    expect(a.rows.map((r) => r.dimension)).toEqual([...data.dimensions.map((d) => d.id), POOLED]);
    const turns = join(dir, 'turns.csv');
    expect(relcode(['code', 'fixtures/transcripts', '--level', 'turn', '-q', '-o', turns]).code).toBe(0);
    const compared = JSON.parse(relcode(['compare', turns, 'fixtures/coding/human.csv', '--dimensions', 'empathy', '--role', 'therapist', '-f', 'json']).stdout);
    const row = compared.pairs[0].rows.find((r: { dimension: string }) => r.dimension === 'empathy');
    expect(a.rows.find((r) => r.dimension === 'empathy')).toEqual(row);
    expect(a.disagreements.shown.length).toBeLessThanOrEqual(30);
    expect(a.disagreements.total).toBeGreaterThanOrEqual(a.disagreements.shown.length);
    expect(warnings.map((w) => w.ruleId)).toContain('uncoded-transcript');
  });

  it('renders agreement with a forest plot and the disagreements', () => {
    const html = renderReport(data);
    expect(html).toContain('data-chart="forest"');
    expect(html).toContain('id="agreement"');
    expect(html).toMatch(/\d+ turn × dimension disagreements; the first 30/);
    expect(html).toContain('<span class="badge yes">codebook: coded</span>');
  });

  it('--redact: identifiers out of excerpts, speakers and disagreements; highlights still on the matched words', async () => {
    const redacted = await buildReport(options(['fixtures/transcripts'], { redact: true, human: 'fixtures/coding/human.csv' }), () => {});
    expect(redacted.redacted).toBe(true);
    const plainAll = [...Object.values(data.excerpts).flat(), ...data.agreement!.disagreements.shown];
    const all = [...Object.values(redacted.excerpts).flat(), ...redacted.agreement!.disagreements.shown];
    // the same turns, in the same order: redaction changes what is shown, not what is counted
    expect(all.map((e) => `${e.transcript}#${e.turn}`)).toEqual(plainAll.map((e) => `${e.transcript}#${e.turn}`));
    expect(redacted.transcripts).toEqual(data.transcripts);
    expect(redacted.agreement!.rows).toEqual(data.agreement!.rows);
    expect(plainAll.some((e) => /\bLee\b/.test(`${e.speaker} ${e.text}`))).toBe(true);
    for (const e of all) {
      expect(`${e.speaker} ${e.text}`).not.toMatch(/\bLee\b|@|https?:/);
      for (const s of e.spans) expect(e.text.slice(s.start, s.end).trim().length).toBeGreaterThan(0);
    }
    expect(all.some((e) => e.text.includes('[NAME]') || e.speaker.includes('[NAME]'))).toBe(true);
    expect(renderReport(redacted)).toContain('Excerpts and speaker labels are redacted');
  });
});

describe('relcode report: bad input', () => {
  it('a human coding with an unknown dimension fails before coding, with a did-you-mean', async () => {
    const file = join(dir, 'bad-human.csv');
    writeFileSync(file, 'transcript,turn,dimension\nsample-session,1,empathie\n');
    const run = runReport(options(['fixtures/transcripts/sample-session.txt'], { human: file }), () => {});
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(/no dimension "empathie" in the codebook \(did you mean "empathy"\?\)/);
  });

  it('a human unit that is not a turn read is an error that names it', async () => {
    const file = join(dir, 'other-human.csv');
    writeFileSync(file, 'transcript,turn,dimension\nsample-session,999,empathy\n');
    await expect(runReport(options(['fixtures/transcripts/sample-session.txt'], { human: file }), () => {})).rejects.toThrow(/turn 999/);
  });
});

describe('relcode report (the CLI)', () => {
  it('writes one HTML file to -o and nothing to stdout', () => {
    const out = join(dir, 'r.html');
    const r = relcode(['report', 'fixtures/transcripts/sample-session.txt', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(new Date().toISOString().slice(0, 10));
  });

  it('needs -o', () => {
    const r = relcode(['report', 'fixtures/transcripts/sample-session.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output/);
  });
});

describe.skipIf(!existsSync(ANNOMI))('relcode report on AnnoMI', () => {
  it('empathy against the experts’ reflections: therapist turns, as bench/validate-annomi.mjs measures', async () => {
    const human = join(dir, 'annomi-human.csv');
    annomiHuman(human);
    const data = await buildReport(options([ANNOMI], { human }), () => {});
    expect(data.transcripts).toHaveLength(133);
    expect(data.timelines).toHaveLength(50);
    expect(data.timelinesOmitted).toBe(83);
    const a = data.agreement!;
    expect(a.rows.map((r) => r.dimension)).toEqual(['empathy']);
    expect(a.rows[0]).toMatchObject({ units: 4882, b_coded: 1296 });
    const html = renderReport(data);
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
  }, 60_000);
});
