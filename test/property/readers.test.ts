/**
 * Nothing lost: transcripts with hostile but valid content are written in
 * every format relcode reads, read back through the real reader (bytes cut
 * into chunks at random places, so multi-byte characters straddle them), and
 * each turn in must be exactly one turn out, with its speaker and text.
 *
 * What a format cannot represent is normalised on both sides, as documented:
 * - text, SRT: a line is trimmed and blank lines go; a continuation line that
 *   itself looks like `Label: …` would start a turn, so it is written after `… `;
 * - SRT, WebVTT: cue text is one line, whitespace collapsed; `< > & {` are written
 *   as entities; a cue with no text is skipped (and reported), so texts are non-empty;
 * - CHAT: words and end punctuation only (its codes are stripped by design);
 * - CSV, TSV: CR and CRLF inside a cell read as LF (line ends are normalised);
 * - every format: the speaker label is trimmed; a NUL byte makes a file binary.
 */
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../src/output/writers.js';
import type { RawTranscript } from '../../src/transcript/model.js';
import { readSource } from '../../src/transcript/read.js';
import { parseLabelledLine } from '../../src/transcript/readers/text.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';

const RUNS = Number(process.env.RELCODE_RUNS ?? 250);

interface Turn {
  speaker: string;
  text: string;
}
interface Case {
  transcripts: { id: string; turns: Turn[] }[];
}

// ---------------------------------------------------------------- arbitraries

const HOSTILE = [
  '=', '+', '-', '@', '"', "'", ',', ';', ':', '\t', '\n', '\r\n', '\r', ' ', '  ', '\u00a0', '\u2028', '\u200b', '\u202e', '\uFEFF',
  '😀', '👩‍👩‍👧', 'e\u0301', 'é', '中文', 'مرحبا', '<b>', '</v>', '&amp;', '&lt;', '{\\an8}', '[00:01:23]', 'Client: ', 'Dr. Lee: ',
  '-->', '""', '\\', '%', '#', '*', '**', '...', 'NOTE', 'WEBVTT', '1', '=HYPERLINK("x")', '@SUM(A1)',
];
const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom(...HOSTILE));
const text = fc.array(piece, { maxLength: 8 }).map((ps) => ps.join('').replace(/\0/g, ''));

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTUVWZÄÖÜÉØŁŚÇ');
const lower = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnoprstuvwzäöüéøłśçñ'), maxLength: 7 });
/** Labels the text reader takes for speakers: short, each word capitalised (or a role). */
const label = fc.oneof(
  fc.constantFrom('Therapist', 'Client', 'T', 'C', 'PATIENT', 'Dr. Lee', 'Speaker 2', "O'Brien", 'Counselor', 'Anna Maria', 'client'),
  fc.array(fc.tuple(upper, lower).map(([u, l]) => u + l), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' ')),
);
/** Any speaker string, for formats that store it in a field. */
const anySpeaker = fc.oneof(label, text.map((t) => t.replace(/[\r\n]/g, ' ')));
const ids = fc.uniqueArray(fc.oneof(fc.constantFrom('t1', 'session 2', '=t', 'a,b', 'ü "q"', '-x'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 })), {
  minLength: 1, maxLength: 3, selector: (s) => s.trim(),
}).filter((xs) => xs.every((x) => x.trim() !== '' && !/[\r\n\0]/.test(x)));

const caseOf = (speaker: fc.Arbitrary<string>, several: boolean): fc.Arbitrary<Case> =>
  (several ? ids : fc.constant(['t1'])).chain((names) =>
    fc.tuple(...names.map((id) => fc.array(fc.record({ speaker, text }), { minLength: 1, maxLength: 6 }).map((turns) => ({ id, turns }))))
      .map((transcripts) => ({ transcripts })),
  );

// ---------------------------------------------------------------- formats

interface Format {
  ext: string;
  several: boolean;
  speaker: fc.Arbitrary<string>;
  write(c: Case): Promise<string>;
  /** the turn as the format can hold it */
  expected(t: Turn): Turn;
}

const lines = (s: string) => s.split(/\r\n|\r|\n/);
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const entities = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{/g, '&#123;');
const nonEmpty = (s: string) => (collapse(s) === '' ? 'ok' : s);

/** Text-format body: continuation lines that would read as labels are written after `… `. */
function textBody(s: string): string {
  return lines(s).map((l, i) => (i > 0 && parseLabelledLine(l.trim(), DEFAULT_ROLE_PATTERNS) ? `… ${l}` : l)).join('\n');
}

async function delimited(c: Case, format: 'csv' | 'tsv'): Promise<string> {
  const out = new PassThrough();
  let s = '';
  out.on('data', (b: Buffer) => (s += b.toString('utf8')));
  const w = createWriter(format, ['transcript', 'turn', 'speaker', 'text'], out, {}, { raw: true });
  for (const t of c.transcripts) t.turns.forEach((turn, i) => w.write({ transcript: t.id, turn: i + 1, ...turn }));
  await w.end();
  return s;
}

const CHAT_WORDS = fc.array(fc.oneof(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnoprstuvwyzäöüéñçłś'), minLength: 1, maxLength: 6 }).filter((w) => !/^(?:xxx|yyy|www)$/.test(w)), fc.constantFrom(',', '.', '?', '!')), { maxLength: 8 }).map((ws) => ws.join(' '));

const FORMATS: Record<string, Format> = {
  text: {
    ext: 'txt', several: false, speaker: label,
    write: async (c) => c.transcripts[0]!.turns.map((t) => `${t.speaker}: ${textBody(t.text)}`).join('\n') + '\n',
    expected: (t) => {
      const [first = '', ...rest] = lines(textBody(t.text));
      return { speaker: t.speaker, text: [first.trim(), ...rest.map((l) => l.trim()).filter((l) => l !== '')].join('\n').trim() };
    },
  },
  csv: { ext: 'csv', several: true, speaker: anySpeaker, write: (c) => delimited(c, 'csv'), expected: (t) => ({ speaker: t.speaker.trim(), text: t.text.replace(/\r\n?/g, '\n') }) },
  tsv: { ext: 'tsv', several: true, speaker: anySpeaker, write: (c) => delimited(c, 'tsv'), expected: (t) => ({ speaker: t.speaker.trim(), text: t.text.replace(/\r\n?/g, '\n') }) },
  jsonl: {
    ext: 'jsonl', several: true, speaker: anySpeaker,
    write: async (c) => c.transcripts.flatMap((t) => t.turns.map((turn) => JSON.stringify({ transcript: t.id, speaker: turn.speaker, text: turn.text }))).join('\n') + '\n',
    expected: (t) => ({ speaker: t.speaker.trim(), text: t.text }),
  },
  json: {
    ext: 'json', several: false, speaker: anySpeaker,
    write: async (c) => JSON.stringify({ session_id: 't1', dialog: c.transcripts[0]!.turns.map((t) => ({ author: t.speaker, content: t.text })) }, null, 1),
    expected: (t) => ({ speaker: t.speaker.trim(), text: t.text }),
  },
  vtt: {
    ext: 'vtt', several: false, speaker: anySpeaker.map((s) => (collapse(s) === '' ? 'X' : s)),
    write: async (c) => 'WEBVTT\n\n' + c.transcripts[0]!.turns.map((t, i) => `00:00:${String(i).padStart(2, '0')}.000 --> 00:00:${String(i).padStart(2, '0')}.500\n<v ${entities(collapse(t.speaker))}>${entities(collapse(nonEmpty(t.text)))}\n`).join('\n'),
    expected: (t) => ({ speaker: collapse(t.speaker), text: collapse(nonEmpty(t.text)) }),
  },
  srt: {
    ext: 'srt', several: false, speaker: label,
    write: async (c) => c.transcripts[0]!.turns.map((t, i) => `${i + 1}\n00:00:${String(i).padStart(2, '0')},000 --> 00:00:${String(i).padStart(2, '0')},500\n${t.speaker}: ${entities(collapse(nonEmpty(t.text)))}\n`).join('\n'),
    expected: (t) => ({ speaker: t.speaker, text: collapse(nonEmpty(t.text)) }),
  },
  chat: {
    ext: 'cha', several: false, speaker: fc.constantFrom('THE', 'PAT', 'CLI', 'MOT', 'INV'),
    write: async (c) => `@UTF8\n@Begin\n@Participants:\tTHE Therapist, PAT Patient\n${c.transcripts[0]!.turns.map((t) => `*${t.speaker}:\t${t.text}`).join('\n')}\n@End\n`,
    expected: (t) => {
      const plain = t.text.replace(/\s+([.,;!?])/g, '$1').trim();
      return { speaker: t.speaker, text: /^[.,;!?\s]*$/.test(plain) ? '' : plain };
    },
  },
};

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readBack(content: string, ext: string, chunk: number): Promise<RawTranscript[]> {
  const out: RawTranscript[] = [];
  const opts = { inputFormat: 'auto' as const, columns: {}, rolePatterns: DEFAULT_ROLE_PATTERNS };
  for await (const t of readSource(chunksOf(Buffer.from(content, 'utf8'), chunk), `case.${ext}`, opts, () => {})) out.push(t);
  return out;
}

export const counts: Record<string, number> = {};

describe('every turn written is one turn read, with its speaker and text', () => {
  it.each(Object.keys(FORMATS))('%s', async (name) => {
    const f = FORMATS[name]!;
    const cases = name === 'chat' ? caseOf(f.speaker, false).chain((c) => fc.tuple(...c.transcripts[0]!.turns.map(() => CHAT_WORDS)).map((texts) => ({ transcripts: [{ id: 't1', turns: c.transcripts[0]!.turns.map((t, i) => ({ ...t, text: texts[i]! })) }] }))) : caseOf(f.speaker, f.several);
    let turns = 0;
    await fc.assert(
      fc.asyncProperty(cases, fc.integer({ min: 1, max: 64 }), async (c, chunk) => {
        const back = await readBack(await f.write(c), f.ext, chunk);
        const want = c.transcripts.map((t) => t.turns.map(f.expected));
        const got = back.map((t) => t.turns.map((x) => ({ speaker: x.speaker, text: x.text })));
        expect(got).toEqual(want);
        if (f.several) expect(back.map((t) => t.id)).toEqual(c.transcripts.map((t) => t.id.trim()));
        expect(back.flatMap((t) => t.turns.map((x) => x.turn))).toEqual(c.transcripts.flatMap((t) => t.turns.map((_, i) => i + 1)));
        turns += want.flat().length;
      }),
      { numRuns: RUNS },
    );
    counts[name] = turns;
    console.info(`readers, ${name}: ${RUNS} generated transcripts, ${turns} turns, each read back whole`);
  });
});
