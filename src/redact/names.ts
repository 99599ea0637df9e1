/**
 * Personal names. Three sources: the words of speaker labels, a `--names`
 * list, and capitalised words after a cue in the text itself ("my sister
 * Karen", "Dr. Lee", "named Sam", "Karen told me"). A name found once is
 * then replaced wherever it stands capitalised in the transcript.
 */
import type { Found } from './patterns.js';
import { NOT_A_NAME } from './stopwords.js';

/** Words of speaker labels that are roles or titles, not names. */
const NOT_NAMES = new Set([
  'therapist', 'client', 'counselor', 'counsellor', 'clinician', 'patient', 'doctor', 'dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof',
  'professor', 'nurse', 'interviewer', 'interviewee', 'speaker', 'unknown', 'participant', 'facilitator', 'partner', 'parent',
  'mother', 'father', 'mom', 'dad', 'the', 'and', 'other', 'caller', 'host', 'moderator', 'coach', 'student', 'supervisor',
  'trainee', 'intern', 'psychologist', 'psychiatrist', 'social', 'worker', 'family', 'member', 'group', 'couple', 'child', 'teen',
  'adolescent', 'adult', 'guest', 'staff', 'person', 'voice', 'narrator', 'session', 'male', 'female', 'all', 'both', 'everyone',
]);

/** The names in speaker labels: their words that are not roles, titles or single letters. */
export function speakerNames(labels: string[]): string[] {
  const names = new Set<string>();
  for (const label of labels) {
    for (const word of label.split(/[^\p{L}'’-]+/u)) {
      if (word.length >= 2 && /^\p{L}/u.test(word) && !NOT_NAMES.has(word.toLowerCase())) names.add(word);
    }
  }
  return [...names];
}

/** A name as written: one or two capitalised words, an initial allowed ("J. Smith"); a possessive `'s` is not part of it. */
const NAME = "((?:\\p{Lu}\\.\\s?)?\\p{Lu}[\\p{Ll}’'-]*\\p{Ll}(?:[\\s-]\\p{Lu}[\\p{Ll}’'-]*\\p{Ll})?)(?!\\p{L})";
const TITLES = 'Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Nurse|Officer|Detective|Judge|Pastor|Father|Rabbi|Reverend|Rev|Coach|Aunt|Auntie|Uncle|Grandma|Grandpa|Granny|Nana|Cousin|Sister|Brother|Attorney|Counselor|Sergeant|Sgt|Captain|Capt|Dean|Principal';
const RELATIONS =
  'sister|brother|husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|mom|mother|mum|dad|father|stepmom|stepdad|stepmother|stepfather|' +
  'aunt|uncle|cousin|niece|nephew|grandmother|grandfather|grandma|grandpa|grandson|granddaughter|friend|bestie|boss|manager|supervisor|' +
  'co-?worker|colleague|roommate|flatmate|neighbou?r|kid|child|baby|ex|teacher|sponsor|pastor|priest|doctor|psychiatrist|therapist|counsel+or|' +
  'lawyer|attorney|caseworker|case worker|social worker|landlord|landlady|sibling|twin|stepson|stepdaughter|spouse|(?:mother|father|sister|brother|son|daughter)-in-law|' +
  'classmate|mentor|tutor|nanny|babysitter|caregiver|carer|date|crush|lover';
const MODIFIERS = '(?:older|younger|little|big|baby|late|ex|step|half|best|new|old|former|oldest|youngest|eldest|middle|good|dear|other)';

/** `parts`: the name's words count as names on their own too ("Mark Feldman" → "Mark"), for cues that surely introduce a person. */
const CUES: { re: RegExp; parts: boolean }[] = [
  // titles: "Dr. Okafor", "Mrs. Patel", "Grandma Ruth", "Professor Whitaker"
  { re: new RegExp(`(?<![\\p{L}])(?:${TITLES})\\.?\\s${NAME}`, 'dgu'), parts: true },
  // relations: "my sister Jennifer", "my brother-in-law, Mark Feldman", "her friend Priya"
  { re: new RegExp(`(?<![\\p{L}])(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is|[Tt]heir|[Yy]our)\\s(?:${MODIFIERS}[\\s-]){0,2}(?:${RELATIONS})s?,?\\s${NAME}`, 'dgu'), parts: true },
  // "named Derek", "called Sam", "her name is Lena", "his name's Ethan", "goes by Jay", "known as"
  { re: new RegExp(`(?<![\\p{L}])(?:named|called|goes by|known as|[Nn]ame is|[Nn]ame's|[Nn]ame’s|[Nn]ames are|[Nn]ame was)\\s${NAME}`, 'dgu'), parts: true },
  // "Karen told me", "because Steve said": a capitalised word inside a sentence, before a verb of talk or contact
  {
    re: new RegExp(
      `(?<=[\\p{Ll},;]\\s)${NAME}(?=\\s(?:said|says|told|tells|asked|asks|texted|texts|called|calls|emailed|yelled|screamed|shouted|thinks|thought|wants|wanted|left|died|passed away|cheated|lied|hit|hits|knows|knew|keeps|kept|never|always|and I|and me)\\b)`,
      'dgu',
    ),
    parts: true,
  },
  // two or three capitalised words inside a sentence: "is Jayden Brooks", "aid, Raymond Osei"; places too ("in Fall River"),
  // so the words are not names on their own
  { re: new RegExp(`(?<=[\\p{Ll}\\p{N},;:]\\s)(\\p{Lu}\\p{Ll}+(?:[\\s-]\\p{Lu}\\p{Ll}+){1,2})(?![\\p{L}\\p{N}])`, 'dgu'), parts: false },
  // second of a pair after a cue: "my sisters, Anna and Beth"
  { re: new RegExp(`(?<![\\p{L}])(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is)\\s(?:${RELATIONS})s,?\\s\\p{Lu}\\p{Ll}+\\sand\\s${NAME}`, 'dgu'), parts: true },
];

const POSSESSIVE = /['’]s$/u;

/** Names introduced by a cue in `text`, each once, in text order. */
export function cueNames(text: string): string[] {
  const out = new Set<string>();
  for (const { re, parts } of CUES) {
    for (const m of text.matchAll(re)) {
      const name = m[1]?.replace(POSSESSIVE, '');
      if (name === undefined) continue;
      if (parts) for (const part of nameParts(name)) out.add(part);
      out.add(name);
    }
  }
  return [...out].filter(keep);
}

/** "Mark Feldman" is also "Mark" and "Feldman" on their own; initials are dropped. */
function nameParts(name: string): string[] {
  return name.split(/[\s]+/).map((w) => w.replace(/[.'’-]+$/, '')).filter((w) => w.length >= 2);
}

function keep(name: string): boolean {
  // "I've", "I'm": a pronoun with a contraction is not a name
  const words = name.split(/[\s-]+/).map((w) => w.replace(/\.$/, '').replace(/['’].*$/u, ''));
  return name.length >= 2 && !words.some((w) => NOT_A_NAME.has(w));
}

/**
 * A matcher for a list of names, longest first, whole words, an optional
 * possessive. Matching ignores case but keeps only capitalised occurrences,
 * so the name "Hope" goes and the word "hope" stays.
 */
export function nameMatcher(names: Iterable<string>): ((text: string) => Found[]) | undefined {
  const list = [...new Set([...names].map((n) => n.trim()).filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return undefined;
  const escaped = list.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => {
    const out: Found[] = [];
    for (const m of text.matchAll(re)) if (/^\p{Lu}/u.test(m[0])) out.push({ start: m.index, end: m.index + m[0].length, type: 'NAME' });
    return out;
  };
}

/** Spans of the cue names themselves, where the cue stands (so a name is found even when the list is not rebuilt). */
export function cueNameSpans(text: string): Found[] {
  const out: Found[] = [];
  for (const { re } of CUES) {
    for (const m of text.matchAll(re)) {
      const span = m.indices?.[1];
      if (!span) continue;
      const name = m[1]!.replace(POSSESSIVE, '');
      if (keep(name)) out.push({ start: span[0], end: span[0] + name.length, type: 'NAME' });
    }
  }
  return out;
}
