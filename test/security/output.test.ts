/**
 * Output safety: CSV/TSV text cells that a spreadsheet would run as a formula
 * are neutralised (OWASP: a leading `'`), numbers are left alone, `--raw-cells`
 * turns it off; output files appear whole or not at all; and no command with
 * `-o` writes over one of its inputs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createWriter, escapeFormula } from '../../src/output/writers.js';
import { relcode } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-output-'));
const at = (name: string) => join(dir, name);

async function written(format: 'csv' | 'tsv' | 'json', records: Record<string, unknown>[], raw = false): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const w = createWriter(format, ['text', 'kappa'], out, {}, { raw });
  for (const r of records) w.write(r);
  await w.end();
  return text;
}

const HOSTILE = ['=HYPERLINK("http://x","click")', '+1+2', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', '\uFF1D1', 'plain', "'already"];

describe('formula injection: the writers', () => {
  it.each(['csv', 'tsv'] as const)('%s: text cells starting with = + - @ tab CR get a leading quote; numbers do not', async (format) => {
    const text = await written(format, HOSTILE.map((t, i) => ({ text: t, kappa: -0.12 * (i + 1) })));
    const rows = parse(text, { columns: true, delimiter: format === 'csv' ? ',' : '\t', relax_quotes: false }) as Record<string, string>[];
    expect(rows.map((r) => r.text)).toEqual(HOSTILE.map(escapeFormula));
    expect(rows.map((r) => r.text).slice(0, 7).every((t) => t.startsWith("'"))).toBe(true);
    expect(rows.map((r) => r.text).slice(7)).toEqual(['plain', "'already"]);
    expect(rows[0]!.kappa).toBe('-0.12'); // a number, not the text "'-0.12"
  });

  it('--raw-cells (raw: true) writes them as they are', async () => {
    const text = await written('csv', HOSTILE.map((t) => ({ text: t, kappa: -1 })), true);
    expect((parse(text, { columns: true }) as Record<string, string>[]).map((r) => r.text)).toEqual(HOSTILE);
  });

  it('JSON is data, not a spreadsheet: left alone', async () => {
    const text = await written('json', [{ text: '=1+1', kappa: -0.5 }]);
    expect(JSON.parse(text)).toEqual([{ text: '=1+1', kappa: -0.5 }]);
  });
});

describe('formula injection: every command that writes CSV', () => {
  writeFileSync(at('=evil.txt'), 'Therapist: =HYPERLINK("http://example.com") It sounds like that was really hard.\nClient: -- I guess. @home it is worse.\n');

  it('code --level turn and match, CSV and TSV; --raw-cells turns it off', () => {
    const turn = relcode(['code', at('=evil.txt'), '--level', 'turn', '--format', 'csv', '-q']);
    expect(turn.code, turn.stderr).toBe(0);
    const rows = parse(turn.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.transcript, r.text])).toEqual([
      ["'=evil", '\'=HYPERLINK("http://example.com") It sounds like that was really hard.'],
      ["'=evil", "'-- I guess. @home it is worse."],
    ]);
    const match = relcode(['code', at('=evil.txt'), '--level', 'match', '--format', 'tsv', '-q']);
    const m = parse(match.stdout, { columns: true, delimiter: '\t' }) as Record<string, string>[];
    expect(m[0]!.text.startsWith("'=HYPERLINK")).toBe(true);
    // offsets are of the turn text; the quote is the spreadsheet's, not part of the text
    expect(m[0]!.text.slice(1).slice(Number(m[0]!.start), Number(m[0]!.end))).toBe(m[0]!.match);
    const raw = relcode(['code', at('=evil.txt'), '--level', 'turn', '--format', 'csv', '-q', '--raw-cells']);
    expect((parse(raw.stdout, { columns: true }) as Record<string, string>[]).map((r) => r.transcript)).toEqual(['=evil', '=evil']);
  });

  it('compare: a negative kappa stays a number', () => {
    writeFileSync(at('a.csv'), 'transcript,turn,empathy\ns,1,1\ns,2,0\ns,3,1\ns,4,0\ns,5,1\n');
    writeFileSync(at('b.csv'), 'transcript,turn,empathy\ns,1,0\ns,2,1\ns,3,0\ns,4,1\ns,5,1\n');
    const r = relcode(['compare', at('a.csv'), at('b.csv'), '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const row = (parse(r.stdout, { columns: true }) as Record<string, string>[]).find((x) => x.dimension === 'empathy')!;
    expect(Number(row.kappa)).toBeLessThan(0);
    expect(row.kappa).toMatch(/^-0\.\d+$/);
    expect(row.kappa_low).toMatch(/^-\d/);
  });

  it('codebook diff --format csv; --raw-cells turns it off', () => {
    writeFileSync(at('old.yaml'), 'codebook: old\ndimensions:\n  empathy:\n    indicators: [worse]\n');
    writeFileSync(at('new.yaml'), 'codebook: new\ndimensions:\n  empathy:\n    indicators: [sounds like]\n');
    const r = relcode(['codebook', 'diff', at('old.yaml'), at('new.yaml'), at('=evil.txt'), '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.transcript).toBe("'=evil");
    expect(rows[0]!.text).toMatch(/^'=HYPERLINK/);
    const raw = relcode(['codebook', 'diff', at('old.yaml'), at('new.yaml'), at('=evil.txt'), '--format', 'csv', '--raw-cells']);
    expect((parse(raw.stdout, { columns: true }) as Record<string, string>[])[0]!.transcript).toBe('=evil');
  });

  it('import qdpx: a source named like a formula', () => {
    const project = at('evil.qdpx');
    const exported = relcode(['export', 'qdpx', at('=evil.txt'), '-o', project]);
    expect(exported.code, exported.stderr).toBe(0);
    writeFileSync(at('map.yaml'), 'Empathy: empathy\n');
    const r = relcode(['import', 'qdpx', project, '--map', at('map.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("transcript,turn,dimension\n'=evil,1,empathy\n");
    const raw = relcode(['import', 'qdpx', project, '--map', at('map.yaml'), '--raw-cells']);
    expect(raw.stdout).toBe('transcript,turn,dimension\n=evil,1,empathy\n');
  });
});

describe('output files: whole or not at all', () => {
  it('a run that fails half-way leaves the existing file as it was, and no temporary file', () => {
    const out = join(dir, 'atomic');
    mkdirSync(out);
    writeFileSync(join(out, 'good.txt'), 'Therapist: It sounds like that was hard.\n'.repeat(2000));
    // valid UTF-8 for the first 64 KiB, so output is already being written when the bad byte comes
    writeFileSync(join(out, 'later.txt'), Buffer.concat([Buffer.from('Client: ' + 'fine words here. '.repeat(5000)), Buffer.from([0xff, 0x0a])]));
    writeFileSync(join(out, 'turns.csv'), 'precious\n');
    const r = relcode(['code', join(out, 'good.txt'), join(out, 'later.txt'), '--level', 'turn', '-o', join(out, 'turns.csv'), '--jobs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/later\.txt:1:85009: error: invalid UTF-8 at byte offset 85008 \(byte 0xff\) \[bad-encoding\]/);
    expect(readFileSync(join(out, 'turns.csv'), 'utf8')).toBe('precious\n');
    expect(readdirSync(out).sort()).toEqual(['good.txt', 'later.txt', 'turns.csv']);
  });

  it('a directory that does not exist is an error that names the file', () => {
    const r = relcode(['code', at('=evil.txt'), '-o', join(dir, 'no/such/dir/out.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out\.csv: error: cannot write: ENOENT \[cannot-write\]/);
  });
});

describe('no command writes over one of its inputs', () => {
  const d = join(dir, 'inputs');
  mkdirSync(d);
  const t = join(d, 'session.txt');
  const original = 'Therapist: It sounds like that was really hard.\nClient: It was.\n';
  writeFileSync(t, original);
  writeFileSync(join(d, 'cb.yaml'), 'codebook: t\ndimensions:\n  empathy:\n    indicators: [sounds like]\n');
  writeFileSync(join(d, 'names.txt'), 'Karen\n');
  writeFileSync(join(d, 'human.csv'), 'transcript,turn,dimension\nsession,1,empathy\n');
  writeFileSync(join(d, 'dict.dic'), '%\n1\tposemo\n%\nhappy\t1\n');
  symlinkSync(t, join(d, 'link.txt'));
  const files = () => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f), 'utf8')]));
  const before = files();

  const cases: [string, string[]][] = [
    ['code -o TRANSCRIPT', ['code', t, '-o', t]],
    ['code -o a symlink to the transcript', ['code', t, '-o', join(d, 'link.txt')]],
    ['code -o CODEBOOK', ['code', t, '-c', join(d, 'cb.yaml'), '-o', join(d, 'cb.yaml')]],
    ['code --names FILE -o FILE', ['code', t, '--names', join(d, 'names.txt'), '-o', join(d, 'names.txt')]],
    ['export qdpx -o TRANSCRIPT', ['export', 'qdpx', t, '-o', t]],
    ['merge -o SHARD', ['merge', join(d, 'human.csv'), '-o', join(d, 'human.csv')]],
    ['codebook test --junit CODEBOOK', ['codebook', 'test', join(d, 'cb.yaml'), '--junit', join(d, 'cb.yaml')]],
    ['codebook export -o CODEBOOK', ['codebook', 'export', join(d, 'cb.yaml'), '--format', 'dic', '-o', join(d, 'cb.yaml')]],
    ['codebook import -o DICTIONARY', ['codebook', 'import', join(d, 'dict.dic'), '-o', join(d, 'dict.dic')]],
  ];
  it.each(cases)('%s: exit 2, output-is-input, the input unchanged', (_name, args) => {
    const r = relcode(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: the output file is one of the inputs \[output-is-input\]/);
    expect(files()).toEqual(before);
  });

  it('import qdpx -o DIR: a coder file that would be the map', () => {
    const project = join(d, '..', 'evil.qdpx');
    if (!existsSync(project)) relcode(['export', 'qdpx', at('=evil.txt'), '-o', project]);
    const out = join(dir, 'coders');
    mkdirSync(out);
    const users = relcode(['import', 'qdpx', project, '--map', at('map.yaml')]);
    expect(users.code, users.stderr).toBe(0);
    // the exported project's coder is "relcode"; a map file named like its CSV must survive
    writeFileSync(join(out, 'relcode.csv'), 'Empathy: empathy\n');
    const r = relcode(['import', 'qdpx', project, '--map', join(out, 'relcode.csv'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[output-is-input\]/);
    expect(readFileSync(join(out, 'relcode.csv'), 'utf8')).toBe('Empathy: empathy\n');
  });
});
