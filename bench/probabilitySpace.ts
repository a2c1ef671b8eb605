/**
 * `benchProbabilitySpace()`: throughput of the ProbabilitySpace curve and of prediction-market-v0,
 * as one flat `{ name: number }` object (rates are the best of 5 rounds of ≥ 300 ms, see measure.ts):
 * - probabilitySpace.invariantsPerSec: s of a pool (log-domain power mean), t = 0.5;
 * - probabilitySpace.swapsPerSec: share-for-share `outGivenIn`, alternating directions, t = 0.5, fee 1 %;
 * - probabilitySpace.buysPerSec: `sharesOutGivenCollateralIn`, alternating YES and NO, t = 0.5, fee 1 %;
 * - probabilitySpace.exactBuysPerSec: `collateralInGivenSharesOut` (safeguarded Newton);
 * - probabilitySpace.optimalBuysPerSec: an informed trader's `optimalBuy` at a belief 5 points off the pool;
 * - predictionMarket.stepsPerSec: prediction-market-v0 through make() (default options, so ~20 noise
 *   and 1 informed arrivals per step) holding its parameters, resetting at each resolution (50 steps).
 */
import { make, register, registeredSpecs, type Env } from '../env/core/index.js';
import * as ps from '../env/amm/probability-space/index.js';
import { PREDICTION_MARKET_SPECS, PREDICTION_MARKET_HOLD_ACTION } from '../env/tasks/prediction-market/index.js';
import { opsPerSecond, sig3 } from './measure.js';

export function benchProbabilitySpace(): Record<string, number> {
  const out: Record<string, number> = {};
  const t = 0.5;
  const fee = 0.01;
  out['probabilitySpace.invariantsPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 1000; i++) s += ps.invariant(100 + i, 80, t);
    return s;
  }, 1000));
  out['probabilitySpace.swapsPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 500; i++) s += ps.outGivenIn(100 + i, 80, t, 1, fee) + ps.outGivenIn(80, 100 + i, t, 1, fee);
    return s;
  }, 1000));
  out['probabilitySpace.buysPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 500; i++) s += ps.sharesOutGivenCollateralIn(100 + i, 80, t, 2, fee) + ps.sharesOutGivenCollateralIn(80, 100 + i, t, 2, fee);
    return s;
  }, 1000));
  out['probabilitySpace.exactBuysPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 100; i++) s += ps.collateralInGivenSharesOut(100 + i, 80, t, 3, fee);
    return s;
  }, 100));
  const pool = { yes: 100, no: 80 };
  const belief = ps.impliedProbability(pool.yes, pool.no, t) + 0.05;
  out['probabilitySpace.optimalBuysPerSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 200; i++) s += ps.optimalBuy(pool, t, belief - i * 1e-5, fee)?.collateralIn ?? 0;
    return s;
  }, 200));

  for (const init of PREDICTION_MARKET_SPECS) if (!registeredSpecs().has(init.id)) register(init);
  const env = make('prediction-market-v0') as Env<Float32Array, number>;
  env.reset({ seed: 0 });
  out['predictionMarket.stepsPerSec'] = sig3(opsPerSecond(() => {
    for (let i = 0; i < 100; i++) {
      const [, , terminated, truncated] = env.step(PREDICTION_MARKET_HOLD_ACTION);
      if (terminated || truncated) env.reset();
    }
  }, 100));
  env.close();
  return out;
}
