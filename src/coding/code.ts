import type { Transcript } from '../transcript/model.js';
import type { CodedTranscript } from './model.js';
import { codeTurn, type CompiledCodebook } from './tagger.js';

/** Every turn of a transcript is coded and kept, coded or not: nothing is dropped. */
export function codeTranscript(compiled: CompiledCodebook, t: Transcript): CodedTranscript {
  return { id: t.id, source: t.source, turns: t.turns.map((turn) => codeTurn(compiled, turn)) };
}
