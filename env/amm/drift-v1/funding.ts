/**
 * Funding (protocol-v1 `math/funding.rs` `calculate_funding_rate_long_short`,
 * `calculate_capped_funding_rate`, `_calculate_funding_payment`; `controller/funding.rs`
 * `update_funding_rate`, `settle_funding_payment`). drift-v1-math.md §2.10.
 *
 * All funding math is signed; BigInt `/` truncates toward zero like Rust's i128 division.
 */
import {
  AMM_TO_QUOTE_PRECISION_RATIO,
  DEFAULT_ORACLE_GUARD_RAILS,
  FUNDING_PAYMENT_PRECISION,
  MARK_PRICE_PRECISION,
  ONE_DAY_SEC,
  ONE_HOUR_SEC,
  QUOTE_TO_BASE_AMT_FUNDING_PRECISION,
} from './constants.js';
import { absBig, divChecked, maxBig, minBig, remEuclid, subU } from './bigmath.js';
import { InvalidFundingProfitability } from './errors.js';
import { blockOperation } from './oracle.js';
import { markPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import { feePoolFloor } from './fees.js';
import type { Market, OracleGuardRails, OracleReading, UserPosition } from './state.js';
import { oraclePriceForTwap, updateMarkTwap, updateOracleTwap } from './twap.js';

/**
 * Funding payment for a rate delta (1e14) on a base amount (AMM precision), in AMM precision:
 * |pay| = floor(|Δ|·|base|/1e10/1e4), sign −sign(base)·sign(Δ) (longs pay when Δ > 0).
 * Δ = 0 gives 0 (the Rust's "sign −1" then multiplies a zero magnitude).
 */
export function calculateFundingPayment(fundingRateDelta: bigint, baseAssetAmount: bigint): bigint {
  const deltaSign = fundingRateDelta > 0n ? 1n : -1n;
  const magnitude =
    (absBig(fundingRateDelta) * absBig(baseAssetAmount)) / MARK_PRICE_PRECISION / FUNDING_PAYMENT_PRECISION;
  const baseSign = baseAssetAmount > 0n ? -1n : 1n;
  return magnitude * baseSign * deltaSign;
}

/** The same payment in QUOTE_PRECISION, truncated toward zero (payment / 1e7). */
export function calculateFundingPaymentInQuotePrecision(
  fundingRateDelta: bigint,
  baseAssetAmount: bigint,
): bigint {
  return calculateFundingPayment(fundingRateDelta, baseAssetAmount) / AMM_TO_QUOTE_PRECISION_RATIO;
}

/** What a user owes (< 0) or receives (> 0) since their last settlement, AMM precision (`calculate_funding_payment`). */
export function userFundingPayment(market: Market, position: UserPosition): bigint {
  if (position.baseAssetAmount === 0n) return 0n;
  const cumulative =
    position.baseAssetAmount > 0n ? market.cumulativeFundingRateLong : market.cumulativeFundingRateShort;
  return calculateFundingPayment(cumulative - position.lastCumulativeFundingRate, position.baseAssetAmount);
}

/**
 * The hourly funding rate (1e14) from the TWAPs: (mark_twap − oracle_twap)·1e4/period_adj with
 * period_adj = 86400/max(3600, funding_period). may2022 clamps the spread to ±floor(oracle_twap/33).
 */
export function calculateFundingRate(
  markPriceTwapRaw: bigint,
  oraclePriceTwapRaw: bigint,
  fundingPeriodSec: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const sem = resolveProtocol(protocol);
  const periodAdjustment = ONE_DAY_SEC / maxBig(ONE_HOUR_SEC, fundingPeriodSec);
  let spread = markPriceTwapRaw - oraclePriceTwapRaw;
  if (sem.fundingSpreadClampDivisor !== null) {
    const maxSpread = oraclePriceTwapRaw / sem.fundingSpreadClampDivisor;
    spread = maxBig(-maxSpread, minBig(spread, maxSpread));
  }
  return (spread * FUNDING_PAYMENT_PRECISION) / periodAdjustment;
}

/** pnl limit → rate for the receiving side: (limit(+1 if < 0))·1e21/base; base 0 → 0. */
export function calculateFundingRateFromPnlLimit(pnlLimit: bigint, baseAssetAmount: bigint): bigint {
  if (baseAssetAmount === 0n) return 0n;
  const biased = pnlLimit < 0n ? pnlLimit + 1n : pnlLimit;
  return (biased * QUOTE_TO_BASE_AMT_FUNDING_PRECISION) / baseAssetAmount;
}

/**
 * `calculate_capped_funding_rate`: the protocol's funding pnl limited to
 * −(tfmd − floor(total_fee/2)) (jan) or −floor(2/3·(…)) (may), 0 at or below the floor; when the
 * uncapped pnl is below the limit only the receiving side's rate is reduced.
 */
export function calculateCappedFundingRate(
  market: Market,
  uncappedFundingPnl: bigint,
  fundingRate: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): { cappedFundingRate: bigint; cappedFundingPnl: bigint } {
  const sem = resolveProtocol(protocol);
  const floor = feePoolFloor(market.totalFee);
  const tfmd = market.totalFeeMinusDistributions;
  let limit = 0n;
  if (tfmd > floor) {
    const available = tfmd - floor;
    limit = -(sem.fundingPnlLimit === 'twoThirds' ? (available * 2n) / 3n : available);
  }
  const cappedFundingPnl = maxBig(uncappedFundingPnl, limit);
  if (!(uncappedFundingPnl < limit)) return { cappedFundingRate: fundingRate, cappedFundingPnl };
  // funding the paying side already provides
  const fromUsers = calculateFundingPaymentInQuotePrecision(
    fundingRate,
    fundingRate > 0n ? market.baseAssetAmountLong : market.baseAssetAmountShort,
  );
  const limitWithUsers = limit - absBig(fromUsers);
  const cappedFundingRate =
    fundingRate < 0n
      ? calculateFundingRateFromPnlLimit(limitWithUsers, market.baseAssetAmountLong)
      : calculateFundingRateFromPnlLimit(limitWithUsers, market.baseAssetAmountShort);
  return { cappedFundingRate, cappedFundingPnl };
}

export interface FundingRateLongShort {
  /** The market with tfmd updated by the protocol's funding pnl. */
  readonly market: Market;
  readonly fundingRateLong: bigint;
  readonly fundingRateShort: bigint;
  /** Protocol funding pnl actually booked, QUOTE_PRECISION (> 0 received, < 0 paid). */
  readonly protocolFundingPnl: bigint;
}

/**
 * `calculate_funding_rate_long_short`: if the net position d pays, the protocol receives
 * (tfmd += pnl) and both sides get the full rate; otherwise the pnl is capped, tfmd −= |capped pnl|
 * and tfmd ≥ floor(total_fee/2) is required (InvalidFundingProfitability 'feePoolFloor'). jan2022
 * runs that check even when the capped pnl is 0.
 */
export function calculateFundingRateLongShort(
  market: Market,
  fundingRate: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): FundingRateLongShort {
  const sem = resolveProtocol(protocol);
  const uncapped = -calculateFundingPaymentInQuotePrecision(fundingRate, market.baseAssetAmount);
  if (uncapped >= 0n) {
    return {
      market: { ...market, totalFeeMinusDistributions: market.totalFeeMinusDistributions + uncapped },
      fundingRateLong: fundingRate,
      fundingRateShort: fundingRate,
      protocolFundingPnl: uncapped,
    };
  }
  const { cappedFundingRate, cappedFundingPnl } = calculateCappedFundingRate(market, uncapped, fundingRate, sem);
  const newTfmd = subU(market.totalFeeMinusDistributions, absBig(cappedFundingPnl), 'funding.tfmd');
  if (cappedFundingPnl !== 0n || sem.fundingFloorCheckWhenNotPaying) {
    const floor = feePoolFloor(market.totalFee);
    if (newTfmd < floor) {
      throw new InvalidFundingProfitability(
        'feePoolFloor',
        `funding pnl ${cappedFundingPnl} leaves tfmd ${newTfmd} below floor(total_fee/2) = ${floor}`,
      );
    }
  }
  return {
    market: { ...market, totalFeeMinusDistributions: newTfmd },
    fundingRateLong: fundingRate < 0n ? cappedFundingRate : fundingRate,
    fundingRateShort: fundingRate > 0n ? cappedFundingRate : fundingRate,
    protocolFundingPnl: cappedFundingPnl,
  };
}

/**
 * Seconds to wait after the last update, aligned to the hour: period − (last_ts mod period), or
 * 2·period − delay when delay > period/3.
 */
export function nextFundingUpdateWait(
  lastFundingRateTs: bigint,
  fundingPeriodSec: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const sem = resolveProtocol(protocol);
  let wait = fundingPeriodSec;
  if (fundingPeriodSec > 1n) {
    const delay = remEuclid(lastFundingRateTs, fundingPeriodSec);
    if (delay !== 0n) {
      wait = delay > fundingPeriodSec / 3n ? 2n * fundingPeriodSec - delay : fundingPeriodSec - delay;
      if (sem.fundingWaitClamp && wait > 2n * fundingPeriodSec) wait -= fundingPeriodSec;
    }
  }
  return wait;
}

export interface UpdateFundingOptions {
  readonly fundingPaused?: boolean;
  readonly guardRails?: OracleGuardRails;
  /** may2022 trades pass the pre-trade mark (used for blocking and oracle normalisation). */
  readonly precomputedMarkPriceRaw?: bigint;
}

export interface FundingUpdate {
  readonly market: Market;
  /** False when paused, blocked by the oracle, or not yet time. */
  readonly updated: boolean;
  /** The uncapped rate (1e14) stored as last_funding_rate; 0 when not updated. */
  readonly fundingRate: bigint;
  readonly fundingRateLong: bigint;
  readonly fundingRateShort: bigint;
  /** QUOTE_PRECISION, > 0 the protocol received, < 0 it paid. */
  readonly protocolFundingPnl: bigint;
}

/**
 * `update_funding_rate`: when not paused, not blocked (`block_operation`) and the hour-aligned
 * wait has passed, update the oracle TWAP (raw jan / normalised may price) and the mark TWAP, compute
 * the rate, cap it, and add the long/short rates to the cumulative rates. Otherwise no change.
 */
export function updateFundingRate(
  market: Market,
  oracle: OracleReading,
  nowTs: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  options: UpdateFundingOptions = {},
): FundingUpdate {
  const sem = resolveProtocol(protocol);
  const guardRails = options.guardRails ?? DEFAULT_ORACLE_GUARD_RAILS;
  const notUpdated: FundingUpdate = {
    market,
    updated: false,
    fundingRate: 0n,
    fundingRateLong: 0n,
    fundingRateShort: 0n,
    protocolFundingPnl: 0n,
  };
  const sinceLast = nowTs - market.lastFundingRateTs;
  const blocked = blockOperation(market, oracle, sem, guardRails, options.precomputedMarkPriceRaw);
  const wait = nextFundingUpdateWait(market.lastFundingRateTs, market.fundingPeriodSec, sem);
  if (options.fundingPaused === true || blocked || sinceLast < wait) return notUpdated;

  const markForNormalise = options.precomputedMarkPriceRaw ?? markPrice(market.curve);
  let m = updateOracleTwap(market, nowTs, oraclePriceForTwap(oracle, markForNormalise, sem), sem);
  m = updateMarkTwap(m, nowTs);
  const fundingRate = calculateFundingRate(m.lastMarkPriceTwap, m.lastOraclePriceTwap, m.fundingPeriodSec, sem);
  const ls = calculateFundingRateLongShort(m, fundingRate, sem);
  m = {
    ...ls.market,
    cumulativeFundingRateLong: ls.market.cumulativeFundingRateLong + ls.fundingRateLong,
    cumulativeFundingRateShort: ls.market.cumulativeFundingRateShort + ls.fundingRateShort,
    lastFundingRate: fundingRate,
    lastFundingRateTs: nowTs,
  };
  return {
    market: m,
    updated: true,
    fundingRate,
    fundingRateLong: ls.fundingRateLong,
    fundingRateShort: ls.fundingRateShort,
    protocolFundingPnl: ls.protocolFundingPnl,
  };
}

/**
 * `settle_funding_payment` for one position: the payment in AMM precision, its collateral effect
 * in QUOTE_PRECISION (payment / 1e7, truncated), and the position with its funding marks moved on.
 */
export function settleFundingPayment(
  market: Market,
  position: UserPosition,
): { position: UserPosition; paymentAmm: bigint; paymentQuote: bigint } {
  if (position.baseAssetAmount === 0n) return { position, paymentAmm: 0n, paymentQuote: 0n };
  const cumulative =
    position.baseAssetAmount > 0n ? market.cumulativeFundingRateLong : market.cumulativeFundingRateShort;
  if (cumulative === position.lastCumulativeFundingRate) {
    return { position, paymentAmm: 0n, paymentQuote: 0n };
  }
  const paymentAmm = userFundingPayment(market, position);
  return {
    position: { ...position, lastCumulativeFundingRate: cumulative, lastFundingRateTs: market.lastFundingRateTs },
    paymentAmm,
    paymentQuote: divChecked(paymentAmm, AMM_TO_QUOTE_PRECISION_RATIO, 'settleFundingPayment'),
  };
}
