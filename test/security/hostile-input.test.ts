/**
 * Hostile inputs: YAML alias bombs, keys that name JavaScript's own
 * properties (prototype pollution), and zip archives that climb out of their
 * folder or unpack to gigabytes. Each is refused with exit 2 and a message at
 * file:line:col, fast, and without touching anything outside relcode.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCodebook } from '../../src/codebook/load.js';
import { parseGoldSpec } from '../../src/codebook/gold.js';
import { parseCodeMap } from '../../src/commands/import-qdpx.js';
import { InputError, type Diagnostic } from '../../src/diagnostics.js';
import { openZip, ZIP_LIMITS } from '../../src/qda/zip.js';
import { parseRoleOption, resolveRoles } from '../../src/transcript/roles.js';
import { relcode, ROOT } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'relcode-hostile-'));

function problems(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (err) {
    if (err instanceof InputError) return err.diagnostics;
    throw err;
  }
  return [];
}

const where = (d: Diagnostic) => `${d.ruleId} ${d.line}:${d.col}`;

/** The classic "billion laughs": nine levels of nine aliases, 9^9 strings if expanded. */
function laughs(indent: string, key = (level: string) => `${level}${level}`): string {
  const lines = [`${indent}${key('a')}: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  const levels = 'abcdefghi';
  for (let i = 1; i < levels.length; i++) lines.push(`${indent}${key(levels[i]!)}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`);
  return lines.join('\n');
}

describe('YAML alias bombs', () => {
  it('in a codebook: refused at once, at its line', () => {
    const yaml = `codebook: t\ndimensions:\n${laughs('  ', (l) => `d${l}`).replace(/^( {2}d\w): (&\w) /gm, '$1:\n    indicators: $2 ')}\n  last:\n    indicators: *i\n`;
    const started = performance.now();
    const found = problems(() => parseCodebook(yaml, 'bomb.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.file === 'bomb.yaml' && d.line !== undefined && d.col !== undefined)).toBe(true);
  });

  it('in a codebook, as a process: exit 2', () => {
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, `codebook: t\nx-anchors:\n${laughs('  ')}\ndimensions:\n  d:\n    indicators: *i\n`);
    const r = relcode(['codebook', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml:2:1: error: unknown key "x-anchors" in the codebook/);
    // one level of aliases is followed, then the items are wrong: ten errors, not 9^9 strings
    expect(r.stderr).toMatch(/bomb\.yaml:11:11: error: an item of `indicators` must be a mapping of keys to values \[bad-value\]/);
    expect(r.stderr.match(/error:/g)).toHaveLength(10);
  });

  it('in a gold spec and a --map file: refused, not expanded', () => {
    expect(problems(() => parseGoldSpec(`transcripts: [a.txt]\ncoding: c.csv\nthresholds:\n${laughs('  ')}\n`, 'gold.yaml', ['empathy'])).map(where)[0]).toBe('unknown-dimension 4:3');
    expect(problems(() => parseCodeMap(`${laughs('')}\n`, 'map.yaml')).map(where)[0]).toBe('bad-code-map 1:8');
  });
});

describe('prototype pollution: keys that are JavaScript property names', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  const codebooks: [string, string, string][] = [
    ['__proto__ at the top', 'codebook: t\n__proto__: { polluted: 1 }\ndimensions:\n  d:\n    indicators: [a]\n', 'unknown-key 2:1'],
    ['constructor at the top', 'codebook: t\nconstructor: { prototype: { polluted: 1 } }\ndimensions:\n  d:\n    indicators: [a]\n', 'unknown-key 2:1'],
    ['__proto__ as a dimension id', 'codebook: t\ndimensions:\n  __proto__:\n    indicators: [a]\n', 'bad-id 3:3'],
    ['constructor as a dimension id', 'codebook: t\ndimensions:\n  constructor:\n    indicators: [a]\n', 'bad-id 3:3'],
    ['prototype as a dimension id', 'codebook: t\ndimensions:\n  prototype:\n    indicators: [a]\n', 'bad-id 3:3'],
    ['__proto__ in a dimension', 'codebook: t\ndimensions:\n  d:\n    __proto__: { polluted: 1 }\n    indicators: [a]\n', 'unknown-key 4:5'],
    ['__proto__ in an indicator', 'codebook: t\ndimensions:\n  d:\n    indicators:\n      - { phrase: a, __proto__: { polluted: 1 } }\n', 'unknown-key 5:22'],
    ['constructor in roles', 'codebook: t\nroles:\n  constructor: [x]\ndimensions:\n  d:\n    indicators: [a]\n', 'unknown-key 3:3'],
    ['__proto__ in defaults', 'codebook: t\ndefaults:\n  __proto__: { polluted: 1 }\ndimensions:\n  d:\n    indicators: [a]\n', 'unknown-key 3:3'],
  ];
  it.each(codebooks)('codebook: %s', (_name, yaml, expected) => {
    const found = problems(() => parseCodebook(yaml, 'cb.yaml'));
    expect(found.map(where)).toContain(expected);
  });

  it('a dimension id that is a JavaScript property name has a hint', () => {
    const [d] = problems(() => parseCodebook('codebook: t\ndimensions:\n  constructor:\n    indicators: [a]\n', 'cb.yaml'));
    expect(d!.message).toBe('dimension id "constructor" is a reserved JavaScript property name');
    expect(d!.hint).toBe('rename the dimension, e.g. `constructor_dim`');
  });

  it('gold spec: __proto__ and constructor keys are errors at their place', () => {
    const spec = 'transcripts: [a.txt]\ncoding: c.csv\n__proto__: { polluted: 1 }\nthresholds:\n  constructor: { min_kappa: 0.5 }\n  default: { __proto__: 1, min_f1: 0.5 }\n';
    expect(problems(() => parseGoldSpec(spec, 'gold.yaml', ['empathy'])).map(where)).toEqual(['unknown-key 3:1', 'unknown-dimension 5:3', 'unknown-key 6:14']);
  });

  it('--map file: __proto__, constructor and prototype are refused as code names', () => {
    const found = problems(() => parseCodeMap('Warmth: warmth\n__proto__: empathy\nconstructor: trust\nprototype: respect\n', 'map.yaml'));
    expect(found.map(where)).toEqual(['reserved-key 2:1', 'reserved-key 3:1', 'reserved-key 4:1']);
    expect(found[0]!.message).toBe('"__proto__" is a reserved JavaScript property name, not a code name');
  });

  it('--role with such labels is just a label (it was lost, or refused as "two roles")', () => {
    const roles = parseRoleOption(['constructor=therapist', '__proto__=client', 'toString=other']);
    const t = resolveRoles(
      { id: 't', source: 't.txt', turns: ['constructor', '__proto__', 'toString'].map((speaker, i) => ({ turn: i + 1, speaker, text: 'hi' })) },
      { therapist: [], client: [] }, roles, () => {},
    );
    expect(t.turns.map((x) => x.role)).toEqual(['therapist', 'client', 'other']);
  });

  it('JSONL and CSV transcripts with such fields read as data', () => {
    writeFileSync(join(dir, 'proto.jsonl'), '{"speaker":"Therapist","text":"I hear you.","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}\n');
    writeFileSync(join(dir, 'proto.csv'), '__proto__,constructor,speaker,text\n1,2,Client,I feel heard.\n');
    for (const f of ['proto.jsonl', 'proto.csv']) {
      const r = relcode(['code', join(dir, f), '--level', 'turn', '--format', 'json', '-q']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as unknown[]).length).toBe(1);
    }
  });
});

describe('zip slip and zip bombs in a .qdpx', () => {
  const zip = (files: Record<string, Uint8Array>, level: 0 | 6 = 6) => Uint8Array.from(zipSync(files, { level }));
  it.each([
    ['../../../tmp/evil.txt', /climbs out of the archive/],
    ['sources/../../evil.txt', /climbs out of the archive/],
    ['/etc/passwd', /is an absolute path/],
    ['..\\..\\evil.txt', /contains a backslash/],
    ['C:/Windows/evil.txt', /starts with a drive letter/],
  ])('refuses the entry name %s', (name, reason) => {
    const [d] = problems(() => openZip(zip({ 'project.qde': strToU8('<Project/>'), [name]: strToU8('x') }), 'evil.qdpx'));
    expect(d!.ruleId).toBe('unsafe-zip-entry');
    expect(d!.message).toMatch(reason);
  });

  it('refuses an honest deflate bomb (80 MiB of zeros in 80 KiB) before inflating it', () => {
    const bomb = zip({ 'project.qde': strToU8('<Project/>'), 'sources/big.txt': new Uint8Array(80 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const file = join(dir, 'bomb.qdpx');
    writeFileSync(file, bomb);
    writeFileSync(join(dir, 'map.yaml'), 'Empathy: empathy\n');
    const r = relcode(['import', 'qdpx', file, '--map', join(dir, 'map.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.qdpx: error: the archive entry "sources\/big\.txt" would unpack to 80 MiB, over the limit of 64 MiB per entry \[zip-too-large\]/);
  });

  it('refuses many entries that add up past the total cap', () => {
    const files: Record<string, Uint8Array> = { 'project.qde': strToU8('<Project/>') };
    const small = { entry: 1024, total: 4096 };
    for (let i = 0; i < 5; i++) files[`sources/${i}.txt`] = new Uint8Array(1000);
    const [d] = problems(() => openZip(zip(files), 'many.qdpx', small));
    expect(d!.ruleId).toBe('zip-too-large');
    expect(ZIP_LIMITS.total).toBeGreaterThan(ZIP_LIMITS.entry);
  });

  it('the fixture project still opens', () => {
    expect(readFileSync(join(ROOT, 'fixtures/qdpx/maxqda-codes.yaml'), 'utf8').length).toBeGreaterThan(0);
  });
});
