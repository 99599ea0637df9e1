import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relcode, ROOT } from './run.js';

const BUNDLE = join(ROOT, 'dist/bundle/main.cjs');
const SAMPLE = 'fixtures/transcripts/sample-session.txt';

/** What loading the CLI of the package at `root` says of its code cache: 'false' when V8 used it. */
function cachedDataRejected(root: string): string {
  const probe = `import(${JSON.stringify(join(root, 'bin/load-cli.js'))}).then((m) => console.log(String(m.loadCli().script.cachedDataRejected)))`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

describe('the CLI loaded from its code cache (bin/load-cli.js)', () => {
  const source = readFileSync(BUNDLE, 'utf8');
  const firstLine = source.slice(0, source.indexOf('\n'));
  const body = source.slice(firstLine.length + 1);

  it("names the hash of the bundle's text on its first line, and the cache is saved under it", () => {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    expect(firstLine).toBe(`// bundle ${hash}`);
    expect(readdirSync(join(ROOT, 'dist/bundle')).filter((f) => f.endsWith('.cache'))).toEqual([`main.${hash}.cache`]);
  });

  it('V8 accepts the cache that the build made', () => {
    expect(cachedDataRejected(ROOT)).toBe('false');
  });

  const copy = mkdtempSync(join(tmpdir(), 'relcode-nocache-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('without a cache, a copy of the package compiles from source and codes the same, byte for byte', () => {
    for (const dir of ['bin', 'dist', 'codebooks', 'schema', 'fixtures/transcripts']) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    for (const f of readdirSync(join(copy, 'dist/bundle'))) if (f.endsWith('.cache')) rmSync(join(copy, 'dist/bundle', f));
    const args = ['code', SAMPLE, 'fixtures/transcripts/group-notes.csv', 'fixtures/transcripts/intake-docx.docx', '--level', 'turn', '--format', 'csv', '-q'];
    const cached = relcode(args);
    const uncached = spawnSync(process.execPath, [join(copy, 'bin/relcode.js'), ...args], { cwd: copy, encoding: 'utf8' });
    expect(cachedDataRejected(copy)).toBe('undefined'); // no cache was read
    expect(cached.code).toBe(0);
    expect(uncached.status).toBe(0);
    expect(cached.stdout.split('\n').length).toBeGreaterThan(30);
    expect(uncached.stdout).toBe(cached.stdout);
  });
});
