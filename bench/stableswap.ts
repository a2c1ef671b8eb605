/**
 * StableSwap benchmarks, one flat `{ name: number }` object (see bench/run.ts for the conventions):
 * - stableswap.exact.getDyPerSec / usPerGetDy: a full contract get_dy in bigint (get_D of the
 *   balances, get_y, the fee), 3 coins, the §3.7 SS2 state, template form;
 * - stableswap.exact.cachedGetDyPerSec: `StableSwapPool.getDy` quoting sizes on one state (D cached);
 * - stableswap.float.getDyPerSec, stableswap.floatSpeedup: the float twin's validated getDy (also
 *   computing D) and its speed over the exact get_dy;
 * - stableswap.grid.msPerStep (exact settlement) and stableswap.grid.float.msPerStep: a curvesim-style
 *   grid of 5 A × 4 fees, each cell 1440 one-hour steps (60 days, curvesim's default window) of the
 *   same depeg price path, arbitrage to the band each step; time per simulated step (cell × step);
 * - stableswap.env.stepsPerSec: stableswap-v0 (default options, action hold), resetting every 720 steps.
 */
import { pathToFileURL } from 'node:url';
import { Rng } from '../env/core/rng.js';
import { StableSwapPool, getY, float as F } from '../env/amm/stableswap/index.js';
import { DepegPriceProcess } from '../env/tasks/stableswap/depegPrice.js';
import { runParameterGrid } from '../env/tasks/stableswap/grid.js';
import { StableSwapEnv } from '../env/tasks/stableswap/stableswapEnv.js';
import { opsPerSecond, sig3 } from './measure.js';

const E = 10n ** 18n;
const XP = [10n ** 24n, 12n * 10n ** 23n, 8n * 10n ** 23n];
const FEE = 4_000_000n;

/** The contract's get_dy(0, 1, dx) in the template form, from scratch (no cached D). */
function exactGetDy(dx: bigint): bigint {
  const y = getY(0, 1, XP[0]! + dx, XP, 10_000n, 100n);
  const dy = XP[1]! - y - 1n;
  return dy - (dy * FEE) / 10n ** 10n;
}

/** The grid's price path: 3 coins, one-hour steps, 60 days, seed 7 (includes a depeg at the defaults). */
export function gridPricePath(steps = 1440, seed = 7): Float64Array[] {
  const process = new DepegPriceProcess(3);
  process.reset();
  const rng = new Rng(seed);
  return Array.from({ length: steps }, () => Float64Array.from(process.step(rng, 3600)));
}

export const GRID_A = [20, 50, 100, 200, 500] as const;
export const GRID_FEE_BPS = [1, 2, 4, 8] as const;

export function benchStableSwap(): Record<string, number> {
  const out: Record<string, number> = {};
  let k = 0n;
  const exact = opsPerSecond(() => exactGetDy(1000n * E + (k++ & 1023n)), 1);
  out['stableswap.exact.getDyPerSec'] = sig3(exact);
  out['stableswap.exact.usPerGetDy'] = sig3(1e6 / exact);
  const pool = StableSwapPool.withBalances({ A: 100n, fee: FEE }, XP, 3n * 10n ** 24n);
  out['stableswap.exact.cachedGetDyPerSec'] = sig3(opsPerSecond(() => pool.getDy(0, 1, 1000n * E + (k++ & 1023n)), 1));
  const xf = [1e6, 1.2e6, 0.8e6];
  const flt = opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < 1000; i++) s += F.getDy(0, 1, 1000 + i, xf, 100, 0.0004);
    return s;
  }, 1000);
  out['stableswap.float.getDyPerSec'] = sig3(flt);
  out['stableswap.floatSpeedup'] = sig3(flt / exact);

  const path = gridPricePath();
  const cellSteps = GRID_A.length * GRID_FEE_BPS.length * path.length;
  for (const settlement of ['exact', 'float'] as const) {
    const perSec = opsPerSecond(() => runParameterGrid({ A: GRID_A, feeBps: GRID_FEE_BPS, pricesUsd: path, settlement }), cellSteps, { minMs: 300, rounds: 3 });
    out[settlement === 'exact' ? 'stableswap.grid.msPerStep' : 'stableswap.grid.float.msPerStep'] = sig3(1000 / perSec);
  }

  const env = new StableSwapEnv();
  env.reset({ seed: 0 });
  let t = 0;
  out['stableswap.env.stepsPerSec'] = sig3(opsPerSecond(() => {
    for (let i = 0; i < 100; i++) {
      env.step(0);
      if (++t % 720 === 0) env.reset();
    }
    return t;
  }, 100, { minMs: 500 }));
  return out;
}

// `npx tsx bench/stableswap.ts` prints the JSON on its own.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.stdout.write(`${JSON.stringify(benchStableSwap())}\n`);
