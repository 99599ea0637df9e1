/**
 * Loads a package on first use, not at start-up. Not `import()`: the bundled
 * CLI runs as a script compiled from a code cache (bin/load-cli.js), where
 * `import()` has no module loader to call, so every package loaded late is a
 * CommonJS one, required.
 */
import { createRequire } from 'node:module';

export const requirePackage = createRequire(import.meta.url);
