#!/usr/bin/env node
// Time tokenize() alone, old against new, over every AnnoMI utterance:
// "old" is src/text/tokenize.ts at a git revision, "new" the working tree.
//
//   node bench/tokenize.mjs                  # old = HEAD, 10 rounds × 2 processes each
//   node bench/tokenize.mjs --ref a4086a7 --repeat 20 --processes 3
//
// Both files are transpiled (typescript's transpileModule) into a temporary
// directory. The parent checks that they give the same result on every
// utterance; each timing then runs in a fresh process of its own (old and new
// alternate), so that neither inherits the other's heap or JIT state. Figures
// are ns per written word, wall clock; on a busy machine the best round is the
// steadier figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'csv-parse/sync';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const annomi = join(root, '..', 'shared', 'data', 'annomi', 'AnnoMI-simple.csv');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const repeat = Number(arg('--repeat', '10'));
const utterances = () => parse(readFileSync(annomi), { columns: true }).map((r) => r.utterance_text);
const loadTokenize = async (file) => (await import(pathToFileURL(file).href)).tokenize;

if (process.argv.includes('--child')) {
  // One timing: warm up, then `repeat` rounds over all utterances; prints ns/word of each round as JSON.
  const tokenize = await loadTokenize(arg('--child'));
  const texts = utterances();
  let words = 0;
  for (const u of texts) words += tokenize(u).words;
  const round = () => {
    const started = process.hrtime.bigint();
    for (const u of texts) tokenize(u);
    return Number(process.hrtime.bigint() - started) / words;
  };
  for (let i = 0; i < 3; i++) round();
  console.log(JSON.stringify({ words, rounds: Array.from({ length: repeat }, round) }));
} else {
  const ref = arg('--ref', 'HEAD');
  const processes = Number(arg('--processes', '2'));
  const { default: ts } = await import('typescript');
  const dir = mkdtempSync(join(tmpdir(), 'relcode-tokenize-'));
  const files = {};
  const sources = {
    old: execFileSync('git', ['show', `${ref}:src/text/tokenize.ts`], { cwd: root, encoding: 'utf8' }),
    new: readFileSync(join(root, 'src', 'text', 'tokenize.ts'), 'utf8'),
  };
  for (const [name, source] of Object.entries(sources)) {
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    files[name] = join(dir, `${name}.mjs`);
    writeFileSync(files[name], js);
  }
  try {
    const [old, now] = [await loadTokenize(files.old), await loadTokenize(files.new)];
    const texts = utterances();
    for (const u of texts) {
      if (!isDeepStrictEqual(old(u), now(u))) throw new Error(`old and new differ on ${JSON.stringify(u)}`);
    }
    const rounds = { old: [], new: [] };
    let words = 0;
    for (let p = 0; p < processes; p++) {
      for (const name of ['old', 'new']) {
        const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', files[name], '--repeat', String(repeat)], { encoding: 'utf8' });
        const result = JSON.parse(out);
        words = result.words;
        rounds[name].push(...result.rounds);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const best = (xs) => Math.min(...xs);
    console.log(`${texts.length} utterances, ${words} words; ${processes} processes × ${repeat} rounds each; ${cpus()[0]?.model} (${cpus().length} cores), Node ${process.version}`);
    console.log(`old (${ref}): median ${median(rounds.old).toFixed(1)} ns/word, best ${best(rounds.old).toFixed(1)}`);
    console.log(`new (working tree): median ${median(rounds.new).toFixed(1)} ns/word, best ${best(rounds.new).toFixed(1)}`);
    console.log(`speed-up: ${(median(rounds.old) / median(rounds.new)).toFixed(2)}× (median), ${(best(rounds.old) / best(rounds.new)).toFixed(2)}× (best)`);
  } finally {
    rmSync(dir, { recursive: true });
  }
}
