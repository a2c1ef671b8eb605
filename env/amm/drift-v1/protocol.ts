/**
 * Protocol versions of the Drift v1 clearing house, as explicit semantic flags.
 *
 * v1 changed its rounding, k arithmetic, guards and funding between deployments (drift-v1-math.md
 * §0 and §6). Every function that depends on one of those choices takes
 * `protocol: ProtocolVersion | ProtocolSemantics` and reads the flag, never the version name, so a
 * version is one more row of `PROTOCOLS` (plus, when it differs in a way no flag covers yet, one
 * more flag with the existing rows set to their current behaviour).
 *
 * To add a version (e.g. 'dec2021'):
 *   1. add its name to `ProtocolVersion`;
 *   2. add a row to `PROTOCOLS` (start from a spread of the nearest row and override flags);
 *   3. if it differs in a way no flag expresses, add a flag here, set it on every row, and read it
 *      at the single place the Rust differs. The float twin reads the same flags.
 */
import {
  K_DECREASE_MIN_RATIO_DENOMINATOR,
  K_DECREASE_MIN_RATIO_NUMERATOR,
  K_ERR_MAX,
  PRICE_SPREAD_PRECISION,
  PRICE_SPREAD_PRECISION_JAN2022,
  UPDATE_K_ALLOWED_PRICE_CHANGE_JAN2022,
  UPDATE_K_ALLOWED_PRICE_CHANGE_MAY2022,
} from './constants.js';
import { UnknownProtocolVersion } from './errors.js';

/**
 * Named deployments. 'dec2021' = 4ed1c27 (2022-01-03; the cost math is unchanged since 64b1e08,
 * 2021-11-22), 'jan2022' = df8b853 (2022-01-10), 'may2022' = c101d77 (2022-05-19).
 */
export type ProtocolVersion = 'dec2021' | 'jan2022' | 'may2022';

/** Every behavioural difference between versions that the vAMM math needs. */
export interface ProtocolSemantics {
  /** Version id (a `ProtocolVersion` for the built-in rows; any string for custom rows). */
  readonly version: string;
  /** protocol-v1 commit this row mirrors. */
  readonly sourceCommit: string;
  readonly description: string;

  // ---- rounding ----
  /**
   * Where the one-unit rounding against shorts sits.
   * 'shortPnlMinusOne' (≤ b9d2211): `math/pnl.rs` `calculate_pnl` subtracts 1 from a short's pnl.
   * 'removeSwapPlusOne' (b9d2211+): `calculate_quote_asset_amount_swapped` adds 1 to every `Remove`
   * swap's quote amount (closing a short pays +1; the short's value is +1).
   * 'none' (≤ 4ed1c27): neither; shorts pay their rounding inside the 'viaQuotePrecision' conversions.
   */
  readonly shortRounding: 'shortPnlMinusOne' | 'removeSwapPlusOne' | 'none';
  /**
   * Quote amount ↔ quote-reserve amount (`math/quote_asset.rs`).
   * 'direct' (12d0765, 2022-01-04, onward): r = floor(a·1e10/P); q = floor(r·P/1e10).
   * 'viaQuotePrecision' (≤ 4ed1c27): two steps through QUOTE_PRECISION, r = floor(a·1e7·1e3/P) and
   * q = floor(floor(r/1e7)·P/1e3), and a `Remove` swap (the short side) adds 1 after the division in
   * both directions. The Rust meant to round up only on a remainder, but its test
   * `checked_rem(..).is_some()` is true for every nonzero divisor, so the +1 is unconditional.
   */
  readonly quoteReserveConversion: 'direct' | 'viaQuotePrecision';

  // ---- update_k ----
  /**
   * Quote reserve after a k change (`math/amm.rs` `adjust_k_cost`).
   * 'scaled': y' = floor(y·ρ/1e10) like x'. 'invariant' (14d70bb+): y' = floor(s_new²/x').
   */
  readonly kQuoteReserveUpdate: 'scaled' | 'invariant';
  /**
   * Smallest allowed ρ = floor(s_new·1e10/s) as numerator/denominator of 1e10 (a5eacdc, 2022-01-19:
   * 975/1000, a 2.5 % decrease limit), or null when decreases are unlimited.
   */
  readonly kDecreaseMinRatio: { readonly numerator: bigint; readonly denominator: bigint } | null;
  /** `UPDATE_K_ALLOWED_PRICE_CHANGE`, absolute, in MARK_PRICE_PRECISION. */
  readonly updateKAllowedPriceChangeRaw: bigint;
  /** Max |isqrt(x'·y') − s_new| after update_k (14d70bb+: 100), or null when not checked. */
  readonly kErrMax: bigint | null;

  // ---- trading ----
  /** Static bid/ask spread from `base_spread` (8191d87+). */
  readonly spreadEnabled: boolean;
  /** A `Remove` swap larger than the reserve: 'TradeSizeTooLarge' (may) or a u128 underflow 'MathError' (jan). */
  readonly removeLargerThanReserve: 'TradeSizeTooLarge' | 'MathError';
  /** may2022 `open_position` rejects a zero quote amount (TradeSizeTooSmall); jan2022 treats it as a no-op open. */
  readonly rejectZeroQuoteOrder: boolean;
  /** Rust name of the quote-reserve minimum trade size field (same unit and meaning in both). */
  readonly minimumTradeSizeField: 'minimum_trade_size' | 'minimum_quote_asset_trade_size';
  /**
   * In a close-and-reverse trade, the TWAP update of the second swap uses the pre-trade mark
   * (may: `Some(mark_price_before)`) instead of the mark after the close (jan: `None`).
   */
  readonly reversalTwapUsesPreTradeMark: boolean;
  /** may2022: a trade (or close) that moves divergence from inside to outside the limit is blocked even if risk-reducing. */
  readonly blockTradeEnteringDivergence: boolean;

  // ---- oracle ----
  /** Precision of `calculate_oracle_mark_spread_pct`: 1024 (jan, `checked_shl(10)`) or 1e4 (may). */
  readonly oracleSpreadPctPrecision: bigint;
  /** TWAP `is_oracle_valid` compares against: the oracle account's own TWAP (jan) or amm.last_oracle_price_twap (may). */
  readonly oracleValidityTwapSource: 'oracleAccount' | 'amm';
  /** may2022 oracle-TWAP refinements: 33 % cap, ±0.1 % nudge of last_oracle_price, pull toward mark TWAP after an outage. */
  readonly oracleTwapRefinements: boolean;
  /** may2022: the oracle price fed to TWAPs is `normalise_oracle_price` (toward mark by ≤ conf, within 2.5 bp of mark). */
  readonly normaliseOracleForTwap: boolean;

  // ---- funding ----
  /** Funding pnl limit: 'full' = tfmd − floor(total_fee/2); 'twoThirds' = floor(2/3 of that). */
  readonly fundingPnlLimit: 'full' | 'twoThirds';
  /** jan2022 edge case: the tfmd ≥ floor check runs even when the capped pnl is 0 (funding fails below the floor). */
  readonly fundingFloorCheckWhenNotPaying: boolean;
  /** may2022: clamp mark−oracle TWAP spread to ±floor(oracle_twap/divisor) (divisor 33), or null. */
  readonly fundingSpreadClampDivisor: bigint | null;
  /** may2022: `next_update_wait > 2·period` is reduced by one period (never triggers for valid inputs). */
  readonly fundingWaitClamp: boolean;

  // ---- admin ----
  /** jan2022: `withdraw_from_insurance_vault_to_market` raises total_fee as well as tfmd. */
  readonly insuranceTransferRaisesTotalFee: boolean;
}

const JAN2022: ProtocolSemantics = Object.freeze({
  version: 'jan2022',
  sourceCommit: 'df8b853',
  description: 'clearing house as deployed around 2022-01-10; reproduces the recorded curve_history rows from 2022-01-05',
  shortRounding: 'shortPnlMinusOne',
  quoteReserveConversion: 'direct',
  kQuoteReserveUpdate: 'scaled',
  kDecreaseMinRatio: null,
  updateKAllowedPriceChangeRaw: UPDATE_K_ALLOWED_PRICE_CHANGE_JAN2022,
  kErrMax: null,
  spreadEnabled: false,
  removeLargerThanReserve: 'MathError',
  rejectZeroQuoteOrder: false,
  minimumTradeSizeField: 'minimum_trade_size',
  reversalTwapUsesPreTradeMark: false,
  blockTradeEnteringDivergence: false,
  oracleSpreadPctPrecision: PRICE_SPREAD_PRECISION_JAN2022,
  oracleValidityTwapSource: 'oracleAccount',
  oracleTwapRefinements: false,
  normaliseOracleForTwap: false,
  fundingPnlLimit: 'full',
  fundingFloorCheckWhenNotPaying: true,
  fundingSpreadClampDivisor: null,
  fundingWaitClamp: false,
  insuranceTransferRaisesTotalFee: true,
} satisfies ProtocolSemantics);

const MAY2022: ProtocolSemantics = Object.freeze({
  version: 'may2022',
  sourceCommit: 'c101d77',
  description: 'last protocol-v1 snapshot (2022-05-19)',
  shortRounding: 'removeSwapPlusOne',
  quoteReserveConversion: 'direct',
  kQuoteReserveUpdate: 'invariant',
  kDecreaseMinRatio: Object.freeze({
    numerator: K_DECREASE_MIN_RATIO_NUMERATOR,
    denominator: K_DECREASE_MIN_RATIO_DENOMINATOR,
  }),
  updateKAllowedPriceChangeRaw: UPDATE_K_ALLOWED_PRICE_CHANGE_MAY2022,
  kErrMax: K_ERR_MAX,
  spreadEnabled: true,
  removeLargerThanReserve: 'TradeSizeTooLarge',
  rejectZeroQuoteOrder: true,
  minimumTradeSizeField: 'minimum_quote_asset_trade_size',
  reversalTwapUsesPreTradeMark: true,
  blockTradeEnteringDivergence: true,
  oracleSpreadPctPrecision: PRICE_SPREAD_PRECISION,
  oracleValidityTwapSource: 'amm',
  oracleTwapRefinements: true,
  normaliseOracleForTwap: true,
  fundingPnlLimit: 'twoThirds',
  fundingFloorCheckWhenNotPaying: false,
  fundingSpreadClampDivisor: 33n,
  fundingWaitClamp: true,
  insuranceTransferRaisesTotalFee: false,
} satisfies ProtocolSemantics);

/**
 * The program as deployed until 2022-01-04 (the curve history switches between records 285 and
 * 286, either side of 12d0765's commit time 2022-01-04T20:54:33Z). Differs from jan2022 only in the
 * quote↔reserve rounding (12d0765 "simplify rounding in favor"); everything else is jan2022's.
 */
const DEC2021: ProtocolSemantics = Object.freeze({
  ...JAN2022,
  version: 'dec2021',
  sourceCommit: '4ed1c27',
  description: 'clearing house as deployed until 2022-01-04; reproduces the recorded curve_history rows before 2022-01-05',
  shortRounding: 'none',
  quoteReserveConversion: 'viaQuotePrecision',
} satisfies ProtocolSemantics);

/** The semantic table, oldest first. Add a version here (see the module comment). */
export const PROTOCOLS: Readonly<Record<ProtocolVersion, ProtocolSemantics>> = Object.freeze({
  dec2021: DEC2021,
  jan2022: JAN2022,
  may2022: MAY2022,
});

/** Every named version, in table order (for CLI choices and sweeps). */
export const PROTOCOL_VERSIONS: readonly ProtocolVersion[] = Object.freeze(
  Object.keys(PROTOCOLS) as ProtocolVersion[],
);

/** Accepts a version name or a semantics row; throws `UnknownProtocolVersion` for unknown names. */
export function resolveProtocol(protocol: ProtocolVersion | ProtocolSemantics): ProtocolSemantics {
  if (typeof protocol !== 'string') return protocol;
  const row = (PROTOCOLS as Record<string, ProtocolSemantics | undefined>)[protocol];
  if (row === undefined) throw new UnknownProtocolVersion(protocol, Object.keys(PROTOCOLS));
  return row;
}
