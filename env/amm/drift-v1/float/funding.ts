/**
 * Float twin of `../funding.ts`: rates, payments, the capped symmetric funding and the hourly update
 * (mutating the market in place). Signed divisions truncate toward zero (Math.trunc) like the Rust.
 */
import { InvalidFundingProfitability, MathError } from '../errors.js';
import { markPrice } from './curve.js';
import { blockOperation } from './oracle.js';
import type { FloatProtocol } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatGuardRails, FloatMarket, FloatOracle, FloatPosition } from './state.js';
import { DEFAULT_FLOAT_GUARD_RAILS } from './state.js';
import { oraclePriceForTwap, updateMarkTwap, updateOracleTwap } from './twap.js';

const MARK_TIMES_FUNDING = 1e14;
const AMM_TO_QUOTE = 1e7;
const QUOTE_TO_BASE_AMT_FUNDING = 1e21;

/** (mark_twap − oracle_twap)·1e4 / (86400/max(3600, period)), may2022 clamp ±oracle_twap/33. */
export function fundingRate(markTwapRaw: number, oracleTwapRaw: number, fundingPeriodSec: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  const periodAdjustment = Math.trunc(86_400 / Math.max(3_600, fundingPeriodSec));
  let spread = markTwapRaw - oracleTwapRaw;
  if (fs.fundingSpreadClampDivisor !== 0) {
    const max = Math.trunc(oracleTwapRaw / fs.fundingSpreadClampDivisor);
    spread = Math.max(-max, Math.min(spread, max));
  }
  return Math.trunc((spread * 1e4) / periodAdjustment);
}

/** AMM precision; longs pay when the delta is positive. */
export function fundingPayment(fundingRateDelta: number, baseAssetAmount: number): number {
  const magnitude = Math.floor((Math.abs(fundingRateDelta) * Math.abs(baseAssetAmount)) / MARK_TIMES_FUNDING);
  const sign = (baseAssetAmount > 0 ? -1 : 1) * (fundingRateDelta > 0 ? 1 : -1);
  return magnitude === 0 ? 0 : magnitude * sign;
}

export function fundingPaymentInQuotePrecision(fundingRateDelta: number, baseAssetAmount: number): number {
  const q = Math.trunc(fundingPayment(fundingRateDelta, baseAssetAmount) / AMM_TO_QUOTE);
  return q === 0 ? 0 : q;
}

function rateFromPnlLimit(pnlLimit: number, base: number): number {
  if (base === 0) return 0;
  const biased = pnlLimit < 0 ? pnlLimit + 1 : pnlLimit;
  return Math.trunc((biased * QUOTE_TO_BASE_AMT_FUNDING) / base);
}

/** Result slot of `fundingRateLongShort` (module scratch, overwritten by each call). */
export interface FloatFundingSplit {
  fundingRateLong: number;
  fundingRateShort: number;
  protocolFundingPnl: number;
}
const split: FloatFundingSplit = { fundingRateLong: 0, fundingRateShort: 0, protocolFundingPnl: 0 };

/**
 * Mutates tfmd. Capped symmetric funding (`calculate_funding_rate_long_short`). Returns a shared
 * scratch object (copy its fields before the next call). Throws InvalidFundingProfitability.
 */
export function fundingRateLongShort(m: FloatMarket, rate: number, protocol: FloatProtocol): FloatFundingSplit {
  const fs = resolveFloatProtocol(protocol);
  const uncapped = -fundingPaymentInQuotePrecision(rate, m.baseAssetAmount);
  if (uncapped >= 0) {
    m.totalFeeMinusDistributions += uncapped;
    split.fundingRateLong = rate;
    split.fundingRateShort = rate;
    split.protocolFundingPnl = uncapped;
    return split;
  }
  const floor = Math.floor(m.totalFee / 2);
  const tfmd = m.totalFeeMinusDistributions;
  let limit = 0;
  if (tfmd > floor) limit = -(fs.fundingPnlLimitTwoThirds ? Math.floor(((tfmd - floor) * 2) / 3) : tfmd - floor);
  const cappedPnl = Math.max(uncapped, limit);
  let cappedRate = rate;
  if (uncapped < limit) {
    const fromUsers = fundingPaymentInQuotePrecision(rate, rate > 0 ? m.baseAssetAmountLong : m.baseAssetAmountShort);
    const l = limit - Math.abs(fromUsers);
    cappedRate = rate < 0 ? rateFromPnlLimit(l, m.baseAssetAmountLong) : rateFromPnlLimit(l, m.baseAssetAmountShort);
  }
  const newTfmd = tfmd - Math.abs(cappedPnl);
  if (newTfmd < 0) throw new MathError('funding.tfmd', `u128 underflow: ${tfmd} − ${Math.abs(cappedPnl)}`);
  if ((cappedPnl !== 0 || fs.fundingFloorCheckWhenNotPaying) && newTfmd < floor) {
    throw new InvalidFundingProfitability(
      'feePoolFloor',
      `float twin: funding pnl ${cappedPnl} leaves tfmd ${newTfmd} below floor(total_fee/2) = ${floor}`,
    );
  }
  m.totalFeeMinusDistributions = newTfmd;
  split.fundingRateLong = rate < 0 ? cappedRate : rate;
  split.fundingRateShort = rate > 0 ? cappedRate : rate;
  split.protocolFundingPnl = cappedPnl;
  return split;
}

export function nextFundingUpdateWait(lastFundingRateTs: number, fundingPeriodSec: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  let wait = fundingPeriodSec;
  if (fundingPeriodSec > 1) {
    const delay = ((lastFundingRateTs % fundingPeriodSec) + fundingPeriodSec) % fundingPeriodSec;
    if (delay !== 0) {
      wait = delay > Math.trunc(fundingPeriodSec / 3) ? 2 * fundingPeriodSec - delay : fundingPeriodSec - delay;
      if (fs.fundingWaitClamp && wait > 2 * fundingPeriodSec) wait -= fundingPeriodSec;
    }
  }
  return wait;
}

/**
 * Mutates: `update_funding_rate`. Returns true when funding was updated (then m.lastFundingRate is
 * the new rate). Throws InvalidFundingProfitability like the exact code.
 */
export function updateFundingRate(
  m: FloatMarket,
  oracle: FloatOracle,
  nowTs: number,
  protocol: FloatProtocol,
  fundingPaused = false,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
  precomputedMarkPriceRaw: number = NaN,
): boolean {
  const fs = resolveFloatProtocol(protocol);
  const sinceLast = nowTs - m.lastFundingRateTs;
  const blocked = blockOperation(m, oracle, fs, rails, precomputedMarkPriceRaw);
  if (fundingPaused || blocked || sinceLast < nextFundingUpdateWait(m.lastFundingRateTs, m.fundingPeriodSec, fs)) {
    return false;
  }
  const mark = Number.isNaN(precomputedMarkPriceRaw) ? markPrice(m.curve) : precomputedMarkPriceRaw;
  // checks first on a copy of the two fields it mutates before the guard can throw
  const oracleTwapBefore = [m.lastOraclePriceTwap, m.lastOraclePriceTwapTs, m.lastOraclePrice] as const;
  const markTwapBefore = [m.lastMarkPriceTwap, m.lastMarkPriceTwapTs] as const;
  updateOracleTwap(m, nowTs, oraclePriceForTwap(oracle, mark, fs), fs);
  updateMarkTwap(m, nowTs);
  const rate = fundingRate(m.lastMarkPriceTwap, m.lastOraclePriceTwap, m.fundingPeriodSec, fs);
  let s: FloatFundingSplit;
  try {
    s = fundingRateLongShort(m, rate, fs);
  } catch (e) {
    [m.lastOraclePriceTwap, m.lastOraclePriceTwapTs, m.lastOraclePrice] = oracleTwapBefore;
    [m.lastMarkPriceTwap, m.lastMarkPriceTwapTs] = markTwapBefore;
    throw e;
  }
  m.cumulativeFundingRateLong += s.fundingRateLong;
  m.cumulativeFundingRateShort += s.fundingRateShort;
  m.lastFundingRate = rate;
  m.lastFundingRateTs = nowTs;
  return true;
}

/** What a user owes (< 0) or receives since their last settlement, AMM precision. */
export function userFundingPayment(m: FloatMarket, p: FloatPosition): number {
  if (p.baseAssetAmount === 0) return 0;
  const cum = p.baseAssetAmount > 0 ? m.cumulativeFundingRateLong : m.cumulativeFundingRateShort;
  return fundingPayment(cum - p.lastCumulativeFundingRate, p.baseAssetAmount);
}
