import { describe, expect, it } from 'vitest';
import { compareCodings, POOLED } from '../../src/agreement/compare.js';
import { unitKey, type Coding } from '../../src/agreement/coding.js';
import type { CodedTranscript } from '../../src/coding/model.js';
import { InputError } from '../../src/diagnostics.js';
import { AgreementCollector, pooledRow, type ComparedDimension } from '../../src/report/agreement.js';
import { turn } from '../output/fixture.js';

const dims: ComparedDimension[] = [
  { id: 'trust', roles: ['therapist', 'client'] },
  { id: 'empathy', roles: ['therapist'] },
  { id: 'warmth', roles: ['therapist', 'client', 'other'] },
];

const a: CodedTranscript = {
  id: 'a',
  source: 'a.txt',
  turns: [
    turn(1, 'T', 'therapist', 'That sounds hard.', 3, [['sounds hard', 'empathy']]),
    turn(2, 'C', 'client', 'I never told anyone.', 4, [['told anyone', 'trust']]),
    turn(3, 'T', 'therapist', 'Go on.', 2),
    turn(4, 'C', 'client', 'You get me.', 3),
  ],
};
const b: CodedTranscript = {
  id: 'b',
  source: 'b.txt',
  turns: [turn(1, 'T', 'therapist', 'Take your time.', 3, [['Take your time', 'warmth']]), turn(2, 'C', 'client', 'Thanks, you are kind.', 4)],
};
const c: CodedTranscript = { id: 'c', source: 'c.txt', turns: [turn(1, 'T', 'therapist', 'Hello.', 1)] };

function longCoding(rows: [string, number, string][]): Coding {
  const coded = new Map<string, Set<string>>();
  for (const [t, n, d] of rows) coded.set(unitKey(t, n), new Set([...(coded.get(unitKey(t, n)) ?? []), d]));
  return { file: 'human.csv', shape: 'long', coded, lines: new Map(rows.map(([t, n], i) => [unitKey(t, n), i + 2])) };
}

const human = longCoding([
  ['a', 1, 'empathy'],
  ['a', 3, 'empathy'],
  ['a', 4, 'empathy'], // a client turn: the codebook codes empathy for therapists only
  ['a', 2, 'trust'],
  ['b', 1, 'warmth'],
  ['b', 2, 'warmth'],
]);

function run(coding: Coding, maxShown = 30) {
  const collector = new AgreementCollector(coding, dims, maxShown);
  for (const t of [a, b, c]) collector.add(t);
  const warnings: string[] = [];
  const result = collector.result((d) => warnings.push(`${d.ruleId}: ${d.message}`));
  return { result, warnings };
}

/** The codebook's coding of a, b, c as `relcode code --level turn` would write it. */
function autoCoding(): Coding {
  const units = new Set<string>();
  const coded = new Map<string, Set<string>>();
  const turns = new Map<string, { role: string }>();
  for (const t of [a, b, c]) {
    for (const x of t.turns) {
      const key = unitKey(t.id, x.turn);
      units.add(key);
      turns.set(key, { role: x.role });
      const set = new Set(Object.keys(x.counts).filter((d) => x.counts[d]! > 0));
      if (set.size) coded.set(key, set);
    }
  }
  return { file: 'auto.csv', shape: 'turn', coded, units, lines: new Map(), turns, dimensions: ['trust', 'empathy', 'warmth'] };
}

describe('AgreementCollector', () => {
  it('compares each dimension on the turns of its roles, as compare --role does', () => {
    const { result } = run(human);
    const row = (d: string) => result.rows.find((r) => r.dimension === d)!;
    expect(result.rows.map((r) => r.dimension)).toEqual(['trust', 'empathy', 'warmth', POOLED]);
    // empathy: therapist turns a1, a3, b1, c1
    expect(row('empathy')).toMatchObject({ units: 4, tp: 1, fp: 0, fn: 1, tn: 2 });
    const byRole = compareCodings([autoCoding(), human], { dimensions: ['empathy'], role: 'therapist' }, () => {});
    expect(row('empathy')).toEqual(byRole.pairs[0]!.rows[0]);
    // trust: therapist and client turns (all 7 here); warmth: every turn
    expect(row('trust')).toMatchObject({ units: 7, tp: 1, fp: 0, fn: 0, tn: 6, kappa: 1 });
    expect(row('warmth')).toMatchObject({ units: 7, tp: 1, fp: 0, fn: 1, tn: 5 });
    expect(result.outside).toEqual({ empathy: 1 });
    expect(result.roles.empathy).toEqual(['therapist']);
    expect(result).toMatchObject({ transcripts: 3, units: 7, notCompared: [], leftOut: [], uncoded: ['c'] });
  });

  it('pools every dimension × unit decision', () => {
    const { result } = run(human);
    const pooled = result.rows.find((r) => r.dimension === POOLED)!;
    expect(pooled).toMatchObject({ units: 18, tp: 3, fp: 0, fn: 2, tn: 13 });
    expect(pooled).toEqual(pooledRow(result.rows.filter((r) => r.dimension !== POOLED)));
    // pooledRow agrees with compareCodings' own pooled row
    const all = compareCodings([autoCoding(), human], { dimensions: ['trust', 'warmth'] }, () => {});
    expect(pooledRow(all.pairs[0]!.rows.slice(0, 2))).toEqual(all.pairs[0]!.rows[2]);
  });

  it('keeps the text of the first disagreements only, in compare order, and counts them all', () => {
    const { result } = run(human, 1);
    expect(result.disagreements.total).toBe(2);
    expect(result.disagreements.shown).toEqual([
      { transcript: 'a', turn: 3, speaker: 'T', role: 'therapist', text: 'Go on.', spans: [], dimension: 'empathy', auto: false, human: true },
    ]);
    const all = run(human).result.disagreements.shown;
    expect(all.map((d) => `${d.transcript}#${d.turn} ${d.dimension}`)).toEqual(['a#3 empathy', 'b#2 warmth']);
  });

  it('a long coding: transcripts it never names count as not coded, with a warning', () => {
    const { warnings } = run(human);
    expect(warnings).toEqual(['uncoded-transcript: 1 transcript read has no coded turn in the human coding; every turn of it counts as not coded: c']);
  });

  it('a turn-level coding: transcripts it lacks are left out; dimensions it lacks are not compared', () => {
    const turnLevel: Coding = {
      file: 'human-turns.csv',
      shape: 'turn',
      coded: new Map([[unitKey('a', 2), new Set(['trust'])]]),
      units: new Set(['a', 'b'].flatMap((t) => [1, 2, 3, 4].filter((n) => t === 'a' || n <= 2).map((n) => unitKey(t, n)))),
      lines: new Map(),
      dimensions: ['trust'],
    };
    const { result, warnings } = run(turnLevel);
    expect(result.leftOut).toEqual(['c']);
    expect(result.notCompared).toEqual(['empathy', 'warmth']);
    // one dimension: no pooled row repeating it
    expect(result.rows.map((r) => r.dimension)).toEqual(['trust']);
    expect(result.rows[0]).toMatchObject({ units: 6, tp: 1, tn: 5, kappa: 1 });
    expect(warnings[0]).toMatch(/^uncovered-transcript: 1 transcript read is not in the turn-level human coding/);
  });

  it('a human unit that is not a turn read is an error that names it', () => {
    const collector = new AgreementCollector(longCoding([['a', 9, 'trust']]), dims, 30);
    for (const t of [a, b]) collector.add(t);
    expect(() => collector.result(() => {})).toThrow(InputError);
    expect(() => collector.result(() => {})).toThrow(/transcript "a" turn 9 is not among the units of the coded transcripts/);
  });

  it('undefined kappa stays null, with the reason', () => {
    // the human codes empathy only on a client turn, which the codebook cannot code: on therapist turns neither varies
    const x: CodedTranscript = { id: 'x', source: 'x', turns: [turn(1, 'T', 'therapist', 'Hi.', 1), turn(2, 'C', 'client', 'You get me.', 3)] };
    const collector = new AgreementCollector(longCoding([['x', 2, 'empathy']]), dims, 30);
    collector.add(x);
    const result = collector.result(() => {});
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ dimension: 'empathy', units: 1, kappa: null, kappa_low: null });
    expect(result.rows[0]!.note).toMatch(/no variation/);
    expect(result.outside).toEqual({ empathy: 1 });
  });
});
