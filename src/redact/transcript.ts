/**
 * `--redact` for a coded transcript: the same transcript with identifiers
 * replaced in every turn's text and speaker label, and every match moved onto
 * the redacted text, so `text.slice(start, end) === match` still holds. Counts
 * and words are those of the original text: coding has already run.
 */
import { readFile } from 'node:fs/promises';
import type { CodedTranscript } from '../coding/model.js';
import { fail } from '../diagnostics.js';
import { createRedactor, cueNames, speakerNames } from './index.js';

export function redactTranscript(t: CodedTranscript, names: readonly string[] = []): CodedTranscript {
  const speakers = [...new Set(t.turns.map((turn) => turn.speaker))];
  // a name introduced in one turn ("my sister Jennifer") is redacted in every turn
  const known = [...speakerNames(speakers), ...names, ...t.turns.flatMap((turn) => cueNames(turn.text))];
  const redact = createRedactor(known);
  const labels = new Map(speakers.map((s) => [s, redact(s).text]));
  return {
    ...t,
    turns: t.turns.map((turn) => {
      const r = redact(turn.text);
      const matches = turn.matches.map((m) => {
        const start = r.map(m.start, 'start');
        const end = r.map(m.end, 'end');
        return { ...m, start, end, match: r.text.slice(start, end) };
      });
      return { ...turn, speaker: labels.get(turn.speaker) ?? turn.speaker, text: r.text, matches };
    }),
  };
}

/** A `--names` file: one name a line; blank lines and `#` comments are skipped. */
export async function readNamesFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail('file-not-found', { file }, `cannot read the names file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'give --names a text file with one name a line');
  }
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
