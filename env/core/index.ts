/** The public core API: Env and wrappers, spaces, RNG, vector envs, registry and checkEnv. */
export {
  Env,
  Wrapper,
  ObservationWrapper,
  ActionWrapper,
  RewardWrapper,
  type Info,
  type ResetArgs,
  type ResetOptions,
  type ResetResult,
  type StepResult,
  type RenderFrame,
  type RgbArray,
  type EnvMetadata,
} from './env.js';
export * as spaces from './spaces/index.js';
export {
  Space,
  Discrete,
  Box,
  MultiDiscrete,
  MultiBinary,
  Tuple,
  Dict,
  flatdim,
  flatten,
  flattenInto,
  unflatten,
  flattenSpace,
  spaceFromJSON,
  type AnySpace,
  type SampleOf,
  type SampleOptions,
  type SpaceJSON,
  type DType,
  type TypedArray,
} from './spaces/index.js';
export { Rng, SeedSequence, npRandom, randomSeed, validateSeed, type RngState, type StreamColumns } from './rng.js';
export {
  DammGymError,
  InvalidSeedError,
  InvalidRngStateError,
  SpaceError,
  InvalidArgumentError,
  InvalidActionError,
  InvalidObservationError,
  ResetNeeded,
  ClosedEnvironmentError,
  InvalidEnvIdError,
  EnvNotFoundError,
  RegistrationError,
  EnvCheckError,
} from './errors.js';
export { warn, setWarningHandler, captureWarnings, type WarningHandler } from './logger.js';
export { assertAction } from './assert-action.js';
export * from './wrappers/index.js';
export { AutoresetMode } from './vector/autoreset-mode.js';
export {
  VectorEnv,
  addVectorInfo,
  type VectorInfo,
  type VectorResetArgs,
  type VectorResetOptions,
  type VectorResetResult,
  type VectorStepResult,
} from './vector/vector-env.js';
export { SyncVectorEnv, type SyncVectorEnvOptions } from './vector/sync-vector-env.js';
export { UnsupportedVectorOptionError } from './vector/errors.js';
export { batchSpace, concatenate, createEmptyArray, iterate, type Batched, type BatchedInput } from './vector/utils.js';
export {
  EnvSpec,
  parseEnvId,
  type EnvSpecInit,
  type EnvCreator,
  type VectorEnvCreator,
  type EnvKwargs,
  type VectorEnvKwargs,
} from './registration/spec.js';
export {
  register,
  make,
  makeVec,
  spec,
  listEnvs,
  unregister,
  registeredSpecs,
  type MakeOptions,
  type MakeVecOptions,
  type MakeVectorOptions,
  type VectorizationMode,
} from './registration/registry.js';
export { checkEnv, dataEquivalence, type CheckEnvOptions } from './checks/check-env.js';
