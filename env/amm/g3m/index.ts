/**
 * G3M: Generalized Mean Market Makers (Zanger, arXiv 2208.07305; amm-curves.md §4), float64.
 *
 * - `powerMean` / `logPowerMean`: Φ_p(x) = (Σ w x^p)^(1/p), the geometric mean at p = 0, stable for small p.
 * - Pool API (`G3mPool`: reserves, weights, p ∈ [0, 1], fee on input): `invariant`, `spotPrice`,
 *   `outGivenIn`, `inGivenOut`, `swapGivenIn`, `swapGivenOut`, `maxAmountIn` (largest admissible
 *   trade), `amountInToSpot` (the arbitrage trade to a price), slippage (`relativeSlippage`,
 *   `absoluteSlippage`, `sokSlippage`).
 * - `*Kernel`: the same math on scalars without checks, for inner loops.
 * - Gf3M (`Gf3mPool` with a `MeanGenerator` f): `quasiArithmeticMean`, `gfOutGivenIn`,
 *   `gfInGivenOut`, `gfSpotPrice`, `gfMaxAmountIn`; generators `powerGenerator(p)` and
 *   `shiftedLogGenerator(c)`, or any f (numeric inverse and derivative when not supplied).
 *
 * Pure math: no randomness, no I/O.
 */
export { G3mParameterError, InadmissibleTradeError, UnreachablePriceError } from './errors.js';
export { WEIGHT_SUM_TOLERANCE } from './validate.js';
export {
  SERIES_P, counterLogMove, outGivenInKernel, inGivenOutKernel, maxInKernel, spotPriceKernel, inToSpotKernel,
} from './kernel.js';
export { powerMean, logPowerMean, geometricMean } from './powerMean.js';
export {
  checkPool, invariant, spotPrice, maxAmountIn, outGivenIn, inGivenOut, swapGivenIn, swapGivenOut, amountInToSpot,
  type G3mPool, type SwapResult,
} from './pool.js';
export { relativeSlippage, absoluteSlippage, sokSlippage } from './slippage.js';
export {
  quasiArithmeticMean, gfSpotPrice, gfMaxAmountIn, gfOutGivenIn, gfInGivenOut, powerGenerator, shiftedLogGenerator,
  invertMonotone, monotoneDirection, type MeanGenerator, type Gf3mPool,
} from './gf3m.js';
