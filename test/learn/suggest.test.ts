/**
 * `suggest`: what is counted, that nothing the codebook already matches is
 * suggested, that the figures are those of the codebook with the phrase added,
 * and that the YAML output loads as indicators.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK, parseCodebook } from '../../src/codebook/load.js';
import { renderSuggest } from '../../src/commands/learn.js';
import { compileCodebook } from '../../src/coding/tagger.js';
import { dimensionOf, eligibleTurns, loadCorpus, type Corpus } from '../../src/learn/corpus.js';
import { weightedLogOdds } from '../../src/learn/log-odds.js';
import { counted, coversPhrase, DEFAULT_SUGGEST, suggest } from '../../src/learn/suggest.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-suggest-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const read = { inputFormat: 'auto' as const, columns: {} };
const FIXTURES = ['sample-session.txt', 'intake-lee.txt', 'couples-tc.txt', 'hard-negatives.txt', 'group-notes.csv', 'telehealth.tsv', 'followup.jsonl'].map((f) => `fixtures/transcripts/${f}`);
const fixtures = (codebook?: string) => loadCorpus({ human: 'fixtures/coding/human.csv', inputs: FIXTURES, roles: {}, read, ...(codebook ? { codebook } : {}) }, () => {});

describe('what suggest counts', () => {
  const codebook = write('small.yaml', 'codebook: small\ndimensions:\n  d:\n    roles: [therapist]\n    indicators: [sounds like you]\n');
  const transcript = write('a.txt', [
    'Therapist: You feel lost. Feeling lost is hard.', // 1 coded
    'Client: I feel lost.', // 2 a client's turn: not counted for d
    'Therapist: It sounds like you feel alone.', // 3 coded; "sounds like you" is the codebook's match
    'Therapist: What time is it?', // 4
    'Therapist: You feel ready.', // 5
    'Therapist: We can stop at ten today, then meet again next week, same room and same time as today.', // 6
  ].join('\n'));
  const human = write('a.csv', 'transcript,turn,dimension\na,1,d\na,3,d\n');
  const load = () => loadCorpus({ human, inputs: [transcript], codebook, roles: {}, read }, () => {});

  it('counts stemmed n-grams once per turn, leaves out the matched words and stop-word-only n-grams', async () => {
    const corpus = await load();
    const d = dimensionOf(corpus.codebook, 'd');
    const turns = eligibleTurns(corpus, d);
    expect(turns.map((t) => t.turn)).toEqual([1, 3, 4, 5, 6]);
    const keys = turns.map((t) => counted(t, d, 4).map((g) => g.key));
    // "feel" and "feeling" are one stem, counted once in turn 1
    expect(keys[0]!.filter((k) => k === 'feel')).toHaveLength(1);
    expect(keys[0]).toContain('feel lost');
    // turn 3: "sounds like you" is inside the codebook's match; n-grams reaching outside it count
    expect(keys[1]).not.toContain('sound like');
    expect(keys[1]).not.toContain('sound like you');
    expect(keys[1]).toContain('like you feel');
    expect(keys[1]).toContain('feel alon');
    // only stop words: "what", "is it", "it is"…
    expect(keys[2]!.sort()).toEqual(['time', 'time is', 'time is it', 'what time', 'what time is', 'what time is it']);
  });

  it('scores by the weighted log-odds of those counts', async () => {
    const corpus = await load();
    const d = dimensionOf(corpus.codebook, 'd');
    const coded = new Map<string, number>();
    const uncoded = new Map<string, number>();
    for (const t of eligibleTurns(corpus, d)) {
      const into = t.human.has('d') ? coded : uncoded;
      for (const g of counted(t, d, 4)) into.set(g.key, (into.get(g.key) ?? 0) + 1);
    }
    expect(coded.get('feel')).toBe(2);
    expect(uncoded.get('feel')).toBe(1);
    const total = [...coded.values(), ...uncoded.values()].reduce((a, b) => a + b, 0);
    const expected = weightedLogOdds(coded, uncoded, total);
    const r = suggest(corpus, d, { ...DEFAULT_SUGGEST, minCoded: 1, top: 50 });
    expect(r.settings.alpha0).toBe(total);
    expect(r.suggestions.length).toBeGreaterThan(0);
    for (const s of r.suggestions) expect(s.z).toBeCloseTo(expected.get(s.stems)!.z, 12);
    const feel = r.suggestions.find((s) => s.stems === 'feel')!;
    expect(feel).toMatchObject({ phrase: 'feel', coded: 2, uncoded: 1, added: { tp: 1, fp: 1 } });
    expect(feel.examples[0]).toMatchObject({ transcript: 'a', turn: 1 });
    expect(feel.examples[0]!.text.slice(feel.examples[0]!.start, feel.examples[0]!.end)).toBe('feel');
  });
});

describe('suggestions on the fixtures', () => {
  let corpus: Corpus;
  const load = async () => (corpus ??= await fixtures());

  it.each(['empathy', 'warmth', 'trust', 'boundaries'])('%s: never a phrase the codebook already matches', async (id) => {
    const c = await load();
    const d = dimensionOf(c.codebook, id);
    const r = suggest(c, d, { ...DEFAULT_SUGGEST, minCoded: 1, top: 40 });
    expect(r.suggestions.length).toBeGreaterThan(5);
    // the codebook as shipped, this dimension alone: no indicator may match inside a suggested phrase
    const full = parseCodebook(readFileSync(DEFAULT_CODEBOOK, 'utf8'), DEFAULT_CODEBOOK);
    const alone = compileCodebook({ ...full, dimensions: full.dimensions.filter((x) => x.id === id) });
    for (const s of r.suggestions) {
      for (const role of d.roles) expect(coversPhrase(alone, s.phrase, role), s.phrase).toBe(false);
      // and none repeats a higher-ranked one inside it
      const before = r.suggestions.slice(0, r.suggestions.indexOf(s));
      expect(before.filter((b) => ` ${s.stems} `.includes(` ${b.stems} `))).toEqual([]);
    }
  });

  it('reports the precision and recall the codebook has with the phrase added', async () => {
    const c = await load();
    const r = suggest(c, dimensionOf(c.codebook, 'empathy'), { ...DEFAULT_SUGGEST, minCoded: 1, top: 3 });
    const text = readFileSync(DEFAULT_CODEBOOK, 'utf8');
    for (const s of r.suggestions) {
      // the codebook with the phrase as its last empathy indicator, recoded from scratch
      const at = text.indexOf('    exclude:', text.indexOf('\n  empathy:'));
      const copy = write(`with-${r.suggestions.indexOf(s)}.yaml`, `${text.slice(0, at)}      - ${JSON.stringify(s.phrase)}\n${text.slice(at)}`);
      const recoded = await fixtures(copy);
      const d = dimensionOf(recoded.codebook, 'empathy');
      const t = { tp: 0, fp: 0, fn: 0 };
      for (const turn of eligibleTurns(recoded, d)) {
        const auto = (turn.counts.empathy ?? 0) > 0;
        const human = turn.human.has('empathy');
        if (auto && human) t.tp++;
        else if (auto) t.fp++;
        else if (human) t.fn++;
      }
      expect(s.after).toMatchObject(t);
      expect(s.after.precision).toBeCloseTo(t.tp / (t.tp + t.fp), 12);
      expect(s.after.recall).toBeCloseTo(t.tp / (t.tp + t.fn), 12);
      expect(s.after.tp - r.current.tp).toBe(s.added.tp);
      expect(s.after.fp - r.current.fp).toBe(s.added.fp);
    }
  });

  it('prints YAML indicator lines that relcode loads', async () => {
    const c = await load();
    const r = suggest(c, dimensionOf(c.codebook, 'empathy'), { ...DEFAULT_SUGGEST, minCoded: 1, top: 10 });
    const yaml = renderSuggest(r, 'yaml');
    const lines = yaml.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('- { phrase: '))).toHaveLength(r.suggestions.length);
    const codebook = parseCodebook(`codebook: pasted\ndimensions:\n  empathy:\n    indicators:\n${lines.map((l) => `      ${l}`).join('\n')}\n`, 'pasted.yaml');
    const indicators = codebook.dimensions[0]!.indicators;
    expect(indicators.map((i) => i.source)).toEqual(r.suggestions.map((s) => s.phrase));
    indicators.forEach((ind, i) => {
      const s = r.suggestions[i]!;
      expect(ind.note).toBe(`suggested: z=${s.z.toFixed(2)}, +${s.added.tp}/+${s.added.fp}`);
    });
  });
});
