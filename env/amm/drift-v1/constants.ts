/**
 * Drift v1 precision constants and defaults, as bigint.
 * Mirrors protocol-v1 `programs/clearing_house/src/math/constants.rs` (same values at df8b853 and
 * c101d77 except where a name says JAN2022 / MAY2022) and the defaults of `lib.rs` `initialize`
 * and `initialize_market`.
 */
import type { FeeStructure, OracleGuardRails } from './state.js';

// ---- precisions --------------------------------------------------------------------------------
/** Reserves, sqrt_k and base asset amounts: 1e13. */
export const AMM_RESERVE_PRECISION = 10_000_000_000_000n;
/** Mark/oracle prices and TWAPs: 1e10. */
export const MARK_PRICE_PRECISION = 10_000_000_000n;
/** USDC amounts (fees, notional, costs): 1e6. */
export const QUOTE_PRECISION = 1_000_000n;
/** peg_multiplier: 1e3. */
export const PEG_PRECISION = 1_000n;
/** Funding rates carry MARK_PRICE_PRECISION × this = 1e14. */
export const FUNDING_PAYMENT_PRECISION = 10_000n;
/** Margin ratios: 1e4. */
export const MARGIN_PRECISION = 10_000n;
/** may2022 oracle/mark spread percentage precision (`PRICE_SPREAD_PRECISION`): 1e4. */
export const PRICE_SPREAD_PRECISION = 10_000n;
/** jan2022 oracle/mark spread percentage precision: the Rust used `checked_shl(10)`, i.e. 1024. */
export const PRICE_SPREAD_PRECISION_JAN2022 = 1_024n;
/** may2022 `base_spread` precision (`BID_ASK_SPREAD_PRECISION`): 1e6. */
export const BID_ASK_SPREAD_PRECISION = 1_000_000n;

// ---- precision conversions ---------------------------------------------------------------------
/** M/G = 1e7: mark = y·P·1e7/x. */
export const PRICE_TO_PEG_PRECISION_RATIO = MARK_PRICE_PRECISION / PEG_PRECISION;
/** R/U = 1e7: AMM-precision amounts to quote units. */
export const AMM_TO_QUOTE_PRECISION_RATIO = AMM_RESERVE_PRECISION / QUOTE_PRECISION;
/** R·G/U = 1e10: quote = reserve·P/1e10. */
export const AMM_TIMES_PEG_TO_QUOTE_PRECISION_RATIO =
  (AMM_RESERVE_PRECISION * PEG_PRECISION) / QUOTE_PRECISION;
/** R·M·F/U = 1e21: funding pnl limit to a rate. */
export const QUOTE_TO_BASE_AMT_FUNDING_PRECISION =
  (AMM_RESERVE_PRECISION * MARK_PRICE_PRECISION * FUNDING_PAYMENT_PRECISION) / QUOTE_PRECISION;
/** M/U = 1e4. */
export const PRICE_TO_QUOTE_PRECISION_RATIO = MARK_PRICE_PRECISION / QUOTE_PRECISION;

// ---- fee pool ----------------------------------------------------------------------------------
/** Repeg and funding may spend fees only while tfmd ≥ total_fee·1/2. */
export const SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_NUMERATOR = 1n;
export const SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_DENOMINATOR = 2n;

// ---- update_k ----------------------------------------------------------------------------------
/** |mark_before − mark_after| tolerance of update_k at df8b853: M/10 (0.1 USD). */
export const UPDATE_K_ALLOWED_PRICE_CHANGE_JAN2022 = MARK_PRICE_PRECISION / 10n;
/** The same tolerance from 14d70bb (2022-04-04): M/1e5 (0.00001 USD). */
export const UPDATE_K_ALLOWED_PRICE_CHANGE_MAY2022 = MARK_PRICE_PRECISION / 100_000n;
/** a5eacdc (2022-01-19): one update_k may lower sqrt_k by at most 2.5 % (ratio ≥ 975/1000). */
export const K_DECREASE_MIN_RATIO_NUMERATOR = 975n;
export const K_DECREASE_MIN_RATIO_DENOMINATOR = 1_000n;
/** 14d70bb: |isqrt(x'·y') − sqrt_k| ≤ 100 after update_k. */
export const K_ERR_MAX = 100n;

// ---- time --------------------------------------------------------------------------------------
export const ONE_HOUR_SEC = 3_600n;
export const ONE_DAY_SEC = 86_400n;
/** Funding period every v1 market used. */
export const DEFAULT_FUNDING_PERIOD_SEC = ONE_HOUR_SEC;

// ---- fees --------------------------------------------------------------------------------------
export const DEFAULT_FEE_NUMERATOR = 10n;
export const DEFAULT_FEE_DENOMINATOR = 10_000n;

/**
 * The fee structure of `initialize`: 10 bp, DRIFT-token tiers 20/15/10/5 % at 1000/100/10/1 tokens
 * (balances in the token's 9-decimal raw units), referrer reward 5 %, referee discount 5 %.
 */
export const DEFAULT_FEE_STRUCTURE: FeeStructure = Object.freeze({
  feeNumerator: DEFAULT_FEE_NUMERATOR,
  feeDenominator: DEFAULT_FEE_DENOMINATOR,
  discountTokenTiers: Object.freeze([
    Object.freeze({ minimumBalanceRaw: 1_000_000_000_000n, discountNumerator: 20n, discountDenominator: 100n }),
    Object.freeze({ minimumBalanceRaw: 100_000_000_000n, discountNumerator: 15n, discountDenominator: 100n }),
    Object.freeze({ minimumBalanceRaw: 10_000_000_000n, discountNumerator: 10n, discountDenominator: 100n }),
    Object.freeze({ minimumBalanceRaw: 1_000_000_000n, discountNumerator: 5n, discountDenominator: 100n }),
  ]),
  referrerRewardNumerator: 5n,
  referrerRewardDenominator: 100n,
  refereeDiscountNumerator: 5n,
  refereeDiscountDenominator: 100n,
});

// ---- market defaults ---------------------------------------------------------------------------
/** `initialize_market`: minimum_trade_size (jan) / minimum_quote_asset_trade_size (may), quote-reserve units. */
export const DEFAULT_MINIMUM_TRADE_SIZE = 10_000_000n;
/** `initialize_market` (may2022): minimum_base_asset_trade_size, AMM-reserve units. */
export const DEFAULT_MINIMUM_BASE_ASSET_TRADE_SIZE = 10_000_000n;

/** `initialize`: divergence 1/10, stale after 1000 slots, conf ≤ price/4, volatility ratio 5. */
export const DEFAULT_ORACLE_GUARD_RAILS: OracleGuardRails = Object.freeze({
  priceDivergence: Object.freeze({
    markOracleDivergenceNumerator: 1n,
    markOracleDivergenceDenominator: 10n,
  }),
  validity: Object.freeze({
    slotsBeforeStale: 1_000n,
    confidenceIntervalMaxSize: 4n,
    tooVolatileRatio: 5n,
  }),
});
