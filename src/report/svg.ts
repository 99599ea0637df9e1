/**
 * Small shared pieces of the report's HTML and SVG: escaping, number formats,
 * the palette and axis ticks. Every string that comes from data goes through `esc`.
 */
import type { Role } from '../transcript/model.js';

/**
 * Text and attribute values: the five markup characters, and control
 * characters (not allowed in HTML) as U+FFFD. Line breaks and tabs stay.
 */
export function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

/** `1,234` */
export function int(n: number): string {
  return n.toLocaleString('en-US');
}

/** A rate or statistic with `digits` decimals; an en dash for none. */
export function num(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Matches per 1,000 words, unrounded; null without words. */
export function per1000(matches: number, words: number): number | null {
  return words > 0 ? (matches / words) * 1000 : null;
}

/** SVG coordinates: at most one decimal keeps files small. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * Okabe–Ito colours: therapist blue and client orange differ in hue for most
 * colour-blind readers and in lightness in grey-scale print.
 */
export const ROLE_COLOUR: Record<Role, string> = { therapist: '#0072B2', client: '#E69F00', other: '#6f6f6f' };
export const ROLE_LABEL: Record<Role, string> = { therapist: 'Therapist', client: 'Client', other: 'Other' };

/** Viridis, sampled at nine points; perceptually even and readable in grey-scale. */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

/** The viridis colour at t in [0, 1] (clamped), interpolated between samples. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [rgb(VIRIDIS[i]!), rgb(VIRIDIS[i + 1]!)];
  return `#${a.map((v, k) => Math.round(v + (b[k]! - v) * f).toString(16).padStart(2, '0')).join('')}`;
}

/** Dark text on light cells, white on dark ones (WCAG relative luminance). */
export function textOn(hex: string): string {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.22 ? '#111' : '#fff';
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** Round tick values from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
export function ticks(max: number, about = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / about;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const n = Math.ceil(max / step - 1e-9);
  // toPrecision: 3 × 0.2 is 0.6, not 0.6000000000000001
  return Array.from({ length: n + 1 }, (_, k) => Number((k * step).toPrecision(12)));
}

/** The opening of an accessible chart: an image role, named by its title and described by its desc. */
export function svgOpen(chart: string, id: string, width: number, height: number, title: string, desc: string, marks: number): string {
  return (
    `<svg class="chart" data-chart="${esc(chart)}" data-marks="${marks}" viewBox="0 0 ${px(width)} ${px(height)}" width="${px(width)}" height="${px(height)}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>`
  );
}

/** Text in SVG, escaped. */
export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${esc(s)}</text>`;
}

/** Cut a label to about `max` characters for an axis; the full label goes in a title. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
