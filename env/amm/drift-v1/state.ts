/**
 * Drift v1 vAMM state, in raw protocol integers (bigint).
 * Mirrors protocol-v1 `state/market.rs` (`Market`, `AMM`), `state/user.rs` (`MarketPosition`) and
 * `state/state.rs` (`FeeStructure`, `OracleGuardRails`). Field names follow the Rust names in
 * camelCase; every field is raw at the precision its doc comment gives. States are immutable
 * values: functions return new objects and never mutate their inputs.
 */
import {
  DEFAULT_FUNDING_PERIOD_SEC,
  DEFAULT_MINIMUM_BASE_ASSET_TRADE_SIZE,
  DEFAULT_MINIMUM_TRADE_SIZE,
} from './constants.js';
import { InvalidInitialPeg, MathError } from './errors.js';
import { calculatePrice } from './price.js';

/**
 * The constant-product curve. `sqrtK` is its own state variable: after trades and k changes
 * s² ≠ x·y, and swaps always use s² (`calculate_swap_output`).
 */
export interface Curve {
  /** x, AMM_RESERVE_PRECISION (1e13). */
  readonly baseAssetReserve: bigint;
  /** y, AMM_RESERVE_PRECISION (1e13). */
  readonly quoteAssetReserve: bigint;
  /** s, AMM_RESERVE_PRECISION (1e13). */
  readonly sqrtK: bigint;
  /** P, PEG_PRECISION (1e3). */
  readonly pegMultiplier: bigint;
}

/** Side of a user order or position (`PositionDirection`). */
export type PositionDirection = 'long' | 'short';

/** A v1 market: the `Market` position aggregates plus the `AMM` fields the math uses. */
export interface Market {
  readonly curve: Curve;
  /** Sum of long user positions, AMM precision (> 0). */
  readonly baseAssetAmountLong: bigint;
  /** Sum of short user positions, AMM precision (≤ 0). */
  readonly baseAssetAmountShort: bigint;
  /** d, net user position, AMM precision (long > 0). */
  readonly baseAssetAmount: bigint;
  /** Number of users with a position (not a size). */
  readonly openInterest: bigint;
  /** Fees to the market since launch, QUOTE_PRECISION. */
  readonly totalFee: bigint;
  /** tfmd: the fee pool after repeg/k/funding distributions, QUOTE_PRECISION. */
  readonly totalFeeMinusDistributions: bigint;
  /** Fees withdrawn by the admin, QUOTE_PRECISION. */
  readonly totalFeeWithdrawn: bigint;
  /** FUNDING precision 1e14 (M·F). */
  readonly cumulativeFundingRateLong: bigint;
  readonly cumulativeFundingRateShort: bigint;
  readonly lastFundingRate: bigint;
  /** Unix seconds. */
  readonly lastFundingRateTs: bigint;
  /** Seconds (3600 on every v1 market). */
  readonly fundingPeriodSec: bigint;
  /** MARK_PRICE_PRECISION. */
  readonly lastOraclePriceTwap: bigint;
  readonly lastOraclePriceTwapTs: bigint;
  /** MARK_PRICE_PRECISION. */
  readonly lastMarkPriceTwap: bigint;
  readonly lastMarkPriceTwapTs: bigint;
  /** may2022 only: last (capped) oracle price fed to the TWAP, MARK_PRICE_PRECISION; 0 = unset. */
  readonly lastOraclePrice: bigint;
  /** Quote-reserve units (AMM precision): jan `minimum_trade_size`, may `minimum_quote_asset_trade_size`. */
  readonly minimumQuoteAssetTradeSize: bigint;
  /** may2022 only (base-asset orders, not modelled here), AMM precision. */
  readonly minimumBaseAssetTradeSize: bigint;
  /** may2022 only: full bid–ask spread, BID_ASK_SPREAD_PRECISION (1e6); 0 = none. */
  readonly baseSpread: bigint;
}

/** A user's position in one market (`MarketPosition`). */
export interface UserPosition {
  /** AMM precision, signed (long > 0). */
  readonly baseAssetAmount: bigint;
  /** Entry notional, QUOTE_PRECISION. */
  readonly quoteAssetAmount: bigint;
  /** FUNDING precision 1e14. */
  readonly lastCumulativeFundingRate: bigint;
  readonly lastFundingRateTs: bigint;
}

/** The empty position. */
export const EMPTY_POSITION: UserPosition = Object.freeze({
  baseAssetAmount: 0n,
  quoteAssetAmount: 0n,
  lastCumulativeFundingRate: 0n,
  lastFundingRateTs: 0n,
});

/**
 * One oracle read (`get_oracle_price`), already scaled to MARK_PRICE_PRECISION.
 * jan2022 reads the Pyth account's own TWAP and TWAP confidence for validity; may2022 uses the
 * AMM's `last_oracle_price_twap` and Switchboard's data-point count instead.
 */
export interface OracleReading {
  readonly priceRaw: bigint;
  readonly confidenceRaw: bigint;
  /** Slots since the oracle's valid slot. */
  readonly delaySlots: bigint;
  /** jan2022: the oracle account's TWAP (defaults to the market's lastOraclePriceTwap). */
  readonly twapRaw?: bigint;
  /** jan2022: the oracle account's TWAP confidence (defaults to confidenceRaw). */
  readonly twapConfidenceRaw?: bigint;
  /** may2022: Switchboard's enough-data-points flag (defaults to true, as for Pyth). */
  readonly hasSufficientDataPoints?: boolean;
}

export interface DiscountTokenTier {
  /** DRIFT-token balance in raw token units. */
  readonly minimumBalanceRaw: bigint;
  readonly discountNumerator: bigint;
  readonly discountDenominator: bigint;
}

/** `FeeStructure` of the clearing-house state. Tiers are checked in order, first match wins. */
export interface FeeStructure {
  readonly feeNumerator: bigint;
  readonly feeDenominator: bigint;
  readonly discountTokenTiers: readonly DiscountTokenTier[];
  readonly referrerRewardNumerator: bigint;
  readonly referrerRewardDenominator: bigint;
  readonly refereeDiscountNumerator: bigint;
  readonly refereeDiscountDenominator: bigint;
}

/** `OracleGuardRails` of the clearing-house state. */
export interface OracleGuardRails {
  readonly priceDivergence: {
    readonly markOracleDivergenceNumerator: bigint;
    readonly markOracleDivergenceDenominator: bigint;
  };
  readonly validity: {
    readonly slotsBeforeStale: bigint;
    /** Oracle invalid when price/conf < this. */
    readonly confidenceIntervalMaxSize: bigint;
    /** Oracle invalid when price/twap or twap/price (integer division) > this. */
    readonly tooVolatileRatio: bigint;
  };
}

/**
 * A market around an existing curve (e.g. a curve_history record's before-state), for replay and
 * tests. Unspecified fields: positions and fee counters 0, mark and oracle TWAPs at the current mark,
 * timestamps 0, funding period 3600 s, default minimum trade sizes, no spread.
 */
export function createMarket(curve: Curve, fields: Partial<Omit<Market, 'curve'>> = {}): Market {
  const mark = calculatePrice(curve.quoteAssetReserve, curve.baseAssetReserve, curve.pegMultiplier);
  return {
    baseAssetAmountLong: 0n,
    baseAssetAmountShort: 0n,
    baseAssetAmount: 0n,
    openInterest: 0n,
    totalFee: 0n,
    totalFeeMinusDistributions: 0n,
    totalFeeWithdrawn: 0n,
    cumulativeFundingRateLong: 0n,
    cumulativeFundingRateShort: 0n,
    lastFundingRate: 0n,
    lastFundingRateTs: 0n,
    fundingPeriodSec: DEFAULT_FUNDING_PERIOD_SEC,
    lastOraclePriceTwap: mark,
    lastOraclePriceTwapTs: 0n,
    lastMarkPriceTwap: mark,
    lastMarkPriceTwapTs: 0n,
    lastOraclePrice: mark,
    minimumQuoteAssetTradeSize: DEFAULT_MINIMUM_TRADE_SIZE,
    minimumBaseAssetTradeSize: DEFAULT_MINIMUM_BASE_ASSET_TRADE_SIZE,
    baseSpread: 0n,
    ...fields,
    curve,
  };
}

export interface InitializeMarketParams {
  /** x = y is required (`InvalidInitialPeg` otherwise); AMM precision. */
  readonly baseAssetReserve: bigint;
  readonly quoteAssetReserve: bigint;
  readonly pegMultiplier: bigint;
  /** Unix seconds. */
  readonly nowTs: bigint;
  /** Oracle TWAP at launch, MARK_PRICE_PRECISION (jan reads the oracle account's TWAP). */
  readonly oraclePriceTwapRaw: bigint;
  /** may2022 stores the oracle price too; defaults to oraclePriceTwapRaw. */
  readonly oraclePriceRaw?: bigint;
  readonly fundingPeriodSec?: bigint;
  readonly minimumQuoteAssetTradeSize?: bigint;
  readonly minimumBaseAssetTradeSize?: bigint;
  readonly baseSpread?: bigint;
}

/**
 * A fresh market, as `lib.rs` `initialize_market` builds it: s = x, mark TWAP = initial mark,
 * fee counters and positions 0.
 */
export function initializeMarket(p: InitializeMarketParams): Market {
  if (p.baseAssetReserve !== p.quoteAssetReserve) {
    throw new InvalidInitialPeg(
      'initializeMarket',
      `base_asset_reserve ${p.baseAssetReserve} must equal quote_asset_reserve ${p.quoteAssetReserve}`,
    );
  }
  if (p.baseAssetReserve <= 0n || p.pegMultiplier <= 0n) {
    throw new MathError(
      'initializeMarket',
      `reserves (${p.baseAssetReserve}) and peg (${p.pegMultiplier}) must be positive`,
    );
  }
  const curve: Curve = {
    baseAssetReserve: p.baseAssetReserve,
    quoteAssetReserve: p.quoteAssetReserve,
    sqrtK: p.baseAssetReserve,
    pegMultiplier: p.pegMultiplier,
  };
  // the mark TWAP starts at the initial mark, which createMarket's default already is
  return createMarket(curve, {
    lastFundingRateTs: p.nowTs,
    fundingPeriodSec: p.fundingPeriodSec ?? DEFAULT_FUNDING_PERIOD_SEC,
    lastOraclePriceTwap: p.oraclePriceTwapRaw,
    lastOraclePriceTwapTs: p.nowTs,
    lastMarkPriceTwapTs: p.nowTs,
    lastOraclePrice: p.oraclePriceRaw ?? p.oraclePriceTwapRaw,
    minimumQuoteAssetTradeSize: p.minimumQuoteAssetTradeSize ?? DEFAULT_MINIMUM_TRADE_SIZE,
    minimumBaseAssetTradeSize: p.minimumBaseAssetTradeSize ?? DEFAULT_MINIMUM_BASE_ASSET_TRADE_SIZE,
    baseSpread: p.baseSpread ?? 0n,
  });
}
