export { G3mEnv, G3M_ACTION_MEANINGS, DEPLETED_SHARE } from './g3mEnv.js';
export {
  resolveG3mOptions, DEFAULT_G3M_PRICE, DEFAULT_NOISE_FLOW, DEFAULT_P_GRID, DEFAULT_FEE_GRID,
  type G3mEnvOptions, type ResolvedG3mOptions, type NoiseFlowConfig, type G3mActionMode,
} from './options.js';
export { arbitrage, noiseTrade, poolSpot, poolValue, newTradeTotals, resetTradeTotals, type TwoAssetPool, type TradeTotals } from './trading.js';
export { G3M_SPECS } from './specs.js';
