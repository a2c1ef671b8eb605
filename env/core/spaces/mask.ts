/** Mask and probability sampling shared by Discrete and MultiDiscrete (Gymnasium's rules). */
import { SpaceError, describeValue } from '../errors.js';
import type { Rng } from '../rng.js';

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Uniform choice among the indices whose mask is 1; -1 when none is (the caller returns `start`).
 * The mask must have length n and only 0/1 values (Gymnasium: an int8 array of shape (n,)).
 */
export function sampleMasked(rng: Rng, mask: unknown, n: number, where: string): number {
  if (!isArrayLike(mask) || mask.length !== n) {
    throw new SpaceError(`${where}: mask must be an array of length ${n} with 0/1 values, got ${describeValue(mask)}`);
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const m = mask[i];
    if (m === 1) count++;
    else if (m !== 0) {
      throw new SpaceError(`${where}: mask values must be 0 or 1, got ${describeValue(m)} at index ${i}`);
    }
  }
  if (count === 0) return -1;
  let k = rng.integers(0, count);
  for (let i = 0; i < n; i++) {
    if (mask[i] === 1 && k-- === 0) return i;
  }
  return -1;
}

/**
 * Index drawn with the given probabilities: values in [0, 1] summing to 1 within numpy's isclose
 * tolerance. Inverse CDF with `searchsorted(side='right')`, as numpy's `choice(p=…)`, so entries
 * with zero probability are never drawn.
 */
export function sampleProbability(rng: Rng, probability: unknown, n: number, where: string): number {
  if (!isArrayLike(probability) || probability.length !== n) {
    throw new SpaceError(
      `${where}: probability must be an array of length ${n}, got ${describeValue(probability)}`,
    );
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = probability[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new SpaceError(`${where}: probability values must be in [0, 1], got ${describeValue(p)} at index ${i}`);
    }
    total += p;
  }
  if (!(Math.abs(total - 1) <= 1e-8 + 1e-5)) {
    throw new SpaceError(`${where}: probabilities must sum to 1, got sum ${total}`);
  }
  const u = rng.random() * total;
  let cdf = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const p = probability[i]!;
    if (p > 0) last = i;
    cdf += p;
    if (u < cdf) return i;
  }
  return last;
}
