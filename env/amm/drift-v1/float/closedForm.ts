/**
 * Closed forms of the adjustment costs (drift-v1-math.md §2.6–2.7, §3): v1 SDK `calculateRepegCost`
 * / `calculateAdjustKCost`, driftpy `calculate_k_cost`, and their budget inverses
 * (`calculateBudgetedPeg`, v2 `_calculate_budgeted_k_scale`). Good to ~1e-5 relative against the
 * exact integer path; meant for baselines and features, not replay.
 * Inputs are raw float64 (curve in raw units, d in AMM precision); outputs in QUOTE_PRECISION.
 */
import type { FloatCurve } from './state.js';

const RESERVE = 1e13;
const PEG = 1e3;
const QUOTE = 1e6;

/** (y − y_t)(P' − P)/1e10 with y_t = s²/(x + d): the repeg cost without floors (protocol pays > 0). */
export function repegCostLinear(curve: FloatCurve, netBaseAssetAmount: number, newPegRaw: number): number {
  const yt = (curve.sqrtK * curve.sqrtK) / (curve.baseAssetReserve + netBaseAssetAmount);
  return ((curve.quoteAssetReserve - yt) * (newPegRaw - curve.pegMultiplier)) / 1e10;
}

/** Peg change a budget buys on the linear form: budget·1e10/(y − y_t) (truncate or floor as your rule says). */
export function budgetedPegDelta(curve: FloatCurve, netBaseAssetAmount: number, budgetQuoteRaw: number): number {
  const yt = (curve.sqrtK * curve.sqrtK) / (curve.baseAssetReserve + netBaseAssetAmount);
  return (budgetQuoteRaw * 1e10) / (curve.quoteAssetReserve - yt);
}

/**
 * Ideal k cost for scale p = s_new/s with K = x·y: Q·y·d·(p/(p·x + d) − 1/(x + d)) in natural units
 * (Q = peg in USD), returned in QUOTE_PRECISION. > 0 (protocol pays) for p > 1 whenever d ≠ 0.
 */
export function kCostClosedForm(curve: FloatCurve, netBaseAssetAmount: number, p: number): number {
  const x = curve.baseAssetReserve / RESERVE;
  const y = curve.quoteAssetReserve / RESERVE;
  const d = netBaseAssetAmount / RESERVE;
  const q = curve.pegMultiplier / PEG;
  return q * y * d * (p / (p * x + d) - 1 / (x + d)) * QUOTE;
}

/**
 * Inverse of `kCostClosedForm`: the scale p whose cost equals `budgetQuoteRaw` (> 0 spends on a k
 * increase, < 0 asks for revenue from a decrease). With C = −budget in USD:
 * p = (y·d²·Q − C·d·(x + d)) / (C·x·(x + d) + y·d²·Q).
 */
export function budgetedKScale(curve: FloatCurve, netBaseAssetAmount: number, budgetQuoteRaw: number): number {
  const x = curve.baseAssetReserve / RESERVE;
  const y = curve.quoteAssetReserve / RESERVE;
  const d = netBaseAssetAmount / RESERVE;
  const q = curve.pegMultiplier / PEG;
  const c = -budgetQuoteRaw / QUOTE;
  const yd2q = y * d * d * q;
  return (yd2q - c * d * (x + d)) / (c * x * (x + d) + yd2q);
}
