/**
 * Reading a .qdpx (a zip) safely, in memory: nothing is ever written to disk.
 * Refused as input errors: entry names that could escape a folder (zip slip),
 * and archives that unpack beyond a size cap (zip bombs). Declared sizes are
 * checked up front from the central directory; actual sizes while inflating,
 * in small steps, so a lying header cannot make relcode inflate past the cap.
 */
import { Inflate } from 'fflate';
import { fail, InputError } from '../diagnostics.js';

export interface ZipLimits {
  /** bytes one entry may unpack to */
  entry: number;
  /** bytes all entries together may unpack to */
  total: number;
}

export const ZIP_LIMITS: ZipLimits = { entry: 64 * 1024 * 1024, total: 512 * 1024 * 1024 };

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** offset of the local file header */
  offset: number;
}

export interface ZipReader {
  /** every entry, in central-directory order */
  entries: ZipEntry[];
  /** the entry with this exact name, or undefined */
  find(name: string): ZipEntry | undefined;
  /** the entry's bytes, inflated and checked (size and CRC) */
  read(entry: ZipEntry): Uint8Array;
}

const BOMB_HINT = 'a .qdpx exported by QDA software stays far below this; if this file is genuine, split the project';
// what a step of compressed input may grow to is bounded by deflate's ~1032:1 ratio
const STEP = 16 * 1024;

/** Why an entry name is unsafe to use as a path, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.split('/').some((part) => part === '..')) return 'climbs out of the archive with ".."';
  return undefined;
}

export function openZip(bytes: Uint8Array, file: string, limits: ZipLimits = ZIP_LIMITS): ZipReader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (message: string): never =>
    fail('bad-zip', { file }, message, 'the file is not a readable .qdpx (zip) archive; export the project again from the QDA software');
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : bad('the archive is cut short'));
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : bad('the archive is cut short'));
  const u64 = (at: number) => {
    const n = at + 8 <= bytes.length ? view.getBigUint64(at, true) : bad('the archive is cut short');
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? bad('a zip64 size is out of range') : Number(n);
  };

  // End of central directory: the last 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) bad('no zip directory found (is this a .qdpx file?)');
  let count = u16(eocd + 10);
  let dirOffset = u32(eocd + 16);
  if (eocd >= 20 && u32(eocd - 20) === 0x07064b50) {
    const z = u64(eocd - 12);
    if (u32(z) !== 0x06064b50) bad('the zip64 directory record is missing');
    count = u64(z + 32);
    dirOffset = u64(z + 48);
  }

  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  let declaredTotal = 0;
  let at = dirOffset;
  const decoder = new TextDecoder('utf-8');
  for (let k = 0; k < count; k++) {
    if (u32(at) !== 0x02014b50) bad('the zip directory is damaged');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const crc = u32(at + 16);
    let offset = u32(at + 42);
    if (at + 46 + nameLength > bytes.length) bad('the zip directory is damaged');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // zip64: the fields set to 0xFFFFFFFF are given, in this order, in extra field 0x0001
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        if (size === 0xffffffff) (size = u64(p)), (p += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(p)), (p += 8);
        if (offset === 0xffffffff) offset = u64(p);
      }
      e += 4 + len;
    }
    at += 46 + nameLength + extraLength + commentLength;

    const unsafe = unsafeEntryName(name);
    if (unsafe) {
      fail('unsafe-zip-entry', { file }, `the archive entry "${name.slice(0, 200)}" ${unsafe}`,
        'relcode refuses archives whose entry names could point outside a folder (zip slip); export the project again from the QDA software');
    }
    if (flags & 1) bad(`the archive entry "${name}" is encrypted`);
    if (size > limits.entry) {
      fail('zip-too-large', { file }, `the archive entry "${name}" would unpack to ${mib(size)}, over the limit of ${mib(limits.entry)} per entry`, BOMB_HINT);
    }
    declaredTotal += size;
    if (declaredTotal > limits.total) {
      fail('zip-too-large', { file }, `the archive would unpack to more than ${mib(limits.total)} in all`, BOMB_HINT);
    }
    if (byName.has(name)) bad(`the archive holds "${name}" twice`);
    const entry = { name, method, compressedSize, size, crc, offset };
    entries.push(entry);
    byName.set(name, entry);
  }

  let inflatedTotal = 0;
  const read = (entry: ZipEntry): Uint8Array => {
    if (u32(entry.offset) !== 0x04034b50) bad(`the archive entry "${entry.name}" is damaged`);
    const start = entry.offset + 30 + u16(entry.offset + 26) + u16(entry.offset + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) bad(`the archive entry "${entry.name}" is cut short`);
    const data = bytes.subarray(start, end);
    let out: Uint8Array;
    if (entry.method === 0) out = data;
    else if (entry.method === 8) out = inflateCapped(data, entry, limits, inflatedTotal, file, bad);
    else return bad(`the archive entry "${entry.name}" uses compression method ${entry.method}; only stored and deflate are read`);
    if (out.length !== entry.size) bad(`the archive entry "${entry.name}" unpacks to ${out.length} bytes, not the ${entry.size} its header says`);
    if (crc32(out) !== entry.crc) bad(`the archive entry "${entry.name}" is corrupt (CRC mismatch)`);
    inflatedTotal += out.length;
    return out;
  };
  return { entries, find: (name) => byName.get(name), read };
}

function inflateCapped(data: Uint8Array, entry: ZipEntry, limits: ZipLimits, before: number, file: string, bad: (m: string) => never): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  // the header's size has been checked against the caps; inflating past it means the header lies
  const cap = Math.min(entry.size, limits.entry, limits.total - before);
  const inflate = new Inflate((chunk) => {
    length += chunk.length;
    if (length > cap) {
      fail('zip-too-large', { file }, `the archive entry "${entry.name}" unpacks to more than its header declares (${entry.size} bytes) or than the limit allows`, BOMB_HINT);
    }
    chunks.push(chunk);
  });
  try {
    for (let p = 0; p < data.length || p === 0; p += STEP) inflate.push(data.subarray(p, p + STEP), p + STEP >= data.length);
  } catch (err) {
    if (err instanceof InputError) throw err;
    bad(`the archive entry "${entry.name}" cannot be inflated: ${(err as Error).message}`);
  }
  const out = new Uint8Array(length);
  let p = 0;
  for (const c of chunks) (out.set(c, p), (p += c.length));
  return out;
}

let table: Uint32Array | undefined;
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 0)} MiB`;
}
