/**
 * Codes one file for the pool (pool.ts), on a worker thread or on the main
 * thread: reads it, codes each transcript, and hands back every diagnostic and
 * coded transcript (or its records, encoded) as plain data, in the order they
 * happen, then `done`, or the error that stopped the file.
 */
import { loadCodebook } from '../codebook/load.js';
import type { Codebook } from '../codebook/model.js';
import type { Report } from '../diagnostics.js';
import { codedTurns, columnsFor, transcriptRecords } from '../output/rows.js';
import { recordsEncoder } from '../output/writers.js';
import { readTranscripts } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';
import { codeTranscript } from './code.js';
import type { CodedTranscript } from './model.js';
import { toWire, type Job, type RenderSetup, type Reply, type WorkerSetup } from './wire.js';
import { compileCodebook } from './tagger.js';

/** Where a coder's replies go; `transfer` lists buffers that move rather than copy. */
export type Post = (reply: Reply, transfer?: ArrayBuffer[]) => void;

/** A coder for `setup`; `codebook`, when given, is `setup.codebook` already loaded. */
export function fileCoder(setup: WorkerSetup, codebook?: Codebook): (job: Job, post: Post) => Promise<void> {
  const ready = (codebook ? Promise.resolve(codebook) : loadCodebook(setup.codebook)).then(async (codebook) => ({
    codebook,
    compiled: compileCodebook(codebook),
    render: setup.render && (await renderer(setup.render, codebook)),
  }));
  // A load failure is posted with the first file; keep it from counting as unhandled meanwhile.
  ready.catch(() => undefined);

  return async ({ file, path }, post) => {
    try {
      const { codebook, compiled, render } = await ready;
      const report: Report = (diagnostic) => post({ kind: 'diagnostic', file, diagnostic });
      const read = { ...setup.read, rolePatterns: codebook.roles };
      for await (const raw of readTranscripts(path, read, report)) {
        const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, setup.roles, report));
        if (!render) post({ kind: 'transcript', file, transcript: coded });
        else {
          const encoded = render(coded);
          // from a worker the bytes move to the main thread, not copied: it only writes them
          post({ kind: 'encoded', file, ...encoded }, [encoded.bytes.buffer as ArrayBuffer]);
        }
      }
      post({ kind: 'done', file });
    } catch (err) {
      post({ kind: 'error', file, error: toWire(err) });
    }
  };
}

/** A coded transcript → its records as text, as `runCode` writes them in one thread (redacted if asked). */
async function renderer(r: RenderSetup, codebook: Codebook) {
  const dimensions = codebook.dimensions.map((d) => ({ id: d.id, label: d.label }));
  const records = transcriptRecords(r.level, r.byRole, dimensions);
  const encode = recordsEncoder(r.format, columnsFor(r.level, r.byRole, dimensions), { raw: r.rawCells });
  const redaction = r.redact ? await import('../redact/transcript.js') : undefined;
  const names = redaction && r.redact?.names !== undefined ? await redaction.readNamesFile(r.redact.names) : [];
  return (coded: CodedTranscript) => {
    const rows = records(redaction ? redaction.redactTranscript(coded, names) : coded);
    return { bytes: encode(rows), records: rows.length, turns: coded.turns.length, codedTurns: codedTurns(coded) };
  };
}
