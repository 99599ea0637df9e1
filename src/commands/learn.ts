// STUB (issue 9): signatures are the contract with src/cli/main.ts.
import type { Report } from '../diagnostics.js';
import type { Role } from '../transcript/model.js';
import type { ReadOptions } from '../transcript/read.js';

export interface CorpusOptions {
  /** the human coding: long or turn-level CSV */
  human: string;
  inputs: string[];
  codebook?: string;
  roles: Record<string, Role>;
  read: Omit<ReadOptions, 'rolePatterns'>;
}

export interface SuggestOptions extends CorpusOptions {
  dimension: string;
  top: number;
}

export interface LearnOptions extends CorpusOptions {
  dimensions?: string[];
  folds: number;
  seed: number;
}

export interface SuggestResult {
  dimension: string;
}

export interface LearnResult {
  /** the model file's JSON */
  model: unknown;
}

export async function runSuggest(_options: SuggestOptions, _report: Report): Promise<SuggestResult> {
  throw new Error('not implemented');
}

export function renderSuggest(_result: SuggestResult, _format: 'table' | 'yaml' | 'json'): string {
  throw new Error('not implemented');
}

export async function runLearn(_options: LearnOptions, _report: Report): Promise<LearnResult> {
  throw new Error('not implemented');
}

/** The cross-validation report, as text for stderr/stdout. */
export function renderLearn(_result: LearnResult): string {
  throw new Error('not implemented');
}
