/**
 * Integer helpers with Rust semantics. BigInt `/` and `%` truncate toward zero exactly like Rust's
 * i128/u128 division, so plain `/` is used throughout; these helpers add the checks Rust's
 * `checked_*` make (u128 underflow, division by zero) and `integer_sqrt`.
 */
import { MathError } from './errors.js';

/** floor(√n) for n ≥ 0 (U256::integer_sqrt). Newton's iteration from a power-of-two start. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new MathError('isqrt', `square root of negative value ${n}`);
  if (n < 2n) return n;
  // Newton from any start ≥ √n decreases monotonically to floor(√n). A float estimate plus a
  // 2^-40 relative margin is above √n and needs one or two steps; beyond float range use 2^ceil(bits/2).
  const approx = Math.sqrt(Number(n));
  let x: bigint;
  if (Number.isFinite(approx)) {
    const a = BigInt(Math.ceil(approx));
    x = a + (a >> 40n) + 2n;
  } else {
    x = 1n << ((BigInt(n.toString(2).length) + 1n) >> 1n);
  }
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** |a|. */
export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** u128 `checked_sub`: a − b, MathError if negative. `what` names the quantity for the message. */
export function subU(a: bigint, b: bigint, what: string): bigint {
  const r = a - b;
  if (r < 0n) throw new MathError(what, `u128 underflow: ${a} − ${b} < 0`);
  return r;
}

/** `checked_div`: a / b truncating toward zero, MathError on b = 0. */
export function divChecked(a: bigint, b: bigint, what: string): bigint {
  if (b === 0n) throw new MathError(what, `division by zero (${a} / 0)`);
  return a / b;
}

/** Euclidean remainder (Rust `rem_euclid`), always in [0, |b|). */
export function remEuclid(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r < 0n ? r + absBig(b) : r;
}
