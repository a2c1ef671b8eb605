/**
 * Position updates (protocol-v1 `controller/position.rs` `increase`, `reduce`, `close`): one swap
 * plus the bookkeeping of the user position, the market's net position d, the long/short buckets and
 * open interest. Pure: return new market and position.
 */
import { absBig } from './bigmath.js';
import { swapBaseAsset, swapQuoteAsset } from './ammSwap.js';
import { calculatePnl } from './position.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import type { Market, PositionDirection, UserPosition } from './state.js';
import type { SwapDirection } from './swap.js';

/** Sign-bucket rule of the Rust: the bucket is chosen by the sign of the user's position after the trade. */
function addToBuckets(market: Market, positionAfter: bigint, baseDelta: bigint): Market {
  return positionAfter > 0n
    ? { ...market, baseAssetAmountLong: market.baseAssetAmountLong + baseDelta }
    : { ...market, baseAssetAmountShort: market.baseAssetAmountShort + baseDelta };
}

function quoteSwapDirection(direction: PositionDirection): SwapDirection {
  return direction === 'long' ? 'add' : 'remove';
}

export interface IncreaseResult {
  readonly market: Market;
  readonly position: UserPosition;
  /** Signed, AMM precision. */
  readonly baseAssetAcquired: bigint;
  readonly quoteAssetAmountSurplus: bigint;
}

/** `increase`: open or add `quoteAssetAmount` of notional in `direction`. Zero quote is a no-op. */
export function increasePosition(
  market: Market,
  position: UserPosition,
  direction: PositionDirection,
  quoteAssetAmount: bigint,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  precomputedMarkPriceRaw?: bigint,
): IncreaseResult {
  if (quoteAssetAmount === 0n) {
    return { market, position, baseAssetAcquired: 0n, quoteAssetAmountSurplus: 0n };
  }
  let m = market;
  let pos = position;
  if (pos.baseAssetAmount === 0n) {
    pos = {
      ...pos,
      lastCumulativeFundingRate:
        direction === 'long' ? m.cumulativeFundingRateLong : m.cumulativeFundingRateShort,
    };
    m = { ...m, openInterest: m.openInterest + 1n };
  }
  pos = { ...pos, quoteAssetAmount: pos.quoteAssetAmount + quoteAssetAmount };
  const swap = swapQuoteAsset(m, quoteAssetAmount, quoteSwapDirection(direction), nowTs, protocol, precomputedMarkPriceRaw, true);
  const acquired = swap.baseAssetAmount;
  pos = { ...pos, baseAssetAmount: pos.baseAssetAmount + acquired };
  m = { ...swap.market, baseAssetAmount: swap.market.baseAssetAmount + acquired };
  m = addToBuckets(m, pos.baseAssetAmount, acquired);
  return { market: m, position: pos, baseAssetAcquired: acquired, quoteAssetAmountSurplus: swap.quoteAssetAmountSurplus };
}

export interface ReduceResult {
  readonly market: Market;
  readonly position: UserPosition;
  /** Signed, AMM precision. */
  readonly baseAssetSwapped: bigint;
  /** Realised pnl, QUOTE_PRECISION (no rounding adjustment, as in the Rust). */
  readonly pnl: bigint;
  readonly quoteAssetAmountSurplus: bigint;
}

/**
 * `reduce`: trade `quoteAssetAmount` against an opposite position that is worth more. The entry
 * notional closed is entry·|Δbase|/|base_before| (floor); pnl = quote − closed for a remaining long,
 * closed − quote otherwise.
 */
export function reducePosition(
  market: Market,
  position: UserPosition,
  direction: PositionDirection,
  quoteAssetAmount: bigint,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  precomputedMarkPriceRaw?: bigint,
): ReduceResult {
  const swap = swapQuoteAsset(market, quoteAssetAmount, quoteSwapDirection(direction), nowTs, protocol, precomputedMarkPriceRaw, true);
  const swapped = swap.baseAssetAmount;
  const baseBefore = position.baseAssetAmount;
  const baseAfter = baseBefore + swapped;
  let m: Market = {
    ...swap.market,
    openInterest: swap.market.openInterest - (baseAfter === 0n ? 1n : 0n),
    baseAssetAmount: swap.market.baseAssetAmount + swapped,
  };
  m = addToBuckets(m, baseAfter, swapped);
  const change = absBig(baseBefore - baseAfter);
  const closedEntry = (position.quoteAssetAmount * change) / absBig(baseBefore);
  const pos: UserPosition = {
    ...position,
    baseAssetAmount: baseAfter,
    quoteAssetAmount: position.quoteAssetAmount - closedEntry,
  };
  const pnl = baseAfter > 0n ? quoteAssetAmount - closedEntry : closedEntry - quoteAssetAmount;
  return { market: m, position: pos, baseAssetSwapped: swapped, pnl, quoteAssetAmountSurplus: swap.quoteAssetAmountSurplus };
}

export interface CloseResult {
  readonly market: Market;
  readonly position: UserPosition;
  /** Exit value: received (long) or paid (short), QUOTE_PRECISION. */
  readonly quoteAssetAmount: bigint;
  /** The signed base amount closed. */
  readonly baseAssetAmount: bigint;
  /** calculate_pnl(exit, entry): with jan2022's −1 for shorts. */
  readonly pnl: bigint;
  readonly quoteAssetAmountSurplus: bigint;
}

/** `close`: swap the whole base position back. An empty position is a no-op. */
export function closePositionSwap(
  market: Market,
  position: UserPosition,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  precomputedMarkPriceRaw?: bigint,
): CloseResult {
  const base = position.baseAssetAmount;
  if (base === 0n) {
    return { market, position, quoteAssetAmount: 0n, baseAssetAmount: 0n, pnl: 0n, quoteAssetAmountSurplus: 0n };
  }
  const dir: SwapDirection = base > 0n ? 'add' : 'remove';
  const swap = swapBaseAsset(market, absBig(base), dir, nowTs, protocol, precomputedMarkPriceRaw, true);
  const pnl = calculatePnl(swap.quoteAssetAmount, position.quoteAssetAmount, dir, protocol);
  let m: Market = {
    ...swap.market,
    openInterest: swap.market.openInterest - 1n,
    baseAssetAmount: swap.market.baseAssetAmount - base,
  };
  m = addToBuckets(m, base, -base);
  const pos: UserPosition = {
    baseAssetAmount: 0n,
    quoteAssetAmount: 0n,
    lastCumulativeFundingRate: 0n,
    lastFundingRateTs: 0n,
  };
  return {
    market: m,
    position: pos,
    quoteAssetAmount: swap.quoteAssetAmount,
    baseAssetAmount: base,
    pnl,
    quoteAssetAmountSurplus: swap.quoteAssetAmountSurplus,
  };
}
