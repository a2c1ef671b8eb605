/**
 * Batching helpers (Gymnasium's `gymnasium.vector.utils`): `batchSpace` builds the space of n
 * stacked elements, `createEmptyArray` allocates it, `concatenate` writes n elements into it and
 * `iterate` splits a batch back into n elements.
 *
 * Layout: Box/MultiDiscrete/MultiBinary batches are one flat typed array of n × size entries
 * (row-major, sub-env first); Discrete batches are an Int32Array of n values; Tuple batches are an
 * array of per-subspace batches; Dict batches an object of per-key batches.
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import type { AnySpace } from '../spaces/space.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import { MultiBinary } from '../spaces/multi-binary.js';
import { Tuple } from '../spaces/tuple.js';
import { Dict } from '../spaces/dict.js';
import { type DType, type TypedArray, allocate, dtypeOf } from '../spaces/dtype.js';
import { flattenNested, nestFlat } from '../spaces/shape.js';

/** The batched form of an element type T (what a vector env returns). */
export type Batched<T> = T extends number
  ? Int32Array
  : T extends TypedArray
    ? T
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Batched<T[K]> }
      : T extends Record<string, unknown>
        ? { [K in keyof T]: Batched<T[K]> }
        : unknown[];

/** What a vector env accepts as batched actions: any numeric array-likes in the batched layout. */
export type BatchedInput<T> = T extends number
  ? ArrayLike<number>
  : T extends TypedArray
    ? ArrayLike<number> | readonly ArrayLike<number>[]
    : T extends readonly unknown[]
      ? { readonly [K in keyof T]: BatchedInput<T[K]> }
      : T extends Record<string, unknown>
        ? { readonly [K in keyof T]: BatchedInput<T[K]> }
        : readonly unknown[];

function unsupported(space: AnySpace, fn: string): never {
  throw new InvalidArgumentError(`${fn}: cannot batch space ${space.toString()}`);
}

function tile(values: ArrayLike<number>, bounded: Uint8Array | null, inf: number, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) for (let i = 0; i < values.length; i++) out.push(bounded && !bounded[i] ? inf : values[i]!);
  return out;
}

/** The space of `n` stacked elements of `space`. */
export function batchSpace(space: AnySpace, n: number): AnySpace {
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`batchSpace: n must be a positive integer, got ${describeValue(n)}`);
  if (space instanceof Box) {
    const shape = [n, ...space.shape];
    const low = nestFlat(tile(space.low, space.boundedBelow, -Infinity, n), shape) as unknown[];
    const high = nestFlat(tile(space.high, space.boundedAbove, Infinity, n), shape) as unknown[];
    return new Box(low, high, shape, space.dtype as DType);
  }
  if (space instanceof Discrete) {
    return new MultiDiscrete(new Array(n).fill(space.n), new Array(n).fill(space.start), 'int32');
  }
  if (space instanceof MultiDiscrete) {
    const shape = [n, ...space.shape];
    return MultiDiscrete.fromFlat(tile(space.nvec, null, 0, n), tile(space.start, null, 0, n), shape, space.dtype);
  }
  if (space instanceof MultiBinary) return new MultiBinary([n, ...space.shape]);
  if (space instanceof Tuple) return new Tuple(space.spaces.map((s: AnySpace) => batchSpace(s, n)));
  if (space instanceof Dict) {
    return Dict.fromEntries(space.keys.map((k) => [k, batchSpace(space.spaces[k]!, n)] as const));
  }
  return unsupported(space, 'batchSpace');
}

function elementSize(space: AnySpace): number {
  return (space as Box<DType> | MultiDiscrete | MultiBinary).size;
}

/** Zero-filled storage for `n` elements of `space` (the layout described above). */
export function createEmptyArray(space: AnySpace, n: number): unknown {
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    return allocate(space.dtype as DType, n * elementSize(space));
  }
  if (space instanceof Discrete) return new Int32Array(n);
  if (space instanceof Tuple) return space.spaces.map((s: AnySpace) => createEmptyArray(s, n));
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = createEmptyArray(space.spaces[k]!, n);
    return out;
  }
  return unsupported(space, 'createEmptyArray');
}

/** Writes `items[i]` into slot i of `out` (from `createEmptyArray(space, items.length)`); returns out. */
export function concatenate<T>(space: AnySpace, items: readonly unknown[], out: T): T {
  const n = items.length;
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const size = elementSize(space);
    const dst = out as unknown as TypedArray;
    for (let i = 0; i < n; i++) {
      const item = items[i];
      if (ArrayBuffer.isView(item) && (item as unknown as ArrayLike<number>).length === size) {
        const src = item as unknown as ArrayLike<number>;
        for (let j = 0; j < size; j++) dst[i * size + j] = src[j]!;
      } else {
        const flat = flattenNested(item);
        if (flat === null || flat.values.length !== size) {
          throw new InvalidArgumentError(`concatenate: sub-env ${i} gave ${describeValue(item)}, not an element of ${space}`);
        }
        for (let j = 0; j < size; j++) dst[i * size + j] = flat.values[j]!;
      }
    }
    return out;
  }
  if (space instanceof Discrete) {
    const dst = out as unknown as Int32Array;
    for (let i = 0; i < n; i++) dst[i] = items[i] as number;
    return out;
  }
  if (space instanceof Tuple) {
    const parts = out as unknown as unknown[];
    space.spaces.forEach((s: AnySpace, j: number) => concatenate(s, items.map((x) => (x as unknown[])[j]), parts[j]));
    return out;
  }
  if (space instanceof Dict) {
    const parts = out as unknown as Record<string, unknown>;
    for (const k of space.keys) concatenate(space.spaces[k]!, items.map((x) => (x as Record<string, unknown>)[k]), parts[k]);
    return out;
  }
  return unsupported(space, 'concatenate');
}

/** A deep copy of a batch (typed arrays copied, containers rebuilt). */
export function copyBatch<T>(batch: T): T {
  if (ArrayBuffer.isView(batch)) return (batch as unknown as TypedArray).slice() as unknown as T;
  if (Array.isArray(batch)) return batch.map(copyBatch) as unknown as T;
  if (batch !== null && typeof batch === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(batch)) out[k] = copyBatch((batch as Record<string, unknown>)[k]);
    return out as T;
  }
  return batch;
}

/**
 * Splits a batch into `n` elements of `space`. Array-valued spaces accept either one flat
 * array-like of n × size numbers or n per-sub-env array-likes; typed arrays of the space's dtype
 * are split into views (no copy), anything else is copied into the dtype.
 */
export function iterate(space: AnySpace, batch: unknown, n: number): unknown[] {
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const size = elementSize(space);
    const d = space.dtype as DType;
    if (Array.isArray(batch) && batch.length === n && batch.every((b) => typeof b === 'object' && b !== null)) {
      return batch;
    }
    const arr = batch as ArrayLike<number>;
    if (arr === null || typeof arr !== 'object' || arr.length !== n * size) {
      throw new InvalidArgumentError(
        `iterate: expected ${n} × ${size} = ${n * size} numbers (or ${n} arrays) for ${n} sub-envs of ${space}, got ${describeValue(batch)}`,
      );
    }
    const out: unknown[] = [];
    const typed = dtypeOf(batch) === d ? (batch as TypedArray) : null;
    for (let i = 0; i < n; i++) {
      if (typed) out.push(typed.subarray(i * size, (i + 1) * size));
      else {
        const el = allocate(d, size);
        for (let j = 0; j < size; j++) el[j] = arr[i * size + j]!;
        out.push(el);
      }
    }
    return out;
  }
  if (space instanceof Discrete) {
    const arr = batch as ArrayLike<unknown>;
    if (arr === null || typeof arr !== 'object' || arr.length !== n) {
      throw new InvalidArgumentError(`iterate: expected ${n} actions for ${n} sub-envs of ${space}, got ${describeValue(batch)}`);
    }
    return Array.from(arr);
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(batch) || batch.length !== space.spaces.length) {
      throw new InvalidArgumentError(`iterate: expected ${space.spaces.length} per-subspace batches for ${space}, got ${describeValue(batch)}`);
    }
    const parts = space.spaces.map((s: AnySpace, j: number) => iterate(s, batch[j], n));
    return Array.from({ length: n }, (_, i) => parts.map((p: unknown[]) => p[i]));
  }
  if (space instanceof Dict) {
    if (batch === null || typeof batch !== 'object') {
      throw new InvalidArgumentError(`iterate: expected an object of per-key batches for ${space}, got ${describeValue(batch)}`);
    }
    const parts: Record<string, unknown[]> = {};
    for (const k of space.keys) parts[k] = iterate(space.spaces[k]!, (batch as Record<string, unknown>)[k], n);
    return Array.from({ length: n }, (_, i) => {
      const el: Record<string, unknown> = {};
      for (const k of space.keys) el[k] = parts[k]![i];
      return el;
    });
  }
  return unsupported(space, 'iterate');
}
