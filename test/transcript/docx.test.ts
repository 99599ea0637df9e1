import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import { readTranscripts, type ReadOptions } from '../../src/transcript/read.js';
import { docxParagraphs, readDocx } from '../../src/transcript/readers/docx.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';
import { relcode, ROOT } from '../cli/run.js';

// A .docx is a zip of XML parts; a stored (uncompressed) zip is enough to build one here.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function zip(entries: Record<string, string>): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    local.push(head, nameBytes, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>';

/** A .docx whose body is the given WordprocessingML. */
function docx(body: string): Buffer {
  return zip({
    '[Content_Types].xml': TYPES,
    '_rels/.rels': RELS,
    'word/document.xml': `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  });
}
const p = (...runs: string[]) => `<w:p>${runs.map((r) => (r.startsWith('<') ? r : `<w:r><w:t xml:space="preserve">${r}</w:t></w:r>`)).join('')}</w:p>`;
const bold = (t: string) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;

const options = { file: 's.docx', source: 's.docx', id: 's', rolePatterns: DEFAULT_ROLE_PATTERNS };

async function read(bytes: Buffer) {
  const warnings: Diagnostic[] = [];
  const t = await readDocx(bytes, options, (d) => warnings.push(d));
  return { turns: t.turns, warnings };
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

describe('readDocx', () => {
  it('reads speaker-labelled paragraphs by the text rules; line = paragraph number', async () => {
    const { turns, warnings } = await read(docx([
      p('Therapist: Hello.'),
      p('Client: Hi.'),
      p('And one more thing.'), // continues the client's turn
      p(), // an empty paragraph still counts
      p('T: Go on.'),
    ].join('')));
    expect(turns).toEqual([
      { turn: 1, speaker: 'Therapist', text: 'Hello.', line: 1 },
      { turn: 2, speaker: 'Client', text: 'Hi.\nAnd one more thing.', line: 2 },
      { turn: 3, speaker: 'T', text: 'Go on.', line: 5 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a label typed in bold in a run of its own, and a tab after it', async () => {
    const { turns } = await read(docx(p(bold('Therapist:'), ' Welcome back.') + p(bold('Client:'), '<w:r><w:tab/><w:t>Thanks.</w:t></w:r>')));
    expect(turns.map((t) => [t.speaker, t.text])).toEqual([['Therapist', 'Welcome back.'], ['Client', 'Thanks.']]);
  });

  it('reads the paragraphs of table cells in document order', async () => {
    const cell = (text: string) => `<w:tc>${p(text)}</w:tc>`;
    const { turns } = await read(docx(`<w:tbl><w:tr>${cell('T: In a table.')}${cell('C: Me too.')}</w:tr></w:tbl>`));
    expect(turns.map((t) => [t.speaker, t.text, t.line])).toEqual([['T', 'In a table.', 1], ['C', 'Me too.', 2]]);
  });

  it('reports a title before the first label at its paragraph number, and counts it skipped', async () => {
    const { turns, warnings } = await read(docx(p('Session 4') + p() + p('Therapist: Hello.')));
    expect(turns).toHaveLength(1);
    expect(warnings).toMatchObject([{ ruleId: 'text-before-first-speaker', line: 1, skipped: 1 }]);
  });

  it('splits paragraphs, not words: entities and a paragraph per line', async () => {
    expect(await docxParagraphs(docx(p('A &amp; B') + p('C')), 'x.docx')).toEqual(['A & B', 'C']);
  });

  const corrupt: [string, () => Buffer][] = [
    ['random bytes', () => Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256))],
    ['a zip without word/document.xml', () => zip({ '[Content_Types].xml': TYPES, 'hello.txt': 'hi' })],
    ['a text file', () => Buffer.from('Therapist: this is not a docx\n')],
  ];
  it.each(corrupt)('%s → bad-docx with a hint, not a crash', async (_name, bytes) => {
    const d = await errorOf(() => read(bytes()));
    expect(d).toMatchObject({ ruleId: 'bad-docx', severity: 'error', file: 's.docx' });
    expect(d.hint).toMatch(/\.docx/);
  });

  it('a document with no text → empty-transcript', async () => {
    expect(await errorOf(() => read(docx(p()))).then((d) => d.ruleId)).toBe('empty-transcript');
  });
});

describe('readTranscripts, .docx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relcode-docx-'));
  const file = (name: string, content: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const auto: ReadOptions = { inputFormat: 'auto', columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };
  async function readAll(path: string, o: ReadOptions = auto) {
    const out: RawTranscript[] = [];
    for await (const t of readTranscripts(path, o, () => {})) out.push(t);
    return out;
  }

  it('picks .docx by extension and is not stopped by the binary-file check', async () => {
    const [t] = await readAll(file('s1.docx', docx(p('Therapist: Hi.') + p('Client: Hello.'))));
    expect(t).toMatchObject({ id: 's1', turns: [{ speaker: 'Therapist' }, { speaker: 'Client' }] });
  });

  it('--input-format docx reads a docx under another name', async () => {
    const [t] = await readAll(file('export.bin', docx(p('T: Hi.'))), { ...auto, inputFormat: 'docx' });
    expect(t!.turns).toHaveLength(1);
  });

  it('a corrupt .docx is bad-docx, not binary-file', async () => {
    const d = await errorOf(() => readAll(file('broken.docx', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0xff, 0xfe, 1, 2, 3]))));
    expect(d.ruleId).toBe('bad-docx');
  });
});

describe('fixtures/transcripts/intake-docx.docx, through the CLI', () => {
  it('15 turns, Therapist/Client, a continuation paragraph, the title reported at paragraph 1', () => {
    const r = relcode(['code', 'fixtures/transcripts/intake-docx.docx', '--level', 'turn', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(15);
    expect(rows.map((x) => x.turn)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(rows.map((x) => x.speaker)).toEqual(Array.from({ length: 15 }, (_, i) => (i % 2 ? 'Client' : 'Therapist')));
    expect(rows.every((x) => x.role === x.speaker!.toLowerCase())).toBe(true);
    expect(new Set(rows.map((x) => x.transcript))).toEqual(new Set(['intake-docx']));
    expect(rows[7]!.text).toMatch(/^I want to stop snapping.*\nAnd afterwards I just feel ashamed/s);
    // a .docx has no times
    expect(rows.every((x) => x.start === '' && x.end === '')).toBe(true);
    expect(r.stderr).toMatch(/intake-docx\.docx:1: warning: .*\[text-before-first-speaker\]/);
  });

  it('a corrupt .docx exits 2 with the rule id and a hint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relcode-docx-cli-'));
    const path = join(dir, 'corrupt.docx');
    writeFileSync(path, readFileSync(join(ROOT, 'fixtures/transcripts/intake-docx.docx')).subarray(0, 200));
    const r = relcode(['code', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/corrupt\.docx: error: not a readable \.docx file.*\[bad-docx\]\n {2}hint: /);
  });
});
