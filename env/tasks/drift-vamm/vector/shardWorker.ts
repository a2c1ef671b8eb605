/**
 * A worker thread of the multi-threaded drift-vamm-v0 vector env (threads.ts): builds a kernel over
 * the shared memory and steps its block of sub-envs whenever the main thread steps.
 */
import { serveShard, type ShardTask } from '../../../core/vector/shardThreads.js';
import { attachShardKernel, type DriftShardData } from './threads.js';

export default function driftShardWorker(task: ShardTask<DriftShardData>): void {
  serveShard(task, (d) => {
    const kernel = attachShardKernel(d);
    const actions = new Float64Array(d.actions);
    return () => kernel.stepRows(actions, d.rows.lo, d.rows.hi);
  });
}
