/**
 * The bridge between the columns and the float twin for the operations that run at most once per
 * step (the admin's repeg / update_k, hourly funding): sub-env i's state is copied into one scratch
 * `FloatMarket`, the twin's own function runs on it, and the result is copied back. The kernel's
 * per-trade path is inlined instead; these stay on the twin so their guards cannot drift from it.
 */
import type { FloatMarket } from '../../../amm/drift-v1/float/index.js';
import type { DriftVammColumns } from './columns.js';

/** A scratch market with the episode-constant fields of `template`. */
export function scratchMarket(template: FloatMarket): FloatMarket {
  return { ...template, curve: { ...template.curve } };
}

/** Sub-env i's curve, net position and fee pool (what repeg and update_k read). */
export function loadAdmin(m: FloatMarket, cols: DriftVammColumns, i: number): void {
  const c = m.curve;
  c.baseAssetReserve = cols.baseReserve[i]!;
  c.quoteAssetReserve = cols.quoteReserve[i]!;
  c.sqrtK = cols.sqrtK[i]!;
  c.pegMultiplier = cols.peg[i]!;
  m.baseAssetAmount = cols.baseAmount[i]!;
  m.baseAssetAmountLong = cols.baseLong[i]!;
  m.baseAssetAmountShort = cols.baseShort[i]!;
  m.totalFee = cols.totalFee[i]!;
  m.totalFeeMinusDistributions = cols.tfmd[i]!;
  m.lastOraclePriceTwap = cols.oracleTwap[i]!;
}

/** What repeg and update_k write: the curve and the fee pool. */
export function storeAdmin(m: FloatMarket, cols: DriftVammColumns, i: number): void {
  const c = m.curve;
  cols.baseReserve[i] = c.baseAssetReserve;
  cols.quoteReserve[i] = c.quoteAssetReserve;
  cols.sqrtK[i] = c.sqrtK;
  cols.peg[i] = c.pegMultiplier;
  cols.tfmd[i] = m.totalFeeMinusDistributions;
}

/** Everything `updateFundingRate` reads. */
export function loadFunding(m: FloatMarket, cols: DriftVammColumns, i: number): void {
  loadAdmin(m, cols, i);
  m.cumulativeFundingRateLong = cols.cumFundingLong[i]!;
  m.cumulativeFundingRateShort = cols.cumFundingShort[i]!;
  m.lastFundingRate = cols.lastFundingRate[i]!;
  m.lastFundingRateTs = cols.lastFundingRateTs[i]!;
  m.lastOraclePriceTwapTs = cols.oracleTwapTs[i]!;
  m.lastMarkPriceTwap = cols.markTwap[i]!;
  m.lastMarkPriceTwapTs = cols.markTwapTs[i]!;
  m.lastOraclePrice = cols.lastOraclePrice[i]!;
}

/** Everything `updateFundingRate` writes (it leaves the curve alone). */
export function storeFunding(m: FloatMarket, cols: DriftVammColumns, i: number): void {
  cols.tfmd[i] = m.totalFeeMinusDistributions;
  cols.cumFundingLong[i] = m.cumulativeFundingRateLong;
  cols.cumFundingShort[i] = m.cumulativeFundingRateShort;
  cols.lastFundingRate[i] = m.lastFundingRate;
  cols.lastFundingRateTs[i] = m.lastFundingRateTs;
  cols.oracleTwap[i] = m.lastOraclePriceTwap;
  cols.oracleTwapTs[i] = m.lastOraclePriceTwapTs;
  cols.markTwap[i] = m.lastMarkPriceTwap;
  cols.markTwapTs[i] = m.lastMarkPriceTwapTs;
  cols.lastOraclePrice[i] = m.lastOraclePrice;
}
