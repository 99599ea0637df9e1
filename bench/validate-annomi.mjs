#!/usr/bin/env node
// Real-data check: the default codebook's empathy against AnnoMI's expert
// reflection codes (therapist turns only), through the real CLI:
// `relcode code` then `relcode compare`. Results go to bench/README.md.
//
//   npm run validate:annomi                 # all transcripts, plus the dev/test halves
//   npm run validate:annomi -- --label v1   # name the row written to bench/README.md
//
// The halves: transcripts with even ids are the development half, the only
// part read while editing the codebook; odd ids are held out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const annomi = join(root, '..', 'shared', 'data', 'annomi', 'AnnoMI-simple.csv');
const bin = join(root, 'bin', 'relcode.js');
const label = process.argv.includes('--label') ? process.argv[process.argv.indexOf('--label') + 1] : 'latest';
const HUMAN_CEILING = 0.66; // Fleiss kappa among AnnoMI's 10 annotators on "reflection present"

if (!existsSync(annomi)) {
  console.error(`validate:annomi: ${annomi} is not here; nothing to check`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'relcode-annomi-'));
const relcode = (args) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 512 << 20, stdio: ['ignore', 'pipe', 'inherit'] });

const started = process.hrtime.bigint();
const auto = join(dir, 'auto.csv');
relcode(['code', annomi, '--transcript-col', 'transcript_id', '--turn-col', 'utterance_id', '--speaker-col', 'interlocutor', '--text-col', 'utterance_text', '--level', 'turn', '-q', '-o', auto]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const source = parse(readFileSync(annomi), { columns: true });
const autoRows = parse(readFileSync(auto), { columns: true });
const halves = { all: () => true, dev: (id) => Number(id) % 2 === 0, test: (id) => Number(id) % 2 === 1 };

const results = {};
for (const [half, keep] of Object.entries(halves)) {
  const human = source
    .filter((r) => keep(r.transcript_id) && r.interlocutor === 'therapist' && r.main_therapist_behaviour === 'reflection')
    .map((r) => ({ transcript: r.transcript_id, turn: r.utterance_id, dimension: 'empathy' }));
  const humanFile = join(dir, `human-${half}.csv`);
  writeFileSync(humanFile, stringify(human, { header: true, columns: ['transcript', 'turn', 'dimension'] }));
  const autoFile = join(dir, `auto-${half}.csv`);
  writeFileSync(autoFile, stringify(autoRows.filter((r) => keep(r.transcript)), { header: true }));
  const out = JSON.parse(relcode(['compare', autoFile, humanFile, '--dimensions', 'empathy', '--role', 'therapist', '-f', 'json']));
  results[half] = out.pairs[0].rows.find((r) => r.dimension === 'empathy');
}

const f = (x) => (x === null ? 'n/a' : x.toFixed(3));
const lines = Object.entries(results).map(
  ([half, r]) => `| ${label} | ${half} | ${r.units} | ${r.b_coded} | ${r.a_coded} | ${f(r.kappa)} (${f(r.kappa_low)}–${f(r.kappa_high)}) | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.ac1)} |`,
);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
console.log(`AnnoMI: empathy (relcode) against reflection (experts), therapist turns; human ceiling kappa ${HUMAN_CEILING}`);
console.log('| run | half | therapist turns | reflections | coded empathy | kappa (95% CI) | precision | recall | F1 | AC1 |');
for (const l of lines) console.log(l);
console.log(`coding 9,699 turns took ${seconds.toFixed(2)} s (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}), commit ${commit}`);

// Keep one row set per label in bench/README.md, between markers.
const readme = join(root, 'bench', 'README.md');
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
const start = '<!-- validate:annomi -->';
const end = '<!-- /validate:annomi -->';
const header = [
  '| run | half | therapist turns | reflections | coded empathy | kappa (95% CI) | precision | recall | F1 | AC1 |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
const previous = text.includes(start) ? text.slice(text.indexOf(start) + start.length, text.indexOf(end)).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| run') && !l.startsWith(`| ${label} |`)) : [];
const block = [start, ...header, ...previous, ...lines, '', `Last run: ${new Date().toISOString().slice(0, 10)}, commit ${commit}, \`npm run validate:annomi -- --label ${label}\`, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}. Human ceiling: Fleiss kappa ${HUMAN_CEILING} among AnnoMI's annotators.`, end].join('\n');
writeFileSync(readme, text.includes(start) ? text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length) : `${text}${text ? '\n' : ''}${block}\n`);
