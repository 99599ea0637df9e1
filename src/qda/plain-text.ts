/**
 * A transcript as the plain text of a REFI-QDA source: one `Speaker: text`
 * line per turn, so relcode's text reader splits it back into the same turns.
 * Where a turn's own line break would make the reader start a new turn (a
 * line that looks like `Label: …`), that line is joined to the one before
 * with a space instead; blank lines and indentation inside a turn go, as the
 * reader drops them anyway.
 */
import type { RawTurn } from '../transcript/model.js';
import { parseLabelledLine } from '../transcript/readers/text.js';
import { DEFAULT_ROLE_PATTERNS, type RolePatterns } from '../transcript/roles.js';

export interface RenderedTurn {
  /** UTF-16 range of the turn's text (after `Speaker: `) in the document */
  textStart: number;
  textEnd: number;
  /** a UTF-16 range in the turn's own text → the same words' range in the document */
  span(start: number, end: number): [number, number];
}

export interface RenderedTranscript {
  text: string;
  turns: RenderedTurn[];
}

const LINE_BREAK = /\r\n|\r|\n/g;
const TIME = /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?$/;

export function renderTranscript(turns: Pick<RawTurn, 'speaker' | 'text' | 'start'>[], patterns: RolePatterns): RenderedTranscript {
  // the source may be read back with the codebook's role patterns or the default ones
  const looksLabelled = (line: string) =>
    parseLabelledLine(line, patterns) !== undefined || parseLabelledLine(line, DEFAULT_ROLE_PATTERNS) !== undefined;
  const labelOk = (label: string) =>
    [patterns, DEFAULT_ROLE_PATTERNS].every((p) => parseLabelledLine(`${label}: x`, p)?.label === label);
  let doc = '';
  const out: RenderedTurn[] = [];
  for (const turn of turns) {
    const label = speakerLabel(turn.speaker, labelOk);
    const stamp = turn.start !== undefined && TIME.test(turn.start) ? `[${turn.start}] ` : '';
    const body = renderBody(turn.text, looksLabelled);
    const head = body.text === '' ? `${stamp}${label}:` : `${stamp}${label}: `;
    if (doc !== '') doc += '\n';
    const base = doc.length + head.length;
    doc += head + body.text;
    out.push({
      textStart: base,
      textEnd: base + body.text.length,
      span: (start, end) => {
        const [s, e] = body.span(start, end);
        return [base + s, base + Math.max(s, e)];
      },
    });
  }
  return { text: doc === '' ? doc : `${doc}\n`, turns: out };
}

/** The speaker as written when the reader gives it back unchanged; otherwise a tidied label that it does. */
export function speakerLabel(speaker: string, ok: (label: string) => boolean): string {
  const trimmed = speaker.trim();
  if (trimmed !== '' && ok(trimmed)) return trimmed;
  const words = trimmed
    .replace(/[^\p{L}\p{M}\p{N} .'’_()#-]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 4)
    .map((w) => w.charAt(0).toLocaleUpperCase() + w.slice(1));
  let label = words.join(' ').slice(0, 32).trim();
  if (!/^\p{L}/u.test(label)) label = `Speaker ${label}`.slice(0, 32).trim();
  return ok(label) ? label : 'Speaker';
}

function renderBody(text: string, looksLabelled: (line: string) => boolean): { text: string; span(start: number, end: number): [number, number] } {
  // the turn's lines, trimmed, blank ones dropped: [start, end) in text
  const segments: [number, number][] = [];
  const push = (a: number, b: number) => {
    const line = text.slice(a, b);
    const ts = a + (line.length - line.trimStart().length);
    const te = b - (line.length - line.trimEnd().length);
    if (ts < te) segments.push([ts, te]);
  };
  let lineStart = 0;
  for (const m of text.matchAll(LINE_BREAK)) {
    push(lineStart, m.index);
    lineStart = m.index + m[0].length;
  }
  push(lineStart, text.length);
  // joined[k]: segment k continues the line before with a space instead of starting a line.
  // Joining can make a line look labelled in turn ("Dr" + "Lee: …"), so repeat until stable.
  const joined = segments.map(() => false);
  for (let changed = true; changed; ) {
    changed = false;
    let first = 0;
    for (let k = 1; k <= segments.length; k++) {
      if (k < segments.length && joined[k]) continue;
      // segments first..k-1 form one output line; the first line follows the speaker label
      if (first > 0) {
        const line = segments.slice(first, k).map(([a, b]) => text.slice(a, b)).join(' ');
        if (looksLabelled(line)) {
          joined[first] = true;
          changed = true;
        }
      }
      first = k;
    }
  }
  const next = new Int32Array(text.length + 1).fill(-1);
  const kept = new Uint8Array(text.length);
  let out = '';
  segments.forEach(([a, b], k) => {
    if (k > 0) out += joined[k] ? ' ' : '\n';
    for (let i = a; i < b; i++) {
      next[i] = out.length + (i - a);
      kept[i] = 1;
    }
    out += text.slice(a, b);
  });
  next[text.length] = out.length;
  for (let i = text.length - 1; i >= 0; i--) if (next[i] === -1) next[i] = next[i + 1]!;
  const prev = new Int32Array(text.length + 1);
  for (let i = 1; i <= text.length; i++) prev[i] = kept[i - 1] ? next[i - 1]! + 1 : prev[i - 1]!;
  const clamp = (i: number) => Math.max(0, Math.min(text.length, i));
  return { text: out, span: (start, end) => [next[clamp(start)]!, prev[clamp(end)]!] };
}
