/**
 * Sample-and-hold of a timestamped price series (e.g. Drift's hourly oracle TWAPs): at market time
 * T the price is the last record published at or before T. It never interpolates, because the
 * value between two records would need the later one, i.e. data from after T.
 */
import type { Rng } from '../../core/rng.js';
import { MarketConfigError } from '../errors.js';
import { checkNumber } from '../validate.js';
import type { PriceProcess } from './process.js';

export class HeldSeriesPrice implements PriceProcess {
  private readonly ts: Float64Array;
  private readonly prices: Float64Array;
  private nowTs = 0;
  private idx = 0;

  /**
   * @param ts record times, unix seconds, non-decreasing
   * @param pricesUsd record prices, USD, > 0
   * @param startTs market time at `reset`; at least one record must be at or before it
   */
  constructor(ts: ArrayLike<number>, pricesUsd: ArrayLike<number>, readonly startTs: number) {
    const n = ts.length;
    if (n === 0 || pricesUsd.length !== n) {
      throw new MarketConfigError('heldSeries', { ts: n, prices: pricesUsd.length }, 'equally long, non-empty ts and price arrays');
    }
    this.ts = new Float64Array(n);
    this.prices = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.ts[i] = checkNumber(`heldSeries.ts[${i}]`, ts[i], i === 0 ? {} : { min: this.ts[i - 1]! });
      this.prices[i] = checkNumber(`heldSeries.prices[${i}]`, pricesUsd[i], { above: 0 });
    }
    checkNumber('heldSeries.startTs', startTs, { min: this.ts[0]! });
  }

  get price(): number {
    return this.prices[this.idx]!;
  }

  /** Market time, unix seconds. */
  get time(): number {
    return this.nowTs;
  }

  /** Index of the record `price` returns. */
  get index(): number {
    return this.idx;
  }

  /** Rewinds to `startTs`; the recorded price there is returned as is (the argument is ignored). */
  reset(_priceUsd?: number): void {
    this.nowTs = this.startTs;
    this.idx = 0;
    this.advance();
  }

  step(_rng: Rng, dtSec: number): number {
    this.nowTs += dtSec;
    this.advance();
    return this.prices[this.idx]!;
  }

  private advance(): void {
    const n = this.ts.length;
    while (this.idx + 1 < n && this.ts[this.idx + 1]! <= this.nowTs) this.idx++;
  }
}
