import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadCodebook, parseCodebook, DEFAULT_CODEBOOK } from '../../src/codebook/load.js';
import { codeTranscript } from '../../src/coding/code.js';
import type { CodedTranscript } from '../../src/coding/model.js';
import { compileCodebook } from '../../src/coding/tagger.js';
import type { Codebook } from '../../src/codebook/model.js';
import { createQdpxSink } from '../../src/output/qdpx.js';
import { codebookToQdc } from '../../src/output/qdc.js';
import { PALETTE } from '../../src/qda/codebook.js';
import { childNamed, childrenNamed, parseXml, type XmlElement } from '../../src/qda/xml-parse.js';
import { readTranscripts } from '../../src/transcript/read.js';
import { resolveRoles } from '../../src/transcript/roles.js';
import { parseText } from '../../src/transcript/readers/text.js';

const PROJECT_XSD = new URL('../../../shared/schemas/refi-qda/Project-mrt2019.xsd', import.meta.url).pathname;
const CODEBOOK_XSD = new URL('../../fixtures/qdpx/Codebook.xsd', import.meta.url).pathname;
const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'relcode-qda-export-'));
const NOW = new Date('2025-01-02T03:04:05Z');
const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

/** xmllint --noout --schema: '' when valid, else its complaint. */
function schemaErrors(xml: string, xsd: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

function code(codebook: Codebook, id: string, text: string): CodedTranscript {
  const raw = parseText(text, { file: id, source: id, id, rolePatterns: codebook.roles }, () => {});
  return codeTranscript(compileCodebook(codebook), resolveRoles(raw, codebook.roles, {}, () => {}));
}

function exportOf(codebook: Codebook, transcripts: CodedTranscript[], unit: 'turn' | 'match' = 'turn') {
  const sink = createQdpxSink(codebook, unit, { now: NOW });
  for (const t of transcripts) sink.add(t);
  const bytes = sink.end();
  const files = unzipSync(bytes);
  const qde = strFromU8(files['project.qde']!);
  return { bytes, files, qde, project: parseXml(qde, 'project.qde') };
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

const SMALL = parseCodebook(
  [
    'codebook: Small <test> & "co"',
    'version: 2.0.0',
    'dimensions:',
    '  warmth:',
    '    label: Warmth & care',
    '    definition: "Welcome, gladness to see the client. Odd \\x01 control \\u0007 chars, <tags> & ]]> too."',
    '    indicators: [glad to see you]',
    '  empathy:',
    '    label: Empathy',
    '    definition: Reflects feelings.',
    "    indicators: [{ regex: 'sounds like [^.]*' }]",
  ].join('\n'),
  'small.yaml',
);
// An emoji and a combining accent before the coded spans, and an emoji inside one.
const TEXT = 'Therapist: 😊 Café (e\u0301)! I am so glad to see you.\nClient: Hi.\nTherapist: It sounds like a 😣 hard week.\n';

describe('REFI-QDA project export', () => {
  it.skipIf(!HAVE_XMLLINT)('validates against Project-mrt2019.xsd, with escaping that survives odd names and definitions', () => {
    const { qde } = exportOf(SMALL, [code(SMALL, 'odd <id> & "x"', TEXT)]);
    expect(schemaErrors(qde, PROJECT_XSD, 'small.qde')).toBe('');
    const { qde: matches } = exportOf(SMALL, [code(SMALL, 's', TEXT)], 'match');
    expect(schemaErrors(matches, PROJECT_XSD, 'small-match.qde')).toBe('');
  });

  it('has the codebook as Codes, the transcript as a TextSource with its text in sources/, and a User "relcode"', () => {
    const { files, project } = exportOf(SMALL, [code(SMALL, 'session 1', TEXT)]);
    expect(project.attrs).toMatchObject({ xmlns: 'urn:QDA-XML:project:1.0', name: 'Small <test> & "co"', origin: expect.stringMatching(/^relcode \d/), creationDateTime: '2025-01-02T03:04:05Z' });
    const users = all(project, 'User');
    expect(users.map((u) => u.attrs.name)).toEqual(['relcode']);
    const codes = all(project, 'Code');
    expect(codes.map((c) => [c.attrs.name, c.attrs.isCodable, c.attrs.color])).toEqual([
      ['Warmth & care', 'true', PALETTE[0]],
      ['Empathy', 'true', PALETTE[1]],
    ]);
    expect(childNamed(codes[0]!, 'Description')!.text).toBe('Welcome, gladness to see the client. Odd \uFFFD control \uFFFD chars, <tags> & ]]> too.');
    const [source] = all(project, 'TextSource');
    expect(source!.attrs.name).toBe('session 1');
    const path = source!.attrs.plainTextPath!;
    expect(path).toBe(`internal://${source!.attrs.guid}.txt`);
    expect(strFromU8(files[`sources/${path.slice('internal://'.length)}`]!)).toBe(TEXT);
    for (const el of [...users, ...codes, source!, ...all(project, 'PlainTextSelection'), ...all(project, 'Coding')]) expect(el.attrs.guid).toMatch(GUID);
    for (const el of [source!, ...all(project, 'PlainTextSelection'), ...all(project, 'Coding')]) {
      expect(el.attrs).toMatchObject({ creatingUser: users[0]!.attrs.guid, creationDateTime: '2025-01-02T03:04:05Z' });
    }
  });

  it('codes each coded turn as one selection, in code points (not UTF-16 units), with a Coding per dimension', () => {
    const { project } = exportOf(SMALL, [code(SMALL, 's', TEXT)]);
    const codeName = new Map(all(project, 'Code').map((c) => [c.attrs.guid, c.attrs.name]));
    const cps = [...TEXT];
    const got = all(project, 'PlainTextSelection').map((s) => [
      cps.slice(Number(s.attrs.startPosition), Number(s.attrs.endPosition)).join(''),
      s.attrs.name,
      childrenNamed(s, 'Coding').map((c) => codeName.get(childNamed(c, 'CodeRef')!.attrs.targetGUID)),
    ]);
    expect(got).toEqual([
      ['😊 Café (e\u0301)! I am so glad to see you.', 'Turn 1 (Therapist)', ['Warmth & care']],
      ['It sounds like a 😣 hard week.', 'Turn 3 (Therapist)', ['Empathy']],
    ]);
    // in UTF-16 units it would start one later (the emoji before it is two units); the accent counts as its own code point
    const second = all(project, 'PlainTextSelection')[1]!;
    expect(Number(second.attrs.startPosition)).toBe(TEXT.indexOf('It sounds') - 1);
    expect(Number(second.attrs.endPosition)).toBe(TEXT.indexOf('week.') + 'week.'.length - 2);
  });

  it('with unit match, codes each match as a selection over the matched words', () => {
    const { project } = exportOf(SMALL, [code(SMALL, 's', TEXT)], 'match');
    const cps = [...TEXT];
    expect(all(project, 'PlainTextSelection').map((s) => [cps.slice(Number(s.attrs.startPosition), Number(s.attrs.endPosition)).join(''), s.attrs.name])).toEqual([
      ['glad to see you', 'Turn 1: glad to see you'],
      ['sounds like a 😣 hard week', 'Turn 3: sounds like a 😣 hard week'],
    ]);
  });

  it('is reproducible: the same input gives the same bytes; other text gives other GUIDs', () => {
    const a = exportOf(SMALL, [code(SMALL, 's', TEXT)]);
    const b = exportOf(SMALL, [code(SMALL, 's', TEXT)]);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const c = exportOf(SMALL, [code(SMALL, 's', TEXT.replace('Hi.', 'Hello.'))]);
    expect(all(c.project, 'TextSource')[0]!.attrs.guid).not.toBe(all(a.project, 'TextSource')[0]!.attrs.guid);
    expect(all(c.project, 'Code').map((x) => x.attrs.guid)).toEqual(all(a.project, 'Code').map((x) => x.attrs.guid));
  });

  it('keeps GUIDs unique when two transcripts share an id and a text', () => {
    const { project } = exportOf(SMALL, [code(SMALL, 's', TEXT), code(SMALL, 's', TEXT)]);
    const guids = ['TextSource', 'PlainTextSelection', 'Coding'].flatMap((n) => all(project, n).map((e) => e.attrs.guid));
    expect(new Set(guids).size).toBe(guids.length);
  });

  it.skipIf(!HAVE_XMLLINT)('the bundled codebook and every fixture transcript export to a valid project', async () => {
    const codebook = await loadCodebook(DEFAULT_CODEBOOK);
    const compiled = compileCodebook(codebook);
    const sink = createQdpxSink(codebook, 'turn', { now: NOW });
    const read = { inputFormat: 'auto' as const, columns: {}, rolePatterns: codebook.roles };
    for (const f of ['sample-session.txt', 'intake-lee.txt', 'couples-tc.txt', 'hard-negatives.txt', 'group-notes.csv', 'telehealth.tsv', 'followup.jsonl']) {
      for await (const raw of readTranscripts(`fixtures/transcripts/${f}`, read, () => {})) sink.add(codeTranscript(compiled, resolveRoles(raw, codebook.roles, {}, () => {})));
    }
    const qde = strFromU8(unzipSync(sink.end())['project.qde']!);
    expect(schemaErrors(qde, PROJECT_XSD, 'fixtures.qde')).toBe('');
    expect(all(parseXml(qde, 'x'), 'TextSource').map((s) => s.attrs.name)).toEqual(['sample-session', 'intake-lee', 'couples-tc', 'hard-negatives', 's01', 's02', 'telehealth', 'followup']);
  });
});

describe('REFI-QDA codebook export (.qdc)', () => {
  it('mirrors the project’s CodeBook: same Codes, GUIDs, colours and descriptions, in the codebook namespace', async () => {
    const codebook = await loadCodebook(DEFAULT_CODEBOOK);
    const notes: string[] = [];
    const qdc = codebookToQdc(codebook, (d) => notes.push(d.ruleId));
    expect(notes).toEqual(['not-exported']);
    const root = parseXml(qdc, 'cb.qdc');
    expect(root.name).toBe('CodeBook');
    expect(root.attrs).toMatchObject({ xmlns: 'urn:QDA-XML:codebook:1.0', origin: expect.stringMatching(/^relcode /) });
    const fromProject = childNamed(exportOf(codebook, []).project, 'CodeBook')!;
    const shape = (el: XmlElement): unknown => ({ name: el.name, attrs: el.name === 'CodeBook' ? {} : el.attrs, text: el.text.trim(), children: el.children.map(shape) });
    expect(shape(root)).toEqual(shape(fromProject));
    expect(all(root, 'Code').map((c) => c.attrs.name)).toEqual(codebook.dimensions.map((d) => d.label));
  });

  it.skipIf(!HAVE_XMLLINT)('validates against the REFI-QDA Codebook schema', async () => {
    expect(schemaErrors(codebookToQdc(await loadCodebook(DEFAULT_CODEBOOK), () => {}), CODEBOOK_XSD, 'default.qdc')).toBe('');
    expect(schemaErrors(codebookToQdc(SMALL, () => {}), CODEBOOK_XSD, 'small.qdc')).toBe('');
  });
});
