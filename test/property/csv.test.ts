/**
 * CSV/TSV round trips: rows written with relcode's writers and read back with
 * csv-parse are the rows written, cell for cell: exactly with --raw-cells, and
 * with the formula guard the read-back text is the guarded text (a leading `'`
 * on = + - @ tab CR), while numbers, negative ones too, are untouched.
 * JSON and JSONL give the values back as they were.
 */
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createWriter, escapeFormula } from '../../src/output/writers.js';

const RUNS = Number(process.env.RELCODE_RUNS ?? 300);
const COLUMNS = ['transcript', 'turn', 'kappa', 'note', 'text'];

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
  fc.array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', ',', ';', "'", ' ', '\uFF1D', '😀', 'a', '1', '-0.5'), { maxLength: 8 }).map((xs) => xs.join('')),
);
const row = fc.record({
  transcript: hostile,
  turn: fc.integer({ min: -5, max: 100000 }),
  kappa: fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(null)),
  note: fc.oneof(hostile, fc.constant(null)),
  text: hostile,
});

async function write(format: 'csv' | 'tsv' | 'json' | 'jsonl', rows: Record<string, unknown>[], raw: boolean): Promise<string> {
  const out = new PassThrough();
  let s = '';
  out.on('data', (b: Buffer) => (s += b.toString('utf8')));
  const w = createWriter(format, COLUMNS, out, {}, { raw });
  for (const r of rows) w.write(r);
  await w.end();
  return s;
}

/** A cell as csv-parse gives it back: numbers as written by String(), null as empty, text guarded unless raw. */
const cell = (v: unknown, raw: boolean) => (v === null ? '' : typeof v === 'number' ? String(v) : raw ? (v as string) : escapeFormula(v as string));

describe('CSV and TSV written by relcode read back with csv-parse', () => {
  for (const format of ['csv', 'tsv'] as const) {
    for (const raw of [false, true]) {
      it(`${format}${raw ? ' --raw-cells' : ' (formula guard)'}`, async () => {
        let cells = 0;
        let guarded = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
            const text = await write(format, rows, raw);
            const back = parse(text, { columns: true, delimiter: format === 'csv' ? ',' : '\t', bom: false }) as Record<string, string>[];
            expect(back).toEqual(rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, cell(r[c as keyof typeof r], raw)]))));
            for (const r of rows) {
              cells += COLUMNS.length;
              for (const c of COLUMNS) if (typeof r[c as keyof typeof r] === 'string' && escapeFormula(r[c as keyof typeof r] as string) !== r[c as keyof typeof r]) guarded++;
            }
          }),
          { numRuns: RUNS },
        );
        console.info(`csv round trip, ${format}${raw ? ' raw' : ''}: ${RUNS} generated tables, ${cells} cells (${guarded} starting with a formula character)`);
      });
    }
  }

  it('json and jsonl give every value back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
        const json = JSON.parse(await write('json', rows, false)) as unknown[];
        const jsonl = (await write('jsonl', rows, false)).split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
        const want = rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, Object.is(r[c as keyof typeof r], -0) ? 0 : r[c as keyof typeof r]])));
        expect(json).toEqual(want);
        expect(jsonl).toEqual(want);
      }),
      { numRuns: RUNS },
    );
  });
});
