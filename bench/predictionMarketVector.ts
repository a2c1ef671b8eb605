/**
 * Benchmarks of the struct-of-arrays prediction-market-v0 (PredictionMarketVectorEnv) against
 * Gymnasium-style `SyncVectorEnv` over scalar envs, one core, best of 3 rounds of ≥ 500 ms after a
 * warm-up (measure.ts). Default options (horizon 50 = the TimeLimit, next-step autoreset, ~21
 * trader arrivals per step). Actions: a fixed table in which each sub-env holds on half of its
 * steps and otherwise moves liquidity and fee through the other eight actions, as a policy that
 * explores would. Names (all `number`, env-steps per second unless said otherwise):
 * - predictionMarket.vector.stepsPerSec: `make('prediction-market-v0', { numEnvs: 1024 })`;
 * - predictionMarket.vector.n1.stepsPerSec: the same with one sub-env;
 * - predictionMarket.sync.stepsPerSec: `makeVec('prediction-market-v0', 1024, { vectorizationMode: 'sync' })`,
 *   same actions; predictionMarket.vector.speedupVsSync is the ratio of the two;
 * - predictionMarket.vector.bytesPerEnv: state bytes per sub-env (outputs and infos not counted).
 */
import { make, makeVec, type VectorEnv } from '../env/core/index.js';
import { register, registeredSpecs } from '../env/core/registration/registry.js';
import { Rng } from '../env/core/rng.js';
import { PREDICTION_MARKET_SPECS } from '../env/tasks/prediction-market/index.js';
import { PredictionMarketVectorEnv } from '../env/tasks/prediction-market/vector/index.js';
import { opsPerSecond, sig3 } from './measure.js';

const ID = 'prediction-market-v0';
const N = 1024;
const OPTS = { minMs: 500, rounds: 3 };

/** 16 batches of `n` actions: hold with probability ½, else one of actions 1–8. */
function actionTable(n: number): Int32Array[] {
  const rng = new Rng(7);
  return Array.from({ length: 16 }, () => Int32Array.from({ length: n }, () => (rng.random() < 0.5 ? 0 : rng.integers(1, 9))));
}

/** Env-steps per second of `env` (already reset) stepping through `table`. */
function rate(env: VectorEnv<unknown, ArrayLike<number>>, table: Int32Array[]): number {
  const n = env.numEnvs;
  // ≥ ~4096 env-steps per call so timer reads stay negligible at small N
  const calls = Math.max(1, Math.ceil(4096 / n));
  let t = 0;
  return opsPerSecond(() => {
    for (let c = 0; c < calls; c++) env.step(table[t++ % table.length]!);
    return t;
  }, calls * n, OPTS);
}

export function benchPredictionMarketVector(): Record<string, number> {
  for (const init of PREDICTION_MARKET_SPECS) if (!registeredSpecs().has(init.id)) register(init);
  const out: Record<string, number> = {};
  const table = actionTable(N);

  const vector = make(ID, { numEnvs: N }) as PredictionMarketVectorEnv;
  vector.reset({ seed: 0 });
  const vectorRate = rate(vector as unknown as VectorEnv<unknown, ArrayLike<number>>, table);
  out['predictionMarket.vector.stepsPerSec'] = sig3(vectorRate);

  const one = make(ID, { numEnvs: 1 }) as PredictionMarketVectorEnv;
  one.reset({ seed: 0 });
  out['predictionMarket.vector.n1.stepsPerSec'] = sig3(rate(one as unknown as VectorEnv<unknown, ArrayLike<number>>, table.map((a) => a.subarray(0, 1))));

  const sync = makeVec(ID, N, { vectorizationMode: 'sync' }) as VectorEnv<unknown, ArrayLike<number>>;
  sync.reset({ seed: 0 });
  const syncRate = rate(sync, table);
  sync.close();
  out['predictionMarket.sync.stepsPerSec'] = sig3(syncRate);
  out['predictionMarket.vector.speedupVsSync'] = sig3(vectorRate / syncRate);
  out['predictionMarket.vector.bytesPerEnv'] = vector.bytesPerEnv();
  return out;
}

// `tsx bench/predictionMarketVector.ts` prints this file's figures alone
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(benchPredictionMarketVector())}\n`);
