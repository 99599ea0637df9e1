/**
 * REFI-QDA projects (.qdpx) as transcripts: one per text source, its plain
 * text split into turns by the text reader, the transcript id being the
 * source's name without a document extension. Turns are numbered 1.. in order.
 */
import { diagnostic, type Report } from '../../diagnostics.js';
import { loadProject, readProject, type QdaProject } from '../../qda/project.js';
import { splitProjectSource } from '../../qda/turns.js';
import type { RawTranscript } from '../model.js';
import type { RolePatterns } from '../roles.js';

export interface QdpxReadOptions {
  rolePatterns: RolePatterns;
}

export async function* readQdpx(path: string, options: QdpxReadOptions, report: Report): AsyncGenerator<RawTranscript> {
  yield* transcriptsOf(await loadProject(path, report), path, options, report);
}

/** The same, from bytes already read (e.g. stdin); `path` names the file. */
export function* readQdpxBytes(bytes: Uint8Array, path: string, options: QdpxReadOptions, report: Report): Generator<RawTranscript> {
  yield* transcriptsOf(readProject(bytes, path === '-' ? '<stdin>' : path, report), path, options, report);
}

function* transcriptsOf(project: QdaProject, path: string, options: QdpxReadOptions, report: Report): Generator<RawTranscript> {
  const file = project.file;
  for (const source of project.sources) {
    const split = splitProjectSource(source, file, report, (d) =>
      report(diagnostic('warning', d.ruleId, { file }, `source "${source.name}" (${source.guid}): ${d.message}; skipped`, d.hint)),
      options.rolePatterns,
    );
    if (split) yield { ...split.transcript, source: path };
  }
}
