import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relcode, ROOT } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'relcode-dictionary-'));
const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];

describe('relcode codebook import, as a process', () => {
  it.each([
    ['feelings.dic', 6, 55],
    ['alliance.dicx', 3, 17],
    ['themes.yml', 7, 18],
  ])('imports fixtures/dictionaries/%s into a codebook that `codebook validate` accepts', (name, dimensions, indicators) => {
    const out = join(tmp, `${name}.yaml`);
    const r = relcode(['codebook', 'import', `fixtures/dictionaries/${name}`, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const v = relcode(['codebook', 'validate', out]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`${dimensions} dimensions, ${indicators} indicators, 0 examples`);
  });

  it('writes the YAML to stdout without -o, and warnings to stderr with the dictionary line', () => {
    const dic = join(tmp, 'like.dic');
    writeFileSync(dic, '%\n1\tposemo\n2\tfiller\n%\nglad\t1\nlike\t(1)1/2\n:)\t1\n');
    const r = relcode(['codebook', 'import', dic]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Imported from like\.dic \(LIWC \.dic\) by relcode/);
    expect(r.stdout).toMatch(/\ncodebook: like\n/);
    expect(r.stderr).toContain(`${dic}:6: warning: conditional category "(1)1/2" of "like" is left out`);
    expect(r.stderr).toContain(`${dic}:7: warning: ":)" contains ")", which is phrase syntax in relcode and cannot be escaped; left out [untranslatable-entry]`);
    expect(r.stderr).toContain(`${dic}:3: warning: category "filler" has no entry that translates`);
  });

  it.each([
    ['nohead.dic', 'posemo\t1\n', ':1: error: no "%" line before the category list [bad-dictionary]'],
    ['undeclared.dic', '%\n1\tposemo\n%\ngood\t1\nsad\t2\n', ':5: error: "sad" refers to category 2, which the header does not declare [unknown-category]'],
    ['nomarks.dicx', 'DicTerm,Bond\nwe,\n', ':2: error: no X marks: no entry belongs to a category [bad-dictionary]'],
    ['broken.yml', 'a: [b\n', 'error:'],
  ])('exits 2 on %s, naming the file and line, with a hint', (name, text, message) => {
    const file = join(tmp, name);
    writeFileSync(file, text);
    const r = relcode(['codebook', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}${message.startsWith(':') ? '' : ':'}`);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/\n {2}hint: /);
  });

  it('exits 2 on a file that does not exist', () => {
    const r = relcode(['codebook', 'import', 'no/such.dic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^no\/such\.dic: error: cannot read dictionary: ENOENT \[file-not-found\]/);
  });
});

describe('relcode codebook export --format dic, as a process', () => {
  it('exports the default codebook, reports what it dropped, and the .dic imports back', () => {
    const r = relcode(['codebook', 'export', '--format', 'dic']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 10)).toEqual(['%', ...IDS.map((id, i) => `${i + 1}\t${id}`), '%']);
    const entries = lines.slice(10, -1);
    expect(entries.length).toBeGreaterThan(500);
    expect([...entries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(entries);
    expect(new Set(entries.map((l) => l.split('\t')[0])).size).toBe(entries.length);
    for (const line of entries) expect(line).toMatch(/^[^\t]+(\t[1-8])+$/);
    // what was dropped or changed, each at its codebook line
    expect(r.stderr).toMatch(/codebooks\/relationship\.yaml:\d+: warning: ".*" \(\w+\) is not exported: LIWC has no gaps/);
    expect(r.stderr).toMatch(/codebooks\/relationship\.yaml:\d+: warning: ".*" \(\w+\) is not exported: LIWC has no regular expressions/);
    expect(r.stderr).toMatch(/codebooks\/relationship\.yaml:\d+: warning: empathy codes only therapist turns; LIWC counts every speaker \[export-lossy\]/);
    expect(r.stderr).toMatch(/warning: \d+ indicators match word stems in relcode .*\[export-lossy\]/);
    expect(r.stderr.match(/match word stems/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/info: wrote 8 categories and \d+ entries; \d+ phrases written out as several entries; \d+ indicators dropped \[export-summary\]/);

    const dic = join(tmp, 'relationship.dic');
    expect(relcode(['codebook', 'export', '--format', 'dic', '-o', dic]).code).toBe(0);
    expect(readFileSync(dic, 'utf8')).toBe(r.stdout);
    const yaml = join(tmp, 'relationship-from-dic.yaml');
    const back = relcode(['codebook', 'import', dic, '-o', yaml]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toBe('');
    const v = relcode(['codebook', 'validate', yaml]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`8 dimensions, ${entries.reduce((n, l) => n + l.split('\t').length - 1, 0)} indicators`);
  }, 30_000);
});

/**
 * LIWC's counting rule, written here independently of relcode: lower-case the
 * text, split it into words (letters and digits, with inner apostrophes), and
 * give each word to its exact entry if there is one, else to the wildcard entry
 * with the longest prefix; a category's score is its words / all words × 100.
 */
function liwcCounts(dic: string, texts: string[]): { words: number; counts: Record<string, number> } {
  const lines = dic.trim().split('\n');
  const end = lines.indexOf('%', 1);
  const names = new Map(lines.slice(1, end).map((l) => l.split('\t') as [string, string]));
  const exact = new Map<string, string[]>();
  const prefixes: [string, string[]][] = [];
  for (const line of lines.slice(end + 1)) {
    const [word, ...ids] = line.split('\t');
    const cats = ids.map((id) => names.get(id)!);
    if (word!.endsWith('*')) prefixes.push([word!.slice(0, -1), cats]);
    else exact.set(word!, cats);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  const words = texts.join(' ').toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)*'?/g) ?? [];
  const counts: Record<string, number> = Object.fromEntries([...names.values()].map((n) => [n, 0]));
  for (const w of words) {
    for (const c of exact.get(w) ?? prefixes.find(([p]) => w.startsWith(p))?.[1] ?? []) counts[c]!++;
  }
  return { words: words.length, counts };
}

describe('a LIWC .dic import, coded on a fixture, against LIWC\'s counting rule', () => {
  it('counts the same words as LIWC on sample-session, except where relcode normalises by design', () => {
    const yaml = join(tmp, 'feelings.yaml');
    expect(relcode(['codebook', 'import', 'fixtures/dictionaries/feelings.dic', '-o', yaml]).code).toBe(0);
    const r = relcode(['code', 'fixtures/transcripts/sample-session.txt', '-c', yaml, '--level', 'summary', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { dimension: string; matches: number; words: number; per_1000_words: number }[];
    const relcodeCounts = Object.fromEntries(rows.map((row) => [row.dimension, row.matches]));

    // LIWC reads the turns' text (a LIWC run on the raw file would also count the speaker labels)
    const session = readFileSync(join(ROOT, 'fixtures/transcripts/sample-session.txt'), 'utf8');
    const texts = session.split('\n').filter(Boolean).map((l) => l.replace(/^[A-Za-z]+: /, ''));
    const liwc = liwcCounts(readFileSync(join(ROOT, 'fixtures/dictionaries/feelings.dic'), 'utf8'), texts);

    expect(rows.every((row) => row.words === liwc.words)).toBe(true);
    expect(liwc).toEqual({ words: 562, counts: { posemo: 22, negemo: 13, social: 14, work: 6, negate: 14, time: 26 } });
    expect(relcodeCounts).toEqual({ posemo: 22, negemo: 13, social: 14, work: 6, negate: 17, time: 27 });
    // negate +3: relcode reads can't, wasn't, won't as "can not", "was not", "will not", so `not` matches
    // them (don't is listed, and its longer match wins within the dimension, so it still counts once);
    // time +1: relcode drops the possessive of "Tuesday's", so `tuesday` matches it.
    const contracted = (texts.join(' ').toLowerCase().match(/\b(can't|wasn't|won't)\b/g) ?? []).length;
    expect(relcodeCounts.negate! - liwc.counts.negate!).toBe(contracted);
    expect(relcodeCounts.time! - liwc.counts.time!).toBe((texts.join(' ').match(/Tuesday's/g) ?? []).length);
    // per_1000_words is LIWC's percentage × 10
    for (const row of rows.filter((x) => x.dimension !== 'negate' && x.dimension !== 'time')) {
      expect(row.per_1000_words / 10).toBeCloseTo((liwc.counts[row.dimension]! / liwc.words) * 100, 3);
    }
  }, 30_000);
});
