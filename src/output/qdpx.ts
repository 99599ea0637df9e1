// STUB (issue 5): the REFI-QDA project writer behind `code --format qdpx`.
import type { Codebook } from '../codebook/model.js';
import type { CodedTranscript } from '../coding/model.js';

export interface QdpxSink {
  add(t: CodedTranscript): void;
  /** the .qdpx (zip) bytes */
  end(): Uint8Array;
}

export function createQdpxSink(_codebook: Codebook, _unit: 'turn' | 'match'): QdpxSink {
  throw new Error('not implemented');
}
