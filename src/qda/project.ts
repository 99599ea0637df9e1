/**
 * A REFI-QDA project (.qdpx) → plain data: its coders, its codes (nested ones
 * flattened), and its text sources with their text and coded selections.
 * What cannot be used is reported as it is found, never dropped silently.
 */
import { readFile, stat } from 'node:fs/promises';
import { diagnostic, fail, type Report } from '../diagnostics.js';
import { childNamed, childrenNamed, parseXml, type XmlElement } from './xml-parse.js';
import { openZip, ZIP_LIMITS, type ZipLimits, type ZipReader } from './zip.js';

export interface QdaCode {
  guid: string;
  name: string;
  /** names from the top-level code down to this one */
  path: string[];
}

export interface QdaCoding {
  guid: string;
  codeGuid: string;
  /** the coder's User guid, from the coding or else its selection */
  user?: string;
}

export interface QdaSelection {
  guid: string;
  name?: string;
  /** code points, 0-based, end exclusive, as written (not yet checked against the text) */
  start: number;
  end: number;
  codings: QdaCoding[];
}

export interface QdaSource {
  guid: string;
  name: string;
  /** the transcript id: the name without a document extension, made unique */
  id: string;
  /** the plain text, or undefined when it cannot be read (reported) */
  text?: string;
  selections: QdaSelection[];
  /** codings of the whole document rather than of a selection */
  wholeCodings: number;
}

export interface QdaProject {
  file: string;
  name: string;
  /** User guid → name (its id, or the guid, when it has none) */
  users: Map<string, string>;
  codes: Map<string, QdaCode>;
  sources: QdaSource[];
}

/** Extensions taken off a source's name to give the transcript id. */
const DOCUMENT_EXTENSION = /\.(txt|text|md|rtf|docx?|odt|pdf|html?|csv|tsv|jsonl?|ndjson|cha|vtt|srt|qdpx)$/i;

export function transcriptId(name: string): string {
  return name.replace(DOCUMENT_EXTENSION, '');
}

/** The source name to write for a transcript id, so that `transcriptId` gives the id back. */
export function sourceName(id: string): string {
  return DOCUMENT_EXTENSION.test(id) ? `${id}.txt` : id;
}

const AGAIN = 'export the project again from the QDA software';

export function readProject(bytes: Uint8Array, file: string, report: Report, limits: ZipLimits = ZIP_LIMITS): QdaProject {
  const zip = openZip(bytes, file, limits);
  const qde =
    zip.find('project.qde') ??
    zip.entries.find((e) => e.name.toLowerCase() === 'project.qde') ??
    onlyOne(zip.entries.filter((e) => !e.name.includes('/') && e.name.toLowerCase().endsWith('.qde')));
  if (!qde) fail('bad-qdpx', { file }, 'the archive has no project.qde', `a .qdpx holds project.qde and a sources/ folder; ${AGAIN}`);
  const xml = decodeXml(zip.read(qde!), file);
  const root = parseXml(xml, `${file}:${qde!.name}`);
  if (root.name !== 'Project') fail('bad-qdpx', { file }, `project.qde's root element is <${root.name}>, not <Project>`, AGAIN);

  const warn = (ruleId: string, message: string, hint?: string, skipped?: number) =>
    report({ ...diagnostic('warning', ruleId, { file }, message, hint), ...(skipped ? { skipped } : {}) });

  const users = new Map<string, string>();
  for (const u of childrenNamed(childNamed(root, 'Users') ?? empty, 'User')) {
    if (u.attrs.guid) users.set(norm(u.attrs.guid), u.attrs.name || u.attrs.id || u.attrs.guid);
  }

  const codes = new Map<string, QdaCode>();
  const walk = (el: XmlElement, path: string[]) => {
    for (const c of childrenNamed(el, 'Code')) {
      const name = c.attrs.name ?? '';
      if (c.attrs.guid) codes.set(norm(c.attrs.guid), { guid: c.attrs.guid, name, path: [...path, name] });
      walk(c, [...path, name]);
    }
  };
  walk(childNamed(childNamed(root, 'CodeBook') ?? empty, 'Codes') ?? empty, []);

  const sources: QdaSource[] = [];
  const ids = new Map<string, number>();
  const others = new Map<string, number>();
  for (const el of (childNamed(root, 'Sources') ?? empty).children) {
    if (el.name !== 'TextSource') {
      others.set(el.name, (others.get(el.name) ?? 0) + 1);
      continue;
    }
    const guid = el.attrs.guid ?? '';
    const name = el.attrs.name ?? guid;
    let id = transcriptId(name) || guid;
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    if (seen > 0) {
      const unique = `${id}-${seen + 1}`;
      warn('duplicate-source-name', `source ${guid} is named "${name}" like an earlier source; its transcript id is "${unique}"`, 'give each document its own name in the QDA software');
      id = unique;
    }
    sources.push({
      guid, name, id, text: sourceText(el, zip, file, warn),
      selections: childrenNamed(el, 'PlainTextSelection').map(selection),
      wholeCodings: childrenNamed(el, 'Coding').length,
    });
  }
  for (const [kind, n] of others) {
    warn('non-text-source', `skipped ${n} ${kind} source${n === 1 ? '' : 's'}: relcode reads text sources only`, 'transcribe the recording, or export its transcript as a text source');
  }
  return { file, name: root.attrs.name ?? '', users, codes, sources };
}

const empty: XmlElement = { name: '', attrs: {}, children: [], text: '', line: 0 };

/** GUIDs compare without braces and case. */
export function norm(guid: string): string {
  return guid.replace(/[{}]/g, '').toLowerCase();
}

function onlyOne<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

function selection(el: XmlElement): QdaSelection {
  const user = el.attrs.creatingUser;
  return {
    guid: el.attrs.guid ?? '',
    ...(el.attrs.name ? { name: el.attrs.name } : {}),
    start: integer(el.attrs.startPosition),
    end: integer(el.attrs.endPosition),
    codings: childrenNamed(el, 'Coding').map((c) => {
      const by = c.attrs.creatingUser ?? user;
      return { guid: c.attrs.guid ?? '', codeGuid: childNamed(c, 'CodeRef')?.attrs.targetGUID ?? '', ...(by ? { user: by } : {}) };
    }),
  };
}

/** NaN for anything that is not a whole number, so the range check reports it */
function integer(s: string | undefined): number {
  return s !== undefined && /^\s*[+-]?\d+\s*$/.test(s) ? Number(s) : NaN;
}

function sourceText(el: XmlElement, zip: ZipReader, file: string, warn: (ruleId: string, message: string, hint?: string) => void): string | undefined {
  const { guid, name } = el.attrs;
  const label = `source "${name ?? guid}" (${guid})`;
  const content = childNamed(el, 'PlainTextContent');
  if (content) return content.text;
  const path = el.attrs.plainTextPath;
  if (!path) {
    warn('missing-source-text', `${label} has neither plainTextPath nor PlainTextContent; its codings are skipped`, AGAIN);
    return undefined;
  }
  const internal = /^internal:\/\/(.+)$/i.exec(path);
  if (!internal) {
    warn('external-source-text', `${label}: its text is outside the project (plainTextPath="${path}"); its codings are skipped`,
      'export the project with its documents embedded (the sources/ folder of the .qdpx)');
    return undefined;
  }
  const want = `sources/${internal[1]}`;
  const entry = zip.find(want) ?? zip.entries.find((e) => e.name.toLowerCase() === want.toLowerCase());
  if (!entry) {
    warn('missing-source-text', `${label}: its text, ${want}, is not in the archive; its codings are skipped`, AGAIN);
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(zip.read(entry));
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    warn('bad-encoding', `${label}: ${want} is not valid UTF-8; its codings are skipped`, 'REFI-QDA plain text is UTF-8; export the project again');
    return undefined;
  }
}

function decodeXml(bytes: Uint8Array, file: string): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  try {
    return new TextDecoder(utf16 ? (bytes[0] === 0xff ? 'utf-16le' : 'utf-16be') : 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('bad-encoding', { file }, 'project.qde is not valid UTF-8', AGAIN);
  }
}

/** Reads a .qdpx file (`-`: stdin) and its project. */
export async function loadProject(path: string, report: Report, limits: ZipLimits = ZIP_LIMITS): Promise<QdaProject> {
  const file = path === '-' ? '<stdin>' : path;
  let bytes: Uint8Array;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      bytes = Buffer.concat(chunks);
    } else {
      const info = await stat(path);
      if (info.isDirectory()) fail('not-a-file', { file }, 'is a directory', 'give the .qdpx file');
      // the archive itself is held in memory; refuse one that could not be a sane project
      if (info.size > limits.total) fail('zip-too-large', { file }, `the file is larger than ${limits.total / 1024 / 1024} MiB`, 'split the project');
      bytes = await readFile(path);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') fail('file-not-found', { file }, 'no such file', 'check the path to the .qdpx file');
    if (code === 'EACCES' || code === 'EPERM') fail('unreadable-file', { file }, 'permission denied', 'check the file permissions');
    throw err;
  }
  return readProject(bytes, file, report, limits);
}
