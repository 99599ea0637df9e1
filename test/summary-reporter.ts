import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

type TestError = { message?: string; stack?: string; diff?: string };

interface Failure {
  readonly title: string;
  readonly errors: ReadonlyArray<TestError>;
}

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`,
 * the form CI log readers look for. A test file that could not load, and an
 * error thrown outside any test, each count as one failure so that they can
 * never leave the line at "0 failed".
 *
 * With `failures: true` (CI, where it is the only reporter) it first prints
 * each failure with its error: vitest's own summary block is what CI log
 * readers misread, so in CI this line is the only count in the log.
 */
export default class SummaryReporter implements Reporter {
  private root = '.';

  constructor(private readonly options: { failures?: boolean } = {}) {}

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<TestError>): void {
    let passed = 0;
    let skipped = 0;
    const failures: Failure[] = unhandledErrors.map((error) => ({ title: 'error outside any test', errors: [error] }));
    for (const module of modules) {
      if (module.state() === 'failed' && module.errors().length > 0) {
        failures.push({ title: `${relative(this.root, module.moduleId)}: the file failed to run`, errors: module.errors() });
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') failures.push({ title: `${relative(this.root, test.module.moduleId)} > ${test.fullName}`, errors: result.errors ?? [] });
        else skipped += 1;
      }
    }
    if (this.options.failures) for (const failure of failures) process.stdout.write(formatFailure(failure));
    process.stdout.write(`\ntests: ${passed} passed, ${failures.length} failed, ${skipped} skipped\n`);
  }
}

function formatFailure(failure: Failure): string {
  const lines = [`\n✗ ${failure.title}`];
  for (const error of failure.errors) {
    const text = error.stack ?? error.message ?? String(error);
    lines.push(...text.split('\n').slice(0, 12).map((line) => `    ${line}`));
    if (error.diff) lines.push(...error.diff.split('\n').map((line) => `    ${line}`));
  }
  return lines.join('\n') + '\n';
}
