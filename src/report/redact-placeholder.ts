/**
 * PLACEHOLDER for `--redact`, until the redaction issue brings the full
 * de-identification (src/redact/). It replaces only:
 *   - the names in the transcript's speaker labels ("Dr. Lee" → Lee), as [NAME]
 *   - e-mail addresses [EMAIL], phone-like numbers [PHONE], URLs [URL]
 * It does not find other names, places, dates, ages or record numbers in the
 * text. Do not treat its output as de-identified clinical data.
 */

/** One replaced stretch, in offsets of the original text (end exclusive). */
export interface Redaction {
  start: number;
  end: number;
  /** the placeholder put in its place */
  label: string;
}

export interface Redacted {
  text: string;
  /** in text order, offsets of the ORIGINAL text; `mapSpans` moves other spans along */
  spans: Redaction[];
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"']+/giu;
const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const PHONE_RE = /(?<![\p{L}\p{N}])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?![\p{L}\p{N}])/gu;

/** Words of speaker labels that are roles or titles, not names. */
const NOT_NAMES = new Set([
  'therapist', 'client', 'counselor', 'counsellor', 'clinician', 'patient', 'doctor', 'dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof',
  'interviewer', 'interviewee', 'speaker', 'unknown', 'participant', 'facilitator', 'partner', 'parent', 'mother', 'father', 'the', 'and', 'other',
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

export function redactText(text: string, names: string[]): Redacted {
  const found: Redaction[] = [];
  const scan = (re: RegExp, label: string, keep: (m: RegExpExecArray) => boolean = () => true) => {
    for (const m of text.matchAll(re)) {
      if (!keep(m)) continue;
      let end = m.index + m[0].length;
      // a URL at the end of a sentence does not take the full stop with it
      if (label === '[URL]') while (end > m.index && /[.,;:!?)\]]/.test(text[end - 1]!)) end--;
      found.push({ start: m.index, end, label });
    }
  };
  scan(URL_RE, '[URL]');
  scan(EMAIL_RE, '[EMAIL]');
  scan(PHONE_RE, '[PHONE]', (m) => (m[0].match(/\d/g)?.length ?? 0) >= 7);
  for (const name of names) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu');
    // a name as a name: capitalised in the text ("Hope", not "hope")
    scan(re, '[NAME]', (m) => /^\p{Lu}/u.test(m[0]));
  }
  // earlier first, then longer; an overlapping later find is dropped
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: Redaction[] = [];
  for (const r of found) if (!spans.length || r.start >= spans[spans.length - 1]!.end) spans.push(r);
  let out = '';
  let pos = 0;
  for (const r of spans) {
    out += text.slice(pos, r.start) + r.label;
    pos = r.end;
  }
  return { text: out + text.slice(pos), spans };
}
