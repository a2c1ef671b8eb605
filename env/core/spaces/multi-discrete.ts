/**
 * `MultiDiscrete(nvec, start)`: the cartesian product of Discrete(nvec[i], start[i]); elements are
 * integer typed arrays (default int32; Gymnasium's default is int64). `nvec` may be nested for
 * several axes; elements are then flat in row-major order with `shape` giving the axes.
 */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type Json, type SampleOptions } from './space.js';
import {
  type DTypeArrayMap,
  type IntDType,
  allocate,
  arrayRepr,
  assertDType,
  canCastSafely,
  dtypeOf,
  dtypeRange,
  isFloatDType,
} from './dtype.js';
import { flattenNested, nestFlat, shapeSize, shapesEqual, validateShape } from './shape.js';
import { sampleMasked, sampleProbability } from './mask.js';
import { typedSamplesFromJsonable, typedSamplesToJsonable } from './typed-samples.js';
import type { MultiDiscreteJSON } from './json-types.js';

/** One mask (0/1 values, length nvec[i]) or probability vector per element, flat row-major. */
export type MultiDiscreteMask = readonly ArrayLike<number>[];

export class MultiDiscrete<D extends IntDType = 'int32'> extends Space<DTypeArrayMap[D], MultiDiscreteMask> {
  declare readonly shape: readonly number[];
  readonly dtype: D;
  readonly size: number;
  readonly nvec: DTypeArrayMap[D];
  readonly start: DTypeArrayMap[D];

  constructor(
    nvec: ArrayLike<number> | readonly unknown[],
    start?: ArrayLike<number> | readonly unknown[] | null,
    dtype: D = 'int32' as D,
    seed?: number,
  ) {
    const d = assertDType(dtype, 'MultiDiscrete');
    if (isFloatDType(d)) throw new SpaceError(`MultiDiscrete: dtype must be an integer dtype, got ${d}`);
    const nf = flattenNested(nvec);
    if (nf === null || typeof nvec === 'number') {
      throw new SpaceError(`MultiDiscrete: nvec must be a (nested) array of positive integers, got ${describeValue(nvec)}`);
    }
    const sf = start == null ? { values: nf.values.map(() => 0), shape: nf.shape } : flattenNested(start);
    if (sf === null || !shapesEqual(sf.shape, nf.shape)) {
      throw new SpaceError(`MultiDiscrete: start and nvec must have the same shape, got start=${describeValue(start)} for nvec=${describeValue(nvec)}`);
    }
    super(nf.shape, dtype);
    this.dtype = dtype;
    this.size = nf.values.length;
    const [dmin, dmax] = dtypeRange(d);
    this.nvec = allocate(dtype, this.size);
    this.start = allocate(dtype, this.size);
    for (let i = 0; i < this.size; i++) {
      const n = nf.values[i]!;
      const s = sf.values[i]!;
      if (!Number.isInteger(n) || n <= 0) throw new SpaceError(`MultiDiscrete: nvec (counts) must be positive integers, got ${describeValue(n)} at index ${i}`);
      if (!Number.isInteger(s)) throw new SpaceError(`MultiDiscrete: start must be integers, got ${describeValue(s)} at index ${i}`);
      if (s < dmin || s + n - 1 > dmax || n > dmax) {
        throw new SpaceError(`MultiDiscrete: element ${i} range [${s}, ${s + n - 1}] does not fit in ${d}`);
      }
      this.nvec[i] = n;
      this.start[i] = s;
    }
    if (seed !== undefined) this.seed(seed);
  }

  get isFlattenable(): boolean {
    return true;
  }

  sample(options?: SampleOptions<MultiDiscreteMask>): DTypeArrayMap[D] {
    this.checkSampleOptions(options);
    const rng = this.npRandom;
    const out = allocate(this.dtype, this.size);
    const mask = options?.mask ?? options?.probability ?? null;
    if (mask !== null) {
      if (!Array.isArray(mask) || mask.length !== this.size) {
        throw new SpaceError(`${this}.sample: expected ${this.size} per-element masks, got ${describeValue(mask)}`);
      }
      for (let i = 0; i < this.size; i++) {
        const where = `${this}.sample (element ${i})`;
        const k = options?.mask != null
          ? sampleMasked(rng, mask[i], this.nvec[i]!, where)
          : sampleProbability(rng, mask[i], this.nvec[i]!, where);
        out[i] = this.start[i]! + (k < 0 ? 0 : k);
      }
      return out;
    }
    // Gymnasium: floor(random * nvec) + start.
    for (let i = 0; i < this.size; i++) out[i] = this.start[i]! + Math.floor(rng.random() * this.nvec[i]!);
    return out;
  }

  contains(x: unknown): boolean {
    let values: ArrayLike<number>;
    const xd = dtypeOf(x);
    if (xd !== null) {
      if (!canCastSafely(xd, this.dtype)) return false;
      values = x as ArrayLike<number>;
      if (values.length !== this.size) return false;
    } else {
      const flat = flattenNested(x);
      if (flat === null || typeof x === 'number') return false;
      if (!shapesEqual(flat.shape, this.shape) && !(flat.shape.length === 1 && flat.values.length === this.size)) return false;
      values = flat.values;
    }
    for (let i = 0; i < this.size; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < this.start[i]! || v > this.start[i]! + this.nvec[i]! - 1) return false;
    }
    return true;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof MultiDiscrete) || other.dtype !== this.dtype || !shapesEqual(other.shape, this.shape)) return false;
    for (let i = 0; i < this.size; i++) {
      if (other.nvec[i] !== this.nvec[i] || other.start[i] !== this.start[i]) return false;
    }
    return true;
  }

  toString(): string {
    const nvec = arrayRepr(this.nvec, this.shape, this.dtype);
    return this.start.some((s) => s !== 0)
      ? `MultiDiscrete(${nvec}, start=${arrayRepr(this.start, this.shape, this.dtype)})`
      : `MultiDiscrete(${nvec})`;
  }

  toJSON(): MultiDiscreteJSON {
    return {
      type: 'MultiDiscrete',
      nvec: Array.from(this.nvec),
      start: Array.from(this.start),
      shape: [...this.shape],
      dtype: this.dtype,
    };
  }

  toJsonable(samples: readonly DTypeArrayMap[D][]): Json {
    return typedSamplesToJsonable(samples, this.shape);
  }

  fromJsonable(json: Json): DTypeArrayMap[D][] {
    return typedSamplesFromJsonable(json, this.dtype, this.size, String(this), 'integers');
  }

  /** Rebuilds a multi-axis space from its JSON shape. */
  static fromFlat<D extends IntDType>(nvec: number[], start: number[], shape: number[], dtype: D): MultiDiscrete<D> {
    validateShape(shape, 'MultiDiscrete');
    if (shapeSize(shape) !== nvec.length) {
      throw new SpaceError(`MultiDiscrete: shape ${JSON.stringify(shape)} does not hold ${nvec.length} counts`);
    }
    return new MultiDiscrete(nestFlat(nvec, shape) as unknown[], nestFlat(start, shape) as unknown[], dtype);
  }
}
