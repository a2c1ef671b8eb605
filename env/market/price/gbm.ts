/**
 * Geometric Brownian motion with the exact log-normal transition
 * S' = S·exp((μ − σ²/2)·dt + σ·√dt·Z), dt in years of 365 days. Exact (not Euler), so any dtSec
 * gives the right distribution and prices stay > 0.
 */
import { ResetNeeded } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { checkNumber } from '../validate.js';
import { SECONDS_PER_YEAR, type PriceProcess } from './process.js';

export interface GbmOptions {
  /** Annualised expected return μ (E[S_T] = S_0·e^{μT}); default 0. */
  readonly drift?: number;
  /** Annualised volatility σ ≥ 0 of log returns. */
  readonly volatility: number;
}

export class GeometricBrownianMotion implements PriceProcess {
  readonly drift: number;
  readonly volatility: number;
  private current = NaN;
  // per-dt constants, recomputed only when dtSec changes (the env uses one dt)
  private dtSec = NaN;
  private meanLog = 0;
  private stdLog = 0;

  constructor(options: GbmOptions) {
    this.drift = checkNumber('gbm.drift', options.drift ?? 0);
    this.volatility = checkNumber('gbm.volatility', options.volatility, { min: 0 });
  }

  get price(): number {
    return this.current;
  }

  reset(priceUsd: number): void {
    this.current = checkNumber('gbm.reset(priceUsd)', priceUsd, { above: 0 });
  }

  step(rng: Rng, dtSec: number): number {
    if (dtSec !== this.dtSec) this.setDt(dtSec);
    if (Number.isNaN(this.current)) throw new ResetNeeded('GeometricBrownianMotion.step called before reset(priceUsd)');
    this.current *= Math.exp(this.meanLog + this.stdLog * rng.standardNormal());
    return this.current;
  }

  private setDt(dtSec: number): void {
    checkNumber('gbm.step(dtSec)', dtSec, { min: 0 });
    const dt = dtSec / SECONDS_PER_YEAR;
    this.dtSec = dtSec;
    this.meanLog = (this.drift - 0.5 * this.volatility * this.volatility) * dt;
    this.stdLog = this.volatility * Math.sqrt(dt);
  }
}
