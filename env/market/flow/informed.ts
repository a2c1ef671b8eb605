/**
 * Informed-trader sizing on the constant-product curve (closed form, raw protocol units).
 *
 * After a quote swap the protocol sets x' = s²/y', so the post-trade mark is
 *   mark(y') = y'·P·1e7/x' = y'²·P·1e7/s²        (price 1e10, peg P 1e3, reserves 1e13)
 * whatever x was before. The quote reserve that puts the mark at a target T is therefore
 *   y* = s·√(T/(P·1e7)),
 * and the quote notional is a = floor(|y* − y|·P/1e10) (QUOTE_PRECISION; floor so the protocol's
 * floor(a·1e10/P) never moves the reserve past y*, i.e. never overshoots).
 *
 * Targets (fee f = 0.1 %): a long is worth it while the marginal price·(1 + f) < oracle and a short
 * while marginal·(1 − f) > oracle. We use the band [O·(1 − f), O/(1 − f)], which is symmetric in
 * log price (|ln(mark/O)| ≤ −ln(1 − f)), contains the "|mark/oracle − 1| ≤ f" band, and at whose
 * edges the marginal trade still earns ≥ 0 net of the fee. Longs push the mark up to O·(1 − f),
 * shorts down to O/(1 − f): the trader captures the gap net of the fee, and the mark ends at the
 * fee-adjusted oracle, not the oracle itself (the gap inside the band is not arbitrageable).
 */
import { markPrice } from '../../amm/drift-v1/float/curve.js';
import type { FloatCurve } from '../../amm/drift-v1/float/state.js';

/** Raw price 1e10 · raw base 1e13 → raw quote 1e6. */
const PRICE_TIMES_BASE_TO_QUOTE = 1e17;

/**
 * Signed quote notional (QUOTE_PRECISION) an informed trader sends against `curve` given the oracle
 * (1e10): > 0 opens a long, < 0 a short, 0 abstains (inside the no-arbitrage band, or the expected
 * profit at the oracle, net of the fee, is below `minProfitQuoteRaw`). |result| ≤ `maxQuoteRaw`.
 */
export function informedQuoteRaw(
  curve: FloatCurve,
  oraclePriceRaw: number,
  feeRate: number,
  maxQuoteRaw: number,
  minProfitQuoteRaw: number,
): number {
  const mark = markPrice(curve);
  const lower = oraclePriceRaw * (1 - feeRate);
  const upper = oraclePriceRaw / (1 - feeRate);
  let long: boolean;
  let target: number;
  if (mark < lower) {
    long = true;
    target = lower;
  } else if (mark > upper) {
    long = false;
    target = upper;
  } else {
    return 0;
  }
  const s = curve.sqrtK;
  const y = curve.quoteAssetReserve;
  const peg = curve.pegMultiplier;
  const yTarget = s * Math.sqrt(target / (peg * 1e7));
  const dy = long ? yTarget - y : y - yTarget;
  if (!(dy > 0)) return 0; // x·y ≠ s² after a k change can put the target on the other side
  let a = Math.floor((dy * peg) / 1e10);
  if (a > maxQuoteRaw) a = Math.floor(maxQuoteRaw);
  if (a <= 0) return 0;
  // expected profit at the oracle, net of the fee on the notional
  const r = (a * 1e10) / peg;
  const y1 = long ? y + r : y - r;
  const dx = Math.abs(curve.baseAssetReserve - (s * s) / y1);
  const baseValue = (dx * oraclePriceRaw) / PRICE_TIMES_BASE_TO_QUOTE;
  const profit = long ? baseValue - a * (1 + feeRate) : a * (1 - feeRate) - baseValue;
  if (!(profit >= minProfitQuoteRaw)) return 0;
  return long ? a : -a;
}
