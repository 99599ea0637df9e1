/**
 * Input encodings and sizes: UTF-8 with or without a BOM, UTF-16 LE/BE with a
 * BOM (decoded, chunk boundaries anywhere), invalid UTF-8 as an error that
 * names the file and the byte offset unless `--encoding latin1`, and lines of
 * any length read in linear time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import { decodeUtf8, readSource, type ReadOptions } from '../../src/transcript/read.js';
import { firstInvalidUtf16 } from '../../src/transcript/encoding.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';
import { relcode } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-enc-'));
const options: ReadOptions = { inputFormat: 'auto', columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Uint8Array, path: string, size = 65536, opts: ReadOptions = options): Promise<RawTranscript[]> {
  const out: RawTranscript[] = [];
  for await (const t of readSource(chunks(bytes, size), path, opts, () => {})) out.push(t);
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

const TEXT = 'Therapist: It sounds like that was hard. 😊\r\nClient: Café — “yes”.\r\n\r\nClient: 中文 and e\u0301.\n';
const TURNS = ['It sounds like that was hard. 😊', 'Café — “yes”.', '中文 and e\u0301.'];

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

const encodings: [string, Buffer][] = [
  ['UTF-8', Buffer.from(TEXT, 'utf8')],
  ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])],
  ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
];

describe('encodings', () => {
  it.each(encodings)('%s is read, whatever the chunk boundaries', async (_name, bytes) => {
    for (const size of [1, 2, 3, 5, 64, 65536]) {
      const [t] = await read(bytes, 'session.txt', size);
      expect(t!.turns.map((x) => x.text), `chunks of ${size}`).toEqual(TURNS);
    }
  });

  it('UTF-16 CSV and JSONL too', async () => {
    const csv = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('speaker,text\r\nT,"a, ""b""\r\nc"\r\n', 'utf16le')]);
    expect((await read(csv, 'a.csv', 3))[0]!.turns[0]!.text).toBe('a, "b"\nc');
    const jsonl = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('{"speaker":"T","text":"😊 hi"}\n')]);
    expect((await read(jsonl, 'a.jsonl', 5))[0]!.turns[0]!.text).toBe('😊 hi');
  });

  it('UTF-16 as a process, and UTF-16 without a BOM is still refused', () => {
    writeFileSync(join(dir, 'u16.txt'), encodings[2]![1]);
    const r = relcode(['code', join(dir, 'u16.txt'), '--level', 'turn', '--format', 'json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { text: string }[]).map((x) => x.text)).toEqual(TURNS);
    writeFileSync(join(dir, 'nobom.txt'), Buffer.from(TEXT, 'utf16le'));
    const n = relcode(['code', join(dir, 'nobom.txt')]);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/nobom\.txt:1: error: the file looks like UTF-16, not UTF-8 \[bad-encoding\]/);
  });

  it('an unpaired surrogate in UTF-16 is an error at its byte offset', async () => {
    const bad = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('T: ab', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('cd\n', 'utf16le')]);
    for (const size of [1, 4, 65536]) {
      const e = await failure(() => read(bad, 'bad16.txt', size));
      expect(e.diagnostics[0]).toMatchObject({ ruleId: 'bad-encoding', file: 'bad16.txt', message: 'invalid UTF-16 at byte offset 12' });
    }
    expect(firstInvalidUtf16(Uint8Array.from([0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde]), true)).toBe(-1); // a pair is fine
    expect(firstInvalidUtf16(Uint8Array.from([0x41, 0x00, 0x41]), true)).toBe(2); // a byte left over
  });

  it('invalid UTF-8: exit 2, the file, line, column and byte offset; --encoding latin1 reads it (as Windows-1252)', () => {
    const file = join(dir, 'latin1.txt');
    writeFileSync(file, Buffer.concat([Buffer.from('Therapist: hello\nClient: caf'), Buffer.from([0xe9, 0x20, 0x93]), Buffer.from('ok'), Buffer.from([0x94, 0x0a])]));
    const r = relcode(['code', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}:2:12: error: invalid UTF-8 at byte offset 28 (byte 0xe9) [bad-encoding]\n  hint: if the file is Latin-1 or Windows-1252, read it with --encoding latin1; else re-save it as UTF-8 (most editors offer "Save with encoding")\n`);
    const l = relcode(['code', file, '--encoding', 'latin1', '--level', 'turn', '--format', 'json', '-q']);
    expect(l.code, l.stderr).toBe(0);
    expect((JSON.parse(l.stdout) as { text: string }[])[1]!.text).toBe('café “ok”');
    const bad = relcode(['code', file, '--encoding', 'ebcdic']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/argument 'ebcdic' is invalid. Allowed choices are utf8, latin1/);
  });

  it('a NUL byte is still binary under --encoding latin1', async () => {
    const e = await failure(() => read(Buffer.from('Therapist: a\0b\n'), 'nul.txt', 65536, { ...options, encoding: 'latin1' }));
    expect(e.diagnostics[0]!.ruleId).toBe('binary-file');
  });

  it('a CRLF cut between chunks, then another line end, is two line ends (it was one)', async () => {
    let s = '';
    for await (const c of decodeUtf8(chunks(Buffer.from('a\r\n\nb\r\r\nc'), 1), 'f')) s += c;
    expect(s).toBe('a\n\nb\n\nc');
  });
});

describe('lines of any length, in linear time', () => {
  const word = 'feel ';
  const tenMB = word.repeat(2_000_000);
  const cases: [string, string, string][] = [
    ['text, one 10 MB line', 'big.txt', `Client: ${tenMB}\n`],
    ['CSV, one 5 MB cell with quotes and commas', 'big.csv', `speaker,text\nClient,"${'say ""hi"", '.repeat(420_000)}"\n`],
    ['TSV, one 10 MB line', 'big.tsv', `speaker\ttext\nClient\t${tenMB}\n`],
    ['JSONL, one 40 MB line (was quadratic: 1.7 s at 20 MB, 7 s at 40 MB)', 'big.jsonl', `${JSON.stringify({ speaker: 'Client', text: tenMB.repeat(4) })}\n`],
    ['WebVTT, one 10 MB cue', 'big.vtt', `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Client>${tenMB}\n`],
    ['CHAT, one 10 MB tier', 'big.cha', `@UTF8\n@Begin\n*PAT:\t${tenMB}.\n@End\n`],
  ];
  it.each(cases)('%s', async (_name, path, content) => {
    const bytes = Buffer.from(content, 'utf8');
    const started = performance.now();
    const [t] = await read(bytes, path);
    const ms = performance.now() - started;
    expect(t!.turns).toHaveLength(1);
    expect(t!.turns[0]!.text.length).toBeGreaterThan(4_000_000);
    expect(ms).toBeLessThan(5000);
  }, 30_000);
});
