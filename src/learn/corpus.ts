/**
 * A coded corpus for learning: every turn of the transcripts, the codebook's
 * coding of it (phrases and regexes only), and the human coding. Human-coded
 * units that are not turns of the corpus are errors, as in `codebook test --gold`.
 */
import { readCoding, splitUnitKey, unitKey, type Coding } from '../agreement/coding.js';
import { DEFAULT_CODEBOOK, didYouMean, loadCodebook } from '../codebook/load.js';
import type { Codebook, Dimension } from '../codebook/model.js';
import { codeTranscript } from '../coding/code.js';
import type { Match } from '../coding/model.js';
import { compileCodebook, type CompiledCodebook } from '../coding/tagger.js';
import { diagnostic, fail, InputError, type Diagnostic, type Report } from '../diagnostics.js';
import { stem } from '../text/stem.js';
import { tokenize, type TokenizedText } from '../text/tokenize.js';
import type { Role } from '../transcript/model.js';
import { expandInputs, readTranscripts, type ReadOptions } from '../transcript/read.js';
import { resolveRoles } from '../transcript/roles.js';

export interface CorpusOptions {
  /** the human coding: long or turn-level CSV */
  human: string;
  inputs: string[];
  codebook?: string;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
}

export interface CorpusTurn {
  transcript: string;
  turn: number;
  speaker: string;
  role: Role;
  text: string;
  tokenized: TokenizedText;
  stems: string[];
  /** the codebook's surviving matches per dimension */
  counts: Record<string, number>;
  matches: Match[];
  /** dimensions the human coder coded it for */
  human: ReadonlySet<string>;
  /** the turn before, as context rules and the model's features see it */
  previous?: { role: Role; text: string; counts: Record<string, number> };
}

export interface Corpus {
  /** the codebook without its model indicators */
  codebook: Codebook;
  compiled: CompiledCodebook;
  human: Coding;
  transcripts: { id: string; turns: CorpusTurn[] }[];
}

const MAX_ERRORS = 20;
const NONE: ReadonlySet<string> = new Set();

/** A codebook's phrases and regexes only: what learning starts from, and what a model's `hits:` features count. */
export function withoutModels(codebook: Codebook): Codebook {
  return { ...codebook, dimensions: codebook.dimensions.map(({ models: _models, ...d }): Dimension => d) };
}

export async function loadCorpus(options: CorpusOptions, report: Report): Promise<Corpus> {
  const codebook = withoutModels(await loadCodebook(options.codebook ?? DEFAULT_CODEBOOK));
  const compiled = compileCodebook(codebook);
  const human = await readCoding(options.human, { dimensions: codebook.dimensions.map((d) => d.id) });
  const transcripts: Corpus['transcripts'] = [];
  const sources = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const file of await expandInputs(options.inputs)) {
    for await (const raw of readTranscripts(file, { ...options.read, rolePatterns: codebook.roles }, report)) {
      if (sources.has(raw.id)) {
        problems.push(diagnostic('error', 'duplicate-transcript', { file }, `transcript "${raw.id}" is also read from ${sources.get(raw.id)}`,
          'transcript ids (file names, or the transcript column) must be unique: the human coding names turns by them'));
        continue;
      }
      sources.set(raw.id, file);
      const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, options.roles, report));
      const turns = coded.turns.map((t, i): CorpusTurn => {
        const tokenized = tokenize(t.text);
        const before = coded.turns[i - 1];
        return {
          transcript: coded.id,
          turn: t.turn,
          speaker: t.speaker,
          role: t.role,
          text: t.text,
          tokenized,
          stems: tokenized.tokens.map((x) => stem(x.norm)),
          counts: t.counts,
          matches: t.matches,
          human: human.coded.get(unitKey(coded.id, t.turn)) ?? NONE,
          ...(before ? { previous: { role: before.role, text: before.text, counts: before.counts } } : {}),
        };
      });
      transcripts.push({ id: coded.id, turns });
    }
  }
  problems.push(...unitProblems(human, transcripts));
  if (problems.length) {
    const shown = problems.slice(0, MAX_ERRORS);
    if (problems.length > MAX_ERRORS) shown.push(diagnostic('error', 'more-errors', { file: human.file }, `and ${problems.length - MAX_ERRORS} more problems like these`, 'fix the ones above first'));
    throw new InputError(shown);
  }
  if (!human.units) {
    const coded = new Set([...human.coded.keys()].map((k) => splitUnitKey(k).transcript));
    for (const t of transcripts) {
      if (coded.has(t.id)) continue;
      report(diagnostic('warning', 'uncoded-transcript', { file: sources.get(t.id)! }, `transcript "${t.id}" has no coded turn in ${human.file}; every turn of it counts as not coded`,
        'if nobody coded it, leave it out of the corpus'));
    }
  }
  if (!transcripts.length) fail('no-input', { file: '<command line>' }, 'no transcripts were read', 'name the transcript files the human coding is of');
  return { codebook, compiled, human, transcripts };
}

/** Human units that are not turns of the corpus, and (turn-level coding) turns it does not cover. */
function unitProblems(human: Coding, transcripts: Corpus['transcripts']): Diagnostic[] {
  const turns = new Set<string>();
  const ids = transcripts.map((t) => t.id);
  for (const t of transcripts) for (const turn of t.turns) turns.add(unitKey(t.id, turn.turn));
  const problems: Diagnostic[] = [];
  for (const key of human.units ?? human.coded.keys()) {
    if (turns.has(key)) continue;
    const { transcript, turn } = splitUnitKey(key);
    const known = ids.includes(transcript);
    const guess = known ? undefined : didYouMean(transcript, ids);
    problems.push(diagnostic('error', 'unknown-unit', { file: human.file, line: human.lines.get(key) ?? 1 },
      known ? `transcript "${transcript}" has no turn ${turn}` : `transcript "${transcript}" is not among the transcripts read${guess ? ` (did you mean "${guess}"?)` : ''}`,
      known ? 'turns are numbered as in `relcode code --level turn` output' : 'give every transcript the human coding covers, with the same reading options as when it was coded'));
  }
  if (human.units) {
    for (const key of turns) {
      if (human.units.has(key)) continue;
      const { transcript, turn } = splitUnitKey(key);
      problems.push(diagnostic('error', 'uncoded-unit', { file: human.file }, `turn ${turn} of transcript "${transcript}" is not in the turn-level coding`,
        'a turn-level coding has one row per turn of every transcript'));
    }
  }
  return problems;
}

/** The dimension `id` of the codebook, or an error with a did-you-mean. */
export function dimensionOf(codebook: Codebook, id: string): Dimension {
  const d = codebook.dimensions.find((x) => x.id === id);
  if (d) return d;
  const ids = codebook.dimensions.map((x) => x.id);
  const guess = didYouMean(id, ids);
  return fail('unknown-dimension', { file: '<command line>' }, `no dimension "${id}" in ${codebook.file}${guess ? ` (did you mean "${guess}"?)` : ''}`, `dimensions are: ${ids.join(', ')}`);
}

/** The turns a dimension can code: those whose speaker has one of its roles. */
export function eligibleTurns(corpus: Corpus, d: Dimension): CorpusTurn[] {
  return corpus.transcripts.flatMap((t) => t.turns.filter((turn) => d.roles.includes(turn.role)));
}
