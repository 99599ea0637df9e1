/**
 * Identifiers that have a shape: e-mails, URLs, IP addresses, phone and fax
 * numbers, dates, ages over 89, street addresses, ZIP codes, cities with a
 * cue, record and other identifying numbers. Each finder returns spans of the
 * text it was given. Every pattern starts at a boundary (a lookbehind of
 * bounded length) so a long turn is scanned in linear time.
 */
import { NOT_A_NAME } from './stopwords.js';

export type IdentifierType = 'NAME' | 'PHONE' | 'EMAIL' | 'DATE' | 'ADDRESS' | 'ID' | 'URL' | 'IP' | 'AGE';

export interface Found {
  start: number;
  end: number;
  type: IdentifierType;
}

/** Not a letter or digit before: the start of a word or number. */
const B = '(?<![\\p{L}\\p{N}])';
/** Not a letter or digit after. */
const E = '(?![\\p{L}\\p{N}])';

const MONTH =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)';
const DAY = '(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const YEAR = '(?:1[89]|20)\\d{2}';
const STREET_TYPE =
  '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Square|Sq|Alley|Row|Crescent|Close)';
const STREET_TYPE_LONG = '(?:Street|Avenue|Road|Boulevard|Lane|Drive|Court|Terrace|Circle|Highway|Parkway|Trail|Square|Crescent)';
const CAP = "[\\p{Lu}][\\p{L}'’-]*";
const STATES =
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming';
/** Postal codes; those that are also English words (IN, OR, ME, OK, HI…) count only before a ZIP code. */
const STATE_CODES = 'AK|AZ|AR|CA|CT|FL|GA|IA|IL|KS|KY|MD|MI|MN|MO|MS|MT|NC|ND|NE|NH|NJ|NM|NV|NY|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY|DC';
const STATE_CODES_WORDS = 'AL|CO|DE|HI|ID|IN|LA|MA|ME|OH|OK|OR|PA';
const STATE_SET = new Set(STATES.split('|'));

interface Finder {
  type: IdentifierType;
  re: RegExp;
  /** the span to take from a match (default: the whole match), or undefined to skip it */
  take?: (m: RegExpExecArray, text: string) => [number, number] | undefined;
}

const whole = (m: RegExpExecArray): [number, number] => [m.index, m.index + m[0].length];
/** The span of capture group 1 (needs the `d` flag). */
const group1 = (m: RegExpExecArray): [number, number] | undefined => (m.indices?.[1] ? [m.indices[1][0], m.indices[1][1]] : undefined);
/** Leaves out the punctuation a sentence puts after a URL or address. */
const trimEnd = (m: RegExpExecArray): [number, number] => {
  let end = m.index + m[0].length;
  while (end > m.index && /[.,;:!?)\]}'"’”]/u.test(m[0][end - m.index - 1]!)) end--;
  return [m.index, end];
};

const FINDERS: Finder[] = [
  { type: 'EMAIL', re: new RegExp(`(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]{1,64}@[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){1,8}`, 'gu') },
  { type: 'URL', re: new RegExp(`(?<![\\p{L}\\p{N}@./])(?:https?://|www\\.)[^\\s<>"'{}|\\\\^\`]{1,2000}`, 'giu'), take: trimEnd },
  {
    type: 'URL',
    re: new RegExp(`(?<![\\p{L}\\p{N}@./-])[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){0,4}\\.(?:com|org|net|edu|gov|io|co|us|uk|ca|au|info|biz|me|health|app|ly)(?:/[^\\s<>"']{0,2000})?${E}`, 'giu'),
    take: trimEnd,
  },
  { type: 'IP', re: new RegExp(`(?<![\\p{N}.])(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?![\\p{N}]|\\.\\d)`, 'gu') },
  { type: 'IP', re: new RegExp(`(?<![\\p{L}\\p{N}:])[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?![\\p{L}\\p{N}:])`, 'giu'), take: (m) => (/\d/.test(m[0]) && m[0].split(':').length >= 4 ? whole(m) : undefined) },
  // SSN
  { type: 'ID', re: new RegExp(`(?<![\\p{N}-])\\d{3}-\\d{2}-\\d{4}(?![\\p{N}-])`, 'gu') },
  // phone and fax: North American, with or without +1, optional extension
  {
    type: 'PHONE',
    re: new RegExp(`(?<![\\p{L}\\p{N}+(-])(?:\\+?1[\\s.-]?)?(?:\\(\\d{3}\\)[\\s.-]?|\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}(?![\\p{N}-])(?:,?\\s?(?:ext\\.?|x|extension)\\s?\\d{1,5}${E})?`, 'giu'),
  },
  // international: +CC then groups
  { type: 'PHONE', re: new RegExp(`(?<![\\p{L}\\p{N}])\\+\\d{1,3}(?:[\\s.-]?\\(?\\d{1,4}\\)?){2,5}(?![\\p{N}])`, 'gu'), take: (m) => ((m[0].match(/\d/g)?.length ?? 0) >= 8 ? whole(m) : undefined) },
  // local 7 digits, and 10 digits in a row after a phone word
  { type: 'PHONE', re: new RegExp(`(?<![\\p{N}.,/-])\\d{3}-\\d{4}(?![\\p{N}-])`, 'gu') },
  { type: 'PHONE', re: /(?<=\b(?:phone|cell|mobile|number|call|text|fax|reach me|line)(?: number)?(?: is| at|:)?\s)\d{10}(?!\d)/giu },
  // dates: numeric with a year, ISO, or day/month after a cue
  { type: 'DATE', re: new RegExp(`(?<![\\p{N}/.-])\\d{1,2}([/.-])\\d{1,2}\\1(?:\\d{4}|\\d{2})(?![\\p{N}]|[/.-]\\d)`, 'gu'), take: (m) => (plausibleDayMonth(m[0]) ? whole(m) : undefined) },
  { type: 'DATE', re: new RegExp(`(?<![\\p{N}/.-])${YEAR}([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])(?![\\p{N}])`, 'gu') },
  {
    type: 'DATE',
    re: /(?<=\b(?:on|since|from|until|till|by|before|after|dated|of|DOB:?|born|between|and)\s)(\d{1,2}\/\d{1,2})(?![\d/])/giu,
    take: (m) => (plausibleDayMonth(m[0]) ? whole(m) : undefined),
  },
  // month names: "March 14, 2023", "14 March 2023", "14th of March", "March 2023", "Sept. 3rd"
  { type: 'DATE', re: new RegExp(`${B}${MONTH}\\.?\\s+${DAY}(?:,?\\s+${YEAR})?${E}`, 'gu') },
  { type: 'DATE', re: new RegExp(`${B}${DAY}\\s+(?:of\\s+)?${MONTH}\\.?(?:,?\\s+${YEAR})?${E}`, 'gu') },
  { type: 'DATE', re: new RegExp(`${B}${MONTH}\\.?,?\\s+${YEAR}${E}`, 'gu') },
  // a month alone after a cue ("in March", "since May"): capitalised, so the verb "may" stays
  { type: 'DATE', re: new RegExp(`(?<=\\b(?:[Ii]n|[Ss]ince|[Ll]ast|[Nn]ext|[Ee]arly|[Ll]ate|[Mm]id|[Uu]ntil|[Tt]ill|[Bb]y|[Tt]hrough|[Dd]uring|[Tt]his|[Tt]hat|of|[Bb]efore|[Aa]fter|[Aa]round)[\\s-])${MONTH}${E}`, 'gu') },
  // holidays name a day of the year
  {
    type: 'DATE',
    re: /(?<![\p{L}])(?:Christmas(?: Eve| Day)?|New Year['’]s(?: Eve| Day)?|Thanksgiving|Easter(?: Sunday)?|Halloween|Valentine['’]s Day|Independence Day|Fourth of July|4th of July|Memorial Day|Labor Day|Mother['’]s Day|Father['’]s Day|Passover|Hanukkah|Chanukah|Ramadan|Eid(?: al-\p{L}+)?|Rosh Hashanah|Yom Kippur|Diwali|Lunar New Year|Good Friday|Boxing Day)(?![\p{L}])/gu,
  },
  // a day of the month after a cue: "on the 22nd"
  { type: 'DATE', re: /(?<=\b(?:on|since|by|until|till|before|after|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? the )(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?! (?:time|floor|grade|place|try|attempt|session|week|day|month|year|step|round|hour)s?\b)/gu },
  // a year of birth that makes the person over 89
  { type: 'DATE', re: /(?<=\bborn (?:in |back in )?)(?:18|19)\d{2}\b/gu, take: (m) => (Number(m[0]) <= new Date().getFullYear() - 90 ? whole(m) : undefined) },
  // ages over 89: "94", "ninety-two" after an age cue, or before "years old"
  { type: 'AGE', re: new RegExp(`${B}(${AGE_NUMBER()})(?=[\\s-]*(?:years?|yrs?)[\\s-]*old\\b|[\\s-]*year-old\\b|\\s*y/?o\\b|-years?\\b)`, 'dgiu'), take: group1 },
  {
    type: 'AGE',
    re: new RegExp(`(?<=\\b(?:age|aged|ages|turned|turning|turns|turn|is|was|am|be|I'm|I’m|he's|he’s|she's|she’s)\\s(?:now\\s|about\\s|almost\\s|nearly\\s|over\\s)?)(${AGE_NUMBER()})(?![\\p{L}\\p{N}]|[.,]\\d|\\s*(?:%|percent|dollars|bucks|minutes|mins|hours|pounds|lbs|kg|times|miles|degrees|days|weeks|pages|points))`, 'dgiu'),
    take: group1,
  },
  // street addresses: number, optional direction, up to three capitalised words or an ordinal, a street type; a unit
  {
    type: 'ADDRESS',
    re: new RegExp(
      `${B}\\d{1,6}[A-Za-z]?\\s+(?:(?:[NSEW]\\.?|North|South|East|West)\\s+)?(?:${CAP}\\s+){0,3}(?:${CAP}|\\d{1,3}(?:st|nd|rd|th))\\s+${STREET_TYPE}${E}\\.?(?:,?\\s+(?:Apt\\.?|Apartment|Unit|Suite|Ste\\.?|Floor|Fl\\.?|#)\\s*#?[A-Za-z0-9-]{1,6}${E})?(?:,\\s+${CAP}(?:\\s${CAP}){0,2}(?![\\p{L}\\p{N}]))?`,
      'gu',
    ),
    take: trimEnd,
  },
  // a named street without a number: "Maple Drive", "on Harbor View Road"
  { type: 'ADDRESS', re: new RegExp(`${B}(?:${CAP}\\s+){0,2}${CAP}\\s+${STREET_TYPE_LONG}${E}`, 'gu'), take: (m) => trimLeadingStopwords(m) },
  { type: 'ADDRESS', re: /\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b/giu },
  { type: 'ADDRESS', re: new RegExp(`${B}(?:${CAP}\\s+){0,2}${CAP}\\s+(?:County|Parish|Borough|Township)${E}`, 'gu'), take: (m) => trimLeadingStopwords(m) },
  // ZIP codes after a state or a cue
  { type: 'ADDRESS', re: new RegExp(`(?<=\\b(?:${STATES}|${STATE_CODES}|${STATE_CODES_WORDS}),?\\s{1,3})\\d{5}(?:-\\d{4})?(?!\\d)`, 'gu') },
  { type: 'ADDRESS', re: /(?<=\b(?:zip|zip code|zipcode|postcode|postal code)(?: is)?:?\s{1,3})\d{5}(?:-\d{4})?(?!\d)/giu },
  // a city before its state: "Dayton, Ohio", "Quincy, MA 02169", "Austin, TX"
  {
    type: 'ADDRESS',
    re: new RegExp(`${B}((?:${CAP}\\s){0,2}${CAP}),?\\s(?:${STATES}${E}|(?:${STATE_CODES})(?![\\p{L}\\p{N}])|(?:${STATE_CODES_WORDS})\\s\\d{5}${E})`, 'gdu'),
    take: cityBeforeState,
  },
  // a place after a cue of living or moving: "lives in Hoboken", "moved to Quincy", "grew up in New Bedford"
  {
    type: 'ADDRESS',
    re: new RegExp(
      `(?<=\\b(?:live|lives|lived|living|moved|move|moves|moving|grew up|born|raised|relocated|relocating|come|came|comes|coming|originally|stay|stays|stayed|staying|visit|visits|visited|visiting|drove|drive|driving|flew|fly|flying|house|apartment|home)(?:\\s(?:back|out|up|down|over|all the way))?\\s(?:in|to|from|near|outside of|outside|at)\\s)(${CAP}(?:\\s${CAP}){0,2})`,
      'gdu',
    ),
    take: (m) => (STOP_PLACES.has(firstWord(m[1]!)) || STATE_SET.has(m[1]!) ? undefined : group1(m)),
  },
  // a place after "in", "from", "near": "in Worcester", "from Roslindale", "in Fall River" (not months, faiths, languages…)
  {
    type: 'ADDRESS',
    re: new RegExp(`(?<=\\b(?:in|from|near|outside|outside of)\\s)(${CAP}(?:\\s${CAP}){0,2})(?![\\p{L}\\p{N}])`, 'dgu'),
    take: (m) => (m[1]!.split(/\s/).some((w) => STOP_PLACES.has(firstWord(w))) || STATE_SET.has(m[1]!) ? undefined : group1(m)),
  },
  // social media handles
  { type: 'ID', re: /(?<![\p{L}\p{N}._@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?(?![\p{L}\p{N}_@])/gu },
  // the end of a card or account number: "ending in 4471", "last four digits are 0098"
  { type: 'ID', re: /(?<=\b(?:ending in|ends in|ending with|last (?:four|4)(?: digits)?(?: are| is| were)?:?)\s)\d{3,6}(?!\d)/giu },
  // numbers after an identifier word: MRN, member ID, policy, account, licence, plate, case, serial, SSN…
  {
    type: 'ID',
    re: /\b(?:MRN|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|chart (?:number|no\.?|#)|patient (?:ID|number|no\.?)|member (?:ID|number|no\.?)|subscriber (?:ID|number)|policy(?: number| no\.?| #)?|group (?:number|no\.?|#|ID)|account(?: number| no\.?| #)?|acct\.?(?: #)?|licen[cs]e(?: plate)?(?: number| no\.?| #)?|plate(?: number)?|VIN|serial(?: number| no\.?| #)?|SSN|social security(?: number| no\.?)?|insurance (?:ID|number)|case(?: number| no\.?| #)?|claim(?: number| no\.?| #)?|docket(?: number)?|ID(?: number| no\.?| #)?|badge(?: number)?|device (?:ID|number)|NPI|DEA(?: number)?|passport(?: number)?|employee (?:ID|number))(?:\s{0,3}(?:is|was|are|:|#|number|no\.?|of|=)){0,3}\s{0,3}([A-Z]{0,4}[-\s]?\d[\dA-Z-]{2,24}|\d[\d\s-]{4,24}\d)(?![\p{L}\p{N}])/dgiu,
    take: (m) => (group1(m) && (m[1]!.match(/\d/g)?.length ?? 0) >= 3 ? group1(m) : undefined),
  },
  // any "… number is/was N" with four digits or more ("my service number was 5512-88-0417")
  {
    type: 'ID',
    re: /(?<=\b(?:number|no\.|#)(?:\s(?:is|was|are|were))?:?\s)(\d[\d\s-]{2,24}\d|[A-Z]{1,4}-?\d[\dA-Z-]{2,24})(?![\p{L}\p{N}])/dgu,
    take: (m) => ((m[1]!.match(/\d/g)?.length ?? 0) >= 4 ? group1(m) : undefined),
  },
  // user names and handles after a cue ("my username there is quietfern42")
  {
    type: 'ID',
    re: /(?<=\b(?:my|his|her|their|your|the) (?:user ?name|handle|screen ?name|gamertag|gamer tag|login|user ID|account name|profile name)(?:\s(?:there|on \p{L}+))?(?:\s(?:is|was))?:?\s)(?!(?:there|is|was|on)\b)([\p{L}\p{N}_.@-]{3,40})(?<![.])/dgiu,
    take: group1,
  },
  // shapes of identifiers: capitals and digits mixed (plates, licence and member numbers), long digit runs, card numbers
  {
    type: 'ID',
    re: /(?<![\p{L}\p{N}-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{4,24}(?![\p{L}\p{N}-])/gu,
    take: (m) => ((m[0].match(/\d/g)?.length ?? 0) >= 3 && !/-$/.test(m[0]) ? whole(m) : undefined),
  },
  { type: 'ID', re: /(?<![\p{N}.,$£€-])\d{4}[\s-]\d{4}[\s-]\d{4}[\s-]\d{1,4}(?!\d)/gu },
  { type: 'ID', re: /(?<![\p{L}\p{N}.,$£€/-])\d{6,}(?![\p{N}]|[.,]\d)/gu },
];

function AGE_NUMBER(): string {
  const units = '(?:one|two|three|four|five|six|seven|eight|nine)';
  return `(?:9\\d|1[01]\\d|ninety(?:[\\s-]${units})?|(?:a|one) hundred(?:\\s(?:and\\s)?${units})?)`;
}

/** Capitalised words that start a sentence or name a thing, not a place or person. */
const STOP_PLACES = NOT_A_NAME;

function firstWord(s: string): string {
  return s.split(/\s/)[0]!.replace(/[.'’-].*$/, '');
}

/** Drops sentence-start words ("Then Maple Street" → "Maple Street"). */
function trimLeadingStopwords(m: RegExpExecArray): [number, number] | undefined {
  let start = m.index;
  let s = m[0];
  for (;;) {
    const w = /^(\S+)\s+/.exec(s);
    if (!w || !STOP_PLACES.has(firstWord(w[1]!))) break;
    start += w[0].length;
    s = s.slice(w[0].length);
  }
  return /\s/.test(s) ? [start, m.index + m[0].length] : undefined;
}

function trimLeading(m: RegExpExecArray, group: number): [number, number] | undefined {
  const span = m.indices?.[group];
  if (!span) return undefined;
  let [start] = span;
  const end = span[1];
  let s = m[group]!;
  for (;;) {
    const w = /^(\S+)\s+/.exec(s);
    if (!w || !STOP_PLACES.has(firstWord(w[1]!))) break;
    start += w[0].length;
    s = s.slice(w[0].length);
  }
  return STOP_PLACES.has(firstWord(s)) ? undefined : [start, end];
}

/** "New York, NY" is a city; a state name before a state name ("Georgia, Ohio") is left alone. */
function cityBeforeState(m: RegExpExecArray): [number, number] | undefined {
  const city = m[1];
  if (city === undefined) return undefined;
  const byCode = /^,?\s[A-Z]{2}(?![\p{L}])/u.test(m[0].slice(city.length));
  return STATE_SET.has(city) && !byCode ? undefined : trimLeading(m, 1);
}

/** d/m or m/d with a month and a day in range, either way round. */
function plausibleDayMonth(s: string): boolean {
  const [a, b] = s.split(/[/.-]/).map(Number) as [number, number];
  const dayMonth = (d: number, m: number) => m >= 1 && m <= 12 && d >= 1 && d <= 31;
  return dayMonth(b, a) || dayMonth(a, b);
}

/** Every shaped identifier in `text`, possibly overlapping; the caller resolves overlaps. */
export function findPatterns(text: string): Found[] {
  const out: Found[] = [];
  for (const f of FINDERS) {
    f.re.lastIndex = 0;
    for (const m of text.matchAll(f.re)) {
      const span = (f.take ?? whole)(m, text);
      if (span && span[1] > span[0]) out.push({ start: span[0], end: span[1], type: f.type });
    }
  }
  return out;
}
