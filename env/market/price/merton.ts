/**
 * Merton (1976) jump diffusion: GBM plus a compound Poisson process of log-normal jumps,
 *   ln S' − ln S = (μ − σ²/2 − λκ)·dt + σ·√dt·Z + Σ_{i≤N} J_i,  N ~ Poisson(λ·dt),  J_i ~ N(m, δ²),
 * with κ = E[e^J − 1] = exp(m + δ²/2) − 1. The −λκ compensator makes `drift` the total expected
 * return (E[S'] = S·e^{μ·dt}), so switching GBM ↔ Merton changes the tails, not the trend.
 * The sum of N normal jumps is drawn as one normal N(N·m, N·δ²) (exact, one draw per step).
 */
import { ResetNeeded } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { checkNumber } from '../validate.js';
import { poissonCached } from '../poisson.js';
import { SECONDS_PER_YEAR, type PriceProcess } from './process.js';

export interface MertonOptions {
  /** Annualised total expected return μ, jumps included; default 0. */
  readonly drift?: number;
  /** Annualised diffusion volatility σ ≥ 0. */
  readonly volatility: number;
  /** Expected jumps per year λ ≥ 0. */
  readonly jumpIntensity: number;
  /** Mean m of each log jump (e.g. −0.05 for ~5 % drops); default 0. */
  readonly jumpMean?: number;
  /** Standard deviation δ ≥ 0 of each log jump. */
  readonly jumpStd: number;
}

export class MertonJumpDiffusion implements PriceProcess {
  readonly drift: number;
  readonly volatility: number;
  readonly jumpIntensity: number;
  readonly jumpMean: number;
  readonly jumpStd: number;
  /** Jumps in the most recent step (diagnostics and tests). */
  lastJumpCount = 0;
  private current = NaN;
  private dtSec = NaN;
  private meanLog = 0;
  private stdLog = 0;
  private jumpsPerStep = 0;
  private expMinusJumps = 1;

  constructor(options: MertonOptions) {
    this.drift = checkNumber('merton.drift', options.drift ?? 0);
    this.volatility = checkNumber('merton.volatility', options.volatility, { min: 0 });
    this.jumpIntensity = checkNumber('merton.jumpIntensity', options.jumpIntensity, { min: 0 });
    this.jumpMean = checkNumber('merton.jumpMean', options.jumpMean ?? 0);
    this.jumpStd = checkNumber('merton.jumpStd', options.jumpStd, { min: 0 });
  }

  get price(): number {
    return this.current;
  }

  reset(priceUsd: number): void {
    this.current = checkNumber('merton.reset(priceUsd)', priceUsd, { above: 0 });
    this.lastJumpCount = 0;
  }

  step(rng: Rng, dtSec: number): number {
    if (dtSec !== this.dtSec) this.setDt(dtSec);
    if (Number.isNaN(this.current)) throw new ResetNeeded('MertonJumpDiffusion.step called before reset(priceUsd)');
    let logRet = this.meanLog + this.stdLog * rng.standardNormal();
    const n = this.drawJumpCount(rng);
    this.lastJumpCount = n;
    if (n > 0) logRet += n * this.jumpMean + this.jumpStd * Math.sqrt(n) * rng.standardNormal();
    this.current *= Math.exp(logRet);
    return this.current;
  }

  /** Poisson(λ·dt): Knuth's product with a cached e^{−λdt} below 10 (same draws as Rng.poisson). */
  private drawJumpCount(rng: Rng): number {
    return poissonCached(rng, this.jumpsPerStep, this.expMinusJumps);
  }

  private setDt(dtSec: number): void {
    checkNumber('merton.step(dtSec)', dtSec, { min: 0 });
    const dt = dtSec / SECONDS_PER_YEAR;
    const kappa = Math.expm1(this.jumpMean + 0.5 * this.jumpStd * this.jumpStd);
    this.dtSec = dtSec;
    this.meanLog = (this.drift - 0.5 * this.volatility * this.volatility - this.jumpIntensity * kappa) * dt;
    this.stdLog = this.volatility * Math.sqrt(dt);
    this.jumpsPerStep = this.jumpIntensity * dt;
    this.expMinusJumps = Math.exp(-this.jumpsPerStep);
  }
}
