// Only the Porter submodule: the top-level `natural` import prints to stdout and reads .env files.
import porter from 'natural/lib/natural/stemmers/porter_stemmer.js';

const cache = new Map<string, string>();

/** Porter stem of a normalised token, cached: a corpus has few distinct words. */
export function stem(token: string): string {
  let s = cache.get(token);
  if (s === undefined) {
    s = porter.stem(token);
    cache.set(token, s);
  }
  return s;
}
