/**
 * Mark and oracle TWAPs (protocol-v1 `math/amm.rs` `calculate_new_mark_twap`,
 * `update_oracle_price_twap`, `calculate_new_oracle_price_twap`, `calculate_weighted_average`
 * (jan: `calculate_twap`), `normalise_oracle_price`). drift-v1-math.md §2.10.
 */
import { absBig, divChecked, maxBig, minBig } from './bigmath.js';
import { markPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { Market, OracleReading } from './state.js';

/** (d1·w1 + d2·w2)/(w1 + w2), signed, truncated toward zero. */
export function calculateWeightedAverage(d1: bigint, d2: bigint, w1: bigint, w2: bigint): bigint {
  return divChecked(d1 * w1 + d2 * w2, w1 + w2, 'calculateWeightedAverage');
}

/** since = max(1, now − lastTs), rest = max(1, period − since). */
function twapWeights(nowTs: bigint, lastTs: bigint, fundingPeriodSec: bigint): [bigint, bigint] {
  const since = maxBig(1n, nowTs - lastTs);
  return [since, maxBig(1n, fundingPeriodSec - since)];
}

/** New mark TWAP with `markPriceRaw` (default: the current mark) weighted by time since the last update. */
export function calculateNewMarkTwap(market: Market, nowTs: bigint, markPriceRaw?: bigint): bigint {
  const [since, rest] = twapWeights(nowTs, market.lastMarkPriceTwapTs, market.fundingPeriodSec);
  const price = markPriceRaw ?? markPrice(market.curve);
  return calculateWeightedAverage(price, market.lastMarkPriceTwap, since, rest);
}

/** `update_mark_twap`: store the new mark TWAP and its timestamp. */
export function updateMarkTwap(market: Market, nowTs: bigint, markPriceRaw?: bigint): Market {
  return {
    ...market,
    lastMarkPriceTwap: calculateNewMarkTwap(market, nowTs, markPriceRaw),
    lastMarkPriceTwapTs: nowTs,
  };
}

/**
 * New oracle TWAP for oracle price `oraclePriceRaw`. may2022 refinements: the price first moves
 * last_oracle_price by at most ±0.1 %, and after an oracle outage (mark TWAP newer than oracle TWAP)
 * it is pulled toward the mark TWAP.
 */
export function calculateNewOracleTwap(
  market: Market,
  nowTs: bigint,
  oraclePriceRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const sem = resolveProtocol(protocol);
  const [since, rest] = twapWeights(nowTs, market.lastOraclePriceTwapTs, market.fundingPeriodSec);
  let price = oraclePriceRaw;
  if (sem.oracleTwapRefinements) {
    const last = market.lastOraclePrice > 0n ? market.lastOraclePrice : oraclePriceRaw;
    const bp10 = last / 1000n;
    price = minBig(last + bp10, maxBig(last - bp10, oraclePriceRaw));
    if (market.lastMarkPriceTwapTs > market.lastOraclePriceTwapTs) {
      const sinceValid = market.lastMarkPriceTwapTs - market.lastOraclePriceTwapTs;
      const restValid = maxBig(1n, market.fundingPeriodSec - sinceValid);
      price = calculateWeightedAverage(market.lastMarkPriceTwap, price, sinceValid, restValid);
    }
  }
  return calculateWeightedAverage(price, market.lastOraclePriceTwap, since, rest);
}

/**
 * `update_oracle_price_twap`. jan2022: TWAP with the raw price. may2022: the update is capped at
 * ±floor(price/3) from the TWAP, skipped unless both capped and raw price are positive, and also
 * stores last_oracle_price.
 */
export function updateOracleTwap(
  market: Market,
  nowTs: bigint,
  oraclePriceRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): Market {
  const sem = resolveProtocol(protocol);
  if (!sem.oracleTwapRefinements) {
    return {
      ...market,
      lastOraclePriceTwap: calculateNewOracleTwap(market, nowTs, oraclePriceRaw, sem),
      lastOraclePriceTwapTs: nowTs,
    };
  }
  const twap = market.lastOraclePriceTwap;
  const pct33 = oraclePriceRaw / 3n;
  let capped = oraclePriceRaw;
  if (absBig(oraclePriceRaw - twap) > absBig(pct33)) {
    capped = oraclePriceRaw > twap ? twap + pct33 : twap - pct33;
  }
  if (!(capped > 0n && oraclePriceRaw > 0n)) return market;
  return {
    ...market,
    lastOraclePriceTwap: calculateNewOracleTwap(market, nowTs, capped, sem),
    lastOraclePriceTwapTs: nowTs,
    lastOraclePrice: capped,
  };
}

/**
 * may2022 `normalise_oracle_price`: move the oracle toward the mark by up to its confidence, but not
 * past a 2.5 bp band (mark/4000) around the mark.
 */
export function normaliseOraclePrice(oracle: OracleReading, markPriceRaw: bigint): bigint {
  const o = oracle.priceRaw;
  const bp2p5 = markPriceRaw / 4000n;
  const conf = oracle.confidenceRaw;
  if (markPriceRaw > o) return minBig(maxBig(markPriceRaw - bp2p5, o), o + conf);
  return maxBig(minBig(markPriceRaw + bp2p5, o), o - conf);
}

/** The price a trade or funding update feeds to the oracle TWAP: raw (jan) or normalised (may). */
export function oraclePriceForTwap(
  oracle: OracleReading,
  markPriceRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  return resolveProtocol(protocol).normaliseOracleForTwap
    ? normaliseOraclePrice(oracle, markPriceRaw)
    : oracle.priceRaw;
}
