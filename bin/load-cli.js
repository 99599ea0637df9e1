// Loads the bundled CLI, dist/bundle/main.cjs, as one script compiled from the
// V8 code cache that the build made by running it (scripts/bundle.mjs): the
// functions a `relcode code` run calls are then read as bytecode, not parsed
// and compiled at every start. When there is no cache for this bundle, or V8
// rejects it (made by another V8 version or under other flags), the script is
// compiled from source as usual.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url));

/** The bundle's first line names the hash of the rest; its cache is saved under that hash, so a stale one is never read. */
export const cacheFile = (source) => `${dirname(BUNDLE)}/main.${/^\/\/ bundle (\w+)/.exec(source)?.[1]}.cache`;

export function loadCli() {
  boundHeapGrowth();
  const source = readFileSync(BUNDLE, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile(source));
  } catch {
    // no cache: compile from source
  }
  // the wrapper on the first line keeps the bundle's line numbers in stack traces
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { main: module.exports.main, script };
}

/**
 * Coding keeps little alive (about 20 MB on AnnoMI ×50) but allocates fast, and
 * V8 then lets the heap grow to several times that between full collections: a
 * peak RSS of 165 MB. Growing by 35% at most gives 112 MB for 5–10% more time.
 * Set here, for the whole process and before compiling: V8 accepts a code cache
 * only under the flags it was made with. A V8 flag, so only on the V8 versions
 * of Node 20–24, where it exists (an unknown flag would print an error).
 */
function boundHeapGrowth() {
  const major = Number(process.versions.v8.split('.')[0]);
  if (major >= 11 && major <= 13) setFlagsFromString('--heap-growing-percent=35');
}
