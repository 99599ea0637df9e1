import { porterStem } from './porter.js';

const cache = new Map<string, string>();

/** Porter stem of a normalised token, cached: a corpus has few distinct words. */
export function stem(token: string): string {
  let s = cache.get(token);
  if (s === undefined) {
    s = porterStem(token);
    cache.set(token, s);
  }
  return s;
}
