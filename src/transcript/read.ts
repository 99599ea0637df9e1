import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, normalize } from 'node:path';
import { fail, type Report } from '../diagnostics.js';
import { requirePackage } from '../packages.js';
import { decodeOther, decodingOf, type Encoding } from './encoding.js';
import type { RawTranscript } from './model.js';
import { FIELD_NAMES, normaliseName, readTabular, type ColumnNames } from './readers/tabular.js';
import { parseText } from './readers/text.js';
import type { RolePatterns } from './roles.js';

export type InputFormat = 'auto' | 'text' | 'csv' | 'tsv' | 'jsonl' | 'json' | 'docx' | 'vtt' | 'srt' | 'chat' | 'qdpx';
export const INPUT_FORMATS: readonly InputFormat[] = ['auto', 'text', 'csv', 'tsv', 'jsonl', 'json', 'docx', 'vtt', 'srt', 'chat', 'qdpx'];
type Format = Exclude<InputFormat, 'auto'>;

export interface ReadOptions {
  inputFormat: InputFormat;
  columns: ColumnNames;
  rolePatterns: RolePatterns;
  /** --encoding: `latin1` reads files that are not UTF-8 (as Windows-1252); a UTF-16 byte-order mark is always honoured */
  encoding?: Encoding;
  /** JSON documents: the path of the array of turns, e.g. `dialog` or `session.turns` (--json-turns) */
  jsonTurns?: string;
}

const EXTENSIONS: Record<string, Format> = {
  '.txt': 'text', '.text': 'text', '.md': 'text',
  '.csv': 'csv',
  '.tsv': 'tsv', '.tab': 'tsv',
  '.jsonl': 'jsonl', '.ndjson': 'jsonl',
  '.json': 'json',
  '.docx': 'docx',
  '.vtt': 'vtt',
  '.srt': 'srt',
  '.cha': 'chat',
  '.qdpx': 'qdpx',
};

/** Formats stored in a zip, which the binary-file check must not see. */
const ZIPPED: ReadonlySet<Format> = new Set<Format>(['docx', 'qdpx']);

const HEAD_BYTES = 8192;
const READS = 'relcode reads UTF-8 text, CSV, TSV or JSONL transcripts';

export function formatFromExtension(path: string): Format | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** Guesses the format from the start of the content (stdin, unknown extensions). */
export function sniffFormat(head: string, textColumn?: string): Format {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return 'jsonl';
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(start)) return 'vtt';
  if (/^@(?:UTF8|Begin)\b/.test(start)) return 'chat';
  // SRT: a cue number, then a timing line
  if (/^\d+[ \t]*\r?\n[ \t]*\d[\d:]*[,.]\d+[ \t]+-->/.test(start)) return 'srt';
  const first = start.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const textNames = new Set(FIELD_NAMES.text.map(normaliseName));
  if (textColumn) textNames.add(normaliseName(textColumn));
  const header = (sep: string) =>
    first.split(sep).map((c) => normaliseName(c.trim().replace(/^"(.*)"$/, '$1')));
  if (first.includes('\t') && header('\t').some((c) => textNames.has(c))) return 'tsv';
  if (first.includes(',') && header(',').some((c) => textNames.has(c))) return 'csv';
  return 'text';
}

/** Length of the valid UTF-8 sequence at i: 0 if invalid, -1 if cut off by the end of bytes. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0; // overlong
    if (b === 0xed) hi = 0x9f; // surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k < n; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k]!;
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return 0;
  }
  return n;
}

/** Offset of the first invalid byte (a cut-off sequence at the end counts when `final`), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, final = true): number {
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i);
    if (n === 0 || (n === -1 && final)) return i;
    if (n === -1) return -1;
    i += n;
  }
  return -1;
}

/**
 * Rejects what is not text before any reader sees it. `whole`: head is the entire file.
 * `utf8: false` (--encoding latin1) skips the UTF-8 checks; every byte is a character there.
 */
export function checkHead(head: Uint8Array, file: string, whole: boolean, utf8 = true): void {
  // the common case, checked natively: UTF-8 text without NUL bytes passes every test below
  if (utf8 && head.indexOf(0) < 0 && isUtf8(head)) return;
  const hint = 're-save the file as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)';
  if (utf8 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    fail('bad-encoding', { file, line: 1 }, 'the file is UTF-16, not UTF-8', hint);
  }
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) (i % 2 === 0 ? nulEven++ : nulOdd++);
  // UTF-16 without a BOM: ASCII text with every other byte NUL
  if (head.length >= 8 && Math.max(nulEven, nulOdd) >= 0.4 * (head.length / 2) && Math.min(nulEven, nulOdd) === 0) {
    fail('bad-encoding', { file, line: 1 }, 'the file looks like UTF-16, not UTF-8', hint);
  }
  let invalid = 0;
  for (let i = 0; utf8 && i < head.length; ) {
    const n = utf8SequenceLength(head, i);
    if (n === -1 && !whole) break;
    if (n <= 0) {
      invalid++;
      i++;
    } else i += n;
  }
  if (nulEven + nulOdd > 0 || invalid > 0.3 * head.length) {
    fail('binary-file', { file }, 'this is a binary file, not a transcript', READS);
  }
}

/**
 * Decodes UTF-8 chunks strictly (BOM dropped) and normalises CRLF and CR to `\n`.
 * Invalid bytes → `bad-encoding` naming the byte offset and the line.
 */
export async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<string> {
  // made only for a chunk that is not whole, valid UTF-8 by itself; the BOM is dropped by hand, for both ways
  let decoder: TextDecoder | undefined;
  let started = false; // some text was decoded: a BOM can only come first
  let offset = 0; // bytes before the current chunk
  let pending: Uint8Array = new Uint8Array(0); // a sequence cut at the end of the last chunk
  let lines = 1;
  let col = 1;
  let cr = false;
  const eol = (s: string): string => {
    if (s === '') return s; // a sequence cut in half: the CR state stands
    if (cr && s.startsWith('\n')) s = s.slice(1);
    // after the LF of a CRLF cut across chunks, the state is reset: `\r` | `\n\n` is two line ends
    cr = s.endsWith('\r');
    return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
  };
  const advance = (s: string) => {
    const nl = s.lastIndexOf('\n');
    if (nl < 0) col += s.length;
    else {
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
      col = s.length - nl;
    }
  };
  const decode = (chunk: Uint8Array, final: boolean): string => {
    // most files: one chunk, valid as it stands, checked natively and decoded without a decoder of its own
    // (with nothing pending, the decoder holds no part of a sequence and can be passed by)
    const text = pending.length === 0 && isUtf8(chunk)
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')
      : (decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })).decode(chunk, { stream: !final });
    if (started || text === '') return text;
    started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  const step = (chunk: Uint8Array, final: boolean): string => {
    try {
      const text = eol(decode(chunk, final));
      const all = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      pending = new Uint8Array(0);
      for (let j = Math.max(0, all.length - 3); j < all.length && !final; j++) {
        if (all[j]! >= 0xc0 && utf8SequenceLength(all, j) === -1) {
          pending = Uint8Array.from(all.subarray(j)); // a copy: stream buffers may be reused
          break;
        }
      }
      offset += chunk.length;
      advance(text);
      return text;
    } catch {
      const all = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const bad = Math.max(0, firstInvalidUtf8(all, final));
      advance(eol(new TextDecoder('utf-8').decode(all.subarray(0, bad))));
      const at = offset - pending.length + bad;
      return fail(
        'bad-encoding',
        { file, line: lines, col },
        `invalid UTF-8 at byte offset ${at} (byte 0x${all[bad]?.toString(16).padStart(2, '0') ?? '??'})`,
        'if the file is Latin-1 or Windows-1252, read it with --encoding latin1; else re-save it as UTF-8 (most editors offer "Save with encoding")',
      );
    }
  };
  for await (const chunk of chunks) {
    const text = step(chunk, false);
    if (text) yield text;
  }
  const rest = step(new Uint8Array(0), true);
  if (rest) yield rest;
}

/** Reads up to `size` bytes, then hands back an iterable over everything, head included. */
async function peek(
  source: AsyncIterable<Uint8Array>,
  size: number,
): Promise<{ head: Uint8Array; whole: boolean; all: AsyncIterable<Uint8Array>; close: () => Promise<unknown> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let whole = false;
  while (length < size) {
    const r = await it.next();
    if (r.done) {
      whole = true;
      break;
    }
    seen.push(r.value);
    length += r.value.length;
  }
  const head = Buffer.concat(seen).subarray(0, size);
  async function* all() {
    try {
      yield* seen;
      seen.length = 0;
      if (whole) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  // close() releases the source even when all() was never started (a rejected head)
  return { head, whole, all: all(), close: async () => it.return?.() };
}

/** Files up to this size are read in one call: a stream costs more than the read itself. */
const WHOLE_FILE_BYTES = 1 << 20;

async function openFile(path: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    // open, stat and read a small file synchronously: trips to the thread pool cost more
    // than the read. O_NONBLOCK: opening a FIFO does not wait for a writer; it is streamed
    // like a large file, from a blocking descriptor of its own
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    let info: Stats;
    try {
      info = fstatSync(fd);
      if (info.isFile() && info.size <= WHOLE_FILE_BYTES) return once(readWhole(fd, info.size));
    } finally {
      closeSync(fd);
    }
    if (info.isDirectory()) {
      fail('not-a-file', { file: path }, 'is a directory', 'give the files inside it, or a quoted glob such as "sessions/*.txt"');
    }
    return (await open(path, 'r')).createReadStream();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') notFound(path);
    if (code === 'EACCES' || code === 'EPERM') {
      fail('unreadable-file', { file: path }, 'permission denied', 'check the file permissions');
    }
    throw err;
  }
}

/** A regular file of `size` bytes, as readFileSync(fd) reads it but without its second fstat. */
function readWhole(fd: number, size: number): Uint8Array {
  const bytes = Buffer.allocUnsafe(size);
  let got = 0;
  for (let n = 1; got < size && n > 0; got += n) n = readSync(fd, bytes, got, size - got, null);
  return got < size ? bytes.subarray(0, got) : bytes;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function notFound(path: string): never {
  return fail('file-not-found', { file: path }, 'no such file',
    'check the path; globs must be quoted or expanded by the shell');
}

/** Reads one input (`-` = stdin) and yields its transcripts, one at a time. */
export async function* readTranscripts(
  path: string,
  options: ReadOptions,
  report: Report,
): AsyncGenerator<RawTranscript> {
  const source = path === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : await openFile(path);
  yield* readSource(source, path, options, report);
}

/** `readTranscripts` over any byte source; `path` gives the name, id and extension. */
export async function* readSource(
  bytes: AsyncIterable<Uint8Array>,
  path: string,
  options: ReadOptions,
  report: Report,
): AsyncGenerator<RawTranscript> {
  const stdin = path === '-';
  const file = stdin ? '<stdin>' : path;
  const id = stdin ? 'stdin' : basename(path, extname(path));
  const { head, whole, all, close } = await peek(bytes, HEAD_BYTES);
  try {
    if (head.length === 0) {
      fail('empty-transcript', { file }, 'the file is empty', 'give a transcript with one turn per line or row');
    }
    // the format first: a .docx is a zip, which the binary check would reject
    let format = options.inputFormat !== 'auto' ? options.inputFormat : stdin ? undefined : formatFromExtension(path);
    const decoding = decodingOf(head, options.encoding);
    // UTF-16 is decoded, not checked as bytes: half its bytes are NUL
    if ((format === undefined || !ZIPPED.has(format)) && !decoding.startsWith('utf-16')) checkHead(head, file, whole, decoding === 'utf-8');
    format ??= sniffFormat(new TextDecoder(decoding).decode(head), options.columns.text);
    const common = { file, source: path, id };
    const textOptions = { ...common, rolePatterns: options.rolePatterns };
    if (format === 'docx' || format === 'qdpx') {
      const chunks: Uint8Array[] = [];
      for await (const chunk of all) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      // the less common readers load when a file needs them, to keep start-up light
      if (format === 'docx') yield await (await import('./readers/docx.js')).readDocx(bytes, textOptions, report);
      else yield* (await import('./readers/qdpx.js')).readQdpxBytes(bytes, path, { rolePatterns: options.rolePatterns }, report);
      return;
    }
    const text = decoding === 'utf-8' ? decodeUtf8(all, file) : decodeOther(all, file, decoding);
    const collect = async () => {
      let content = '';
      for await (const chunk of text) content += chunk;
      return content;
    };
    switch (format) {
      case 'text':
        yield parseText(await collect(), textOptions, report);
        return;
      case 'vtt':
      case 'srt':
        yield (await import('./readers/subtitles.js')).parseSubtitles(await collect(), { ...textOptions, kind: format }, report);
        return;
      case 'chat':
        yield (await import('./readers/chat.js')).parseChat(await collect(), common, report);
        return;
      case 'json':
        yield* (await import('./readers/json.js')).readJsonDocument(await collect(), { ...common, columns: options.columns, ...(options.jsonTurns === undefined ? {} : { jsonTurns: options.jsonTurns }) }, report);
        return;
      case 'csv':
      case 'tsv':
        yield* readTabular(text, { ...common, delimiter: format === 'csv' ? ',' : '\t', columns: options.columns }, report);
        return;
      case 'jsonl':
        yield* (await import('./readers/jsonl.js')).readJsonl(text, { ...common, columns: options.columns }, report);
        return;
    }
  } finally {
    await close();
  }
}

const isGlob = (s: string) => /[*?[{]/.test(s);

/** Files under dir with a transcript extension, sorted; hidden entries and READMEs are not data. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (formatFromExtension(e.name) && !/^readme\./i.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Turns command-line inputs into a list of files, in argument order, without duplicates:
 * a file or `-` stays, a directory gives its transcript files (recursively), a glob its matches.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = p === '-' ? p : normalize(p);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      add(input);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const files = await filesUnder(input);
      if (files.length === 0) {
        fail('no-input-files', { file: input }, 'the directory holds no transcript files',
          `relcode reads ${Object.keys(EXTENSIONS).join(' ')} files`);
      }
      files.forEach(add);
    } else if (info) {
      add(input);
    } else if (isGlob(input)) {
      // tinyglobby answers relative to cwd; keep absolute patterns absolute
      const { glob } = requirePackage('tinyglobby') as typeof import('tinyglobby'); // only for patterns
      const files = await glob(input, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) });
      if (files.length === 0) {
        fail('no-input-files', { file: input }, 'the pattern matches no files', 'check the pattern and the current directory');
      }
      files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).forEach(add);
    } else {
      notFound(input);
    }
  }
  return out;
}
