/**
 * The bridge between the columns and the float twin for what runs rarely: the hourly funding
 * (sub-env i's state is copied into one scratch `FloatMarket`, the twin's `updateFundingRate` runs
 * on it, the result is copied back) and the formulaic action's closed-form targets (read only).
 */
import type { FloatMarket } from '../../../amm/drift-v1/float/index.js';
import type { DriftVammColumns } from './columns.js';

/** A scratch market with the episode-constant fields of `template`. */
export function scratchMarket(template: FloatMarket): FloatMarket {
  return { ...template, curve: { ...template.curve } };
}

/** Sub-env i's curve, net position, fee pool and oracle TWAP. */
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
