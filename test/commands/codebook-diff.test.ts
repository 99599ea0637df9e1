import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { DIFF_COLUMNS, indicatorList, renderDiff, runCodebookDiff, type DiffOptions, type DiffReport } from '../../src/commands/codebook-diff.js';
import type { Diagnostic } from '../../src/diagnostics.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-diff-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const read = { inputFormat: 'auto' as const, columns: {} };

async function diff(oldFile: string, newFile: string, inputs: string[], roles: DiffOptions['roles'] = {}) {
  const diagnostics: Diagnostic[] = [];
  const report = await runCodebookDiff({ old: oldFile, new: newFile, inputs, roles, read }, (d) => diagnostics.push(d));
  return { report, diagnostics };
}

// A hand-made session. Turn numbers count labelled lines.
const session = write(
  'session.txt',
  [
    'Therapist: It sounds like you felt alone.', //  1
    'Client: I feel safe here.', //                   2
    'Therapist: That "sounds like a plan", then.', // 3
    'Therapist: Welcome back, take a seat.', //       4
    'Client: Something happened at work.', //         5
  ].join('\n'),
);

const OLD = write(
  'old.yaml',
  `codebook: old
dimensions:
  empathy:
    roles: [therapist]
    indicators: [sounds like]
  trust:
    indicators: [feel safe]
  warmth:
    indicators:
      - welcome back
`,
);

const NEW = write(
  'new.yaml',
  `codebook: new
dimensions:
  empathy:
    roles: [therapist]
    indicators: [sounds like]
    exclude: [sounds like a plan]
  trust:
    indicators:
      - feel safe
      - happened
  care:
    indicators:
      - take a seat
`,
);

// Worked out by hand:
//  empathy  old: "sounds like" in turns 1 and 3. new: the exclusion vetoes turn 3 → lost 3.
//  trust    old: "feel safe" in turn 2. new: also "happened" (stem happen) in turn 5 → gained 5.
//  care     only in new: "take a seat" in turn 4 → gained 4; status added.
//  warmth   only in old: "welcome back" in turn 4 → lost 4; status removed.
// Changes in corpus order, a turn's dimensions in the order of the totals (new's, then old-only).
const EXPECTED_CHANGES = [
  { turn: 3, dimension: 'empathy', change: 'lost', old: [['sounds like', 5]], new: [] },
  { turn: 4, dimension: 'care', change: 'gained', old: [], new: [['take a seat', 13]] },
  { turn: 4, dimension: 'warmth', change: 'lost', old: [['welcome back', 10]], new: [] },
  { turn: 5, dimension: 'trust', change: 'gained', old: [], new: [['happened', 10]] },
];

describe('codebook diff', () => {
  it('identical codebooks: no changes, every total unchanged', async () => {
    const { report } = await diff(NEW, NEW, [session]);
    expect(report.changed).toBe(false);
    expect(report.changes).toEqual([]);
    for (const t of report.totals) {
      expect(t).toMatchObject({ status: 'same', turns: 5, gained: 0, lost: 0 });
      expect(t.old_coded).toBe(t.new_coded);
    }
  });

  it('a hand-made pair: exactly the turns worked out by hand', async () => {
    const { report } = await diff(OLD, NEW, [session]);
    expect(report.changed).toBe(true);
    expect(
      report.changes.map((c) => ({
        turn: c.turn,
        dimension: c.dimension,
        change: c.change,
        old: c.old_indicators.map((m) => [m.indicator, m.line]),
        new: c.new_indicators.map((m) => [m.indicator, m.line]),
      })),
    ).toEqual(EXPECTED_CHANGES);
    expect(report.changes.every((c) => c.transcript === 'session')).toBe(true);
    expect(report.changes[0]).toMatchObject({ speaker: 'Therapist', role: 'therapist', text: 'That "sounds like a plan", then.' });
    // the match offsets point at the matched words
    const lost = report.changes[0]!;
    expect(lost.text.slice(lost.old_indicators[0]!.start, lost.old_indicators[0]!.end)).toBe('sounds like');
  });

  it('per-dimension totals, with added and removed dimensions', async () => {
    const { report } = await diff(OLD, NEW, [session]);
    expect(report.totals).toEqual([
      { dimension: 'empathy', status: 'same', turns: 5, old_coded: 2, new_coded: 1, gained: 0, lost: 1 },
      { dimension: 'trust', status: 'same', turns: 5, old_coded: 1, new_coded: 2, gained: 1, lost: 0 },
      { dimension: 'care', status: 'added', turns: 5, old_coded: 0, new_coded: 1, gained: 1, lost: 0 },
      { dimension: 'warmth', status: 'removed', turns: 5, old_coded: 1, new_coded: 0, gained: 0, lost: 1 },
    ]);
  });

  it('reads each transcript once: an unknown speaker is reported once, not once per codebook', async () => {
    const t = write('stranger.txt', 'Therapist: It sounds like you felt alone.\nVisitor Jones: Hello there.\n');
    const { diagnostics } = await diff(OLD, NEW, [t]);
    expect(diagnostics.filter((d) => d.ruleId === 'unknown-speaker')).toHaveLength(1);
    expect(diagnostics.find((d) => d.ruleId === 'totals')?.message).toMatch(/compared 2 turns in 1 transcript/);
  });

  it("roles come from the new codebook's patterns (for both codings) and --role", async () => {
    const t = write('coach.txt', 'Coach: It sounds like you felt alone.\n');
    const coachBook = write('roles.yaml', 'codebook: r\nroles:\n  therapist: [coach]\n  client: [client]\ndimensions:\n  empathy:\n    roles: [therapist]\n    indicators: [sounds like]\n');
    const empathy = (r: DiffReport) => r.totals.find((x) => x.dimension === 'empathy');
    // new says a coach is a therapist: the old codebook codes the turn too, though its own patterns do not know "coach"
    expect(empathy((await diff(OLD, coachBook, [t])).report)).toMatchObject({ old_coded: 1, new_coded: 1 });
    // the other way round the coach has no role (other), which empathy does not code, on either side
    const reverse = await diff(coachBook, OLD, [t]);
    expect(empathy(reverse.report)).toMatchObject({ old_coded: 0, new_coded: 0 });
    expect(reverse.diagnostics.filter((d) => d.ruleId === 'unknown-speaker')).toHaveLength(1);
    // --role wins over the patterns
    expect(empathy((await diff(coachBook, OLD, [t], { coach: 'therapist' })).report)).toMatchObject({ old_coded: 1, new_coded: 1 });
  });

  it('removing one indicator from the default codebook: every change is that dimension lost, where that indicator matched', async () => {
    const codebook = await loadCodebook(DEFAULT_CODEBOOK);
    const text = readFileSync(DEFAULT_CODEBOOK, 'utf8');
    const warmth = codebook.dimensions.find((d) => d.id === 'warmth')!;
    const removed = warmth.indicators.find((i) => i.source === 'welcome (back|in|aboard|to|here)')!;
    const lines = text.split('\n');
    expect(lines[removed.line - 1]).toContain(removed.source);
    lines.splice(removed.line - 1, 1);
    const copy = write('without-one.yaml', lines.join('\n'));

    const { report } = await diff(DEFAULT_CODEBOOK, copy, ['fixtures/transcripts']);
    expect(report.changes.length).toBeGreaterThan(0);
    for (const c of report.changes) {
      expect(c).toMatchObject({ dimension: 'warmth', change: 'lost', new_indicators: [] });
      expect(c.old_indicators.map((m) => [m.indicator, m.line])).toContainEqual([removed.source, removed.line]);
    }
    const totals = report.totals.find((t) => t.dimension === 'warmth')!;
    expect(totals).toMatchObject({ gained: 0, lost: report.changes.length, old_coded: totals.new_coded + report.changes.length });
    expect(report.totals.filter((t) => t.dimension !== 'warmth').every((t) => t.gained === 0 && t.lost === 0)).toBe(true);
  });
});

describe('renderDiff', async () => {
  const { report } = await diff(OLD, NEW, [session]);

  it('csv: one row per change that csv-parse reads back', () => {
    const out = renderDiff(report, { format: 'csv', color: false, width: 100 });
    expect(out.split('\n')[0]).toBe(DIFF_COLUMNS.join(','));
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual(
      report.changes.map((c) => ({
        transcript: c.transcript,
        turn: String(c.turn),
        speaker: c.speaker,
        role: c.role,
        dimension: c.dimension,
        change: c.change,
        old_indicators: indicatorList(c.old_indicators),
        new_indicators: indicatorList(c.new_indicators),
        text: c.text,
      })),
    );
    expect(rows[0]!.old_indicators).toBe('"sounds like" line 5');
  });

  it('csv of no changes is the header alone', () => {
    const empty: DiffReport = { ...report, changed: false, changes: [] };
    expect(renderDiff(empty, { format: 'csv', color: false, width: 100 })).toBe(`${DIFF_COLUMNS.join(',')}\n`);
  });

  it('json: totals and changes', () => {
    const json = JSON.parse(renderDiff(report, { format: 'json', color: false, width: 100 })) as DiffReport;
    expect(json.totals).toEqual(report.totals);
    expect(json.changes).toEqual(report.changes);
  });

  it('table: totals first, then each change by dimension with its marker, text and indicator', () => {
    const out = renderDiff(report, { format: 'table', color: false, width: 120 });
    expect(out).not.toContain('\u001b');
    const lines = out.split('\n');
    const header = lines.findIndex((l) => /^dimension\s+status\s+turns\s+old_coded\s+new_coded\s+gained\s+lost$/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 2]).toMatch(/^empathy\s+same\s+5\s+2\s+1\s+0\s+1$/);
    const changeLines = lines.filter((l) => /^[+-] /.test(l));
    expect(changeLines).toEqual([
      '- empathy  session #3 Therapist: That "**sounds like** a plan", then.  (old: "sounds like" line 5)',
      '+ trust    session #5 Client: Something **happened** at work.  (new: "happened" line 10)',
      '+ care     session #4 Therapist: Welcome back, **take a seat**.  (new: "take a seat" line 13)',
      '- warmth   session #4 Therapist: **Welcome back**, take a seat.  (old: "welcome back" line 10)',
    ]);
    expect(lines.findIndex((l) => l.startsWith('- empathy'))).toBeGreaterThan(header);
    expect(out).toContain('Dimension care is only in the new codebook.');
    expect(out).toContain('Dimension warmth is only in the old codebook.');
  });

  it('table: colour only when asked', () => {
    expect(renderDiff(report, { format: 'table', color: true, width: 120 })).toContain('\u001b[');
  });

  it('table: a narrow terminal puts the text on a line of its own', () => {
    const out = renderDiff(report, { format: 'table', color: false, width: 60 });
    const i = out.split('\n').findIndex((l) => l.startsWith('- empathy'));
    expect(out.split('\n')[i]).toBe('- empathy  session #3 Therapist:  (old: "sounds like" line 5)');
    expect(out.split('\n')[i + 1]).toBe('    That "**sounds like** a plan", then.');
  });

  it('table: says so when nothing changed', async () => {
    const same = (await diff(NEW, NEW, [session])).report;
    expect(renderDiff(same, { format: 'table', color: false, width: 100 })).toContain('No turn gains or loses a dimension (1 transcript).');
  });
});
