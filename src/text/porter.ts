/**
 * The Porter stemmer exactly as the `natural` package (8.x) computes it, quirks
 * included, so that codebooks stem as they always have: its measure counts the
 * groups of its own C/V rewriting, which gives half measures after a "y" that
 * follows consonants, and its step 4 only tries the shortest stem. Written with
 * character loops, not regex replaces: natural's first few thousand calls cost
 * about 14 µs each while V8 warms its regexes, which every coding run paid.
 * test/text/porter.test.ts checks it against natural itself.
 */

const VOWELS = 'aeiou';
const isVowel = (c: string) => c.length === 1 && VOWELS.includes(c);

/**
 * natural's categorizeGroups: a consonant run ending in "y" becomes "CV"; each
 * run of vowels "V"; each run of anything else (including a "y" left alone) "C".
 */
function groups(s: string): string {
  let out = '';
  let openC = false; // inside a run of non-vowels that becomes one "C", not written yet
  for (let i = 0; i < s.length; ) {
    if (isVowel(s[i]!)) {
      while (i < s.length && isVowel(s[i]!)) i++;
      out += openC ? 'CV' : 'V';
      openC = false;
      continue;
    }
    if (s[i] !== 'y') {
      while (i < s.length && s[i] !== 'y' && !isVowel(s[i]!)) i++;
      if (s[i] === 'y') {
        // "CV": its C joins an open C run (one C in all); its V never joins the vowels after it
        out += 'CV';
        openC = false;
        i++;
        continue;
      }
    } else i++; // a "y" after a vowel, a "y" or the start: a consonant
    openC = true;
  }
  return openC ? out + 'C' : out;
}

/** natural's categorizeChars: one letter, one C or V; a consonant before "y" makes "CV". */
function chars(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== 'y' && !isVowel(c) && s[i + 1] === 'y') {
      out += 'CV';
      i++;
    } else out += isVowel(c) ? 'V' : 'C';
  }
  return out;
}

/** natural's measure: the length of the groups without a leading C and a trailing V, halved; -1 for no word. */
function measure(s: string | null): number {
  if (!s) return -1;
  const g = groups(s);
  const from = g.startsWith('C') ? 1 : 0;
  const to = g.length > from && g.endsWith('V') ? g.length - 1 : g.length;
  return (to - from) / 2;
}

/** `s` with suffix `from` replaced by `to`, or null when it does not end so. */
function replaceEnd(s: string, from: string, to: string): string | null {
  return s.endsWith(from) ? s.slice(0, s.length - from.length) + to : null;
}

/** natural's replacePatterns: each [suffix, replacement] in turn, where the stem before the suffix (in the original word) has measure > min. */
function replaceSuffixes(s: string, rules: readonly (readonly [string, string])[], min: number): string {
  let out = s;
  for (const [from, to] of rules) {
    if (measure(replaceEnd(s, from, '')) > min) out = replaceEnd(out, from, to) || out;
  }
  return out || s;
}

function step1a(s: string): string {
  if (s.endsWith('sses') || s.endsWith('ies')) return s.slice(0, -2);
  if (s.endsWith('s') && s[s.length - 2] !== 's' && s.length > 2) return s.slice(0, -1);
  return s;
}

function step1b(s: string): string {
  if (s.endsWith('eed')) return measure(s.slice(0, -3)) > 0 ? s.slice(0, -1) : s;
  const stem = s.endsWith('ed') ? s.slice(0, -2) : s.endsWith('ing') ? s.slice(0, -3) : null;
  if (!stem || !groups(stem).includes('V')) return s;
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e';
  const last = stem[stem.length - 1]!;
  if (stem.length >= 2 && last === stem[stem.length - 2] && !isVowel(last) && !'lsz'.includes(last)) return stem.slice(0, -1);
  if (measure(stem) === 1 && chars(stem).endsWith('CVC') && !'wxy'.includes(last)) return stem + 'e';
  return stem;
}

function step1c(s: string): string {
  const g = groups(s);
  return s.endsWith('y') && g.slice(0, -1).includes('V') ? s.slice(0, -1) + 'i' : s;
}

const STEP2: readonly (readonly [string, string])[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['abli', 'able'],
  ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'],
  ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'],
  ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
];
const STEP3: readonly (readonly [string, string])[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];
const STEP4 = new Set(['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize']);
const LINE_END = /[\n\r\u2028\u2029]/;

function step4(s: string): string {
  // natural matches ^(.+?)(suffix)$: only the shortest stem is tried, and "." stops at line ends
  for (let k = 1; k < s.length; k++) {
    if (STEP4.has(s.slice(k))) {
      const stem = s.slice(0, k);
      if (!LINE_END.test(stem) && measure(stem) > 1) return stem;
      break;
    }
  }
  if (s.length >= 5 && (s.endsWith('sion') || s.endsWith('tion'))) {
    const stem = s.slice(0, -3);
    if (!LINE_END.test(stem.slice(0, -1)) && measure(stem) > 1) return stem;
  }
  return s;
}

function step5a(s: string): string {
  const bare = s.endsWith('e') ? s.slice(0, -1) : s;
  const m = measure(bare);
  const cvc = chars(s).slice(-4).slice(0, 3) === 'CVC' && s.length >= 2 && !'wxy'.includes(s[s.length - 2]!) && !LINE_END.test(s[s.length - 1]!);
  return m > 1 || (m === 1 && !cvc) ? bare : s;
}

function step5b(s: string): string {
  return measure(s) > 1 && s.endsWith('ll') ? s.slice(0, -1) : s;
}

export function porterStem(word: string): string {
  if (word.length < 3) return word;
  return step5b(step5a(step4(replaceSuffixes(replaceSuffixes(step1c(step1b(step1a(word.toLowerCase()))), STEP2, 0), STEP3, 0))));
}
