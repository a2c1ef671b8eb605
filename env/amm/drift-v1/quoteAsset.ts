/**
 * Quote amount ↔ quote-reserve amount (protocol-v1 `math/quote_asset.rs`) and the quote value of a
 * reserve change (`math/amm.rs` `calculate_quote_asset_amount_swapped`).
 *
 * These are protocol math (they depend on the peg and round the protocol's way), not unit
 * conversions; natural-unit conversions live in `units.ts`.
 */
import { AMM_TIMES_PEG_TO_QUOTE_PRECISION_RATIO, AMM_TO_QUOTE_PRECISION_RATIO, PEG_PRECISION } from './constants.js';
import { divChecked, subU } from './bigmath.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { SwapDirection } from './swap.js';

/** Quote amount (QUOTE_PRECISION) → quote-reserve amount: floor(a·1e10/P) (`asset_to_reserve_amount`). */
export function assetToReserveAmount(quoteAssetAmountRaw: bigint, pegMultiplierRaw: bigint): bigint {
  return divChecked(
    quoteAssetAmountRaw * AMM_TIMES_PEG_TO_QUOTE_PRECISION_RATIO,
    pegMultiplierRaw,
    'assetToReserveAmount',
  );
}

/**
 * A swap's quote amount → quote-reserve amount. 'direct': floor(a·1e10/P) (`asset_to_reserve_amount`);
 * 'viaQuotePrecision' (dec2021 `scale_to_amm_precision` + `unpeg_quote_asset_amount`): the same
 * floor, plus 1 on `Remove` (see `ProtocolSemantics.quoteReserveConversion`).
 */
export function quoteToReserveForSwap(
  quoteAssetAmountRaw: bigint,
  pegMultiplierRaw: bigint,
  direction: SwapDirection,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const reserve = assetToReserveAmount(quoteAssetAmountRaw, pegMultiplierRaw);
  const roundUp = direction === 'remove' && resolveProtocol(protocol).quoteReserveConversion === 'viaQuotePrecision';
  return roundUp ? reserve + 1n : reserve;
}

/** Quote-reserve amount → quote amount (QUOTE_PRECISION): floor(r·P/1e10) (`reserve_to_asset_amount`). */
export function reserveToAssetAmount(quoteAssetReserveRaw: bigint, pegMultiplierRaw: bigint): bigint {
  return (quoteAssetReserveRaw * pegMultiplierRaw) / AMM_TIMES_PEG_TO_QUOTE_PRECISION_RATIO;
}

/**
 * Quote value of a swap's quote-reserve change (`calculate_quote_asset_amount_swapped`).
 * `Add` (base into the pool, a long closing): y_before − y_after. `Remove`: y_after − y_before,
 * plus 1 under 'removeSwapPlusOne' rounding (b9d2211+) so shorts pay the rounding. Under
 * 'viaQuotePrecision' (dec2021 `scale_from_amm_precision` + `peg_quote_asset_amount`):
 * floor((floor(change/1e7) + [Remove])·P/1e3).
 */
export function calculateQuoteAssetAmountSwapped(
  quoteAssetReserveBefore: bigint,
  quoteAssetReserveAfter: bigint,
  direction: SwapDirection,
  pegMultiplierRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const change =
    direction === 'add'
      ? subU(quoteAssetReserveBefore, quoteAssetReserveAfter, 'calculateQuoteAssetAmountSwapped')
      : subU(quoteAssetReserveAfter, quoteAssetReserveBefore, 'calculateQuoteAssetAmountSwapped');
  const sem = resolveProtocol(protocol);
  if (sem.quoteReserveConversion === 'viaQuotePrecision') {
    const quote = change / AMM_TO_QUOTE_PRECISION_RATIO + (direction === 'remove' ? 1n : 0n);
    return (quote * pegMultiplierRaw) / PEG_PRECISION;
  }
  const amount = reserveToAssetAmount(change, pegMultiplierRaw);
  if (direction === 'remove' && sem.shortRounding === 'removeSwapPlusOne') {
    return amount + 1n;
  }
  return amount;
}
