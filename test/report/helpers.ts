/** Shared by the report tests: options as the CLI builds them, and AnnoMI's human coding. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ReportOptions } from '../../src/commands/report.js';
import { ANNOMI } from '../cli/run.js';

/** A fixed date, so the report (and its screenshot) does not change from day to day. */
export function options(inputs: string[], extra: Partial<ReportOptions> = {}): ReportOptions {
  return { inputs, redact: false, roles: {}, read: { inputFormat: 'auto', columns: {} }, excerpts: 5, now: new Date('2025-01-02T10:00:00Z'), ...extra };
}

/** AnnoMI's expert reflections as a long coding of empathy, therapist turns (as bench/validate-annomi.mjs builds it). */
export function annomiHuman(file: string): void {
  const rows = parse(readFileSync(ANNOMI), { columns: true }) as Record<string, string>[];
  const coded = rows
    .filter((r) => r.interlocutor === 'therapist' && r.main_therapist_behaviour === 'reflection')
    .map((r) => ({ transcript: r.transcript_id, turn: r.utterance_id, dimension: 'empathy' }));
  writeFileSync(file, stringify(coded, { header: true, columns: ['transcript', 'turn', 'dimension'] }));
}
