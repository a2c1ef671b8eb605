/**
 * Swaps against the market's curve with their side effects (protocol-v1 `controller/amm.rs`
 * `swap_quote_asset`, `swap_base_asset`, with may2022's spread variants): the mark TWAP is updated
 * first with the pre-trade mark, then the reserves move.
 */
import { absBig, subU } from './bigmath.js';
import { TradeSizeTooSmall } from './errors.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import { calculateQuoteAssetAmountSwapped, quoteToReserveForSwap, reserveToAssetAmount } from './quoteAsset.js';
import { calculateSpreadReserves } from './spread.js';
import type { Curve, Market } from './state.js';
import type { SwapDirection } from './swap.js';
import { calculateSwapOutput } from './swap.js';
import { updateMarkTwap } from './twap.js';

export interface QuoteSwapResult {
  readonly market: Market;
  /** x_before − x_after (long > 0, short < 0), AMM precision; with spread, the spread-priced amount. */
  readonly baseAssetAmount: bigint;
  /** may2022 spread surplus booked to the market, QUOTE_PRECISION. */
  readonly quoteAssetAmountSurplus: bigint;
}

export interface BaseSwapResult {
  readonly market: Market;
  /** Quote received (Add) or paid (Remove), QUOTE_PRECISION. */
  readonly quoteAssetAmount: bigint;
  readonly quoteAssetAmountSurplus: bigint;
}

function withReserves(market: Market, baseAssetReserve: bigint, quoteAssetReserve: bigint): Market {
  const curve: Curve = { ...market.curve, baseAssetReserve, quoteAssetReserve };
  return { ...market, curve };
}

/** `calculate_quote_asset_amount_surplus`: |reserveToAsset(change)(+1 if roundDown) − initial|. */
function quoteAssetAmountSurplus(
  reserveBefore: bigint,
  reserveAfter: bigint,
  direction: SwapDirection,
  pegMultiplier: bigint,
  initialQuoteAssetAmount: bigint,
  roundDown: boolean,
): bigint {
  const change =
    direction === 'add'
      ? subU(reserveBefore, reserveAfter, 'quoteAssetAmountSurplus')
      : subU(reserveAfter, reserveBefore, 'quoteAssetAmountSurplus');
  let actual = reserveToAssetAmount(change, pegMultiplier);
  if (roundDown) actual += 1n;
  return absBig(actual - initialQuoteAssetAmount);
}

/**
 * `swap_quote_asset`: a long is `Add` on the quote side, a short `Remove`. Rejects a quote-reserve
 * amount floor(a·1e10/P) below the market's minimum (TradeSizeTooSmall 'minimumTradeSize').
 * With the spread on (may2022, `useSpread`, base_spread > 0) the base amount is priced on the spread
 * reserves while the stored reserves move as if there were no spread.
 */
export function swapQuoteAsset(
  market: Market,
  quoteAssetAmount: bigint,
  direction: SwapDirection,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  precomputedMarkPriceRaw?: bigint,
  useSpread = true,
): QuoteSwapResult {
  const sem = resolveProtocol(protocol);
  const m = updateMarkTwap(market, nowTs, precomputedMarkPriceRaw);
  const c = m.curve;
  const reserveAmount = quoteToReserveForSwap(quoteAssetAmount, c.pegMultiplier, direction, sem);
  if (reserveAmount < m.minimumQuoteAssetTradeSize) {
    throw new TradeSizeTooSmall(
      'minimumTradeSize',
      `quote ${quoteAssetAmount} is ${reserveAmount} quote-reserve units, below ${sem.minimumTradeSizeField} ${m.minimumQuoteAssetTradeSize}`,
    );
  }
  const plain = calculateSwapOutput(reserveAmount, c.quoteAssetReserve, direction, c.sqrtK, sem);
  const newBase = plain.newOutputReserve;
  const newQuote = plain.newInputReserve;
  if (!(sem.spreadEnabled && useSpread && m.baseSpread > 0n)) {
    return {
      market: withReserves(m, newBase, newQuote),
      baseAssetAmount: c.baseAssetReserve - newBase,
      quoteAssetAmountSurplus: 0n,
    };
  }
  const spread = calculateSpreadReserves(c, m.baseSpread, direction === 'add' ? 'long' : 'short');
  const spreadOut = calculateSwapOutput(reserveAmount, spread.quoteAssetReserve, direction, c.sqrtK, sem);
  const baseWithSpread = spread.baseAssetReserve - spreadOut.newOutputReserve;
  const ifClosed = calculateSwapOutput(absBig(baseWithSpread), newBase, direction, c.sqrtK, sem);
  const surplus = quoteAssetAmountSurplus(
    newQuote,
    ifClosed.newOutputReserve,
    direction,
    c.pegMultiplier,
    quoteAssetAmount,
    false,
  );
  return {
    market: withReserves(m, newBase, newQuote),
    baseAssetAmount: baseWithSpread,
    quoteAssetAmountSurplus: surplus,
  };
}

/**
 * `swap_base_asset`: closing a long is `Add` on the base side (trader receives), closing a short
 * `Remove` (trader pays, +1 under may2022 rounding). Spread as in `swapQuoteAsset`.
 */
export function swapBaseAsset(
  market: Market,
  baseAssetSwapAmount: bigint,
  direction: SwapDirection,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  precomputedMarkPriceRaw?: bigint,
  useSpread = true,
): BaseSwapResult {
  const sem = resolveProtocol(protocol);
  const m = updateMarkTwap(market, nowTs, precomputedMarkPriceRaw);
  const c = m.curve;
  const plain = calculateSwapOutput(baseAssetSwapAmount, c.baseAssetReserve, direction, c.sqrtK, sem);
  const newQuote = plain.newOutputReserve;
  const newBase = plain.newInputReserve;
  if (!(sem.spreadEnabled && useSpread && m.baseSpread > 0n)) {
    return {
      market: withReserves(m, newBase, newQuote),
      quoteAssetAmount: calculateQuoteAssetAmountSwapped(c.quoteAssetReserve, newQuote, direction, c.pegMultiplier, sem),
      quoteAssetAmountSurplus: 0n,
    };
  }
  // closing a long (Add) sells at the bid (short side of the spread), closing a short buys at the ask
  const spread = calculateSpreadReserves(c, m.baseSpread, direction === 'add' ? 'short' : 'long');
  const spreadOut = calculateSwapOutput(baseAssetSwapAmount, spread.baseAssetReserve, direction, c.sqrtK, sem);
  const quote = calculateQuoteAssetAmountSwapped(
    spread.quoteAssetReserve,
    spreadOut.newOutputReserve,
    direction,
    c.pegMultiplier,
    sem,
  );
  const surplus = quoteAssetAmountSurplus(
    newQuote,
    c.quoteAssetReserve,
    direction === 'remove' ? 'add' : 'remove',
    c.pegMultiplier,
    quote,
    direction === 'remove',
  );
  return { market: withReserves(m, newBase, newQuote), quoteAssetAmount: quote, quoteAssetAmountSurplus: surplus };
}
