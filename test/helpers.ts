import { parseCodebook } from '../src/codebook/load.js';
import { codeText, compileCodebook, type CompiledCodebook } from '../src/coding/tagger.js';
import { InputError, type Diagnostic } from '../src/diagnostics.js';
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

/** The diagnostics of the InputError that `f` throws; empty when it throws nothing. Other errors propagate. */
export function diagnosticsOf(f: () => unknown): Diagnostic[] {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  return [];
}

/** A two-dimension codebook, for tests where the codebook's content does not matter and start-up time does. */
export const SMALL_CODEBOOK = `codebook: small
dimensions:
  empathy:
    label: Empathy
    indicators: [sounds like, "must (be|have been) ... (hard|painful)", i understand]
  trust:
    label: Trust
    indicators: [trust, never told, "(safe|safer)"]
`;

/** The first diagnostic of the InputError that `f` must throw. */
export function problemOf(f: () => unknown): Diagnostic {
  const [d] = diagnosticsOf(f);
  if (!d) throw new Error('expected an InputError');
  return d;
}
