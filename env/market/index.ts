/**
 * env/market: oracle price processes and trader flow for the dAMM MDP.
 *
 * - Price processes (`PriceProcess`): `GeometricBrownianMotion`, `MertonJumpDiffusion`, `ReplayPrice`,
 *   and `makePriceProcess` from a JSON config `{ kind: 'gbm' | 'merton' | 'replay', … }`.
 * - Trader flow (`TraderFlow`): Poisson arrivals of informed traders (arbitrage the mark toward the
 *   fee-adjusted oracle) and uninformed ones (50/50, lognormal size), geometric holding times, and a
 *   volume model that makes arrivals respond to liquidity (k). Runs on the Drift v1 float twin.
 *
 * Every random draw comes from the `Rng` passed in; there is no I/O. Imports only env/core and
 * env/amm/drift-v1.
 */
export { MarketConfigError, ReplayExhaustedError } from './errors.js';
export { SECONDS_PER_YEAR, type PriceProcess } from './price/process.js';
export { GeometricBrownianMotion, type GbmOptions } from './price/gbm.js';
export { MertonJumpDiffusion, type MertonOptions } from './price/merton.js';
export { ReplayPrice, type ReplayOptions } from './price/replay.js';
export { HeldSeriesPrice } from './price/held.js';
export {
  makePriceProcess,
  PRICE_PROCESS_KINDS,
  type PriceProcessConfig,
  type GbmConfig,
  type MertonConfig,
  type ReplayConfig,
} from './price/config.js';
export {
  DEFAULT_TRADER_FLOW_CONFIG,
  DEFAULT_VOLUME_MODEL,
  DEFAULT_LINEAR_VOLUME_MODEL,
  VOLUME_MODEL_KINDS,
  resolveTraderFlowConfig,
  type TraderFlowConfig,
  type VolumeModelConfig,
} from './flow/config.js';
export { newFlowStepStats, type FlowStepStats } from './flow/stats.js';
export { informedQuoteRaw } from './flow/informed.js';
export { PositionBook } from './flow/book.js';
export { TraderFlow } from './flow/trader-flow.js';
