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
//
// Then learning from the human coding (`relcode suggest`, `relcode learn`):
// phrase suggestions from the dev half only, the phrase-only figure on the
// held-out half after a researcher accepts the sensible ones, and a trained
// model's agreement (grouped cross-validation, learning curve, dev → test).
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

// ---------------------------------------------------------------- learning from the human coding

// stderr is kept for failures only: suggest and learn warn about every transcript without a reflection
const quiet = (args) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 512 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
const columns = ['--transcript-col', 'transcript_id', '--turn-col', 'utterance_id', '--speaker-col', 'interlocutor', '--text-col', 'utterance_text'];
const corpusOf = (half) => {
  const file = join(dir, `corpus-${half}.csv`);
  writeFileSync(file, stringify(source.filter((r) => halves[half](r.transcript_id)), { header: true, columns: Object.keys(source[0]) }));
  return file;
};
const corpus = { dev: corpusOf('dev'), test: corpusOf('test') };
const humanOf = (half) => join(dir, `human-${half}.csv`);
/** empathy against the human coding on one half, for a codebook (compare's row, therapist turns) */
const agreementOn = (half, codebook) => {
  const file = join(dir, `auto-${half}-${codebook ? 'x' : 'default'}.csv`);
  quiet(['code', half === 'all' ? annomi : corpus[half], ...columns, '--level', 'turn', '-q', '-o', file, ...(codebook ? ['-c', codebook] : [])]);
  return JSON.parse(quiet(['compare', file, humanOf(half), '--dimensions', 'empathy', '--role', 'therapist', '-f', 'json'])).pairs[0].rows.find((r) => r.dimension === 'empathy');
};

// 1. Suggestions, computed on the dev half only.
const TOP = 20;
const suggested = JSON.parse(quiet(['suggest', corpus.dev, ...columns, '--human', humanOf('dev'), '-d', 'empathy', '--top', String(TOP), '-f', 'json']));

// 2. The researcher's choice: only phrasings a trained coder would accept as empathy in any
//    session, never words of particular sessions.
const REJECTED =
  'topic words of particular sessions (baby, mom, your mom, trouble, deal); fillers and discourse markers ' +
  '(kind, okay so, of um, almost, though, now you, have done, a part); fragments that match non-empathic talk as often ' +
  '("like you": "I like you"; "feel": "how do you feel?"; "as though"; "is really important to": advice such as ' +
  '"it\'s really important to take them")';
const ACCEPTED = {
  'it sounds': 'the reflective opener without "like": "it sounds as though / as if / to me"',
  'sounds as': '"sounds as though / as if": a reflection, hedged, whoever the client is',
  'hearing you say': '"what I\'m hearing you say": the textbook marker of reflective listening',
};
const suggestions = suggested.suggestions.map((x) => ({ ...x, accepted: Object.hasOwn(ACCEPTED, x.phrase) }));
for (const phrase of Object.keys(ACCEPTED)) {
  if (!suggestions.some((x) => x.phrase === phrase)) console.error(`validate:annomi: accepted phrase "${phrase}" is no longer among the top ${TOP} suggestions`);
}
const { parseDocument } = await import('yaml');
const cbDoc = parseDocument(readFileSync(join(root, 'codebooks', 'relationship.yaml'), 'utf8'));
for (const x of suggestions.filter((y) => y.accepted)) {
  cbDoc.addIn(['dimensions', 'empathy', 'indicators'], cbDoc.createNode({ phrase: x.phrase, note: `suggested on AnnoMI dev: z=${x.z.toFixed(2)}, +${x.added.tp}/+${x.added.fp}` }, { flow: true }));
}
const acceptedCodebook = join(dir, 'relationship-accepted.yaml');
writeFileSync(acceptedCodebook, cbDoc.toString({ lineWidth: 0 }));
const phraseRows = {
  dev: { before: agreementOn('dev'), after: agreementOn('dev', acceptedCodebook) },
  test: { before: agreementOn('test'), after: agreementOn('test', acceptedCodebook) },
};

// 3. A model for empathy: 5-fold cross-validation grouped by transcript over all 133 transcripts,
//    with its learning curve; and trained on the dev half, then coding the held-out half.
const learnStarted = process.hrtime.bigint();
const modelAll = join(dir, 'empathy-all.json');
quiet(['learn', annomi, ...columns, '--human', humanOf('all'), '--dimensions', 'empathy', '--folds', '5', '--seed', '1', '-o', modelAll]);
const learnSeconds = Number(process.hrtime.bigint() - learnStarted) / 1e9;
const cv = JSON.parse(readFileSync(modelAll, 'utf8')).cv;
const modelDev = join(dir, 'empathy-dev.json');
quiet(['learn', corpus.dev, ...columns, '--human', humanOf('dev'), '--dimensions', 'empathy', '--folds', '5', '--seed', '1', '-o', modelDev]);
const trainedDev = JSON.parse(readFileSync(modelDev, 'utf8'));
const modelOnly = join(dir, 'model-only.yaml');
writeFileSync(modelOnly, 'codebook: empathy model only\ndimensions:\n  empathy:\n    roles: [therapist]\n    indicators:\n      - { model: empathy-dev.json }\n');
const withModel = parseDocument(readFileSync(join(root, 'codebooks', 'relationship.yaml'), 'utf8'));
withModel.addIn(['dimensions', 'empathy', 'indicators'], withModel.createNode({ model: 'empathy-dev.json' }, { flow: true }));
const phrasesAndModel = join(dir, 'relationship-model.yaml');
writeFileSync(phrasesAndModel, withModel.toString({ lineWidth: 0 }));
const modelRows = { only: agreementOn('test', modelOnly), both: agreementOn('test', phrasesAndModel) };

// ---- report
const spreadOf = (s) => `${f(s.mean)} ± ${f(s.sd)} (${f(s.min)}–${f(s.max)})`;
const row = (name, half, r) => `| ${name} | ${half} | ${r.units} | ${r.a_coded} | ${f(r.kappa)} (${f(r.kappa_low)}–${f(r.kappa_high)}) | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} |`;
const learnLines = [
  '<!-- learn:annomi -->',
  `Empathy against AnnoMI's reflections, therapist turns. Human ceiling: Fleiss kappa ${HUMAN_CEILING} among AnnoMI's annotators.`,
  '',
  '| coder | half | therapist turns | coded empathy | kappa (95% CI) | precision | recall | F1 |',
  '|---|---|---|---|---|---|---|---|',
  row('phrases (codebook as shipped)', 'dev', phraseRows.dev.before),
  row(`phrases + ${Object.keys(ACCEPTED).length} accepted suggestions`, 'dev', phraseRows.dev.after),
  row('phrases (codebook as shipped)', 'test', phraseRows.test.before),
  row(`phrases + ${Object.keys(ACCEPTED).length} accepted suggestions`, 'test', phraseRows.test.after),
  row('model trained on dev, alone', 'test', modelRows.only),
  row('phrases + model trained on dev', 'test', modelRows.both),
  '',
  `Model, ${cv.folds}-fold cross-validation grouped by transcript over all 133 transcripts (seed ${cv.seed}; mean ± sd over folds, min–max; pooled = every turn's out-of-fold prediction):`,
  '',
  '| coder | kappa | F1 | precision | recall | pooled kappa | pooled F1 |',
  '|---|---|---|---|---|---|---|',
  `| model (logistic regression) | ${spreadOf(cv.kappa)} | ${spreadOf(cv.f1)} | ${spreadOf(cv.precision)} | ${spreadOf(cv.recall)} | ${f(cv.pooled.kappa)} | ${f(cv.pooled.f1)} |`,
  `| phrases only, same folds | ${spreadOf(cv.phrase_only.kappa)} | ${spreadOf(cv.phrase_only.f1)} | | | | |`,
  '',
  'Learning curve: kappa on the held-out fold against the number of coded transcripts the model was trained on (the same 5 folds; mean ± sd over folds):',
  '',
  '| coded transcripts | kappa | F1 |',
  '|---|---|---|',
  ...cv.learning_curve.map((p) => `| ${p.transcripts}${p.all ? ' (all of the fold)' : ''} | ${f(p.kappa.mean)} ± ${f(p.kappa.sd)} | ${f(p.f1.mean)} ± ${f(p.f1.sd)} |`),
  '',
  `The top ${TOP} suggestions of \`relcode suggest -d empathy\` on the dev half (${suggested.turns} therapist turns, ${suggested.human_coded} reflections; α0 = ${suggested.settings.alpha0}); +tp/+fp: dev turns the phrase would newly code that are / are not reflections:`,
  '',
  '| # | phrase | z | coded | uncoded | +tp | +fp | accepted |',
  '|---|---|---|---|---|---|---|---|',
  ...suggestions.map((x, i) => `| ${i + 1} | ${x.phrase} | ${x.z.toFixed(2)} | ${x.coded} | ${x.uncoded} | +${x.added.tp} | +${x.added.fp} | ${x.accepted ? `yes: ${ACCEPTED[x.phrase]}` : 'no'} |`),
  '',
  `Rejected: ${REJECTED}.`,
  '',
  `Last run: ${new Date().toISOString().slice(0, 10)}, commit ${commit}, \`npm run validate:annomi\`; the 5-fold \`relcode learn\` with its learning curve took ${learnSeconds.toFixed(1)} s (${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}). Model: ${Object.keys(trainedDev.features).length} features, threshold ${trainedDev.threshold} (trained on dev).`,
  '<!-- /learn:annomi -->',
];
console.log('');
for (const l of learnLines.slice(1, -1)) console.log(l);

const learnStart = '<!-- learn:annomi -->';
const learnEnd = '<!-- /learn:annomi -->';
const heading = '## Learning from human coding (AnnoMI)';
const intro = [
  heading,
  '',
  '`npm run validate:annomi` also runs `relcode suggest` and `relcode learn` on the same',
  'data. Suggestions are computed on the dev half only (even transcript ids);',
  'a researcher accepts the phrasings a trained coder would accept as empathy',
  'in any session (the script lists which and why) into a copy of the codebook in',
  'a temporary directory, and the `test` rows are that copy on the held-out half.',
  'The model is a logistic regression on codebook hits, stemmed 1–2-grams and',
  'turn features (`relcode learn`); its figures come only from transcripts it was',
  'not trained on.',
  '',
].join('\n');
const now = readFileSync(readme, 'utf8');
const learnBlock = learnLines.join('\n');
let updated;
if (now.includes(learnStart)) updated = now.slice(0, now.indexOf(learnStart)) + learnBlock + now.slice(now.indexOf(learnEnd) + learnEnd.length);
else if (now.includes('\n## Speed')) updated = now.replace('\n## Speed', `\n${intro}\n${learnBlock}\n\n## Speed`);
else updated = `${now.trimEnd()}\n\n${intro}\n${learnBlock}\n`;
writeFileSync(readme, updated);
