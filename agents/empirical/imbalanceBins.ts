/**
 * The empirical MDP's states: the imbalance d/sqrt_k (drift-vamm-v0's obs[0]) in `n` equal-width
 * bins over [−range, range], values outside falling into the edge bins. Symmetric so the middle
 * bin (odd n) is "balanced" and the sign of a bin means the same thing in every market.
 *
 * Defaults: 7 bins over ±0.1. On the curve history |d/sqrt_k| is mostly below 0.1 (SOL, AVAX,
 * BNB, MATIC, ATOM), with BTC, ETH and LUNA reaching 0.17–0.24 (the edge bins); drift-vamm-v0's
 * simulated SOL flow stays within about ±0.03, i.e. the three middle bins.
 */
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { AgentConfigError } from '../errors.js';

export interface ImbalanceBinsConfig {
  /** Number of states. */
  readonly bins: number;
  /** Half-width of the binned range: bins cover [−range, range]. */
  readonly range: number;
}

export const DEFAULT_IMBALANCE_BINS: Readonly<ImbalanceBinsConfig> = Object.freeze({ bins: 7, range: 0.1 });

export class ImbalanceBins {
  readonly bins: number;
  readonly range: number;

  constructor(config: Partial<ImbalanceBinsConfig> = {}, where = 'ImbalanceBins') {
    const bins = config.bins ?? DEFAULT_IMBALANCE_BINS.bins;
    const range = config.range ?? DEFAULT_IMBALANCE_BINS.range;
    if (!Number.isSafeInteger(bins) || bins < 1 || bins > 1000) throw new AgentConfigError('bins', bins, 'an integer from 1 to 1000', where);
    if (!(Number.isFinite(range) && range > 0)) throw new AgentConfigError('range', range, 'a finite number > 0', where);
    this.bins = bins;
    this.range = range;
  }

  /** State index of an imbalance; x < −range → 0, x ≥ range → bins − 1. NaN throws. */
  index(x: number): number {
    if (typeof x !== 'number' || Number.isNaN(x)) throw new InvalidObservationError(`imbalance ${describeValue(x)} is not a number`);
    const i = Math.floor(((x + this.range) / (2 * this.range)) * this.bins);
    return i < 0 ? 0 : i >= this.bins ? this.bins - 1 : i;
  }

  /** [low, high) of state i (−Infinity / Infinity for the edge bins). */
  interval(i: number): [number, number] {
    const w = (2 * this.range) / this.bins;
    return [i === 0 ? -Infinity : -this.range + i * w, i === this.bins - 1 ? Infinity : -this.range + (i + 1) * w];
  }

  /** Short label of state i, e.g. "[-0.014, 0.014)" or "< -0.071". */
  label(i: number): string {
    const [lo, hi] = this.interval(i);
    const f = (v: number) => v.toFixed(3);
    if (this.bins === 1) return 'all';
    if (lo === -Infinity) return `< ${f(hi)}`;
    if (hi === Infinity) return `>= ${f(lo)}`;
    return `[${f(lo)}, ${f(hi)})`;
  }

  toJSON(): ImbalanceBinsConfig {
    return { bins: this.bins, range: this.range };
  }
}
