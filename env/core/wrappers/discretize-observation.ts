/**
 * `DiscretizeObservation(env, { bins, low?, high?, multidiscrete? })`: maps a Box observation to
 * a bin index per coordinate, for tabular agents. Coordinate i is split into `bins[i]` equal-width
 * bins over [low[i], high[i]] (defaults: the Box bounds, which must then be finite; pass `low` /
 * `high` for coordinates with infinite bounds, e.g. CartPole's velocities).
 *
 * Out-of-range values are clipped into the edge bins: x < low → bin 0, x ≥ high → bin bins[i] − 1
 * (x = high exactly is in the last bin). NaN throws `InvalidObservationError`.
 *
 * The observation is the row-major flat index `((i0·b1 + i1)·b2 + i2)…` in Discrete(∏ bins), or
 * the per-coordinate indices in MultiDiscrete(bins) with `multidiscrete: true`.
 */
import { ObservationWrapper, type Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import type { Space } from '../spaces/space.js';
import type { DType } from '../spaces/dtype.js';
import { InvalidArgumentError, InvalidObservationError, describeValue } from '../errors.js';

export interface DiscretizeObservationOptions {
  /** Bins per coordinate: one number for all, or one per coordinate (each ≥ 1). */
  bins: number | readonly number[];
  /** Lower edge of the binned range (default: the Box's low). */
  low?: number | readonly number[];
  /** Upper edge of the binned range (default: the Box's high). */
  high?: number | readonly number[];
  /** Return per-coordinate indices (MultiDiscrete) instead of one flat index (Discrete). */
  multidiscrete?: boolean;
}

/** numpy's `linspace(start, stop, num)`: `k · step + start`, with the last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let k = 0; k < num; k++) out[k] = k * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** Per-coordinate bins, low and high, validated; shared with DiscretizeAction. */
export function resolveBins(
  box: Box<DType>,
  options: { bins: number | readonly number[]; low?: number | readonly number[]; high?: number | readonly number[] },
  who: string,
): { bins: number[]; low: number[]; high: number[] } {
  const n = box.size;
  const perCoord = (v: number | readonly number[] | undefined, name: string, fallback: (i: number) => number): number[] => {
    if (v === undefined) return Array.from({ length: n }, (_, i) => fallback(i));
    if (typeof v === 'number') return new Array<number>(n).fill(v);
    if (!Array.isArray(v) || v.length !== n) {
      throw new InvalidArgumentError(`${who}: ${name} must be a number or ${n} numbers (one per coordinate), got ${describeValue(v)}`);
    }
    return [...v];
  };
  const bins = perCoord(options.bins, 'bins', () => 0);
  const low = perCoord(options.low, 'low', (i) => (box.boundedBelow[i] ? box.low[i]! : -Infinity));
  const high = perCoord(options.high, 'high', (i) => (box.boundedAbove[i] ? box.high[i]! : Infinity));
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(bins[i]) || bins[i]! < 1) {
      throw new InvalidArgumentError(`${who}: bins must be positive integers, got ${describeValue(bins[i])} for coordinate ${i}`);
    }
    if (!Number.isFinite(low[i]) || !Number.isFinite(high[i])) {
      throw new InvalidArgumentError(
        `${who}: coordinate ${i} has an infinite range [${low[i]}, ${high[i]}]; discretization needs finite bounds, pass low/high`,
      );
    }
    if (!(low[i]! < high[i]!)) throw new InvalidArgumentError(`${who}: low must be < high, got ${low[i]} and ${high[i]} for coordinate ${i}`);
  }
  return { bins, low, high };
}

export class DiscretizeObservation<Act> extends ObservationWrapper<number | Int32Array, Act, ArrayLike<number>> {
  readonly bins: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
  readonly multidiscrete: boolean;
  /** Interior bin edges per coordinate (numpy's `linspace(low, high, bins + 1)[1:-1]`). */
  readonly binEdges: readonly Float64Array[];

  constructor(env: Env<ArrayLike<number>, Act>, options: DiscretizeObservationOptions) {
    super(env);
    if (!(env.observationSpace instanceof Box)) {
      throw new InvalidArgumentError(`DiscretizeObservation: requires a Box observation space, got ${env.observationSpace}`);
    }
    const box = env.observationSpace as Box<DType>;
    const { bins, low, high } = resolveBins(box, options, 'DiscretizeObservation');
    this.bins = bins;
    this.low = low;
    this.high = high;
    this.multidiscrete = options.multidiscrete ?? false;
    this.binEdges = bins.map((b, i) => linspace(low[i]!, high[i]!, b + 1).subarray(1, b));
    const total = bins.reduce((a, b) => a * b, 1);
    this.observationSpace = (
      this.multidiscrete ? new MultiDiscrete(bins) : new Discrete(total)
    ) as unknown as Space<number | Int32Array, unknown>;
  }

  /** Bin index of value `x` in coordinate `i` (clipped into the edge bins). */
  binIndex(i: number, x: number): number {
    if (Number.isNaN(x)) throw new InvalidObservationError(`DiscretizeObservation: coordinate ${i} is NaN`);
    const edges = this.binEdges[i]!;
    let k = 0;
    while (k < edges.length && x >= edges[k]!) k++;
    return k;
  }

  observation(obs: ArrayLike<number>): number | Int32Array {
    const n = this.bins.length;
    if (obs === null || typeof obs !== 'object' || obs.length !== n) {
      throw new InvalidObservationError(`DiscretizeObservation: expected ${n} values, got ${describeValue(obs)}`);
    }
    if (this.multidiscrete) {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = this.binIndex(i, obs[i]!);
      return out;
    }
    let flat = 0;
    for (let i = 0; i < n; i++) flat = flat * this.bins[i]! + this.binIndex(i, obs[i]!);
    return flat;
  }

  /** Per-coordinate indices of a flat index (inverse of the row-major flattening). */
  unflattenIndex(index: number): number[] {
    const out = new Array<number>(this.bins.length);
    for (let i = this.bins.length - 1; i >= 0; i--) {
      out[i] = index % this.bins[i]!;
      index = Math.floor(index / this.bins[i]!);
    }
    return out;
  }

  /** The [lower, upper] edges of the bin an observation fell into (Gymnasium's `revert_observation`). */
  revertObservation(obs: number | ArrayLike<number>): [Float64Array, Float64Array] {
    const idx = typeof obs === 'number' ? this.unflattenIndex(obs) : Array.from(obs);
    const lows = new Float64Array(idx.length);
    const highs = new Float64Array(idx.length);
    idx.forEach((k, i) => {
      const edges = linspace(this.low[i]!, this.high[i]!, this.bins[i]! + 1);
      lows[i] = edges[k]!;
      highs[i] = edges[k + 1]!;
    });
    return [lows, highs];
  }
}
