import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { relcode, ROOT } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-qdpx-'));
const PROJECT_XSD = join(ROOT, '../shared/schemas/refi-qda/Project-mrt2019.xsd');
const CODEBOOK_XSD = join(ROOT, 'fixtures/qdpx/Codebook.xsd');
const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
const FIXTURES = ['sample-session.txt', 'intake-lee.txt', 'couples-tc.txt', 'hard-negatives.txt', 'group-notes.csv', 'telehealth.tsv', 'followup.jsonl'].map((f) => `fixtures/transcripts/${f}`);
const csv = (s: string) => parse(s, { columns: true }) as Record<string, string>[];

function xmllint(xml: string, xsd: string, name: string): { code: number; stderr: string } {
  const file = join(dir, name);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  return { code: r.status ?? -1, stderr: r.stderr };
}

function zipFolder(folder: string, out: string, extra: Record<string, string> = {}): string {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(folder, p)] = readFileSync(p);
    }
  };
  walk(folder);
  for (const [k, v] of Object.entries(extra)) files[k] = strToU8(v);
  const path = join(dir, out);
  writeFileSync(path, zipSync(files));
  return path;
}

// The bundled codebook's labels → ids, as a user would write the map for our own export.
const MAP = join(dir, 'codes.yaml');
writeFileSync(MAP, 'Trust: trust\nEmpathy: empathy\nAcceptance: acceptance\nCollaboration: collaboration\nBoundaries: boundaries\nConfidentiality: confidentiality\nRespect: respect\nWarmth: warmth\n');

describe('relcode export qdpx / code --format qdpx', () => {
  const project = join(dir, 'fixtures.qdpx');
  const exported = relcode(['export', 'qdpx', ...FIXTURES, '-o', project], { env: { SOURCE_DATE_EPOCH: '1735787045' } });

  it('writes a .qdpx with project.qde and one source per transcript, and nothing on stdout', () => {
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe('');
    const files = unzipSync(readFileSync(project));
    expect(Object.keys(files).filter((f) => f.startsWith('sources/'))).toHaveLength(8);
    expect(strFromU8(files['project.qde']!)).toMatch(/creationDateTime="2025-01-02T03:04:05Z"/);
  });

  it.skipIf(!HAVE_XMLLINT)('project.qde validates against Project-mrt2019.xsd (xmllint --schema)', () => {
    const r = xmllint(strFromU8(unzipSync(readFileSync(project))['project.qde']!), PROJECT_XSD, 'fixtures.qde');
    expect(r.stderr).toMatch(/validates/);
    expect(r.code).toBe(0);
  });

  it('is reproducible under SOURCE_DATE_EPOCH', () => {
    const again = join(dir, 'again.qdpx');
    expect(relcode(['code', ...FIXTURES, '--format', 'qdpx', '-o', again, '-q'], { env: { SOURCE_DATE_EPOCH: '1735787045' } }).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(project))).toBe(true);
  });

  it.skipIf(!HAVE_XMLLINT)('--qdpx-unit match writes one selection per match, also valid', () => {
    const out = join(dir, 'match.qdpx');
    const r = relcode(['code', ...FIXTURES, '--format', 'qdpx', '--qdpx-unit', 'match', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const qde = strFromU8(unzipSync(readFileSync(out))['project.qde']!);
    const matches = csv(relcode(['code', ...FIXTURES, '--level', 'match', '--format', 'csv']).stdout);
    expect(qde.match(/<PlainTextSelection /g)).toHaveLength(matches.length);
    expect(xmllint(qde, PROJECT_XSD, 'match.qde').code).toBe(0);
  });

  it('needs -o', () => {
    const r = relcode(['code', FIXTURES[0]!, '--format', 'qdpx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs -o FILE/);
  });
});

describe('round trip: export, import the coding back, compare', () => {
  const project = join(dir, 'round.qdpx');
  relcode(['export', 'qdpx', ...FIXTURES, '-o', project]);

  it('kappa is 1 on every dimension coded at least once, over the same units', () => {
    const imported = relcode(['import', 'qdpx', project, '--map', MAP]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toBe('');
    const long = join(dir, 'imported.csv');
    writeFileSync(long, imported.stdout);
    // the transcripts as read back from the project: turns numbered 1.. in order
    const reread = relcode(['code', project, '--level', 'turn', '--format', 'csv']);
    expect(reread.code, reread.stderr).toBe(0);
    const turns = join(dir, 'reread.csv');
    writeFileSync(turns, reread.stdout);

    // the same units as the original coding: every transcript, every turn, the same speakers and words
    const original = csv(relcode(['code', ...FIXTURES, '--level', 'turn', '--format', 'csv']).stdout);
    const back = csv(reread.stdout);
    expect(back.length).toBe(original.length);
    const order = new Map<string, number>();
    const renumbered = original.map((row) => {
      const n = (order.get(row.transcript!) ?? 0) + 1;
      order.set(row.transcript!, n);
      return { ...row, turn: String(n) };
    });
    const key = (r: Record<string, string>) => [r.transcript, r.turn, r.speaker, r.role, r.words].join('|');
    expect(back.map(key)).toEqual(renumbered.map(key));

    const r = relcode(['compare', long, turns, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(r.stdout);
    const coded = rows.filter((x) => x.dimension !== '_pooled' && Number(x.b_coded) > 0);
    expect(coded.map((x) => x.dimension)).toEqual(['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth']);
    for (const row of [...coded, rows.find((x) => x.dimension === '_pooled')!]) {
      expect(row, row.dimension).toMatchObject({ kappa: '1', fp: '0', fn: '0', units: row.dimension === '_pooled' ? String(8 * back.length) : String(back.length) });
    }

    // and against the original automatic coding itself, renumbered by order
    const originalFile = join(dir, 'original-renumbered.csv');
    writeFileSync(originalFile, [Object.keys(renumbered[0]!).join(','), ...renumbered.map((x) => Object.values(x).map((v) => JSON.stringify(v)).join(','))].join('\n'));
    const r2 = csv(relcode(['compare', long, originalFile, '-f', 'csv']).stdout);
    for (const row of r2.filter((x) => Number(x.b_coded) > 0)) expect(row.kappa, row.dimension).toBe('1');
  });
});

describe('relcode import qdpx, on a MAXQDA-style project', () => {
  const project = zipFolder(join(ROOT, 'fixtures/qdpx/maxqda-style'), 'maxqda.qdpx');
  const map = join(ROOT, 'fixtures/qdpx/maxqda-codes.yaml');

  it('with two coders, asks for --user or -o DIR', () => {
    const r = relcode(['import', 'qdpx', project, '--map', map]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 coders: Alice, Bob/);
  });

  it('--user writes that coder’s long coding to stdout and every problem to stderr', () => {
    const r = relcode(['import', 'qdpx', project, '--map', map, '--user', 'Alice']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('transcript,turn,dimension\nSession A,1,warmth\nSession A,3,empathy\nSession A,4,trust\nSession A,5,trust\nInterview 2,3,empathy\n');
    expect(r.stderr).toMatch(/maxqda\.qdpx: warning: selection 5E1EC700-0000-4000-8000-000000000006 .*positions 330–9999.* \[position-out-of-range\]/);
    expect(r.stderr).toMatch(/maxqda\.qdpx: warning: selection 5E1EC700-0000-4000-8000-000000000007 .* \[unknown-code\]/);
    expect(r.stderr).toMatch(/code "Small talk" is not in the map .* \[unmapped-code\]/);
    expect(r.stderr).toMatch(/sources\/0F3A5C74-8B2D-4E3C-9F40-6B7C8D9E0F03\.txt, is not in the archive.* \[missing-source-text\]/);
  });

  it('-o DIR writes one CSV per coder', () => {
    const out = join(dir, 'coders');
    mkdirSync(out);
    const r = relcode(['import', 'qdpx', project, '--map', map, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['Alice.csv', 'Bob.csv']);
    expect(readFileSync(join(out, 'Bob.csv'), 'utf8')).toBe('transcript,turn,dimension\nSession A,3,empathy\nSession A,4,trust\n');
  });

  it('a .qdpx is also a transcript input', () => {
    const r = relcode(['code', project, '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(r.stdout);
    expect(rows.map((x) => `${x.transcript} ${x.turn} ${x.speaker} ${x.role}`)).toEqual([
      'Session A 1 Therapist therapist', 'Session A 2 Client client', 'Session A 3 Therapist therapist', 'Session A 4 Client client', 'Session A 5 Therapist therapist',
      'Interview 2 1 Counselor therapist', 'Interview 2 2 Client client', 'Interview 2 3 Counselor therapist',
    ]);
    expect(r.stderr).toMatch(/\[missing-source-text\]/);
  });

  it('refuses a zip-slip entry name and a zip bomb header, as input errors with a hint', () => {
    const slip = zipFolder(join(ROOT, 'fixtures/qdpx/maxqda-style'), 'slip.qdpx', { '../../../tmp/evil.txt': 'x' });
    const r = relcode(['import', 'qdpx', slip, '--map', map]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slip\.qdpx: error: the archive entry "\.\.\/\.\.\/\.\.\/tmp\/evil\.txt" climbs out .* \[unsafe-zip-entry\]\n {2}hint: /);
    const bomb = Uint8Array.from(zipSync({ 'project.qde': strToU8('<Project/>') }));
    const v = new DataView(bomb.buffer);
    for (let i = 0; i + 4 <= bomb.length; i++) if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, 0x7fffffff, true);
    writeFileSync(join(dir, 'bomb.qdpx'), bomb);
    const b = relcode(['code', join(dir, 'bomb.qdpx')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/would unpack to 2048 MiB, over the limit of 64 MiB per entry \[zip-too-large\]/);
  });
});

describe('relcode codebook export --format qdc', () => {
  it.skipIf(!HAVE_XMLLINT)('writes a REFI-QDA codebook that validates, and says what does not translate', () => {
    const r = relcode(['codebook', 'export', '--format', 'qdc']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1\.0" origin="relcode /);
    expect(r.stderr).toMatch(/indicators, rules, roles and examples have no REFI-QDA equivalent/);
    expect(xmllint(r.stdout, CODEBOOK_XSD, 'default.qdc').code).toBe(0);
  });
});
