/** Hand-built coded transcripts for the output tests. */
import type { CodedTranscript, CodedTurn, DimensionInfo, Match } from '../../src/coding/model.js';
import type { Role } from '../../src/transcript/model.js';

export const dimensions: DimensionInfo[] = [
  { id: 'trust', label: 'Trust' },
  { id: 'empathy', label: 'Empathy' },
  { id: 'warmth', label: 'Warmth' },
];

/** A match of `phrase` in `text` (its first occurrence); fails loudly if the phrase is absent. */
export function match(text: string, phrase: string, dimension: string, weight = 1): Match {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`fixture: "${phrase}" not in "${text}"`);
  return { dimension, indicator: phrase.toLowerCase(), indicatorLine: 1, start, end: start + phrase.length, match: phrase, weight };
}

export function turn(
  n: number,
  speaker: string,
  role: Role,
  text: string,
  words: number,
  found: Array<[phrase: string, dimension: string, weight?: number]> = [],
  times: { start?: string; end?: string } = {},
): CodedTurn {
  const matches = found.map(([p, d, w]) => match(text, p, d, w)).sort((a, b) => a.start - b.start);
  const counts: Record<string, number> = {};
  for (const d of dimensions) counts[d.id] = matches.filter((m) => m.dimension === d.id).length;
  return { turn: n, speaker, role, text, words, counts, matches, ...times };
}

export const T2_TEXT = 'I\'ve never told anyone this, "not even my sister".\nIt\'s hard 😢 — café';

/** Commas, quotes, a line break, a tab, emoji, accents, turns with and without times. */
export const session: CodedTranscript = {
  id: 's1',
  source: 's1.txt',
  turns: [
    turn(1, 'Therapist', 'therapist', "Welcome back, it's good to see you. Take your time.", 10,
      [['good to see you', 'warmth'], ['Take your time', 'warmth']], { start: '00:00:01', end: '00:00:05' }),
    turn(2, 'Client', 'client', T2_TEXT, 13, [['told anyone', 'trust']]),
    turn(3, 'Therapist', 'therapist', 'That sounds really painful; thank you for trusting me with it.', 11,
      [['sounds really painful', 'empathy'], ['trusting me', 'trust']], { start: '00:00:20' }),
    turn(4, 'Client', 'client', 'ok\tsure', 2),
  ],
};
