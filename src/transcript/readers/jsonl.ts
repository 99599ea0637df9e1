import { fail, type Report } from '../../diagnostics.js';
import type { RawTranscript } from '../model.js';
import { findFields, TranscriptGrouper, type ColumnNames, type Field, type Row } from './tabular.js';

export interface JsonlReadOptions {
  file: string;
  source: string;
  /** id used when an object has no transcript field */
  id: string;
  columns: ColumnNames;
}

/**
 * Splits text chunks into numbered lines (`\n` ends; a trailing `\r` is dropped).
 * The pieces of an unfinished line are kept apart and joined once, so a line
 * of many megabytes costs linear time, not a copy per chunk.
 */
export async function* numberedLines(
  chunks: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<[number, string]> {
  let pending: string[] = [];
  let n = 0;
  for await (const chunk of chunks) {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      pending.push(chunk.slice(from, nl));
      yield [++n, pending.join('').replace(/\r$/, '')];
      pending = [];
      from = nl + 1;
    }
    if (from < chunk.length) pending.push(chunk.slice(from));
  }
  const rest = pending.join('');
  if (rest !== '') yield [++n, rest.replace(/\r$/, '')];
}

/** Where JSON.parse failed, as a 1-based column, when its message says. */
function jsonErrorColumn(message: string, line: string): number {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]) + 1;
  const lc = /column (\d+)/.exec(message);
  if (lc) return Number(lc[1]);
  if (/end of JSON/.test(message)) return line.length + 1;
  return 1;
}

const FLAGS: Record<Field, string> = {
  transcript: '--transcript-col', turn: '--turn-col', speaker: '--speaker-col', text: '--text-col',
  start: 'start', end: 'end',
};

/** One JSON object per line, one object per turn. Fields are found as tabular columns are. */
export async function* readJsonl(
  content: string | AsyncIterable<string> | Iterable<string>,
  options: JsonlReadOptions,
  _report: Report,
): AsyncGenerator<RawTranscript> {
  const { file } = options;
  const grouper = new TranscriptGrouper(file, options.source, options.id, '--turn-col');
  // objects of one file nearly always share their keys, so field lookup is cached by key list
  const cache = new Map<string, Partial<Record<Field, number>>>();
  let seen = false;
  for await (const [line, raw] of numberedLines(typeof content === 'string' ? [content] : content)) {
    const src = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (src.trim() === '') continue;
    seen = true;
    let value: unknown;
    try {
      value = JSON.parse(src);
    } catch (err) {
      const msg = (err as Error).message;
      fail(
        'bad-json',
        { file, line, col: jsonErrorColumn(msg, src) },
        `not valid JSON: ${msg.replace(/, ".*" is not valid JSON$/s, '')}`,
        'each line must hold one complete JSON object, e.g. {"speaker": "Therapist", "text": "…"}',
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('not-an-object', { file, line }, `line holds ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object`,
        'each line must hold one JSON object per turn, e.g. {"speaker": "Therapist", "text": "…"}');
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const cacheKey = keys.join('\u0000');
    let fields = cache.get(cacheKey);
    if (!fields) {
      fields = findFields(keys, options.columns, file, line, 'field');
      cache.set(cacheKey, fields);
    }
    const get = (f: Field): string | undefined => {
      const at = fields[f];
      if (at === undefined) return undefined;
      const v = obj[keys[at]!];
      if (v === null || v === undefined) return undefined;
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      return fail('bad-field', { file, line }, `field "${keys[at]}" holds ${Array.isArray(v) ? 'an array' : `a ${typeof v}`}`,
        `${f} must be a string${f === 'turn' ? ' or a number' : ''}`);
    };
    const speaker = get('speaker');
    const text = get('text');
    for (const [f, v] of [['speaker', speaker], ['text', text]] as const) {
      if (v === undefined) {
        fail('missing-field', { file, line }, `the object has no ${f}`,
          `give each object a "${f}" field, or name it with ${FLAGS[f]} NAME; its fields are: ${keys.join(', ') || '(none)'}`);
      }
    }
    const row: Row = { speaker: speaker!, text: text!, line };
    for (const f of ['transcript', 'turn', 'start', 'end'] as const) {
      const v = get(f);
      if (v !== undefined) row[f] = v;
    }
    const completed = grouper.add(row);
    if (completed) yield completed;
  }
  if (!seen) fail('empty-transcript', { file }, 'the file is empty', 'give one JSON object per line, one per turn');
  const last = grouper.finish();
  if (last) yield last;
}
