/**
 * A forest plot of Cohen's kappa per dimension: a point and its 95% CI on a
 * −1..1 axis with a line at 0. An undefined kappa is written out, not drawn.
 */
import { clip, esc, num, px, svgOpen, text } from './svg.js';

export interface ForestRow {
  label: string;
  kappa: number | null;
  low: number | null;
  high: number | null;
  /** why kappa is undefined */
  note?: string;
  /** the pooled row, drawn as a diamond below a rule */
  pooled?: boolean;
}

const WIDTH = 900;
const LABEL = 170;
const PLOT = 480;
const ROW = 26;
const TOP = 14;
const AXIS = 42;

export function forestPlot(rows: ForestRow[], id: string, title: string): string {
  const x = (k: number) => LABEL + ((Math.max(-1, Math.min(1, k)) + 1) / 2) * PLOT;
  const height = TOP + rows.length * ROW + AXIS;
  const defined = rows.filter((r) => r.kappa !== null);
  const desc = rows
    .map((r) => (r.kappa === null ? `${r.label}: undefined${r.note ? ` (${r.note})` : ''}` : `${r.label}: ${num(r.kappa)} (95% CI ${num(r.low)} to ${num(r.high)})`))
    .join('; ');
  const out = [svgOpen('forest', id, WIDTH, height, title, `Cohen's kappa with 95% confidence intervals. ${desc}.`, defined.length)];
  const bottom = TOP + rows.length * ROW;
  for (const t of [-1, -0.5, 0, 0.5, 1]) {
    out.push(`<line class="${t === 0 ? 'zero' : 'grid'}" x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP - 6}" y2="${bottom}"/>`);
    out.push(text(x(t), bottom + 16, t === 0 ? '0' : num(t, 1).replace('-', '−'), 'class="tick" text-anchor="middle"'));
  }
  out.push(text(LABEL + PLOT / 2, bottom + 34, "Cohen's kappa (95% CI)", 'class="axis-label" text-anchor="middle"'));
  out.push(text(LABEL + PLOT + 16, TOP - 2, 'kappa (95% CI)', 'class="legend"'));

  rows.forEach((r, i) => {
    const cy = TOP + i * ROW + ROW / 2 + 4;
    if (r.pooled) out.push(`<line class="rule" x1="8" x2="${WIDTH - 8}" y1="${px(cy - ROW / 2)}" y2="${px(cy - ROW / 2)}"/>`);
    out.push(text(LABEL - 10, cy + 4, clip(r.label, 22), `class="label${r.pooled ? ' strong' : ''}" text-anchor="end"`));
    if (r.kappa === null) {
      out.push(text(x(0) + 8, cy + 4, `undefined${r.note ? `: ${clip(r.note, 60)}` : ''}`, 'class="note"'));
      return;
    }
    const tip = `${r.label}: kappa ${num(r.kappa, 3)}, 95% CI ${num(r.low, 3)} to ${num(r.high, 3)}`;
    const parts: string[] = [];
    if (r.low !== null && r.high !== null) {
      const [a, b] = [x(r.low), x(r.high)];
      parts.push(`<line class="ci" x1="${px(a)}" x2="${px(b)}" y1="${px(cy)}" y2="${px(cy)}"/>`);
      // a cap where the interval ends inside the axis; none where it runs off it
      if (r.low >= -1) parts.push(`<line class="ci" x1="${px(a)}" x2="${px(a)}" y1="${px(cy - 5)}" y2="${px(cy + 5)}"/>`);
      if (r.high <= 1) parts.push(`<line class="ci" x1="${px(b)}" x2="${px(b)}" y1="${px(cy - 5)}" y2="${px(cy + 5)}"/>`);
    }
    const k = x(r.kappa);
    const point = r.pooled
      ? `<path class="mark pooled" d="M${px(k)} ${px(cy - 7)}L${px(k + 7)} ${px(cy)}L${px(k)} ${px(cy + 7)}L${px(k - 7)} ${px(cy)}Z"><title>${esc(tip)}</title></path>`
      : `<circle class="mark" cx="${px(k)}" cy="${px(cy)}" r="5"><title>${esc(tip)}</title></circle>`;
    out.push(`<g class="estimate">`, ...parts, point, '</g>');
    out.push(text(LABEL + PLOT + 16, cy + 4, `${num(r.kappa)}  (${num(r.low)} to ${num(r.high)})`, 'class="value"'));
  });
  out.push('</svg>');
  return out.join('');
}
