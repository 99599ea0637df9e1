import { describe, expect, it } from 'vitest';
import { renderTranscript, speakerLabel } from '../../src/qda/plain-text.js';
import { splitSource, turnsOverlapping } from '../../src/qda/turns.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { RawTurn } from '../../src/transcript/model.js';
import { parseLabelledLine, parseText } from '../../src/transcript/readers/text.js';
import { DEFAULT_ROLE_PATTERNS } from '../../src/transcript/roles.js';

type T = Pick<RawTurn, 'speaker' | 'text' | 'start'>;
const read = (text: string) => {
  const warnings: Diagnostic[] = [];
  const t = parseText(text, { file: 'x', source: 'x', id: 'x', rolePatterns: DEFAULT_ROLE_PATTERNS }, (d) => warnings.push(d));
  return { turns: t.turns, warnings };
};
/** What a turn's text becomes when read back: lines trimmed, blank lines gone. */
const asRead = (text: string) => text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean).join('\n');

describe('a transcript as plain text, read back by the text reader', () => {
  const cases: [string, T[]][] = [
    ['plain turns', [{ speaker: 'Therapist', text: 'Hello.' }, { speaker: 'Client', text: 'Hi 😊 café (e\u0301).' }]],
    ['the same speaker twice in a row', [{ speaker: 'T', text: 'One.' }, { speaker: 'T', text: 'Two.' }]],
    ['an empty turn', [{ speaker: 'Client', text: '' }, { speaker: 'Therapist', text: 'Take your time.' }]],
    ['a multi-line turn with blank lines and indentation', [{ speaker: 'Client', text: 'Line one.\n\n   Line two.  \r\nLine three.' }]],
    ['lowercase role labels (AnnoMI style)', [{ speaker: 'therapist', text: 'Hi.' }, { speaker: 'client', text: 'Hey.' }]],
    ['labels with dots and initials', [{ speaker: 'Dr. Lee', text: 'Hi — Sam?' }, { speaker: 'PATIENT', text: 'I go by Jo.' }]],
    ['times before the label', [{ speaker: 'Dr. Lee', text: 'Hi.', start: '00:00:04' }, { speaker: 'Client', text: 'Hello.', start: '1:02' }]],
  ];
  it.each(cases)('%s', (_, turns) => {
    const r = read(renderTranscript(turns, DEFAULT_ROLE_PATTERNS).text);
    expect(r.warnings).toEqual([]);
    expect(r.turns.map((t) => t.speaker)).toEqual(turns.map((t) => t.speaker));
    expect(r.turns.map((t) => t.text)).toEqual(turns.map((t) => asRead(t.text)));
    expect(r.turns.map((t) => t.start)).toEqual(turns.map((t) => t.start));
  });

  it('joins a line that would read as a new turn to the line before, even when joining makes one', () => {
    const turns: T[] = [
      { speaker: 'Client', text: 'She told me:\nMom: you never listen\nDr\nLee: said so too\nand that was it.' },
      { speaker: 'Therapist', text: 'Mm.' },
    ];
    const r = read(renderTranscript(turns, DEFAULT_ROLE_PATTERNS).text);
    expect(r.turns.map((t) => t.speaker)).toEqual(['Client', 'Therapist']);
    // "Lee: …" joins "Dr", and "Dr Lee: …" then joins the line before it
    expect(r.turns[0]!.text).toBe('She told me: Mom: you never listen Dr Lee: said so too\nand that was it.');
  });

  it('gives a speaker the reader would not take as a label a tidy one it does', () => {
    const ok = (l: string) => parseLabelledLine(`${l}: x`, DEFAULT_ROLE_PATTERNS)?.label === l;
    expect(speakerLabel('bob', ok)).toBe('Bob');
    expect(speakerLabel('speaker: 2', ok)).toBe('Speaker 2');
    expect(speakerLabel('  Client  ', ok)).toBe('Client');
    expect(speakerLabel('!!!', ok)).toBe('Speaker');
    expect(speakerLabel('a very long speaker name with many words in it', ok)).toBe('A Very Long Speaker');
    const r = read(renderTranscript([{ speaker: 'bob', text: 'Hi.' }, { speaker: '', text: 'Yo.' }], DEFAULT_ROLE_PATTERNS).text);
    expect(r.turns.map((t) => [t.speaker, t.text])).toEqual([['Bob', 'Hi.'], ['Speaker', 'Yo.']]);
  });

  it('maps a span of a turn’s text to the same words in the document', () => {
    const text = 'First line.\n\n  Second 😊 line.';
    const doc = renderTranscript([{ speaker: 'T', text: 'Hi.' }, { speaker: 'C', text }], DEFAULT_ROLE_PATTERNS);
    const at = doc.turns[1]!;
    for (const word of ['First', 'line.', 'Second', '😊', 'Second 😊 line.', 'First line.\n\n  Second']) {
      const s = text.indexOf(word);
      const [a, b] = at.span(s, s + word.length);
      expect(doc.text.slice(a, b)).toBe(asRead(word).replace(/\n+\s*/g, '\n'));
    }
    expect(doc.text.slice(at.textStart, at.textEnd)).toBe('First line.\nSecond 😊 line.');
  });
});

describe('splitting a source into turns with their code-point spans', () => {
  it('spans run from the label to the end of the turn’s last line, in code points', () => {
    const text = 'Intro line without a label.\r\nT: Hi 😊.\r\nC: Café (e\u0301)\r\nand more.\r\n\r\nT: Bye.';
    const warnings: Diagnostic[] = [];
    const s = splitSource(text, { file: 'p', source: 'p', id: 'x', rolePatterns: DEFAULT_ROLE_PATTERNS }, (d) => warnings.push(d));
    expect(s.transcript.turns.map((t) => t.speaker)).toEqual(['T', 'C', 'T']);
    expect(warnings.map((w) => w.ruleId)).toEqual(['text-before-first-speaker']);
    const cps = [...text];
    expect(s.spans.map(([a, b]) => cps.slice(a, b).join(''))).toEqual(['T: Hi 😊.', 'C: Café (e\u0301)\r\nand more.', 'T: Bye.']);
    expect(s.length).toBe(cps.length);
    // the intro and the line breaks between turns belong to no turn
    expect(turnsOverlapping(s.spans, 0, 10)).toEqual([]);
    expect(turnsOverlapping(s.spans, s.spans[0]![0], s.spans[1]![0] + 1)).toEqual([1, 2]);
    expect(turnsOverlapping(s.spans, s.spans[0]![1], s.spans[1]![0])).toEqual([]);
    expect(turnsOverlapping(s.spans, 0, s.length)).toEqual([1, 2, 3]);
  });
});
