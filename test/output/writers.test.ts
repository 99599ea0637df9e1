import { once } from 'node:events';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { DimensionInfo } from '../../src/coding/model.js';
import { summarise } from '../../src/coding/aggregate.js';
import {
  matchColumns,
  matchRecords,
  summaryColumns,
  summaryRecord,
  turnColumns,
  turnRecord,
} from '../../src/output/rows.js';
import { createWriter, recordsEncoder, type Format } from '../../src/output/writers.js';
import { dimensions, session, T2_TEXT } from './fixture.js';

/** A slow sink: each chunk lands a tick later, so end() must really wait for it. */
function slowSink(highWaterMark = 16 * 1024) {
  const chunks: string[] = [];
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      setImmediate(() => {
        chunks.push(chunk.toString('utf8'));
        done();
      });
    },
  });
  return { out, chunks, text: () => chunks.join('') };
}

async function render(format: Format, columns: string[], records: Record<string, unknown>[]): Promise<string> {
  const { out, text } = slowSink();
  const writer = createWriter(format, columns, out);
  for (const r of records) writer.write(r);
  await writer.end();
  return text();
}

const turnRows = () => session.turns.map((t) => turnRecord(session, t, dimensions));
const matchRows = () => session.turns.flatMap((t) => matchRecords(session, t));

describe('column names (DESIGN "Outputs")', () => {
  it.each([
    ['summary', summaryColumns(false), 'transcript,dimension,turns,coded_turns,matches,words,per_1000_words'],
    ['summary --by-role', summaryColumns(true), 'transcript,dimension,role,turns,coded_turns,matches,words,per_1000_words'],
    ['turn', turnColumns(dimensions), 'transcript,turn,speaker,role,start,end,words,trust,empathy,warmth,text'],
    ['match', matchColumns(), 'transcript,turn,speaker,role,dimension,indicator,start,end,match,text'],
  ])('%s header', async (_level, columns, header) => {
    const csv = await render('csv', columns, []);
    expect(csv).toBe(header + '\n');
  });
});

describe('CSV', () => {
  it('round-trips turn rows: commas, quotes, line breaks, tabs, emoji, empty times', async () => {
    const csv = await render('csv', turnColumns(dimensions), turnRows());
    const back = parse(csv, { columns: true }) as Record<string, string>[];
    expect(back).toEqual([
      { transcript: 's1', turn: '1', speaker: 'Therapist', role: 'therapist', start: '00:00:01', end: '00:00:05', words: '10', trust: '0', empathy: '0', warmth: '2', text: "Welcome back, it's good to see you. Take your time." },
      { transcript: 's1', turn: '2', speaker: 'Client', role: 'client', start: '', end: '', words: '13', trust: '1', empathy: '0', warmth: '0', text: T2_TEXT },
      { transcript: 's1', turn: '3', speaker: 'Therapist', role: 'therapist', start: '00:00:20', end: '', words: '11', trust: '1', empathy: '1', warmth: '0', text: 'That sounds really painful; thank you for trusting me with it.' },
      { transcript: 's1', turn: '4', speaker: 'Client', role: 'client', start: '', end: '', words: '2', trust: '0', empathy: '0', warmth: '0', text: 'ok\tsure' },
    ]);
  });

  it('ends records with \\n and quotes only fields that need it', async () => {
    const csv = await render('csv', turnColumns(dimensions), turnRows());
    expect(csv).not.toContain('\r');
    expect(csv.endsWith('\n')).toBe(true);
    expect(csv).toContain('\ns1,4,Client,client,,,2,0,0,0,ok\tsure\n');
    expect(csv).toContain('s1,1,Therapist,therapist,00:00:01,00:00:05,10,0,0,2,"Welcome back, it\'s good to see you. Take your time."\n');
    expect(csv).toContain('"I\'ve never told anyone this, ""not even my sister"".\nIt\'s hard 😢 — café"');
  });

  it('round-trips match rows with offsets into the turn text', async () => {
    const csv = await render('csv', matchColumns(), matchRows());
    const back = parse(csv, { columns: true }) as Record<string, string>[];
    expect(back.map((r) => [r.turn, r.dimension, r.start, r.end, r.match])).toEqual([
      ['1', 'warmth', '19', '34', 'good to see you'],
      ['1', 'warmth', '36', '50', 'Take your time'],
      ['2', 'trust', '11', '22', 'told anyone'],
      ['3', 'empathy', '5', '26', 'sounds really painful'],
      ['3', 'trust', '42', '53', 'trusting me'],
    ]);
    for (const r of back) expect(r.text!.slice(Number(r.start), Number(r.end))).toBe(r.match);
    expect(back[2]!.text).toBe(T2_TEXT);
  });

  it('writes summary numbers plainly and a missing rate as an empty cell', async () => {
    const empty = { ...session, id: 'silent', turns: session.turns.map((t) => ({ ...t, words: 0 })) };
    const rows = [...summarise(session, dimensions, false), ...summarise(empty, dimensions, false)];
    const csv = await render('csv', summaryColumns(false), rows.map(summaryRecord));
    const lines = csv.split('\n');
    expect(lines[1]).toBe('s1,trust,4,2,2,36,55.556');
    expect(lines[4]).toBe('silent,trust,4,2,2,0,');
  });

  it('looks up a dimension id with a dot as one column, not a path', async () => {
    const dims: DimensionInfo[] = [{ id: 'trust.client', label: 'Trust (client)' }];
    const t = session.turns[0]!;
    const record = turnRecord(session, { ...t, counts: { 'trust.client': 3 } }, dims);
    const csv = await render('csv', turnColumns(dims), [record]);
    expect(parse(csv, { columns: true })[0]).toMatchObject({ 'trust.client': '3' });
  });
});

describe('TSV', () => {
  it('round-trips with csv-parse delimiter \\t, quoting cells with tabs or line breaks', async () => {
    const tsv = await render('tsv', turnColumns(dimensions), turnRows());
    expect(tsv.split('\n')[0]).toBe('transcript\tturn\tspeaker\trole\tstart\tend\twords\ttrust\tempathy\twarmth\ttext');
    expect(tsv).toContain('s1\t4\tClient\tclient\t\t\t2\t0\t0\t0\t"ok\tsure"\n');
    const back = parse(tsv, { columns: true, delimiter: '\t' }) as Record<string, string>[];
    expect(back.map((r) => r.text)).toEqual(session.turns.map((t) => t.text));
    expect(back[1]).toMatchObject({ start: '', end: '', trust: '1' });
  });
});

describe('JSON and JSONL', () => {
  it('JSON is one array with typed numbers and null for missing times', async () => {
    const json = await render('json', turnColumns(dimensions), turnRows());
    const back = JSON.parse(json) as Record<string, unknown>[];
    expect(back).toHaveLength(4);
    expect(back[1]).toEqual({
      transcript: 's1', turn: 2, speaker: 'Client', role: 'client', start: null, end: null,
      words: 13, trust: 1, empathy: 0, warmth: 0, text: T2_TEXT,
    });
    expect(Object.keys(back[0]!)).toEqual(turnColumns(dimensions));
  });

  it('JSON with zero rows is []', async () => {
    const json = await render('json', matchColumns(), []);
    expect(JSON.parse(json)).toEqual([]);
  });

  it('JSON summary keeps a null rate as null', async () => {
    const empty = { ...session, turns: [] };
    const rows = summarise(empty, dimensions, false).map(summaryRecord);
    const back = JSON.parse(await render('json', summaryColumns(false), rows)) as Record<string, unknown>[];
    expect(back[0]).toEqual({ transcript: 's1', dimension: 'trust', turns: 0, coded_turns: 0, matches: 0, words: 0, per_1000_words: null });
  });

  it('JSONL writes one object per line, text line breaks escaped', async () => {
    const jsonl = await render('jsonl', matchColumns(), matchRows());
    const lines = jsonl.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(5);
    const back = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(back[2]).toMatchObject({ turn: 2, dimension: 'trust', start: 11, end: 22, match: 'told anyone', text: T2_TEXT });
  });

  it('JSONL with zero rows is empty', async () => {
    expect(await render('jsonl', matchColumns(), [])).toBe('');
  });
});

describe('streaming', () => {
  it.each<Format>(['csv', 'tsv', 'json', 'jsonl', 'table'])('%s: end() resolves after a slow, full sink took every row', async (format) => {
    const { out, text } = slowSink(64);
    const writer = createWriter(format, ['n', 'text'], out, { width: 200 });
    for (let n = 1; n <= 300; n++) {
      writer.write({ n, text: `row ${n}` });
      if (n % 50 === 0) await writer.drained();
    }
    await writer.end();
    expect(text()).toContain('row 300');
    expect(text().match(/row \d+/g)).toHaveLength(300);
  });

  it('drained() resolves when the sink drained before it was asked', async () => {
    const { out } = slowSink(8);
    const writer = createWriter('jsonl', ['n'], out);
    // longer than the writer holds back, so it goes to `out` at once
    writer.write({ n: 'x'.repeat(100_000) });
    expect(out.writableNeedDrain).toBe(true);
    await once(out, 'drain');
    await writer.drained();
    await writer.end();
  });

  it('leaves the output stream open for the caller', async () => {
    const { out } = slowSink();
    const writer = createWriter('csv', ['n'], out);
    writer.write({ n: 1 });
    await writer.end();
    expect(out.writableEnded).toBe(false);
  });
});

// The writers hold records back into chunks of up to 64 KB: few writes to `out`, each of whole records.
const row = (n: number) => ({ n, text: `turn ${n}, "quoted"\n${'x'.repeat(n % 100)}` });
const expected = (rows: number) =>
  'n,text\n' + Array.from({ length: rows }, (_, i) => `${i + 1},"turn ${i + 1}, ""quoted""\n${'x'.repeat((i + 1) % 100)}"\n`).join('');

describe('CSV/TSV writes in chunks', () => {
  it('20,000 records go out in a few chunks of whole records, in order', async () => {
    const { out, chunks } = slowSink();
    const writer = createWriter('csv', ['n', 'text'], out);
    for (let n = 1; n <= 20_000; n++) writer.write(row(n));
    await writer.end();
    expect(chunks.join('')).toBe(expected(20_000));
    chunks.pop(); // end()'s empty write, to know when out took the rest
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(40); // about 1.4 MB in chunks of nearly 64 KB
    // a chunk goes out when the next record might not fit: at most 3 bytes a character of a 130-character record short
    for (const c of chunks) expect((Buffer.byteLength(c) > 64 * 1024 - 400 && Buffer.byteLength(c) <= 64 * 1024) || c === chunks.at(-1)).toBe(true);
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
  });

  // text is encoded into the chunk as it comes: a character of 2, 3 or 4 bytes must never be cut at a chunk's end
  it('multi-byte text goes out whole across many chunks', async () => {
    const { out, text } = slowSink();
    const writer = createWriter('jsonl', ['n', 'text'], out);
    const record = (n: number) => ({ n, text: `é€😀 ${'ü'.repeat(n % 300)}` });
    for (let n = 1; n <= 5_000; n++) writer.write(record(n));
    await writer.end();
    expect(text()).toBe(Array.from({ length: 5_000 }, (_, i) => JSON.stringify(record(i + 1)) + '\n').join(''));
  });

  it('end() writes the records held back and resolves after out took them', async () => {
    const { out, chunks } = slowSink();
    const writer = createWriter('tsv', ['n', 'text'], out);
    writer.write({ n: 1, text: 'one' });
    expect(chunks).toEqual([]);
    await writer.end();
    expect(chunks.join('')).toBe('n\ttext\n1\tone\n');
    expect(out.writableEnded).toBe(false);
  });

  it('drained() waits while a full out drains, then resolves', async () => {
    const { out, chunks } = slowSink(1024);
    const writer = createWriter('csv', ['n', 'text'], out);
    let drains = 0;
    out.on('drain', () => drains++);
    let n = 0;
    while (!out.writableNeedDrain) writer.write(row(++n));
    const before = drains;
    await writer.drained();
    expect(drains).toBe(before + 1);
    expect(out.writableNeedDrain).toBe(false);
    await writer.drained(); // nothing pending: resolves at once
    await writer.end();
    expect(chunks.join('')).toBe(expected(n));
  });
});

// Workers encode a transcript's records and the main thread writes the bytes: the same file as writing the records.
describe('records encoded elsewhere', () => {
  it.each(['csv', 'tsv', 'json', 'jsonl'] as const)('%s: writeEncoded of each group, an empty one among them, equals write of each record', async (format) => {
    const columns = ['n', 'text'];
    const groups = [[row(1), row(2)], [], [row(3)], [row(4), row(5), row(6)]];
    const encoded = slowSink();
    const encoding = createWriter(format, columns, encoded.out);
    const encode = recordsEncoder(format, columns);
    for (const g of groups) encoding.writeEncoded(encode(g), g.length);
    await encoding.end();
    expect(encoded.text()).toBe(await render(format, columns, groups.flat()));
    if (format === 'json') expect(JSON.parse(encoded.text())).toHaveLength(6);
  });
});
