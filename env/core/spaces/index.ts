/** Spaces: the sets observations and actions live in (Gymnasium's `gymnasium.spaces`). */
export { Space, type AnySpace, type SampleOf, type SampleOptions, type SpaceSeed, type SeedResult, type Json } from './space.js';
export { Discrete, type DiscreteMask } from './discrete.js';
export { Box, type BoundLike } from './box.js';
export { MultiDiscrete, type MultiDiscreteMask } from './multi-discrete.js';
export { MultiBinary, type MultiBinaryMask } from './multi-binary.js';
export { Tuple, type TupleSample, type TupleMask } from './tuple.js';
export { Dict, type DictSample, type DictMask } from './dict.js';
export { flatdim, flatten, flattenInto, unflatten, flattenSpace, flatDType } from './utils.js';
export { spaceFromJSON } from './json.js';
export type { SpaceJSON, BoxJSON, DiscreteJSON, MultiDiscreteJSON, MultiBinaryJSON, TupleJSON, DictJSON, JsonBound } from './json-types.js';
export {
  type DType,
  type FloatDType,
  type IntDType,
  type TypedArray,
  type DTypeArrayMap,
  DTYPES,
  dtypeOf,
  canCastSafely,
  resultType,
} from './dtype.js';
