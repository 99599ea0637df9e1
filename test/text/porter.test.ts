import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import porter from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { describe, expect, it } from 'vitest';
import { porterStem } from '../../src/text/porter.js';
import { ANNOMI, ROOT } from '../cli/run.js';

// natural's stemmer is the oracle: codebooks were written against its stems.

/** Porter's own examples (Porter 1980, and the algorithm's page), final stems. */
const PUBLISHED: Record<string, string> = {
  caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat', feed: 'feed', agreed: 'agre',
  plastered: 'plaster', bled: 'bled', motoring: 'motor', sing: 'sing', hopping: 'hop', tanned: 'tan',
  falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file', happy: 'happi', sky: 'sky',
  relational: 'relat', conditional: 'condit', rational: 'ration', generalizations: 'gener', oscillators: 'oscil',
};

const SUFFIXES = [
  'sses', 'ies', 'ss', 's', 'eed', 'ed', 'ing', 'at', 'bl', 'iz', 'y', 'ational', 'tional', 'enci', 'anci', 'izer',
  'abli', 'bli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness',
  'aliti', 'iviti', 'biliti', 'logi', 'icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness', 'al', 'ance', 'ence',
  'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'sion', 'tion', 'ou', 'ism', 'ate', 'iti', 'ous',
  'ive', 'ize', 'e', 'll', 'ly', 'ying', 'yed', 'ey', 'ay',
];
// letters weighted so that vowels, "y" and doubled consonants are common; and the odd characters tokens can hold
const LETTERS = 'aeiouyaeiouybcdfghjklmnpqrstvwxzbcdlmnrstyy';
const ODD = ["'", '’', '-', 'é', 'ß', 'İ', 'Y', 'E', 'S', 'C', 'V', '1', '\n', 'ı', 'ü'];

function generated(count: number, seed: number): string[] {
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(a: readonly T[] | string) => a[Math.floor(next() * a.length)]!;
  const words: string[] = [];
  for (let n = 0; n < count; n++) {
    let w = '';
    const len = 1 + Math.floor(next() * 8);
    for (let i = 0; i < len; i++) w += next() < 0.04 ? pick(ODD) : pick(LETTERS);
    if (next() < 0.3 && w.length > 0) w += w[w.length - 1]; // a doubled last letter
    const suffixes = Math.floor(next() * 3);
    for (let i = 0; i < suffixes; i++) w += pick(SUFFIXES);
    words.push(w);
  }
  return words;
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
}

function fixtureWords(): string[] {
  const dir = join(ROOT, 'fixtures', 'transcripts');
  return readdirSync(dir).flatMap((f) => wordsOf(readFileSync(join(dir, f), 'latin1')));
}

function expectSameAsNatural(words: Iterable<string>): number {
  const differing: string[] = [];
  let n = 0;
  for (const w of new Set(words)) {
    n++;
    if (porterStem(w) !== porter.stem(w)) differing.push(`${JSON.stringify(w)}: ${JSON.stringify(porterStem(w))}, natural ${JSON.stringify(porter.stem(w))}`);
  }
  expect(differing.slice(0, 20)).toEqual([]);
  return n;
}

describe('porterStem gives natural’s Porter stems', () => {
  it('Porter’s published examples', () => {
    for (const [word, stem] of Object.entries(PUBLISHED)) {
      expect(porterStem(word), word).toBe(stem);
      expect(porter.stem(word), word).toBe(stem);
    }
  });

  it('every word of the fixtures, lower- and upper-case', () => {
    const words = fixtureWords();
    const n = expectSameAsNatural([...words, ...words.map((w) => w.toLowerCase()), ...words.map((w) => w.toUpperCase())]);
    expect(n).toBeGreaterThan(1000);
  });

  it.skipIf(!existsSync(ANNOMI))('every word type of AnnoMI', () => {
    const words = wordsOf(readFileSync(ANNOMI, 'utf8'));
    const n = expectSameAsNatural([...words, ...words.map((w) => w.toLowerCase())]);
    console.log(`porter: ${n} AnnoMI word types, each stemmed as natural stems it`);
  });

  it('200,000 generated words built from the suffixes the algorithm rewrites', () => {
    const n = expectSameAsNatural(generated(200_000, 7));
    expect(n).toBeGreaterThan(150_000);
  });
});
