import { fail, type Report } from '../../diagnostics.js';
import type { RawTranscript, RawTurn } from '../model.js';
import { FIELD_NAMES, findFields, normaliseName, parseTurnNumber, type ColumnNames, type Field } from './tabular.js';

export interface JsonReadOptions {
  file: string;
  source: string;
  /** the file name; the id of a document without an id field */
  id: string;
  columns: ColumnNames;
  /** dot path of the array of turns (`dialog`, `session.turns`, `sessions.0.turns`) */
  jsonTurns?: string;
}

/** Top-level fields that name a document's transcript, in order of preference. */
const ID_FIELDS = ['id', 'transcript_id', 'transcript', 'session_id', 'conversation_id', 'dialog_id'];
/** Time fields that chat exports use beyond the tabular names. */
const EXTRA_START = ['ts', 'created_at', 'create_time', 'sent_at'].map(normaliseName);
const FIELD_FLAGS: Partial<Record<Field, string>> = { speaker: '--speaker-field', text: '--text-field', turn: '--turn-col' };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const PATH_HINT = 'name the array of turns with --json-turns PATH, a dot path such as `dialog` or `session.turns`';

/** 1-based line and column of a character offset. */
function position(content: string, offset: number): { line: number; col: number } {
  const before = content.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: offset - nl };
}

function parseDocument(content: string, file: string): unknown {
  const text = content.replace(/^\uFEFF/, '');
  if (text.trim() === '') fail('empty-transcript', { file }, 'the file is empty', 'give a JSON document holding an array of turns');
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    const at = /at position (\d+)/.exec(msg);
    const place = at ? position(text, Number(at[1])) : /end of JSON/.test(msg) ? position(text, text.length) : {};
    const jsonl = /non-whitespace character after JSON/.test(msg);
    return fail('bad-json', { file, ...place }, `not valid JSON: ${msg.replace(/ (in JSON )?at position \d+.*$/, '')}`,
      jsonl ? 'the file holds more than one JSON value; for one object per line, use a .jsonl file or --input-format jsonl'
        : 'the file must hold one JSON document, e.g. {"dialog": [{"speaker": "Therapist", "text": "…"}]}');
  }
}

/** Does this array hold turns: objects with a text field (by --text-field or a common name)? */
function holdsTurns(value: unknown, columns: ColumnNames): value is Obj[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isObject)) return false;
  const names = new Set([...FIELD_NAMES.text, ...(columns.text ? [columns.text] : [])].map(normaliseName));
  return value.some((o) => Object.keys(o).some((k) => names.has(normaliseName(k))));
}

/** Dot paths of the arrays of objects in a document, through objects only (not into arrays). */
function arraysOfObjects(value: unknown, path: string[] = [], out: string[][] = [], depth = 0): string[][] {
  if (!isObject(value) || depth > 8) return out;
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > 0 && v.every(isObject)) out.push([...path, k]);
    else arraysOfObjects(v, [...path, k], out, depth + 1);
  }
  return out;
}

const dotted = (path: string[]) => path.join('.');

/** The array of turns in one document, at --json-turns or found as the only array of turn objects. */
function turnsArray(doc: unknown, where: string, options: JsonReadOptions): { path: string; turns: unknown[] } {
  const { file, jsonTurns } = options;
  const candidates = () => {
    const found = arraysOfObjects(doc).map(dotted);
    return found.length ? `the arrays of objects are: ${found.join(', ')}` : 'the document holds no array of objects';
  };
  if (jsonTurns !== undefined) {
    let value: unknown = doc;
    const walked: string[] = [];
    for (const key of jsonTurns.split('.')) {
      const next = Array.isArray(value) && /^\d+$/.test(key) ? value[Number(key)] : isObject(value) ? value[key] : undefined;
      if (next === undefined) {
        const at = walked.length ? `${where}${dotted(walked)}` : where ? where.slice(0, -1) : 'the top level';
        fail('bad-json-path', { file }, `--json-turns "${jsonTurns}": ${at} has no "${key}"`, `${candidates()}; ${PATH_HINT}`);
      }
      walked.push(key);
      value = next;
    }
    if (!Array.isArray(value)) {
      fail('bad-json-path', { file }, `--json-turns "${jsonTurns}": ${where}${jsonTurns} holds ${describe(value)}, not an array`, `${candidates()}; ${PATH_HINT}`);
    }
    return { path: jsonTurns, turns: value };
  }
  const found = arraysOfObjects(doc).filter((p) => holdsTurns(p.reduce<unknown>((v, k) => (v as Obj)[k], doc), options.columns));
  if (found.length !== 1) {
    const textHint = 'or name the text field with --text-field NAME';
    fail(found.length === 0 ? 'no-turns-array' : 'ambiguous-turns-array', { file },
      `${where ? `${where.slice(0, -1)}: ` : ''}${found.length === 0 ? 'no array of objects with a text field' : `several arrays of turns: ${found.map(dotted).join(', ')}`}`,
      found.length === 0 ? `${candidates()}; ${PATH_HINT}, ${textHint}` : PATH_HINT);
  }
  const path = found[0]!;
  return { path: dotted(path), turns: path.reduce<unknown>((v, k) => (v as Obj)[k], doc) as unknown[] };
}

function documentId(doc: unknown, fallback: string, columns: ColumnNames, file: string): string {
  if (!isObject(doc)) return fallback;
  if (columns.transcript !== undefined) {
    const v = doc[columns.transcript];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    fail('unknown-column', { file }, `--transcript-col "${columns.transcript}": no such top-level field`, `the top-level fields are: ${Object.keys(doc).join(', ')}`);
  }
  const keys = Object.keys(doc);
  for (const name of ID_FIELDS) {
    const key = keys.find((k) => normaliseName(k) === normaliseName(name));
    const v = key === undefined ? undefined : doc[key];
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim();
  }
  return fallback;
}

/** One document's turns. Fields are found as tabular columns are; the transcript is the document. */
function readTurns(turns: unknown[], path: string, where: string, options: JsonReadOptions): RawTurn[] {
  const { file } = options;
  const { transcript: _transcript, ...columns } = options.columns;
  const cache = new Map<string, Partial<Record<Field, number>>>();
  const seen = new Set<number>();
  return turns.map((value, i) => {
    const at = `${where}${path}[${i}]`;
    if (!isObject(value)) {
      fail('not-an-object', { file }, `${at} holds ${describe(value)}, not an object`,
        'each turn must be an object, e.g. {"speaker": "Therapist", "text": "…"}');
    }
    const keys = Object.keys(value);
    const cacheKey = keys.join('\u0000');
    let fields = cache.get(cacheKey);
    if (!fields) {
      // an option naming an absent field is reported here, where the turn's path is known
      for (const [f, wanted] of Object.entries(columns) as [Field, string | undefined][]) {
        if (wanted !== undefined && !keys.some((k) => k === wanted || normaliseName(k) === normaliseName(wanted))) {
          fail('unknown-column', { file }, `${FIELD_FLAGS[f]} "${wanted}": ${at} has no such field`, `its fields are: ${keys.join(', ') || '(none)'}`);
        }
      }
      const found = findFields(keys, columns, file, 1, 'field');
      if (found.start === undefined) {
        const taken = new Set(Object.values(found));
        const extra = keys.findIndex((k, j) => EXTRA_START.includes(normaliseName(k)) && !taken.has(j));
        if (extra >= 0) found.start = extra;
      }
      fields = found;
      cache.set(cacheKey, fields);
    }
    const get = (f: Field): string | undefined => {
      const k = fields[f] === undefined ? undefined : keys[fields[f]];
      const v = k === undefined ? undefined : value[k];
      if (v === null || v === undefined) return undefined;
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      return fail('bad-field', { file }, `${at}: field "${k}" holds ${describe(v)}`, `${f} must be a string${f === 'turn' ? ' or a number' : ''}`);
    };
    const speaker = get('speaker');
    const text = get('text');
    for (const [f, v, flag] of [['speaker', speaker, '--speaker-field'], ['text', text, '--text-field']] as const) {
      if (v === undefined) {
        fail('missing-field', { file }, `${at} has no ${f}`,
          `give each turn a "${f}" field, or name it with ${flag} NAME; its fields are: ${keys.join(', ') || '(none)'}`);
      }
    }
    const turn: RawTurn = { turn: i + 1, speaker: speaker!.trim(), text: text! };
    const number = get('turn');
    if (number !== undefined) {
      const n = parseTurnNumber(number);
      if (n === undefined) fail('bad-turn-number', { file }, `${at}: turn "${number}" is not an integer`, 'the turn field must hold whole numbers; point --turn-col at another field');
      if (seen.has(n)) fail('duplicate-turn', { file }, `${at}: turn ${n} appears twice`, 'turn numbers must be unique within a transcript');
      seen.add(n);
      turn.turn = n;
    }
    const start = get('start')?.trim();
    const end = get('end')?.trim();
    if (start) turn.start = start;
    if (end) turn.end = end;
    return turn;
  });
}

/**
 * A whole JSON document holding a conversation: its array of turns is at --json-turns or is the
 * only array of objects with a text field. A top-level array of such documents gives one
 * transcript each; a top-level array of turns is one transcript.
 */
export function readJsonDocument(content: string, options: JsonReadOptions, _report: Report): RawTranscript[] {
  const root = parseDocument(content, options.file);
  const several = Array.isArray(root) && !(options.jsonTurns === undefined && holdsTurns(root, options.columns));
  const docs = several ? (root as unknown[]) : [root];
  if (docs.length === 0) fail('no-turns', { file: options.file }, 'the top-level array is empty', 'give an array of turns, or of documents that hold one');
  const out = docs.map((doc, i) => {
    const where = several ? `[${i}].` : '';
    const fallback = several ? `${options.id}-${i + 1}` : options.id;
    const { path, turns } = Array.isArray(doc) && !several ? { path: '', turns: doc } : turnsArray(doc, where, options);
    if (turns.length === 0) fail('no-turns', { file: options.file }, `${where}${path} is an empty array`, 'give at least one turn');
    const id = documentId(doc, fallback, options.columns, options.file);
    return { id, source: options.source, turns: readTurns(turns, path, where, options) };
  });
  const ids = new Set<string>();
  for (const t of out) {
    if (ids.has(t.id)) {
      fail('duplicate-transcript', { file: options.file }, `transcript "${t.id}" appears twice`, 'give each document its own id');
    }
    ids.add(t.id);
  }
  return out;
}
