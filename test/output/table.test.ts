import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/coding/aggregate.js';
import type { CodedTranscript } from '../../src/coding/model.js';
import { matchColumns, matchRecords, turnColumns, turnRecord } from '../../src/output/rows.js';
import {
  displayWidth,
  ExcerptCollector,
  rateBar,
  renderRowsTable,
  renderSummaryTable,
  type Excerpt,
} from '../../src/output/table.js';
import { dimensions, session, turn } from './fixture.js';

const ESC = '\u001b';

const monologue =
  'So we have been talking for a while now about many things, and I want to say that I really do hear you, ' +
  'and it must have been really painful to carry this alone for so many years without anyone to share it with, ' +
  'and I am glad that you came back today even though it was hard to get here this morning.';

const second: CodedTranscript = {
  id: 's2',
  source: 's2.txt',
  turns: [turn(1, 'Dr. Lee', 'therapist', monologue, 60, [['must have been really painful', 'empathy']])],
};

function summary(color: boolean, width = 80): string {
  const collector = new ExcerptCollector(dimensions, 3);
  collector.add(session);
  collector.add(second);
  const rows = [...summarise(session, dimensions, false), ...summarise(second, dimensions, false)];
  return renderSummaryTable(rows, collector.result(), dimensions, { color, width, byRole: false });
}

/** Every `**…**` in the text. */
const marked = (s: string) => [...s.matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);

describe('renderSummaryTable', () => {
  it('without colour: no escape codes, and ** around exactly the matched words', () => {
    const out = summary(false);
    expect(out).not.toContain(ESC);
    expect(marked(out)).toEqual([
      'like this', // the legend
      'told anyone',
      'trusting me',
      'sounds really painful',
      'must have been really painful',
      'good to see you',
      'Take your time',
    ]);
    expect(out).toContain("Welcome back, it's **good to see you**. **Take your time**.");
    // the line break in the client's turn does not break the excerpt line
    expect(out).toContain('I\'ve never **told anyone** this, "not even my sister". It\'s hard 😢 — café');
  });

  it('with colour: ANSI codes and no plain markers', () => {
    const out = summary(true);
    expect(out).toContain(`${ESC}[1m`);
    expect(out).toMatch(/\u001b\[\d+mtold anyone\u001b\[/);
    expect(marked(out)).toEqual([]);
  });

  it('one line per dimension per transcript, then totals when there are several', () => {
    const lines = summary(false).split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    expect(lines).toContain('s1 4 turns, 36 words');
    // the bar is scaled to the block's highest rate (trust and warmth, 55.56)
    expect(lines).toContain('Trust 2 / 4 2 55.56 ############');
    expect(lines).toContain('Empathy 1 / 4 1 27.78 ######');
    expect(lines).toContain('s2 1 turn, 60 words');
    expect(lines).toContain('Empathy 1 / 1 1 16.67 ############');
    expect(lines).toContain('Trust 0 / 1 0 0.00');
    expect(lines).toContain('All 2 transcripts 5 turns, 96 words');
    // empathy over both: 2 matches in 96 words
    expect(lines).toContain('Empathy 2 / 5 2 20.83 ############');
  });

  it('a rate bar per dimension: eighth blocks with colour, # without', () => {
    const plain = summary(false).split('\n');
    const header = plain.find((l) => l.includes('per 1,000 words'))!;
    expect(header.trimEnd().endsWith('Rate')).toBe(true);
    // every bar starts in the Rate column
    const at = header.indexOf('Rate');
    const bars = plain.filter((l) => /\s#+$/.test(l));
    expect(bars.length).toBeGreaterThan(0);
    for (const line of bars) expect(line.slice(at)).toMatch(/^#+$/);
    expect(summary(false)).not.toMatch(/[▏▎▍▌▋▊▉█]/);

    const colour = summary(true);
    expect(colour).toContain('█'.repeat(12));
    expect(colour).not.toMatch(/ #+$/m);
  });

  it.each([
    [55.56, 55.56, true, '████████████'],
    [27.78, 55.56, true, '██████'],
    [1, 10, true, '█▎'], // 1.2 columns = 9.6 eighths, rounded to 10: a block and two eighths
    [0.01, 100, true, '▏'], // above zero always shows
    [0.01, 100, false, '#'],
    [5, 10, false, '######'],
    [0, 10, true, ''],
    [null, 10, false, ''],
    [3, 0, true, ''],
  ])('rateBar(%s, %s, unicode %s) = %j', (value, max, unicode, bar) => {
    expect(rateBar(value, max, 12, unicode)).toBe(bar);
  });

  it('no totals block for a single transcript; a dash for a rate without words', () => {
    const silent: CodedTranscript = { id: 'q', source: 'q', turns: [turn(1, 'T', 'therapist', '', 0)] };
    const out = renderSummaryTable(summarise(silent, dimensions, false), new Map(), dimensions, { color: false, width: 80, byRole: false });
    expect(out).not.toContain('All ');
    expect(out.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))).toContain('Trust 0 / 1 0 –');
    expect(out).toContain('no coded turns');
  });

  it('by role: a role column', () => {
    const out = renderSummaryTable(summarise(session, dimensions, true), new Map(), dimensions, { color: false, width: 80, byRole: true });
    const lines = out.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    // scaled to the block's highest rate: warmth of the therapist, 95.24
    expect(lines).toContain('Trust therapist 1 / 2 1 47.62 ######');
    expect(lines).toContain('Trust client 1 / 2 1 66.67 ########');
    expect(lines).toContain('Warmth therapist 1 / 2 2 95.24 ############');
  });

  it('cuts a long turn to a window around the match that fits the width', () => {
    const lines = summary(false, 60).split('\n');
    const line = lines.find((l) => l.includes('**must have been really painful**'));
    expect(line).toBeDefined();
    expect(line!.trim().startsWith('…')).toBe(true);
    expect(line!.trim().endsWith('…')).toBe(true);
    expect(displayWidth(line!)).toBeLessThanOrEqual(60);
  });

  it('does not let transcript text drive the terminal', () => {
    const hostile: CodedTranscript = {
      id: 'h',
      source: 'h',
      turns: [turn(1, 'T\u001b[2J', 'therapist', 'I \u001b[31mcare\u001b[0m about you', 4, [['care', 'warmth']])],
    };
    const collector = new ExcerptCollector(dimensions, 1);
    collector.add(hostile);
    const out = renderSummaryTable(summarise(hostile, dimensions, false), collector.result(), dimensions, { color: false, width: 80, byRole: false });
    expect(out).not.toContain(ESC);
    expect(out).toContain('**care**');
  });
});

describe('ExcerptCollector', () => {
  const a: CodedTranscript = {
    id: 'a',
    source: 'a',
    turns: [
      turn(1, 'C', 'client', 'I never told anyone.', 4, [['told anyone', 'trust']]),
      turn(2, 'T', 'therapist', 'Thank you for trusting me.', 5, [['trusting me', 'trust']]),
    ],
  };
  const b: CodedTranscript = {
    id: 'b',
    source: 'b',
    turns: [
      turn(1, 'C', 'client', 'I trust you, I feel safe here.', 7, [['trust you', 'trust'], ['feel safe', 'trust']]),
      turn(2, 'T', 'therapist', 'You can rely on me.', 5, [['rely on me', 'trust', 2]]),
    ],
  };
  const c: CodedTranscript = {
    id: 'c',
    source: 'c',
    turns: [
      turn(1, 'T', 'therapist', "I'll be here next week.", 5, [["I'll be here", 'trust', 2]]),
      turn(2, 'T', 'therapist', 'Take your time, I trust you.', 6, [['Take your time', 'warmth'], ['trust you', 'trust']]),
    ],
  };
  const ids = (list: Excerpt[] | undefined) => (list ?? []).map((e) => `${e.transcript}#${e.turn}`);

  it('keeps the top N across transcripts: most matches, then weight, then first seen', () => {
    const collector = new ExcerptCollector(dimensions, 3);
    for (const t of [a, b, c]) collector.add(t);
    const got = collector.result();
    // b#1 has 2 matches; b#2 and c#1 weigh 2 (b#2 seen first); then a#1, a#2, c#2 weigh 1.
    expect(ids(got.get('trust'))).toEqual(['b#1', 'b#2', 'c#1']);
    expect(ids(got.get('warmth'))).toEqual(['c#2']);
    expect(got.get('empathy')).toEqual([]);
    expect([...got.keys()]).toEqual(['trust', 'empathy', 'warmth']);
  });

  it('breaks full ties by first seen, whatever the order of arrival', () => {
    const collector = new ExcerptCollector(dimensions, 2);
    for (const t of [c, a]) collector.add(t);
    expect(ids(collector.result().get('trust'))).toEqual(['c#1', 'c#2']);
  });

  it("an excerpt carries only its dimension's spans", () => {
    const collector = new ExcerptCollector(dimensions, 1);
    collector.add(c);
    const [e] = collector.result().get('warmth') ?? [];
    expect(e).toEqual({ transcript: 'c', turn: 2, speaker: 'T', role: 'therapist', text: 'Take your time, I trust you.', spans: [{ start: 0, end: 14 }] });
  });

  it('keeps nothing with N = 0', () => {
    const collector = new ExcerptCollector(dimensions, 0);
    collector.add(b);
    expect(collector.result().get('trust')).toEqual([]);
  });
});

describe('renderRowsTable', () => {
  it('aligns turn rows and cuts long text with … to fit the width', () => {
    const t2 = { ...second, turns: [...session.turns, ...second.turns] };
    const records = t2.turns.map((t) => turnRecord(t2, t, dimensions));
    const out = renderRowsTable(turnColumns(dimensions), records, { color: false, width: 130 });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2 + records.length);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(130);
    expect(out).not.toContain(ESC);
    expect(lines[0]).toMatch(/^transcript\s+turn\s+speaker\s+role\s+start\s+end\s+words\s+trust\s+empathy\s+warmth\s+text$/);
    expect(lines[2 + 4]).toMatch(/^s2 +1 +Dr\. Lee +therapist +60 +0 +1 +0 +So we have been .*…$/);
    // the text column starts at the same place on every line
    const at = lines[0]!.indexOf('text');
    expect(lines[2]!.slice(at)).toMatch(/^Welcome back/);
    expect(lines[3]!.slice(at)).toMatch(/^I've never told anyone/);
  });

  it('at a narrow width, cuts short columns too, and the text keeps a share', () => {
    const records = session.turns.map((t) => turnRecord(session, t, dimensions));
    const lines = renderRowsTable(turnColumns(dimensions), records, { color: false, width: 80 }).trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^tra\S*… /);
    const text = lines[2]!.slice(lines[0]!.indexOf('text'));
    expect(text).toMatch(/^Welcome back, it's .*…$/);
    expect(text.length).toBeGreaterThanOrEqual(20);
  });

  it('match rows, with colour on', () => {
    const records = session.turns.flatMap((t) => matchRecords(session, t));
    const out = renderRowsTable(matchColumns(), records, { color: true, width: 120 });
    expect(out).toContain(ESC);
    expect(out).toContain('sounds really painful');
  });

  it('zero rows: the header only', () => {
    const out = renderRowsTable(matchColumns(), [], { color: false, width: 120 });
    expect(out.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('renderSummaryTable with many transcripts', () => {
  const row = (transcript: string, dimension: string, coded: number) => ({
    transcript, dimension, turns: 10, coded_turns: coded, matches: coded, words: 100, per_1000_words: coded * 10,
  });
  const rowsFor = (count: number) =>
    Array.from({ length: count }, (_, i) => dimensions.map((d, k) => row(`t${i + 1}`, d.id, (i + k) % 3))).flat();

  it('gives one line per transcript above ten, with coded turns per dimension, then the totals', () => {
    const out = renderSummaryTable(rowsFor(11), new Map(), dimensions, { color: false, width: 120, byRole: false });
    expect(out).toMatch(/^Coded turns per transcript {2}11 transcripts/);
    // t2: i = 1, so dimension k has (1 + k) % 3 coded turns
    const line = out.split('\n').find((l) => /^\s+t2\s/.test(l))!;
    expect(line.trim().split(/\s+/)).toEqual(['t2', '10', ...dimensions.map((_, k) => String((1 + k) % 3))]);
    expect(out).toContain('All 11 transcripts');
    expect(out).not.toMatch(/^t1 {2}/m);
  });

  it('keeps a block per transcript up to ten', () => {
    const out = renderSummaryTable(rowsFor(10), new Map(), dimensions, { color: false, width: 120, byRole: false });
    expect(out).not.toContain('Coded turns per transcript');
    expect(out).toMatch(/^t10 {2}10 turns, 100 words/m);
  });
});
