/**
 * A source's plain text → turns (by relcode's text reader) and where each turn
 * lies in the text, in code points, so a coder's selection can be mapped to
 * the turns it overlaps.
 */
import { InputError, type Diagnostic, type Report } from '../diagnostics.js';
import type { RawTranscript } from '../transcript/model.js';
import { parseText } from '../transcript/readers/text.js';
import { DEFAULT_ROLE_PATTERNS, type RolePatterns } from '../transcript/roles.js';
import type { QdaSource } from './project.js';
import { codePointOffsets } from './positions.js';

export interface SplitSource {
  transcript: RawTranscript;
  /** per turn, in order: [start, end) in code points, from its label to the end of its last line */
  spans: [number, number][];
  /** length of the text in code points */
  length: number;
}

export function splitSource(
  text: string,
  options: { file: string; source: string; id: string; rolePatterns: RolePatterns },
  report: Report,
): SplitSource {
  const transcript = parseText(text, options, report);
  const lineStarts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) lineStarts.push(m.index + m[0].length);
  const cp = codePointOffsets(text);
  const at = (line: number) => lineStarts[line - 1] ?? text.length;
  const spans = transcript.turns.map((turn, k): [number, number] => {
    const start = at(turn.line ?? 1);
    let end = k + 1 < transcript.turns.length ? at(transcript.turns[k + 1]!.line ?? 1) : text.length;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    return [cp[start]!, cp[end]!];
  });
  return { transcript, spans, length: cp[text.length]! };
}

/** 1-based numbers of the turns that the selection [start, end) overlaps. */
export function turnsOverlapping(spans: [number, number][], start: number, end: number): number[] {
  const out: number[] = [];
  spans.forEach(([a, b], k) => {
    if (start < b && end > a) out.push(k + 1);
  });
  return out;
}

/**
 * A project's source split into turns, or undefined when its text is missing
 * (already reported) or holds no speaker labels (reported through `unusable`).
 */
export function splitProjectSource(
  source: QdaSource,
  file: string,
  report: Report,
  unusable: (d: Diagnostic) => void,
  rolePatterns: RolePatterns = DEFAULT_ROLE_PATTERNS,
): SplitSource | undefined {
  if (source.text === undefined) return undefined;
  try {
    return splitSource(source.text, { file: `${file} (${source.name})`, source: file, id: source.id, rolePatterns }, report);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    for (const d of err.diagnostics) unusable(d);
    return undefined;
  }
}
