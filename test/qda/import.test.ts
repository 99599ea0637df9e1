import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadCodebook, DEFAULT_CODEBOOK } from '../../src/codebook/load.js';
import { codeTranscript } from '../../src/coding/code.js';
import { compileCodebook } from '../../src/coding/tagger.js';
import { importCodings, parseCodeMap } from '../../src/commands/import-qdpx.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { createQdpxSink } from '../../src/output/qdpx.js';
import { readProject, sourceName, transcriptId } from '../../src/qda/project.js';
import { readTranscripts } from '../../src/transcript/read.js';
import { resolveRoles } from '../../src/transcript/roles.js';
import type { RawTranscript } from '../../src/transcript/model.js';

const FIXTURE = new URL('../../fixtures/qdpx/maxqda-style/', import.meta.url).pathname;
const MAP = new URL('../../fixtures/qdpx/maxqda-codes.yaml', import.meta.url).pathname;

/** The unzipped fixture folder, zipped as a QDA program would. */
function zipDir(dir: string, extra: Record<string, string> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  for (const [k, v] of Object.entries(extra)) files[k] = strToU8(v);
  return zipSync(files);
}

function problem(f: () => unknown) {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).diagnostics;
  }
  throw new Error('expected an InputError');
}

function run(bytes: Uint8Array, map = parseCodeMap(readFileSync(MAP, 'utf8'), MAP), user?: string) {
  const warnings: Diagnostic[] = [];
  const report = (d: Diagnostic) => warnings.push(d);
  const codings = importCodings(readProject(bytes, 'study.qdpx', report), map, { map: MAP, ...(user ? { user } : {}) }, report);
  return { codings, warnings };
}

const rowsOf = (rows: { transcript: string; turn: number; dimension: string }[]) => rows.map((r) => `${r.transcript} ${r.turn} ${r.dimension}`);

describe('importing a MAXQDA-style project', () => {
  const { codings, warnings } = run(zipDir(FIXTURE));

  it('gives one long coding per coder, a selection counting for every turn it overlaps', () => {
    expect(codings.map((c) => c.user)).toEqual(['Alice', 'Bob']);
    expect(rowsOf(codings[0]!.rows)).toEqual([
      'Session A 1 warmth', // an emoji inside the selection
      'Session A 3 empathy', // after an emoji and a combining accent: positions are code points
      'Session A 4 trust', // one selection over turns 4 and 5 (a nested code, found by a {braced} GUID)
      'Session A 5 trust',
      'Interview 2 3 empathy', // CRLF text: each \r counts
    ]);
    expect(rowsOf(codings[1]!.rows)).toEqual(['Session A 3 empathy', 'Session A 4 trust']);
  });

  it('reports, with the project file and the GUID, what it cannot use', () => {
    const by = (rule: string) => warnings.filter((w) => w.ruleId === rule);
    expect(warnings.every((w) => w.severity === 'warning' && w.file === 'study.qdpx')).toBe(true);
    expect(by('position-out-of-range')).toHaveLength(1);
    expect(by('position-out-of-range')[0]!.message).toMatch(/selection 5E1EC700-0000-4000-8000-000000000006 in source "Session A\.docx": positions 330–9999 .*0–355 code points/);
    expect(by('unknown-code')).toHaveLength(1);
    expect(by('unknown-code')[0]!.message).toMatch(/selection 5E1EC700-0000-4000-8000-000000000007 .*code DEADBEEF-0000-4000-8000-000000000999/);
    expect(by('unmapped-code').map((w) => w.message)).toEqual([`code "Small talk" is not in the map ${MAP}; its 1 coding is skipped`]);
    expect(by('missing-source-text').map((w) => w.message)).toEqual([
      'source "Session B (text missing)" (0F3A5C74-8B2D-4E3C-9F40-6B7C8D9E0F03): its text, sources/0F3A5C74-8B2D-4E3C-9F40-6B7C8D9E0F03.txt, is not in the archive; its codings are skipped',
    ]);
    expect(warnings).toHaveLength(4);
  });

  it('--user keeps one coder; an unknown one is an error that lists the coders', () => {
    expect(run(zipDir(FIXTURE), undefined, 'Bob').codings.map((c) => c.user)).toEqual(['Bob']);
    const [d] = problem(() => run(zipDir(FIXTURE), undefined, 'Carol'));
    expect(d).toMatchObject({ ruleId: 'unknown-user' });
    expect(d!.hint).toBe('coders: Alice, Bob');
  });

  it('warns about a map entry that names no code in the project, at its line', () => {
    const map = parseCodeMap('Empathy: empathy\nRespect: respect\n', 'm.yaml');
    const w = run(zipDir(FIXTURE), map).warnings.find((x) => x.ruleId === 'unused-map-entry')!;
    expect(w).toMatchObject({ file: 'm.yaml', line: 2, col: 1, message: 'the project has no code named "Respect"' });
  });

  it('refuses an archive with a path-traversal entry, and a project.qde with a DOCTYPE', () => {
    expect(problem(() => run(zipDir(FIXTURE, { '../../escape.txt': 'x' })))[0]!.ruleId).toBe('unsafe-zip-entry');
    const qde = readFileSync(join(FIXTURE, 'project.qde'), 'utf8').replace('<Project ', '<!DOCTYPE Project [<!ENTITY a "aaaa">]>\n<Project ');
    expect(problem(() => run(zipSync({ 'project.qde': strToU8(qde) })))[0]!.ruleId).toBe('unsafe-xml');
    expect(problem(() => run(zipSync({ 'readme.txt': strToU8('x') })))[0]!.ruleId).toBe('bad-qdpx');
  });
});

describe('importing: everything else that cannot be used is reported too', () => {
  const U = '00000000-0000-4000-8000-0000000000A1';
  const C = '00000000-0000-4000-8000-0000000000C1';
  const sel = (g: number, start: number, end: number) =>
    `<PlainTextSelection guid="00000000-0000-4000-8000-00000000050${g}" startPosition="${start}" endPosition="${end}" creatingUser="${U}"><Coding guid="00000000-0000-4000-8000-00000000060${g}"><CodeRef targetGUID="${C}"/></Coding></PlainTextSelection>`;
  const qde = `<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">
    <Users><User guid="${U}" name="Ann"/></Users>
    <CodeBook><Codes><Code guid="${C}" name="Empathy" isCodable="true"/></Codes></CodeBook>
    <Sources>
      <TextSource guid="00000000-0000-4000-8000-000000000001" name="inline"><PlainTextContent>Intro line.
T: Hi.
C: Hello there.</PlainTextContent>
        ${sel(1, 0, 5)}${sel(2, 13, 16)}${sel(3, 9, 4)}${sel(4, -1, 3)}
        <PlainTextSelection guid="00000000-0000-4000-8000-000000000509" startPosition="0" endPosition="99999"/>
        <Coding guid="00000000-0000-4000-8000-000000000699" creatingUser="${U}"><CodeRef targetGUID="${C}"/></Coding>
      </TextSource>
      <TextSource guid="00000000-0000-4000-8000-000000000002" name="on disk" plainTextPath="C:/Users/ann/interview.txt">${sel(5, 0, 1)}</TextSource>
      <TextSource guid="00000000-0000-4000-8000-000000000003" name="no labels"><PlainTextContent>just prose, no speakers</PlainTextContent>${sel(6, 0, 4)}</TextSource>
      <AudioSource guid="00000000-0000-4000-8000-000000000004" name="rec.mp3"/>
    </Sources></Project>`;
  const { codings, warnings } = run(zipSync({ 'project.qde': strToU8(qde) }), parseCodeMap('Empathy: empathy', 'm.yaml'));

  it('keeps what maps: inline PlainTextContent, a selection on turn 1 only', () => {
    expect(codings.map((c) => [c.user, rowsOf(c.rows)])).toEqual([['Ann', ['inline 1 empathy']]]);
  });

  it('and reports each problem once, by rule', () => {
    expect(warnings.map((w) => w.ruleId).sort()).toEqual([
      'external-source-text', 'no-turns', 'non-text-source', 'position-out-of-range', 'position-out-of-range', 'selection-outside-turns', 'source-coding',
      'text-before-first-speaker', // from the text reader, naming the source
    ]);
    expect(warnings.find((w) => w.ruleId === 'text-before-first-speaker')).toMatchObject({ file: 'study.qdpx (inline)', line: 1 });
    const text = warnings.map((w) => w.message).join('\n');
    expect(text).toMatch(/selection 00000000-0000-4000-8000-000000000501 in source "inline": positions 0–5 cover only text outside the turns/);
    expect(text).toMatch(/selection 00000000-0000-4000-8000-000000000503 .*positions 9–4 are not a range/);
    expect(text).toMatch(/source "on disk" .*plainTextPath="C:\/Users\/ann\/interview\.txt"/);
    expect(text).toMatch(/source "no labels" .*no line starts with a speaker label; its codings are skipped/);
    expect(text).toMatch(/skipped 1 AudioSource source/);
    expect(text).toMatch(/1 coding of the whole document/);
  });

  it('a project whose codings all fail to import is an error, not an empty file', () => {
    const [d] = problem(() => run(zipSync({ 'project.qde': strToU8(qde) }), parseCodeMap('Other: empathy', 'm.yaml')));
    expect(d).toMatchObject({ ruleId: 'no-codings', message: "none of the project's 7 codings could be imported (see the warnings above)" });
  });
});

describe('the code map', () => {
  it('reads code names (any string) to dimension ids', () => {
    const map = parseCodeMap('"Warmth (T)": warmth\nEmpathy: empathy\n2: trust\n', 'm.yaml');
    expect([...map].map(([k, v]) => [k, v.dimension])).toEqual([['Warmth (T)', 'warmth'], ['Empathy', 'empathy'], ['2', 'trust']]);
  });

  it.each([
    ['a list', '- a\n- b\n', 'bad-code-map', 1, 1],
    ['an empty file', '', 'bad-code-map', 1, 1],
    ['a value that is not a string', 'Empathy: empathy\nTrust: [a, b]\n', 'bad-code-map', 2, 8],
    ['an empty value', 'Empathy:\n', 'bad-code-map', 1, 9],
    ['a duplicate key', 'Empathy: a\nEmpathy: b\n', 'duplicate-key', 2, 1],
    ['bad YAML', 'Empathy: "a\n', 'yaml-syntax', 2, 1],
  ])('rejects %s with file:line:col', (_, text, rule, line, col) => {
    const [d] = problem(() => parseCodeMap(text, 'm.yaml'));
    expect(d).toMatchObject({ ruleId: rule, file: 'm.yaml', line, col });
    expect(d!.hint).toBeTruthy();
  });
});

describe('transcript ids and source names', () => {
  it.each([
    ['sample-session', 'sample-session'],
    ['Session A.docx', 'Session A'],
    ['Interview v1.2', 'Interview v1.2'],
    ['notes.TXT', 'notes'],
  ])('the source %j is the transcript %j', (name, id) => {
    expect(transcriptId(name)).toBe(id);
  });
  it.each(['s01', 'a.txt', 'session.01', 'x.pdf'])('the id %j survives export and import', (id) => {
    expect(transcriptId(sourceName(id))).toBe(id);
  });
});

describe('round trip: our own export, imported back unchanged', () => {
  it('gives back exactly the turns relcode coded, numbered 1.. in order', async () => {
    const codebook = await loadCodebook(DEFAULT_CODEBOOK);
    const compiled = compileCodebook(codebook);
    const sink = createQdpxSink(codebook, 'turn');
    const expected: string[] = [];
    const originals: RawTranscript[] = [];
    const read = { inputFormat: 'auto' as const, columns: {}, rolePatterns: codebook.roles };
    for (const f of ['sample-session.txt', 'intake-lee.txt', 'couples-tc.txt', 'group-notes.csv', 'telehealth.tsv']) {
      for await (const raw of readTranscripts(`fixtures/transcripts/${f}`, read, () => {})) {
        const coded = codeTranscript(compiled, resolveRoles(raw, codebook.roles, {}, () => {}));
        sink.add(coded);
        originals.push(raw);
        coded.turns.forEach((t, k) => {
          for (const d of codebook.dimensions) if ((t.counts[d.id] ?? 0) > 0) expected.push(`${coded.id} ${k + 1} ${d.id}`);
        });
      }
    }
    const map = new Map(codebook.dimensions.map((d) => [d.label, { dimension: d.id, file: 'map.yaml', line: 1, col: 1 }]));
    const { codings, warnings } = run(sink.end(), map);
    expect(warnings).toEqual([]);
    expect(codings.map((c) => c.user)).toEqual(['relcode']);
    expect(new Set(rowsOf(codings[0]!.rows))).toEqual(new Set(expected));
    expect(expected.length).toBeGreaterThan(40);
  });
});
