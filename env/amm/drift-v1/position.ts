/**
 * Position value and pnl (protocol-v1 `math/position.rs` `_calculate_base_asset_value_and_pnl`,
 * `math/pnl.rs` `calculate_pnl`). The value of the market's net user position, V, is what both
 * adjustment costs are built on (drift-v1-math.md §2.5).
 */
import { absBig } from './bigmath.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import { calculateQuoteAssetAmountSwapped } from './quoteAsset.js';
import type { Curve } from './state.js';
import type { SwapDirection } from './swap.js';
import { calculateSwapOutput } from './swap.js';

/** Closing a long adds base to the pool; closing a short (or nothing) removes it. */
export function swapDirectionToClosePosition(baseAssetAmount: bigint): SwapDirection {
  return baseAssetAmount >= 0n ? 'add' : 'remove';
}

/**
 * Long (`Add`): exit − entry. Short (`Remove`): entry − exit, minus 1 under 'shortPnlMinusOne'
 * (jan2022: "so that users who are short dont get an extra +1 pnl from integer division").
 */
export function calculatePnl(
  exitValue: bigint,
  entryValue: bigint,
  swapDirectionToClose: SwapDirection,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  if (swapDirectionToClose === 'add') return exitValue - entryValue;
  const pnl = entryValue - exitValue;
  return resolveProtocol(protocol).shortRounding === 'shortPnlMinusOne' ? pnl - 1n : pnl;
}

export interface BaseAssetValueAndPnl {
  /** Quote the position would get (long) or pay (short) to close now, QUOTE_PRECISION. */
  readonly baseAssetValue: bigint;
  readonly pnl: bigint;
}

/**
 * Value of closing `baseAssetAmount` against the curve, and its pnl against entry notional
 * `quoteAssetAmount`. Zero position → (0, 0).
 */
export function calculateBaseAssetValueAndPnl(
  baseAssetAmount: bigint,
  quoteAssetAmount: bigint,
  curve: Curve,
  protocol: ProtocolVersion | ProtocolSemantics,
): BaseAssetValueAndPnl {
  if (baseAssetAmount === 0n) return { baseAssetValue: 0n, pnl: 0n };
  const dir = swapDirectionToClosePosition(baseAssetAmount);
  const out = calculateSwapOutput(
    absBig(baseAssetAmount),
    curve.baseAssetReserve,
    dir,
    curve.sqrtK,
    protocol,
  );
  const baseAssetValue = calculateQuoteAssetAmountSwapped(
    curve.quoteAssetReserve,
    out.newOutputReserve,
    dir,
    curve.pegMultiplier,
    protocol,
  );
  return { baseAssetValue, pnl: calculatePnl(baseAssetValue, quoteAssetAmount, dir, protocol) };
}

/**
 * V = floor(|y − y_t|·P/1e10) (+1 for d < 0 under 'removeSwapPlusOne'; dec2021:
 * floor((floor(|y − y_t|/1e7) + [d < 0])·P/1e3)), QUOTE_PRECISION: the value of the net user
 * position d if every user closed now.
 */
export function netUserPositionValue(
  curve: Curve,
  netBaseAssetAmount: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  return calculateBaseAssetValueAndPnl(netBaseAssetAmount, 0n, curve, protocol).baseAssetValue;
}

/**
 * Cost of moving the curve from `before` to `after` with net position d, the way the program
 * computes it: the market is one fictitious user holding d with entry value V(before); the cost is
 * that user's pnl at `after`. Positive = users gain = the protocol (fee pool) pays.
 */
export function curveChangeCost(
  before: Curve,
  after: Curve,
  netBaseAssetAmount: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const valueBefore = netUserPositionValue(before, netBaseAssetAmount, protocol);
  return calculateBaseAssetValueAndPnl(netBaseAssetAmount, valueBefore, after, protocol).pnl;
}
