/**
 * `relcode explain`: why one turn was, or was not, coded for each dimension —
 * the indicators that matched, and every candidate that a rule dropped.
 */
import { DEFAULT_CODEBOOK, loadCodebook } from '../codebook/load.js';
import type { Indicator } from '../codebook/model.js';
import { codeTranscript } from '../coding/code.js';
import { codeText, compileCodebook, type Candidate, type DropReason, type ModelHit } from '../coding/tagger.js';
import { contributions, type Contribution } from '../learn/model.js';
import { dropReason } from '../coding/drop-reason.js';
import { fail, type Report } from '../diagnostics.js';
import type { RawTranscript, Role, Transcript } from '../transcript/model.js';
import { readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';

export interface ExplainOptions {
  file: string;
  turn: number;
  transcript?: string;
  dimension?: string;
  codebook?: string;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
}

export interface ExplainedCandidate {
  indicator: string;
  line: number;
  match: string;
  start: number;
  end: number;
  weight: number;
}

export interface ExplainedDrop extends ExplainedCandidate {
  reason: DropReason['reason'];
  /** the rule's finding in words */
  why: string;
  detail: DropReason;
}

/** A model indicator's verdict: its probability, and the features that pushed it up most. */
export interface ExplainedModel {
  indicator: string;
  line: number;
  probability: number;
  threshold: number;
  reached: boolean;
  /** reached, and not dropped by the dimension's context or threshold */
  counted: boolean;
  why?: string;
  intercept: number;
  /** weight × value per feature, largest first */
  contributions: Contribution[];
}

/** Contributions shown per model. */
const TOP_CONTRIBUTIONS = 8;

export interface ExplainedDimension {
  id: string;
  label: string;
  coded: boolean;
  roles: Role[];
  threshold?: number;
  matched: ExplainedCandidate[];
  dropped: ExplainedDrop[];
  /** model indicators run on the turn */
  models: ExplainedModel[];
}

export interface ExplainReport {
  codebook: string;
  transcript: string;
  turn: { turn: number; speaker: string; role: Role; text: string };
  previous?: { turn: number; speaker: string; role: Role };
  dimensions: ExplainedDimension[];
}

export async function runExplain(options: ExplainOptions, report: Report): Promise<ExplainReport> {
  const codebook = await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK);
  const compiled = compileCodebook(codebook);
  if (options.dimension && !codebook.dimensions.some((d) => d.id === options.dimension)) {
    fail('unknown-dimension', { file: '<command line>' }, `no dimension "${options.dimension}" in ${codebook.file}`, `dimensions are: ${codebook.dimensions.map((d) => d.id).join(', ')}`);
  }
  const transcript = await findTranscript(options, codebook.roles, report);
  const index = transcript.turns.findIndex((t) => t.turn === options.turn);
  if (index < 0) {
    const turns = transcript.turns;
    fail('no-such-turn', { file: options.file }, `transcript "${transcript.id}" has no turn ${options.turn}`, `its turns are ${turns[0]?.turn}..${turns[turns.length - 1]?.turn}`);
  }
  // Code the turns before it, so context rules see the previous turn as `code` does.
  const before = codeTranscript(compiled, { ...transcript, turns: transcript.turns.slice(0, index) }).turns;
  const prev = before[before.length - 1];
  const turn = transcript.turns[index]!;
  const coding = codeText(compiled, turn.text, turn.role, prev);

  const dimensions = codebook.dimensions
    .map((d, dim): ExplainedDimension => {
      const mine = coding.candidates.filter((c) => c.dim === dim);
      const hits = coding.models.filter((h) => h.dim === dim);
      const whole = (h: ModelHit): ExplainedCandidate => ({ indicator: h.indicator.source, line: h.indicator.line, match: turn.text, start: 0, end: turn.text.length, weight: h.indicator.weight });
      return {
        id: d.id,
        label: d.label,
        coded: (coding.counts[d.id] ?? 0) > 0,
        roles: d.roles,
        ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
        matched: [...mine.filter((c) => !c.dropped).map((c) => candidate(c, turn.text)), ...hits.filter((h) => h.reached && !h.dropped).map(whole)],
        dropped: [
          ...mine.filter((c) => c.dropped).map((c) => ({ ...candidate(c, turn.text), reason: c.dropped!.reason, why: dropReason(c.dropped!, c.indicator), detail: c.dropped! })),
          ...hits.filter((h) => h.dropped).map((h) => ({ ...whole(h), reason: h.dropped!.reason, why: dropReason(h.dropped!, h.indicator), detail: h.dropped! })),
        ],
        models: hits.map((h) => ({
          indicator: h.indicator.source,
          line: h.indicator.line,
          probability: h.probability,
          threshold: h.indicator.threshold,
          reached: h.reached,
          counted: h.reached && !h.dropped,
          ...(h.dropped ? { why: dropReason(h.dropped, h.indicator) } : {}),
          intercept: h.indicator.model.intercept,
          contributions: contributions(h.indicator.model, h.features).slice(0, TOP_CONTRIBUTIONS),
        })),
      };
    })
    .filter((d) => !options.dimension || d.id === options.dimension);

  return {
    codebook: codebook.file,
    transcript: transcript.id,
    turn: { turn: turn.turn, speaker: turn.speaker, role: turn.role, text: turn.text },
    ...(prev ? { previous: { turn: prev.turn, speaker: prev.speaker, role: prev.role } } : {}),
    dimensions,
  };
}

async function findTranscript(options: ExplainOptions, rolePatterns: ReadOptions['rolePatterns'], report: Report): Promise<Transcript> {
  const seen: string[] = [];
  let found: RawTranscript | undefined;
  for await (const raw of readTranscripts(options.file, { ...options.read, rolePatterns }, report)) {
    seen.push(raw.id);
    if (options.transcript === undefined ? seen.length === 1 : raw.id === options.transcript) found = raw;
    if (options.transcript !== undefined && found) break;
  }
  if (options.transcript === undefined && seen.length > 1) {
    fail('ambiguous-transcript', { file: options.file }, `the file holds ${seen.length} transcripts`, `choose one with --transcript ID (${listed(seen)})`);
  }
  if (!found) fail('no-such-transcript', { file: options.file }, `no transcript "${options.transcript}" in the file`, `transcripts: ${listed(seen)}`);
  return resolveRoles(found, rolePatterns, options.roles, report);
}

function listed(ids: string[]): string {
  return ids.slice(0, 10).join(', ') + (ids.length > 10 ? ', …' : '');
}

function candidate(c: Candidate, text: string): ExplainedCandidate {
  return { indicator: c.indicator.source, line: c.indicator.line, match: text.slice(c.start, c.end), start: c.start, end: c.end, weight: c.indicator.weight };
}
