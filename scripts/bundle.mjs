// `npm run build`, last step: bundles the compiled CLI (dist/cli/main.js) and the
// worker (dist/coding/worker.js) with their packages into dist/bundle/, which
// bin/relcode.js loads. Start-up is most of a small run, and Node 20 loads a
// module graph file by file: about 55 files for `relcode code` on one text file.
// Bundled, that is 14 (about 20 ms less on a 2-core machine), and chunks that a
// command does not need (chalk, csv-parse, yaml, mammoth, the other commands)
// still load only when it runs.
//
// dist/bundle/ sits two levels below the package root, as dist/<dir>/*.js does,
// so paths taken from import.meta.url (package.json, codebooks/, dist/codebooks/,
// schema/) resolve the same from a chunk; the pool's `./worker.js` is the
// worker entry here. Tests import src/ directly; test/cli runs bin/relcode.js.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${dist}cli/main.js`, worker: `${dist}coding/worker.js` },
  outdir,
  bundle: true,
  // dynamic imports stay lazy: each becomes a chunk loaded when it runs
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages in an ES module bundle need a `require` for Node's built-ins
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
