/**
 * Turn text as HTML: escaped, matched words in `<mark>`, long turns cut to a
 * window around the matches.
 */
import { windowParts, type Span } from '../output/table.js';
import { esc } from './svg.js';

/** Longer turns are cut to about this many characters around their matches. */
export const WINDOW = 600;

/** Escaped HTML of `text` with each span in `<mark>`; beyond `room` characters, a window around the spans with `…`. */
export function highlightHtml(text: string, spans: Span[], room = WINDOW): string {
  const w = windowParts(text, spans, room);
  const body = w.parts.map((p) => (p.marked ? `<mark>${esc(p.text)}</mark>` : esc(p.text))).join('');
  return `${w.cutStart ? '…' : ''}${body}${w.cutEnd ? '…' : ''}`;
}
