import { SpaceError, describeValue } from '../errors.js';
import { allocate, type DType, type DTypeArrayMap } from './dtype.js';
import { flattenNested, nestFlat } from './shape.js';
import type { Json } from './space.js';

/** Typed-array samples → nested lists following the shape (numpy's `tolist`), for Box and MultiDiscrete. */
export function typedSamplesToJsonable(samples: readonly ArrayLike<number>[], shape: readonly number[]): Json {
  return samples.map((s) => nestFlat(s, shape) as Json);
}

/** Nested lists → typed-array samples of `size` elements each; `space` and `what` name the expectation in errors. */
export function typedSamplesFromJsonable<D extends DType>(
  json: Json, dtype: D, size: number, space: string, what: 'numbers' | 'integers',
): DTypeArrayMap[D][] {
  if (!Array.isArray(json)) throw new SpaceError(`${space}.fromJsonable: expected an array of samples, got ${describeValue(json)}`);
  return json.map((item, k) => {
    const flat = flattenNested(item);
    if (flat === null || flat.values.length !== size) {
      throw new SpaceError(`${space}.fromJsonable: sample ${k} is not ${size} ${what}: ${describeValue(item)}`);
    }
    const out = allocate(dtype, size);
    for (let i = 0; i < size; i++) out[i] = flat.values[i]!;
    return out;
  });
}
