/** Grouped horizontal bars: per dimension, one bar per role, in matches per 1,000 words. */
import type { Role } from '../transcript/model.js';
import { clip, esc, int, num, px, ROLE_COLOUR, ROLE_LABEL, svgOpen, text, ticks } from './svg.js';

export interface RateValue {
  role: Role;
  /** matches per 1,000 words; null when the role has no words */
  rate: number | null;
  matches: number;
  words: number;
}

export interface RateGroup {
  label: string;
  values: RateValue[];
}

const WIDTH = 900;
const LABEL = 160;
const VALUE = 64;
const BAR = 14;
const GAP = 12;
const TOP = 30;
const AXIS = 40;

/** One `rect.mark` per value with a rate; a role without words gets a note instead of a bar. */
export function rateBars(groups: RateGroup[], roles: Role[], id: string, title: string): string {
  const plot = WIDTH - LABEL - VALUE - 10;
  const rates = groups.flatMap((g) => g.values.filter((v) => roles.includes(v.role)).map((v) => v.rate ?? 0));
  const axis = ticks(Math.max(0, ...rates));
  const max = axis[axis.length - 1]!;
  const x = (v: number) => LABEL + (v / max) * plot;
  const groupHeight = roles.length * BAR + GAP;
  const height = TOP + groups.length * groupHeight + AXIS;
  const marks = groups.reduce((n, g) => n + g.values.filter((v) => roles.includes(v.role) && v.rate !== null).length, 0);
  const desc = groups
    .map((g) => `${g.label}: ${roles.map((r) => `${ROLE_LABEL[r].toLowerCase()} ${num(g.values.find((v) => v.role === r)?.rate ?? null)}`).join(', ')}`)
    .join('; ');
  const out = [svgOpen('rates', id, WIDTH, height, title, `Matches per 1,000 words. ${desc}.`, marks)];

  // legend
  roles.forEach((r, i) => {
    const lx = LABEL + i * 120;
    out.push(`<rect x="${px(lx)}" y="6" width="14" height="14" fill="${ROLE_COLOUR[r]}"/>`, text(lx + 20, 17, ROLE_LABEL[r], 'class="legend"'));
  });
  // grid and axis
  const bottom = TOP + groups.length * groupHeight - GAP / 2;
  for (const t of axis) {
    out.push(`<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP - 4}" y2="${px(bottom)}"/>`);
    out.push(text(x(t), bottom + 16, num(t, t % 1 === 0 ? 0 : 1), 'class="tick" text-anchor="middle"'));
  }
  out.push(text(LABEL + plot / 2, bottom + 34, 'matches per 1,000 words', 'class="axis-label" text-anchor="middle"'));

  groups.forEach((g, gi) => {
    const y0 = TOP + gi * groupHeight;
    out.push(`<g class="group">`, text(LABEL - 8, y0 + (roles.length * BAR) / 2 + 4, clip(g.label, 22), 'class="label" text-anchor="end"'));
    roles.forEach((r, ri) => {
      const v = g.values.find((value) => value.role === r);
      const y = y0 + ri * BAR;
      if (!v || v.rate === null) {
        out.push(text(LABEL + 4, y + BAR - 3, `no ${ROLE_LABEL[r].toLowerCase()} words`, 'class="note"'));
        return;
      }
      const w = Math.max(0, x(v.rate) - LABEL);
      const tip = `${g.label}, ${ROLE_LABEL[r].toLowerCase()}: ${num(v.rate)} per 1,000 words (${int(v.matches)} matches in ${int(v.words)} words)`;
      out.push(
        `<rect class="mark" x="${LABEL}" y="${px(y + 1)}" width="${px(w)}" height="${BAR - 2}" fill="${ROLE_COLOUR[r]}"><title>${esc(tip)}</title></rect>`,
        text(LABEL + w + 4, y + BAR - 3, num(v.rate), 'class="value"'),
      );
    });
    out.push('</g>');
  });
  out.push(`<line class="axis" x1="${LABEL}" x2="${LABEL}" y1="${TOP - 4}" y2="${px(bottom)}"/>`, '</svg>');
  return out.join('');
}
