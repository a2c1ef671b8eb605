/**
 * JSON forms of space definitions. Infinite bounds are written as the strings 'inf' / '-inf'
 * because JSON has no infinity (JSON.stringify would turn it into null).
 */
import type { DType, IntDType } from './dtype.js';

export type JsonBound = number | 'inf' | '-inf';

export interface DiscreteJSON {
  type: 'Discrete';
  n: number;
  start: number;
}

export interface BoxJSON {
  type: 'Box';
  /** One value for all coordinates, or one per coordinate (flat, row-major). */
  low: JsonBound | JsonBound[];
  high: JsonBound | JsonBound[];
  shape: number[];
  dtype: DType;
}

export interface MultiDiscreteJSON {
  type: 'MultiDiscrete';
  /** Flat, row-major; `shape` gives the axes. */
  nvec: number[];
  start: number[];
  shape: number[];
  dtype: IntDType;
}

export interface MultiBinaryJSON {
  type: 'MultiBinary';
  shape: number[];
}

export interface TupleJSON {
  type: 'Tuple';
  spaces: SpaceJSON[];
}

export interface DictJSON {
  type: 'Dict';
  /** Entries in the space's key order. */
  spaces: [string, SpaceJSON][];
}

export type SpaceJSON = DiscreteJSON | BoxJSON | MultiDiscreteJSON | MultiBinaryJSON | TupleJSON | DictJSON;
