/**
 * `relcode codebook test`: the codebook's own examples, run like ESLint's
 * RuleTester cases, then the gold fixtures (agreement with a human coding),
 * then which indicators no example exercises. Collecting is `runCodebookTest`;
 * the three printers below turn the same plain report into text, JUnit XML or
 * GitHub Actions annotations.
 */
import { dropReason } from '../coding/drop-reason.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { Chalk } from 'chalk';
import { codeExample, runExamples } from '../codebook/examples.js';
import { loadGoldSpec, runGold, type GoldResult } from '../codebook/gold.js';
import { DEFAULT_CODEBOOK, loadCodebook } from '../codebook/load.js';
import type { Example } from '../codebook/model.js';
import { compileCodebook, type CompiledCodebook, type DropReason } from '../coding/tagger.js';
import type { Role } from '../transcript/model.js';

export interface CodebookTestOptions {
  codebook?: string;
  /** path of a gold spec (YAML) */
  gold?: string;
}

export interface ExampleCheck {
  dimension: string;
  expected: 'coded' | 'not_coded';
  text: string;
  role: Role;
  previous?: { text: string; role: Role };
  line: number;
  col: number;
  passed: boolean;
  /** surviving matches of the example's dimension */
  matches: { indicator: string; line: number; match: string }[];
  /** for a coded example that failed: what matched and which rule dropped it */
  dropped?: { indicator: string; line: number; match: string; why: string }[];
}

export interface CoverageGap {
  dimension: string;
  /** the indicator as written: the phrase, or `regex:<pattern>` */
  indicator: string;
  line: number;
  col: number;
}

export interface CodebookTestReport {
  /** the codebook's path, relative to the working directory when inside it */
  codebook: string;
  examples: ExampleCheck[];
  gold?: GoldResult;
  /** indicators with a surviving match in no `coded` example of their dimension */
  coverage: { indicators: number; unexercised: CoverageGap[] };
  /** failed examples plus failed gold checks */
  failures: number;
  passed: boolean;
}

export async function runCodebookTest(options: CodebookTestOptions): Promise<CodebookTestReport> {
  const codebook = await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK);
  const compiled = compileCodebook(codebook);
  const examples = runExamples(compiled).map((r): ExampleCheck => ({
    dimension: r.dimension,
    expected: r.expected,
    text: r.example.text,
    role: r.example.role,
    ...(r.example.previous ? { previous: r.example.previous } : {}),
    line: r.example.line,
    col: r.example.col,
    passed: r.passed,
    matches: r.matches.map((m) => ({ indicator: m.indicator, line: m.indicatorLine, match: m.match })),
    ...(!r.passed && r.expected === 'coded' ? { dropped: droppedIn(compiled, r.dimension, r.example) } : {}),
  }));

  const exercised = new Set(examples.filter((e) => e.expected === 'coded').flatMap((e) => e.matches.map((m) => `${e.dimension}\u0000${m.line}\u0000${m.indicator}`)));
  const all = codebook.dimensions.flatMap((d) => d.indicators.map((i) => ({ dimension: d.id, indicator: i.source, line: i.line, col: i.col })));
  const unexercised = all.filter((i) => !exercised.has(`${i.dimension}\u0000${i.line}\u0000${i.indicator}`));

  let gold: GoldResult | undefined;
  if (options.gold) {
    const spec = await loadGoldSpec(options.gold, codebook.dimensions.map((d) => d.id));
    gold = await runGold(spec, compiled);
  }
  const failures = examples.filter((e) => !e.passed).length + (gold?.dimensions.flatMap((d) => d.checks).filter((c) => !c.passed).length ?? 0);
  return {
    codebook: shown(codebook.file),
    examples,
    ...(gold ? { gold } : {}),
    coverage: { indicators: all.length, unexercised },
    failures,
    passed: failures === 0,
  };
}

/** A path relative to the working directory when it lies inside it (CI annotations need that). */
function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Why a coded example's indicators did not count: each candidate that a rule dropped. */
function droppedIn(compiled: CompiledCodebook, dimension: string, example: Example): NonNullable<ExampleCheck['dropped']> {
  const dim = compiled.codebook.dimensions.findIndex((d) => d.id === dimension);
  return codeExample(compiled, example)
    .candidates.filter((c) => c.dim === dim && c.dropped)
    .map((c) => ({ indicator: c.indicator.source, line: c.indicator.line, match: example.text.slice(c.start, c.end), why: dropReason(c.dropped!, c.indicator) }));
}

// ---- text ----

/** What a failed example did wrong, in one line. */
function exampleProblem(e: ExampleCheck): string {
  return e.expected === 'coded' ? 'coded example not coded' : 'not_coded example coded';
}

/** What matched (or why nothing counted), for the line under a failure. */
function exampleDetail(e: ExampleCheck): string {
  if (e.matches.length) return `matched ${e.matches.map((m) => `"${m.match}" by "${m.indicator}" (line ${m.line})`).join(', ')}`;
  if (e.dropped?.length) return `nothing counted: ${e.dropped.map((d) => `"${d.match}" by "${d.indicator}" (line ${d.line}) ${d.why}`).join('; ')}`;
  return 'matched nothing';
}

function quoteText(text: string, max = 80): string {
  const flat = clean(text).replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

/** Terminal-safe: control and bidi characters become spaces. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

const num = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));

export function renderTestReport(report: CodebookTestReport, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  const failed = report.examples.filter((e) => !e.passed);
  for (const e of failed) {
    out.push(`${c.bold(`${report.codebook}:${e.line}`)}  ${e.dimension}  ${c.red(exampleProblem(e))}: ${quoteText(e.text)} ${c.dim(`(${e.role})`)}`);
    out.push(`    ${c.dim(clean(exampleDetail(e)))}`);
  }
  const n = report.examples.length;
  out.push(
    failed.length
      ? c.red(`examples: ${failed.length} of ${n} failed`)
      : c.green(`examples: all ${n} passed`) + c.dim(` (${report.codebook})`),
  );

  const g = report.gold;
  if (g) {
    out.push('', `gold: ${g.spec}: ${g.transcripts} transcripts, ${g.units} turns, human coding ${g.coding}`);
    for (const w of g.warnings) out.push(c.yellow(`  ${w.file}${w.line ? `:${w.line}` : ''}: ${w.severity}: ${clean(w.message)}`));
    const head = ['dimension', 'auto', 'human', 'tp', 'fp', 'fn', 'kappa', '95% CI', 'F1', 'min_kappa', 'min_f1', 'result'];
    const rows = g.dimensions.map((d) => {
      const th = (s: 'min_kappa' | 'min_f1') => {
        const k = d.checks.find((x) => x.statistic === s);
        return k ? `${k.min} ${k.passed ? '✔' : '✘'}` : '–';
      };
      const k = d.kappa;
      return [d.dimension, String(d.aCoded), String(d.bCoded), String(d.tp), String(d.fp), String(d.fn), num(k.kappa),
        k.low === null ? '–' : `${num(k.low, 2)}..${num(k.high, 2)}`, num(d.f1), th('min_kappa'), th('min_f1'), d.passed ? 'ok' : 'FAIL'];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `  ${r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ')}`.trimEnd();
    out.push(c.dim(line(head)));
    for (const r of rows) out.push(r[r.length - 1] === 'FAIL' ? c.red(line(r)) : line(r));
    for (const d of g.dimensions) {
      for (const k of d.checks.filter((x) => !x.passed)) out.push(`${c.bold(`${g.spec}:${k.line}`)}  ${d.dimension}  ${c.red(k.reason!)}`);
    }
    out.push(c.dim('  auto = coded by the codebook, human = by the coding; tp/fp/fn take the human coding as the reference'));
  }

  const cov = report.coverage;
  out.push('', `coverage: ${cov.unexercised.length} of ${cov.indicators} indicators exercised by no example`);
  const SHOWN = 10;
  for (const i of cov.unexercised.slice(0, SHOWN)) out.push(c.dim(`  ${report.codebook}:${i.line}  ${i.dimension}  "${clean(i.indicator)}"`));
  if (cov.unexercised.length > SHOWN) out.push(c.dim(`  … and ${cov.unexercised.length - SHOWN} more (--format json lists them all)`));

  const goldChecks = g?.dimensions.flatMap((d) => d.checks) ?? [];
  const goldFailed = goldChecks.filter((k) => !k.passed).length;
  out.push('');
  if (report.passed) out.push(c.green(`✔ ${n} examples${g ? ` and ${goldChecks.length} gold checks` : ''} passed`));
  else out.push(c.red(`✘ ${report.failures} failure${report.failures === 1 ? '' : 's'}: ${failed.length} example${failed.length === 1 ? '' : 's'}${g ? `, ${goldFailed} gold check${goldFailed === 1 ? '' : 's'}` : ''}`));
  return `${out.join('\n')}\n`;
}

// ---- JUnit XML ----

/**
 * Escapes text for XML 1.0 content and attributes. Characters that XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are written as `\uXXXX`.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // in attributes these would be normalised to spaces
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

interface Case {
  name: string;
  classname: string;
  file: string;
  line: number;
  failure?: { message: string; type: string; details: string };
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
}

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((k) => k.failure).length;
  const body = cases.map((k) => {
    const head = `    <testcase${attrs({ name: k.name, classname: k.classname, file: k.file, line: k.line, time: 0 })}`;
    if (!k.failure) return `${head}/>`;
    const f = k.failure;
    return `${head}>\n      <failure${attrs({ message: f.message, type: f.type })}>${escapeXml(f.details)}</failure>\n    </testcase>`;
  });
  return [`  <testsuite${attrs({ name, tests: cases.length, failures, errors: 0, skipped: 0, time: 0 })}>`, ...body, '  </testsuite>'].join('\n');
}

/** testsuites → one testsuite per dimension for its examples, and one `gold` suite of thresholds. */
export function toJUnit(report: CodebookTestReport): string {
  const suites: [string, Case[]][] = [];
  const byDimension = new Map<string, Case[]>();
  for (const e of report.examples) {
    let cases = byDimension.get(e.dimension);
    if (!cases) byDimension.set(e.dimension, (cases = []));
    const k: Case = { name: `${e.expected}: ${quoteText(e.text, 100)}`, classname: `relcode.${e.dimension}`, file: report.codebook, line: e.line };
    if (!e.passed) k.failure = { message: `${exampleProblem(e)}: ${exampleDetail(e)}`, type: 'example', details: exampleDetails(report, e) };
    cases.push(k);
  }
  suites.push(...byDimension);
  const g = report.gold;
  if (g) {
    suites.push(['gold', g.dimensions.flatMap((d) => d.checks.map((k): Case => ({
      // the name stays the same from run to run, so CI can follow a check's history
      name: `${d.dimension} ${k.statistic} ${k.min}`,
      classname: `relcode.${d.dimension}`,
      file: g.spec,
      line: k.line,
      ...(k.passed ? {} : { failure: { message: k.reason!, type: 'gold', details: goldDetails(g, d.dimension) } }),
    })))]);
  }
  const tests = suites.reduce((s, [, cases]) => s + cases.length, 0);
  const failures = suites.reduce((s, [, cases]) => s + cases.filter((k) => k.failure).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `relcode codebook test ${report.codebook}`, tests, failures, errors: 0, time: 0 })}>`,
    ...suites.map(([name, cases]) => suite(name, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}

function exampleDetails(report: CodebookTestReport, e: ExampleCheck): string {
  return [
    `${report.codebook}:${e.line}:${e.col}`,
    `dimension: ${e.dimension}`,
    `expected: ${e.expected}`,
    `role: ${e.role}`,
    ...(e.previous ? [`previous turn (${e.previous.role}): ${e.previous.text}`] : []),
    `text: ${e.text}`,
    exampleDetail(e),
  ].join('\n');
}

function goldDetails(g: GoldResult, dimension: string): string {
  const d = g.dimensions.find((x) => x.dimension === dimension)!;
  const k = d.kappa;
  return [
    `${g.spec}: ${g.transcripts} transcripts, ${g.units} turns; human coding ${g.coding}`,
    `dimension: ${dimension}`,
    `coded by the codebook: ${d.aCoded}, by the human coding: ${d.bCoded}`,
    `tp ${d.tp}, fp ${d.fp}, fn ${d.fn}, tn ${d.tn}`,
    `kappa ${num(k.kappa)}${k.low === null ? ` (${k.reason})` : ` (95% CI ${num(k.low)}..${num(k.high)})`}`,
    `precision ${num(d.precision)}, recall ${num(d.recall)}, F1 ${num(d.f1)}`,
  ].join('\n');
}

// ---- GitHub Actions annotations ----

/** Workflow-command escaping: data escapes % CR LF; properties also : and , */
function ghData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One `::error` per failure at its file and line, then a `::notice` summary. */
export function toGithubAnnotations(report: CodebookTestReport): string {
  const lines: string[] = [];
  const error = (file: string, line: number, title: string, message: string) =>
    lines.push(`::error file=${ghProperty(file)},line=${line},title=${ghProperty(title)}::${ghData(message)}`);
  for (const e of report.examples.filter((x) => !x.passed)) {
    error(report.codebook, e.line, `${e.dimension}: ${exampleProblem(e)}`, `${exampleProblem(e)}: ${quoteText(e.text, 200)} (${e.role})\n${exampleDetail(e)}`);
  }
  const g = report.gold;
  for (const d of g?.dimensions ?? []) {
    for (const k of d.checks.filter((x) => !x.passed)) error(g!.spec, k.line, `${d.dimension}: gold ${k.statistic}`, `${d.dimension}: ${k.reason}\n${goldDetails(g!, d.dimension)}`);
  }
  const failed = report.examples.filter((e) => !e.passed).length;
  const checks = g?.dimensions.flatMap((d) => d.checks) ?? [];
  const summary =
    `${report.examples.length} examples, ${failed} failed` +
    (g ? `; ${checks.length} gold checks, ${checks.filter((k) => !k.passed).length} failed` : '') +
    `; ${report.coverage.unexercised.length} of ${report.coverage.indicators} indicators exercised by no example`;
  lines.push(`::notice title=${ghProperty('relcode codebook test')}::${ghData(summary)}`);
  return `${lines.join('\n')}\n`;
}
