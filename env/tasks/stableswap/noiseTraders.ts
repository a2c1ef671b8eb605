/**
 * Uninformed ("noise") traders on a float StableSwap pool: Poisson arrivals, a uniformly random
 * ordered pair of coins, a lognormal USD size, and a cost tolerance. Each trader quotes the pool
 * and trades only if the all-in cost 1 − (dy·p_j)/(dx·p_i) (fee plus price impact, at external
 * prices) is within its tolerance, drawn exponential with mean `costToleranceBps`: the flow an
 * aggregator would route here rather than elsewhere. So volume responds to the fee and to A.
 * Every draw comes from the Rng passed to `step`.
 */
import type { Rng } from '../../core/rng.js';
import { checkObject, numberField } from '../../market/validate.js';
import { poissonCached } from '../../market/poisson.js';
import { exchangeUnchecked, getDFrom, getDyUnchecked, newFloatSwap } from '../../amm/stableswap/float/index.js';

export interface NoiseTraderConfig {
  /** Expected arrivals per hour. Default 30. */
  readonly arrivalsPerHour?: number;
  /** Median trade size, USD. Default 100,000. */
  readonly sizeMedianUsd?: number;
  /** Standard deviation of the log size. Default 1.5 (mean size ≈ 308,000 USD). */
  readonly sizeLogStd?: number;
  /** Mean of a trader's cost tolerance (exponential), basis points. Default 5. */
  readonly costToleranceBps?: number;
}

export const NOISE_TRADER_DEFAULTS: Readonly<Required<NoiseTraderConfig>> = Object.freeze({
  arrivalsPerHour: 30,
  sizeMedianUsd: 100_000,
  sizeLogStd: 1.5,
  costToleranceBps: 5,
});

const KEYS = Object.keys(NOISE_TRADER_DEFAULTS);

/** What the noise traders did in one call (overwritten by `step`). */
export interface NoiseStepStats {
  arrivals: number;
  trades: number;
  volumeUsd: number;
  feesLpUsd: number;
  feesAdminUsd: number;
  /** The pool's loss on these trades at external prices, fees excluded: Σ (gross output·p_j − input·p_i). Usually < 0 (traders pay price impact). */
  lossUsd: number;
}

export function newNoiseStepStats(): NoiseStepStats {
  return { arrivals: 0, trades: 0, volumeUsd: 0, feesLpUsd: 0, feesAdminUsd: 0, lossUsd: 0 };
}

export class NoiseTraders {
  readonly config: Readonly<Required<NoiseTraderConfig>>;
  private readonly swap = newFloatSwap();
  private readonly logMedian: number;
  private dtSec = NaN;
  private lam = 0;
  private expMinusLam = 1;

  constructor(config: NoiseTraderConfig = {}, where = 'noiseTraders') {
    checkObject(config, where, KEYS);
    this.config = Object.freeze({
      arrivalsPerHour: numberField(config, 'arrivalsPerHour', where, NOISE_TRADER_DEFAULTS.arrivalsPerHour, { min: 0 }),
      sizeMedianUsd: numberField(config, 'sizeMedianUsd', where, NOISE_TRADER_DEFAULTS.sizeMedianUsd, { above: 0 }),
      sizeLogStd: numberField(config, 'sizeLogStd', where, NOISE_TRADER_DEFAULTS.sizeLogStd, { min: 0 }),
      costToleranceBps: numberField(config, 'costToleranceBps', where, NOISE_TRADER_DEFAULTS.costToleranceBps, { min: 0 }),
    });
    this.logMedian = Math.log(this.config.sizeMedianUsd);
  }

  /**
   * `dtSec` seconds of arrivals against balances `xp` (mutated; token units) at amplification `A`,
   * fee and admin fee fractions, invariant `D` of `xp`. Writes `out`; returns the new D.
   */
  step(rng: Rng, dtSec: number, xp: Float64Array, A: number, fee: number, adminFee: number, D: number, pricesUsd: ArrayLike<number>, out: NoiseStepStats): number {
    if (dtSec !== this.dtSec) {
      this.dtSec = dtSec;
      this.lam = (this.config.arrivalsPerHour * dtSec) / 3600;
      this.expMinusLam = Math.exp(-this.lam);
    }
    out.arrivals = 0;
    out.trades = 0;
    out.volumeUsd = 0;
    out.feesLpUsd = 0;
    out.feesAdminUsd = 0;
    out.lossUsd = 0;
    const n = xp.length;
    const arrivals = poissonCached(rng, this.lam, this.expMinusLam);
    out.arrivals = arrivals;
    const c = this.config;
    for (let a = 0; a < arrivals; a++) {
      const i = rng.integers(0, n);
      const j = (i + 1 + rng.integers(0, n - 1)) % n;
      const sizeUsd = Math.exp(this.logMedian + c.sizeLogStd * rng.standardNormal());
      const tolerance = c.costToleranceBps * 1e-4 * rng.exponential(1);
      const pi = pricesUsd[i]!;
      const pj = pricesUsd[j]!;
      const dx = sizeUsd / pi;
      const dy = getDyUnchecked(i, j, dx, xp, A, fee, D);
      if (!(1 - (dy * pj) / sizeUsd <= tolerance)) continue;
      exchangeUnchecked(xp, i, j, dx, A, fee, adminFee, D, this.swap);
      D = getDFrom(xp, A, D);
      out.trades++;
      out.volumeUsd += sizeUsd;
      out.feesLpUsd += this.swap.feeLp * pj;
      out.feesAdminUsd += this.swap.feeAdmin * pj;
      out.lossUsd += this.swap.dyGross * pj - sizeUsd;
    }
    return D;
  }
}
