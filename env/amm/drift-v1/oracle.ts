/**
 * Oracle validity and mark/oracle divergence (protocol-v1 `math/amm.rs` `is_oracle_valid`,
 * `calculate_oracle_mark_spread_pct`, `is_oracle_mark_too_divergent`; `math/oracle.rs`
 * `block_operation`).
 */
import { DEFAULT_ORACLE_GUARD_RAILS } from './constants.js';
import { absBig, divChecked, maxBig } from './bigmath.js';
import { CastingFailure } from './errors.js';
import { markPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { Market, OracleGuardRails, OracleReading } from './state.js';

function castToU128(v: bigint, what: string): bigint {
  if (v < 0n) throw new CastingFailure(what, `cast_to_u128 of negative value ${v}`);
  return v;
}

/**
 * The oracle is invalid if stale (delay > slots_before_stale), non-positive, too volatile
 * (price/twap or twap/price > too_volatile_ratio, integer division) or its confidence too wide
 * (price/conf < confidence_interval_max_size). jan2022 uses the oracle account's TWAP and also
 * checks twap/twap_conf; may2022 uses amm.last_oracle_price_twap and Switchboard's data-point flag.
 * A negative price (or jan TWAP) is a `CastingFailure` in the Rust, not "invalid". When a jan reading
 * has no `twapRaw`, the AMM's `last_oracle_price_twap` stands in for the account's TWAP.
 */
export function isOracleValid(
  market: Market,
  oracle: OracleReading,
  protocol: ProtocolVersion | ProtocolSemantics,
  validity: OracleGuardRails['validity'] = DEFAULT_ORACLE_GUARD_RAILS.validity,
): boolean {
  const sem = resolveProtocol(protocol);
  const price = oracle.priceRaw;
  const fromAccount = sem.oracleValidityTwapSource === 'oracleAccount';
  // Without the account's TWAP, fall back to the AMM's oracle TWAP rather than the price itself,
  // which would switch the volatility guard off.
  const twap = fromAccount ? (oracle.twapRaw ?? market.lastOraclePriceTwap) : market.lastOraclePriceTwap;

  const nonPositive = fromAccount ? twap <= 0n || price <= 0n : price <= 0n;
  const tooVolatile =
    price / maxBig(1n, twap) > validity.tooVolatileRatio ||
    twap / maxBig(1n, price) > validity.tooVolatileRatio;
  let confTooLarge =
    castToU128(price, 'isOracleValid.price') / maxBig(1n, oracle.confidenceRaw) <
    validity.confidenceIntervalMaxSize;
  if (fromAccount) {
    const twapConf = oracle.twapConfidenceRaw ?? oracle.confidenceRaw;
    confTooLarge ||=
      castToU128(twap, 'isOracleValid.twap') / maxBig(1n, twapConf) < validity.confidenceIntervalMaxSize;
  }
  const stale = oracle.delaySlots > validity.slotsBeforeStale;
  const tooFewPoints = !fromAccount && oracle.hasSufficientDataPoints === false;
  return !(stale || confTooLarge || nonPositive || tooVolatile || tooFewPoints);
}

/**
 * (mark − oracle)·p / oracle, truncated toward zero, where p = 1024 (jan2022 `checked_shl(10)`)
 * or 1e4 (may2022 `PRICE_SPREAD_PRECISION`).
 */
export function oracleMarkSpreadPct(
  markPriceRaw: bigint,
  oraclePriceRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  const p = resolveProtocol(protocol).oracleSpreadPctPrecision;
  return divChecked((markPriceRaw - oraclePriceRaw) * p, oraclePriceRaw, 'oracleMarkSpreadPct');
}

/** |spread_pct| > numerator·p/denominator (10 % by default, in the same precision p). */
export function isOracleMarkTooDivergent(
  spreadPct: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
  priceDivergence: OracleGuardRails['priceDivergence'] = DEFAULT_ORACLE_GUARD_RAILS.priceDivergence,
): boolean {
  const p = resolveProtocol(protocol).oracleSpreadPctPrecision;
  const maxDivergence = divChecked(
    priceDivergence.markOracleDivergenceNumerator * p,
    priceDivergence.markOracleDivergenceDenominator,
    'isOracleMarkTooDivergent',
  );
  return absBig(spreadPct) > maxDivergence;
}

/** `block_operation`: true when the oracle is invalid or mark/oracle are too divergent. */
export function blockOperation(
  market: Market,
  oracle: OracleReading,
  protocol: ProtocolVersion | ProtocolSemantics,
  guardRails: OracleGuardRails = DEFAULT_ORACLE_GUARD_RAILS,
  precomputedMarkPriceRaw?: bigint,
): boolean {
  const valid = isOracleValid(market, oracle, protocol, guardRails.validity);
  const mark = precomputedMarkPriceRaw ?? markPrice(market.curve);
  const pct = oracleMarkSpreadPct(mark, oracle.priceRaw, protocol);
  return !valid || isOracleMarkTooDivergent(pct, protocol, guardRails.priceDivergence);
}
