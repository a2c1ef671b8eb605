/**
 * `Discrete(n, start)`: the integers {start, …, start + n − 1}, as JS numbers. Gymnasium's default
 * dtype is int64; ours is int32 (batched samples go into Int32Array), so start and start + n − 1
 * must fit in int32.
 */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type Json, type SampleOptions } from './space.js';
import { sampleMasked, sampleProbability } from './mask.js';
import type { DiscreteJSON } from './json-types.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A 0/1 mask or a probability vector of length n. */
export type DiscreteMask = ArrayLike<number>;

export class Discrete extends Space<number, DiscreteMask> {
  readonly dtype = 'int32' as const;
  readonly n: number;
  readonly start: number;

  constructor(n: number, start = 0, seed?: number) {
    super([], 'int32');
    if (!Number.isInteger(n) || n <= 0) {
      throw new SpaceError(`Discrete: n must be a positive integer, got ${describeValue(n)}`);
    }
    if (!Number.isInteger(start)) {
      throw new SpaceError(`Discrete: start must be an integer, got ${describeValue(start)}`);
    }
    if (start < INT32_MIN || start + n - 1 > INT32_MAX) {
      throw new SpaceError(
        `Discrete: elements [${start}, ${start + n - 1}] must fit in int32 [${INT32_MIN}, ${INT32_MAX}]`,
      );
    }
    this.n = n;
    this.start = start;
    if (seed !== undefined) this.seed(seed);
  }

  get isFlattenable(): boolean {
    return true;
  }

  /**
   * Uniform element; with `mask` (0/1 per element) uniform among allowed ones, or `start` when
   * none is allowed; with `probability` drawn from that distribution.
   */
  sample(options?: SampleOptions<DiscreteMask>): number {
    this.checkSampleOptions(options);
    if (options?.mask != null) {
      const i = sampleMasked(this.npRandom, options.mask, this.n, `${this}.sample`);
      return i < 0 ? this.start : this.start + i;
    }
    if (options?.probability != null) {
      return this.start + sampleProbability(this.npRandom, options.probability, this.n, `${this}.sample`);
    }
    return this.start + this.npRandom.integers(0, this.n);
  }

  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  equals(other: unknown): boolean {
    return other instanceof Discrete && other.n === this.n && other.start === this.start;
  }

  toString(): string {
    return this.start !== 0 ? `Discrete(${this.n}, start=${this.start})` : `Discrete(${this.n})`;
  }

  toJSON(): DiscreteJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toJsonable(samples: readonly number[]): Json {
    return samples.map((s) => s);
  }

  fromJsonable(json: Json): number[] {
    if (!Array.isArray(json) || !json.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      throw new SpaceError(`${this}.fromJsonable: expected an array of integers, got ${describeValue(json)}`);
    }
    return json as number[];
  }
}
