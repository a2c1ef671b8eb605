/**
 * StableSwap unit conversions, in one place (ARCHITECTURE.md "Numbers"). Native coin amounts carry
 * the coin's own decimals; `xp` amounts are normalised to 18 decimals (`xp_i = balance_i·rate_i/1e18`,
 * `rate_i = 1e18·10^(18 − decimals_i)`); `fee` and `admin_fee` are fractions ×1e10 ("raw").
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { FEE_DENOMINATOR, PRECISION } from './constants.js';

/** `RATES` for coins with these decimals (each an integer in [0, 18]): 1e18·10^(18 − d). */
export function ratesFromDecimals(decimals: readonly number[]): bigint[] {
  return decimals.map((d, k) => {
    if (!Number.isInteger(d) || d < 0 || d > 18) {
      throw new InvalidArgumentError(`ratesFromDecimals: decimals[${k}] must be an integer in [0, 18], got ${describeValue(d)}`);
    }
    return PRECISION * 10n ** BigInt(18 - d);
  });
}

/** `PRECISION_MUL` for coins with these decimals: 10^(18 − d). */
export function precisionMultipliers(decimals: readonly number[]): bigint[] {
  return ratesFromDecimals(decimals).map((r) => r / PRECISION);
}

/** `_xp`: native balances normalised to 18 decimals, floor(rate·balance/1e18). */
export function toXp(balances: readonly bigint[], rates: readonly bigint[]): bigint[] {
  const out = new Array<bigint>(balances.length);
  for (let k = 0; k < balances.length; k++) out[k] = (rates[k]! * balances[k]!) / PRECISION;
  return out;
}

/** A fee fraction (e.g. 0.0004 = 4 bp) as the contract's raw value ×1e10, rounded to the nearest unit. */
export function feeRawFromFraction(fraction: number): bigint {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new InvalidArgumentError(`feeRawFromFraction: fraction must be a finite number in [0, 1], got ${describeValue(fraction)}`);
  }
  return BigInt(Math.round(fraction * Number(FEE_DENOMINATOR)));
}

/** A raw fee (×1e10) as a fraction. */
export function feeFractionFromRaw(feeRaw: bigint): number {
  return Number(feeRaw) / Number(FEE_DENOMINATOR);
}

/** `amount` whole tokens of a coin with `decimals` as native units (integer token amounts only). */
export function tokensToNative(amount: bigint, decimals: number): bigint {
  return amount * 10n ** BigInt(decimals);
}
