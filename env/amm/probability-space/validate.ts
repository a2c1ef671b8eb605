/**
 * Input checks shared by the curve functions. Each throws `InvalidArgumentError` naming the
 * function, the argument, the value and what is allowed. The fast path is one comparison chain,
 * so the checks cost little next to the log/exp of the curve.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';

function fail(where: string, name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`probabilitySpace.${where}: ${name} must be ${allowed}, got ${describeValue(value)}`);
}

/** Time to expiry normalised to 1; `allowExpiry` admits t = 0 (the Leontief limit). */
export function checkTime(where: string, t: number, allowExpiry = false): void {
  if (allowExpiry ? t >= 0 && t <= 1 : t > 0 && t <= 1) return;
  fail(where, 't', t, allowExpiry ? 'a time to expiry in [0, 1]' : 'a time to expiry in (0, 1] (trading stops at expiry, t = 0)');
}

/** A pool reserve: finite and > 0. */
export function checkReserve(where: string, name: string, value: number): void {
  if (value > 0 && value < Infinity) return;
  fail(where, name, value, 'a finite number > 0');
}

/** A trade amount: finite and ≥ 0. */
export function checkAmount(where: string, name: string, value: number): void {
  if (value >= 0 && value < Infinity) return;
  fail(where, name, value, 'a finite number ≥ 0');
}

/** A fee rate charged on the input: in [0, 1). */
export function checkFee(where: string, feeRate: number): void {
  if (feeRate >= 0 && feeRate < 1) return;
  fail(where, 'feeRate', feeRate, 'a fraction in [0, 1) (0.01 = 1 %)');
}

/** A probability strictly inside (0, 1). */
export function checkProbability(where: string, name: string, p: number): void {
  if (p > 0 && p < 1) return;
  fail(where, name, p, 'a probability in (0, 1)');
}

export function checkOutcome(where: string, outcome: unknown): void {
  if (outcome === 'yes' || outcome === 'no') return;
  fail(where, 'outcome', outcome, "'yes' or 'no'");
}
