import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './run.js';

// The project's own vitest set-up, run as CI runs it, on suites whose counts are known by hand.
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runSuite(files: Record<string, string>, env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'relcode-summary-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [VITEST, 'run', '--config', join(ROOT, 'vitest.config.ts'), '--root', dir, '--globals'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', VITEST: undefined, VITEST_MODE: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout };
}

// 2 pass, 1 fails, 1 skipped; and a file that cannot load, which counts as one failure.
const MIXED = {
  'a.test.ts': [
    "test('adds', () => expect(1 + 1).toBe(2));",
    "test('compares', () => expect('a').toBe('a'));",
    "test('differs', () => expect({ n: 1 }).toEqual({ n: 2 }));",
    "test.skip('later', () => {});",
  ].join('\n'),
  'b.test.ts': "import './no-such-module.js';\ntest('never runs', () => {});\n",
};

describe('the test log ends with one plain summary line', () => {
  it('with CI set, the failures with their errors and the plain line are the whole count (exit 1)', () => {
    const r = runSuite(MIXED, { CI: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('tests: 2 passed, 2 failed, 1 skipped');
    expect(r.stdout).toContain('✗ a.test.ts > differs');
    expect(r.stdout).toContain('expected { n: 1 } to deeply equal { n: 2 }');
    expect(r.stdout).toContain('✗ b.test.ts: the file failed to run');
    expect(r.stdout).toContain("Cannot find module './no-such-module.js'");
    // vitest's own summary block is what log readers misread: it must not be there
    expect(r.stdout).not.toMatch(/Test Files|Tests {2}/);
  });

  it('with CI set and every test passing, the plain line says 0 failed (exit 0)', () => {
    const r = runSuite({ 'a.test.ts': MIXED['a.test.ts'].split('\n').filter((l) => !l.includes('differs')).join('\n') }, { CI: 'true' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('tests: 2 passed, 0 failed, 1 skipped');
  });

  it('without CI, vitest reports as usual and the plain line still ends the log', () => {
    const r = runSuite(MIXED, { CI: undefined });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Test Files {2}2 failed/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('tests: 2 passed, 2 failed, 1 skipped');
  });
});
