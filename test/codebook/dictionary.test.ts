import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { parseCodebook } from '../../src/codebook/load.js';
import { codebookToDic, entryForms } from '../../src/codebook/dictionary/export-dic.js';
import { detectFormat, importDictionary, readDictionary } from '../../src/codebook/dictionary/import.js';
import { entryToPhrase } from '../../src/codebook/dictionary/translate.js';
import { codeText, compileCodebook } from '../../src/coding/tagger.js';
import type { Codebook } from '../../src/codebook/model.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures/dictionaries', name), 'utf8');

/** Imports `text` as `file`; returns the YAML, the loaded codebook and every diagnostic reported. */
function imported(text: string, file: string) {
  const found: Diagnostic[] = [];
  const yaml = importDictionary(text, file, (d) => found.push(d));
  return { yaml, codebook: parseCodebook(yaml, 'imported.yaml'), found };
}

const dims = (cb: Codebook) => Object.fromEntries(cb.dimensions.map((d) => [d.id, d.indicators.map((i) => i.source)]));

function errorsOf(f: () => unknown): Diagnostic[] {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('LIWC .dic', () => {
  // The format as liwca documents it (remrama/liwca, io.py): a % line, "id<TAB>name", a % line, "term<TAB>ids".
  it('reads the documented example: one category line per id, one line per term with its ids', () => {
    const { codebook, found, yaml } = imported('%\n1\tCategoryA\n2\tCategoryB\n%\nterm1\t1\nterm2\t2\nterm3\t1\t2\n', 'doc.dic');
    expect(dims(codebook)).toEqual({ categorya: ['term1', 'term3'], categoryb: ['term2', 'term3'] });
    expect(codebook.dimensions.map((d) => d.label)).toEqual(['CategoryA', 'CategoryB']);
    expect(found).toEqual([]);
    // LIWC counts whole words, with no stemming, no negation rule and every speaker
    expect(codebook.dimensions.every((d) => d.negation.window === 0 && d.roles.length === 3)).toBe(true);
    expect(codebook.dimensions.flatMap((d) => d.indicators).every((i) => !i.stem && i.roles.length === 3)).toBe(true);
    expect(codebook.name).toBe('doc');
    expect(codebook.version).toBe('1.0.0');
    expect(yaml).toMatch(/^# Imported from doc\.dic \(LIWC \.dic\) by relcode/);
    expect(yaml).toMatch(/No examples/);
    expect(yaml).not.toMatch(/^\s+examples:/m);
  });

  it('reads zero-padded ids, names with spaces and blank lines (quanteda\'s test dictionary shape)', () => {
    const { codebook } = imported('%\n01\tA category\n02\tAnother category\n%\n\nmore\t01\nlamb\t01\n\nhad\t02\nmary\t02\n', 'mary.dic');
    expect(dims(codebook)).toEqual({ a_category: ['more', 'lamb'], another_category: ['had', 'mary'] });
    expect(codebook.dimensions[0]!.label).toBe('A category');
  });

  it('reads several ids in one tab field, lines without tabs, multi-word entries and apostrophes', () => {
    const { codebook } = imported('%\n1\tpronoun\n2\ti\n3\tfiller\n%\ni\t01 02\ni mean\t3\ndon\'t know\t3\nmine 1 2\n', 'x.dic');
    expect(dims(codebook)).toEqual({ pronoun: ['i', 'mine'], i: ['i', 'mine'], filler: ['i mean', "don't know"] });
  });

  it('keeps the plain categories of a LIWC2007 conditional entry and reports the conditional ones', () => {
    // LIWC2007's "like": posemo after a pronoun or discrepancy word, else filler; 253 and 466 always
    const text = '%\n2\tppron\n125\taffect\n126\tposemo\n134\tdiscrep\n253\ttime\n464\tfiller\n466\tcogproc\n%\nlike\t(02 134)125/464\t(02 134)126\t253\t466\nlove\t125\t126\n';
    const { codebook, found } = imported(text, 'liwc2007.dic');
    expect(dims(codebook)).toMatchObject({ affect: ['love'], posemo: ['love'], time: ['like'], cogproc: ['like'] });
    expect(found.filter((d) => d.ruleId === 'untranslatable-entry').map((d) => [d.line, d.message])).toEqual([
      [10, 'conditional category "(02 134)125/464" of "like" is left out: LIWC picks it by the word before'],
      [10, 'conditional category "(02 134)126" of "like" is left out: LIWC picks it by the word before'],
    ]);
  });

  it('reports every entry that does not translate, with its line, and leaves it out', () => {
    const text = ['%', '1\tc', '%', 'kind <of>\t1', ':)\t1', '(sigh)\t1', 'a|b\t1', 'wh?\t1', 'so*rt\t1', "don't*\t1", 'hm...\t1', 'ok\t1', 'orphan', ''].join('\n');
    const { codebook, found } = imported(text, 'bad.dic');
    expect(dims(codebook)).toEqual({ c: ['ok'] });
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([
      ['untranslatable-entry', 13], // "orphan" has no category (found while reading)
      ['untranslatable-entry', 4], // conditional <of>
      ['untranslatable-entry', 5], // punctuation only
      ['untranslatable-entry', 6], // ( ) is phrase syntax
      ['untranslatable-entry', 7], // | is phrase syntax
      ['untranslatable-entry', 8], // ? is literal in LIWC, a wildcard in relcode
      ['untranslatable-entry', 9], // * inside a word
      ['untranslatable-entry', 10], // wildcard on a contraction relcode splits
      ['untranslatable-entry', 11], // ... is a gap in relcode
    ]);
    expect(found.every((d) => d.severity === 'warning' && d.file === 'bad.dic' && d.hint)).toBe(true);
  });

  it('merges a repeated entry and reports it', () => {
    const { codebook, found } = imported('%\n1\ta\n2\tb\n%\ngood\t1\nGood\t2\n', 'dup.dic');
    expect(dims(codebook)).toEqual({ a: ['good'], b: ['good'] });
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([['duplicate-entry', 6]]);
  });

  it('renames ids that cannot be dimension ids, keeping the name as the label', () => {
    const { codebook, found } = imported('%\n1\tWords\n2\t1st person\n3\t情感\n4\tPos Emo\n5\tpos-emo\n%\na\t1 2 3 4 5\n', 'ids.dic');
    expect(codebook.dimensions.map((d) => [d.id, d.label])).toEqual([
      ['words_dim', 'Words'],
      ['dim_1st_person', '1st person'],
      ['category_3', '情感'],
      ['pos_emo', 'Pos Emo'],
      ['pos_emo_2', 'pos-emo'],
    ]);
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([['renamed-category', 2], ['renamed-category', 3], ['renamed-category', 4], ['renamed-category', 6]]);
  });

  it('fails with file:line and a hint on a broken header or an undeclared category', () => {
    const cases: [string, { ruleId: string; line: number }[]][] = [
      ['good\t1\n', [{ ruleId: 'bad-dictionary', line: 1 }]],
      ['\n%\n1\tposemo\ngood\t1\n', [{ ruleId: 'bad-dictionary', line: 2 }]], // the list opened here never closes
      ['%\n1\tposemo\n1\tnegemo\n%\ngood\t1\n', [{ ruleId: 'duplicate-category', line: 3 }]],
      ['%\nposemo\n%\n', [{ ruleId: 'bad-dictionary', line: 2 }]],
      ['%\n1\tposemo\n%\ngood\t1\nbad\t2\nsad\t1 7\n', [{ ruleId: 'unknown-category', line: 5 }, { ruleId: 'unknown-category', line: 6 }]],
    ];
    for (const [text, expected] of cases) {
      const errors = errorsOf(() => importDictionary(text, 'broken.dic', () => {}));
      expect(errors.map((d) => ({ ruleId: d.ruleId, line: d.line })), text).toEqual(expected);
      expect(errors.every((d) => d.file === 'broken.dic' && d.hint && d.severity === 'error')).toBe(true);
    }
  });
});

describe('LIWC precedence: an exact or longer entry wins over a wildcard', () => {
  it('gives each dimension the entries of other categories that win over its wildcards, as `exclude`', () => {
    const text = '%\n1\tposemo\n2\twork\n3\tother\n%\ncare*\t1\ncareer*\t2\ncarefree\t3\ncareful\t1\ncared\t1 3\nhapp*\t1\n';
    const { codebook, yaml, found } = imported(text, 'p.dic');
    expect(codebook.dimensions[0]!.exclude.map((x) => x.source)).toEqual(['career*', 'carefree']);
    expect(codebook.dimensions[1]!.exclude).toEqual([]);
    expect(found).toEqual([]);
    expect(yaml).toMatch(/# LIWC gives a word to its exact entry, else to its longest wildcard/);
    const compiled = compileCodebook(codebook);
    const counts = (s: string) => codeText(compiled, s, 'client').counts;
    expect(counts('careers')).toEqual({ posemo: 0, work: 1, other: 0 });
    expect(counts('carefree')).toEqual({ posemo: 0, work: 0, other: 1 });
    expect(counts('caring')).toEqual({ posemo: 0, work: 0, other: 0 });
    expect(counts('cares')).toEqual({ posemo: 1, work: 0, other: 0 });
    expect(counts('cared')).toEqual({ posemo: 1, work: 0, other: 1 });
  });

  it('reports the case relcode cannot keep: a longer entry of the same category under the winner', () => {
    const { codebook, found } = imported('%\n1\tposemo\n2\twork\n%\ncare*\t1\ncareer*\t2\ncareerist\t1\n', 'q.dic');
    expect(codebook.dimensions[0]!.exclude).toEqual([]);
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([['wildcard-precedence', 6]]);
    expect(found[0]!.message).toMatch(/"career\*" wins over "care\*" \(posemo\) except for "careerist"/);
  });
});

describe('LIWC-22 .dicx', () => {
  // The format as liwca documents it: DicTerm, then one column per category, X where the term belongs.
  it('reads the documented example', () => {
    const { codebook, found } = imported('DicTerm,CategoryA,CategoryB\nterm1,X,\nterm2,,X\nterm3,X,X\n', 'doc.dicx');
    expect(dims(codebook)).toEqual({ categorya: ['term1', 'term3'], categoryb: ['term2', 'term3'] });
    expect(found).toEqual([]);
  });

  it('reads multi-word entries, lower-case x and a BOM; reports rows without marks and odd cells', () => {
    const { codebook, found } = imported('\uFEFFDicTerm,Bond\n"work together",x\nalone,\nmaybe,?\nagree*,X\n', 'b.dicx');
    expect(dims(codebook)).toEqual({ bond: ['work together', 'agree*'] });
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([['untranslatable-entry', 3], ['untranslatable-entry', 4], ['untranslatable-entry', 4]]);
  });

  it('fails on a .dicx without X marks, and says when it looks weighted', () => {
    const weighted = errorsOf(() => importDictionary('DicTerm,Negative,Positive\nawful,-0.7,0.0\ngreat,0.0,0.9\n', 'w.dicx', () => {}));
    expect(weighted.map((d) => [d.ruleId, d.line])).toEqual([['bad-dictionary', 2]]);
    expect(weighted[0]!.hint).toMatch(/weighted dictionary/);
    const empty = errorsOf(() => importDictionary('Entry,Correct,Incorrect\nrope*,,\n', 'e.dicx', () => {}));
    expect(empty[0]!.message).toMatch(/no X marks/);
    expect(errorsOf(() => importDictionary('DicTerm\nword\n', 'h.dicx', () => {}))[0]!.line).toBe(1);
  });
});

describe('quanteda YAML dictionary', () => {
  // quanteda's as.yaml() example: dictionary(list(one = c("a b", "c*"), two = c("x", "y", "z??")))
  it('reads the as.yaml() example: multi-word values and globs', () => {
    const { codebook, found } = imported('one:\n- a b\n- c*\ntwo:\n- x\n- y\n- z??\n', 'ex.yml');
    expect(dims(codebook)).toEqual({ one: ['a b', 'c*'], two: ['x', 'y', 'z??'] });
    expect(found).toEqual([]);
    const compiled = compileCodebook(codebook);
    expect(codeText(compiled, 'Zoo. Zebra. A B. Cat.', 'client').counts).toEqual({ one: 2, two: 1 });
  });

  it('joins nested keys with _ for the id and " > " for the label; `\'\'` holds the values of the key above', () => {
    const text = 'US:\n  MA: Boston\n  CA: [Sacramento]\n  \'\': Washington DC\nfeelings:\n  sad: [Sad*, "not good"]\n  angry: { hot: [furious] }\n';
    const { codebook } = imported(text, 'nested.yml');
    expect(codebook.dimensions.map((d) => [d.id, d.label, d.indicators.map((i) => i.source)])).toEqual([
      ['us_ma', 'US > MA', ['boston']],
      ['us_ca', 'US > CA', ['sacramento']],
      ['us', 'US', ['washington dc']],
      ['feelings_sad', 'feelings > sad', ['sad*', 'not good']],
      ['feelings_angry_hot', 'feelings > angry > hot', ['furious']],
    ]);
    // "not good" holds a negation cue, but the rule is off anyway: quanteda has none
    expect(codeText(compileCodebook(codebook), 'Not good.', 'client').counts.feelings_sad).toBe(1);
  });

  it('treats * and ? as globs anywhere, as quanteda\'s valuetype "glob" does', () => {
    const { codebook, found } = imported('k: ["*ness", "wom?n", "un*able", ":-)"]\n', 'g.yml');
    expect(dims(codebook)).toEqual({ k: ['*ness', 'wom?n', 'un*able'] });
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([['untranslatable-entry', 1]]);
    expect(codeText(compileCodebook(codebook), 'Kindness, women, unbelievable, unable.', 'client').counts.k).toBe(4);
  });

  it('fails with the line on YAML syntax errors and on shapes that are not a dictionary', () => {
    expect(errorsOf(() => importDictionary('a: [b\nc: d\n', 's.yml', () => {}))[0]).toMatchObject({ ruleId: 'yaml-syntax', file: 's.yml' });
    expect(errorsOf(() => importDictionary('- a\n- b\n', 'l.yml', () => {}))[0]).toMatchObject({ ruleId: 'bad-dictionary', line: 1 });
    expect(errorsOf(() => importDictionary('a:\n  - [x, y]\n', 'n.yml', () => {}))[0]).toMatchObject({ ruleId: 'bad-dictionary', line: 2 });
  });
});

describe('format detection', () => {
  it.each([
    ['x.dic', 'anything', 'liwc-dic'],
    ['x.DICX', 'anything', 'liwc-dicx'],
    ['x.yaml', 'anything', 'quanteda'],
    ['x.txt', '%\n1\ta\n%\nb\t1\n', 'liwc-dic'],
    ['x.csv', 'DicTerm,a\nb,X\n', 'liwc-dicx'],
    ['x.txt', 'a: [b]\n', 'quanteda'],
    ['x.txt', 'just words', undefined],
  ])('%s %j → %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });

  it('fails on a file it cannot place', () => {
    expect(errorsOf(() => readDictionary('just words', 'x.txt', () => {}))[0]).toMatchObject({ ruleId: 'bad-dictionary', file: 'x.txt' });
  });
});

describe('one entry → a relcode phrase', () => {
  const valid: [string, 'liwc' | 'quanteda', string][] = [
    ['Happ*', 'liwc', 'happ*'],
    ['kind  of', 'liwc', 'kind of'],
    ["don’t", 'liwc', "don't"],
    ['non-judgmental', 'liwc', 'non-judgmental'],
    ['self-estee*', 'liwc', 'self estee*'],
    ['o.k.', 'liwc', 'o.k.'],
    ["o'clock*", 'liwc', "o'clock*"],
    ['wom?n', 'quanteda', 'wom?n'],
    ['*ness', 'quanteda', '*ness'],
  ];
  it.each(valid)('%s (%s) → %s', (entry, style, phrase) => {
    expect(entryToPhrase(entry, style)).toEqual({ phrase });
  });

  const invalid: [string, 'liwc' | 'quanteda', RegExp][] = [
    ['', 'liwc', /empty/],
    ['like<...>', 'liwc', /conditional/],
    ['(:', 'liwc', /phrase syntax/],
    ['[laughs]', 'quanteda', /phrase syntax/],
    ['this|that', 'quanteda', /phrase syntax/],
    ['um...', 'quanteda', /phrase syntax/],
    [':-d', 'liwc', /punctuation/],
    ['#1', 'quanteda', /punctuation/],
    ['wh?', 'liwc', /literal character in LIWC/],
    ['*ness', 'liwc', /inside a word/],
    ["can't*", 'liwc', /contraction/],
    ['self-*', 'liwc', /any word after "self"/],
    ['very *', 'liwc', /no letters before it/],
    ['o.k*', 'quanteda', /single word/],
  ];
  it.each(invalid)('%j (%s) does not translate', (entry, style, why) => {
    const t = entryToPhrase(entry, style);
    expect('problem' in t && t.problem).toMatch(why);
    expect('hint' in t && t.hint).toBeTruthy();
  });
});

describe('codebook → LIWC .dic', () => {
  const exported = (yaml: string) => {
    const found: Diagnostic[] = [];
    const dic = codebookToDic(parseCodebook(yaml, 'cb.yaml'), (d) => found.push(d));
    return { dic, found };
  };

  it('numbers the categories in codebook order and writes one sorted line per entry with all its ids', () => {
    const { dic, found } = exported(['codebook: t', 'defaults: { stem: false, negation: false }', 'dimensions:', '  b:', '    indicators: [zeal, both*]', '  a:', '    indicators: [both*, "kind of", alpha]', ''].join('\n'));
    expect(dic).toBe('%\n1\tb\n2\ta\n%\nalpha\t2\nboth*\t1\t2\nkind of\t2\nzeal\t1\n');
    expect(found.map((d) => d.ruleId)).toEqual(['export-summary']);
  });

  it('writes small sets of alternatives and optional parts out, and contractions both ways', () => {
    expect(entryForms('(feel|felt) [so] alone')).toEqual([['feel so alone'], ['feel alone'], ['felt so alone'], ['felt alone']]);
    expect(entryForms("i'm here")).toEqual([["i'm here", 'i am here']]);
    expect(entryForms('Non-Judgmental')).toEqual([['non-judgmental', 'non judgmental']]);
    expect(entryForms('judg*')).toEqual([['judg*']]);
    expect(entryForms('must ... hard')).toMatch(/gaps/);
    expect(entryForms('w?rd')).toMatch(/\? wildcard/);
    expect(entryForms('un*able')).toMatch(/not at the end/);
    expect(entryForms('(a|b|c|d|e|f|g) (a|b|c|d|e|f|g) (a|b)')).toMatch(/more than 48 forms/);
  });

  it('drops what LIWC cannot express and reports what it changes, with the codebook line', () => {
    const yaml = [
      'codebook: t', //                                              1
      'dimensions:', //                                              2
      '  e:', //                                                     3
      '    roles: [therapist]', //                                   4
      '    threshold: 2', //                                         5
      '    indicators:', //                                          6
      '      - sounds like', //                                      7
      '      - must ... hard', //                                    8
      "      - { regex: '\\bhmm\\b' }", //                           9
      '      - { phrase: are you okay, question: true }', //        10
      '      - { phrase: sounds, near: hard }', //                  11
      '      - { phrase: makes sense, context: { previous: { role: client } } }', // 12
      '      - { phrase: really hear you, weight: 2 }', //          13
      '      - w?rd', //                                            14
      '    exclude: [sounds like a plan]', //                       15
      '',
    ].join('\n');
    const { dic, found } = exported(yaml);
    expect(dic).toBe('%\n1\te\n%\nreally hear you\t1\nsounds like\t1\n');
    const warnings = found.filter((d) => d.severity === 'warning').map((d) => [d.ruleId, d.line]);
    expect(warnings).toEqual([
      ['export-lossy', 3], // roles of the dimension
      ['export-lossy', 3], // threshold
      ['export-dropped', 8], // gap
      ['export-dropped', 9], // regex
      ['export-dropped', 10], // question
      ['export-dropped', 11], // near
      ['export-dropped', 12], // context
      ['export-dropped', 14], // ? glob
      ['export-lossy', 13], // weight
      ['export-lossy', 15], // exclusion
      ['export-lossy', 7], // stemming, once
      ['export-lossy', 7], // negation, once
    ]);
    expect(found.every((d) => d.file === 'cb.yaml')).toBe(true);
    expect(found.at(-1)).toMatchObject({ severity: 'info', ruleId: 'export-summary', message: 'wrote 1 category and 2 entries; 0 phrases written out as several entries; 6 indicators dropped' });
  });

  it('round trip: dic → codebook → dic gives the dictionary back for the plain subset', () => {
    const original = fixture('feelings.dic');
    const found: Diagnostic[] = [];
    const codebook = parseCodebook(importDictionary(original, 'feelings.dic', (d) => found.push(d)), 'feelings.yaml');
    // the import's `exclude: [career*]` is LIWC's own precedence rule, so the export loses nothing;
    // it adds "do not": relcode's "don't" also matches the words written out, and LIWC needs both
    expect(codebookToDic(codebook, (d) => found.push(d))).toBe(original.replace("don't\t5\n", "do not\t5\ndon't\t5\n"));
    expect(found.map((d) => d.ruleId)).toEqual(['export-summary']);

    const doc = '%\n1\tCategoryA\n2\tCategoryB\n%\nterm1\t1\nterm2\t2\nterm3\t1\t2\n';
    const back = codebookToDic(parseCodebook(importDictionary(doc, 'doc.dic', () => {}), 'doc.yaml'), () => {});
    expect(back).toBe(doc.replace('CategoryA', 'categorya').replace('CategoryB', 'categoryb'));
  });
});

describe('LIWC\'s counting rule, by hand, against relcode coding an imported .dic', () => {
  const dic = '%\n1\tposemo\n2\tnegemo\n3\twork\n%\ncare*\t1\ncareer*\t3\ngood\t1\nhapp*\t1\nhurt*\t2\nsad\t2\n';
  const text = "I'm not happy. My career hurts, but the care was good.";
  // By hand, LIWC's rule: lower case; 11 words: i'm not happy my career hurts but the care was good.
  //   happy → happ* (posemo); career → no exact entry, longest wildcard career* (work), not care*;
  //   hurts → hurt* (negemo); care → care* (posemo); good → good (posemo).
  //   posemo 3/11 = 27.27%, negemo 1/11 = 9.09%, work 1/11 = 9.09%.
  it('counts what LIWC counts on a short text', () => {
    const { codebook } = imported(dic, 'hand.dic');
    const coded = codeText(compileCodebook(codebook), text, 'client');
    expect(coded.words).toBe(11);
    expect(coded.counts).toEqual({ posemo: 3, negemo: 1, work: 1 });
    // "not happy" still counts: LIWC has no negation rule, and the import turns relcode's off
    expect(coded.matches.map((m) => `${m.dimension}:${m.match}`)).toEqual(['posemo:happy', 'work:career', 'negemo:hurts', 'posemo:care', 'posemo:good']);
    const percent = Object.fromEntries(Object.entries(coded.counts).map(([k, n]) => [k, Math.round((n / coded.words) * 10000) / 100]));
    expect(percent).toEqual({ posemo: 27.27, negemo: 9.09, work: 9.09 });
  });

  it('without the precedence exclusions relcode would count "career" as posemo too', () => {
    const yaml = imported(dic, 'hand.dic').yaml.replace(/\n *# LIWC gives[^\n]*\n[^\n]*\n *exclude:\n *- career\*/, '');
    expect(yaml).not.toMatch(/exclude/);
    expect(codeText(compileCodebook(parseCodebook(yaml, 'x.yaml')), text, 'client').counts.posemo).toBe(4);
  });

  it('differs by design where relcode normalises words: contractions and possessives', () => {
    const { codebook } = imported('%\n1\tnegate\n2\ttime\n%\nnot\t1\ndon\'t\t1\ntuesday\t2\n', 'n.dic');
    const coded = codeText(compileCodebook(codebook), "I can't, I don't, I will not. Tuesday's fine.", 'client');
    // LIWC: can't ≠ not, don't = don't, not = not → negate 2; tuesday's ≠ tuesday → time 0.
    // relcode reads can't as "can not" and drops the possessive 's: negate 3, time 1.
    // (don't → "do not" is one match: the longer indicator wins over "not" within a dimension.)
    expect(coded.counts).toEqual({ negate: 3, time: 1 });
  });
});
