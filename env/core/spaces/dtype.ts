/**
 * Element types of array-valued spaces, each backed by a JS typed array. 64-bit integer dtypes are
 * left out on purpose: they would need BigInt64Array and BigInt arithmetic on every access; use
 * int32 or float64 instead (integers up to 2^53 are exact in float64).
 */
import { SpaceError } from '../errors.js';

export type FloatDType = 'float32' | 'float64';
export type IntDType = 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32';
export type DType = FloatDType | IntDType;

export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
}

export type TypedArray = DTypeArrayMap[DType];

export type TypedArrayConstructor<D extends DType> = {
  new (length: number): DTypeArrayMap[D];
  new (values: ArrayLike<number>): DTypeArrayMap[D];
  readonly BYTES_PER_ELEMENT: number;
};

const CONSTRUCTORS: { [D in DType]: TypedArrayConstructor<D> } = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

export const DTYPES: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'];

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(CONSTRUCTORS, x);
}

export function assertDType(x: unknown, where: string): DType {
  if (!isDType(x)) {
    throw new SpaceError(`${where}: unsupported dtype ${JSON.stringify(x)}; allowed: ${DTYPES.join(', ')}`);
  }
  return x;
}

export function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

export function typedArrayConstructor<D extends DType>(d: D): TypedArrayConstructor<D> {
  return CONSTRUCTORS[d];
}

export function allocate<D extends DType>(d: D, length: number): DTypeArrayMap[D] {
  return new CONSTRUCTORS[d](length);
}

/** The dtype of a typed array, or null for anything else (Uint8ClampedArray counts as uint8). */
export function dtypeOf(x: unknown): DType | null {
  if (x instanceof Float32Array) return 'float32';
  if (x instanceof Float64Array) return 'float64';
  if (x instanceof Int32Array) return 'int32';
  if (x instanceof Uint8Array || x instanceof Uint8ClampedArray) return 'uint8';
  if (x instanceof Int8Array) return 'int8';
  if (x instanceof Int16Array) return 'int16';
  if (x instanceof Uint16Array) return 'uint16';
  if (x instanceof Uint32Array) return 'uint32';
  return null;
}

const INT_RANGE: { [D in IntDType]: [number, number] } = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

const FLOAT32_MAX = 3.4028234663852886e38;

/** Smallest and largest finite values of a dtype (numpy's iinfo/finfo min and max). */
export function dtypeRange(d: DType): [number, number] {
  if (d === 'float32') return [-FLOAT32_MAX, FLOAT32_MAX];
  if (d === 'float64') return [-Number.MAX_VALUE, Number.MAX_VALUE];
  return INT_RANGE[d];
}

/** numpy's `can_cast(from, to, casting='safe')` restricted to our dtypes. */
export function canCastSafely(from: DType, to: DType): boolean {
  if (from === to) return true;
  if (to === 'float64') return true;
  if (from === 'float64') return false;
  if (to === 'float32') return from === 'int8' || from === 'uint8' || from === 'int16' || from === 'uint16';
  if (from === 'float32') return false;
  const [fLo, fHi] = INT_RANGE[from as IntDType];
  const [tLo, tHi] = INT_RANGE[to as IntDType];
  return fLo >= tLo && fHi <= tHi;
}

/** numpy's `result_type` for two dtypes: the first dtype both cast to safely. */
export function resultType(a: DType, b: DType): DType {
  for (const d of DTYPES) if (canCastSafely(a, d) && canCastSafely(b, d)) return d;
  return 'float64';
}

/** The value a typed array of dtype `d` stores for `v` (float32 rounding; integer wrap). */
export function castScalar(d: DType, v: number): number {
  switch (d) {
    case 'float64':
      return v;
    case 'float32':
      return Math.fround(v);
    default: {
      const tmp = allocate(d, 1);
      tmp[0] = v;
      return tmp[0]!;
    }
  }
}

/** Python-style shape string: `()`, `(2,)`, `(3, 4)`. */
export function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Shortest decimal that round-trips through the dtype, in Python/numpy style (`1.0`, `-inf`). */
export function formatNumber(v: number, d: DType): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (!isFloatDType(d)) return String(v);
  let s = String(v);
  if (d === 'float32') {
    for (let p = 1; p <= 9; p++) {
      const candidate = Number(v.toPrecision(p));
      if (Math.fround(candidate) === v) {
        s = String(candidate);
        break;
      }
    }
  }
  if (s.includes('e')) {
    // Python writes at least two exponent digits: 1e-07, 1e+20.
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (!s.includes('.')) s += '.0';
  return s;
}

/** numpy-style array repr for a flat array with a shape: `[-4.8 -inf 0.41887903 inf]`. */
export function arrayRepr(values: ArrayLike<number>, shape: readonly number[], d: DType): string {
  if (shape.length === 0) return formatNumber(values[0]!, d);
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  const parts: string[] = [];
  for (let i = 0; i < shape[0]!; i++) {
    if (shape.length === 1) parts.push(formatNumber(values[i]!, d));
    else {
      const sub = Array.prototype.slice.call(values, i * stride, (i + 1) * stride) as number[];
      parts.push(arrayRepr(sub, shape.slice(1), d));
    }
  }
  return `[${parts.join(' ')}]`;
}
