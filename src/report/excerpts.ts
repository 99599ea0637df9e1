/**
 * Turn text as HTML: escaped, matched words in `<mark>`, long turns cut to a
 * window around the matches.
 */
import { mergeSpans, type Span } from '../output/table.js';
import { esc } from './svg.js';

/** Longer turns are cut to about this many characters around their matches. */
export const WINDOW = 600;

/** Escaped HTML of `text` with each span in `<mark>`; beyond `room` characters, a window around the spans with `…`. */
export function highlightHtml(text: string, spans: Span[], room = WINDOW): string {
  const merged = mergeSpans(spans, text.length);
  let from = 0;
  let to = text.length;
  if (text.length > room) {
    const first = merged[0]?.start ?? 0;
    const last = merged[merged.length - 1]?.end ?? 0;
    from = Math.max(0, Math.min(first - Math.floor(Math.max(0, room - (last - first)) / 2), text.length - room));
    to = Math.min(text.length, Math.max(from + room, Math.min(last, first + room)));
    // cut at spaces, and never inside a surrogate pair
    const space = text.indexOf(' ', from);
    if (from > 0 && space !== -1 && space < first && space - from < 20) from = space + 1;
    const back = text.lastIndexOf(' ', to);
    if (to < text.length && back > last && to - back < 20) to = back;
    if (/[\udc00-\udfff]/.test(text[from] ?? '')) from++;
    if (/[\udc00-\udfff]/.test(text[to] ?? '')) to--;
  }
  let out = from > 0 ? '…' : '';
  let pos = from;
  for (const s of merged) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (start >= end) continue;
    out += esc(text.slice(pos, start)) + `<mark>${esc(text.slice(start, end))}</mark>`;
    pos = end;
  }
  out += esc(text.slice(pos, to));
  return to < text.length ? `${out}…` : out;
}
