import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CODEBOOK, loadCodebook } from '../../src/codebook/load.js';
import { relcode, ROOT } from './run.js';

const IDS = ['trust', 'empathy', 'acceptance', 'collaboration', 'boundaries', 'confidentiality', 'respect', 'warmth'];
const dir = mkdtempSync(join(tmpdir(), 'relcode-cbtest-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// ---- checking the XML without a dependency ----

const XMLLINT = spawnSync('xmllint', ['--version']).status === 0;

/** xmllint's verdict on a file (well-formedness, and the schema when given), or undefined without xmllint. */
function xmllint(file: string, schema?: string): { ok: boolean; stderr: string } | undefined {
  if (!XMLLINT) return undefined;
  const r = spawnSync('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

/**
 * The JUnit schema that Jenkins and most CI readers accept (testsuites → testsuite →
 * testcase → failure), with the `file` and `line` attributes that GitLab and pytest add.
 */
const JUNIT_XSD = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="xs:decimal"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence><xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="xs:decimal"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="failure" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="message" type="xs:string"/>
                <xs:attribute name="type" type="xs:string"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="classname" type="xs:string" use="required"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="file" type="xs:string"/>
      <xs:attribute name="line" type="xs:positiveInteger"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
`;
const XSD = write('junit.xsd', JUNIT_XSD);

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(s: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bare & in ${JSON.stringify(s)}`);
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e]!);
}

/** A strict little parser for what a JUnit report holds: a prolog, elements, attributes, text. */
function parseXml(xml: string): XmlElement {
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!prolog.test(xml)) throw new Error('no XML declaration');
  const tokens = xml.replace(prolog, '').matchAll(/<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g);
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  for (const [, close, name, attrText, selfClose, text, stray] of tokens) {
    const top = stack[stack.length - 1]!;
    if (stray) throw new Error('a < that starts no tag');
    if (text !== undefined) {
      top.text += decode(text);
      continue;
    }
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, k, v] of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (k! in attrs) throw new Error(`duplicate attribute ${k}`);
      attrs[k!] = decode(v!);
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: '' };
    top.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1 || root.text.trim()) throw new Error('not exactly one root element');
  return root.children[0]!;
}

/** The JUnit element structure: counts that add up, names and classnames, failures with a message. */
function checkJUnit(xml: string): { suites: XmlElement[]; failures: XmlElement[] } {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  const suites = root.children;
  expect(suites.length).toBeGreaterThan(0);
  const failures: XmlElement[] = [];
  let tests = 0;
  for (const s of suites) {
    expect(s.name).toBe('testsuite');
    expect(s.attrs.name).toBeTruthy();
    const cases = s.children;
    expect(Number(s.attrs.tests)).toBe(cases.length);
    let failed = 0;
    for (const k of cases) {
      expect(k.name).toBe('testcase');
      expect(k.attrs.name).toBeTruthy();
      expect(k.attrs.classname).toMatch(/^relcode\.[a-z_]+$/);
      expect(k.attrs.file).toBeTruthy();
      expect(k.attrs.line).toMatch(/^[1-9]\d*$/);
      const f = k.children.filter((c) => c.name === 'failure');
      expect(k.children.length).toBe(f.length);
      for (const x of f) {
        expect(x.attrs.message).toBeTruthy();
        failures.push(x);
      }
      if (f.length) failed++;
    }
    expect(Number(s.attrs.failures)).toBe(failed);
    tests += cases.length;
  }
  expect(Number(root.attrs.tests)).toBe(tests);
  expect(Number(root.attrs.failures)).toBe(failures.length);
  return { suites, failures };
}

const ANNOTATION = /^::error file=[^,]+,line=\d+(,title=[^:]*)?::.+/;

// ---- a copy of the default codebook with one example broken ----

const original = readFileSync(DEFAULT_CODEBOOK, 'utf8');
const codebook = await loadCodebook(DEFAULT_CODEBOOK);
// the first coded example of the first dimension, rewritten to a turn that codes nothing
const victim = codebook.dimensions[0]!.examples.coded[0]!;
const lines = original.split('\n');
const at = lines[victim.line - 1]!;
lines[victim.line - 1] = `${at.slice(0, victim.col - 1)}"The bus was late again on Tuesday."`;
const broken = write('broken.yaml', lines.join('\n'));

describe('relcode codebook test, as a process', () => {
  it('the shipped codebook passes its examples and fixtures/gold.yaml (exit 0)', () => {
    const junit = join(dir, 'ok.xml');
    const r = relcode(['codebook', 'test', '--gold', 'fixtures/gold.yaml', '--junit', junit]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^examples: all \d+ passed/m);
    expect(r.stdout).toMatch(/^gold: fixtures\/gold\.yaml: 8 transcripts, 184 turns/m);
    for (const id of IDS) expect(r.stdout).toMatch(new RegExp(`^  ${id} .* ok$`, 'm'));
    expect(r.stdout).toMatch(/^coverage: \d+ of \d+ indicators exercised by no example$/m);
    expect(r.stdout).toMatch(/^✔ \d+ examples and 16 gold checks passed$/m);
    const { suites, failures } = checkJUnit(readFileSync(junit, 'utf8'));
    expect(suites.map((s) => s.attrs.name)).toEqual([...IDS, 'gold']);
    expect(failures).toEqual([]);
    expect(xmllint(junit, XSD)?.ok ?? true).toBe(true);
  });

  it('a deliberately broken example exits 1 and names its line', () => {
    const r = relcode(['codebook', 'test', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${broken}:${victim.line}  ${codebook.dimensions[0]!.id}  coded example not coded: "The bus was late again on Tuesday."`);
    expect(r.stdout).toMatch(/^examples: 1 of \d+ failed$/m);
    expect(r.stdout).toMatch(/^✘ 1 failure: 1 example$/m);
  });

  it('--junit writes well-formed JUnit XML that the schema accepts, with the failure at its line', () => {
    const junit = join(dir, 'broken.xml');
    const r = relcode(['codebook', 'test', broken, '--junit', junit]);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    const lint = xmllint(junit, XSD);
    if (lint) expect(lint.ok, lint.stderr).toBe(true);
    const { suites, failures } = checkJUnit(xml);
    expect(suites.map((s) => s.attrs.name)).toEqual(IDS);
    expect(failures).toHaveLength(1);
    const failed = suites.flatMap((s) => s.children).find((k) => k.children.length)!;
    expect(failed.attrs).toMatchObject({ classname: `relcode.${codebook.dimensions[0]!.id}`, file: broken, line: String(victim.line), name: 'coded: "The bus was late again on Tuesday."' });
    expect(failures[0]!.attrs.message).toBe('coded example not coded: matched nothing');
    expect(failures[0]!.text).toContain(`${broken}:${victim.line}:${victim.col}`);
  });

  it('--annotations github prints one ::error per failure and a ::notice summary', () => {
    const r = relcode(['codebook', 'test', broken, '--annotations', 'github']);
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(ANNOTATION);
    expect(out[0]).toContain(`::error file=${broken},line=${victim.line},title=${codebook.dimensions[0]!.id}%3A coded example not coded::`);
    expect(out[1]).toMatch(/^::notice title=relcode codebook test::\d+ examples, 1 failed; \d+ of \d+ indicators exercised by no example$/);
  });

  it('--format json gives the plain report', () => {
    const r = relcode(['codebook', 'test', broken, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ codebook: broken, passed: false, failures: 1 });
    expect(report.examples.filter((e: { passed: boolean }) => !e.passed)).toEqual([
      expect.objectContaining({ dimension: codebook.dimensions[0]!.id, expected: 'coded', line: victim.line, matches: [] }),
    ]);
    expect(report.coverage.indicators).toBe(codebook.dimensions.reduce((n, d) => n + d.indicators.length, 0));
  });

  it('a not_coded example that is coded says what matched, by which indicator and line', () => {
    const cb = write('notcoded.yaml', 'codebook: t\ndimensions:\n  warmth:\n    indicators:\n      - welcome\n    examples:\n      coded: [Welcome back.]\n      not_coded:\n        - You are welcome to leave.\n');
    const r = relcode(['codebook', 'test', cb]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${cb}:9  warmth  not_coded example coded: "You are welcome to leave." (therapist)\n    matched "welcome" by "welcome" (line 5)`);
  });

  it('escapes XML specials and control characters, and GitHub annotation specials', () => {
    // the YAML escape \x01 puts a control character, illegal in XML 1.0, into the example
    const cb = write('specials.yaml', 'codebook: t\ndimensions:\n  warmth:\n    indicators: [welcome]\n    examples:\n      coded:\n        - "Tell me <more> & \\"why\\", it\'s 100% \\x01 fine:\\r\\nreally"\n');
    const junit = join(dir, 'specials.xml');
    const r = relcode(['codebook', 'test', cb, '--junit', junit, '--annotations', 'github']);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const lint = xmllint(junit, XSD);
    if (lint) expect(lint.ok, lint.stderr).toBe(true);
    const { failures } = checkJUnit(xml);
    expect(failures[0]!.text).toContain('text: Tell me <more> & "why", it\'s 100% \\u0001 fine:\r\nreally');
    const [error] = r.stdout.split('\n');
    expect(error).toMatch(ANNOTATION);
    expect(error).toContain('::coded example not coded: "Tell me <more> & "why", it\'s 100%25 fine: really" (therapist)%0Amatched nothing');
  });

  it("docs/codebook-ci.yml's test step passes on this repository, with the shipped fixtures", () => {
    const workflow = parseYaml(readFileSync(join(ROOT, 'docs/codebook-ci.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs).toContain('npm ci');
    expect(runs.some((r) => r.startsWith('npx relcode codebook lint '))).toBe(true);
    const test = runs.find((r) => r.startsWith('npx relcode codebook test '))!;
    const cwd = mkdtempSync(join(tmpdir(), 'relcode-ci-'));
    // the workflow's relative paths, run from a copy's root: codebooks/ and fixtures/ from this repository
    const args = test.split(/\s+/).slice(2).map((a) => (/^(codebooks|fixtures)\//.test(a) ? join(ROOT, a) : a));
    const r = relcode(args, { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::notice title=relcode codebook test::/);
    expect(checkJUnit(readFileSync(join(cwd, 'codebook-test.xml'), 'utf8')).failures).toEqual([]);
  });

  describe('gold', () => {
    const fixtures = join(ROOT, 'fixtures');
    const spec = (thresholds: string) =>
      write('gold.yaml', `transcripts: ["${fixtures}/transcripts"]\ncoding: ${fixtures}/coding/human.csv\nthresholds:\n${thresholds}`);

    it('a threshold set impossibly high exits 1 and names the dimension and the spec line', () => {
      const g = spec('  default: { min_kappa: 0.4, min_f1: 0.5 }\n  empathy: { min_kappa: 0.99 }\n');
      const r = relcode(['codebook', 'test', '--gold', g]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^${g}:5  empathy  kappa 0\\.\\d{3} is below min_kappa 0\\.99$`, 'm'));
      expect(r.stdout).toMatch(/^  empathy .* FAIL$/m);
      expect(r.stdout).toMatch(/^✘ 1 failure: 0 examples, 1 gold check$/m);

      const a = relcode(['codebook', 'test', '--gold', g, '--annotations', 'github']);
      const errors = a.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(ANNOTATION);
      expect(errors[0]).toMatch(new RegExp(`^::error file=${g},line=5,title=empathy%3A gold min_kappa::empathy: kappa 0\\.\\d+ is below min_kappa 0\\.99%0A`));

      const junit = join(dir, 'gold.xml');
      relcode(['codebook', 'test', '--gold', g, '--junit', junit]);
      const { suites, failures } = checkJUnit(readFileSync(junit, 'utf8'));
      const gold = suites.find((s) => s.attrs.name === 'gold')!;
      expect(gold.children).toHaveLength(16);
      expect(failures).toHaveLength(1);
      const failed = gold.children.find((k) => k.children.length)!;
      expect(failed.attrs).toMatchObject({ name: 'empathy min_kappa 0.99', classname: 'relcode.empathy', file: g, line: '5' });
    });

    it.each([
      ['an unknown dimension in thresholds', () => spec('  empahty: { min_kappa: 0.5 }\n'), /gold\.yaml:4:3: error: no dimension "empahty" in the codebook \(did you mean "empathy"\?\) \[unknown-dimension\]/],
      ['an unknown key', () => write('gold.yaml', `transcript: [x]\n`), /gold\.yaml:1:1: error: unknown key "transcript" in the gold spec \(did you mean "transcripts"\?\) \[unknown-key\]/],
      ['a coding unit that is not a turn read', () => {
        write('bad.csv', 'transcript,turn,dimension\nsample-session,1,warmth\nsample-session,99,warmth\n');
        return write('gold.yaml', `transcripts: ["${fixtures}/transcripts/sample-session.txt"]\ncoding: bad.csv\nthresholds: {}\n`);
      }, /bad\.csv:3: error: transcript "sample-session" has no turn 99 \[unknown-unit\]/],
      ['a missing spec', () => join(dir, 'nope.yaml'), /nope\.yaml: error: cannot read the gold spec: ENOENT \[file-not-found\]/],
    ])('%s exits 2 with file:line', (_name, make, message) => {
      const r = relcode(['codebook', 'test', '--gold', make()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\n  hint: /);
    });
  });
});
