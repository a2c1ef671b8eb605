/**
 * Curve StableSwap (amm-curves.md §3): the exact math in bigint with Vyper's uint256 semantics,
 * legacy 3pool (aPrecision 1n) and pool template (A_PRECISION = 100n), and under `float` its
 * float64 twin with the arbitrage search.
 *
 * - `getD`, `getY`, `getYD`: the invariant solvers (pure).
 * - `StableSwapPool`: exchange / get_dy with fee and admin fee, add_liquidity (imbalance fee),
 *   remove_liquidity, remove_liquidity_imbalance, calc_withdraw_one_coin / remove_liquidity_one_coin,
 *   get_virtual_price, ramp_A / stop_ramp_A, commit/apply/revert of fee changes.
 * - `ampAt`, `rampA`, `stopRampA`; `commitNewFee`, `applyNewFee`, `revertNewParameters`: the same
 *   governance rules as pure functions on plain state.
 */
export * from './constants.js';
export * from './errors.js';
export {
  getD, getY, getYD, getDWithIterations, getYWithIterations, getDUnchecked, getYUnchecked, getYDUnchecked, validateBalances,
} from './math.js';
export * from './units.js';
export * from './ramp.js';
export * from './feeAdmin.js';
export {
  StableSwapPool, type StableSwapPoolConfig, type StableSwapPoolState, type StableSwapVariant, type ExchangeResult,
  type LiquidityResult, type WithdrawOneResult,
} from './pool.js';
export * as float from './float/index.js';
