import type { Transcript } from '../transcript/model.js';
import type { CodedTranscript, CodedTurn } from './model.js';
import { codeTurn, type CompiledCodebook } from './tagger.js';

/** Every turn of a transcript is coded and kept, coded or not; each sees the one before for context rules. */
export function codeTranscript(compiled: CompiledCodebook, t: Transcript): CodedTranscript {
  const turns: CodedTurn[] = [];
  for (const turn of t.turns) turns.push(codeTurn(compiled, turn, turns[turns.length - 1]));
  return { id: t.id, source: t.source, turns };
}
