// The entry of a ShardThreads worker (shardThreads.ts). Plain JavaScript because it has to load
// TypeScript: Node 20 does not carry the main thread's module hooks into worker threads, so this
// registers tsx's loader in the worker, imports the shard's module and runs its default export.
// A module that fails to load is reported the way serveShard reports a failed setup.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const { module, task } = workerData;
let serve;
try {
  register();
  serve = (await import(module)).default;
  if (typeof serve !== 'function') throw new TypeError(`${module} has no default export function`);
} catch (err) {
  // keep in step with shardThreads.ts: control block [SEQ, CMD, then per worker READY, DONE, ERROR_LENGTH]
  const control = new Int32Array(task.control);
  const bytes = new TextEncoder().encode(JSON.stringify({ name: err?.name ?? 'Error', message: String(err?.message ?? err) }));
  const length = Math.min(bytes.length, 4096);
  new Uint8Array(task.errors, task.index * 4096, 4096).set(bytes.subarray(0, length));
  const base = 2 + task.index * 3;
  Atomics.store(control, base + 2, length);
  Atomics.store(control, base, -1);
  Atomics.notify(control, base);
}
if (serve !== undefined) serve(task);
