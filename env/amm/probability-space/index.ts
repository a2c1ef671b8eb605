/**
 * ProbabilitySpace: a time-dependent AMM for YES/NO shares of a binary event (amm-curves.md §5).
 * Invariant x^k + y^k = 2·s^k with k = 1 − 1/√t, x the YES reserve, y the NO reserve and t the time
 * to expiry normalised to 1. float64, evaluated in the log domain; pure functions (no randomness,
 * no I/O). The root exports it as `probabilitySpace`.
 */
export * from './errors.js';
export * from './types.js';
export { logPowerMean, powerMean, logOtherReserve, logMinReserve, logMove, roomAboveMinimum } from './powerMean.js';
export { exponentAt, invariant, logInvariant, minReserve, minReserveOf, timeDecay, type TimeDecay } from './invariant.js';
export { spotPrice, impliedProbability, reservesAtProbability } from './price.js';
export { POOL_ROUNDING, outGivenIn, inGivenOut, maxOut, swapGivenIn, swapGivenOut } from './swap.js';
export {
  sharesOutGivenCollateralIn, collateralInGivenSharesOut, collateralOutGivenSharesIn, sharesInGivenCollateralOut,
  maxCollateralOut, buyGivenCollateralIn, buyGivenSharesOut, sellGivenSharesIn, sellGivenCollateralOut,
} from './collateral.js';
export { collateralForMarginalCost, optimalBuy, type OptimalBuy } from './arbitrage.js';
export { scaleLiquidity, fundPool, type LiquidityChange } from './liquidity.js';
export { redeem, valueAt } from './resolution.js';
