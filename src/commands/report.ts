/**
 * `relcode report`: codes the transcripts one at a time, as `relcode code`
 * does, folds each into the report's aggregates (and, with `--human`, into the
 * comparison), then draws one self-contained HTML page.
 */
import { readFileSync } from 'node:fs';
import { readCoding } from '../agreement/coding.js';
import { DEFAULT_CODEBOOK, loadCodebook } from '../codebook/load.js';
import { codeTranscript } from '../coding/code.js';
import { compileCodebook } from '../coding/tagger.js';
import { diagnostic, type Report } from '../diagnostics.js';
import { AgreementCollector } from '../report/agreement.js';
import { ReportCollector } from '../report/collect.js';
import type { ReportData } from '../report/model.js';
import { renderReport } from '../report/page.js';
import { redactTranscript } from '../redact/transcript.js';
import type { Role } from '../transcript/model.js';
import { expandInputs, readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';

export interface ReportOptions {
  inputs: string[];
  codebook?: string;
  /** a human coding (long or turn-level CSV) to show agreement against */
  human?: string;
  redact: boolean;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
  /** excerpts per dimension */
  excerpts: number;
  /** the report's date; today when not given */
  now?: Date;
  /** timelines drawn, for the first transcripts (default 50) */
  timelines?: number;
  /** disagreements shown with their text (default 30) */
  disagreements?: number;
}

export const DEFAULT_TIMELINES = 50;
export const DEFAULT_DISAGREEMENTS = 30;

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** The report's data: everything the page shows, and nothing else of the transcripts. */
export async function buildReport(options: ReportOptions, report: Report): Promise<ReportData> {
  const codebook = await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK);
  const compiled = compileCodebook(codebook);
  const ids = codebook.dimensions.map((d) => d.id);
  // the human coding first: a bad file fails before the corpus is coded
  const human = options.human === undefined ? undefined : await readCoding(options.human, { dimensions: ids });
  const files = await expandInputs(options.inputs);
  const readOptions: ReadOptions = { ...options.read, rolePatterns: codebook.roles };
  const collector = new ReportCollector(codebook.dimensions, { excerpts: options.excerpts, timelines: options.timelines ?? DEFAULT_TIMELINES });
  const agreement = human && new AgreementCollector(human, codebook.dimensions.map((d) => ({ id: d.id, roles: d.roles })), options.disagreements ?? DEFAULT_DISAGREEMENTS);
  const seen = new Map<string, string>();

  for (const file of files) {
    for await (const raw of readTranscripts(file, readOptions, report)) {
      const first = seen.get(raw.id);
      if (first !== undefined) {
        report(diagnostic('warning', 'duplicate-transcript', { file }, `transcript "${raw.id}" was also read from ${first}; the report shows both under one name`,
          'transcript ids (file names, or the transcript column) should be unique'));
      } else seen.set(raw.id, file);
      const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, options.roles, report));
      // redaction changes only the text and speakers shown (matches move along); counts stay those of the original
      const shown = options.redact ? redactTranscript(coded) : coded;
      collector.add(shown);
      agreement?.add(shown);
    }
  }

  const collected = collector.result();
  const agreementData = agreement?.result(report);
  return {
    codebook: { name: codebook.name, version: codebook.version, file: codebook.file },
    tool: { name: pkg.name, version: pkg.version },
    date: (options.now ?? new Date()).toISOString().slice(0, 10),
    dimensions: codebook.dimensions.map((d) => ({ id: d.id, label: d.label, definition: d.definition })),
    files: files.length,
    ...collected,
    redacted: options.redact,
    ...(agreementData ? { agreement: agreementData } : {}),
  };
}

/** One self-contained HTML document. */
export async function runReport(options: ReportOptions, report: Report): Promise<string> {
  return renderReport(await buildReport(options, report));
}
