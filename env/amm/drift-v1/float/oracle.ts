/**
 * Float twin of `../oracle.ts`: oracle validity and mark/oracle divergence on float64 raw values.
 */
import { CastingFailure, MathError } from '../errors.js';
import { markPrice } from './curve.js';
import type { FloatProtocol } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatGuardRails, FloatMarket, FloatOracle } from './state.js';
import { DEFAULT_FLOAT_GUARD_RAILS } from './state.js';

export function isOracleValid(
  market: FloatMarket,
  oracle: FloatOracle,
  protocol: FloatProtocol,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
): boolean {
  const fs = resolveFloatProtocol(protocol);
  const price = oracle.priceRaw;
  const fromAccount = fs.oracleValidityTwapFromAccount;
  // NaN twapRaw = not given: the AMM's oracle TWAP stands in (as in ../oracle.ts)
  const twap = fromAccount && !Number.isNaN(oracle.twapRaw) ? oracle.twapRaw : market.lastOraclePriceTwap;
  const nonPositive = fromAccount ? twap <= 0 || price <= 0 : price <= 0;
  const tooVolatile =
    Math.trunc(price / Math.max(1, twap)) > rails.tooVolatileRatio ||
    Math.trunc(twap / Math.max(1, price)) > rails.tooVolatileRatio;
  if (price < 0) throw new CastingFailure('isOracleValid.price', `cast_to_u128 of negative value ${price}`);
  let confTooLarge = Math.floor(price / Math.max(1, oracle.confidenceRaw)) < rails.confidenceIntervalMaxSize;
  if (fromAccount) {
    if (twap < 0) throw new CastingFailure('isOracleValid.twap', `cast_to_u128 of negative value ${twap}`);
    confTooLarge ||= Math.floor(twap / Math.max(1, oracle.twapConfidenceRaw)) < rails.confidenceIntervalMaxSize;
  }
  const stale = oracle.delaySlots > rails.slotsBeforeStale;
  const tooFewPoints = !fromAccount && !oracle.hasSufficientDataPoints;
  return !(stale || confTooLarge || nonPositive || tooVolatile || tooFewPoints);
}

export function oracleMarkSpreadPct(markPriceRaw: number, oraclePriceRaw: number, protocol: FloatProtocol): number {
  if (oraclePriceRaw === 0) throw new MathError('oracleMarkSpreadPct', 'division by zero (oracle price 0)');
  const fs = resolveFloatProtocol(protocol);
  return Math.trunc(((markPriceRaw - oraclePriceRaw) * fs.oracleSpreadPctPrecision) / oraclePriceRaw);
}

export function isOracleMarkTooDivergent(
  spreadPct: number,
  protocol: FloatProtocol,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
): boolean {
  const fs = resolveFloatProtocol(protocol);
  const max = Math.floor(
    (rails.markOracleDivergenceNumerator * fs.oracleSpreadPctPrecision) / rails.markOracleDivergenceDenominator,
  );
  return Math.abs(spreadPct) > max;
}

export function blockOperation(
  market: FloatMarket,
  oracle: FloatOracle,
  protocol: FloatProtocol,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
  precomputedMarkPriceRaw: number = NaN,
): boolean {
  const fs = resolveFloatProtocol(protocol);
  const valid = isOracleValid(market, oracle, fs, rails);
  const mark = Number.isNaN(precomputedMarkPriceRaw) ? markPrice(market.curve) : precomputedMarkPriceRaw;
  return !valid || isOracleMarkTooDivergent(oracleMarkSpreadPct(mark, oracle.priceRaw, fs), fs, rails);
}
