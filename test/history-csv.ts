/** Test helper (not a test file): the plain-layout Drift v1 CSV headers and timestamp rendering, for generated histories. */

export const CURVE_HEADER = 'ts,record_id,market_index,peg_multiplier_before,base_asset_reserve_before,quote_asset_reserve_before,sqrt_k_before,'
  + 'peg_multiplier_after,base_asset_reserve_after,quote_asset_reserve_after,sqrt_k_after,base_asset_amount_long,'
  + 'base_asset_amount_short,base_asset_amount,open_interest,total_fee,total_fee_minus_distributions,adjustment_cost';
export const FUNDING_HEADER = 'ts,record_id,market_index,funding_rate,cumulative_funding_rate_long,cumulative_funding_rate_short,oracle_price_twap,mark_price_twap';
/** AMM_RESERVE_PRECISION: one base unit in raw reserve units. */
export const BASE = 10_000_000_000_000n;
/** 2021-12-01T00:00:00Z, where generated histories start. */
export const T0 = Date.UTC(2021, 11, 1) / 1000;

/** The files' own rendering: local time at a fixed −05:00 offset. */
export function ts(unix: number): string {
  return `${new Date((unix - 5 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ')}-05:00`;
}
