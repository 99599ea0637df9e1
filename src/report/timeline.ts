/**
 * A session timeline: turn position (x) against dimension (rows), one lane per
 * role, a mark where a turn of that role is coded for the dimension.
 */
import { ROLES, type Role } from '../transcript/model.js';
import { isCoded, type Timeline } from './model.js';
import { clip, esc, int, px, ROLE_COLOUR, ROLE_LABEL, svgOpen, text } from './svg.js';

const WIDTH = 960;
const LABEL = 140;
const LANE = 7;
const ROW_GAP = 5;
const TOP = 24;
const AXIS = 32;

/** Roles with a lane: therapist and client always, other when a turn has it. */
export function lanesOf(t: Timeline): Role[] {
  const other = ROLES.indexOf('other');
  return t.roles.some((r) => r === other) ? [...ROLES] : ['therapist', 'client'];
}

/** Number of (turn, dimension) pairs coded: the chart's marks. */
export function codedPairs(t: Timeline, dimensions: number): number {
  let n = 0;
  for (let i = 0; i < t.roles.length; i++) for (let d = 0; d < dimensions; d++) if (isCoded(t, i, d)) n++;
  return n;
}

export function timelineChart(t: Timeline, dimensions: string[], id: string): string {
  const turns = t.roles.length;
  const lanes = lanesOf(t);
  const plot = WIDTH - LABEL - 12;
  const rowHeight = lanes.length * LANE + ROW_GAP;
  const height = TOP + dimensions.length * rowHeight + AXIS;
  const step = plot / Math.max(1, turns);
  const markWidth = Math.max(1.5, step - (step > 4 ? 1 : 0));
  const x = (i: number) => LABEL + i * step;

  // per dimension and role: the turns coded, for the description
  const counts = dimensions.map(() => lanes.map(() => 0));
  const marks: string[] = [];
  for (let i = 0; i < turns; i++) {
    const role = ROLES[t.roles[i]!]!;
    const lane = lanes.indexOf(role);
    for (let d = 0; d < dimensions.length; d++) {
      if (!isCoded(t, i, d)) continue;
      counts[d]![lane]!++;
      const y = TOP + d * rowHeight + lane * LANE;
      marks.push(`<rect class="mark" x="${px(x(i))}" y="${px(y + 0.5)}" width="${px(markWidth)}" height="${LANE - 1}" fill="${ROLE_COLOUR[role]}"><title>${esc(`turn ${t.turnNumbers[i]} (${role}): ${dimensions[d]}`)}</title></rect>`);
    }
  }
  const desc =
    `${int(turns)} turns. Turns coded per dimension: ` +
    dimensions.map((name, d) => `${name}: ${lanes.map((r, l) => `${ROLE_LABEL[r].toLowerCase()} ${counts[d]![l]}`).join(', ')}`).join('; ') + '.';
  const out = [svgOpen('timeline', id, WIDTH, height, `Session timeline of ${t.id}`, desc, marks.length)];

  lanes.forEach((r, i) => {
    const lx = LABEL + i * 110;
    out.push(`<rect x="${px(lx)}" y="5" width="12" height="12" fill="${ROLE_COLOUR[r]}"/>`, text(lx + 17, 15, ROLE_LABEL[r], 'class="legend"'));
  });
  dimensions.forEach((name, d) => {
    const y = TOP + d * rowHeight;
    out.push(text(LABEL - 22, y + (lanes.length * LANE) / 2 + 4, clip(name, 18), 'class="label" text-anchor="end"'));
    lanes.forEach((r, l) => {
      out.push(
        `<rect class="lane" x="${LABEL}" y="${px(y + l * LANE)}" width="${px(plot)}" height="${LANE - 1}"/>`,
        text(LABEL - 5, y + l * LANE + LANE - 2, ROLE_LABEL[r][0]!, 'class="lane-label" text-anchor="end"'),
      );
    });
  });
  out.push(...marks);

  // turn axis: the first and last turn, and about five between, by position
  const bottom = TOP + dimensions.length * rowHeight - ROW_GAP + 4;
  const positions = turns <= 1 ? [0] : [...new Set([0, ...[1, 2, 3, 4].map((k) => Math.round(((turns - 1) * k) / 5)), turns - 1])];
  for (const i of positions) {
    const cx = x(i) + markWidth / 2;
    out.push(`<line class="grid" x1="${px(cx)}" x2="${px(cx)}" y1="${px(bottom)}" y2="${px(bottom + 4)}"/>`, text(cx, bottom + 15, String(t.turnNumbers[i] ?? i + 1), 'class="tick" text-anchor="middle"'));
  }
  out.push(text(LABEL + plot / 2, bottom + 29, 'turn', 'class="axis-label" text-anchor="middle"'), '</svg>');
  return out.join('');
}
