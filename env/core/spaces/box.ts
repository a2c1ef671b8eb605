/**
 * `Box(low, high, shape, dtype)`: a (possibly unbounded) box in R^n, elements are typed arrays of
 * the dtype, flat in row-major order with `shape` giving the axes.
 *
 * Sampling follows Gymnasium coordinate by coordinate: uniform on [a, b], a + Exp(1) on [a, ∞),
 * b − Exp(1) on (−∞, b], N(0, 1) on (−∞, ∞); integer dtypes sample [a, b + 1) and floor, then clip
 * to the dtype's range.
 */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type Json, type SampleOptions } from './space.js';
import {
  type DType,
  type DTypeArrayMap,
  allocate,
  arrayRepr,
  assertDType,
  canCastSafely,
  castScalar,
  dtypeOf,
  dtypeRange,
  formatNumber,
  isFloatDType,
  shapeRepr,
} from './dtype.js';
import { flattenNested, shapeSize, shapesEqual, validateShape } from './shape.js';
import { typedSamplesFromJsonable, typedSamplesToJsonable } from './typed-samples.js';
import type { BoxJSON, JsonBound } from './json-types.js';

/** A bound: one number for every coordinate, or one per coordinate (flat or nested arrays). */
export type BoundLike = number | ArrayLike<number> | readonly unknown[];

export class Box<D extends DType = 'float32'> extends Space<DTypeArrayMap[D], never> {
  declare readonly shape: readonly number[];
  readonly dtype: D;
  /** Number of coordinates (product of the shape). */
  readonly size: number;
  /** Lower bounds cast to the dtype (−inf kept for floats, dtype min for signed ints). */
  readonly low: DTypeArrayMap[D];
  readonly high: DTypeArrayMap[D];
  /** 1 where the coordinate has a finite lower bound. */
  readonly boundedBelow: Uint8Array;
  readonly boundedAbove: Uint8Array;

  constructor(low: BoundLike, high: BoundLike, shape?: readonly number[] | null, dtype: D = 'float32' as D, seed?: number) {
    assertDType(dtype, 'Box');
    const lowF = flattenNested(low);
    const highF = flattenNested(high);
    if (lowF === null) throw new SpaceError(`Box: low must be a number or a (nested) array of numbers, got ${describeValue(low)}`);
    if (highF === null) throw new SpaceError(`Box: high must be a number or a (nested) array of numbers, got ${describeValue(high)}`);
    const lowIsScalar = typeof low === 'number';
    const highIsScalar = typeof high === 'number';
    let resolved: number[];
    if (shape != null) resolved = validateShape(shape, 'Box');
    else if (!lowIsScalar && !highIsScalar) {
      if (!shapesEqual(lowF.shape, highF.shape)) {
        throw new SpaceError(`Box: low.shape and high.shape differ, low.shape=${shapeRepr(lowF.shape)}, high.shape=${shapeRepr(highF.shape)}`);
      }
      resolved = lowF.shape;
    } else if (!lowIsScalar) resolved = lowF.shape;
    else if (!highIsScalar) resolved = highF.shape;
    else resolved = [1];
    super(resolved, dtype);
    this.dtype = dtype;
    this.size = shapeSize(resolved);
    const [low1, bb] = castBound(lowF, lowIsScalar, resolved, dtype, 'low');
    const [high1, ba] = castBound(highF, highIsScalar, resolved, dtype, 'high');
    for (let i = 0; i < this.size; i++) {
      if (low1[i]! > high1[i]!) {
        throw new SpaceError(
          `Box: every low must be <= high, got low=${formatNumber(low1[i]!, dtype)} > high=${formatNumber(high1[i]!, dtype)} at index ${i}`,
        );
      }
    }
    this.low = low1;
    this.high = high1;
    this.boundedBelow = bb;
    this.boundedAbove = ba;
    if (seed !== undefined) this.seed(seed);
  }

  get isFlattenable(): boolean {
    return true;
  }

  /** Gymnasium's `is_bounded('both' | 'below' | 'above')`. */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    const below = this.boundedBelow.every((b) => b === 1);
    const above = this.boundedAbove.every((b) => b === 1);
    return manner === 'both' ? below && above : manner === 'below' ? below : above;
  }

  sample(options?: SampleOptions<never>): DTypeArrayMap[D] {
    if (options?.mask != null || options?.probability != null) {
      throw new SpaceError(`${this}.sample: Box does not support mask or probability sampling`);
    }
    const rng = this.npRandom;
    const out = allocate(this.dtype, this.size);
    const isInt = !isFloatDType(this.dtype);
    const [dmin, dmax] = dtypeRange(this.dtype);
    for (let i = 0; i < this.size; i++) {
      const bb = this.boundedBelow[i] === 1;
      const ba = this.boundedAbove[i] === 1;
      const lo = this.low[i]!;
      const hi = isInt ? this.high[i]! + 1 : this.high[i]!;
      let v: number;
      if (bb && ba) v = rng.uniform(lo, hi);
      else if (bb) v = lo + rng.exponential();
      else if (ba) v = hi - rng.exponential();
      else v = rng.standardNormal();
      if (isInt) v = Math.min(Math.max(Math.floor(v), dmin), dmax);
      out[i] = v;
    }
    return out;
  }

  /**
   * Typed arrays must have `size` elements of a dtype that casts safely to ours (numpy's
   * `can_cast`, so a Float64Array is not an element of a float32 Box). Numbers and plain arrays
   * (flat, or nested to the shape) are cast to the dtype first; integer dtypes need integers.
   */
  contains(x: unknown): boolean {
    return this.mismatch(x) === null;
  }

  /** Why `x` is not an element, or null when it is. Used for error messages. */
  mismatch(x: unknown): string | null {
    const xd = dtypeOf(x);
    if (xd !== null) {
      const arr = x as ArrayLike<number>;
      if (!canCastSafely(xd, this.dtype)) return `dtype ${xd} cannot be cast safely to ${this.dtype}`;
      if (arr.length !== this.size) return `expected ${this.size} elements, got ${arr.length}`;
      for (let i = 0; i < this.size; i++) {
        const v = arr[i]!;
        if (!(v >= this.low[i]! && v <= this.high[i]!)) return outOfBounds(v, i, this);
      }
      return null;
    }
    const flat = flattenNested(x);
    if (flat === null) return `expected a typed array, number or array of numbers, got ${describeValue(x)}`;
    const shapeOk = shapesEqual(flat.shape, this.shape) || (flat.shape.length <= 1 && flat.values.length === this.size);
    if (!shapeOk) return `shape ${shapeRepr(flat.shape)} does not match ${shapeRepr(this.shape)}`;
    const isInt = !isFloatDType(this.dtype);
    for (let i = 0; i < this.size; i++) {
      const raw = flat.values[i]!;
      if (typeof raw !== 'number') return `element ${i} is not a number`;
      if (isInt && !Number.isInteger(raw)) return `element ${i} (${raw}) is not an integer`;
      if (isInt && (raw < dtypeRange(this.dtype)[0] || raw > dtypeRange(this.dtype)[1])) return `element ${i} (${raw}) overflows ${this.dtype}`;
      const v = castScalar(this.dtype, raw);
      if (!(v >= this.low[i]! && v <= this.high[i]!)) return outOfBounds(raw, i, this);
    }
    return null;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || !shapesEqual(other.shape, this.shape)) return false;
    for (let i = 0; i < this.size; i++) {
      if (other.low[i] !== this.low[i] || other.high[i] !== this.high[i]) return false;
      if (other.boundedBelow[i] !== this.boundedBelow[i] || other.boundedAbove[i] !== this.boundedAbove[i]) return false;
    }
    return true;
  }

  toString(): string {
    return `Box(${boundRepr(this.low, this.shape, this.dtype)}, ${boundRepr(this.high, this.shape, this.dtype)}, ${shapeRepr(this.shape)}, ${this.dtype})`;
  }

  toJSON(): BoxJSON {
    const enc = (arr: ArrayLike<number>, bounded: Uint8Array, inf: 'inf' | '-inf'): JsonBound | JsonBound[] => {
      const vals: JsonBound[] = [];
      for (let i = 0; i < this.size; i++) vals.push(bounded[i] === 1 ? arr[i]! : inf);
      return vals.length > 0 && vals.every((v) => v === vals[0]) ? vals[0]! : vals;
    };
    return {
      type: 'Box',
      low: enc(this.low, this.boundedBelow, '-inf'),
      high: enc(this.high, this.boundedAbove, 'inf'),
      shape: [...this.shape],
      dtype: this.dtype,
    };
  }

  /** Samples → nested lists following the shape (numpy's `tolist`). */
  toJsonable(samples: readonly DTypeArrayMap[D][]): Json {
    return typedSamplesToJsonable(samples, this.shape);
  }

  fromJsonable(json: Json): DTypeArrayMap[D][] {
    return typedSamplesFromJsonable(json, this.dtype, this.size, String(this), 'numbers');
  }
}

function outOfBounds(v: number, i: number, box: Box<DType>): string {
  return `element ${i} = ${Number.isNaN(v) ? 'NaN' : v} is outside [${formatNumber(box.low[i]!, box.dtype)}, ${formatNumber(box.high[i]!, box.dtype)}]`;
}

function boundRepr(arr: ArrayLike<number>, shape: readonly number[], d: DType): string {
  if (arr.length > 0) {
    let same = true;
    for (let i = 1; i < arr.length; i++) if (arr[i] !== arr[0]) same = false;
    if (same) return formatNumber(arr[0]!, d);
  }
  return arrayRepr(arr, shape, d);
}

/** Gymnasium's `_cast_low` / `_cast_high`: checks NaN, dtype range and infinities, then casts. */
function castBound<D extends DType>(
  flat: { values: number[]; shape: number[] },
  isScalar: boolean,
  shape: number[],
  dtype: D,
  which: 'low' | 'high',
): [DTypeArrayMap[D], Uint8Array] {
  const size = shapeSize(shape);
  if (!isScalar && !shapesEqual(flat.shape, shape)) {
    throw new SpaceError(`Box: ${which}.shape ${shapeRepr(flat.shape)} doesn't match shape ${shapeRepr(shape)}`);
  }
  const [dmin, dmax] = dtypeRange(dtype);
  const isFloat = isFloatDType(dtype);
  const signed = dtype === 'int8' || dtype === 'int16' || dtype === 'int32';
  const out = allocate(dtype, size);
  const bounded = new Uint8Array(size);
  const infinite = which === 'low' ? -Infinity : Infinity;
  for (let i = 0; i < size; i++) {
    let v = flat.values[isScalar ? 0 : i]!;
    if (Number.isNaN(v)) throw new SpaceError(`Box: no ${which} value can be NaN`);
    if (v === -infinite) {
      throw new SpaceError(`Box: ${which} cannot be ${which === 'low' ? '+inf' : '-inf'}`);
    }
    bounded[i] = v === infinite ? 0 : 1;
    if (v === infinite) {
      if (!isFloat) {
        if (!signed) throw new SpaceError(`Box: unsigned dtype ${dtype} does not support ${which}=${which === 'low' ? '-inf' : 'inf'}`);
        v = which === 'low' ? dmin : dmax;
      }
    } else if (v < dmin || v > dmax) {
      throw new SpaceError(`Box: ${which} ${v} is out of the ${dtype} range [${dmin}, ${dmax}]`);
    } else if (!isFloat && !Number.isInteger(v)) {
      // numpy would truncate; refusing avoids a silently different bound.
      throw new SpaceError(`Box: ${which} ${v} must be an integer for dtype ${dtype}`);
    }
    out[i] = v;
  }
  return [out, bounded];
}
