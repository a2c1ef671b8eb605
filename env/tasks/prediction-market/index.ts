export { PredictionMarketEnv } from './predictionMarketEnv.js';
export {
  resolveOptions as resolvePredictionMarketOptions, PREDICTION_MARKET_DEFAULTS, DEFAULT_LIQUIDITY_LEVELS, DEFAULT_FEE_LEVELS,
  type PredictionMarketOptions, type ResolvedOptions as ResolvedPredictionMarketOptions, type ActionMode as PredictionMarketActionMode,
  type RewardMode as PredictionMarketRewardMode,
} from './options.js';
export { DISCRETE_ACTIONS as PREDICTION_MARKET_ACTIONS, HOLD_ACTION as PREDICTION_MARKET_HOLD_ACTION, actionMeaning as predictionMarketActionMeaning, type DiscreteAction as PredictionMarketAction, type Move } from './actions.js';
export { DEFAULT_TRADERS as PREDICTION_MARKET_TRADERS, resolveTraders, tradeStep, newFlowStats, type TraderConfig, type FlowStats } from './traders.js';
export { BinaryEvent, normalCdf } from './event.js';
export { LpAccount } from './lp.js';
export { PREDICTION_MARKET_SPECS } from './specs.js';
