/**
 * A loaded codebook saved as JSON at build time, so the bundled codebook starts
 * in milliseconds instead of being parsed and checked again on every run.
 * The snapshot is used only while its source text is unchanged (same SHA-256).
 */
import { createHash } from 'node:crypto';
import { compileAutomaton, type Automaton } from '../coding/automaton.js';
import { automatonPatterns } from '../coding/tagger.js';
import type { Codebook } from './model.js';

const VERSION = 2;

interface Snapshot {
  version: number;
  sha256: string;
  codebook: Codebook;
  /** the compiled phrases, without their run-time cache */
  automaton: Automaton;
}

export function sourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function toSnapshot(codebook: Codebook, text: string): string {
  const automaton = { ...compileAutomaton(automatonPatterns(codebook)), cache: new Map() };
  const snapshot: Snapshot = { version: VERSION, sha256: sourceHash(text), codebook, automaton };
  return JSON.stringify(snapshot, (_key, value: unknown) =>
    value instanceof RegExp ? { $regexp: value.source, flags: value.flags } : value instanceof Map ? { $map: [...value] } : value,
  );
}

/** The codebook in `json` if it was made from exactly `text`; `file` becomes its path. */
export function fromSnapshot(json: string, text: string, file: string): Codebook | undefined {
  const snapshot = JSON.parse(json, (_key, value: unknown) => {
    const v = value as { $regexp?: string; flags?: string; $map?: [unknown, unknown][] } | null;
    if (!v || typeof v !== 'object') return value;
    if (typeof v.$regexp === 'string') return new RegExp(v.$regexp, v.flags);
    return Array.isArray(v.$map) ? new Map(v.$map) : value;
  }) as Snapshot;
  if (snapshot.version !== VERSION || snapshot.sha256 !== sourceHash(text)) return undefined;
  return { ...snapshot.codebook, file, automaton: snapshot.automaton };
}
