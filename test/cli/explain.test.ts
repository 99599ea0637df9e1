import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relcode } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-explain-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// Line numbers matter: the report cites them.
const codebook = write('cb.yaml', `codebook: explain test
dimensions:
  empathy:
    roles: [therapist]
    indicators:
      - understand
      - { phrase: sounds like, context: { previous: { role: client } } }
      - hear you
    exclude: [sounds like a plan]
  warmth:
    roles: [therapist]
    threshold: 2
    indicators: [glad]
`);
const transcript = write('s.txt', [
  'Therapist: Welcome back.', // 1
  "Therapist: It sounds like you're tired. I don't understand why.", // 2: context unmet (previous is a therapist), negated
  'Client: I hear you.', // 3: role
  'Therapist: That sounds like a plan. I understand. I am glad.', // 4: excluded, matched, below threshold
].join('\n'));

type Drop = { indicator: string; line: number; reason: string; why: string; match: string; detail: Record<string, unknown> };
type Dim = { id: string; coded: boolean; matched: { indicator: string; line: number; match: string }[]; dropped: Drop[] };
const explain = (turn: number, ...more: string[]) => {
  const r = relcode(['explain', transcript, '--turn', String(turn), '-c', codebook, '--format', 'json', ...more]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { turn: { turn: number; role: string }; previous?: { turn: number }; dimensions: Dim[] };
};

describe('relcode explain', () => {
  it('names the negation cue and its offset, and an unmet context with its line', () => {
    const r = explain(2);
    const empathy = r.dimensions.find((d) => d.id === 'empathy')!;
    expect(empathy.coded).toBe(false);
    const negated = empathy.dropped.find((d) => d.reason === 'negated')!;
    expect(negated).toMatchObject({ indicator: 'understand', line: 6, match: 'understand' });
    // "don't" starts at offset 46 of the turn text
    expect(negated.detail).toMatchObject({ written: "don't", offset: "It sounds like you're tired. I don't understand why.".indexOf("don't") });
    const context = empathy.dropped.find((d) => d.reason === 'context')!;
    expect(context).toMatchObject({ indicator: 'sounds like', line: 7 });
    expect(context.why).toMatch(/previous turn is by a therapist, not a client \(line 7\)/);
  });

  it('names the role rule', () => {
    const empathy = explain(3).dimensions.find((d) => d.id === 'empathy')!;
    expect(empathy.dropped).toMatchObject([{ indicator: 'hear you', reason: 'role' }]);
    expect(empathy.dropped[0]!.why).toMatch(/by a client; this indicator codes therapist/);
  });

  it('names the exclusion and the threshold, and lists what matched', () => {
    const r = explain(4);
    const empathy = r.dimensions.find((d) => d.id === 'empathy')!;
    expect(empathy.coded).toBe(true);
    expect(empathy.matched).toMatchObject([{ indicator: 'understand', line: 6, match: 'understand' }]);
    expect(empathy.dropped).toMatchObject([{ indicator: 'sounds like', reason: 'excluded', why: 'excluded by "sounds like a plan" (line 9)' }]);
    const warmth = r.dimensions.find((d) => d.id === 'warmth')!;
    expect(warmth.coded).toBe(false);
    expect(warmth.dropped[0]!.why).toBe('weights add up to 1, below the threshold 2');
  });

  it('--dimension limits the report; the table view cites codebook lines', () => {
    expect(explain(4, '--dimension', 'warmth').dimensions.map((d) => d.id)).toEqual(['warmth']);
    const r = relcode(['explain', transcript, '--turn', '2', '-c', codebook]);
    expect(r.stdout).toMatch(/✗ line 6 {2}"understand" {2}← understand\n\s+negated by "don't" at offset 31/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 2 for a turn or dimension that does not exist, or an ambiguous file', () => {
    expect(relcode(['explain', transcript, '--turn', '9', '-c', codebook])).toMatchObject({ code: 2, stderr: expect.stringMatching(/has no turn 9.*\n\s+hint: its turns are 1\.\.4/) });
    expect(relcode(['explain', transcript, '--turn', '1', '-c', codebook, '-d', 'warmht']).code).toBe(2);
    const csv = relcode(['explain', 'fixtures/transcripts/group-notes.csv', '--turn', '1']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--transcript/);
    expect(relcode(['explain', 'fixtures/transcripts/group-notes.csv', '--turn', '1', '--transcript', 's02', '--format', 'json']).code).toBe(0);
  });
});
