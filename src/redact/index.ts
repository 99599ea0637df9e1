/**
 * De-identification of the text relcode writes out (`--redact`): personal
 * identifiers are replaced with typed placeholders such as `[NAME]`, `[DATE]`,
 * `[PHONE]`. It aims at the HIPAA Safe Harbor identifiers that can be found in
 * text; see README "Clinical data" for what it finds and what it misses.
 * Coding always runs on the original text; only what is written changes.
 *
 * A redaction keeps its offsets in the original text, and `map` moves an
 * offset of the original onto the redacted text, so spans (matches,
 * highlights) can follow.
 */
import { cueNames, cueNameSpans, nameMatcher, speakerNames } from './names.js';
import { findPatterns, type Found, type IdentifierType } from './patterns.js';

export { cueNames, speakerNames };
export type { IdentifierType };

/** One replaced stretch, in offsets of the original text (end exclusive). */
export interface Redaction {
  start: number;
  end: number;
  type: IdentifierType;
  /** the placeholder put in its place, `[TYPE]` */
  label: string;
}

export interface Redacted {
  text: string;
  /** in text order, offsets of the original text */
  spans: Redaction[];
  /**
   * Where an offset of the original text lands in the redacted one. An offset
   * inside a replaced stretch goes to the placeholder's start (`side: 'start'`)
   * or end (`'end'`), so a span that touches an identifier takes in all of its placeholder.
   */
  map(offset: number, side?: 'start' | 'end'): number;
}

export type Redactor = (text: string) => Redacted;

/** A redactor that knows these names (speaker labels, a --names list, names found by cues elsewhere). */
export function createRedactor(names: Iterable<string> = []): Redactor {
  const known = nameMatcher(names);
  return (text) => {
    const found = [...findPatterns(text), ...cueNameSpans(text), ...(known ? known(text) : [])];
    return apply(text, merge(found));
  };
}

/** Redacts one text on its own: the names given plus those its own cues introduce. */
export function redactText(text: string, names: readonly string[] = []): Redacted {
  return createRedactor([...names, ...cueNames(text)])(text);
}

/** The identifiers in `text`, without replacing them (for tests and measurements). */
export function findIdentifiers(text: string, names: readonly string[] = []): Redaction[] {
  return redactText(text, names).spans;
}

/** Overlapping finds become one stretch, typed by its longest part: nothing is left half-replaced. */
function merge(found: Found[]): Redaction[] {
  const sorted = found.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: (Redaction & { longest: number })[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      if (f.end - f.start > last.longest) (last.type = f.type), (last.longest = f.end - f.start), (last.label = `[${f.type}]`);
      last.end = Math.max(last.end, f.end);
    } else out.push({ start: f.start, end: f.end, type: f.type, label: `[${f.type}]`, longest: f.end - f.start });
  }
  return out.map(({ start, end, type, label }) => ({ start, end, type, label }));
}

function apply(text: string, spans: Redaction[]): Redacted {
  let out = '';
  let pos = 0;
  /** where each placeholder starts in the redacted text */
  const at: number[] = [];
  for (const r of spans) {
    out += text.slice(pos, r.start);
    at.push(out.length);
    out += r.label;
    pos = r.end;
  }
  out += text.slice(pos);
  const map = (offset: number, side: 'start' | 'end' = 'start'): number => {
    // the last stretch that starts before offset (spans are in text order)
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    const prev = spans[lo - 1];
    if (!prev) return offset;
    const placed = at[lo - 1]!;
    if (offset < prev.end) return side === 'end' ? placed + prev.label.length : placed;
    return placed + prev.label.length + (offset - prev.end);
  };
  return { text: out, spans, map };
}

/** Spans of the original text moved onto the redacted text (highlights of matches). */
export function mapSpans<S extends { start: number; end: number }>(spans: S[], redacted: Pick<Redacted, 'map'>): S[] {
  return spans.map((s) => ({ ...s, start: redacted.map(s.start, 'start'), end: redacted.map(s.end, 'end') }));
}
