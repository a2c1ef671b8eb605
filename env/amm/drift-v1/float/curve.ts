/**
 * Float64 twin of the curve math: mark/terminal price, swap output, net position value, repeg and
 * k costs, in the same raw units as the exact bigint code (`../price.ts`, `../swap.ts`,
 * `../position.ts`, `../repeg.ts` `adjust_peg_cost`, `../updateK.ts` `adjust_k_cost`).
 *
 * Every floor of the protocol is applied with Math.floor, so results agree with the exact code up to
 * float rounding: reserves and prices to a relative ~1e-15 (a floor may land one unit lower),
 * quote amounts (V, costs) to ±1 unit plus |dq|·P·2^-52/1e10 — see `index.ts` for the tolerance table.
 */
import { MathError, TradeSizeTooLarge, InvalidUpdateK } from '../errors.js';
import type { FloatProtocol, FloatSemantics } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatCurve } from './state.js';

/** AMM_TIMES_PEG_TO_QUOTE_PRECISION_RATIO, MARK_PRICE_PRECISION, PRICE_TO_PEG_PRECISION_RATIO. */
export const PEG_QUOTE_RATIO = 1e10;
export const MARK_PRECISION = 1e10;
export const PRICE_TO_PEG_RATIO = 1e7;

/** floor(y·P·1e7/x). */
export function calculatePrice(quoteAssetReserve: number, baseAssetReserve: number, pegMultiplier: number): number {
  return Math.floor((quoteAssetReserve * pegMultiplier * PRICE_TO_PEG_RATIO) / baseAssetReserve);
}

export function markPrice(curve: FloatCurve): number {
  return calculatePrice(curve.quoteAssetReserve, curve.baseAssetReserve, curve.pegMultiplier);
}

/** `Remove` guard of `calculate_swap_output`, shared by every float swap. Returns the new input reserve. */
export function checkedNewInput(inputReserve: number, swapAmount: number, add: boolean, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  if (add) return inputReserve + swapAmount;
  if (swapAmount > inputReserve) {
    const msg = `Remove ${swapAmount} exceeds reserve ${inputReserve}`;
    if (fs.removeLargerThanReserveIsTooLarge) throw new TradeSizeTooLarge('calculateSwapOutput', msg);
    throw new MathError('calculateSwapOutput', msg);
  }
  const r = inputReserve - swapAmount;
  if (r === 0) throw new MathError('calculateSwapOutput', 'swap empties the input reserve (division by zero)');
  return r;
}

/** floor(s²/newInputReserve) after moving the input reserve by swapAmount. */
export function swapOutput(
  swapAmount: number,
  inputReserve: number,
  add: boolean,
  sqrtK: number,
  protocol: FloatProtocol,
): number {
  const fs = resolveFloatProtocol(protocol);
  return Math.floor((sqrtK * sqrtK) / checkedNewInput(inputReserve, swapAmount, add, fs));
}

/** y_t = floor(s²/(x + d)). */
export function terminalQuoteReserve(curve: FloatCurve, netBaseAssetAmount: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const d = netBaseAssetAmount;
  const xt = checkedNewInput(curve.baseAssetReserve, d > 0 ? d : -d, d > 0, fs);
  return Math.floor((curve.sqrtK * curve.sqrtK) / xt);
}

export function terminalPrice(curve: FloatCurve, netBaseAssetAmount: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const yt = terminalQuoteReserve(curve, netBaseAssetAmount, fs);
  return calculatePrice(yt, curve.baseAssetReserve + netBaseAssetAmount, curve.pegMultiplier);
}

/**
 * A reserve change below zero by no more than float rounding of the reserves (2^-50 relative) is
 * zero: the exact change is ≥ 0 there, and a tiny |d| (a few raw units against 1e18 reserves) must
 * not crash a rollout. A larger negative change is the exact code's u128 underflow.
 */
export function nonNegativeChange(change: number, reserve: number, what: string): number {
  if (change >= 0) return change;
  if (change >= -reserve * 2 ** -50) return 0;
  throw new MathError(what, `u128 underflow (reserve change ${change})`);
}

/** dq = |y − y_t| (MathError where the exact u128 subtraction would underflow). */
function netQuoteChange(curve: FloatCurve, d: number, fs: FloatSemantics): number {
  const yt = terminalQuoteReserve(curve, d, fs);
  const dq = d > 0 ? curve.quoteAssetReserve - yt : yt - curve.quoteAssetReserve;
  return nonNegativeChange(dq, curve.quoteAssetReserve, 'calculateQuoteAssetAmountSwapped');
}

/**
 * Quote value of a swap's quote-reserve change (`../quoteAsset.ts` `calculateQuoteAssetAmountSwapped`):
 * floor(change·P/1e10), +1 on `Remove` under may2022; dec2021: floor((floor(change/1e7) + [Remove])·P/1e3).
 */
export function reserveChangeToQuote(change: number, pegRaw: number, remove: boolean, fs: FloatSemantics): number {
  if (fs.quoteViaQuotePrecision) return Math.floor(((Math.floor(change / 1e7) + (remove ? 1 : 0)) * pegRaw) / 1e3);
  const q = Math.floor((change * pegRaw) / PEG_QUOTE_RATIO);
  return remove && fs.removeSwapPlusOne ? q + 1 : q;
}

/** V = floor(dq·P/1e10) (+1 for d < 0 under may2022 rounding; dec2021 as `reserveChangeToQuote`); 0 for d = 0. */
export function netUserPositionValue(curve: FloatCurve, netBaseAssetAmount: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const d = netBaseAssetAmount;
  if (d === 0) return 0;
  return reserveChangeToQuote(netQuoteChange(curve, d, fs), curve.pegMultiplier, d < 0, fs);
}

/** Cost (protocol pays > 0) of moving `before` → `after` with net position d, as `../position.ts` `curveChangeCost`. */
export function curveChangeCost(before: FloatCurve, after: FloatCurve, netBaseAssetAmount: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const d = netBaseAssetAmount;
  if (d === 0) return 0;
  const vb = netUserPositionValue(before, d, fs);
  const va = netUserPositionValue(after, d, fs);
  return d > 0 ? va - vb : vb - va - (fs.shortPnlMinusOne ? 1 : 0);
}

/** `adjust_peg_cost`: floor(dq·P'/1e10) − floor(dq·P/1e10), sign by side, jan −1 for shorts. No allocation. */
export function adjustPegCost(curve: FloatCurve, netBaseAssetAmount: number, newPegRaw: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const d = netBaseAssetAmount;
  if (d === 0) return 0;
  const dq = netQuoteChange(curve, d, fs);
  // may2022's +1 is on both values and cancels; dec2021's sits inside the multiplication and does not
  const vb = reserveChangeToQuote(dq, curve.pegMultiplier, d < 0, fs);
  const va = reserveChangeToQuote(dq, newPegRaw, d < 0, fs);
  return d > 0 ? va - vb : vb - va - (fs.shortPnlMinusOne ? 1 : 0);
}

/**
 * New curve after setting sqrt_k, written into `out` (may be `curve` itself). Returns false — and
 * leaves `out` untouched — when the version's k-decrease limit rejects ρ.
 */
export function adjustKCurveInto(curve: FloatCurve, newSqrtK: number, protocol: FloatProtocol, out: FloatCurve): boolean {
  const fs = resolveFloatProtocol(protocol);
  const ratio = Math.floor((newSqrtK * MARK_PRECISION) / curve.sqrtK);
  if (ratio < fs.kMinRatio) return false;
  const x = Math.floor((curve.baseAssetReserve * ratio) / MARK_PRECISION);
  const y = fs.kScaledQuote
    ? Math.floor((curve.quoteAssetReserve * ratio) / MARK_PRECISION)
    : Math.floor((newSqrtK * newSqrtK) / x);
  out.baseAssetReserve = x;
  out.quoteAssetReserve = y;
  out.sqrtK = newSqrtK;
  out.pegMultiplier = curve.pegMultiplier;
  return true;
}

/** `adjust_k_cost`: the new curve and its cost. Throws InvalidUpdateK ('kDecreaseLimit') like the exact code. */
export function adjustKCost(
  curve: FloatCurve,
  netBaseAssetAmount: number,
  newSqrtK: number,
  protocol: FloatProtocol,
): { cost: number; curve: FloatCurve } {
  const fs = resolveFloatProtocol(protocol);
  const out: FloatCurve = { ...curve };
  if (!adjustKCurveInto(curve, newSqrtK, fs, out)) {
    throw new InvalidUpdateK('kDecreaseLimit', `sqrt_k ${curve.sqrtK} → ${newSqrtK} lowers k by more than the version allows`);
  }
  return { cost: curveChangeCost(curve, out, netBaseAssetAmount, fs), curve: out };
}
