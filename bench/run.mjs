#!/usr/bin/env node
// `npm run bench`: relcode code as a whole process, against `wc -w` on the same
// files in the same run, on (1) a seeded synthetic corpus and (2) the AnnoMI
// corpus replicated N times, one text file per transcript, when it is there.
//
//   npm run bench                       # synthetic 2,000 files; AnnoMI ×1, ×10, ×50
//   npm run bench -- --sizes 1,10 --jobs 1 --runs 5 --write
//   npm run bench -- --level summary    # the CLI's default output; default here: turn (one row a turn)
//
// Each figure is the median of --runs runs (default 3), relcode and wc taking
// turns, since a shared machine's speed drifts within minutes.
// --write appends the figures to bench/README.md (with date, machine, command).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'relcode.js');
const annomi = join(root, '..', 'shared', 'data', 'annomi', 'AnnoMI-simple.csv');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const sizes = arg('--sizes', '1,10,50').split(',').map(Number);
const jobs = arg('--jobs', undefined);
const level = arg('--level', 'turn');
const runs = Number(arg('--runs', '3'));
const write = process.argv.includes('--write');
const cache = join(tmpdir(), 'relcode-bench');

/** Peak RSS (MB), wall time and CPU time (s) of a command, with GNU time when present, else by polling /proc (no CPU time then). */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const gnuTime = existsSync('/usr/bin/time');
    const started = process.hrtime.bigint();
    const child = gnuTime
      ? spawn('/usr/bin/time', ['-f', '__RSS__%M %U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    const poll = gnuTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peak = Math.max(peak, Number(m[1]));
          } catch {}
        }, 5);
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const m = /__RSS__(\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      resolve({ seconds, rssMB: (m ? Number(m[1]) : peak) / 1024, cpu: m ? Number(m[2]) + Number(m[3]) : NaN });
    });
  });
}

// A small seeded generator (mulberry32), so the synthetic corpus is the same every run.
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function synthetic(files) {
  const dir = join(cache, `synthetic-${files}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  const random = rng(42);
  const words = ('i you we it that this so really feel felt think know want need sounds like must hard time week ' +
    'sister work home sleep drink talk here today next session trust safe judge understand hear care glad okay yeah ' +
    'because and but not never always maybe little lot about with for from what how when why there').split(' ');
  const openers = ['It sounds like', 'So you', "I'm really glad", 'Let us', 'What you say here', 'Take your time', "I don't understand", 'You know yourself best'];
  for (let f = 0; f < files; f++) {
    const lines = [];
    for (let t = 0; t < 60; t++) {
      const speaker = t % 2 === 0 ? 'Therapist' : 'Client';
      const n = 5 + Math.floor(random() * 30);
      const body = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
      lines.push(`${speaker}: ${random() < 0.3 ? `${openers[Math.floor(random() * openers.length)]} ` : ''}${body}.`);
    }
    writeFileSync(join(dir, `s${String(f).padStart(5, '0')}.txt`), lines.join('\n') + '\n');
  }
  return dir;
}

function annomiCorpus(times) {
  const dir = join(cache, `annomi-x${times}`);
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true });
  const byTranscript = new Map();
  for (const r of parse(readFileSync(annomi), { columns: true })) {
    const speaker = r.interlocutor === 'therapist' ? 'Therapist' : 'Client';
    const list = byTranscript.get(r.transcript_id) ?? [];
    list.push(`${speaker}: ${r.utterance_text.replace(/\s*\n\s*/g, ' ')}`);
    byTranscript.set(r.transcript_id, list);
  }
  for (let k = 0; k < times; k++) {
    for (const [id, lines] of byTranscript) writeFileSync(join(dir, `annomi-${id}-copy${k}.txt`), lines.join('\n') + '\n');
  }
  return dir;
}

function corpusSize(dir) {
  const files = readdirSync(dir);
  const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const words = Number(execFileSync('sh', ['-c', `cat ${JSON.stringify(dir)}/* | wc -w`], { encoding: 'utf8' }).trim());
  const turns = Number(execFileSync('sh', ['-c', `cat ${JSON.stringify(dir)}/* | wc -l`], { encoding: 'utf8' }).trim());
  return { files: files.length, bytes, words, turns };
}

const rows = [];
async function bench(name, dir) {
  const size = corpusSize(dir);
  const args = [bin, 'code', dir, '--level', level, '--format', 'csv', '-q', '-o', join(cache, 'out.csv'), ...(jobs ? ['--jobs', jobs] : [])];
  const wcs = [];
  const codings = [];
  for (let i = 0; i < runs; i++) {
    wcs.push(await measure('sh', ['-c', `cat ${JSON.stringify(dir)}/* | wc -w`]));
    codings.push(await measure(process.execPath, args));
  }
  const median = (xs, key) => xs.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  rows.push({ name, ...size, seconds: median(codings, 'seconds'), cpu: median(codings, 'cpu'), rssMB: Math.max(...codings.map((c) => c.rssMB)), wcSeconds: median(wcs, 'seconds') });
  const r = rows[rows.length - 1];
  console.log(
    `${name.padEnd(14)} ${String(r.files).padStart(6)} files ${(r.words / 1e6).toFixed(2).padStart(6)} M words ` +
      `${r.seconds.toFixed(2).padStart(7)} s (CPU ${r.cpu.toFixed(2)} s) ${Math.round(r.words / r.seconds).toLocaleString('en-US').padStart(11)} words/s ` +
      `${Math.round(r.turns / r.seconds).toLocaleString('en-US').padStart(9)} turns/s  RSS ${r.rssMB.toFixed(0).padStart(4)} MB  ` +
      `wc -w ${r.wcSeconds.toFixed(2)} s  ratio ${(r.seconds / r.wcSeconds).toFixed(1)}×`,
  );
}

// Start-up: one small file, taking turns with `node -e 0` (Node's own start, the floor), after 2 warm-up runs of each.
const small = join(root, 'fixtures', 'transcripts', 'sample-session.txt');
const startupRuns = 15;
const startups = [];
const nodeStarts = [];
for (let i = 0; i < startupRuns + 2; i++) {
  const coded = (await measure(process.execPath, [bin, 'code', small, '--format', 'csv', '-q'])).seconds;
  const bare = (await measure(process.execPath, ['-e', '0'])).seconds;
  if (i < 2) continue;
  startups.push(coded);
  nodeStarts.push(bare);
}
const middle = (xs) => xs.sort((a, b) => a - b)[(xs.length - 1) / 2];
const startup = middle(startups);
const nodeStart = middle(nodeStarts);
const startupText = `one 29-turn file, median of ${startupRuns}: ${(startup * 1000).toFixed(0)} ms (\`node -e 0\`: ${(nodeStart * 1000).toFixed(0)} ms)`;
console.log(`start-up: ${startupText}`);

await bench('synthetic', synthetic(2000));
if (existsSync(annomi)) for (const n of sizes) await bench(`annomi ×${n}`, annomiCorpus(n));
else console.log('AnnoMI is not here; only the synthetic corpus was measured');

if (write) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const table = [
    `### ${new Date().toISOString().slice(0, 10)}, commit ${commit}`,
    '',
    `\`${`npm run bench -- ${process.argv.slice(2).filter((a) => a !== '--write').join(' ')}`.trim()}\` on ${machine}. Start-up, ${startupText}. Times: median of ${runs} runs; peak RSS: the highest of them; CPU: user + system, all threads.`,
    '',
    '| corpus | files | words | turns | relcode s | CPU s | words/s | turns/s | peak RSS MB | `wc -w` s | relcode / wc |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.files} | ${r.words.toLocaleString('en-US')} | ${r.turns.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${Math.round(r.words / r.seconds).toLocaleString('en-US')} | ${Math.round(r.turns / r.seconds).toLocaleString('en-US')} | ${r.rssMB.toFixed(0)} | ${r.wcSeconds.toFixed(2)} | ${(r.seconds / r.wcSeconds).toFixed(1)}× |`),
    '',
  ].join('\n');
  const readme = join(root, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const marker = '<!-- bench results: newest first -->';
  writeFileSync(readme, text.includes(marker) ? text.replace(marker, `${marker}\n\n${table}`) : `${text}\n## Speed\n\n${marker}\n\n${table}`);
}
