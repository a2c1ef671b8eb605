/**
 * Every registered env, scalar and vectorised, on the same footing: steps per second through
 * make() (its wrappers included) and through makeVec(id, 64) (the native struct-of-arrays env where
 * the spec has one, else SyncVectorEnv), with actions sampled once from the seeded action space and
 * replayed (a mix of every action, not only holding), resetting at episode ends; and the heap bytes
 * one sub-env of the 64 holds after its first reset and 100 steps. Names:
 * - `<id>.scalar.stepsPerSec`, `<id>.vec64.stepsPerSec`, `<id>.vec64.kind` (1: native, 0: sync),
 *   `<id>.vec64.bytesPerEnv`.
 * Envs that need data (drift-replay-v0) run on the registry's probe kwargs (a simulator-made history).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { make, makeVec, registeredSpecs, SyncVectorEnv, type Env, type VectorEnv } from '../env/core/index.js';
import { BUILTIN_SPECS, PROBE_KWARGS } from '../env/tasks/builtin.js';
import { opsPerSecond, sig3 } from './measure.js';

const N = 64;
const TABLE = 32;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function kwargsOf(id: string): Record<string, unknown> {
  return PROBE_KWARGS[id]?.() ?? {};
}

function scalarRate(id: string): number {
  const env = make(id, kwargsOf(id)) as Env<unknown, unknown>;
  env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  const actions = Array.from({ length: TABLE }, () => env.actionSpace.sample());
  let t = 0;
  return opsPerSecond(() => {
    for (let i = 0; i < 256; i++) {
      const [, , terminated, truncated] = env.step(actions[t++ % TABLE]);
      if (terminated || truncated) env.reset();
    }
    return t;
  }, 256, { minMs: 300, rounds: 3 });
}

function vectorRate(id: string): { rate: number; native: boolean; bytesPerEnv: number } {
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const venv = makeVec(id, N, kwargsOf(id)) as VectorEnv<unknown, unknown>;
  venv.reset({ seed: 0 });
  venv.actionSpace.seed(0);
  const actions = Array.from({ length: TABLE }, () => venv.actionSpace.sample());
  for (let i = 0; i < 100; i++) venv.step(actions[i % TABLE]);
  gc();
  const bytesPerEnv = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before) / N;
  let t = 0;
  const rate = opsPerSecond(() => {
    for (let i = 0; i < 8; i++) venv.step(actions[t++ % TABLE]);
    return t;
  }, 8 * N, { minMs: 300, rounds: 3 });
  return { rate, native: !(venv instanceof SyncVectorEnv), bytesPerEnv };
}

export function benchEnvs(): Record<string, number> {
  const out: Record<string, number> = {};
  const specs = registeredSpecs();
  for (const { id } of BUILTIN_SPECS) {
    if (!specs.has(id)) continue;
    out[`${id}.scalar.stepsPerSec`] = sig3(scalarRate(id));
    const v = vectorRate(id);
    out[`${id}.vec64.stepsPerSec`] = sig3(v.rate);
    out[`${id}.vec64.kind`] = v.native ? 1 : 0;
    out[`${id}.vec64.bytesPerEnv`] = Math.round(v.bytesPerEnv);
  }
  return out;
}

// `tsx bench/envs.ts` prints this file's figures alone
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(benchEnvs())}\n`);
