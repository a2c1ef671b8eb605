/**
 * Curve StableSwap constants (amm-curves.md §3), as bigint. The same values in the legacy 3pool
 * (Vyper 0.2.4, no A_PRECISION) and the newer pool template (A stored ×100).
 */

/** 1e18: coin amounts are normalised to 18 decimals (`xp`) and `rates` carry this scale. */
export const PRECISION = 10n ** 18n;
/** `fee` and `admin_fee` are fractions ×1e10. */
export const FEE_DENOMINATOR = 10n ** 10n;
/** Largest `fee`: 5e9 = 50 %. */
export const MAX_FEE = 5n * 10n ** 9n;
/** Largest `admin_fee`: 1e10 = 100 % of the fee. */
export const MAX_ADMIN_FEE = 10n ** 10n;
/** The template stores A()·100 so a ramp moves A in steps of 0.01; the legacy pool stores A() (precision 1). */
export const A_PRECISION = 100n;
/** A() must stay below 1e6 (`ramp_A`: `0 < future_A < MAX_A`). */
export const MAX_A = 10n ** 6n;
/** One ramp may change A by at most ×10 either way. */
export const MAX_A_CHANGE = 10n;
/** A ramp lasts at least one day and cannot start within a day of the previous ramp's start. */
export const MIN_RAMP_TIME = 86_400n;
/** A committed fee change can be applied 3 days after the commit. */
export const ADMIN_ACTIONS_DELAY = 3n * 86_400n;
/** Newton iterations of get_D / get_y / get_y_D before the contract gives up. */
export const MAX_ITERATIONS = 255;
/** 2^256: Vyper's uint256 arithmetic reverts on anything at or above it. */
export const UINT256_LIMIT = 1n << 256n;
