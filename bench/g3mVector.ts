/**
 * Benchmarks of the struct-of-arrays g3m-v0 (G3mVectorEnv), one core, best of 5 rounds of ≥ 300 ms
 * after a warm-up (measure.ts). Every figure runs the scalar env's default options (25 blocks of
 * 12 s a step, TimeLimit 288 with next-step autoreset) and the same fixed mix of actions: sub-env i
 * at step t plays [hold, hold, p up, hold, fee up, hold, p down, fee down][(t + i) mod 8] (half
 * holds; the p and fee moves keep every curve of the default grids in play). Names (all `number`):
 * - g3m.vector.stepsPerSec: `make('g3m-v0', { numEnvs: 1024 })`, env-steps per second;
 * - g3m.vector.n1.stepsPerSec: the same with one sub-env;
 * - g3m.sync.stepsPerSec: `makeVec('g3m-v0', 1024, { vectorizationMode: 'sync' })` (1024 scalar
 *   envs through make()'s wrappers in a SyncVectorEnv, default options); g3m.vector.speedupVsSync
 *   is g3m.vector.stepsPerSec over it. g3m.sync.noCopy.stepsPerSec is the same with `copy: false`
 *   (it returns its own buffers instead of fresh arrays: the fastest SyncVectorEnv), and
 *   g3m.vector.speedupVsSyncNoCopy the ratio to that;
 * - g3m.scalar.stepsPerSec: one scalar env through make() with the same actions, resetting at each
 *   episode end (bench/g3m.ts's g3mEnv.stepsPerSec holds instead);
 * - g3m.vector.bytesPerEnv: state bytes per sub-env (columns and RNG; outputs and infos not counted).
 */
import { make, makeVec, type Env } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import type { G3mVectorEnv } from '../env/tasks/g3m/vector/index.js';
import { opsPerSecond, sig3 } from './measure.js';

const ID = 'g3m-v0';
const N = 1024;
const MIX = [0, 0, 1, 0, 3, 0, 2, 4];

/** The 8 action batches of the mix for `n` sub-envs (batch t gives sub-env i MIX[(t + i) mod 8]). */
function mixTable(n: number): Int32Array[] {
  return MIX.map((_, t) => Int32Array.from({ length: n }, (_, i) => MIX[(t + i) % MIX.length]!));
}

/** Env-steps per second of `step` over the mix, ≥ ~4096 env-steps per timed call so timer reads stay negligible. */
function batchRate(n: number, step: (actions: Int32Array) => unknown): number {
  const table = mixTable(n);
  const calls = Math.max(1, Math.ceil(4096 / n));
  let t = 0;
  return opsPerSecond(() => {
    for (let c = 0; c < calls; c++) step(table[t++ % table.length]!);
    return t;
  }, calls * n);
}

export function benchG3mVector(): Record<string, number> {
  const out: Record<string, number> = {};
  const vector = make(ID, { numEnvs: N }) as G3mVectorEnv;
  vector.reset({ seed: 0 });
  const vectorRate = batchRate(N, (a) => vector.step(a));
  out['g3m.vector.stepsPerSec'] = sig3(vectorRate);

  const one = make(ID, { numEnvs: 1 }) as G3mVectorEnv;
  one.reset({ seed: 0 });
  out['g3m.vector.n1.stepsPerSec'] = sig3(batchRate(1, (a) => one.step(a)));

  for (const copy of [true, false]) {
    const sync = makeVec(ID, N, { vectorizationMode: 'sync', copy });
    sync.reset({ seed: 0 });
    const syncRate = batchRate(N, (a) => sync.step(a as never));
    out[copy ? 'g3m.sync.stepsPerSec' : 'g3m.sync.noCopy.stepsPerSec'] = sig3(syncRate);
    out[copy ? 'g3m.vector.speedupVsSync' : 'g3m.vector.speedupVsSyncNoCopy'] = sig3(vectorRate / syncRate);
    sync.close();
  }

  const scalar = make(ID) as unknown as Env<Float32Array, number>;
  scalar.reset({ seed: 0 });
  let t = 0;
  const steps = 200;
  out['g3m.scalar.stepsPerSec'] = sig3(opsPerSecond(() => {
    for (let k = 0; k < steps; k++) {
      const [, , terminated, truncated] = scalar.step(MIX[t++ % MIX.length]!);
      if (terminated || truncated) scalar.reset();
    }
    return t;
  }, steps));

  out['g3m.vector.bytesPerEnv'] = vector.bytesPerEnv();
  return out;
}

// `tsx bench/g3mVector.ts` prints this file's figures alone
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(benchG3mVector())}\n`);
