/**
 * `relcode codebook diff OLD NEW CORPUS...`: code each transcript with both
 * codebooks and keep only the turn × dimension decisions that differ, so memory
 * grows with the changes, not the corpus. What a reviewer reads on a pull
 * request that edits the codebook.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import { loadCodebook } from '../codebook/load.js';
import type { Codebook } from '../codebook/model.js';
import { codeTranscript } from '../coding/code.js';
import type { CodedTurn } from '../coding/model.js';
import { compileCodebook } from '../coding/tagger.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { displayWidth, highlightWindow, renderRowsTable, sanitise } from '../output/table.js';
import type { Role } from '../transcript/model.js';
import { expandInputs, readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';

export interface DiffOptions {
  old: string;
  new: string;
  inputs: string[];
  roles: Record<string, Role>;
  /** rolePatterns come from the NEW codebook */
  read: Omit<ReadOptions, 'rolePatterns'>;
}

/** `added`: only in NEW; `removed`: only in OLD; either way never coded on the other side. */
export type DimensionStatus = 'same' | 'added' | 'removed';

export interface DiffTotal {
  dimension: string;
  status: DimensionStatus;
  turns: number;
  old_coded: number;
  new_coded: number;
  gained: number;
  lost: number;
}

/** A surviving match of the changed dimension: the indicator as written, its codebook line, where in the text. */
export interface MatchedIndicator {
  indicator: string;
  line: number;
  start: number;
  end: number;
}

export interface TurnChange {
  transcript: string;
  turn: number;
  speaker: string;
  role: Role;
  dimension: string;
  /** gained: coded with NEW only; lost: with OLD only */
  change: 'gained' | 'lost';
  old_indicators: MatchedIndicator[];
  new_indicators: MatchedIndicator[];
  text: string;
}

export interface DiffReport {
  old: string;
  new: string;
  /** true when any turn gained or lost a dimension */
  changed: boolean;
  transcripts: number;
  /** NEW's dimensions in its order, then those only OLD has */
  totals: DiffTotal[];
  /** in corpus order: transcript, turn, then the order of `totals` */
  changes: TurnChange[];
}

/** columns the text of a change needs on its line before it moves to a line of its own */
const MIN_TEXT = 40;

export const DIFF_COLUMNS = ['transcript', 'turn', 'speaker', 'role', 'dimension', 'change', 'old_indicators', 'new_indicators', 'text'] as const;

export async function runCodebookDiff(options: DiffOptions, report: Report): Promise<DiffReport> {
  const [oldBook, newBook] = await Promise.all([loadCodebook(options.old), loadCodebook(options.new)]);
  const oldCompiled = compileCodebook(oldBook);
  const newCompiled = compileCodebook(newBook);
  const files = await expandInputs(options.inputs);
  const readOptions: ReadOptions = { ...options.read, rolePatterns: newBook.roles };
  const result: DiffReport = { old: options.old, new: options.new, changed: false, transcripts: 0, totals: planTotals(oldBook, newBook), changes: [] };

  for (const file of files) {
    for await (const raw of readTranscripts(file, readOptions, report)) {
      // read once, coded twice: both codings see the same turns and roles
      const transcript = resolveRoles(raw, newBook.roles, options.roles, report);
      const before = codeTranscript(oldCompiled, transcript).turns;
      const after = codeTranscript(newCompiled, transcript).turns;
      result.changes.push(...diffTurns(transcript.id, before, after, result.totals));
      result.transcripts++;
    }
  }
  result.changed = result.changes.length > 0;
  const sum = (k: 'gained' | 'lost') => result.totals.reduce((n, t) => n + t[k], 0);
  report(
    diagnostic('info', 'totals', { file: 'relcode' },
      `compared ${count(result.totals[0]?.turns ?? 0, 'turn')} in ${count(result.transcripts, 'transcript')}: ` +
        `${count(sum('gained'), 'dimension coding')} gained, ${count(sum('lost'), 'dimension coding')} lost`),
  );
  return result;
}

/** One zeroed total per dimension id of either codebook, matched by id. */
export function planTotals(oldBook: Codebook, newBook: Codebook): DiffTotal[] {
  const oldIds = new Set(oldBook.dimensions.map((d) => d.id));
  const newIds = new Set(newBook.dimensions.map((d) => d.id));
  const zero = { turns: 0, old_coded: 0, new_coded: 0, gained: 0, lost: 0 };
  return [
    ...newBook.dimensions.map((d) => ({ dimension: d.id, status: (oldIds.has(d.id) ? 'same' : 'added') as DimensionStatus, ...zero })),
    ...oldBook.dimensions.filter((d) => !newIds.has(d.id)).map((d) => ({ dimension: d.id, status: 'removed' as const, ...zero })),
  ];
}

/**
 * The changes between two codings of the same turns (same order), adding to `totals`.
 * A dimension a codebook lacks has no count there, which reads as not coded.
 */
export function diffTurns(transcript: string, before: CodedTurn[], after: CodedTurn[], totals: DiffTotal[]): TurnChange[] {
  const changes: TurnChange[] = [];
  before.forEach((o, i) => {
    const n = after[i]!;
    for (const total of totals) {
      const id = total.dimension;
      const was = (o.counts[id] ?? 0) > 0;
      const is = (n.counts[id] ?? 0) > 0;
      total.turns++;
      if (was) total.old_coded++;
      if (is) total.new_coded++;
      if (was === is) continue;
      total[is ? 'gained' : 'lost']++;
      changes.push({
        transcript,
        turn: n.turn,
        speaker: n.speaker,
        role: n.role,
        dimension: id,
        change: is ? 'gained' : 'lost',
        old_indicators: matched(o, id),
        new_indicators: matched(n, id),
        text: n.text,
      });
    }
  });
  return changes;
}

function matched(turn: CodedTurn, dimension: string): MatchedIndicator[] {
  return turn.matches
    .filter((m) => m.dimension === dimension)
    .map((m) => ({ indicator: m.indicator, line: m.indicatorLine, start: m.start, end: m.end }));
}

// ---------------------------------------------------------------- output

export interface RenderOptions {
  format: 'table' | 'csv' | 'json';
  color: boolean;
  width: number;
  /** --raw-cells: no formula guard on CSV text cells (see output/writers.ts `escapeFormula`) */
  rawCells?: boolean;
}

export function renderDiff(report: DiffReport, options: RenderOptions): string {
  switch (options.format) {
    case 'json':
      return `${JSON.stringify({ old: report.old, new: report.new, changed: report.changed, totals: report.totals, changes: report.changes }, null, 2)}\n`;
    case 'csv':
      return stringify(report.changes.map(csvRecord), {
        header: true,
        columns: [...DIFF_COLUMNS],
        record_delimiter: '\n',
        quote_record_delimiter: true, // a lone CR in a text cell is quoted too
        escape_formulas: !options.rawCells,
      });
    case 'table':
      return renderTable(report, options);
  }
}

/** `"sounds like" line 210; "i hear (you|that)" line 231`: each indicator once, in text order. */
export function indicatorList(list: MatchedIndicator[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of list) {
    const s = `"${m.indicator}" line ${m.line}`;
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out.join('; ');
}

function csvRecord(c: TurnChange): Record<string, unknown> {
  return { ...c, old_indicators: indicatorList(c.old_indicators), new_indicators: indicatorList(c.new_indicators) };
}

function renderTable(report: DiffReport, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  out.push(c.bold(`Codebook diff: ${sanitise(report.old)} → ${sanitise(report.new)}`), '');
  out.push(renderRowsTable(['dimension', 'status', 'turns', 'old_coded', 'new_coded', 'gained', 'lost'], report.totals.map((t) => ({ ...t })), options));
  for (const t of report.totals) {
    if (t.status !== 'same') out.push(`Dimension ${sanitise(t.dimension)} is only in the ${t.status === 'added' ? 'new' : 'old'} codebook.`);
  }
  if (!report.changed) {
    out.push(`No turn gains or loses a dimension (${report.transcripts} transcript${report.transcripts === 1 ? '' : 's'}).`, '');
    return out.join('\n');
  }
  out.push(c.dim(`Turns that gained (+) or lost (-) a dimension; matched words are shown ${options.color ? c.bold.yellow('like this') : '**like this**'}.`), '');
  const idWidth = Math.max(...report.changes.map((x) => displayWidth(sanitise(x.dimension))));
  for (const t of report.totals) {
    const mine = report.changes.filter((x) => x.dimension === t.dimension);
    if (mine.length === 0) continue;
    out.push(c.bold(`${sanitise(t.dimension)}: ${t.gained} gained, ${t.lost} lost`));
    for (const x of mine) out.push(changeLine(x, idWidth, options, c));
    out.push('');
  }
  return out.join('\n');
}

/**
 * `+ empathy  sample-session #9 Therapist: …text…  (new: "sounds like" line 210)`;
 * when that leaves the text too little room, the text goes on a line of its own.
 */
function changeLine(x: TurnChange, idWidth: number, options: RenderOptions, c: ChalkInstance): string {
  const gained = x.change === 'gained';
  const id = sanitise(x.dimension);
  const where = `${sanitise(x.transcript)} #${x.turn} ${sanitise(x.speaker)}:`;
  const side = gained ? x.new_indicators : x.old_indicators;
  const why = `(${gained ? 'new' : 'old'}: ${sanitise(indicatorList(side))})`;
  const head = `${gained ? c.green('+') : c.red('-')} ${id}${' '.repeat(Math.max(0, idWidth - displayWidth(id)))}  ${c.dim(where)}`;
  const budget = options.width - (2 + idWidth + 2 + displayWidth(where) + 1 + 2 + displayWidth(why));
  if (budget >= MIN_TEXT) return `${head} ${highlightWindow(x.text, side, budget, c, options.color)}  ${c.dim(why)}`;
  const indent = ' '.repeat(4);
  return `${head}  ${c.dim(why)}\n${indent}${highlightWindow(x.text, side, options.width - indent.length, c, options.color)}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
