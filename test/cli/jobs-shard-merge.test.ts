import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCode, type CodeOptions } from '../../src/commands/code.js';
import { runMerge } from '../../src/commands/merge.js';
import { parseShard, pickShard, writeShardIndex } from '../../src/commands/shard.js';
import { renderProgress, duration, startProgress } from '../../src/cli/progress.js';
import { formatDiagnostic, InputError, type Diagnostic } from '../../src/diagnostics.js';
import { SMALL_CODEBOOK } from '../helpers.js';
import { BIN, relcode, ROOT, type Run } from './run.js';

const FIXTURES = join(ROOT, 'fixtures', 'transcripts');
const LEVELS = ['summary', 'turn', 'match'] as const;
const FORMATS = ['csv', 'tsv', 'json', 'jsonl'] as const;

// Workers and shards do not depend on the codebook; a small one keeps the many runs quick.
const SMALL = SMALL_CODEBOOK;

/** `relcode(...)` without blocking, so two runs can share the two cores. */
function relcodeAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let tmp: string;
let codebook: string;
/** a directory of copies of the fixtures, plus two fixture files: 15 inputs */
let inputs: string[];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'relcode-jobs-'));
  codebook = join(tmp, 'small.yaml');
  writeFileSync(codebook, SMALL);
  const corpus = join(tmp, 'corpus');
  mkdirSync(corpus);
  for (const f of readdirSync(FIXTURES)) if (f !== 'README.md') copyFileSync(join(FIXTURES, f), join(corpus, `copy-${f}`));
  // warnings that must come out in file order: text before the first label, a speaker with no role
  writeFileSync(join(corpus, 'm-warnings.txt'), 'a preamble line\nTherapist: It sounds like a hard week.\nVisitor: I trust you.\n');
  inputs = [corpus, join(FIXTURES, 'group-notes.csv'), join(FIXTURES, 'sample-session.txt')];
});

const base = (over: Partial<CodeOptions>): CodeOptions => ({
  inputs: [], codebook, level: 'turn', format: 'csv', byRole: false, roles: {}, read: { inputFormat: 'auto', columns: {} }, excerpts: 3, color: false, width: 80, jobs: 1, ...over,
});

async function code(options: CodeOptions): Promise<{ text: string; diagnostics: Diagnostic[]; totals: Awaited<ReturnType<typeof runCode>> }> {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (d: string) => (text += d));
  const diagnostics: Diagnostic[] = [];
  const totals = await runCode(options, out, (d) => diagnostics.push(d));
  return { text, diagnostics, totals };
}

/** Writes shard K/N of a run as `code --shard K/N -o FILE` does: the output, then its index. */
async function shard(dir: string, options: CodeOptions, k: number, n: number): Promise<string> {
  const file = join(dir, `part.${k}.${options.format}`);
  const r = await code({ ...options, shard: { index: k, count: n } });
  writeFileSync(file, r.text);
  await writeShardIndex(file, r.totals.shardIndex!);
  return file;
}

/** What `relcode code ARGS --jobs 1` writes, from runCode in this process: stdout, and stderr as the CLI prints it. */
async function inThisThread(over: Partial<CodeOptions>): Promise<Run> {
  const r = await code(base({ inputs, ...over, jobs: 1 }));
  return { code: 0, stdout: r.text, stderr: r.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('') };
}

describe('--jobs: worker threads write exactly what one thread writes', () => {
  // Each --jobs 4 run starts four workers that load their modules: the costly part of this file.
  // The --jobs 1 side runs in this process (the same code path); one pair below runs both as processes.
  it.each(LEVELS)('--level %s, as csv, json and jsonl: --jobs 4 gives the stdout and stderr of --jobs 1', async (level) => {
    // turn × csv: in the next test, against a --jobs 1 process
    const formats = level === 'turn' ? (['json', 'jsonl'] as const) : (['csv', 'json', 'jsonl'] as const);
    const four = await Promise.all(formats.map((format) => relcodeAsync(['code', ...inputs, '-c', codebook, '--level', level, '--format', format, '--jobs', '4'])));
    for (const [i, format] of formats.entries()) {
      const one = await inThisThread({ level, format });
      expect(four[i]!.code, four[i]!.stderr).toBe(0);
      expect(four[i]!.stdout, `${level} ${format}`).toBe(one.stdout);
      expect(four[i]!.stderr, `${level} ${format}`).toBe(one.stderr);
      expect(one.stderr).toMatch(/m-warnings\.txt.*\[text-before-first-speaker\][^]*m-warnings\.txt.*\[unknown-speaker\]/);
      // no progress bar when stderr is not a terminal
      expect(four[i]!.stderr).not.toContain('\r');
    }
  });

  it('as two processes, --jobs 4 and --jobs 1 write the same bytes', async () => {
    const args = ['code', ...inputs, '-c', codebook, '--level', 'turn', '--format', 'csv'];
    const [one, four] = await Promise.all([relcodeAsync([...args, '--jobs', '1']), relcodeAsync([...args, '--jobs', '4'])]);
    expect(one.code, one.stderr).toBe(0);
    expect(four.stdout).toBe(one.stdout);
    expect(four.stderr).toBe(one.stderr);
    expect(one).toEqual(await inThisThread({ level: 'turn', format: 'csv' }));
  });

  // Workers encode streaming formats themselves (redacted when asked); the table view still gets coded transcripts.
  it.each([
    ['--level turn --format tsv --redact --raw-cells', true],
    ['--level match --format csv --redact', true],
    ['--level turn --format table', false],
    ['--level summary --format table', false],
  ])('%s: --jobs 4 and --jobs 1 write the same bytes', async (flags, redacting) => {
    const args = ['code', ...inputs, '-c', codebook, ...String(flags).split(' ')];
    const [one, four] = await Promise.all([relcodeAsync([...args, '--jobs', '1']), relcodeAsync([...args, '--jobs', '4'])]);
    expect(one.code, one.stderr).toBe(0);
    expect(four.stdout).toBe(one.stdout);
    expect(four.stderr).toBe(one.stderr);
    if (redacting) expect(one.stdout).toMatch(/\[(NAME|DATE|PHONE)\]/);
  });

  // CSV holds records back to write them in chunks: those must go out too, as the workers' do
  it.each(['json', 'csv'])('an error in one file mid-way exits 2 with the same message, and the same output before it (%s)', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-jobs-bad-'));
    for (const f of readdirSync(FIXTURES)) if (f.endsWith('.txt') || f.endsWith('.csv')) copyFileSync(join(FIXTURES, f), join(dir, f));
    for (const f of ['a', 'b', 'c', 'd', 'e', 'f']) copyFileSync(join(FIXTURES, 'sample-session.txt'), join(dir, `${f}.txt`));
    writeFileSync(join(dir, 'd-broken.txt'), Buffer.from('Therapist: hello \xff there\n', 'latin1'));
    const args = ['code', dir, '-c', codebook, '--level', 'turn', '--format', format];
    const [one, four] = await Promise.all([relcodeAsync([...args, '--jobs', '1']), relcodeAsync([...args, '--jobs', '4'])]);
    expect(one.code).toBe(2);
    expect(four.code).toBe(2);
    expect(one.stderr).toMatch(/d-broken\.txt:1:18: error: invalid UTF-8 .*\[bad-encoding\]/);
    expect(four.stderr).toBe(one.stderr);
    expect(four.stdout).toBe(one.stdout);
    expect(one.stdout).toContain('Hi, come on in.'); // the files before the broken one
  });
});

describe('--shard K/N', () => {
  it('shards 1/3, 2/3 and 3/3 code every input turn exactly once, and merge gives one run\'s bytes', async () => {
    const out = join(tmp, 'slurm');
    mkdirSync(out);
    const whole = await inThisThread({ level: 'turn', format: 'csv' });
    const runs = await Promise.all([1, 2, 3].map((k) => relcodeAsync(['code', ...inputs, '-c', codebook, '--level', 'turn', '--shard', `${k}/3`, '-o', join(out, `turns.${k}.csv`)])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const key = (row: Record<string, string>) => `${row.transcript}#${row.turn}#${row.text}`;
    const rows = (text: string) => (parse(text, { columns: true }) as Record<string, string>[]).map(key);
    const sharded = [1, 2, 3].flatMap((k) => rows(readFileSync(join(out, `turns.${k}.csv`), 'utf8')));
    // the same rows as one run, each as often (copies of a fixture give equal rows)
    expect(sharded.sort()).toEqual(rows(whole.stdout).sort());

    // shards in any order; the indexes beside them, as `out/turns.*` would pass them, are skipped
    const merged = relcode(['merge', join(out, 'turns.3.csv'), join(out, 'turns.1.csv'), join(out, 'turns.2.csv'), join(out, 'turns.1.csv.shard.json'), '-o', join(tmp, 'turns.csv')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toMatch(/merged 3 shards of 15 input files/);
    expect(readFileSync(join(tmp, 'turns.csv'), 'utf8')).toBe(whole.stdout);
  });

  it('a shard with no files writes only the header (or []) and says so', async () => {
    const csv = await code(base({ inputs: [join(FIXTURES, 'sample-session.txt')], shard: { index: 2, count: 2 } }));
    expect(csv.text).toBe('transcript,turn,speaker,role,start,end,words,empathy,trust,text\n');
    expect(formatDiagnostic(csv.diagnostics[0]!)).toMatch(/^<command line>: warning: shard 2\/2 has no files: the inputs are 1 file, .*\[empty-shard\]/);
    expect(csv.totals.shardIndex).toMatchObject({ shard: 2, of: 2, files: 1, records: [] });
    const json = await code(base({ inputs: [join(FIXTURES, 'sample-session.txt')], format: 'json', shard: { index: 2, count: 2 } }));
    expect(json.text).toBe('[]\n');
  });

  it.each(['0/4', '5/4', 'x/y'])('--shard %s exits 2 with a hint', (value) => {
    const r = relcode(['code', join(FIXTURES, 'sample-session.txt'), '--shard', value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--shard needs K/N, the K-th of N shards, got "${value}" [bad-option]`);
    expect(r.stderr).toMatch(/hint: .*--shard 3\/8.*SLURM_ARRAY_TASK_ID/);
  });

  it('merge refuses the table format with a hint (exit 2)', () => {
    const r = relcode(['merge', '--format', 'table', join(tmp, 'whatever.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the table format cannot be merged \[cannot-merge-table\]\n  hint: write the shards with --format csv/);
  });
});

async function merge(files: string[], format?: 'table'): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (d: string) => (text += d));
  await runMerge({ files, ...(format ? { format } : {}) }, out, () => undefined);
  return text;
}

describe('merge gives back one run, byte for byte', () => {
  // 7 files: two transcripts in one CSV (with an embedded line break and quotes), a file with no matches, curly quotes
  let files: string[];
  beforeAll(() => {
    const dir = join(tmp, 'merge-corpus');
    mkdirSync(dir);
    for (const f of ['group-notes.csv', 'sample-session.txt', 'couples-tc.txt', 'followup.jsonl', 'telehealth.tsv']) copyFileSync(join(FIXTURES, f), join(dir, f));
    copyFileSync(join(FIXTURES, 'group-notes.csv'), join(dir, 'z-notes.csv'));
    writeFileSync(join(dir, 'quiet.txt'), 'Therapist: Hello.\nClient: Hi.\n');
    files = [dir];
  });

  for (const level of LEVELS) {
    it.each(FORMATS)(`--level ${level} --format %s, with 1, 2, 3 and 9 shards (more shards than files)`, async (format) => {
      const options = base({ inputs: files, level, format });
      const one = await code(options);
      for (const n of [1, 2, 3, 9]) {
        const dir = mkdtempSync(join(tmp, `m-${level}-${format}-${n}-`));
        const parts: string[] = [];
        for (let k = 1; k <= n; k++) parts.push(await shard(dir, options, k, n));
        expect(await merge(parts.reverse()), `${n} shards`).toBe(one.text);
      }
    });
  }

  it('--by-role summaries merge too', async () => {
    const options = base({ inputs: files, level: 'summary', byRole: true, format: 'csv' });
    const dir = mkdtempSync(join(tmp, 'm-by-role-'));
    const parts = [await shard(dir, options, 1, 2), await shard(dir, options, 2, 2)];
    expect(await merge(parts)).toBe((await code(options)).text);
  });

  const refuses = async (files: string[], ruleId: string, format?: 'table') => {
    const error = await merge(files, format).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics[0]!.ruleId).toBe(ruleId);
  };

  it('refuses a mix of formats, different headers, a missing or doubled shard, and files without an index', async () => {
    const dir = mkdtempSync(join(tmp, 'm-refuse-'));
    const csv1 = await shard(dir, base({ inputs: files, format: 'csv' }), 1, 2);
    const csv2 = await shard(dir, base({ inputs: files, format: 'csv' }), 2, 2);
    const json2 = await shard(dir, base({ inputs: files, format: 'json' }), 2, 2);
    const summary = join(dir, 'summary');
    mkdirSync(summary);
    const summary2 = await shard(summary, base({ inputs: files, level: 'summary', format: 'csv' }), 2, 2);
    await refuses([csv1, json2], 'mixed-formats');
    await refuses([csv1, summary2], 'headers-differ');
    await refuses([csv1], 'missing-shard');
    await refuses([csv1, csv1, csv2], 'duplicate-shard');
    await refuses([csv1, join(FIXTURES, 'group-notes.csv')], 'no-shard-index');
    await refuses([csv1, csv2], 'cannot-merge-table', 'table');
    // a shard cut short no longer matches its index
    writeFileSync(csv2, readFileSync(csv2, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    await refuses([csv1, csv2], 'shard-mismatch');
  });
});

describe('shards', () => {
  it('file i goes to shard i mod N + 1', () => {
    const files = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(pickShard(files, parseShard('1/3'))).toEqual(['a', 'd', 'g']);
    expect(pickShard(files, parseShard('2/3'))).toEqual(['b', 'e']);
    expect(pickShard(files, parseShard('3/3'))).toEqual(['c', 'f']);
    expect(pickShard(files, parseShard('8/8'))).toEqual([]);
    expect(parseShard(' 3 / 8 ')).toEqual({ index: 3, count: 8 });
    for (const bad of ['5/4', 'x/y', '3', '1/0', '-1/4', '2/3/4', '1.5/4', '']) expect(() => parseShard(bad), bad).toThrow(InputError);
  });
});

describe('progress bar', () => {
  it('shows files done/total, a bar, turns per second and the time left, within the width', () => {
    const line = renderProgress({ filesDone: 30, files: 120, turns: 84_120, elapsedMs: 10_000 }, 80);
    const [, filled, empty] = /^30\/120 files (█+)(░+)  25%  8,412 turns\/s  ETA 0:30$/.exec(line) ?? [];
    expect(line.length).toBe(79);
    expect(filled!.length).toBe(Math.round((filled!.length + empty!.length) / 4));
    expect(renderProgress({ filesDone: 0, files: 5, turns: 0, elapsedMs: 0 }, 60)).toMatch(/^0\/5 files ░+ {3}0% {2}0 turns\/s {2}ETA --:--$/);
    expect(renderProgress({ filesDone: 5, files: 5, turns: 10, elapsedMs: 2000 }, 60)).toMatch(/^5\/5 files █+ 100% {2}5 turns\/s {2}ETA 0:00$/);
    // a narrow terminal drops the bar and never writes the last column
    expect(renderProgress({ filesDone: 1, files: 2, turns: 10, elapsedMs: 1000 }, 30).length).toBeLessThan(30);
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(59.2)).toBe('1:00');
  });

  it('draws only on a terminal, after a second, at most every 100 ms, and clears itself', () => {
    let now = 0;
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 60, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const p = { files: 4, filesDone: 1, transcripts: 1, turns: 100 };
    const ticker = startProgress(stream, { now: () => now })!;
    ticker.update(p);
    expect(writes).toEqual([]); // a short run never shows a bar
    now = 1000;
    ticker.update(p);
    now = 1050;
    ticker.update(p);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r1\/4 files /);
    ticker.clear();
    expect(writes[1]).toBe(`\r${' '.repeat(writes[0]!.length - 1)}\r`);
    ticker.stop();
    now = 5000;
    ticker.update(p);
    expect(writes).toHaveLength(2);
    expect(startProgress({ isTTY: false } as NodeJS.WriteStream)).toBeUndefined();
  });
});
