/**
 * Replay of a recorded price series (e.g. a real oracle history from `data/`): one record per step,
 * `dtSec` is ignored (the series' own spacing is the step). No randomness.
 */
import type { Rng } from '../../core/rng.js';
import { MarketConfigError, ReplayExhaustedError } from '../errors.js';
import { checkNumber } from '../validate.js';
import type { PriceProcess } from './process.js';

export interface ReplayOptions {
  /** Wrap around to the first record instead of throwing past the end; default false. */
  readonly loop?: boolean;
  /**
   * Scale the whole series so it starts at the price given to `reset` (keeps the recorded returns,
   * moves the level); default false: `reset(priceUsd)` only rewinds and the recorded prices are
   * returned as they are (read `.price` after reset).
   */
  readonly rescale?: boolean;
}

export class ReplayPrice implements PriceProcess {
  readonly loop: boolean;
  readonly rescale: boolean;
  private readonly prices: Float64Array;
  private scale = 1;
  private idx = 0;

  constructor(prices: ArrayLike<number>, options: ReplayOptions = {}) {
    const n = prices.length;
    if (n === 0) throw new MarketConfigError('replay.prices', prices, 'a non-empty array of finite prices > 0 (USD)');
    this.prices = new Float64Array(n);
    for (let i = 0; i < n; i++) this.prices[i] = checkNumber(`replay.prices[${i}]`, prices[i], { above: 0 });
    this.loop = options.loop ?? false;
    this.rescale = options.rescale ?? false;
  }

  /** Number of records. */
  get length(): number {
    return this.prices.length;
  }

  /** Index of the record `price` currently returns. */
  get index(): number {
    return this.idx;
  }

  get price(): number {
    return this.prices[this.idx]! * this.scale;
  }

  reset(priceUsd: number): void {
    checkNumber('replay.reset(priceUsd)', priceUsd, { above: 0 });
    this.idx = 0;
    this.scale = this.rescale ? priceUsd / this.prices[0]! : 1;
  }

  step(_rng: Rng, _dtSec: number): number {
    let next = this.idx + 1;
    if (next >= this.prices.length) {
      if (!this.loop) throw new ReplayExhaustedError(next, this.prices.length);
      next = 0;
    }
    this.idx = next;
    return this.prices[next]! * this.scale;
  }
}
