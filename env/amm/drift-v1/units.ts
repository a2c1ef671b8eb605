/**
 * The one module converting Drift v1 raw protocol integers to natural units and back.
 * Raw → natural returns a float64 `number` (split into integer and fractional parts first so large
 * raw values keep full float precision); natural → raw rounds to the nearest raw unit and returns a
 * bigint. Raw inputs may be bigint or a float64 raw number (the float twin's representation).
 *
 * | raw name       | precision | natural unit            |
 * |----------------|-----------|-------------------------|
 * | pegRaw         | 1e3       | USD per base (peg)      |
 * | reserveRaw     | 1e13      | base (or quote-reserve) |
 * | quoteRaw       | 1e6       | USD (USDC)              |
 * | priceRaw       | 1e10      | USD per base            |
 * | fundingRateRaw | 1e14      | USD per base per period |
 */
import {
  AMM_RESERVE_PRECISION,
  FUNDING_PAYMENT_PRECISION,
  MARK_PRICE_PRECISION,
  PEG_PRECISION,
  QUOTE_PRECISION,
} from './constants.js';
import { DammGymError } from '../../core/errors.js';

/** A natural-unit value that cannot be represented in raw units (NaN or infinite). */
export class UnitConversionError extends DammGymError {}

function rawToNatural(raw: bigint | number, precision: bigint): number {
  if (typeof raw === 'number') return raw / Number(precision);
  const whole = raw / precision;
  const frac = raw % precision;
  return Number(whole) + Number(frac) / Number(precision);
}

function naturalToRaw(value: number, precision: bigint, name: string): bigint {
  if (!Number.isFinite(value)) {
    throw new UnitConversionError(`${name}: ${value} is not a finite number`);
  }
  return BigInt(Math.round(value * Number(precision)));
}

const FUNDING_RATE_PRECISION = MARK_PRICE_PRECISION * FUNDING_PAYMENT_PRECISION;

/** peg_multiplier (1e3) → USD. */
export function pegRawToUsd(pegRaw: bigint | number): number {
  return rawToNatural(pegRaw, PEG_PRECISION);
}
export function usdToPegRaw(pegUsd: number): bigint {
  return naturalToRaw(pegUsd, PEG_PRECISION, 'usdToPegRaw');
}

/** Reserve / base amount (1e13) → base units. */
export function reserveRawToBase(reserveRaw: bigint | number): number {
  return rawToNatural(reserveRaw, AMM_RESERVE_PRECISION);
}
export function baseToReserveRaw(base: number): bigint {
  return naturalToRaw(base, AMM_RESERVE_PRECISION, 'baseToReserveRaw');
}

/** USDC amount (1e6) → USD. */
export function quoteRawToUsd(quoteRaw: bigint | number): number {
  return rawToNatural(quoteRaw, QUOTE_PRECISION);
}
export function usdToQuoteRaw(quoteUsd: number): bigint {
  return naturalToRaw(quoteUsd, QUOTE_PRECISION, 'usdToQuoteRaw');
}

/** Mark/oracle price or TWAP (1e10) → USD per base. */
export function markRawToUsd(priceRaw: bigint | number): number {
  return rawToNatural(priceRaw, MARK_PRICE_PRECISION);
}
export function usdToMarkRaw(priceUsd: number): bigint {
  return naturalToRaw(priceUsd, MARK_PRICE_PRECISION, 'usdToMarkRaw');
}

/** Funding rate (1e14) → USD per base per funding period. */
export function fundingRateRawToUsd(fundingRateRaw: bigint | number): number {
  return rawToNatural(fundingRateRaw, FUNDING_RATE_PRECISION);
}
export function usdToFundingRateRaw(rateUsd: number): bigint {
  return naturalToRaw(rateUsd, FUNDING_RATE_PRECISION, 'usdToFundingRateRaw');
}
