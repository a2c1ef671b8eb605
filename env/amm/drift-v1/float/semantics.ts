/**
 * `ProtocolSemantics` flattened to booleans and float64 numbers for the float twin's hot loop.
 * Derived once per semantics row and cached; read the same flags as the exact code.
 */
import { MARK_PRICE_PRECISION } from '../constants.js';
import type { ProtocolSemantics, ProtocolVersion } from '../protocol.js';
import { resolveProtocol } from '../protocol.js';

export interface FloatSemantics {
  readonly source: ProtocolSemantics;
  /** jan2022: short pnl −1. */
  readonly shortPnlMinusOne: boolean;
  /** may2022: every `Remove` swap's quote amount +1. */
  readonly removeSwapPlusOne: boolean;
  /** dec2021: quote↔reserve conversions go through QUOTE_PRECISION, +1 on `Remove` (see `ProtocolSemantics.quoteReserveConversion`). */
  readonly quoteViaQuotePrecision: boolean;
  /** jan2022: y' = y·ρ/1e10 after a k change (else s_new²/x'). */
  readonly kScaledQuote: boolean;
  /** Smallest allowed ρ (in 1e10), 0 when unlimited. */
  readonly kMinRatio: number;
  readonly updateKAllowedPriceChange: number;
  /** Infinity when the k_err check is off. */
  readonly kErrMax: number;
  readonly spreadEnabled: boolean;
  readonly removeLargerThanReserveIsTooLarge: boolean;
  readonly rejectZeroQuoteOrder: boolean;
  readonly reversalTwapUsesPreTradeMark: boolean;
  readonly blockTradeEnteringDivergence: boolean;
  readonly oracleSpreadPctPrecision: number;
  readonly oracleValidityTwapFromAccount: boolean;
  readonly oracleTwapRefinements: boolean;
  readonly normaliseOracleForTwap: boolean;
  readonly fundingPnlLimitTwoThirds: boolean;
  readonly fundingFloorCheckWhenNotPaying: boolean;
  /** 0 when off. */
  readonly fundingSpreadClampDivisor: number;
  readonly fundingWaitClamp: boolean;
}

const cache = new WeakMap<ProtocolSemantics, FloatSemantics>();

export function resolveFloatProtocol(protocol: ProtocolVersion | ProtocolSemantics | FloatSemantics): FloatSemantics {
  if (typeof protocol !== 'string' && 'source' in protocol) return protocol;
  const sem = resolveProtocol(protocol);
  let f = cache.get(sem);
  if (f === undefined) {
    const lim = sem.kDecreaseMinRatio;
    f = Object.freeze({
      source: sem,
      shortPnlMinusOne: sem.shortRounding === 'shortPnlMinusOne',
      removeSwapPlusOne: sem.shortRounding === 'removeSwapPlusOne',
      quoteViaQuotePrecision: sem.quoteReserveConversion === 'viaQuotePrecision',
      kScaledQuote: sem.kQuoteReserveUpdate === 'scaled',
      kMinRatio: lim === null ? 0 : Number((MARK_PRICE_PRECISION * lim.numerator) / lim.denominator),
      updateKAllowedPriceChange: Number(sem.updateKAllowedPriceChangeRaw),
      kErrMax: sem.kErrMax === null ? Infinity : Number(sem.kErrMax),
      spreadEnabled: sem.spreadEnabled,
      removeLargerThanReserveIsTooLarge: sem.removeLargerThanReserve === 'TradeSizeTooLarge',
      rejectZeroQuoteOrder: sem.rejectZeroQuoteOrder,
      reversalTwapUsesPreTradeMark: sem.reversalTwapUsesPreTradeMark,
      blockTradeEnteringDivergence: sem.blockTradeEnteringDivergence,
      oracleSpreadPctPrecision: Number(sem.oracleSpreadPctPrecision),
      oracleValidityTwapFromAccount: sem.oracleValidityTwapSource === 'oracleAccount',
      oracleTwapRefinements: sem.oracleTwapRefinements,
      normaliseOracleForTwap: sem.normaliseOracleForTwap,
      fundingPnlLimitTwoThirds: sem.fundingPnlLimit === 'twoThirds',
      fundingFloorCheckWhenNotPaying: sem.fundingFloorCheckWhenNotPaying,
      fundingSpreadClampDivisor: sem.fundingSpreadClampDivisor === null ? 0 : Number(sem.fundingSpreadClampDivisor),
      fundingWaitClamp: sem.fundingWaitClamp,
    });
    cache.set(sem, f);
  }
  return f;
}

/** Anything a float-twin function accepts as its protocol argument. */
export type FloatProtocol = ProtocolVersion | ProtocolSemantics | FloatSemantics;
