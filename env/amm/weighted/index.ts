/**
 * Dynamic-weight geometric pools (TFMM / QuantAMM), float64 (amm-curves.md §6; the docs settle on
 * float64 for research, Balancer's fixed-point parity being optional): weighted-pool swaps and
 * prices, optimal arbitrage with a fee, the KL cost of a weight step, interpolation schemes
 * (linear, SLERP in Hellinger coordinates, AM-GM bisection, quantammsim's lin+geo), the exact
 * optimal path, running schedules and the LVR / step-count trade-off. Pure math: no randomness, no I/O.
 */
export {
  invariant, spotPrice, poolValue, outGivenIn, inGivenOut, swapGivenIn, swapGivenOut, balancesForValue,
  type SwapResult,
} from './pool.js';
export {
  klDivergence, klUnchecked, bhattacharyyaAngle, bhattacharyyaCoefficient, normalise, applyWeightGuardRail, guardRailInPlace,
} from './simplex.js';
export {
  slerp, slerpInto, amgmMidpoint, amgmMidpointInto, linearInterpolate, quantammsimInterpolate, amgmPath, isDyadicStepCount,
  interpolationPath, pathStepLosses, pathLoss, interpolationLoss, leadingOrderLoss, INTERPOLATION_SCHEMES, PATH_SCHEMES,
  type InterpolationScheme, type PathScheme,
} from './interpolation.js';
export { optimalInterpolationPath, type OptimalPath, type OptimalPathOptions } from './optimalPath.js';
export {
  WeightedArbitrageur, arbitrageToPrices, weightUpdateReserveRatios, weightUpdateValueRatio, priceMoveReserveRatios,
  type ArbitrageOutcome, type ArbitrageResult,
} from './arbitrage.js';
export {
  lvrRate, lvrRateUnchecked, stepCountTradeOff,
  type StepCountTradeOffOptions, type StepCountCost, type StepCountTradeOff,
} from './lvr.js';
export { WeightSchedule } from './schedule.js';
export { WEIGHT_SUM_TOLERANCE, type NumberVector } from './validate.js';
