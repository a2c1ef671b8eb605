/**
 * Gymnasium's `spaces.utils`: `flatdim`, `flatten`, `unflatten`, `flattenSpace`. Discrete and
 * MultiDiscrete flatten to one-hot vectors; Tuple and Dict concatenate their parts (in key order)
 * into one typed array of the common dtype (numpy's `result_type`).
 */
import { SpaceError, describeValue } from '../errors.js';
import type { AnySpace, Space } from './space.js';
import { Box } from './box.js';
import { Discrete } from './discrete.js';
import { MultiDiscrete } from './multi-discrete.js';
import { MultiBinary } from './multi-binary.js';
import { Tuple } from './tuple.js';
import { Dict } from './dict.js';
import { type DType, type TypedArray, allocate, resultType } from './dtype.js';
import { flattenNested } from './shape.js';

function unknownSpace(space: unknown, fn: string): never {
  throw new SpaceError(`${fn}: unsupported space ${String(space)}`);
}

function subspaces(space: AnySpace): AnySpace[] | null {
  if (space instanceof Tuple) return [...space.spaces];
  if (space instanceof Dict) return space.keys.map((k) => space.spaces[k]!);
  return null;
}

/** Number of entries of a flattened element of `space`. */
export function flatdim(space: AnySpace): number {
  if (space instanceof Box || space instanceof MultiBinary) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) {
    let total = 0;
    for (let i = 0; i < space.size; i++) total += space.nvec[i]!;
    return total;
  }
  const subs = subspaces(space);
  if (subs) return subs.reduce((a, s) => a + flatdim(s), 0);
  return unknownSpace(space, 'flatdim');
}

/** dtype of `flatten(space, x)`. */
export function flatDType(space: AnySpace): DType {
  const subs = subspaces(space);
  if (subs) {
    if (subs.length === 0) return 'float64';
    return subs.map(flatDType).reduce(resultType);
  }
  if (space.elementDType === null) return unknownSpace(space, 'flatten');
  return space.elementDType;
}

function writeFlat(space: AnySpace, x: unknown, out: TypedArray, offset: number): number {
  if (space instanceof Box || space instanceof MultiBinary) {
    if (ArrayBuffer.isView(x) && (x as unknown as ArrayLike<number>).length === space.size) {
      const arr = x as unknown as ArrayLike<number>;
      for (let i = 0; i < space.size; i++) out[offset + i] = arr[i]!;
      return offset + space.size;
    }
    const flat = flattenNested(x);
    if (flat === null || flat.values.length !== space.size) {
      throw new SpaceError(`flatten: ${describeValue(x)} is not an element of ${space}`);
    }
    for (let i = 0; i < space.size; i++) out[offset + i] = flat.values[i]!;
    return offset + space.size;
  }
  if (space instanceof Discrete) {
    if (!space.contains(x)) throw new SpaceError(`flatten: ${describeValue(x)} is not an element of ${space}`);
    out.fill(0, offset, offset + space.n);
    out[offset + (x as number) - space.start] = 1;
    return offset + space.n;
  }
  if (space instanceof MultiDiscrete) {
    if (!space.contains(x)) throw new SpaceError(`flatten: ${describeValue(x)} is not an element of ${space}`);
    const values = flattenNested(x)!.values;
    for (let i = 0; i < space.size; i++) {
      const n = space.nvec[i]!;
      out.fill(0, offset, offset + n);
      out[offset + values[i]! - space.start[i]!] = 1;
      offset += n;
    }
    return offset;
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(x) || x.length !== space.spaces.length) {
      throw new SpaceError(`flatten: ${describeValue(x)} is not an element of ${space}`);
    }
    const subs: readonly AnySpace[] = space.spaces;
    for (let i = 0; i < subs.length; i++) offset = writeFlat(subs[i]!, x[i], out, offset);
    return offset;
  }
  if (space instanceof Dict) {
    if (x === null || typeof x !== 'object') throw new SpaceError(`flatten: ${describeValue(x)} is not an element of ${space}`);
    for (const k of space.keys) offset = writeFlat(space.spaces[k]!, (x as Record<string, unknown>)[k], out, offset);
    return offset;
  }
  return unknownSpace(space, 'flatten');
}

/** Flattens an element of `space` into a new typed array of length `flatdim(space)`. */
export function flatten(space: AnySpace, x: unknown): TypedArray {
  const out = allocate(flatDType(space), flatdim(space));
  writeFlat(space, x, out, 0);
  return out;
}

/** Like `flatten`, writing into `out` (length `flatdim(space)`) to avoid an allocation per call. */
export function flattenInto(space: AnySpace, x: unknown, out: TypedArray): TypedArray {
  if (out.length !== flatdim(space)) throw new SpaceError(`flattenInto: out has ${out.length} entries, expected ${flatdim(space)}`);
  writeFlat(space, x, out, 0);
  return out;
}

function firstNonzero(x: ArrayLike<number>, from: number, to: number): number {
  for (let i = from; i < to; i++) if (x[i] !== 0) return i - from;
  return -1;
}

function readFlat(space: AnySpace, x: ArrayLike<number>, offset: number): [unknown, number] {
  if (space instanceof Box || space instanceof MultiBinary) {
    const out = allocate(space.dtype, space.size);
    for (let i = 0; i < space.size; i++) out[i] = x[offset + i]!;
    return [out, offset + space.size];
  }
  if (space instanceof Discrete) {
    const i = firstNonzero(x, offset, offset + space.n);
    if (i < 0) throw new SpaceError(`unflatten: no one-hot entry for ${space} at offset ${offset}; not every flat vector unflattens`);
    return [space.start + i, offset + space.n];
  }
  if (space instanceof MultiDiscrete) {
    const out = allocate(space.dtype, space.size);
    for (let j = 0; j < space.size; j++) {
      const n = space.nvec[j]!;
      const i = firstNonzero(x, offset, offset + n);
      if (i < 0) throw new SpaceError(`unflatten: no one-hot entry for element ${j} of ${space}; not every flat vector unflattens`);
      out[j] = space.start[j]! + i;
      offset += n;
    }
    return [out, offset];
  }
  if (space instanceof Tuple) {
    const parts: unknown[] = [];
    for (const s of space.spaces) {
      const [v, next] = readFlat(s, x, offset);
      parts.push(v);
      offset = next;
    }
    return [parts, offset];
  }
  if (space instanceof Dict) {
    const parts: Record<string, unknown> = {};
    for (const k of space.keys) {
      const [v, next] = readFlat(space.spaces[k]!, x, offset);
      parts[k] = v;
      offset = next;
    }
    return [parts, offset];
  }
  return unknownSpace(space, 'unflatten');
}

/** Inverse of `flatten` (Discrete takes the first non-zero entry of its one-hot block). */
export function unflatten<T>(space: Space<T, unknown>, x: ArrayLike<number>): T {
  const n = flatdim(space);
  if (x.length !== n) throw new SpaceError(`unflatten: expected ${n} entries for ${space}, got ${x.length}`);
  return readFlat(space, x, 0)[0] as T;
}

/** Bounds with ±Infinity where unbounded (int Boxes store the dtype limits there). */
function boundsOf(box: Box<DType>): [number[], number[]] {
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < box.size; i++) {
    low.push(box.boundedBelow[i] ? box.low[i]! : -Infinity);
    high.push(box.boundedAbove[i] ? box.high[i]! : Infinity);
  }
  return [low, high];
}

/** The flat Box that `flatten` maps `space` into (exactly `flatdim(space)` entries). */
export function flattenSpace(space: AnySpace): Box<DType> {
  if (space instanceof Box) {
    const [low, high] = boundsOf(space);
    return new Box(low, high, [space.size], space.dtype);
  }
  if (space instanceof Discrete || space instanceof MultiBinary || space instanceof MultiDiscrete) {
    return new Box(0, 1, [flatdim(space)], space.dtype as DType);
  }
  const subs = subspaces(space);
  if (subs) {
    const low: number[] = [];
    const high: number[] = [];
    for (const s of subs) {
      const [l, h] = boundsOf(flattenSpace(s));
      low.push(...l);
      high.push(...h);
    }
    return new Box(low, high, [low.length], flatDType(space));
  }
  return unknownSpace(space, 'flattenSpace');
}
