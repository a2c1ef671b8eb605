export { DriftVammEnv, type TerminationReason } from './driftVammEnv.js';
export { resolveOptions, DEFAULT_ORACLE, type DriftVammOptions, type ResolvedOptions, type ObservationMode, type ActionMode, type RewardMode, type CustomMarket } from './options.js';
export { MARKET_PRESETS, MARKET_SYMBOLS, type MarketPreset } from './presets.js';
export { discreteActions, actionMeaning, oraclePegRaw, budgetedPegRaw, formulaicSqrtK, feePoolFloorRaw, FORMULAIC_K_MAX_MOVE, type DiscreteAction } from './actions.js';
export { CALIBRATED_MARKETS, CALIBRATED_SYMBOLS, calibratedTraderFlow, UncalibratedMarketError, type CalibratedMarket } from './calibration.js';
