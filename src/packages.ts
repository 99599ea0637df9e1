/**
 * Loads a package on first use, not at start-up, as CommonJS. Not `import()`:
 * the bundled CLI runs as a script compiled from a code cache
 * (bin/load-cli.js), where `import()` has no module loader to call.
 */
import { createRequire } from 'node:module';

export const requirePackage = createRequire(import.meta.url);
