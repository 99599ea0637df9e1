/**
 * The CSV/TSV writer is hand-written for speed; its bytes must be the bytes
 * csv-stringify writes with the options relcode used before (the reference
 * below), for every record: hostile text, every number, null and undefined, and
 * the other values csv-stringify casts (booleans, bigint, Date, objects), in
 * the header too, over the 64 KB chunk boundaries, csv and tsv, raw and guarded.
 */
import fc from 'fast-check';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../src/output/writers.js';

const RUNS = Number(process.env.RELCODE_RUNS ?? 300);

type Delimited = 'csv' | 'tsv';
type Row = Record<string, unknown>;

/** The writer as it was: csv-stringify's stream, configured exactly so. */
async function reference(format: Delimited, columns: string[], rows: Row[], raw: boolean): Promise<Buffer> {
  const stringifier = stringify({
    delimiter: format === 'csv' ? ',' : '\t',
    escape_formulas: !raw,
    record_delimiter: '\n',
    quote_record_delimiter: true,
    header: true,
    columns: columns.map((c) => ({ key: c, header: c })),
  });
  const chunks: Buffer[] = [];
  stringifier.on('data', (b: Buffer) => chunks.push(b));
  for (const r of rows) stringifier.write(columns.map((c) => r[c]));
  stringifier.end();
  await once(stringifier, 'end');
  return Buffer.concat(chunks);
}

async function written(format: Delimited, columns: string[], rows: Row[], raw: boolean): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  const w = createWriter(format, columns, out, {}, { raw });
  for (const r of rows) w.write(r);
  await w.end();
  return Buffer.concat(chunks);
}

async function same(format: Delimited, columns: string[], rows: Row[], raw: boolean): Promise<void> {
  const [got, want] = await Promise.all([written(format, columns, rows, raw), reference(format, columns, rows, raw)]);
  // as text first, for a readable diff; then the bytes (lone surrogates included)
  expect(got.toString('utf8')).toBe(want.toString('utf8'));
  expect(got.equals(want)).toBe(true);
}

const SPECIAL = ['=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', '""', ',', ';', "'", ' ', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '😀', 'é', '\u2028', '\uD800', 'a', '1', '-0.5', '0', ''];
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.constantFrom(...SPECIAL), { maxLength: 8 }).map((xs) => xs.join('')),
);
const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(), // NaN, ±Infinity, -0, 1e+21, 5e-324 …
  fc.double({ min: -1, max: 1, noNaN: true }).map((x) => Number(x.toFixed(3))),
);
/** What the commands write (text, numbers, null, a missing key), then what csv-stringify also casts. */
const value = fc.oneof(
  { arbitrary: text, weight: 6 },
  { arbitrary: number, weight: 4 },
  { arbitrary: fc.constantFrom(null, undefined), weight: 2 },
  { arbitrary: fc.oneof(fc.boolean(), fc.bigInt(), fc.date(), fc.jsonValue({ maxDepth: 2 })), weight: 1 },
);
/**
 * Column names as a codebook may give dimension ids. csv-stringify refuses an empty key, and
 * a missing `toString` would be looked up on Object.prototype by both writers (see prototype-words).
 */
const columns = fc.uniqueArray(fc.oneof(fc.constantFrom('transcript', 'turn', 'trust.client', 'text'), text.filter((s) => s !== '' && !(s in {}))), { minLength: 1, maxLength: 6 });
const table = columns.chain((cols) =>
  fc.tuple(fc.constant(cols), fc.array(fc.dictionary(fc.constantFrom(...cols), value), { maxLength: 8 })),
);

describe('the CSV/TSV writer writes the bytes csv-stringify wrote', () => {
  for (const format of ['csv', 'tsv'] as const) {
    for (const raw of [false, true]) {
      const name = `${format}${raw ? ' --raw-cells' : ' (formula guard)'}`;

      it(`${name}: generated tables`, async () => {
        let rows = 0;
        await fc.assert(
          fc.asyncProperty(table, async ([cols, records]) => {
            await same(format, cols, records, raw);
            rows += records.length;
          }),
          { numRuns: RUNS },
        );
        console.info(`csv equivalence, ${name}: ${RUNS} generated tables, ${rows} rows`);
      });

      it(`${name}: edge cells one by one`, async () => {
        const cells: unknown[] = [
          ...SPECIAL, '=1+2', '-2+3', '\tTAB', '\rCR', 'a\rb', 'a\nb', 'a"b', '"', 'a,b', 'a\tb', "'x",
          0, -0, -1, 1.5, -0.125, NaN, Infinity, -Infinity, 1e21, -1e-7, 10n, -10n,
          true, false, null, undefined, new Date(0), new Date(-1), new Date(Number.NaN),
          { a: 1 }, ['-x', 'y'], [], '-', -5, { toJSON: () => undefined },
        ];
        await same(format, ['c'], cells.map((c) => ({ c })), raw);
        await same(format, ['text', 'kappa'], cells.map((c, i) => ({ text: c, kappa: -0.12 * (i + 1) })), raw);
      });
    }

    it(`${format}: many rows across the 64 KB chunks`, async () => {
      const cols = ['transcript', 'turn', 'speaker', 'role', 'words', 'trust', 'text'];
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        transcript: `s${i % 7}`, turn: i, speaker: i % 2 ? 'Client' : 'Therapist', role: i % 3 ? null : 'client', words: i * 3,
        trust: i % 5, text: `turn ${i}: "quoted", tab\there, ${'é😀'.repeat(i % 40)}${i % 11 ? '' : '\r\n-and more'}`,
      }));
      await same(format, cols, rows, false);
      await same(format, cols, rows, true);
    });
  }

  it('header only, when no record is written', async () => {
    await same('csv', ['transcript', '=cmd', 'a,b', 'x"y'], [], false);
    await same('tsv', ['transcript', '=cmd', 'a\tb'], [], true);
  });
});
