/**
 * `npm run bench`: prints ONE flat JSON object `{ name: number }` on stdout (`--json` is accepted and
 * is the only format, so scripts can always parse it). Each rate is the best of 5 rounds of ≥ 300 ms
 * after a warm-up (see measure.ts), on one core. Names:
 * - drift.exact.swapsPerSec / drift.float.swapsPerSec: the swap primitive `calculate_swap_output`
 *   (alternating long and short so reserves stay in range);
 * - drift.exact.roundTripsPerSec / drift.float.roundTripsPerSec: a full `open_position` + `close_position` pair
 *   per op (fees, TWAP, position bookkeeping, oracle guards off);
 * - drift.exact.repegCostsPerSec / drift.exact.kCostsPerSec (and float): cost of a repeg / update_k;
 * - verifyCosts.loadMs, verifyCosts.usPerRecord: load + dedupe the real curve history through DuckDB,
 *   then recompute every record (protocol auto);
 * - cartpole.stepsPerSec: CartPole-v1 through make() and the full wrapper stack;
 * - driftVamm.scalar.stepsPerSec: drift-vamm-v0 through make() with the default trader model, action
 *   `hold`, resetting at each episode end (1440 steps); driftVamm.exact.stepsPerSec: the same on the
 *   exact bigint engine (`engine: 'exact'`);
 * - driftReplay.stepsPerSec: drift-replay-v0 on a simulator-made 7-day history (calibrated SOL flow,
 *   action `historical`), resetting at its end;
 * - history.loadMs: all four Drift v1 files through DuckDB with outlier flags (`loadDriftHistory`), when the data resolves;
 * - g3m.*: G3M swaps and g3m-v0 steps (bench/g3m.ts);
 * - probabilitySpace.* / predictionMarket.stepsPerSec: ProbabilitySpace primitives and prediction-market-v0 steps;
 * - stableswap.*: exact and float get_dy rates, the float speed-up, the A × fee grid's ms per simulated step;
 * - tfmm.*: SLERP, weight updates with arbitrage, tfmm-v0 steps;
 * - drift.vector.* / drift.scalar.stepsPerSec / q.batched.* / q.scalar.stepsPerSec: bench/vector.ts
 *   (struct-of-arrays drift-vamm-v0 at several N and on 2 threads, bytes per env, batched Q-learning);
 * - drift.floor.*: the arithmetic floor of drift-vamm-v0's trader model, and the toy vAMM the speed
 *   targets were set on, in the same harness (bench/driftFloor.ts);
 * - sweep.*: one 16-trial Q-learning sweep on 1 and 2 worker threads (trials/s, env steps/s, start-up
 *   ms, cores used, speed-up; bench/sweep.ts);
 * - g3m.vector.* / g3m.sync.* / g3m.scalar.stepsPerSec: the struct-of-arrays g3m-v0 (bench/g3mVector.ts);
 * - predictionMarket.vector.* / predictionMarket.sync.stepsPerSec: the struct-of-arrays prediction-market-v0
 *   against SyncVectorEnv at N = 1024 (bench/predictionMarketVector.ts);
 * - <env id>.scalar / .vec64: every registered env through make() and makeVec(id, 64), steps/s and
 *   bytes per sub-env (bench/envs.ts);
 * - dqn.*: DQN gradient updates (64-64, batch 64; and 256x256), batched and batch-1 greedy actions,
 *   CartPole training steps/s, on the tfjs backend in use (bench/dqn.ts).
 */
import { join } from 'node:path';
import { resolveDataDir, DRIFT_V1_FILES } from '../data/dataDir.js';
import { loadCurveHistory } from '../data/drift-v1/curveHistory.js';
import { verifyCosts } from '../data/drift-v1/verifyCosts.js';
import { loadDriftHistory } from '../data/drift-v1/history.js';
import { syntheticReplaySeries } from '../env/tasks/drift-replay/synthetic.js';
import * as drift from '../env/amm/drift-v1/index.js';
import { make } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { opsPerSecond, sig3 } from './measure.js';
import { benchG3m } from './g3m.js';
import { benchProbabilitySpace } from './probabilitySpace.js';
import { benchStableSwap } from './stableswap.js';
import { benchTfmm } from './tfmm.js';
import { benchDqn } from './dqn.js';
import { benchVector } from './vector.js';
import { benchDriftFloor } from './driftFloor.js';
import { benchSweep } from './sweep.js';
import { benchEnvs } from './envs.js';
import { benchG3mVector } from './g3mVector.js';
import { benchPredictionMarketVector } from './predictionMarketVector.js';

const unknown = process.argv.slice(2).filter((a) => a !== '--json');
if (unknown.length > 0) {
  console.error(`bench: unknown argument(s) ${unknown.join(' ')}; allowed: --json`);
  process.exit(2);
}

const out: Record<string, number> = {};
const P = 'jan2022' as const;

// Swap primitive: the §5.2 market, $10k in quote-reserve units each way.
{
  const x = 5n * 10n ** 18n;
  const r = 666_666_666_666_666n;
  out['drift.exact.swapsPerSec'] = sig3(opsPerSecond(() => {
    const a = drift.calculateSwapOutput(r, x, 'add', x, P);
    return drift.calculateSwapOutput(r, a.newInputReserve, 'remove', x, P);
  }, 2));
  const xf = 5e18;
  const rf = 666_666_666_666_666;
  const fs = drift.float.resolveFloatProtocol(P);
  out['drift.float.swapsPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 1000; i++) {
      const y1 = xf + rf + i;
      s += drift.float.swapOutput(rf, y1, true, xf, fs) + drift.float.swapOutput(rf, y1, false, xf, fs);
    }
    return s;
  }, 2000));
}

// Trades: open $10k long then close it, on a fresh copy of the §5.2 market each call.
{
  const market = drift.initializeMarket({
    baseAssetReserve: 5n * 10n ** 18n, quoteAssetReserve: 5n * 10n ** 18n, pegMultiplier: 150_000n,
    nowTs: 1_641_000_000n, oraclePriceTwapRaw: 1_500_000_000_000n,
  });
  let ts = 1_641_000_000n;
  out['drift.exact.roundTripsPerSec'] = sig3(opsPerSecond(() => {
    ts += 1n;
    const opened = drift.openPosition(market, drift.EMPTY_POSITION, 'long', 10_000_000_000n, ts, P);
    return drift.closePosition(opened.market, opened.position, ts, P);
  }, 1));
  const fm = drift.float.toFloatMarket(market);
  const fp = drift.float.emptyFloatPosition();
  let tf = 1_641_000_000;
  out['drift.float.roundTripsPerSec'] = sig3(opsPerSecond(() => {
    for (let i = 0; i < 100; i++) {
      tf += 1;
      drift.float.openPosition(fm, fp, true, 10_000_000_000, tf, P);
      drift.float.closePosition(fm, fp, tf, P);
    }
    return fm.totalFee;
  }, 100));
}

// Adjustment costs on record 385's market (net short), exact and float.
{
  const curve: drift.Curve = {
    baseAssetReserve: 201_203_418_686_389_136n, quoteAssetReserve: 184_670_739_522_718_848n,
    sqrtK: 192_759_913_164_834_950n, pegMultiplier: 523_645n,
  };
  const d = -7_683_979_230_151_328n;
  const newK = 198_542_710_559_779_998n;
  out['drift.exact.repegCostsPerSec'] = sig3(opsPerSecond(() => drift.adjustPegCost(curve, d, 523_000n, P), 1));
  out['drift.exact.kCostsPerSec'] = sig3(opsPerSecond(() => drift.adjustKCost(curve, d, newK, P), 1));
  const fc = drift.float.toFloatCurve(curve);
  const df = Number(d);
  const nk = Number(newK);
  out['drift.float.repegCostsPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 1000; i++) s += drift.float.adjustPegCost(fc, df, 523_000 + (i & 7), P);
    return s;
  }, 1000));
  out['drift.float.kCostsPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 1000; i++) s += drift.float.adjustKCost(fc, df, nk + i, P).cost;
    return s;
  }, 1000));
}

// verify-costs on the real curve history, when the data directory resolves.
try {
  const file = join(resolveDataDir().dir, DRIFT_V1_FILES.curveHistory);
  const t = performance.now();
  const history = await loadCurveHistory(file);
  out['verifyCosts.loadMs'] = sig3(performance.now() - t);
  const perRecord = 1e6 / opsPerSecond(() => verifyCosts(history.records, 'auto'), history.records.length, { rounds: 3 });
  out['verifyCosts.usPerRecord'] = sig3(perRecord);
  out['verifyCosts.records'] = verifyCosts(history.records, 'auto').records;
  const dir = resolveDataDir().dir;
  await loadDriftHistory(dir); // warm DuckDB
  const t2 = performance.now();
  await loadDriftHistory(dir);
  out['history.loadMs'] = sig3(performance.now() - t2);
} catch (err) {
  console.error(`bench: verify-costs skipped: ${(err as Error).message}`);
}

// CartPole-v1 through make() (PassiveEnvChecker, OrderEnforcing, TimeLimit).
{
  const env = make('CartPole-v1');
  env.reset({ seed: 0 });
  let a = 0;
  out['cartpole.stepsPerSec'] = sig3(opsPerSecond(() => {
    for (let i = 0; i < 1000; i++) {
      const [, , terminated, truncated] = env.step(a);
      a ^= 1;
      if (terminated || truncated) env.reset();
    }
    return a;
  }, 1000));
}

// drift-vamm-v0 through make(), default options.
{
  for (const engine of ['float', 'exact'] as const) {
    const env = make('drift-vamm-v0', { engine });
    env.reset({ seed: 0 });
    const n = engine === 'float' ? 1000 : 100;
    out[engine === 'float' ? 'driftVamm.scalar.stepsPerSec' : 'driftVamm.exact.stepsPerSec'] = sig3(opsPerSecond(() => {
      for (let i = 0; i < n; i++) {
        const [, , terminated, truncated] = env.step(0);
        if (terminated || truncated) env.reset();
      }
      return 0;
    }, n, { minMs: 500 }));
  }
}

// drift-replay-v0 on a simulator-made history, replaying its admin actions.
{
  const env = make('drift-replay-v0', { series: syntheticReplaySeries({ hours: 24 * 7 }) });
  env.reset({ seed: 0 });
  out['driftReplay.stepsPerSec'] = sig3(opsPerSecond(() => {
    for (let i = 0; i < 1000; i++) {
      const [, , terminated, truncated] = env.step(6);
      if (terminated || truncated) env.reset();
    }
    return 0;
  }, 1000, { minMs: 500 }));
}

Object.assign(out, benchG3m());
Object.assign(out, benchProbabilitySpace());
Object.assign(out, benchStableSwap());
Object.assign(out, benchTfmm());
Object.assign(out, benchVector());
Object.assign(out, benchDriftFloor());
Object.assign(out, benchG3mVector());
Object.assign(out, benchPredictionMarketVector());
Object.assign(out, benchEnvs());
Object.assign(out, await benchDqn());
Object.assign(out, await benchSweep());

process.stdout.write(`${JSON.stringify(out)}\n`);
