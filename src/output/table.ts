/**
 * The terminal view (`--format table`): pure functions from data to a string.
 * Whether to colour is the CLI's decision; it passes `color`, and nothing here
 * looks at the terminal or the environment.
 */
import { totals } from '../coding/aggregate.js';
import type { CodedTranscript, DimensionInfo, SummaryRow } from '../coding/model.js';
import type { Role } from '../transcript/model.js';
import { styler, type Styler } from './ansi.js';

export interface Span {
  start: number;
  end: number;
}

/** A coded turn shown as an example of a dimension; spans are that dimension's matches. */
export interface Excerpt {
  transcript: string;
  turn: number;
  speaker: string;
  role: Role;
  text: string;
  spans: Span[];
}

export interface TableOptions {
  color: boolean;
  /** terminal columns */
  width: number;
}

export interface SummaryTableOptions extends TableOptions {
  byRole: boolean;
}

/**
 * Without colour, matched words are wrapped in `**`: it survives pipes, files
 * and copy-paste, reads as emphasis, and renders as bold in Markdown.
 */
export const PLAIN_MARK = '**';

const MIN_WIDTH = 40;
/** Above this many transcripts the summary gives a line per transcript instead of a block. */
const MAX_BLOCKS = 10;
const GAP = '  ';

// ---------------------------------------------------------------- excerpts

interface Ranked {
  matches: number;
  weight: number;
  /** position of the turn in the stream: earlier wins a tie */
  order: number;
  excerpt: Excerpt;
}

/**
 * Keeps the top N coded turns per dimension across a stream of transcripts,
 * holding only N turns per dimension. Rank: most matches for the dimension,
 * then the larger total weight, then the turn seen first.
 */
export class ExcerptCollector {
  private readonly top = new Map<string, Ranked[]>();
  private seen = 0;

  constructor(
    private readonly dimensions: DimensionInfo[],
    private readonly perDimension: number,
  ) {
    for (const d of dimensions) this.top.set(d.id, []);
  }

  add(t: CodedTranscript): void {
    for (const turn of t.turns) {
      const order = this.seen++;
      for (const d of this.dimensions) {
        const matches = turn.counts[d.id] ?? 0;
        if (matches <= 0) continue;
        const own = turn.matches.filter((m) => m.dimension === d.id);
        const weight = own.reduce((sum, m) => sum + m.weight, 0);
        this.offer(d.id, { matches, weight, order }, () => ({
          transcript: t.id,
          turn: turn.turn,
          speaker: turn.speaker,
          role: turn.role,
          text: turn.text,
          spans: own.map((m) => ({ start: m.start, end: m.end })),
        }));
      }
    }
  }

  /** Every dimension of the codebook, in codebook order, best excerpt first. */
  result(): Map<string, Excerpt[]> {
    const out = new Map<string, Excerpt[]>();
    for (const d of this.dimensions) out.set(d.id, (this.top.get(d.id) ?? []).map((r) => r.excerpt));
    return out;
  }

  private offer(dimension: string, rank: Omit<Ranked, 'excerpt'>, make: () => Excerpt): void {
    const list = this.top.get(dimension);
    if (!list || this.perDimension <= 0) return;
    let at = list.findIndex((other) => ranksAbove(rank, other));
    if (at === -1) {
      if (list.length >= this.perDimension) return;
      at = list.length;
    }
    list.splice(at, 0, { ...rank, excerpt: make() });
    if (list.length > this.perDimension) list.pop();
  }
}

function ranksAbove(a: Omit<Ranked, 'excerpt'>, b: Omit<Ranked, 'excerpt'>): boolean {
  if (a.matches !== b.matches) return a.matches > b.matches;
  if (a.weight !== b.weight) return a.weight > b.weight;
  return a.order < b.order;
}

// ---------------------------------------------------------------- summary

export function renderSummaryTable(
  rows: SummaryRow[],
  excerpts: Map<string, Excerpt[]>,
  dimensions: DimensionInfo[],
  options: SummaryTableOptions,
): string {
  const c = styler(options.color);
  const width = Math.max(MIN_WIDTH, options.width);
  const label = new Map(dimensions.map((d) => [d.id, d.label]));
  const out: string[] = [];

  const byTranscript = new Map<string, SummaryRow[]>();
  for (const row of rows) {
    const list = byTranscript.get(row.transcript);
    if (list) list.push(row);
    else byTranscript.set(row.transcript, [row]);
  }
  if (byTranscript.size === 0) out.push('No transcripts.');

  const block = (title: string, blockRows: SummaryRow[]) => {
    const { turns, words } = size(blockRows);
    out.push(`${c.bold(sanitise(title))}  ${c.dim(`${plural(turns, 'turn')}, ${plural(words, 'word')}`)}`);
    const header = ['Dimension', ...(options.byRole ? ['Role'] : []), 'Coded turns', 'Matches', 'per 1,000 words', 'Rate'];
    const top = Math.max(0, ...blockRows.map((r) => r.per_1000_words ?? 0));
    const cells = blockRows.map((r) => [
      sanitise(label.get(r.dimension) ?? r.dimension),
      ...(options.byRole ? [r.role ?? ''] : []),
      `${n(r.coded_turns)} / ${n(r.turns)}`,
      n(r.matches),
      r.per_1000_words === null ? '–' : r.per_1000_words.toFixed(2),
      rateBar(r.per_1000_words, top, BAR_WIDTH, options.color),
    ]);
    // the three counts right-aligned; the bar grows from the left
    const right = header.map((_, i) => i >= header.length - 4 && i < header.length - 1);
    out.push(...alignedLines(header, cells, right, null, c).map((line) => GAP + line), '');
  };
  if (byTranscript.size > MAX_BLOCKS) {
    // Many transcripts: one line each (coded turns per dimension) rather than a block each.
    const header = ['Transcript', 'Turns', ...dimensions.map((d) => sanitise(d.label))];
    const cells = [...byTranscript].map(([id, list]) => {
      const coded = new Map<string, number>();
      for (const r of list) coded.set(r.dimension, (coded.get(r.dimension) ?? 0) + r.coded_turns);
      return [sanitise(id), n(size(list).turns), ...dimensions.map((d) => n(coded.get(d.id) ?? 0))];
    });
    out.push(`${c.bold('Coded turns per transcript')}  ${c.dim(`${byTranscript.size} transcripts`)}`);
    out.push(...alignedLines(header, cells, header.map((_, i) => i > 0), null, c).map((line) => GAP + line), '');
  } else {
    for (const [id, list] of byTranscript) block(id, list);
  }
  if (byTranscript.size > 1) block(`All ${byTranscript.size} transcripts`, totals(rows, ''));

  out.push(c.bold('Top excerpts'), c.dim(`Matched words are shown ${mark('like this', c, options.color)}.`), '');
  for (const d of dimensions) {
    out.push(c.bold(sanitise(d.label)));
    const list = excerpts.get(d.id) ?? [];
    if (list.length === 0) out.push(GAP + c.dim('no coded turns'));
    for (const e of list) {
      out.push(GAP + c.dim(`${sanitise(e.transcript)} #${e.turn} ${sanitise(e.speaker)}:`));
      out.push(GAP + GAP + highlightWindow(e.text, e.spans, width - 2 * GAP.length, c, options.color));
    }
    out.push('');
  }
  return out.join('\n');
}

/** Columns of the longest rate bar. */
export const BAR_WIDTH = 12;

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A bar for `value` on a scale whose top, `max`, fills `width` columns: in
 * eighth-block characters when `unicode`, else in `#` (survives any terminal,
 * pipe or font). A rate above zero always shows; none or zero is empty.
 */
export function rateBar(value: number | null, max: number, width: number, unicode: boolean): string {
  if (value === null || !(value > 0) || !(max > 0)) return '';
  const share = Math.min(1, value / max);
  if (!unicode) return '#'.repeat(Math.max(1, Math.round(share * width)));
  const eighths = Math.max(1, Math.round(share * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

/** Turns and words of a block: those of one dimension, summed over roles. */
function size(rows: SummaryRow[]): { turns: number; words: number } {
  const first = rows[0]?.dimension;
  let turns = 0;
  let words = 0;
  for (const r of rows) {
    if (r.dimension !== first) continue;
    turns += r.turns;
    words += r.words;
  }
  return { turns, words };
}

/**
 * The part of `text` around its spans that fits `budget` columns, with the spans
 * highlighted and `…` where the text was cut.
 */
export function highlightWindow(
  text: string,
  spans: Span[],
  budget: number,
  c: Styler,
  color: boolean,
): string {
  const clean = sanitise(text);
  const markers = color ? 0 : 2 * PLAIN_MARK.length * mergeSpans(spans, clean.length).length;
  const w = windowParts(clean, spans, Math.max(20, budget - 2 - markers));
  const body = w.parts.map((p) => (p.marked ? mark(p.text, c, color) : p.text)).join('');
  return `${w.cutStart ? '…' : ''}${body}${w.cutEnd ? '…' : ''}`;
}

/**
 * `text` cut to `room` characters around its spans, as plain and marked parts,
 * so the terminal and the HTML report highlight and cut turns the same way.
 */
export function windowParts(text: string, spans: Span[], room: number): { cutStart: boolean; cutEnd: boolean; parts: { text: string; marked: boolean }[] } {
  const merged = mergeSpans(spans, text.length);
  const [from, to] = windowAround(text, merged, room);
  const parts: { text: string; marked: boolean }[] = [];
  let pos = from;
  for (const s of merged) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (start >= end) continue;
    parts.push({ text: text.slice(pos, start), marked: false }, { text: text.slice(start, end), marked: true });
    pos = end;
  }
  parts.push({ text: text.slice(pos, to), marked: false });
  return { cutStart: from > 0, cutEnd: to < text.length, parts };
}

function mark(s: string, c: Styler, color: boolean): string {
  return color ? c.bold.yellow(s) : PLAIN_MARK + s + PLAIN_MARK;
}

/** Sorted, clipped to the text, overlapping or touching spans joined. */
function mergeSpans(spans: Span[], length: number): Span[] {
  const sorted = spans
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(length, s.end) }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** [from, to) of at most `room` code units, centred on the spans, cut at spaces where it can be. */
function windowAround(text: string, spans: Span[], room: number): [number, number] {
  if (text.length <= room) return [0, text.length];
  const first = spans[0]?.start ?? 0;
  const firstEnd = spans[0]?.end ?? 0;
  const last = spans[spans.length - 1]?.end ?? 0;
  const need = last - first;
  // Matches that fit are centred; otherwise the first match is shown with some lead-in.
  let from = need <= room ? first - Math.floor((room - need) / 2) : first - Math.min(first, Math.floor(room / 4));
  from = Math.min(Math.max(0, from), text.length - room);
  let to = from + room;
  const keep = need <= room ? last : Math.min(firstEnd, to);
  const snap = 15;
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space !== -1 && space - from < snap && space + 1 <= first) from = space + 1;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space !== -1 && to - space < snap && space >= keep) to = space;
  }
  // never split a surrogate pair (emoji)
  if (isLowSurrogate(text.charCodeAt(from))) from++;
  if (isLowSurrogate(text.charCodeAt(to))) to--;
  return [from, to];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// ---------------------------------------------------------------- rows

/**
 * `--level turn|match` as aligned columns. Long cells are cut with `…`, the
 * widest columns (usually `text`) first, so the table fits `width`.
 */
export function renderRowsTable(
  columns: readonly string[],
  records: Record<string, unknown>[],
  options: TableOptions,
): string {
  const c = styler(options.color);
  const cells = records.map((r) => columns.map((col) => cellText(r[col])));
  const right = columns.map(
    (col) => records.length > 0 && records.every((r) => typeof r[col] === 'number' || r[col] == null),
  );
  const lines = alignedLines([...columns], cells, right, Math.max(MIN_WIDTH, options.width), c);
  return lines.join('\n') + '\n';
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return sanitise(value);
  if (typeof value === 'object') return sanitise(JSON.stringify(value));
  return String(value);
}

/** Header, a rule, then the rows; cells padded (and, with a width, cut) to column widths. */
function alignedLines(
  header: string[],
  rows: string[][],
  right: boolean[],
  width: number | null,
  c: Styler,
): string[] {
  const natural = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const widths = width === null ? natural : fit(natural, width - GAP.length * (header.length - 1));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(truncate(cell, widths[i] ?? 0), widths[i] ?? 0, right[i] ?? false))
      .join(GAP)
      .trimEnd();
  return [
    c.bold(line(header)),
    c.dim(widths.map((w) => '-'.repeat(w)).join(GAP)),
    ...rows.map(line),
  ];
}

/** Columns wider than this hold free text (the turn text, a match): they give way first. */
const LONG = 24;

/**
 * Cuts the widest columns to a common cap until the sum fits `budget`. The cap
 * reaches the short columns only once the free-text ones are down to LONG, and
 * free text keeps about a third of the width, so a row still says something.
 */
function fit(natural: number[], budget: number): number[] {
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0);
  if (sum(natural) <= budget) return natural;
  const longCount = natural.filter((w) => w > LONG).length;
  const textFloor = Math.max(8, Math.floor(budget / 3 / Math.max(1, longCount)));
  const floor = natural.map((w) => Math.min(w, w > LONG ? textFloor : 3));
  const at = (cap: number) => natural.map((w, i) => Math.min(w, Math.max(cap, floor[i] ?? 0)));
  let lo = 0;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  // hand what is left to the cut columns, widest first (usually the text)
  const widths = at(lo);
  let left = budget - sum(widths);
  const order = widths.map((_, i) => i).sort((a, b) => natural[b]! - natural[a]!);
  for (const i of order) {
    const more = Math.max(0, Math.min(left, natural[i]! - widths[i]!));
    widths[i]! += more;
    left -= more;
  }
  return widths;
}

function pad(s: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/** Cut to `width` columns, ending in `…` when anything was cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

/** Terminal columns, roughly: wide East Asian and emoji count 2, combining marks 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

function charWidth(ch: string): number {
  if (/\p{Mn}|\p{Me}|\u200d|[\ufe00-\ufe0f]/u.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  if (
    (cp > 0xff && /\p{Extended_Pictographic}/u.test(ch)) ||
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Control characters (line breaks and tabs included) and bidi overrides become
 * spaces, one for one so match offsets still hold: transcript text must not be
 * able to move the cursor, recolour or reorder the terminal.
 */
export function sanitise(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function plural(x: number, noun: string): string {
  return `${n(x)} ${noun}${x === 1 ? '' : 's'}`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}
