/**
 * `relcode suggest` and `relcode learn`: learning from a human coding of a corpus.
 * suggest ranks phrases for one dimension; learn trains a logistic regression per
 * dimension and reports its cross-validated agreement. Both return data; the
 * render functions turn it into text.
 */
import { basename } from 'node:path';
import type { Dimension } from '../codebook/model.js';
import { diagnostic, fail, type Report } from '../diagnostics.js';
import { dimensionOf, eligibleTurns, loadCorpus, type Corpus, type CorpusOptions } from '../learn/corpus.js';
import { crossValidate } from '../learn/evaluate.js';
import { turnFeatures } from '../learn/features.js';
import { MODEL_VERSION, type ModelBundle, type Spread, type TrainedModel } from '../learn/model.js';
import { ngrams } from '../learn/ngrams.js';
import { DEFAULT_SUGGEST, suggest, type SuggestReport } from '../learn/suggest.js';
import { DEFAULT_SETTINGS, train, type Example, type Settings } from '../learn/train.js';
import { sanitise } from '../output/table.js';

export type { CorpusOptions } from '../learn/corpus.js';

export interface SuggestOptions extends CorpusOptions {
  dimension: string;
  top: number;
}

export interface LearnOptions extends CorpusOptions {
  dimensions?: string[];
  folds: number;
  seed: number;
}

export type SuggestResult = SuggestReport;

export interface LearnResult {
  /** the model file's JSON: one model, or a bundle when several dimensions were trained */
  model: TrainedModel | ModelBundle;
  models: TrainedModel[];
}

const TOP_FEATURES = 20;
const COMMAND_LINE = { file: '<command line>' };

// ---------------------------------------------------------------- suggest

export async function runSuggest(options: SuggestOptions, report: Report): Promise<SuggestResult> {
  const corpus = await loadCorpus(options, report);
  const d = dimensionOf(corpus.codebook, options.dimension);
  checkCoded(corpus, d);
  return suggest(corpus, d, { ...DEFAULT_SUGGEST, top: options.top });
}

function checkCoded(corpus: Corpus, d: Dimension): void {
  const { human } = corpus;
  if (human.dimensions && !human.dimensions.includes(d.id)) {
    fail('uncoded-dimension', { file: human.file }, `the coding has no column for dimension "${d.id}"`, 'give a coding that decides this dimension');
  }
  if (!eligibleTurns(corpus, d).some((t) => t.human.has(d.id))) {
    fail('no-positives', { file: human.file }, `no ${d.roles.join(' or ')} turn of the corpus is coded "${d.id}" in the coding`, 'there is nothing to learn from; check the dimension id and the transcripts given');
  }
}

export function renderSuggest(r: SuggestResult, format: 'table' | 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  if (format === 'yaml') {
    const lines = [
      `# relcode suggest: ${r.suggestions.length} phrases for ${r.dimension}, ranked by weighted log-odds (z) on ${r.turns} ${r.roles.join('/')} turns;`,
      `# note: z, then +tp/+fp: turns the dimension would newly code that the humans coded / did not. Review each before keeping it.`,
      ...r.suggestions.map((s) => `- { phrase: ${JSON.stringify(s.phrase)}, note: ${JSON.stringify(`suggested: z=${s.z.toFixed(2)}, +${s.added.tp}/+${s.added.fp}`)} }`),
    ];
    return `${lines.join('\n')}\n`;
  }
  const c = r.current;
  const out = [
    `${sanitise(r.label)} [${r.dimension}]: ${r.turns} ${r.roles.join('/')} turns in ${r.transcripts} transcripts; ${r.human_coded} coded by the humans, ${r.codebook_coded} by the codebook (precision ${f(c.precision)}, recall ${f(c.recall)}, kappa ${f(c.kappa)})`,
    `Stemmed n-grams of 1–${r.settings.maxN} tokens, counted once per turn, outside the codebook's ${r.dimension} matches; weighted log-odds, informative Dirichlet prior (α0 = ${r.settings.alpha0}).`,
    `With each phrase added alone: +tp/+fp turns newly coded, and the dimension's precision, recall and kappa against the humans.`,
    '',
  ];
  const head = ['#', 'phrase', 'z', 'coded', 'uncoded', '+tp', '+fp', 'precision', 'recall', 'kappa'];
  const rows = r.suggestions.map((s, i) => [String(i + 1), s.phrase, s.z.toFixed(2), String(s.coded), String(s.uncoded), `+${s.added.tp}`, `+${s.added.fp}`, f(s.after.precision), f(s.after.recall), f(s.after.kappa)]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j]!.length)));
  const line = (cells: string[]) => cells.map((x, j) => (j === 1 ? x.padEnd(widths[j]!) : x.padStart(widths[j]!))).join('  ').trimEnd();
  out.push(line(head));
  r.suggestions.forEach((s, i) => {
    out.push(line(rows[i]!));
    for (const e of s.examples) {
      const text = `${e.text.slice(0, e.start)}«${e.text.slice(e.start, e.end)}»${e.text.slice(e.end)}`;
      out.push(`      ${sanitise(e.transcript)} #${e.turn}: ${sanitise(text)}`);
    }
  });
  if (!r.suggestions.length) out.push('(no n-gram separates the coded turns from the rest beyond what the codebook already matches)');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- learn

export async function runLearn(options: LearnOptions, report: Report): Promise<LearnResult> {
  if (options.folds < 2) fail('bad-option', COMMAND_LINE, `--folds needs at least 2, got ${options.folds}`, 'e.g. --folds 5');
  const corpus = await loadCorpus(options, report);
  const settings: Settings = { ...DEFAULT_SETTINGS, seed: options.seed };
  const models: TrainedModel[] = [];
  for (const d of dimensionsToLearn(corpus, options.dimensions, report)) {
    const turns = eligibleTurns(corpus, d);
    const examples: Example[] = turns.map((t) => ({
      transcript: t.transcript,
      features: turnFeatures({ tokenized: t.tokenized, stems: t.stems, role: t.role, counts: t.counts, ...(t.previous ? { previous: t.previous } : {}) }),
      label: t.human.has(d.id),
      baseline: (t.counts[d.id] ?? 0) > 0,
    }));
    const positives = examples.filter((e) => e.label).length;
    const transcripts = new Set(examples.map((e) => e.transcript)).size;
    if (!positives || positives === examples.length) {
      report(diagnostic('warning', 'no-positives', { file: corpus.human.file }, `dimension "${d.id}": ${positives ? 'every' : 'no'} ${d.roles.join('/')} turn is coded; nothing to learn, skipped`, 'a model needs coded and uncoded turns'));
      continue;
    }
    if (transcripts < 2) fail('too-few-transcripts', COMMAND_LINE, `dimension "${d.id}": its turns come from ${transcripts} transcript`, 'cross-validation grouped by transcript needs at least 2 transcripts');
    let k = options.folds;
    if (k > transcripts) {
      report(diagnostic('warning', 'too-few-transcripts', COMMAND_LINE, `dimension "${d.id}": ${k} folds asked for, but there are ${transcripts} transcripts; using ${transcripts}`, 'give --folds at most the number of transcripts'));
      k = transcripts;
    }
    report(diagnostic('info', 'learn', { file: 'relcode' }, `${d.id}: ${k}-fold cross-validation grouped by transcript over ${transcripts} transcripts, ${examples.length} turns, ${positives} coded`));
    const cv = crossValidate(examples, k, settings);
    const final = train(examples, settings);
    const weights = [...final.features].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1));
    const surfaces = surfaceForms(turns, weights.slice(0, TOP_FEATURES).map(([name]) => name));
    models.push({
      relcode_model: MODEL_VERSION,
      dimension: d.id,
      roles: d.roles,
      trained_on: { transcripts, turns: examples.length, positives, coding: basename(corpus.human.file), codebook: `${corpus.codebook.name} ${corpus.codebook.version}` },
      settings: { l2: settings.l2, min_df: settings.minDf, ngrams: [1, 2], class_weight: 'balanced', max_iterations: settings.maxIterations },
      intercept: round(final.intercept),
      threshold: final.threshold,
      top_features: weights.slice(0, TOP_FEATURES).map(([feature, weight]) => ({ feature, weight: round(weight), ...(surfaces.has(feature) ? { example: surfaces.get(feature)! } : {}) })),
      cv,
      features: Object.fromEntries(weights.map(([name, w]) => [name, round(w)])),
    });
  }
  if (!models.length) fail('no-positives', { file: corpus.human.file }, 'no dimension has both coded and uncoded turns to learn from', 'check the coding and the dimension ids');
  return { model: models.length === 1 ? models[0]! : { relcode_model: MODEL_VERSION, models }, models };
}

function dimensionsToLearn(corpus: Corpus, ids: string[] | undefined, report: Report): Dimension[] {
  if (ids?.length) return ids.map((id) => dimensionOf(corpus.codebook, id));
  const decided = corpus.human.dimensions;
  const dims = corpus.codebook.dimensions.filter((d) => (decided ? decided.includes(d.id) : [...corpus.human.coded.values()].some((s) => s.has(d.id))));
  const left = corpus.codebook.dimensions.filter((d) => !dims.includes(d)).map((d) => d.id);
  if (left.length) report(diagnostic('info', 'learn', { file: corpus.human.file }, `no coded turns for ${left.join(', ')}; not learned`));
  return dims;
}

/** The most frequent written form of each n-gram feature, so a reader sees "sounds like" for `ngram:sound like`. */
function surfaceForms(turns: ReturnType<typeof eligibleTurns>, features: string[]): Map<string, string> {
  const wanted = new Set(features.filter((f) => f.startsWith('ngram:')).map((f) => f.slice('ngram:'.length)));
  const counts = new Map<string, Map<string, number>>();
  for (const t of turns) {
    for (const g of ngrams(t.tokenized, 1, 2, t.stems)) {
      if (!wanted.has(g.key)) continue;
      const forms = counts.get(g.key) ?? new Map<string, number>();
      forms.set(g.surface, (forms.get(g.surface) ?? 0) + 1);
      counts.set(g.key, forms);
    }
  }
  return new Map([...counts].map(([key, forms]) => [`ngram:${key}`, [...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]]));
}

const round = (x: number) => Number(x.toFixed(6));

/** The cross-validation report, as text for stdout. */
export function renderLearn(result: LearnResult): string {
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  const ms = (s: Pick<Spread, 'mean' | 'sd' | 'min' | 'max'>) => `${f(s.mean)} ± ${f(s.sd)}  (${f(s.min)}–${f(s.max)})`;
  const out: string[] = [];
  for (const m of result.models) {
    const t = m.trained_on;
    out.push(`${m.dimension}: ${t.transcripts} transcripts, ${t.turns} ${m.roles.join('/')} turns, ${t.positives} coded by the humans`);
    const cv = m.cv;
    if (cv) {
      out.push(`  ${cv.folds}-fold cross-validation grouped by transcript (seed ${cv.seed}); every figure is on held-out transcripts`);
      const rows: [string, Spread, number | null][] = [
        ['kappa', cv.kappa, cv.pooled.kappa],
        ['F1', cv.f1, cv.pooled.f1],
        ['precision', cv.precision, cv.pooled.precision],
        ['recall', cv.recall, cv.pooled.recall],
      ];
      const width = Math.max(...rows.map(([, s]) => ms(s).length));
      out.push(`               ${'mean ± sd  (min–max over folds)'.padEnd(width)}  pooled`);
      for (const [name, s, pooled] of rows) out.push(`    ${name.padEnd(9)}  ${ms(s).padEnd(width)}  ${f(pooled)}`);
      out.push(`    phrases only, same folds: kappa ${ms(cv.phrase_only.kappa)}, F1 ${ms(cv.phrase_only.f1)}`);
      out.push('  learning curve: kappa on held-out transcripts against coded transcripts trained on');
      out.push('    transcripts  kappa mean ± sd   F1 mean ± sd');
      for (const p of cv.learning_curve) {
        out.push(`    ${`${p.transcripts}${p.all ? ' (all)' : ''}`.padEnd(12)} ${`${f(p.kappa.mean)} ± ${f(p.kappa.sd)}`.padEnd(17)} ${f(p.f1.mean)} ± ${f(p.f1.sd)}`);
      }
    }
    out.push(`  model: threshold ${m.threshold}, intercept ${m.intercept.toFixed(3)}, ${Object.keys(m.features).length} features; strongest:`);
    for (const x of m.top_features.slice(0, 10)) out.push(`    ${(x.weight >= 0 ? '+' : '') + x.weight.toFixed(3)}  ${sanitise(x.feature)}${x.example ? `  ("${sanitise(x.example)}")` : ''}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
