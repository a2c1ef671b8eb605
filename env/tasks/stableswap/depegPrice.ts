/**
 * USD prices of n stablecoins with depeg episodes: each coin's log price X is an Ornstein–Uhlenbeck
 * process around 0 (the peg) with Poisson jumps to a depeg level,
 *   X' = X·e^(−θ·dt) + σ·√((1 − e^(−2θ·dt))/(2θ))·Z,  and with probability 1 − e^(−λ·dt):
 *   X' = ln(level) + levelStd·Z',
 * so a depegged coin falls to ≈ `level` and recovers toward the peg with half-life ln2/θ. The OU
 * transition is exact for any dt. Every draw comes from the Rng passed to `step`.
 *
 * Randomness lives here, in the task folder, because env/market is owned elsewhere; it depends only
 * on env/core and env/market's validation helpers and could move to env/market/price unchanged.
 */
import { InvalidArgumentError, ResetNeeded, describeValue } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { SECONDS_PER_YEAR } from '../../market/price/process.js';
import { checkObject, numberField } from '../../market/validate.js';

export interface DepegPriceConfig {
  /** Annualised volatility σ of each coin's log price around the peg. Default 0.02. */
  readonly volatility?: number;
  /** Half-life of a deviation from the peg (mean reversion θ = ln2/half-life), hours. Default 24. */
  readonly halfLifeHours?: number;
  /** Depeg jumps per coin per year λ. Default 2. */
  readonly depegsPerYear?: number;
  /** Price a depegging coin jumps to (median), in (0, 1). Default 0.97. */
  readonly depegLevel?: number;
  /** Standard deviation of the log depeg level. Default 0.01. */
  readonly depegLevelStd?: number;
}

export const DEPEG_PRICE_DEFAULTS: Readonly<Required<DepegPriceConfig>> = Object.freeze({
  volatility: 0.02,
  halfLifeHours: 24,
  depegsPerYear: 2,
  depegLevel: 0.97,
  depegLevelStd: 0.01,
});

const KEYS = Object.keys(DEPEG_PRICE_DEFAULTS);

export class DepegPriceProcess {
  readonly nCoins: number;
  readonly config: Readonly<Required<DepegPriceConfig>>;
  /** Current USD price of each coin (NaN before `reset`). */
  readonly pricesUsd: Float64Array;
  /** Coins that jumped in the last step (bit k set: coin k depegged). */
  lastJumps = 0;
  private readonly logPrice: Float64Array;
  private dtSec = NaN;
  private decay = 1;
  private noiseStd = 0;
  private jumpProb = 0;
  private readonly logLevel: number;

  constructor(nCoins: number, config: DepegPriceConfig = {}, where = 'depeg') {
    checkObject(config, where, KEYS);
    this.nCoins = nCoins;
    this.config = Object.freeze({
      volatility: numberField(config, 'volatility', where, DEPEG_PRICE_DEFAULTS.volatility, { min: 0 }),
      halfLifeHours: numberField(config, 'halfLifeHours', where, DEPEG_PRICE_DEFAULTS.halfLifeHours, { above: 0 }),
      depegsPerYear: numberField(config, 'depegsPerYear', where, DEPEG_PRICE_DEFAULTS.depegsPerYear, { min: 0 }),
      depegLevel: numberField(config, 'depegLevel', where, DEPEG_PRICE_DEFAULTS.depegLevel, { above: 0, below: 1 }),
      depegLevelStd: numberField(config, 'depegLevelStd', where, DEPEG_PRICE_DEFAULTS.depegLevelStd, { min: 0 }),
    });
    this.logLevel = Math.log(this.config.depegLevel);
    this.pricesUsd = new Float64Array(nCoins).fill(NaN);
    this.logPrice = new Float64Array(nCoins).fill(NaN);
  }

  /** Every coin back on the peg (price 1), or at `pricesUsd` (one finite price > 0 per coin). */
  reset(pricesUsd?: ArrayLike<number>): void {
    if (pricesUsd !== undefined && (pricesUsd.length !== this.nCoins || !Array.from(pricesUsd).every((p) => p > 0 && Number.isFinite(p)))) {
      throw new InvalidArgumentError(`DepegPriceProcess.reset: pricesUsd must hold ${this.nCoins} finite prices > 0, got ${describeValue(pricesUsd)}`);
    }
    for (let k = 0; k < this.nCoins; k++) {
      const p = pricesUsd === undefined ? 1 : pricesUsd[k]!;
      this.pricesUsd[k] = p;
      this.logPrice[k] = Math.log(p);
    }
    this.lastJumps = 0;
  }

  /** Advance `dtSec` seconds using only `rng`; returns the prices (the same array, updated). */
  step(rng: Rng, dtSec: number): Float64Array {
    if (Number.isNaN(this.logPrice[0]!)) throw new ResetNeeded('DepegPriceProcess.step called before reset()');
    if (dtSec !== this.dtSec) this.setDt(dtSec);
    let jumps = 0;
    for (let k = 0; k < this.nCoins; k++) {
      let x = this.logPrice[k]! * this.decay + this.noiseStd * rng.standardNormal();
      if (this.jumpProb > 0 && rng.random() < this.jumpProb) {
        x = this.logLevel + this.config.depegLevelStd * rng.standardNormal();
        jumps |= 1 << k;
      }
      this.logPrice[k] = x;
      this.pricesUsd[k] = Math.exp(x);
    }
    this.lastJumps = jumps;
    return this.pricesUsd;
  }

  private setDt(dtSec: number): void {
    if (!(dtSec > 0) || !Number.isFinite(dtSec)) throw new InvalidArgumentError(`DepegPriceProcess.step: dtSec must be a finite number > 0, got ${describeValue(dtSec)}`);
    const c = this.config;
    const dtYears = dtSec / SECONDS_PER_YEAR;
    const theta = Math.LN2 / (c.halfLifeHours * 3600 / SECONDS_PER_YEAR);
    this.dtSec = dtSec;
    this.decay = Math.exp(-theta * dtYears);
    this.noiseStd = c.volatility * Math.sqrt(-Math.expm1(-2 * theta * dtYears) / (2 * theta));
    this.jumpProb = -Math.expm1(-c.depegsPerYear * dtYears);
  }
}
