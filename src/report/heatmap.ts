/** Transcripts (rows) × dimensions (columns), coloured by matches per 1,000 words. */
import { clip, esc, int, num, px, svgOpen, text, textOn, viridis } from './svg.js';

export interface HeatCell {
  /** matches per 1,000 words; null when the transcript has no words */
  rate: number | null;
  matches: number;
  words: number;
}

export interface HeatRow {
  label: string;
  cells: HeatCell[];
}

const ZERO = '#f0f0f0';
const NONE = '#ffffff';
const SWATCHES = 6;

/**
 * Colour of a rate: none and zero are set apart (light grey, white); above
 * zero, reversed viridis from light green (low) to dark purple (the maximum).
 */
export function heatColour(rate: number | null, max: number): string {
  if (rate === null) return NONE;
  if (rate <= 0 || max <= 0) return ZERO;
  return viridis(0.88 * (1 - Math.min(1, rate / max)));
}

/**
 * The top of the colour scale: with 20 or more rates above zero, their 95th
 * percentile, so that one outlying transcript does not wash out the rest;
 * otherwise the largest. Rates above it get the darkest colour.
 */
export function scaleTop(rates: number[]): number {
  const positive = rates.filter((r) => r > 0).sort((a, b) => a - b);
  if (positive.length === 0) return 0;
  if (positive.length < 20) return positive[positive.length - 1]!;
  return positive[Math.ceil(0.95 * positive.length) - 1]!;
}

/** One `rect.mark` per transcript × dimension, its value in its `<title>` and, when there is room, in the cell. */
export function heatmap(rows: HeatRow[], columns: string[], id: string, title: string): string {
  const longest = Math.max(8, ...rows.map((r) => [...r.label].length));
  const label = Math.min(230, 16 + 6.6 * Math.min(32, longest));
  const col = columns.length > 10 ? 44 : columns.length > 8 ? 84 : 104;
  const row = rows.length > 60 ? 14 : 22;
  // headers are turned when one would not fit its column
  const head = columns.some((c) => [...c].length * 6.8 > col - 6) ? 90 : 34;
  const legend = 56;
  const width = label + Math.max(columns.length * col, (SWATCHES + 2) * 52) + 10;
  const height = head + rows.length * row + legend;
  const rates = rows.flatMap((r) => r.cells.map((c) => c.rate ?? 0));
  const highest = Math.max(0, ...rates);
  const max = scaleTop(rates);
  const showValues = row >= 14 && col >= 40;
  const out = [
    svgOpen('heatmap', id, width, height, title,
      `Matches per 1,000 words for ${int(rows.length)} transcripts and ${columns.length} dimensions; the highest is ${num(highest)}. The values are in the table below.`,
      rows.length * columns.length),
  ];
  columns.forEach((c, j) => {
    const cx = label + j * col + col / 2;
    out.push(head > 40
      ? text(cx - 4, head - 6, clip(c, 18), `class="label" transform="rotate(-40 ${px(cx - 4)} ${head - 6})"`)
      : text(cx, head - 10, c, 'class="label" text-anchor="middle"'));
  });
  rows.forEach((r, i) => {
    const y = head + i * row;
    out.push(`<g class="row">`, text(label - 8, y + row / 2 + 4, clip(r.label, 32), `class="label${row < 20 ? ' small' : ''}" text-anchor="end"`));
    r.cells.forEach((cell, j) => {
      const fill = heatColour(cell.rate, max);
      const x = label + j * col;
      const tip = cell.rate === null
        ? `${r.label} × ${columns[j]}: no words`
        : `${r.label} × ${columns[j]}: ${num(cell.rate)} per 1,000 words (${int(cell.matches)} matches in ${int(cell.words)} words)`;
      out.push(`<rect class="mark" x="${px(x + 1)}" y="${px(y + 1)}" width="${col - 2}" height="${row - 2}" fill="${fill}"${cell.rate === null ? ' stroke="#bbb"' : ''}><title>${esc(tip)}</title></rect>`);
      if (showValues) {
        const value = cell.rate === null ? '–' : cell.rate === 0 ? '0' : num(cell.rate, cell.rate >= 100 ? 0 : 1);
        out.push(text(x + col / 2, y + row / 2 + (row < 20 ? 3.5 : 4), value, `class="cell${row < 20 ? ' small' : ''}" text-anchor="middle" fill="${fill === ZERO || fill === NONE ? '#555' : textOn(fill)}"`));
      }
    });
    out.push('</g>');
  });
  // legend: none, zero, then steps up to the maximum
  const ly = head + rows.length * row + 14;
  const steps = [
    { fill: NONE, label: 'no words', stroke: true },
    { fill: ZERO, label: '0' },
    ...Array.from({ length: SWATCHES }, (_, k) => {
      const v = (max * (k + 1)) / SWATCHES;
      const top = k === SWATCHES - 1 && highest > max;
      return { fill: heatColour(v, max), label: max > 0 ? `${top ? '≥ ' : ''}${num(v, v >= 10 ? 0 : 1)}` : '' };
    }),
  ];
  out.push(text(label - 8, ly + 13, 'per 1,000 words', 'class="legend" text-anchor="end"'));
  steps.forEach((s, k) => {
    const x = label + k * 52;
    out.push(`<rect x="${px(x)}" y="${ly}" width="50" height="16" fill="${s.fill}"${'stroke' in s ? ' stroke="#bbb"' : ''}/>`, text(x + 25, ly + 30, s.label, 'class="tick" text-anchor="middle"'));
  });
  out.push('</svg>');
  return out.join('');
}
