export { StableSwapEnv } from './stableswapEnv.js';
export { resolveStableSwapOptions, type StableSwapEnvOptions, type ResolvedStableSwapOptions, type StableSwapActionMode } from './options.js';
export { DISCRETE_ACTIONS as STABLESWAP_ACTIONS, actionMeaning as stableswapActionMeaning, type StableSwapAction } from './actions.js';
export { DepegPriceProcess, DEPEG_PRICE_DEFAULTS, type DepegPriceConfig } from './depegPrice.js';
export { NoiseTraders, NOISE_TRADER_DEFAULTS, newNoiseStepStats, type NoiseTraderConfig, type NoiseStepStats } from './noiseTraders.js';
export { STABLESWAP_SPECS } from './specs.js';
export { runParameterGrid, type ParameterGridConfig, type ParameterGridResult, type GridCell } from './grid.js';
