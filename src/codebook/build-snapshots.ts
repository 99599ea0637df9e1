/** Build step (`npm run build`): a snapshot of every bundled codebook, next to the compiled code. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCodebook } from './load.js';
import { toSnapshot } from './snapshot.js';

const source = fileURLToPath(new URL('../../codebooks/', import.meta.url));
const target = fileURLToPath(new URL('../codebooks/', import.meta.url));
mkdirSync(target, { recursive: true });
for (const name of readdirSync(source).filter((f) => f.endsWith('.yaml'))) {
  const text = readFileSync(join(source, name), 'utf8');
  writeFileSync(join(target, name.replace(/\.yaml$/, '.json')), toSnapshot(parseCodebook(text, name), text));
}
