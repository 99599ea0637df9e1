import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ANNOMI, BIN, relcode, ROOT } from './run.js';

const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];
const TURN_HEADER = ['transcript', 'turn', 'speaker', 'role', 'start', 'end', 'words', ...IDS, 'text'];
const csv = (s: string) => parse(s, { columns: true }) as Record<string, string>[];

// Turn counts per transcript, as written down by the fixtures' author (fixtures/README.md).
const FIXTURE_TURNS: [file: string, turns: Record<string, number>][] = [
  ['sample-session.txt', { 'sample-session': 29 }],
  ['intake-lee.txt', { 'intake-lee': 24 }],
  ['couples-tc.txt', { 'couples-tc': 29 }],
  ['hard-negatives.txt', { 'hard-negatives': 30 }],
  ['group-notes.csv', { s01: 16, s02: 14 }],
  ['telehealth.tsv', { telehealth: 21 }],
  ['followup.jsonl', { followup: 21 }],
  ['intake-docx.docx', { 'intake-docx': 15 }],
  ['zoom-session.vtt', { 'zoom-session': 15 }],
  ['teams-export.srt', { 'teams-export': 12 }],
  ['session.cha', { session: 16 }],
  ['chatbot-export.json', { 'chat-07': 12 }],
];

describe('relcode code, as a process', () => {
  it.each(FIXTURE_TURNS)('--level turn gives exactly one row per input turn: %s', (file, expected) => {
    const r = relcode(['code', `fixtures/transcripts/${file}`, '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(r.stdout);
    const perTranscript: Record<string, number> = {};
    for (const row of rows) perTranscript[row.transcript!] = (perTranscript[row.transcript!] ?? 0) + 1;
    expect(perTranscript).toEqual(expected);
    expect(r.stdout.split('\n')[0]).toBe(TURN_HEADER.join(','));
    // turn ids are unique within a transcript
    expect(new Set(rows.map((x) => `${x.transcript}#${x.turn}`)).size).toBe(rows.length);
  });

  it('writes nothing to stdout but the CSV (natural prints nothing, diagnostics go to stderr)', () => {
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('transcript,dimension,turns,coded_turns,matches,words,per_1000_words');
    expect(lines).toHaveLength(1 + IDS.length);
    expect(csv(r.stdout).map((row) => row.dimension)).toEqual(IDS);
    expect(r.stderr).toMatch(/coded 29 turns in 1 transcript;/);
  });

  it('`| head -1` prints the header and nothing else', () => {
    const out = execSync(`node ${JSON.stringify(BIN)} code fixtures/transcripts/sample-session.txt --format csv | head -1`, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('transcript,dimension,turns,coded_turns,matches,words,per_1000_words\n');
  });

  it('defaults to CSV when piped, and reads stdin with -', () => {
    const text = readFileSync(join(ROOT, 'fixtures/transcripts/sample-session.txt'), 'utf8');
    const r = relcode(['code', '-', '--level', 'turn'], { input: text });
    expect(r.code, r.stderr).toBe(0);
    expect(csv(r.stdout)).toHaveLength(29);
  });

  it('--level match rows point at the matched text', () => {
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '--level', 'match', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { text: string; start: number; end: number; match: string; dimension: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.text.slice(row.start, row.end)).toBe(row.match);
      expect(IDS).toContain(row.dimension);
    }
  });

  it('--by-role adds a role column after dimension', () => {
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '--by-role', '--format', 'tsv']);
    expect(r.stdout.split('\n')[0]).toBe(['transcript', 'dimension', 'role', 'turns', 'coded_turns', 'matches', 'words', 'per_1000_words'].join('\t'));
    const rows = parse(r.stdout, { columns: true, delimiter: '\t' }) as Record<string, string>[];
    const turns = rows.filter((x) => x.dimension === 'trust').reduce((n, x) => n + Number(x.turns), 0);
    expect(turns).toBe(29);
  });

  it('takes several files, directories and globs; -o writes a file and leaves stdout empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-'));
    const out = join(dir, 'turns.csv');
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', 'fixtures/transcripts/*.jsonl', '--level', 'turn', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const rows = csv(readFileSync(out, 'utf8'));
    expect(new Set(rows.map((x) => x.transcript))).toEqual(new Set(['sample-session', 'followup']));
    const all = relcode(['code', 'fixtures/transcripts', '--level', 'turn', '--format', 'csv']);
    const total = FIXTURE_TURNS.flatMap(([, t]) => Object.values(t)).reduce((a, b) => a + b, 0);
    expect(csv(all.stdout)).toHaveLength(total);
  });

  it('refuses to write over an input file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-'));
    const input = join(dir, 'session.txt');
    writeFileSync(input, 'Therapist: Hello.\n');
    const r = relcode(['code', input, '-o', input]);
    expect(r.code).toBe(2);
    expect(readFileSync(input, 'utf8')).toBe('Therapist: Hello.\n');
  });

  it('shows a table with highlighted excerpts, and no colour when piped', () => {
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '--format', 'table']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toMatch(/\*\*[^*]+\*\*/);
    for (const label of ['Trust', 'Empathy', 'Confidentiality', 'Warmth']) expect(r.stdout).toContain(label);
  });

  it.skipIf(!existsSync(ANNOMI))('reads the AnnoMI CSV with the column options: 9,699 turns, 133 transcripts, both roles', () => {
    const r = relcode(['code', ANNOMI, '--transcript-col', 'transcript_id', '--turn-col', 'utterance_id', '--speaker-col', 'interlocutor', '--text-col', 'utterance_text', '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(r.stdout);
    expect(rows).toHaveLength(9699);
    expect(new Set(rows.map((x) => x.transcript)).size).toBe(133);
    const roles = rows.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.role!]: (acc[x.role!] ?? 0) + 1 }), {});
    expect(roles).toEqual({ therapist: 4882, client: 4817 });
  });
});

describe('bad input exits 2 and names the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relcode-bad-'));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const sample = 'fixtures/transcripts/sample-session.txt';
  const codebook = (body: string) => file(`cb-${Math.random().toString(36).slice(2)}.yaml`, `codebook: t\ndimensions:\n  d:\n${body}`);

  const cases: [name: string, args: () => string[], where: RegExp][] = [
    ['a codebook with a YAML syntax error', () => ['code', sample, '-c', codebook('    indicators: [a, b\n')], /cb-\w+\.yaml:\d+:\d+: error: .*\[yaml-syntax\]/],
    ['a codebook with an unknown key', () => ['code', sample, '-c', codebook('    indicaters: [a]\n')], /cb-\w+\.yaml:4:5: error: unknown key "indicaters".*did you mean "indicators"/],
    ['a regex that does not compile', () => ['code', sample, '-c', codebook("    indicators:\n      - { regex: '(a' }\n")], /cb-\w+\.yaml:5:18: error: regex does not compile/],
    ['an unbalanced (', () => ['code', sample, '-c', codebook('    indicators:\n      - must (be hard\n')], /cb-\w+\.yaml:5:14: error: unbalanced "\("/],
    ['an empty transcript', () => ['code', file('empty.txt', '')], /empty\.txt: error: .*\[empty-transcript\]/],
    ['a binary file', () => ['code', file('blob.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0]))], /blob\.txt: error: .*\[binary-file\]/],
    ['a CSV without a text column', () => ['code', file('notext.csv', 'session,speaker,words\n1,T,hello\n')], /notext\.csv:1(:\d+)?: error: .*\[no-text-column\]/],
    ['a file that does not exist', () => ['code', join(dir, 'nope.txt')], /nope\.txt: error: .*\[file-not-found\]/],
    ['an unknown option value', () => ['code', sample, '--level', 'paragraph'], /invalid|allowed choices/i],
  ];

  it.each(cases)('%s', (_name, args, where) => {
    const r = relcode(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(where);
    if (!/option/.test(_name)) expect(r.stderr).toMatch(/hint: /);
  });
});

describe('relcode codebook validate', () => {
  it('accepts the bundled codebook', () => {
    const r = relcode(['codebook', 'validate', 'codebooks/relationship.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok: "Therapeutic relationship" .*8 dimensions/);
  });

  it('exits 2 with every problem as file:line:col', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-cb-'));
    const p = join(dir, 'broken.yaml');
    writeFileSync(p, 'codebook: t\ndimensions:\n  d:\n    indicaters: [a]\n  e:\n    indicators: ["(x"]\n');
    const r = relcode(['codebook', 'validate', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:4:5: error: unknown key/);
    expect(r.stderr).toMatch(/broken\.yaml:6:\d+: error: unbalanced "\("/);
  });
});
