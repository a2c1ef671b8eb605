/**
 * may2022 static bid/ask spread (protocol-v1 `math/amm.rs` `calculate_spread_reserves`, 8191d87).
 */
import { BID_ASK_SPREAD_PRECISION } from './constants.js';
import { divChecked, subU } from './bigmath.js';
import type { Curve, PositionDirection } from './state.js';

/**
 * Reserves a trade prices against: Δy = floor(y / floor(1e6 / floor(base_spread/4))), y ± Δy
 * (long +, short −), x = floor(s²/y_spread). base_spread 1..3 divides by zero in the Rust (MathError).
 */
export function calculateSpreadReserves(
  curve: Curve,
  baseSpread: bigint,
  direction: PositionDirection,
): { baseAssetReserve: bigint; quoteAssetReserve: bigint } {
  const delta =
    baseSpread > 0n
      ? divChecked(
          curve.quoteAssetReserve,
          divChecked(BID_ASK_SPREAD_PRECISION, baseSpread / 4n, 'calculateSpreadReserves'),
          'calculateSpreadReserves',
        )
      : 0n;
  const quoteAssetReserve =
    direction === 'long'
      ? curve.quoteAssetReserve + delta
      : subU(curve.quoteAssetReserve, delta, 'calculateSpreadReserves');
  const baseAssetReserve = divChecked(curve.sqrtK * curve.sqrtK, quoteAssetReserve, 'calculateSpreadReserves');
  return { baseAssetReserve, quoteAssetReserve };
}
