#!/usr/bin/env node
// A/B timing of whole commands, taking turns, since a shared machine's speed drifts
// within minutes: each command runs RUNS times (after 2 warm-up runs), one of each
// in turn, and the median and quartiles of its wall time are printed.
//
//   node bench/ab.mjs 40 'node /tmp/old/bin/relcode.js code f.txt -q' 'node bin/relcode.js code f.txt -q'
import { spawnSync } from 'node:child_process';

const [runs, ...commands] = process.argv.slice(2);
if (!(Number(runs) > 0) || commands.length === 0) {
  console.error("usage: node bench/ab.mjs RUNS 'command' ['command' …]");
  process.exit(2);
}
const times = commands.map(() => []);
for (let r = 0; r < Number(runs) + 2; r++) {
  commands.forEach((command, i) => {
    const started = process.hrtime.bigint();
    const run = spawnSync('sh', ['-c', `exec ${command} >/dev/null`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`${command} exited ${run.status}`);
    if (r >= 2) times[i].push(Number(process.hrtime.bigint() - started) / 1e6);
  });
}
const at = (sorted, q) => sorted[Math.round((sorted.length - 1) * q)].toFixed(1);
commands.forEach((command, i) => {
  const sorted = times[i].sort((a, b) => a - b);
  console.log(`${at(sorted, 0.5).padStart(8)} ms  (p25 ${at(sorted, 0.25)}, p75 ${at(sorted, 0.75)})  ${command}`);
});
