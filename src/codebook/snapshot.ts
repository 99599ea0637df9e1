/**
 * A loaded codebook saved as JSON at build time, so the bundled codebook starts
 * in milliseconds instead of being parsed and checked again on every run.
 * The snapshot is used only while its source text is unchanged (same SHA-256).
 */
import { createHash } from 'node:crypto';
import { compileAutomaton, type Automaton } from '../coding/automaton.js';
import { automatonPatterns } from '../coding/tagger.js';
import type { Codebook } from './model.js';

const VERSION = 3;

interface Snapshot {
  version: number;
  sha256: string;
  codebook: Codebook;
  /** the compiled phrases */
  automaton: Automaton;
}

export function sourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function toSnapshot(codebook: Codebook, text: string): string {
  const automaton = compileAutomaton(automatonPatterns(codebook));
  const snapshot: Snapshot = { version: VERSION, sha256: sourceHash(text), codebook, automaton };
  return JSON.stringify(snapshot, (_key, value: unknown) =>
    value instanceof RegExp ? { $regexp: value.source, flags: value.flags } : value instanceof Map ? { $map: [...value] } : value,
  );
}

/** The codebook in `json` if it was made from exactly `text`; `file` becomes its path. */
export function fromSnapshot(json: string, text: string, file: string): Codebook | undefined {
  // A walk after a plain parse: JSON.parse with a reviver is about three times slower.
  const snapshot = revive(JSON.parse(json)) as Snapshot;
  if (snapshot.version !== VERSION || snapshot.sha256 !== sourceHash(text)) return undefined;
  return { ...snapshot.codebook, file, automaton: snapshot.automaton };
}

/** Turns the `{ $regexp }` and `{ $map }` stand-ins back into RegExps and Maps, in place. */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') value[i] = revive(v);
    }
    return value;
  }
  const o = value as Record<string, unknown> & { $regexp?: string; flags?: string; $map?: [unknown, unknown][] };
  if (typeof o.$regexp === 'string') return new RegExp(o.$regexp, o.flags);
  if (Array.isArray(o.$map)) return new Map(o.$map.map(([k, v]) => [revive(k), revive(v)]));
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (v !== null && typeof v === 'object') o[key] = revive(v);
  }
  return o;
}
