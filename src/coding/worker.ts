/**
 * A worker thread of the pool (pool.ts): loads and compiles the codebook once,
 * then codes each file it is handed, one at a time (file-coder.ts), posting
 * its replies to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fileCoder, type Post } from './file-coder.js';
import type { Job, WorkerSetup } from './wire.js';

const port = parentPort!;
const codeFile = fileCoder(workerData as WorkerSetup);
const post: Post = (reply, transfer = []) => port.postMessage(reply, transfer);

let queue = Promise.resolve();
port.on('message', (job: Job) => {
  queue = queue.then(() => codeFile(job, post));
});
