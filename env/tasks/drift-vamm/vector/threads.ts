/**
 * drift-vamm-v0's vector env on several threads (`numThreads` > 1): the columns and outputs live in
 * one SharedArrayBuffer; this thread's kernel steps the first block of sub-envs and each worker
 * thread (shardWorker.ts) a kernel over the same memory steps one more block. Sub-envs never read
 * each other's rows, so the trajectories are the one-thread kernel's bit for bit; the books stay
 * private to the thread that steps their rows. Resets run on this thread (between steps the
 * workers are idle, so it may write any row; a row's book only needs its size set to 0).
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { measureColumns, SharedColumns } from '../../../core/vector/columnAlloc.js';
import { ShardThreads, type ReviveError } from '../../../core/vector/shardThreads.js';
import type { RowRange } from './columns.js';
import { DriftVammKernel } from './kernel.js';
import type { ResolvedVectorOptions } from './options.js';

/** What a worker needs to view the shared memory and build its kernel (structured-clonable). */
export interface DriftShardData {
  readonly options: ResolvedVectorOptions;
  readonly columns: SharedArrayBuffer;
  readonly actions: SharedArrayBuffer;
  readonly rows: RowRange;
}

const WORKER_URL = new URL('./shardWorker.ts', import.meta.url).href;

/** n rows in `threads` contiguous blocks whose sizes differ by at most one. */
export function splitRows(n: number, threads: number): RowRange[] {
  const blocks: RowRange[] = [];
  for (let t = 0; t < threads; t++) {
    blocks.push({ lo: Math.floor((t * n) / threads), hi: Math.floor(((t + 1) * n) / threads) });
  }
  return blocks;
}

/** The kernel a worker builds over the main thread's memory (attaching: the contents stay). */
export function attachShardKernel(d: DriftShardData): DriftVammKernel {
  return new DriftVammKernel(d.options, { alloc: new SharedColumns(d.columns, false), rows: d.rows });
}

/** What the workers threw, rebuilt as the same class where the kernel throws a typed error. */
const revive: ReviveError = (name, message, worker) => {
  if (name === 'InvalidArgumentError') return new InvalidArgumentError(message);
  return new Error(`drift-vamm-v0 vector env, worker thread ${worker}: ${name}: ${message}`);
};

/** The main thread's kernel with `options.numThreads − 1` workers stepping the other blocks. */
export function threadedKernel(options: ResolvedVectorOptions): DriftVammKernel {
  const blocks = splitRows(options.numEnvs, options.numThreads);
  const bytes = measureColumns((alloc) => new DriftVammKernel(options, { alloc, rows: blocks[0]! }));
  const columns = new SharedArrayBuffer(bytes);
  const kernel = new DriftVammKernel(options, { alloc: new SharedColumns(columns, true), rows: blocks[0]! });
  const width = kernel.discrete ? 1 : 2;
  const shared = new Float64Array(new SharedArrayBuffer(8 * width * options.numEnvs));
  const data: DriftShardData[] = blocks.slice(1).map((rows) => ({ options, columns, actions: shared.buffer as SharedArrayBuffer, rows }));
  const threads = new ShardThreads(WORKER_URL, data, 'drift-vamm-v0 vector env', revive);
  const from = width * blocks[0]!.hi;
  kernel.workers = {
    start(actions) {
      // only the workers' rows cross over
      for (let j = from; j < shared.length; j++) shared[j] = actions[j]!;
      threads.start();
    },
    finish: () => threads.join(),
    close: () => threads.close(),
  };
  return kernel;
}
