/**
 * Benchmarks of the struct-of-arrays drift-vamm-v0 and batched tabular Q-learning, one core,
 * best of 5 rounds of ≥ 500 ms after a warm-up (measure.ts). Names (all `number`):
 * - drift.vector.stepsPerSec: `make('drift-vamm-v0', { numEnvs: 4096 })`, default options (SOL,
 *   default trader model, TimeLimit 1440 with next-step autoreset), action hold, env-steps per second;
 * - drift.vector.n<N>.stepsPerSec for N = 1, 64, 256, 1024, 16384 (the same, other batch sizes);
 * - drift.vector.randomActions.stepsPerSec: N = 4096, each sub-env's action uniform over the six
 *   (the admin's repeg / update_k run on most steps, as in exploration);
 * - drift.vector.threads2.stepsPerSec: N = 4096 with `numThreads: 2` (this thread and one worker
 *   thread step half the sub-envs each, wall clock, both cores), drift.vector.threads2.n1024 the
 *   same at N = 1024, and drift.vector.threads2.speedup its ratio to drift.vector.stepsPerSec;
 * - drift.scalar.stepsPerSec: the scalar env through make() and its wrappers (PassiveEnvChecker,
 *   OrderEnforcing, TimeLimit), action hold, resetting at each episode end (bench/run.ts's
 *   driftVamm.scalar.stepsPerSec; it steps on the one-sub-env kernel); drift.vector.speedupVsScalar
 *   is the ratio; drift.scalar.reference.stepsPerSec the same on the engine + flow objects
 *   (`implementation: 'reference'`);
 * - drift.vector.bytesPerEnv: state bytes per sub-env once the trader books have grown to their
 *   steady capacity (outputs and infos not counted);
 * - q.batched.stepsPerSec: `trainQLearningBatched`, 256 learners (one sub-env each; 4 learning
 *   rates × 64 seeds, γ 0.999, ε 1 → 0.05 over the first half) for four 1440-step episodes,
 *   transitions (action selection + env step + update) per second; q.batched.b1024.stepsPerSec
 *   the same with 1024 learners, q.batched.b1024.threads2.stepsPerSec the same on a `numThreads: 2`
 *   env (the env's rows on two threads, the learners' updates on this one); q.scalar.stepsPerSec: `trainQLearning` on one
 *   DiscretizeObservation(make()) env, and q.batched.speedupVsScalar the ratio.
 */
import { DiscretizeObservation, make, type Env } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { DriftVammVectorEnv } from '../env/tasks/drift-vamm/vector/index.js';
import { trainQLearningBatched } from '../agents/tabular/batchedQLearning.js';
import { trainQLearning } from '../agents/tabular/qLearning.js';
import { Rng } from '../env/core/rng.js';
import { opsPerSecond, sig3 } from './measure.js';

const ID = 'drift-vamm-v0';
/** DEFAULT_DISCRETIZATION['drift-vamm-v0'] (training/discretization.ts; bench stays below training/). */
const BINS = { bins: [7, 7, 1, 3, 1], low: [-0.03, -0.02, 0, -0.3, 0], high: [0.03, 0.02, 1, 0.1, 1] };
const OPTS = { minMs: 500 };

/** Env-steps per second (wall clock) of the vector env with `numEnvs` sub-envs; `actionTable[t]` is the batch of step t (null: hold). */
function vectorRate(numEnvs: number, actionTable: Int32Array[] | null, numThreads = 1): { rate: number; env: DriftVammVectorEnv } {
  const env = make(ID, { numEnvs, numThreads }) as DriftVammVectorEnv;
  env.reset({ seed: 0 });
  const hold = new Int32Array(numEnvs);
  let t = 0;
  // ≥ ~4096 env-steps per call so timer reads stay negligible at small N
  const calls = Math.max(1, Math.ceil(4096 / numEnvs));
  const rate = opsPerSecond(() => {
    for (let c = 0; c < calls; c++) {
      env.step(actionTable === null ? hold : actionTable[t++ % actionTable.length]!);
    }
    return t;
  }, calls * numEnvs, OPTS);
  return { rate, env };
}

/** Best operations per second over `rounds` rounds of ≥ `minMs` (after one warm-up call), `run` returning the operations it did. */
function countedRate(run: () => number, { minMs = 500, rounds = 3 } = {}): number {
  run();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minMs) {
      ops += run();
      now = performance.now();
    }
    best = Math.max(best, ops / ((now - start) / 1000));
  }
  return best;
}

export function benchVector(): Record<string, number> {
  const out: Record<string, number> = {};

  const main = vectorRate(4096, null);
  out['drift.vector.stepsPerSec'] = sig3(main.rate);
  out['drift.vector.bytesPerEnv'] = main.env.bytesPerEnv();
  for (const n of [1, 64, 256, 1024, 16384]) out[`drift.vector.n${n}.stepsPerSec`] = sig3(vectorRate(n, null).rate);

  const rng = new Rng(0);
  const table = Array.from({ length: 64 }, () => Int32Array.from({ length: 4096 }, () => rng.integers(0, 6)));
  out['drift.vector.randomActions.stepsPerSec'] = sig3(vectorRate(4096, table).rate);

  // this thread and one worker thread, each stepping half of the sub-envs
  for (const n of [4096, 1024]) {
    const threaded = vectorRate(n, null, 2);
    threaded.env.close();
    out[n === 4096 ? 'drift.vector.threads2.stepsPerSec' : `drift.vector.threads2.n${n}.stepsPerSec`] = sig3(threaded.rate);
  }
  out['drift.vector.threads2.speedup'] = sig3(out['drift.vector.threads2.stepsPerSec']! / main.rate);

  {
    const env = make(ID) as unknown as Env<Float32Array, number>;
    env.reset({ seed: 0 });
    const n = 1000;
    const rate = opsPerSecond(() => {
      for (let i = 0; i < n; i++) {
        const [, , terminated, truncated] = env.step(0);
        if (terminated || truncated) env.reset();
      }
      return 0;
    }, n, OPTS);
    out['drift.scalar.stepsPerSec'] = sig3(rate);
    out['drift.vector.speedupVsScalar'] = sig3(main.rate / rate);
    const ref = make(ID, { implementation: 'reference' }) as unknown as Env<Float32Array, number>;
    ref.reset({ seed: 0 });
    out['drift.scalar.reference.stepsPerSec'] = sig3(opsPerSecond(() => {
      for (let i = 0; i < n; i++) {
        const [, , terminated, truncated] = ref.step(0);
        if (terminated || truncated) ref.reset();
      }
      return 0;
    }, n, OPTS));
  }

  for (const [learners, numThreads] of [[256, 1], [1024, 1], [1024, 2]] as const) {
    const venv = make(ID, { numEnvs: learners, numThreads }) as DriftVammVectorEnv;
    const configs = Array.from({ length: learners }, (_, b) => ({ seed: b, gamma: 0.999, learningRate: [0.02, 0.05, 0.1, 0.2][b % 4]! }));
    // early terminations (exploration can drain the fee pool) make the count vary: rate = counted transitions / time
    const rate = countedRate(() => trainQLearningBatched(venv, configs, { episodes: 4, discretization: BINS }).transitions);
    venv.close();
    const name = learners === 256 ? 'q.batched' : numThreads === 1 ? `q.batched.b${learners}` : `q.batched.b${learners}.threads2`;
    out[`${name}.stepsPerSec`] = sig3(rate);
  }
  {
    const env = new DiscretizeObservation(make(ID) as unknown as Env<Float32Array, number>, BINS);
    const rate = countedRate(() => trainQLearning(env, { seed: 1, gamma: 0.999 }, { episodes: 4 }).lengths.reduce((a, b) => a + b, 0));
    out['q.scalar.stepsPerSec'] = sig3(rate);
    out['q.batched.speedupVsScalar'] = sig3(out['q.batched.stepsPerSec']! / rate);
  }
  return out;
}

// `tsx bench/vector.ts` prints this file's figures alone
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(benchVector())}\n`);
