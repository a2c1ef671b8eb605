/** Shape helpers shared by the array-valued spaces. */
import { SpaceError } from '../errors.js';
import { dtypeOf } from './dtype.js';

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function validateShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SpaceError(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...(shape as number[])];
}

export function shapesEqual(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Flattens a number, a typed array or a (nested) array of numbers into row-major values and the
 * inferred shape. Typed arrays are flat (shape `[length]`). Returns null for ragged arrays or
 * non-numeric leaves.
 */
export function flattenNested(x: unknown): { values: number[]; shape: number[] } | null {
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (dtypeOf(x) !== null) {
    const arr = x as ArrayLike<number>;
    return { values: Array.from(arr), shape: [arr.length] };
  }
  if (!Array.isArray(x)) return null;
  if (x.length === 0) return { values: [], shape: [0] };
  const parts = x.map(flattenNested);
  const first = parts[0];
  if (!first) return null;
  const values: number[] = [];
  for (const p of parts) {
    if (p === null || !shapesEqual(p.shape, first.shape)) return null;
    for (const v of p.values) values.push(v);
  }
  return { values, shape: [x.length, ...first.shape] };
}

/** Row-major values → nested arrays of the given shape (a bare number for shape `[]`). */
export function nestFlat(values: ArrayLike<number>, shape: readonly number[], offset = 0): unknown {
  if (shape.length === 0) return values[offset];
  const stride = shapeSize(shape.slice(1));
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nestFlat(values, shape.slice(1), offset + i * stride));
  return out;
}
