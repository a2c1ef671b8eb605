/**
 * Mark and terminal price (protocol-v1 `math/amm.rs` `calculate_price`, `calculate_terminal_price`).
 */
import { PRICE_TO_PEG_PRECISION_RATIO } from './constants.js';
import { absBig, divChecked } from './bigmath.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import type { Curve } from './state.js';
import { calculateSwapOutput } from './swap.js';

/** floor(y·P·1e7/x), MARK_PRICE_PRECISION (`calculate_price(quote, base, peg)`). */
export function calculatePrice(
  quoteAssetReserve: bigint,
  baseAssetReserve: bigint,
  pegMultiplier: bigint,
): bigint {
  return divChecked(
    quoteAssetReserve * pegMultiplier * PRICE_TO_PEG_PRECISION_RATIO,
    baseAssetReserve,
    'calculatePrice',
  );
}

/** The curve's mark price, MARK_PRICE_PRECISION (`AMM::mark_price`). */
export function markPrice(curve: Curve): bigint {
  return calculatePrice(curve.quoteAssetReserve, curve.baseAssetReserve, curve.pegMultiplier);
}

/** Reserves after every user closes: x_t = x + d, y_t = floor(s²/x_t). */
export interface TerminalReserves {
  readonly baseAssetReserve: bigint;
  readonly quoteAssetReserve: bigint;
}

/**
 * Swap `Add |d|` (d > 0) or `Remove |d|` (d ≤ 0) on the base side. With d = 0 this still returns
 * y_t = floor(s²/x), which differs from y when s² ≠ x·y (as in the Rust).
 */
export function terminalReserves(
  curve: Curve,
  netBaseAssetAmount: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): TerminalReserves {
  const out = calculateSwapOutput(
    absBig(netBaseAssetAmount),
    curve.baseAssetReserve,
    netBaseAssetAmount > 0n ? 'add' : 'remove',
    curve.sqrtK,
    protocol,
  );
  return { baseAssetReserve: out.newInputReserve, quoteAssetReserve: out.newOutputReserve };
}

/** floor(y_t·P·1e7/x_t), MARK_PRICE_PRECISION (`calculate_terminal_price`). */
export function terminalPrice(
  curve: Curve,
  netBaseAssetAmount: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const t = terminalReserves(curve, netBaseAssetAmount, protocol);
  return calculatePrice(t.quoteAssetReserve, t.baseAssetReserve, curve.pegMultiplier);
}
