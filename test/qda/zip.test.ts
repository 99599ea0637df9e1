import { strToU8, zipSync } from 'fflate';
import { problemOf } from '../helpers.js';
import { describe, expect, it } from 'vitest';
import { openZip, unsafeEntryName, ZIP_LIMITS, type ZipLimits } from '../../src/qda/zip.js';

const problem = problemOf;

/** A zip whose entries are written under these exact names (fflate keeps them as given). */
const zipOf = (files: Record<string, Uint8Array | string>, level: 0 | 6 = 6) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [typeof v === 'string' ? strToU8(v) : v, { level }]])));

/** Rewrites the uncompressed size of every entry (local and central headers): a lying archive. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(zip);
  const v = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    if (v.getUint32(i, true) === 0x04034b50) v.setUint32(i + 22, size, true);
    if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, size, true);
  }
  return out;
}

const SMALL: ZipLimits = { entry: 1000, total: 2500 };

describe('reading a .qdpx zip safely', () => {
  it('reads stored and deflated entries and checks their CRC', () => {
    for (const level of [0, 6] as const) {
      const zip = openZip(zipOf({ 'project.qde': '<Project/>', 'sources/a.txt': 'T: hi 😊' }, level), 'p.qdpx');
      expect(zip.entries.map((e) => e.name)).toEqual(['project.qde', 'sources/a.txt']);
      expect(new TextDecoder().decode(zip.read(zip.find('sources/a.txt')!))).toBe('T: hi 😊');
    }
  });

  it.each([
    ['../evil.txt', 'climbs out'],
    ['sources/../../evil.txt', 'climbs out'],
    ['/etc/passwd', 'absolute'],
    ['sources\\..\\evil.txt', 'backslash'],
    ['C:/evil.txt', 'drive letter'],
  ])('refuses an entry named %j (zip slip)', (name, why) => {
    expect(unsafeEntryName(name)).toMatch(why);
    const d = problem(() => openZip(zipOf({ 'project.qde': '<Project/>', [name]: 'x' }), 'p.qdpx'));
    expect(d).toMatchObject({ ruleId: 'unsafe-zip-entry', file: 'p.qdpx' });
    expect(d.message).toContain(why);
    expect(d.hint).toMatch(/zip slip/);
  });

  it('accepts ordinary names, dots included', () => {
    for (const name of ['project.qde', 'sources/a.b.txt', 'sources/..hidden', 'x/./y']) expect(unsafeEntryName(name)).toBeUndefined();
  });

  it('refuses an entry whose declared size is over the per-entry cap, before inflating anything', () => {
    const d = problem(() => openZip(zipOf({ 'big.txt': 'a'.repeat(1001) }), 'p.qdpx', SMALL));
    expect(d.ruleId).toBe('zip-too-large');
    expect(d.message).toMatch(/big\.txt.*per entry/);
    // the real caps: a header claiming 4 GiB is refused at once
    expect(problem(() => openZip(declareSize(zipOf({ 'a.txt': 'x' }), 0xfffffffe), 'p.qdpx')).ruleId).toBe('zip-too-large');
    expect(ZIP_LIMITS).toEqual({ entry: 64 * 1024 * 1024, total: 512 * 1024 * 1024 });
  });

  it('refuses archives whose declared sizes add up to more than the total cap', () => {
    const zip = zipOf({ 'a.txt': 'a'.repeat(900), 'b.txt': 'b'.repeat(900), 'c.txt': 'c'.repeat(900) });
    expect(problem(() => openZip(zip, 'p.qdpx', SMALL)).message).toMatch(/more than .* in all/);
  });

  it('stops inflating an entry that unpacks to more than its header declares (a lying zip bomb)', () => {
    // 100 kB of zeros deflates to ~100 bytes; the header is made to claim 10 bytes
    const zip = openZip(declareSize(zipOf({ 'bomb.txt': new Uint8Array(100_000) }), 10), 'p.qdpx', SMALL);
    const d = problem(() => zip.read(zip.find('bomb.txt')!));
    expect(d.ruleId).toBe('zip-too-large');
    expect(d.message).toMatch(/more than its header declares/);
  });

  it('reports a corrupt entry and a file that is not a zip', () => {
    const good = zipOf({ 'a.txt': 'hello hello hello' }, 0);
    const bad = Uint8Array.from(good);
    bad[30 + 'a.txt'.length] ^= 1; // the first byte of the stored data, after the local header
    const zip = openZip(bad, 'p.qdpx');
    expect(problem(() => zip.read(zip.find('a.txt')!)).message).toMatch(/CRC/);
    expect(problem(() => openZip(strToU8('Therapist: hello, this is plain text and not a zip at all'), 'p.qdpx')).ruleId).toBe('bad-zip');
  });
});
