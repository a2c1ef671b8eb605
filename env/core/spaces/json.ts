/** `spaceFromJSON`: rebuilds a space from `space.toJSON()` (after a JSON round trip or not). */
import { SpaceError, describeValue } from '../errors.js';
import type { AnySpace } from './space.js';
import { Box, type BoundLike } from './box.js';
import { nestFlat } from './shape.js';
import { Discrete } from './discrete.js';
import { MultiDiscrete } from './multi-discrete.js';
import { MultiBinary } from './multi-binary.js';
import { Tuple } from './tuple.js';
import { Dict } from './dict.js';
import { assertDType, isFloatDType, type IntDType } from './dtype.js';
import type { JsonBound, SpaceJSON } from './json-types.js';

function decodeBound(v: unknown, where: string): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'number') return v;
  throw new SpaceError(`spaceFromJSON: ${where} must be a number, 'inf' or '-inf', got ${describeValue(v)}`);
}

function decodeBounds(v: JsonBound | JsonBound[] | undefined, where: string): number | number[] {
  return Array.isArray(v) ? v.map((b, i) => decodeBound(b, `${where}[${i}]`)) : decodeBound(v, where);
}

function intArray(v: unknown, where: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) {
    throw new SpaceError(`spaceFromJSON: ${where} must be an array of integers, got ${describeValue(v)}`);
  }
  return v as number[];
}

/** Rebuilds a space definition; throws `SpaceError` naming the bad field. */
export function spaceFromJSON(json: unknown, path = '$'): AnySpace {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new SpaceError(`spaceFromJSON: ${path} must be an object with a 'type', got ${describeValue(json)}`);
  }
  const j = json as Partial<SpaceJSON> & Record<string, unknown>;
  switch (j.type) {
    case 'Discrete':
      return new Discrete(j.n as number, (j.start as number | undefined) ?? 0);
    case 'Box': {
      const shape = intArray(j.shape, `${path}.shape`);
      const dtype = assertDType(j.dtype, `spaceFromJSON ${path}.dtype`);
      // Per-coordinate bounds are stored flat (row-major); the shape restores the axes.
      const bound = (v: number | number[]): BoundLike => (Array.isArray(v) ? (nestFlat(v, shape) as BoundLike) : v);
      const low = bound(decodeBounds(j.low as JsonBound | JsonBound[], `${path}.low`));
      const high = bound(decodeBounds(j.high as JsonBound | JsonBound[], `${path}.high`));
      return new Box(low, high, shape, dtype);
    }
    case 'MultiDiscrete': {
      const dtype = assertDType(j.dtype ?? 'int32', `spaceFromJSON ${path}.dtype`);
      if (isFloatDType(dtype)) throw new SpaceError(`spaceFromJSON: ${path}.dtype must be an integer dtype, got ${dtype}`);
      const nvec = intArray(j.nvec, `${path}.nvec`);
      const start = j.start === undefined ? nvec.map(() => 0) : intArray(j.start, `${path}.start`);
      const shape = j.shape === undefined ? [nvec.length] : intArray(j.shape, `${path}.shape`);
      return MultiDiscrete.fromFlat(nvec, start, shape, dtype as IntDType);
    }
    case 'MultiBinary': {
      const shape = intArray(j.shape, `${path}.shape`);
      return new MultiBinary(shape.length === 1 ? shape[0]! : shape);
    }
    case 'Tuple': {
      if (!Array.isArray(j.spaces)) throw new SpaceError(`spaceFromJSON: ${path}.spaces must be an array`);
      return new Tuple(j.spaces.map((s, i) => spaceFromJSON(s, `${path}.spaces[${i}]`)));
    }
    case 'Dict': {
      if (!Array.isArray(j.spaces)) throw new SpaceError(`spaceFromJSON: ${path}.spaces must be an array of [key, space] pairs`);
      return Dict.fromEntries(
        j.spaces.map((entry, i) => {
          if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
            throw new SpaceError(`spaceFromJSON: ${path}.spaces[${i}] must be a [key, space] pair, got ${describeValue(entry)}`);
          }
          return [entry[0], spaceFromJSON(entry[1], `${path}.spaces[${i}][1]`)] as const;
        }),
      );
    }
    default:
      throw new SpaceError(
        `spaceFromJSON: unknown space type ${describeValue(j.type)} at ${path}; allowed: Discrete, Box, MultiDiscrete, MultiBinary, Tuple, Dict`,
      );
  }
}
