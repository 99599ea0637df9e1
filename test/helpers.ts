import { parseCodebook } from '../src/codebook/load.js';
import { codeText, compileCodebook, type CompiledCodebook } from '../src/coding/tagger.js';
import type { Role } from '../src/transcript/model.js';

/** A one-dimension codebook (`d`) from indicator lines, for table-driven tests. */
export function codebookOf(indicators: string[], extra = '', dimensionExtra = ''): CompiledCodebook {
  const yaml = [
    'codebook: test',
    extra,
    'dimensions:',
    '  d:',
    dimensionExtra,
    '    indicators:',
    ...indicators.map((i) => `      - ${i}`),
  ].join('\n');
  return compileCodebook(parseCodebook(yaml, 'test.yaml'));
}

/** The matched strings of dimension `dim` in `text`. */
export function matchesIn(compiled: CompiledCodebook, text: string, role: Role = 'therapist', dim = 'd'): string[] {
  return codeText(compiled, text, role).matches.filter((m) => m.dimension === dim).map((m) => m.match);
}
