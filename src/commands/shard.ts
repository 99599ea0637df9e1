/**
 * Cluster runs. `code --shard K/N` codes every N-th input file: after
 * `expandInputs`, file i (0-based) goes to shard (i mod N) + 1, so shards stay
 * balanced when file sizes drift along the sorted order. Rows carry no file, so
 * a sharded run with `-o FILE` also writes FILE.shard.json: which shard it is,
 * and how many records each of its files gave. With that, `merge` puts whole
 * file blocks back round-robin and reproduces one run byte for byte.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '../diagnostics.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export const SHARD_HINT = 'give K/N with 1 ≤ K ≤ N, e.g. --shard 3/8; in a Slurm array: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT';

export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    fail('bad-option', { file: '<command line>' }, `--shard needs K/N, the K-th of N shards, got "${value}"`, SHARD_HINT);
  }
  return { index, count };
}

/** The files of one shard, in their order; file i goes to shard (i mod N) + 1. */
export function pickShard<T>(files: readonly T[], shard: Shard): T[] {
  return files.filter((_, i) => i % shard.count === shard.index - 1);
}

/** How many of `files` input files shard K of N gets. */
export function shardSize(files: number, shard: Shard): number {
  return files >= shard.index ? Math.floor((files - shard.index) / shard.count) + 1 : 0;
}

/** What `merge` needs to put a shard's records back in place. No file names, no text. */
export interface ShardIndex {
  relcode: 'shard-index';
  version: 1;
  shard: number;
  of: number;
  /** input files over all shards */
  files: number;
  /** a hash of the expanded input list: shards of different runs do not mix */
  inputs: string;
  level: string;
  format: string;
  columns: string[];
  /** records written for each of this shard's files, in order */
  records: number[];
}

export const INDEX_SUFFIX = '.shard.json';

export function indexPath(output: string): string {
  return `${output}${INDEX_SUFFIX}`;
}

export function fingerprint(files: readonly string[]): string {
  return createHash('sha256').update(files.join('\0')).digest('hex').slice(0, 16);
}

/** Written after the output itself, through a temporary name, like the output. */
export async function writeShardIndex(output: string, index: ShardIndex): Promise<void> {
  const target = indexPath(output);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(index)}\n`);
  await rename(temp, target);
}

/** The index beside `output`, or undefined when there is none. */
export async function readShardIndex(output: string): Promise<ShardIndex | undefined> {
  const path = indexPath(output);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let index: Partial<ShardIndex> | undefined;
  try {
    index = JSON.parse(text) as Partial<ShardIndex>;
  } catch {
    index = undefined;
  }
  const ok =
    index?.relcode === 'shard-index' && index.version === 1 &&
    [index.shard, index.of, index.files].every((n) => Number.isSafeInteger(n) && n! >= 0) &&
    typeof index.inputs === 'string' && typeof index.level === 'string' && typeof index.format === 'string' &&
    Array.isArray(index.columns) && index.columns.every((c) => typeof c === 'string') &&
    Array.isArray(index.records) && index.records.every((n) => Number.isSafeInteger(n) && n >= 0);
  if (!ok) fail('bad-shard-index', { file: path }, 'this is not a relcode shard index', 'run the shard again with `relcode code … --shard K/N -o FILE`');
  return index as ShardIndex;
}
