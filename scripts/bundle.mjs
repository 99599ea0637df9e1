// `npm run build`, last step: bundles the compiled CLI (dist/cli/main.js) and the
// worker (dist/coding/worker.js) into dist/bundle/, and makes the V8 code cache
// that bin/load-cli.js loads the CLI from. Start-up is most of a small run.
// Node 20 loads ES modules file by file (about 55 for `relcode code` on one text
// file) and compiles each one's functions when first called; one script read
// as cached bytecode starts in about 12 ms less on a 2-core machine than 14
// bundled ES module chunks (bench/README.md).
//
// The CLI is one CommonJS script: commands and readers it does not need stay
// unevaluated until they run (esbuild wraps each lazily imported module), and
// the large packages loaded late (yaml, mammoth, csv-parse, csv-stringify,
// tinyglobby) are left out and required from node_modules when needed.
// dist/bundle/ sits two levels below the package root, as dist/<dir>/*.js does,
// so paths taken from import.meta.url (package.json, codebooks/, dist/codebooks/,
// schema/) resolve the same from the bundle; the pool's `./worker.js` is the
// worker entry here. Tests import src/ directly; test/cli runs bin/relcode.js.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // required when first needed (src/packages.ts), or by a command's module when it runs
  external: ['yaml', 'mammoth', 'csv-parse', 'csv-stringify', 'tinyglobby'],
  logLevel: 'warning',
};

// commander requires child_process at load, only to run executable subcommands, which
// relcode has none of; loading it and the modules it needs (net, dgram) costs a few ms
// of every start, so commander gets it on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'lazy' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

const cli = await build({
  ...common,
  plugins: [lazyChildProcess],
  entryPoints: [`${dist}cli/main.js`],
  write: false,
  outfile: `${outdir}/main.cjs`,
  format: 'cjs',
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
const code = cli.outputFiles[0].text;
const bundle = `// bundle ${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n${code}`;
writeFileSync(`${outdir}/main.cjs`, bundle);

await build({
  ...common,
  entryPoints: [`${dist}coding/worker.js`],
  outfile: `${outdir}/worker.js`,
  format: 'esm',
  // CommonJS packages in an ES module bundle need a `require` for Node's built-ins
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
});

// The code cache: what V8 compiled while coding the sample transcript. Only a
// faster start: without it the CLI compiles from source, so a failure here
// warns and the build goes on (test/cli/code-cache.test.ts checks that it is made).
const sample = fileURLToPath(new URL('../fixtures/transcripts/sample-session.txt', import.meta.url));
if (existsSync(sample)) {
  const tmp = mkdtempSync(join(tmpdir(), 'relcode-build-'));
  try {
    const { loadCli, cacheFile } = await import('../bin/load-cli.js');
    const { main, script } = loadCli();
    const status = await main(['node', 'relcode', 'code', sample, '--format', 'csv', '--quiet', '--output', join(tmp, 'sample.csv')]);
    if (status !== 0) throw new Error(`coding the sample exited ${status}`);
    writeFileSync(cacheFile(bundle), script.createCachedData());
  } catch (err) {
    console.warn(`warning: no code cache for the CLI (${err.message}); it will start a little slower`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
