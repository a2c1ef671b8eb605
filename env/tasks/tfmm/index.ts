export { TfmmEnv } from './tfmmEnv.js';
export {
  resolveTfmmOptions, DEFAULT_TFMM_PRICE, TARGET_KINDS,
  type TfmmOptions, type ResolvedTfmmOptions, type TargetKind, type TfmmActionMode,
} from './options.js';
export { tfmmDiscreteActions, tfmmActionMeaning, targetWeights, continuousTarget, type TfmmDiscreteAction } from './actions.js';
export { TFMM_SPECS } from './specs.js';
