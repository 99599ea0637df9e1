/**
 * Cross-validation folds grouped by transcript: the turns of one session are
 * never on both sides, since turns of a session share a therapist, a client
 * and a topic, and a model would otherwise be tested on what it memorised.
 */

/** mulberry32: a small seeded generator, so `--seed` gives the same folds on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Fold (0..k−1) of each transcript: the ids sorted, shuffled with the seed, then
 * dealt round-robin, so fold sizes differ by at most one transcript.
 */
export function groupedFolds(transcripts: readonly string[], k: number, seed: number): Map<string, number> {
  const ids = [...new Set(transcripts)].sort();
  if (k < 2 || k > ids.length) throw new RangeError(`cannot make ${k} folds of ${ids.length} transcripts`);
  const folds = new Map<string, number>();
  shuffled(ids, seededRandom(seed)).forEach((id, i) => folds.set(id, i % k));
  return folds;
}
