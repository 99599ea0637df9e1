import { loadCodebook, DEFAULT_CODEBOOK } from '../codebook/load.js';
import type { Codebook } from '../codebook/model.js';

export interface ValidateResult {
  codebook: Codebook;
  indicators: number;
  examples: number;
}

/** Loads and checks a codebook; problems are thrown as an InputError. */
export async function runValidate(file: string | undefined): Promise<ValidateResult> {
  const codebook = await loadCodebook(file ?? DEFAULT_CODEBOOK);
  const sum = (f: (d: Codebook['dimensions'][number]) => number) => codebook.dimensions.reduce((n, d) => n + f(d), 0);
  return {
    codebook,
    indicators: sum((d) => d.indicators.length),
    examples: sum((d) => d.examples.coded.length + d.examples.not_coded.length),
  };
}
