import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import {
  decodeUtf8,
  expandInputs,
  firstInvalidUtf8,
  readSource,
  readTranscripts,
  sniffFormat,
  type ReadOptions,
} from '../../src/transcript/read.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';

const auto: ReadOptions = { inputFormat: 'auto', columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relcode-read-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string, options: ReadOptions = auto) {
  const warnings: Diagnostic[] = [];
  const out: RawTranscript[] = [];
  for await (const t of readTranscripts(path, options, (d) => warnings.push(d))) out.push(t);
  return { transcripts: out, warnings };
}

async function* bytesOf(...chunks: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : Uint8Array.from(c);
}

async function errorOf(run: () => Promise<unknown>): Promise<Diagnostic> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics[0]!;
  }
  throw new Error('expected an InputError');
}

describe('readTranscripts', () => {
  it.each([
    ['s1.txt', 'Therapist: Hi.\nClient: Hello.\n'],
    ['s1.md', '**Therapist:** Hi.\n\n**Client:** Hello.\n'],
    ['s1.csv', 'speaker,text\nTherapist,Hi.\nClient,Hello.\n'],
    ['s1.tsv', 'speaker\ttext\nTherapist\tHi.\nClient\tHello.\n'],
    ['s1.jsonl', '{"speaker":"Therapist","text":"Hi."}\n{"speaker":"Client","text":"Hello."}\n'],
    ['s1.dat', 'speaker,text\nTherapist,Hi.\nClient,Hello.\n'],
    ['s1', '{"speaker":"Therapist","text":"Hi."}\n{"speaker":"Client","text":"Hello."}\n'],
  ])('reads %s', async (name, content) => {
    const path = file(`formats/${name}`, content);
    const { transcripts } = await readAll(path);
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0]!.id).toBe('s1');
    expect(transcripts[0]!.source).toBe(path);
    expect(transcripts[0]!.turns.map((t) => [t.speaker, t.text])).toEqual([['Therapist', 'Hi.'], ['Client', 'Hello.']]);
  });

  it('lets --input-format override the extension', async () => {
    const path = file('forced.txt', 'speaker,text\nT,hi\n');
    const { transcripts } = await readAll(path, { ...auto, inputFormat: 'csv' });
    expect(transcripts[0]!.turns).toEqual([{ turn: 1, speaker: 'T', text: 'hi', line: 2 }]);
  });

  it('reports a missing file', async () => {
    const d = await errorOf(() => readAll(join(dir, 'nope.txt')));
    expect(d).toMatchObject({ ruleId: 'file-not-found', file: join(dir, 'nope.txt') });
    expect(d.hint).toContain('quoted');
  });

  it('reports a directory given as a file', async () => {
    mkdirSync(join(dir, 'adir'), { recursive: true });
    expect(await errorOf(() => readAll(join(dir, 'adir')))).toMatchObject({ ruleId: 'not-a-file' });
  });

  it('rejects an empty file', async () => {
    expect(await errorOf(() => readAll(file('empty.csv', '')))).toMatchObject({ ruleId: 'empty-transcript' });
  });

  it('rejects a binary file', async () => {
    const path = file('image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]));
    const d = await errorOf(() => readAll(path));
    expect(d).toMatchObject({ ruleId: 'binary-file', file: path });
    expect(d.hint).toBe('relcode reads UTF-8 text, CSV, TSV or JSONL transcripts');
  });

  it('rejects mostly invalid UTF-8 as binary', async () => {
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xff : 0x41));
    expect(await errorOf(() => readAll(file('noise.txt', bytes)))).toMatchObject({ ruleId: 'binary-file' });
  });

  it('reports invalid UTF-8 with its byte offset, line and column', async () => {
    // "T: café" in Latin-1: é is the single byte 0xE9
    const bytes = Buffer.concat([Buffer.from('T: hello\nC: caf'), Buffer.from([0xe9]), Buffer.from(' ok\n')]);
    const d = await errorOf(() => readAll(file('latin1.txt', bytes)));
    expect(d).toMatchObject({ ruleId: 'bad-encoding', line: 2, col: 7 });
    expect(d.message).toContain('byte offset 15');
    expect(d.hint).toContain('UTF-8');
  });

  it('reads UTF-16 with a byte-order mark; without one, it is an encoding problem', async () => {
    // UTF-16 with a BOM is decoded (test/security/encodings.test.ts has the details)
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('T: hi\n', 'utf16le')]);
    expect((await readAll(file('utf16.txt', utf16))).transcripts[0]!.turns[0]!.text).toBe('hi');
    const noBom = Buffer.from('Therapist: hello there\nClient: hi\n', 'utf16le');
    expect(await errorOf(() => readAll(file('utf16-nobom.txt', noBom)))).toMatchObject({ ruleId: 'bad-encoding' });
  });

  it('reads stdin (`-`) by sniffing, with id "stdin"', async () => {
    const out: RawTranscript[] = [];
    for await (const t of readSource(bytesOf('speaker,text\n', 'T,hi\n'), '-', auto, () => {})) out.push(t);
    expect(out).toEqual([{ id: 'stdin', source: '-', turns: [{ turn: 1, speaker: 'T', text: 'hi', line: 2 }] }]);
  });

  it('names stdin as <stdin> in diagnostics', async () => {
    const d = await errorOf(async () => {
      for await (const _ of readSource(bytesOf('no labels here\n'), '-', auto, () => {})) void _;
    });
    expect(d).toMatchObject({ ruleId: 'no-turns', file: '<stdin>' });
  });
});

describe('sniffFormat', () => {
  it.each([
    ['{"speaker": "T", "text": "hi"}\n', 'jsonl'],
    ['\uFEFF  \n{"a": 1}', 'jsonl'],
    ['transcript_id,speaker,utterance_text\n', 'csv'],
    ['"speaker","text"\r\n', 'csv'],
    ['speaker\ttext\n', 'tsv'],
    ['Speaker\tUtterance\tStart\n', 'tsv'],
    ['Therapist: Hello, how are you?\n', 'text'],
    ['T: a\tb\n', 'text'],
    ['speaker,words\n', 'text'],
  ])('%j → %s', (head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });

  it('knows the --text-col name', () => {
    expect(sniffFormat('speaker,words\n', 'words')).toBe('csv');
  });
});

describe('decodeUtf8', () => {
  async function decode(...chunks: (string | number[])[]): Promise<string> {
    let s = '';
    for await (const c of decodeUtf8(bytesOf(...chunks), 'f')) s += c;
    return s;
  }

  it('decodes characters split across chunks and normalises line ends', async () => {
    // é = C3 A9, 😀 = F0 9F 98 80
    expect(await decode([0xef, 0xbb, 0xbf, 0x61, 0xc3], [0xa9, 0x0d], [0x0a, 0xf0, 0x9f], [0x98, 0x80, 0x0d, 0x62])).toBe('aé\n😀\nb');
  });

  // a chunk that is valid UTF-8 by itself is decoded without the streaming decoder: the BOM rule must hold both ways
  it('drops a BOM only at the very start, even when it is cut across chunks', async () => {
    expect(await decode([0xef], [0xbb, 0xbf, 0x61])).toBe('a');
    expect(await decode([0xef, 0xbb, 0xbf], [0x61])).toBe('a');
    // U+FEFF after the first character is text (a zero-width no-break space), kept
    expect(await decode('a', [0xef, 0xbb, 0xbf, 0x62])).toBe('a\uFEFFb');
    expect(await decode([0x61, 0xef, 0xbb], [0xbf, 0x62], [0xef, 0xbb, 0xbf])).toBe('a\uFEFFb\uFEFF');
  });

  it('names the byte offset of an invalid byte in a later chunk', async () => {
    const d = await errorOf(() => decode('ab\ncd', [0x65, 0xc3], [0x28]));
    expect(d).toMatchObject({ ruleId: 'bad-encoding', line: 2, col: 4 });
    expect(d.message).toContain('byte offset 6');
  });

  it('reports a sequence cut off by the end of the file', async () => {
    const d = await errorOf(() => decode('abc', [0xe2, 0x82]));
    expect(d.message).toContain('byte offset 3');
  });

  it('finds the first invalid byte', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]), false)).toBe(-1);
  });
});

describe('expandInputs', () => {
  let root: string;
  beforeAll(() => {
    root = join(dir, 'corpus');
    for (const name of ['b.txt', 'a.csv', 'sub/c.jsonl', 'sub/deep/d.md', 'notes.pdf', '.hidden.txt', '.git/x.txt', 'README.md']) {
      file(`corpus/${name}`, 'T: x\n');
    }
  });

  it('expands a directory recursively to transcript files, sorted', async () => {
    expect(await expandInputs([root])).toEqual(
      ['a.csv', 'b.txt', 'sub/c.jsonl', 'sub/deep/d.md'].map((p) => join(root, p)),
    );
  });

  it('expands globs, sorted, keeping argument order and dropping duplicates', async () => {
    const files = await expandInputs([join(root, 'b.txt'), '-', join(root, '**/*.{md,jsonl}'), join(root, 'b.txt'), '-']);
    // a glob takes what it matches, README included
    expect(files).toEqual([join(root, 'b.txt'), '-', ...['README.md', 'sub/c.jsonl', 'sub/deep/d.md'].map((p) => join(root, p))]);
  });

  it('expands a relative glob relative to the working directory', async () => {
    const rel = relative(process.cwd(), root);
    expect(await expandInputs([`${rel}/sub/**/*.md`])).toEqual([join(rel, 'sub/deep/d.md')]);
  });

  it('keeps a file as given, whatever its extension', async () => {
    expect(await expandInputs([join(root, 'notes.pdf')])).toEqual([join(root, 'notes.pdf')]);
  });

  it('rejects a glob that matches nothing', async () => {
    const pattern = join(root, '*.docx');
    expect(await errorOf(() => expandInputs([pattern]))).toMatchObject({ ruleId: 'no-input-files', file: pattern });
  });

  it('rejects a path that does not exist', async () => {
    expect(await errorOf(() => expandInputs([join(root, 'missing.txt')]))).toMatchObject({ ruleId: 'file-not-found' });
  });
});
