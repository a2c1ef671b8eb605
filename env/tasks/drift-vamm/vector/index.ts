export { DriftVammVectorEnv } from './driftVammVectorEnv.js';
export { resolveVectorOptions, VECTOR_SUPPORT, type DriftVammVectorOptions, type ResolvedVectorOptions } from './options.js';
export { UnsupportedVectorOptionError } from '../../../core/vector/errors.js';
export { TERMINATION_REASONS, INFO_NUMBER_KEYS } from './infoColumns.js';
