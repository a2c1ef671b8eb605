/**
 * k change: new reserves and cost (protocol-v1 `math/amm.rs` `adjust_k_cost`) and the guarded admin
 * instruction (`lib.rs` `update_k`). drift-v1-math.md §2.7.
 */
import { MARK_PRICE_PRECISION } from './constants.js';
import { absBig, divChecked, isqrt, subU } from './bigmath.js';
import { InvalidUpdateK, MathError } from './errors.js';
import { curveChangeCost } from './position.js';
import { markPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { AdjustmentResult } from './repeg.js';
import type { Curve, Market } from './state.js';

/** ρ = floor(s_new·1e10/s): the ratio both reserves are scaled by, truncated at 1e-10. */
export function sqrtKRatio(sqrtK: bigint, newSqrtK: bigint): bigint {
  return divChecked(newSqrtK * MARK_PRICE_PRECISION, sqrtK, 'sqrtKRatio');
}

/**
 * The curve after setting sqrt_k to `newSqrtK` (peg unchanged):
 *   x' = floor(x·ρ/1e10); y' = floor(y·ρ/1e10) ('scaled', jan2022) or floor(s_new²/x') ('invariant',
 *   may2022); s ← newSqrtK exactly. Throws InvalidUpdateK ('kDecreaseLimit') when the version limits
 *   decreases and ρ < 0.975e10.
 */
export function adjustKCurve(
  curve: Curve,
  newSqrtK: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): Curve {
  const sem = resolveProtocol(protocol);
  if (newSqrtK < 0n) throw new MathError('adjustKCurve', `sqrt_k ${newSqrtK} is not a u128`);
  const ratio = sqrtKRatio(curve.sqrtK, newSqrtK);
  const limit = sem.kDecreaseMinRatio;
  if (limit !== null) {
    const minRatio = (MARK_PRICE_PRECISION * limit.numerator) / limit.denominator;
    if (ratio < minRatio) {
      throw new InvalidUpdateK(
        'kDecreaseLimit',
        `sqrt_k ratio ${ratio} (s ${curve.sqrtK} → ${newSqrtK}) is below the allowed ${minRatio} per 1e10`,
      );
    }
  }
  const baseAssetReserve = (curve.baseAssetReserve * ratio) / MARK_PRICE_PRECISION;
  const quoteAssetReserve =
    sem.kQuoteReserveUpdate === 'scaled'
      ? (curve.quoteAssetReserve * ratio) / MARK_PRICE_PRECISION
      : divChecked(newSqrtK * newSqrtK, baseAssetReserve, 'adjustKCurve.invariant');
  return { baseAssetReserve, quoteAssetReserve, sqrtK: newSqrtK, pegMultiplier: curve.pegMultiplier };
}

/**
 * Cost of setting sqrt_k to `newSqrtK` with net user position d, and the new curve.
 * Positive = the protocol pays. Raising k costs whenever d ≠ 0; lowering it earns.
 */
export function adjustKCost(
  curve: Curve,
  netBaseAssetAmount: bigint,
  newSqrtK: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): { cost: bigint; curve: Curve } {
  const sem = resolveProtocol(protocol);
  const newCurve = adjustKCurve(curve, newSqrtK, sem);
  return { cost: curveChangeCost(curve, newCurve, netBaseAssetAmount, sem), curve: newCurve };
}

/**
 * `update_k`, with every guard in program order:
 *  1. (may2022) ρ ≥ 0.975e10, else InvalidUpdateK ('kDecreaseLimit');
 *  2. cost > 0: cost ≤ tfmd − total_fee_withdrawn (MathError if withdrawn > tfmd), else
 *     InvalidUpdateK ('budget'); tfmd −= cost. cost ≤ 0: tfmd += |cost|. No 50 % tranche for k;
 *  3. |mark_before − mark_after| ≤ UPDATE_K_ALLOWED_PRICE_CHANGE, else InvalidUpdateK ('priceChange');
 *  4. (may2022) |isqrt(x'·y') − s_new| ≤ 100, else InvalidUpdateK ('kErr').
 */
export function updateK(
  market: Market,
  newSqrtK: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): AdjustmentResult {
  const sem = resolveProtocol(protocol);
  const priceBefore = markPrice(market.curve);
  const { cost, curve } = adjustKCost(market.curve, market.baseAssetAmount, newSqrtK, sem);

  let tfmd = market.totalFeeMinusDistributions;
  if (cost > 0n) {
    const maxCost = subU(tfmd, market.totalFeeWithdrawn, 'updateK.budget');
    if (cost > maxCost) {
      throw new InvalidUpdateK(
        'budget',
        `cost ${cost} exceeds tfmd − total_fee_withdrawn = ${tfmd} − ${market.totalFeeWithdrawn} = ${maxCost}`,
      );
    }
    tfmd -= cost;
  } else {
    tfmd += -cost;
  }

  const priceAfter = markPrice(curve);
  const priceChange = absBig(priceBefore - priceAfter);
  if (priceChange > sem.updateKAllowedPriceChangeRaw) {
    throw new InvalidUpdateK(
      'priceChange',
      `mark moves ${priceBefore} → ${priceAfter} (|Δ| ${priceChange}), allowed ${sem.updateKAllowedPriceChangeRaw}`,
    );
  }

  if (sem.kErrMax !== null) {
    const kErr = isqrt(curve.baseAssetReserve * curve.quoteAssetReserve) - curve.sqrtK;
    if (absBig(kErr) > sem.kErrMax) {
      throw new InvalidUpdateK(
        'kErr',
        `isqrt(x'·y') − sqrt_k = ${kErr}, allowed ±${sem.kErrMax} (x' ${curve.baseAssetReserve}, y' ${curve.quoteAssetReserve}, s ${curve.sqrtK})`,
      );
    }
  }
  return { market: { ...market, curve, totalFeeMinusDistributions: tfmd }, cost };
}
