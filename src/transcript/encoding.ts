/**
 * Text encodings other than UTF-8: UTF-16 (LE or BE), known by its byte-order
 * mark, and `--encoding latin1` for files saved by older Windows tools. UTF-8
 * stays the strict default (read.ts `decodeUtf8`); these decoders normalise
 * line ends the same way, so readers see only `\n`.
 */
import { fail } from '../diagnostics.js';

/** The `--encoding` option. */
export const ENCODINGS = ['utf8', 'latin1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * How a file is decoded. `latin1` is read as Windows-1252, as browsers and the
 * WHATWG Encoding standard do: ISO-8859-1 plus the curly quotes and dashes
 * that Windows puts at 0x80–0x9F.
 */
export type Decoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A UTF-16 byte-order mark wins over the option; otherwise the option decides. */
export function decodingOf(head: Uint8Array, encoding: Encoding = 'utf8'): Decoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return encoding === 'latin1' ? 'windows-1252' : 'utf-8';
}

/** Byte offset of the first unpaired surrogate (or a cut-off code unit at the end), or -1. */
export function firstInvalidUtf16(bytes: Uint8Array, littleEndian: boolean): number {
  const unit = (i: number) => (littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) return i;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= bytes.length) return i;
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 2;
    }
  }
  return i < bytes.length ? i : -1;
}

/**
 * Decodes UTF-16 (BOM dropped) or Windows-1252 chunks and normalises CRLF and
 * CR to `\n`, a CRLF split across two chunks included. Bad UTF-16 (an unpaired
 * surrogate, an odd number of bytes) → `bad-encoding` with its byte offset.
 */
export async function* decodeOther(chunks: AsyncIterable<Uint8Array>, file: string, decoding: Exclude<Decoding, 'utf-8'>): AsyncGenerator<string> {
  const decoder = new TextDecoder(decoding, { fatal: true });
  const littleEndian = decoding === 'utf-16le';
  let offset = 0; // bytes before the current chunk
  // the last few bytes before the current chunk, from a code unit that starts a character,
  // so an error that straddles chunks can be located
  let tail: Uint8Array = new Uint8Array(0);
  let cr = false;
  const eol = (s: string): string => {
    if (s === '') return s; // a code unit cut in half: the CR state stands
    if (cr && s.startsWith('\n')) s = s.slice(1);
    cr = s.endsWith('\r');
    return s.replace(/\r\n?/g, '\n');
  };
  const step = (chunk: Uint8Array, final: boolean): string => {
    try {
      return eol(decoder.decode(chunk, { stream: !final }));
    } catch {
      const all = Buffer.concat([tail, chunk]);
      const at = offset - tail.length + Math.max(0, firstInvalidUtf16(all, littleEndian));
      return fail('bad-encoding', { file }, `invalid UTF-16 at byte offset ${at}`, 're-save the file as UTF-8, or as valid UTF-16 with a byte-order mark');
    }
  };
  for await (const chunk of chunks) {
    const text = step(chunk, false);
    if (decoding !== 'windows-1252') {
      const all = Buffer.concat([tail, chunk]);
      const end = offset + chunk.length;
      let start = Math.max(0, end - 4);
      start -= start % 2;
      const unit = (i: number) => (littleEndian ? all[i]! | (all[i + 1]! << 8) : (all[i]! << 8) | all[i + 1]!);
      const from = start - (offset - tail.length);
      // a low surrogate cannot start a character: step past it
      const skip = from + 1 < all.length && unit(from) >= 0xdc00 && unit(from) <= 0xdfff ? 2 : 0;
      tail = Uint8Array.from(all.subarray(from + skip));
    }
    offset += chunk.length;
    if (text) yield text;
  }
  const rest = step(new Uint8Array(0), true);
  if (rest) yield rest;
}
