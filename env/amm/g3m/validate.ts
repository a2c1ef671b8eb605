/** Argument checks shared by the G3M and Gf3M APIs; each names the argument, the value and what is allowed. */
import { G3mParameterError } from './errors.js';

/** How far Σ w may be from 1 (weights often come from decimal strings such as 0.7/0.2/0.1). */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

export function checkWeights(weights: ArrayLike<number>, where: string): void {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number' || weights.length < 2) {
    throw new G3mParameterError(where, weights, 'an array of at least 2 weights');
  }
  let sum = 0;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k];
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) throw new G3mParameterError(`${where}[${k}]`, w, 'a finite weight > 0');
    sum += w;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new G3mParameterError(`${where} (sum)`, sum, `weights summing to 1 (within ${WEIGHT_SUM_TOLERANCE})`);
  }
}

export function checkReserves(reserves: ArrayLike<number>, n: number, where: string): void {
  if (reserves === null || typeof reserves !== 'object' || reserves.length !== n) {
    throw new G3mParameterError(where, reserves, `an array of ${n} reserves (one per weight)`);
  }
  for (let k = 0; k < n; k++) {
    const x = reserves[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) throw new G3mParameterError(`${where}[${k}]`, x, 'a finite reserve > 0');
  }
}

/** The market maker's exponent: p ∈ [0, 1] (0 is the geometric mean, 1 the arithmetic mean). */
export function checkP(p: unknown, where: string): number {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw new G3mParameterError(where, p, 'a number in [0, 1]');
  return p;
}

/** Fee on the input as a fraction: [0, 1). */
export function checkFee(fee: unknown, where: string): number {
  if (typeof fee !== 'number' || !Number.isFinite(fee) || fee < 0 || fee >= 1) throw new G3mParameterError(where, fee, 'a fee fraction in [0, 1)');
  return fee;
}

export function checkPair(i: unknown, j: unknown, n: number, where: string): void {
  for (const [name, v] of [['i', i], ['j', j]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
      throw new G3mParameterError(`${where} ${name}`, v, `an asset index in 0..${n - 1}`);
    }
  }
  if (i === j) throw new G3mParameterError(`${where} j`, j, `an asset index different from i = ${String(i)}`);
}

export function checkAmount(amount: unknown, where: string): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw new G3mParameterError(where, amount, 'a finite amount ≥ 0 (token units)');
  return amount;
}

export function checkPositive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new G3mParameterError(where, value, 'a finite number > 0');
  return value;
}
