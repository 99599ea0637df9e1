/**
 * `relcode code`: read → turns → code → aggregate → write, one transcript at a time.
 * Writes data to `out` only; every diagnostic goes through `report`.
 */
import { loadCodebook, DEFAULT_CODEBOOK } from '../codebook/load.js';
import { summarise } from '../coding/aggregate.js';
import { codeTranscript } from '../coding/code.js';
import type { CodedTranscript, DimensionInfo, SummaryRow } from '../coding/model.js';
import { compileCodebook } from '../coding/tagger.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { matchColumns, matchRecords, summaryColumns, summaryRecord, turnColumns, turnRecord } from '../output/rows.js';
import { ExcerptCollector, renderSummaryTable } from '../output/table.js';
import { createWriter, type Format } from '../output/writers.js';
import { createQdpxSink, type QdpxSink } from '../output/qdpx.js';
import { expandInputs, readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';
import type { Role } from '../transcript/model.js';

import type { Level } from '../choices.js';

export interface CodeOptions {
  inputs: string[];
  codebook?: string;
  level: Level;
  format: Format | 'qdpx';
  /** with format qdpx: a selection per coded turn, or per match */
  qdpxUnit?: 'turn' | 'match';
  byRole: boolean;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
  /** excerpts per dimension in the table view */
  excerpts: number;
  color: boolean;
  width: number;
}

export interface CodeTotals {
  files: number;
  transcripts: number;
  turns: number;
  codedTurns: number;
  /** input rows or lines that readers left out, each reported as a warning */
  skipped: number;
}

export async function runCode(options: CodeOptions, out: NodeJS.WritableStream, reportTo: Report): Promise<CodeTotals> {
  const codebook = await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK);
  const compiled = compileCodebook(codebook);
  const dimensions: DimensionInfo[] = codebook.dimensions.map((d) => ({ id: d.id, label: d.label }));
  const files = await expandInputs(options.inputs);
  const readOptions: ReadOptions = { ...options.read, rolePatterns: codebook.roles };
  const sink = options.format === 'qdpx' ? qdpxSink(createQdpxSink(codebook, options.qdpxUnit ?? 'turn'), out) : createSink({ ...options, format: options.format }, dimensions, out);
  const totals: CodeTotals = { files: files.length, transcripts: 0, turns: 0, codedTurns: 0, skipped: 0 };
  const report: Report = (d) => {
    totals.skipped += d.skipped ?? 0;
    reportTo(d);
  };

  for (const file of files) {
    for await (const raw of readTranscripts(file, readOptions, report)) {
      const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, options.roles, report));
      totals.transcripts++;
      totals.turns += coded.turns.length;
      totals.codedTurns += coded.turns.filter((t) => Object.values(t.counts).some((n) => n > 0)).length;
      await sink.add(coded);
    }
  }
  await sink.end();
  report(
    diagnostic('info', 'totals', { file: 'relcode' },
      `coded ${count(totals.turns, 'turn')} in ${count(totals.transcripts, 'transcript')}; ` +
        `${count(totals.codedTurns, 'turn')} coded for at least one dimension; ` +
        `${count(totals.skipped, 'input row or line', 'input rows or lines')} skipped${totals.skipped ? ' (see the warnings above)' : ''}`),
  );
  return totals;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

interface Sink {
  add(t: CodedTranscript): Promise<void>;
  end(): Promise<void>;
}

function qdpxSink(qdpx: QdpxSink, out: NodeJS.WritableStream): Sink {
  return {
    add: async (t) => qdpx.add(t),
    end: async () => {
      out.write(qdpx.end());
    },
  };
}

function createSink(options: CodeOptions & { format: Format }, dimensions: DimensionInfo[], out: NodeJS.WritableStream): Sink {
  const table = { color: options.color, width: options.width };
  if (options.level === 'summary' && options.format === 'table') {
    // The summary view needs every transcript's rows and the best excerpts: both stay small.
    const rows: SummaryRow[] = [];
    const excerpts = new ExcerptCollector(dimensions, options.excerpts);
    return {
      add: async (t) => {
        rows.push(...summarise(t, dimensions, options.byRole));
        excerpts.add(t);
      },
      end: async () => {
        out.write(renderSummaryTable(rows, excerpts.result(), dimensions, { ...table, byRole: options.byRole }));
      },
    };
  }
  const columns =
    options.level === 'summary' ? summaryColumns(options.byRole) : options.level === 'turn' ? turnColumns(dimensions) : matchColumns();
  const writer = createWriter(options.format, columns, out, table);
  const records = (t: CodedTranscript) =>
    options.level === 'summary'
      ? summarise(t, dimensions, options.byRole).map(summaryRecord)
      : options.level === 'turn'
        ? t.turns.map((turn) => turnRecord(t, turn, dimensions))
        : t.turns.flatMap((turn) => matchRecords(t, turn));
  return {
    add: async (t) => {
      for (const r of records(t)) writer.write(r);
      await writer.drained();
    },
    end: () => writer.end(),
  };
}
