export { G3mVectorEnv } from './g3mVectorEnv.js';
export { resolveG3mVectorOptions, G3M_VECTOR_SUPPORT, type G3mVectorOptions, type ResolvedG3mVectorOptions } from './options.js';
export { G3M_TERMINATION_REASONS, G3M_INFO_NUMBER_KEYS } from './infoColumns.js';
