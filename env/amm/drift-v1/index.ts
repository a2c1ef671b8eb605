/**
 * Drift Protocol v1 virtual AMM ("dAMM"): the exact protocol math in bigint (jan2022 and may2022
 * semantics) and, under `float`, its float64 twin in the same raw units.
 * See docs drift-v1-math.md §1–2 for the formulas and §5 for the test vectors.
 */
export * from './constants.js';
export * from './errors.js';
export * from './protocol.js';
export * from './state.js';
export * from './units.js';
export { isqrt } from './bigmath.js';
export * from './swap.js';
export * from './quoteAsset.js';
export * from './price.js';
export * from './position.js';
export * from './repeg.js';
export * from './updateK.js';
export * from './oracle.js';
export * from './twap.js';
export * from './funding.js';
export * from './fees.js';
export * from './spread.js';
export * from './ammSwap.js';
export * from './positionController.js';
export * from './trade.js';
export * as float from './float/index.js';
export * from './engine.js';
