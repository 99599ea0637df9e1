import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';

// In CI the log carries one count only, the plain summary line (see the reporter).
const ci = Boolean(process.env.CI);

export default defineConfig({
  test: { reporters: ci ? [new SummaryReporter({ failures: true })] : ['default', new SummaryReporter()] },
});
