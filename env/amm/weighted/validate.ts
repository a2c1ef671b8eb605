/**
 * Input checks shared by the weighted-pool math. Every failure throws `InvalidArgumentError` naming
 * where the value came from (`where`, e.g. `slerp w0`), the value and what is allowed, so a caller
 * never gets a NaN back from bad input.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';

/** A weight vector may miss a sum of 1 by this much (float rounding of normalised vectors). */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

/** Anything indexable by position: plain arrays and Float64Array both pass. */
export type NumberVector = ArrayLike<number>;

export function fail(where: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`${where} = ${describeValue(value)} is not allowed: expected ${allowed}`);
}

/** A finite number, optionally bounded; returns it. */
export function checkFinite(where: string, value: unknown, rule: { min?: number; above?: number; max?: number; below?: number } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (rule.min === undefined || value >= rule.min)
    && (rule.above === undefined || value > rule.above)
    && (rule.max === undefined || value <= rule.max)
    && (rule.below === undefined || value < rule.below);
  if (!ok) {
    const bounds = [
      rule.min !== undefined ? `>= ${rule.min}` : '', rule.above !== undefined ? `> ${rule.above}` : '',
      rule.max !== undefined ? `<= ${rule.max}` : '', rule.below !== undefined ? `< ${rule.below}` : '',
    ].filter((s) => s !== '').join(' and ');
    fail(where, value, `a finite number${bounds === '' ? '' : ` ${bounds}`}`);
  }
  return value as number;
}

/** A positive integer (step counts, asset counts). */
export function checkPositiveInteger(where: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) fail(where, value, `an integer in [1, ${max}]`);
  return value;
}

function checkVectorShape(where: string, v: unknown, minLength: number): NumberVector {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok || (v as NumberVector).length < minLength) fail(where, v, `an array of at least ${minLength} numbers`);
  return v as NumberVector;
}

/**
 * A probability vector: at least 2 entries, each finite and ≥ 0 (> 0 with `strict`), summing to 1
 * within `WEIGHT_SUM_TOLERANCE`. Pool weights are strict (a zero weight has no price).
 */
export function checkWeights(where: string, w: unknown, strict = true): NumberVector {
  const v = checkVectorShape(where, w, 2);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (strict && x === 0)) {
      fail(`${where}[${i}]`, x, `a finite weight ${strict ? '> 0' : '>= 0'} (weights must sum to 1)`);
    }
    sum += x;
  }
  if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) fail(where, w, `weights summing to 1 (±${WEIGHT_SUM_TOLERANCE}), got a sum of ${sum}`);
  return v;
}

/** Two weight vectors of the same length. */
export function checkWeightPair(where: string, w0: unknown, w1: unknown, strict = true): [NumberVector, NumberVector] {
  const a = checkWeights(`${where} w0`, w0, strict);
  const b = checkWeights(`${where} w1`, w1, strict);
  if (a.length !== b.length) fail(`${where} w1`, w1, `${a.length} weights, like w0`);
  return [a, b];
}

/** A vector of `n` finite positive numbers (balances, prices). */
export function checkPositiveVector(where: string, v: unknown, n?: number): NumberVector {
  const a = checkVectorShape(where, v, n ?? 1);
  if (n !== undefined && a.length !== n) fail(where, v, `${n} positive numbers, one per token`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) fail(`${where}[${i}]`, x, 'a finite number > 0');
  }
  return a;
}

/** A swap fee rate in [0, 1): the fraction of the amount tendered that stays in the pool. */
export function checkFeeRate(where: string, fee: unknown): number {
  return checkFinite(where, fee, { min: 0, below: 1 });
}

/** A token index into a pool of `n` tokens. */
export function checkIndex(where: string, i: unknown, n: number): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) fail(where, i, `a token index in [0, ${n - 1}]`);
  return i;
}
