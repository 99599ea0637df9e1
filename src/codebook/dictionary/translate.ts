/**
 * One dictionary entry (a LIWC word or a quanteda value) → a relcode phrase, or
 * the reason it cannot be one. relcode phrases have no escape character, so an
 * entry holding phrase syntax, or punctuation the tokenizer ignores, is skipped
 * with a warning rather than turned into something that matches other words.
 */
import { expandWord, normaliseWord } from '../../text/tokenize.js';
import { parsePhrase, PhraseError } from '../phrase.js';

export type Translation = { phrase: string } | { problem: string; hint: string };

/** LIWC: only a trailing `*` is a wildcard. quanteda (valuetype "glob"): `*` and `?` anywhere. */
export type GlobStyle = 'liwc' | 'quanteda';

const SYNTAX = /[()[\]|]|\.\.\./;
// what may stand in a word: letters, digits, apostrophes, hyphens, full stops (o.k.), globs
const WORD_CHARS = /^[\p{L}\p{N}\p{M}'\-.*?]+$/u;
const PUNCTUATION_HINT = 'relcode ignores punctuation in transcripts, so this entry could only match the letters around it; add an indicator by hand if it matters';

/** Lower case, straight apostrophes, single spaces: the form entries are compared in. */
export function cleanEntry(text: string): string {
  return normaliseWord(text.normalize('NFC')).trim().replace(/\s+/g, ' ');
}

export function entryToPhrase(text: string, style: GlobStyle): Translation {
  const s = cleanEntry(text);
  if (s === '') return { problem: 'the entry is empty', hint: 'remove the line' };
  if (style === 'liwc' && /[<>]/.test(s)) {
    return { problem: `"${s}" is a conditional entry (<…>), which relcode has no rule for`, hint: 'add a phrase for it by hand, e.g. with `near:` or `context:`' };
  }
  const syntax = SYNTAX.exec(s);
  if (syntax) {
    return { problem: `"${s}" contains "${syntax[0]}", which is phrase syntax in relcode and cannot be escaped`, hint: PUNCTUATION_HINT };
  }
  const words: string[] = [];
  for (const word of s.split(' ')) {
    if (!WORD_CHARS.test(word) || !/[\p{L}\p{N}*?]/u.test(word)) {
      return { problem: `"${s}" contains punctuation that relcode does not match`, hint: PUNCTUATION_HINT };
    }
    if (style === 'liwc' && /\*(?!$)/.test(word)) {
      return { problem: `"${s}" has a "*" inside a word; LIWC only treats a trailing "*" as a wildcard`, hint: 'write it as a prefix with a trailing *' };
    }
    if (style === 'liwc' && /^[*-]+$/.test(word)) {
      return { problem: `"${s}" has a wildcard with no letters before it, which would match every word`, hint: 'give the wildcard a prefix' };
    }
    if (style === 'liwc' && word.includes('?')) {
      return { problem: `"${s}" contains "?", a literal character in LIWC but a one-letter wildcard in relcode`, hint: PUNCTUATION_HINT };
    }
    const glob = /[*?]/.test(word);
    // a glob must be one token; relcode splits hyphens in transcripts, so split them here too
    const parts = glob ? word.split('-').filter(Boolean) : [word];
    if (parts.length > 1 && parts.some((p) => !/[\p{L}\p{N}]/u.test(p))) {
      return { problem: `"${s}" would match any word after "${parts[0]}", since relcode splits hyphenated words`, hint: 'list the hyphenated words it should match' };
    }
    for (const part of parts) {
      const bare = part.replace(/[*?]/g, '');
      if (glob && bare.includes("'") && !sameWord(bare)) {
        return { problem: `"${s}" puts a wildcard on a contraction, and relcode splits "${bare}" into "${expandWord(bare).join(' ')}"`, hint: 'list the contraction without the wildcard' };
      }
      words.push(part);
    }
  }
  const phrase = words.join(' ');
  try {
    parsePhrase(phrase);
  } catch (err) {
    if (!(err instanceof PhraseError)) throw err;
    return { problem: `"${s}": ${err.message}`, hint: err.hint };
  }
  return { phrase };
}

function sameWord(word: string): boolean {
  const expanded = expandWord(word);
  return expanded.length === 1 && expanded[0] === word;
}
