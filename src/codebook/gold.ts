/**
 * Gold fixtures for `relcode codebook test --gold SPEC`: transcripts, a human
 * coding of them, and per-dimension minimum kappa / F1 of the codebook's
 * automatic coding against the human one.
 *
 *   transcripts: [transcripts/a.txt, transcripts/]   # files, dirs or globs, relative to the spec
 *   coding: coding/human.csv                         # long or turn-level
 *   thresholds:
 *     default: { min_kappa: 0.4, min_f1: 0.5 }
 *     empathy: { min_kappa: 0.5 }                    # the rest comes from default
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { binaryAgreement, binaryTable, type BinaryAgreement } from '../agreement/binary.js';
import { readCoding, splitUnitKey, unitKey, type Coding } from '../agreement/coding.js';
import { codeTranscript } from '../coding/code.js';
import type { CompiledCodebook } from '../coding/tagger.js';
import { diagnostic, InputError, type Diagnostic } from '../diagnostics.js';
import { expandInputs, readTranscripts } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';
import { didYouMean } from './load.js';

const TOP_KEYS = ['transcripts', 'coding', 'thresholds'];
export const STATISTICS = ['min_kappa', 'min_f1'] as const;
export type Statistic = (typeof STATISTICS)[number];
/** Errors listed at most, so a coding of the wrong transcripts does not flood the terminal. */
const MAX_ERRORS = 20;

export interface Threshold {
  value: number;
  line: number;
  col: number;
}

export type Thresholds = Partial<Record<Statistic, Threshold>>;

export interface GoldSpec {
  file: string;
  /** as written, resolved against the spec's directory */
  transcripts: { input: string; line: number; col: number }[];
  coding: { path: string; line: number; col: number };
  thresholds: { default: Thresholds; dimensions: Record<string, Thresholds> };
}

export async function loadGoldSpec(file: string, dimensions: string[]): Promise<GoldSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([
      diagnostic('error', 'file-not-found', { file }, `cannot read the gold spec: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path given to --gold'),
    ]);
  }
  return parseGoldSpec(text, file, dimensions);
}

/** Checks every key and value; all problems are thrown together, each at file:line:col. */
export function parseGoldSpec(text: string, file: string, dimensions: string[]): GoldSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: Diagnostic[] = [];
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    const p = offset === undefined ? { line: 1, col: 1 } : lines.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const error = (node: Node | null | undefined, ruleId: string, message: string, hint: string) => {
    problems.push(diagnostic('error', ruleId, at(node), message, hint));
  };
  for (const e of doc.errors) {
    const p = lines.linePos(e.pos[0]);
    problems.push(diagnostic('error', e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax', { file, line: p.line, col: p.col },
      e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), 'fix the YAML syntax here: check indentation, colons and quotes'));
  }
  if (problems.length) throw new InputError(problems);

  /** A mapping's entries by key; unknown keys are reported with a did-you-mean. */
  const entries = (node: Node | null, allowed: string[] | undefined, where: string, hint: string) => {
    const out = new Map<string, { key: Node; value: Node | null }>();
    if (!isMap(node)) {
      error(node, 'bad-value', `${where} must be a mapping`, hint);
      return undefined;
    }
    for (const pair of node.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : '';
      if (allowed && !allowed.includes(name)) {
        const guess = didYouMean(name, allowed);
        error(key, 'unknown-key', `unknown key "${name}" in ${where}${guess ? ` (did you mean "${guess}"?)` : ''}`, `allowed keys: ${allowed.join(', ')}`);
        continue;
      }
      out.set(name, { key, value: (pair.value as Node | null) ?? null });
    }
    return out;
  };
  const path = (node: Node | null, what: string): string | undefined => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.trim();
    error(node, 'bad-value', `\`${what}\` must be a path`, 'paths are relative to the gold spec, e.g. `coding/human.csv`');
    return undefined;
  };
  const relative = (p: string) => (isAbsolute(p) ? p : join(dirname(file), p));

  const top = entries(doc.contents as Node | null, TOP_KEYS, 'the gold spec', 'write `transcripts:`, `coding:` and `thresholds:`');
  if (!top) throw new InputError(problems);
  for (const key of TOP_KEYS) {
    if (!top.get(key)?.value) {
      error(top.get(key)?.key ?? (doc.contents as Node | null), 'missing-key', `the gold spec needs \`${key}\``,
        key === 'thresholds' ? 'e.g. `thresholds: { default: { min_kappa: 0.4, min_f1: 0.5 } }`' : `add \`${key}:\` with a path relative to the spec`);
    }
  }

  const transcripts: GoldSpec['transcripts'] = [];
  const t = top.get('transcripts')?.value ?? null;
  for (const item of t ? (isSeq(t) ? (t.items as Node[]) : [t]) : []) {
    const p = path(item, 'transcripts');
    if (p !== undefined) transcripts.push({ input: relative(p), ...pos(at(item)) });
  }
  if (isSeq(t) && t.items.length === 0) error(t, 'bad-value', '`transcripts` is empty', 'list the transcript files, directories or globs the coding covers');

  const c = top.get('coding')?.value ?? null;
  const codingPath = c ? path(c, 'coding') : undefined;

  const thresholds: GoldSpec['thresholds'] = { default: {}, dimensions: {} };
  const th = top.get('thresholds')?.value ?? null;
  const thHint = 'e.g. `default: { min_kappa: 0.4, min_f1: 0.5 }` and `empathy: { min_kappa: 0.5 }`';
  const byDimension = th ? entries(th, undefined, '`thresholds`', thHint) : undefined;
  for (const [name, { key, value }] of byDimension ?? []) {
    if (name !== 'default' && !dimensions.includes(name)) {
      const guess = didYouMean(name, dimensions);
      error(key, 'unknown-dimension', `no dimension "${name}" in the codebook${guess ? ` (did you mean "${guess}"?)` : ''}`, `keys of \`thresholds\` are \`default\` and dimension ids: ${dimensions.join(', ')}`);
      continue;
    }
    const set: Thresholds = {};
    for (const [stat, entry] of entries(value, [...STATISTICS], `\`thresholds.${name}\``, thHint) ?? []) {
      const v = entry.value;
      const min = stat === 'min_kappa' ? -1 : 0;
      if (isScalar(v) && typeof v.value === 'number' && v.value >= min && v.value <= 1) set[stat as Statistic] = { value: v.value, ...pos(at(entry.key)) };
      else error(v ?? entry.key, 'bad-value', `\`${stat}\` must be a number from ${min} to 1`, `e.g. \`${stat}: 0.5\``);
    }
    if (name === 'default') thresholds.default = set;
    else thresholds.dimensions[name] = set;
  }

  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  if (problems.length || codingPath === undefined) throw new InputError(problems);
  return { file, transcripts, coding: { path: relative(codingPath), ...pos(at(c)) }, thresholds };
}

const pos = (p: { line: number; col: number }) => ({ line: p.line, col: p.col });

// ---- running the gold fixtures ----

export interface GoldCheck {
  statistic: Statistic;
  min: number;
  /** the kappa or F1 it was held to; null when undefined */
  value: number | null;
  /** where the threshold is written in the spec (the default's place when inherited) */
  line: number;
  col: number;
  passed: boolean;
  /** why it failed */
  reason?: string;
}

/** One dimension: automatic coding (A) against the human one (B, the reference). */
export interface GoldDimension extends BinaryAgreement {
  dimension: string;
  checks: GoldCheck[];
  passed: boolean;
}

export interface GoldResult {
  spec: string;
  coding: string;
  shape: Coding['shape'];
  transcripts: number;
  units: number;
  dimensions: GoldDimension[];
  /** from reading the transcripts, e.g. a speaker with no role */
  warnings: Diagnostic[];
  passed: boolean;
}

/** Codes the spec's transcripts with the codebook and holds each dimension to its thresholds. */
export async function runGold(spec: GoldSpec, compiled: CompiledCodebook): Promise<GoldResult> {
  const { codebook } = compiled;
  const ids = codebook.dimensions.map((d) => d.id);
  const human = await readCoding(spec.coding.path, { dimensions: ids });
  const warnings: Diagnostic[] = [];
  /** unit key → dimensions the codebook codes it for */
  const auto = new Map<string, Set<string>>();
  const sources = new Map<string, string>(); // transcript id → file, to catch two files with one id
  const places = new Map<string, { file: string; line?: number }>(); // unit key → where the turn is
  const problems: Diagnostic[] = [];
  for (const entry of spec.transcripts) {
    const files = await expandInputs([entry.input]).catch((err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      // the spec's line says where the bad path was written
      throw new InputError(err.diagnostics.map((d) => ({ ...d, file: spec.file, line: entry.line, col: entry.col, message: `${d.file}: ${d.message}` })));
    });
    for (const file of files) {
      for await (const raw of readTranscripts(file, { inputFormat: 'auto', columns: {}, rolePatterns: codebook.roles }, (d) => warnings.push(d))) {
        const seen = sources.get(raw.id);
        if (seen !== undefined) {
          problems.push(diagnostic('error', 'duplicate-transcript', { file, line: raw.turns[0]?.line ?? 1 }, `transcript "${raw.id}" is also read from ${seen}`,
            'transcript ids (file names, or the transcript column) must be unique across the gold transcripts'));
          continue;
        }
        sources.set(raw.id, file);
        const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, {}, (d) => warnings.push(d)));
        for (const turn of coded.turns) {
          const key = unitKey(coded.id, turn.turn);
          auto.set(key, new Set(ids.filter((id) => (turn.counts[id] ?? 0) > 0)));
          places.set(key, { file, ...(turn.line !== undefined ? { line: turn.line } : {}) });
        }
      }
    }
  }

  // every human unit must be a turn that was read, and a turn-level coding must cover every turn
  const humanUnits = human.units ?? new Set(human.coded.keys());
  for (const key of humanUnits) {
    if (auto.has(key)) continue;
    const { transcript, turn } = splitUnitKey(key);
    const known = sources.has(transcript);
    const guess = known ? undefined : didYouMean(transcript, [...sources.keys()]);
    problems.push(diagnostic('error', 'unknown-unit', { file: human.file, line: human.lines.get(key) ?? 1 },
      known ? `transcript "${transcript}" has no turn ${turn}` : `transcript "${transcript}" is not among the gold transcripts${guess ? ` (did you mean "${guess}"?)` : ''}`,
      known ? 'turns are numbered as in `relcode code --level turn` output' : `the gold transcripts are: ${[...sources.keys()].join(', ')}; list the missing file under \`transcripts:\` in ${spec.file}`));
  }
  if (human.units) {
    for (const key of auto.keys()) {
      if (human.units.has(key)) continue;
      const { transcript, turn } = splitUnitKey(key);
      problems.push(diagnostic('error', 'uncoded-unit', places.get(key)!, `turn ${turn} of transcript "${transcript}" is not in the turn-level coding ${human.file}`,
        'a turn-level coding has one row per turn of every gold transcript; code the turn or drop its transcript from the spec'));
    }
  }
  if (!human.units) {
    // a long coding cannot tell an uncoded transcript from one that was never coded
    const coded = new Set([...human.coded.keys()].map((k) => splitUnitKey(k).transcript));
    for (const [id, file] of sources) {
      if (coded.has(id)) continue;
      warnings.push(diagnostic('warning', 'uncoded-transcript', { file }, `transcript "${id}" has no coded turn in ${human.file}; every turn of it counts as not coded`,
        'if nobody coded it, leave it out of `transcripts:` in the gold spec'));
    }
  }
  const evaluated = human.dimensions ? ids.filter((id) => human.dimensions!.includes(id)) : ids;
  for (const [name, set] of Object.entries(spec.thresholds.dimensions)) {
    if (evaluated.includes(name)) continue;
    const first = Object.values(set)[0];
    problems.push(diagnostic('error', 'uncoded-dimension', { file: spec.file, ...(first ? pos(first) : {}) }, `the coding ${human.file} has no column for dimension "${name}"`,
      'add the column to the coding, or remove its thresholds'));
  }
  if (problems.length) {
    const shown = problems.slice(0, MAX_ERRORS);
    if (problems.length > MAX_ERRORS) {
      shown.push(diagnostic('error', 'more-errors', { file: human.file }, `and ${problems.length - MAX_ERRORS} more problems like these`, 'fix the ones above first'));
    }
    throw new InputError(shown);
  }

  const units = [...auto.keys()];
  const dimensions = evaluated.map((dimension): GoldDimension => {
    const stats = binaryAgreement(binaryTable(
      units.map((u) => auto.get(u)!.has(dimension)),
      units.map((u) => human.coded.get(u)?.has(dimension) ?? false),
    ));
    const own = spec.thresholds.dimensions[dimension] ?? {};
    const checks: GoldCheck[] = [];
    for (const statistic of STATISTICS) {
      const threshold = own[statistic] ?? spec.thresholds.default[statistic];
      if (threshold) checks.push(check(statistic, threshold, stats));
    }
    return { dimension, ...stats, checks, passed: checks.every((c) => c.passed) };
  });
  return {
    spec: spec.file,
    coding: human.file,
    shape: human.shape,
    transcripts: sources.size,
    units: units.length,
    dimensions,
    warnings,
    passed: dimensions.every((d) => d.passed),
  };
}

function check(statistic: Statistic, threshold: Threshold, stats: BinaryAgreement): GoldCheck {
  const value = statistic === 'min_kappa' ? stats.kappa.kappa : stats.f1;
  const name = statistic === 'min_kappa' ? 'kappa' : 'F1';
  const base = { statistic, min: threshold.value, value, line: threshold.line, col: threshold.col };
  if (value === null) {
    const why = statistic === 'min_kappa' ? stats.kappa.reason : 'neither coding codes any turn';
    return { ...base, passed: false, reason: `${name} is undefined (${why}), so it cannot reach ${statistic} ${threshold.value}` };
  }
  // a kappa computed as 0.49999999999 meets min_kappa 0.5
  if (value >= threshold.value - 1e-9) return { ...base, passed: true };
  return { ...base, passed: false, reason: `${name} ${value.toFixed(3)} is below ${statistic} ${threshold.value}` };
}
