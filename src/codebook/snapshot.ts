/**
 * A loaded codebook saved as JSON at build time, so the bundled codebook starts
 * in milliseconds instead of being parsed and checked again on every run.
 * The snapshot is used only while its source text is unchanged (same SHA-256).
 */
import { compileAutomaton, type Automaton } from '../coding/automaton.js';
import { automatonPatterns } from '../coding/tagger.js';
import type { Codebook } from './model.js';

const VERSION = 4;

interface Snapshot {
  version: number;
  /** the codebook's text, compared whole: no hash, so no crypto module at start-up */
  source: string;
  codebook: Codebook;
  /** the compiled phrases */
  automaton: Automaton;
  /** where the RegExps and Maps are, as key paths: only these are revived after the parse */
  revive: (string | number)[][];
}

export function toSnapshot(codebook: Codebook, text: string): string {
  const automaton = compileAutomaton(automatonPatterns(codebook));
  const revive: (string | number)[][] = [];
  const find = (value: unknown, path: (string | number)[]): void => {
    if (value instanceof Map && [...value.values()].some((v) => v !== null && typeof v === 'object')) {
      throw new Error(`snapshot: the Map at ${path.join('.')} holds objects, which are not revived`);
    }
    if (value instanceof RegExp || value instanceof Map) revive.push(path);
    else if (Array.isArray(value)) value.forEach((v, i) => find(v, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) find(v, [...path, k]);
  };
  find({ codebook, automaton }, []);
  const snapshot: Snapshot = { version: VERSION, source: text, codebook, automaton, revive };
  return JSON.stringify(snapshot, (_key, value: unknown) =>
    value instanceof RegExp ? { $regexp: value.source, flags: value.flags } : value instanceof Map ? { $map: [...value] } : value,
  );
}

/** The codebook in `json` if it was made from exactly `text`; `file` becomes its path. */
export function fromSnapshot(json: string, text: string, file: string): Codebook | undefined {
  const snapshot = JSON.parse(json) as Snapshot;
  if (snapshot.version !== VERSION || snapshot.source !== text) return undefined;
  // Only the recorded places: a walk over every object costs more than the parse (a reviver, three times more).
  for (const path of snapshot.revive) {
    let parent = snapshot as unknown as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    const o = parent[key] as { $regexp?: string; flags?: string; $map?: [unknown, unknown][] };
    parent[key] = o.$regexp !== undefined ? new RegExp(o.$regexp, o.flags) : new Map(o.$map);
  }
  return { ...snapshot.codebook, file, automaton: snapshot.automaton };
}
