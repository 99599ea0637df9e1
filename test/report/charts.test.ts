import { describe, expect, it } from 'vitest';
import { rateBars, type RateGroup } from '../../src/report/bars.js';
import { forestPlot } from '../../src/report/forest.js';
import { heatColour, heatmap, scaleTop, type HeatRow } from '../../src/report/heatmap.js';
import type { Timeline } from '../../src/report/model.js';
import { esc, ticks, viridis } from '../../src/report/svg.js';
import { codedPairs, lanesOf, timelineChart } from '../../src/report/timeline.js';

/** The elements of class `mark` in an SVG string, with their attributes and title. */
function marks(svg: string): { tag: string; attrs: Record<string, string>; title: string }[] {
  return [...svg.matchAll(/<(rect|circle|path) class="mark[^"]*"([^>]*)>(?:<title>([^<]*)<\/title>)?/g)].map((m) => ({
    tag: m[1]!,
    attrs: Object.fromEntries([...m[2]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
    title: m[3] ?? '',
  }));
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('heatmap', () => {
  const rows: HeatRow[] = [
    { label: 'session-a', cells: [{ rate: 2.5, matches: 5, words: 2000 }, { rate: 0, matches: 0, words: 2000 }, { rate: 10, matches: 20, words: 2000 }] },
    { label: 'session-b', cells: [{ rate: 1, matches: 1, words: 1000 }, { rate: 4, matches: 4, words: 1000 }, { rate: 0, matches: 0, words: 1000 }] },
    { label: 'empty', cells: [{ rate: null, matches: 0, words: 0 }, { rate: null, matches: 0, words: 0 }, { rate: null, matches: 0, words: 0 }] },
  ];
  const svg = heatmap(rows, ['Trust', 'Empathy', 'Warmth'], 'h', 'Rates');

  it('one cell per transcript × dimension, with its value in its title', () => {
    const cells = marks(svg);
    expect(cells).toHaveLength(9);
    expect(svg).toContain('data-chart="heatmap" data-marks="9"');
    expect(cells.map((c) => c.title)).toEqual([
      'session-a × Trust: 2.50 per 1,000 words (5 matches in 2,000 words)',
      'session-a × Empathy: 0.00 per 1,000 words (0 matches in 2,000 words)',
      'session-a × Warmth: 10.00 per 1,000 words (20 matches in 2,000 words)',
      'session-b × Trust: 1.00 per 1,000 words (1 matches in 1,000 words)',
      'session-b × Empathy: 4.00 per 1,000 words (4 matches in 1,000 words)',
      'session-b × Warmth: 0.00 per 1,000 words (0 matches in 1,000 words)',
      'empty × Trust: no words',
      'empty × Empathy: no words',
      'empty × Warmth: no words',
    ]);
  });

  it('colours: none white, zero grey, the top darkest, more is darker', () => {
    const fill = (i: number) => marks(svg)[i]!.attrs.fill;
    expect(fill(6)).toBe('#ffffff');
    expect(fill(1)).toBe('#f0f0f0');
    expect(fill(2)).toBe('#440154');
    expect(heatColour(10, 10)).toBe('#440154');
    const luminance = (hex: string) => [1, 3, 5].reduce((s, i, k) => s + parseInt(hex.slice(i, i + 2), 16) * [0.2126, 0.7152, 0.0722][k]!, 0);
    expect(luminance(heatColour(1, 10))).toBeGreaterThan(luminance(heatColour(5, 10)));
    expect(luminance(heatColour(5, 10))).toBeGreaterThan(luminance(heatColour(9, 10)));
  });

  it('has a legend and an accessible name and description', () => {
    expect(svg).toMatch(/role="img" aria-labelledby="h-title h-desc"/);
    expect(svg).toContain('<title id="h-title">Rates</title>');
    expect(svg).toContain('no words');
    expect(svg).toContain('per 1,000 words');
  });

  it('an outlier does not set the scale when there are enough rates', () => {
    expect(scaleTop([0, 0, 1, 3])).toBe(3);
    const many = [...Array.from({ length: 39 }, (_, i) => i / 10), 100];
    expect(scaleTop(many)).toBe(3.8);
    expect(scaleTop([0, 0])).toBe(0);
  });
});

describe('rateBars', () => {
  const groups: RateGroup[] = [
    { label: 'Empathy', values: [{ role: 'therapist', rate: 12, matches: 24, words: 2000 }, { role: 'client', rate: 0, matches: 0, words: 1500 }, { role: 'other', rate: null, matches: 0, words: 0 }] },
    { label: 'Trust', values: [{ role: 'therapist', rate: 3, matches: 6, words: 2000 }, { role: 'client', rate: null, matches: 0, words: 0 }, { role: 'other', rate: null, matches: 0, words: 0 }] },
  ];
  const svg = rateBars(groups, ['therapist', 'client'], 'b', 'Rates by role');

  it('a bar per dimension and role with a rate; a note where a role has no words', () => {
    const bars = marks(svg);
    expect(bars.map((b) => b.title)).toEqual([
      'Empathy, therapist: 12.00 per 1,000 words (24 matches in 2,000 words)',
      'Empathy, client: 0.00 per 1,000 words (0 matches in 1,500 words)',
      'Trust, therapist: 3.00 per 1,000 words (6 matches in 2,000 words)',
    ]);
    expect(svg).toContain('data-marks="3"');
    expect(svg).toContain('no client words');
  });

  it('bar lengths are proportional to the rates', () => {
    const w = marks(svg).map((b) => Number(b.attrs.width));
    expect(w[1]).toBe(0);
    expect(w[0]! / w[2]!).toBeCloseTo(4, 1);
  });

  it('a role that is not drawn does not stretch the axis', () => {
    const loud = groups.map((g) => ({ ...g, values: g.values.map((v) => (v.role === 'other' ? { ...v, rate: 100, words: 10, matches: 1 } : v)) }));
    const top = (svg: string) => Math.max(...[...svg.matchAll(/class="tick" text-anchor="middle">([\d.]+)</g)].map((m) => Number(m[1])));
    expect(top(rateBars(loud, ['therapist', 'client'], 'b', 'x'))).toBe(top(svg));
    expect(top(svg)).toBeLessThan(20);
  });

  it('therapist and client colours differ in lightness (grey-scale print)', () => {
    const fills = marks(svg).map((b) => b.attrs.fill);
    expect(fills[0]).toBe('#0072B2');
    expect(fills[1]).toBe('#E69F00');
  });
});

describe('forestPlot', () => {
  const svg = forestPlot(
    [
      { label: 'Trust', kappa: 0.5, low: 0.3, high: 0.7 },
      { label: 'Respect', kappa: null, low: null, high: null, note: 'no variation: both codings put every unit in the same category' },
      { label: 'Wide', kappa: -0.2, low: -1.3, high: 0.9 },
      { label: 'All (pooled)', kappa: 0.4, low: 0.35, high: 0.45, pooled: true },
    ],
    'f',
    'Kappa',
  );

  it('plots defined kappas only, and lists the undefined ones with the reason', () => {
    const points = marks(svg);
    expect(points).toHaveLength(3);
    expect(svg).toContain('data-marks="3"');
    expect(points.map((p) => p.tag)).toEqual(['circle', 'circle', 'path']);
    expect(svg).toContain('undefined: no variation');
    expect(unescape(svg)).toContain("Cohen's kappa with 95% confidence intervals. Trust: 0.50 (95% CI 0.30 to 0.70); Respect: undefined");
  });

  it('kappa 0 is the middle of a −1..1 axis; an interval is clipped to the axis', () => {
    const [trust, wide] = marks(svg);
    const cx = (p: typeof trust) => Number(p!.attrs.cx);
    // x = 170 + (k + 1) / 2 * 480
    expect(cx(trust)).toBeCloseTo(170 + 0.75 * 480, 1);
    expect(cx(wide)).toBeCloseTo(170 + 0.4 * 480, 1);
    const ci = [...svg.matchAll(/<line class="ci" x1="([\d.]+)" x2="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(Math.min(...ci.flat())).toBeGreaterThanOrEqual(170);
    expect(svg).toMatch(/<line class="zero" x1="410" x2="410"/);
  });
});

describe('timelineChart', () => {
  // 4 turns: T, C, T, other; 9 dimensions so the flags take two bytes per turn
  const dims = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8'];
  const flags = new Uint8Array(8);
  flags[0] = 0b11; // turn 0: d0, d1
  flags[3] = 0b1; // turn 1: d8
  flags[6] = 0b100; // turn 3: d2
  const t: Timeline = { id: 'x', turnNumbers: Int32Array.from([0, 1, 2, 3]), roles: Uint8Array.from([0, 1, 0, 2]), flags, stride: 2 };

  it('one mark per coded turn × dimension, in its role lane', () => {
    expect(codedPairs(t, dims.length)).toBe(4);
    const svg = timelineChart(t, dims, 't');
    const m = marks(svg);
    expect(m.map((x) => x.title)).toEqual(['turn 0 (therapist): d0', 'turn 0 (therapist): d1', 'turn 1 (client): d8', 'turn 3 (other): d2']);
    expect(m.map((x) => x.attrs.fill)).toEqual(['#0072B2', '#0072B2', '#E69F00', '#6f6f6f']);
    expect(svg).toContain('data-marks="4"');
    expect(svg).toContain('d8: therapist 0, client 1, other 0');
  });

  it('an other lane only when a turn has that role', () => {
    expect(lanesOf(t)).toEqual(['therapist', 'client', 'other']);
    expect(lanesOf({ ...t, roles: Uint8Array.from([0, 1, 0, 1]) })).toEqual(['therapist', 'client']);
  });
});

describe('svg helpers', () => {
  it('escapes markup and control characters', () => {
    expect(esc(`<script>alert("x" & 'y')</script>\u0000\u001b`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;\ufffd\ufffd');
    expect(esc('line\nbreak\ttab')).toBe('line\nbreak\ttab');
  });

  it('round ticks that reach the maximum', () => {
    expect(ticks(13.1)).toEqual([0, 5, 10, 15]);
    expect(ticks(0.8)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(ticks(0)).toEqual([0, 1]);
  });

  it('viridis runs from dark purple to yellow', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(2)).toBe('#fde725');
  });
});
