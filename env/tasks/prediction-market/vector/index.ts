export { PredictionMarketVectorEnv } from './predictionMarketVectorEnv.js';
export { resolveVectorOptions, VECTOR_SUPPORT, MAX_NOISE_MEDIAN_COLLATERAL, type PredictionMarketVectorOptions, type ResolvedVectorOptions } from './options.js';
export { UnsupportedVectorOptionError } from '../../../core/vector/errors.js';
export { INFO_NUMBER_KEYS, FLOW_KEYS, OUTCOMES, ACTION_CODE_RESET, ACTION_CODE_CONTINUOUS } from './infoColumns.js';
