/**
 * The oracle price process interface (mbt_gym's "midprice model", rl-conventions.md §3.1): one
 * small mutable object per path, stepped in place so the env's hot loop allocates nothing.
 */
import type { Rng } from '../../core/rng.js';

export interface PriceProcess {
  /** Current price, USD (NaN before the first `reset` for the stochastic processes). */
  readonly price: number;
  /** Restart the path at this price (USD, finite, > 0). */
  reset(priceUsd: number): void;
  /** Advance `dtSec` seconds using only `rng`; returns the new price (> 0). */
  step(rng: Rng, dtSec: number): number;
}

/** Seconds in the year used to annualise drift, volatility and jump intensity (365 days). */
export const SECONDS_PER_YEAR = 365 * 86_400;
