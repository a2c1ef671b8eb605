/**
 * Market orders by quote notional and full closes (protocol-v1 `lib.rs` `open_position`,
 * `close_position`; may2022 `controller/position.rs` `update_position_with_quote_asset_amount`).
 *
 * Covered: oracle-TWAP update, increase / reduce / close-and-reverse with `should_round_trade`,
 * spread surplus, fees into total_fee/tfmd, and the mark/oracle divergence guard. Not covered (the
 * caller's concern): user collateral and the margin check, the limit-price check, trade history,
 * and the funding update the program attempts after each trade (call `updateFundingRate`).
 */
import { DEFAULT_ORACLE_GUARD_RAILS } from './constants.js';
import { absBig } from './bigmath.js';
import { OracleMarkSpreadLimit, TradeSizeTooSmall } from './errors.js';
import type { FeeBreakdown, FeeOptions } from './fees.js';
import { addFeeToMarket, calculateFee } from './fees.js';
import { isOracleMarkTooDivergent, isOracleValid, oracleMarkSpreadPct } from './oracle.js';
import { calculateBaseAssetValueAndPnl } from './position.js';
import { closePositionSwap, increasePosition, reducePosition } from './positionController.js';
import { markPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import { assetToReserveAmount } from './quoteAsset.js';
import type { Market, OracleGuardRails, OracleReading, PositionDirection, UserPosition } from './state.js';
import { oraclePriceForTwap, updateOracleTwap } from './twap.js';

export interface TradeOptions {
  /** The market's oracle read; without it the oracle-TWAP update and divergence guard are skipped. */
  readonly oracle?: OracleReading;
  readonly guardRails?: OracleGuardRails;
  readonly fee?: FeeOptions;
}

export interface TradeResult {
  readonly market: Market;
  readonly position: UserPosition;
  /** Realised pnl of the trade (before fees), QUOTE_PRECISION. */
  readonly pnl: bigint;
  readonly fee: FeeBreakdown;
  /** |base| traded (closed + opened), AMM precision. */
  readonly baseAssetAmount: bigint;
  /** Quote notional the fee was charged on (after `should_round_trade`), QUOTE_PRECISION. */
  readonly quoteAssetAmount: bigint;
  readonly quoteAssetAmountSurplus: bigint;
  readonly potentiallyRiskIncreasing: boolean;
  readonly markPriceBefore: bigint;
  readonly markPriceAfter: bigint;
}

/**
 * `should_round_trade`: when |quote − position value| is worth less than the minimum trade size in
 * quote-reserve units, the order is rounded to the position value (a full close).
 */
export function shouldRoundTrade(market: Market, quoteAssetAmount: bigint, baseAssetValue: bigint): boolean {
  const difference = absBig(quoteAssetAmount - baseAssetValue);
  return assetToReserveAmount(difference, market.curve.pegMultiplier) < market.minimumQuoteAssetTradeSize;
}

function checkDivergence(
  sem: ProtocolSemantics,
  guardRails: OracleGuardRails,
  pctBefore: bigint,
  pctAfter: bigint,
  oracleValid: boolean,
  potentiallyRiskIncreasing: boolean,
): void {
  if (!oracleValid) return;
  const afterTooDivergent = isOracleMarkTooDivergent(pctAfter, sem, guardRails.priceDivergence);
  if (!afterTooDivergent) return;
  const beforeTooDivergent = isOracleMarkTooDivergent(pctBefore, sem, guardRails.priceDivergence);
  if (sem.blockTradeEnteringDivergence && !beforeTooDivergent) {
    throw new OracleMarkSpreadLimit(
      'enteringDivergence',
      `trade moves mark/oracle spread from ${pctBefore} to ${pctAfter} (per ${sem.oracleSpreadPctPrecision}), past the limit`,
    );
  }
  if (potentiallyRiskIncreasing && absBig(pctAfter) >= absBig(pctBefore)) {
    throw new OracleMarkSpreadLimit(
      'riskIncreasingDivergence',
      `risk-increasing trade leaves mark/oracle spread at ${pctAfter} (before ${pctBefore}, per ${sem.oracleSpreadPctPrecision}), past the limit`,
    );
  }
}

/**
 * `open_position` with quote notional `quoteAssetAmount` in `direction`: increases a same-side (or
 * empty) position, reduces an opposite position worth more than the order, otherwise closes it and
 * opens the remainder the other way. The fee is floor(quote·10/10000) on the (rounded) order notional.
 */
export function openPosition(
  market: Market,
  position: UserPosition,
  direction: PositionDirection,
  quoteAssetAmount: bigint,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  options: TradeOptions = {},
): TradeResult {
  const sem = resolveProtocol(protocol);
  const guardRails = options.guardRails ?? DEFAULT_ORACLE_GUARD_RAILS;
  if (sem.rejectZeroQuoteOrder && quoteAssetAmount === 0n) {
    throw new TradeSizeTooSmall('zeroQuote', 'open_position with quote_asset_amount 0');
  }
  let m = market;
  const markBefore = markPrice(m.curve);
  const oracle = options.oracle;
  let pctBefore = 0n;
  let oracleValid = false;
  if (oracle !== undefined) {
    pctBefore = oracleMarkSpreadPct(markBefore, oracle.priceRaw, sem);
    oracleValid = isOracleValid(m, oracle, sem, guardRails.validity);
    if (oracleValid) m = updateOracleTwap(m, nowTs, oraclePriceForTwap(oracle, markBefore, sem), sem);
  }

  let pos = position;
  let quote = quoteAssetAmount;
  let pnl = 0n;
  let baseTraded: bigint;
  let surplus: bigint;
  let riskIncreasing = true;
  const increasing =
    pos.baseAssetAmount === 0n ||
    (pos.baseAssetAmount > 0n && direction === 'long') ||
    (pos.baseAssetAmount < 0n && direction === 'short');
  if (increasing) {
    const r = increasePosition(m, pos, direction, quote, nowTs, sem, markBefore);
    ({ market: m, position: pos } = r);
    baseTraded = absBig(r.baseAssetAcquired);
    surplus = r.quoteAssetAmountSurplus;
  } else {
    const { baseAssetValue } = calculateBaseAssetValueAndPnl(pos.baseAssetAmount, pos.quoteAssetAmount, m.curve, sem);
    if (shouldRoundTrade(m, quote, baseAssetValue)) quote = baseAssetValue;
    if (baseAssetValue > quote) {
      const r = reducePosition(m, pos, direction, quote, nowTs, sem, markBefore);
      ({ market: m, position: pos, pnl } = r);
      baseTraded = absBig(r.baseAssetSwapped);
      surplus = r.quoteAssetAmountSurplus;
      riskIncreasing = false;
    } else {
      const quoteAfterClose = quote - baseAssetValue;
      if (quoteAfterClose < baseAssetValue) riskIncreasing = false;
      const closed = closePositionSwap(m, pos, nowTs, sem, markBefore);
      ({ market: m, position: pos, pnl } = closed);
      const opened = increasePosition(
        m,
        pos,
        direction,
        quoteAfterClose,
        nowTs,
        sem,
        sem.reversalTwapUsesPreTradeMark ? markBefore : undefined,
      );
      ({ market: m, position: pos } = opened);
      baseTraded = absBig(closed.baseAssetAmount) + absBig(opened.baseAssetAcquired);
      surplus = closed.quoteAssetAmountSurplus + opened.quoteAssetAmountSurplus;
    }
  }

  const fee = calculateFee(quote, options.fee, surplus);
  m = addFeeToMarket(m, fee.feeToMarket);
  const markAfter = markPrice(m.curve);
  if (oracle !== undefined) {
    const pctAfter = oracleMarkSpreadPct(markAfter, oracle.priceRaw, sem);
    checkDivergence(sem, guardRails, pctBefore, pctAfter, oracleValid, riskIncreasing);
  }
  return {
    market: m,
    position: pos,
    pnl,
    fee,
    baseAssetAmount: baseTraded,
    quoteAssetAmount: quote,
    quoteAssetAmountSurplus: surplus,
    potentiallyRiskIncreasing: riskIncreasing,
    markPriceBefore: markBefore,
    markPriceAfter: markAfter,
  };
}

/**
 * `close_position`: close the whole position; the fee is charged on the exit value. The oracle TWAP
 * is updated after the close (raw price jan, normalised with the pre-trade mark may); may2022 also
 * blocks a close that moves mark/oracle divergence from inside to outside the limit.
 */
export function closePosition(
  market: Market,
  position: UserPosition,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  options: TradeOptions = {},
): TradeResult {
  const sem = resolveProtocol(protocol);
  const guardRails = options.guardRails ?? DEFAULT_ORACLE_GUARD_RAILS;
  const markBefore = markPrice(market.curve);
  const closed = closePositionSwap(market, position, nowTs, sem, markBefore);
  const fee = calculateFee(closed.quoteAssetAmount, options.fee, closed.quoteAssetAmountSurplus);
  let m = addFeeToMarket(closed.market, fee.feeToMarket);
  const markAfter = markPrice(m.curve);
  const oracle = options.oracle;
  if (oracle !== undefined) {
    const valid = isOracleValid(m, oracle, sem, guardRails.validity);
    if (valid) m = updateOracleTwap(m, nowTs, oraclePriceForTwap(oracle, markBefore, sem), sem);
    if (sem.blockTradeEnteringDivergence) {
      const pctBefore = oracleMarkSpreadPct(markBefore, oracle.priceRaw, sem);
      const pctAfter = oracleMarkSpreadPct(markAfter, oracle.priceRaw, sem);
      checkDivergence(sem, guardRails, pctBefore, pctAfter, valid, false);
    }
  }
  return {
    market: m,
    position: closed.position,
    pnl: closed.pnl,
    fee,
    baseAssetAmount: absBig(closed.baseAssetAmount),
    quoteAssetAmount: closed.quoteAssetAmount,
    quoteAssetAmountSurplus: closed.quoteAssetAmountSurplus,
    potentiallyRiskIncreasing: false,
    markPriceBefore: markBefore,
    markPriceAfter: markAfter,
  };
}
