import { diagnostic, fail, type Report } from '../../diagnostics.js';
import type { RawTranscript, RawTurn } from '../model.js';
import { matchRole, type RolePatterns } from '../roles.js';

export interface TextReadOptions {
  /** path as the user gave it, for diagnostics */
  file: string;
  /** Transcript.source */
  source: string;
  id: string;
  rolePatterns: RolePatterns;
}

const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?`;
/** optional timestamp, optional markdown bold, label up to the first colon, then space or end */
const LABELLED = new RegExp(
  String.raw`^(?:\[(${TIME})\]\s*|\((${TIME})\)\s*|(${TIME})\s+)?(?:\*\*|__)?([^:]{1,40}?)(?:\*\*|__)?:(?:\*\*|__)?(?:\s+|$)`,
  'u',
);
const LABEL_CHARS = /^\p{L}[\p{L}\p{M}\p{N} .'’_()#-]*$/u;

export interface LabelledLine {
  label: string;
  text: string;
  start?: string;
}

/**
 * Splits `[timestamp] Label: text`. A label is short and either looks like a name
 * (every word capitalised, all caps, a number or an initial) or matches a role pattern,
 * so prose such as `And I said: fine` is not taken for a label.
 */
export function parseLabelledLine(line: string, patterns: RolePatterns): LabelledLine | undefined {
  const m = LABELLED.exec(line);
  if (!m) return undefined;
  const label = (m[4] ?? '').trim();
  if (!isLabel(label, patterns)) return undefined;
  const start = m[1] ?? m[2] ?? m[3];
  const text = line.slice(m[0].length).trim();
  return start === undefined ? { label, text } : { label, text, start };
}

/** Verdicts of isLabel by role patterns and label: a transcript repeats a few labels on every line. */
const labelVerdicts = new WeakMap<RolePatterns, Map<string, boolean>>();

function isLabel(label: string, patterns: RolePatterns): boolean {
  let verdicts = labelVerdicts.get(patterns);
  if (!verdicts) labelVerdicts.set(patterns, (verdicts = new Map()));
  let verdict = verdicts.get(label);
  if (verdict === undefined) {
    verdict = judgeLabel(label, patterns);
    if (verdicts.size >= 10_000) verdicts.clear();
    verdicts.set(label, verdict);
  }
  return verdict;
}

function judgeLabel(label: string, patterns: RolePatterns): boolean {
  if (label.length === 0 || label.length > 32 || !LABEL_CHARS.test(label)) return false;
  const words = label.split(/\s+/);
  if (words.length > 4) return false;
  const looksLikeName = words.every((w) => {
    const core = w.replace(/^[("'#]+|[)"'.]+$/g, '');
    return /^\p{Lu}/u.test(core) || /^\d+$/.test(core);
  });
  return looksLikeName || matchRole(label, patterns) !== undefined;
}

/** Reads speaker-labelled text; a line without a label continues the previous turn. */
export function parseText(content: string, options: TextReadOptions, report: Report): RawTranscript {
  const { file } = options;
  const text = content.replace(/^\uFEFF/, '');
  // decoded files have `\n` line ends already; the regex is for text from elsewhere
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  if (lines.every((l) => l.trim() === '')) {
    fail('empty-transcript', { file }, 'the transcript is empty', 'give a file with `Speaker: text` lines');
  }
  const turns: RawTurn[] = [];
  let body: string[] = [];
  let before = { count: 0, first: 0 };
  const close = () => {
    const last = turns[turns.length - 1];
    if (last) last.text = body.join('\n').trim();
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const labelled = parseLabelledLine(line, options.rolePatterns);
    if (labelled) {
      close();
      const turn: RawTurn = { turn: turns.length + 1, speaker: labelled.label, text: '', line: i + 1 };
      if (labelled.start !== undefined) turn.start = labelled.start;
      turns.push(turn);
      body = [labelled.text];
    } else if (turns.length > 0) {
      body.push(line);
    } else {
      if (before.count === 0) before = { count: 0, first: i + 1 };
      before.count++;
    }
  });
  close();
  if (turns.length === 0) {
    fail(
      'no-turns',
      { file },
      'no line starts with a speaker label',
      'label each turn as `Speaker: text`, e.g. `Therapist: …`, or use --input-format csv/jsonl',
    );
  }
  if (before.count > 0) {
    const n = before.count;
    report({
      ...diagnostic(
        'warning',
        'text-before-first-speaker',
        { file, line: before.first },
        `skipped ${n} line${n === 1 ? '' : 's'} of text before the first speaker label (line ${turns[0]!.line})`,
        'label that text as a turn (`Speaker: text`) if it should be coded, or delete it',
      ),
      skipped: n,
    });
  }
  return { id: options.id, source: options.source, turns };
}
