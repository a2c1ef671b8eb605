/**
 * Float twin of `../twap.ts`. Mutating functions (`update*`) write into the market struct.
 */
import { markPrice } from './curve.js';
import type { FloatProtocol } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatMarket, FloatOracle } from './state.js';

/** (price·since + twap·rest)/(since + rest), truncated toward zero. */
export function weightedTwap(price: number, lastTwap: number, since: number, rest: number): number {
  return Math.trunc((price * since + lastTwap * rest) / (since + rest));
}

/** Mutates: mark TWAP with `markPriceRaw` (NaN = current mark). Returns the new TWAP. */
export function updateMarkTwap(m: FloatMarket, nowTs: number, markPriceRaw: number = NaN): number {
  const since = Math.max(1, nowTs - m.lastMarkPriceTwapTs);
  const rest = Math.max(1, m.fundingPeriodSec - since);
  const price = Number.isNaN(markPriceRaw) ? markPrice(m.curve) : markPriceRaw;
  m.lastMarkPriceTwap = weightedTwap(price, m.lastMarkPriceTwap, since, rest);
  m.lastMarkPriceTwapTs = nowTs;
  return m.lastMarkPriceTwap;
}

/** Mutates: `update_oracle_price_twap` with jan2022 or may2022 refinements. Returns the new TWAP. */
export function updateOracleTwap(m: FloatMarket, nowTs: number, oraclePriceRaw: number, protocol: FloatProtocol): number {
  const fs = resolveFloatProtocol(protocol);
  let price = oraclePriceRaw;
  if (fs.oracleTwapRefinements) {
    const twap = m.lastOraclePriceTwap;
    const pct33 = Math.trunc(oraclePriceRaw / 3);
    if (Math.abs(oraclePriceRaw - twap) > Math.abs(pct33)) {
      price = oraclePriceRaw > twap ? twap + pct33 : twap - pct33;
    }
    if (!(price > 0 && oraclePriceRaw > 0)) return m.lastOraclePriceTwap;
    const capped = price;
    const last = m.lastOraclePrice > 0 ? m.lastOraclePrice : capped;
    const bp10 = Math.trunc(last / 1000);
    price = Math.min(last + bp10, Math.max(last - bp10, capped));
    if (m.lastMarkPriceTwapTs > m.lastOraclePriceTwapTs) {
      const sinceValid = m.lastMarkPriceTwapTs - m.lastOraclePriceTwapTs;
      price = weightedTwap(m.lastMarkPriceTwap, price, sinceValid, Math.max(1, m.fundingPeriodSec - sinceValid));
    }
    m.lastOraclePrice = capped;
  }
  const since = Math.max(1, nowTs - m.lastOraclePriceTwapTs);
  const rest = Math.max(1, m.fundingPeriodSec - since);
  m.lastOraclePriceTwap = weightedTwap(price, m.lastOraclePriceTwap, since, rest);
  m.lastOraclePriceTwapTs = nowTs;
  return m.lastOraclePriceTwap;
}

/** may2022 `normalise_oracle_price`. */
export function normaliseOraclePrice(oracle: FloatOracle, markPriceRaw: number): number {
  const o = oracle.priceRaw;
  const bp = Math.trunc(markPriceRaw / 4000);
  if (markPriceRaw > o) return Math.min(Math.max(markPriceRaw - bp, o), o + oracle.confidenceRaw);
  return Math.max(Math.min(markPriceRaw + bp, o), o - oracle.confidenceRaw);
}

export function oraclePriceForTwap(oracle: FloatOracle, markPriceRaw: number, protocol: FloatProtocol): number {
  return resolveFloatProtocol(protocol).normaliseOracleForTwap
    ? normaliseOraclePrice(oracle, markPriceRaw)
    : oracle.priceRaw;
}
