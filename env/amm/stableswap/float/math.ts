/**
 * Float64 twin of the StableSwap math, for the arbitrage search and RL rollouts. Same invariant and
 * same Newton iteration for D as the contract, in real arithmetic: no floors, no −1 rounding of dy.
 * get_y is solved in closed form (the quadratic y² + (b − D)·y = c has one positive root), which
 * is what the contract's Newton loop converges to; a trade's output is solved directly for the
 * difference xp[j] − y, so small trades keep full relative precision.
 *
 * Units: balances in any common unit (the envs use whole 18-decimal-normalised tokens, so 1 ≈ 1 USD
 * at the peg); `A` is the contract's A() as a number (fractional during a ramp, no A_PRECISION);
 * `fee` and `adminFee` are fractions (0.0004 = 4 bp). test/stableswap-float.test.ts keeps these within
 * 1e-9 relative of the exact bigint code.
 *
 * The `*Unchecked` functions skip input validation for hot loops that validated once.
 */
import { InvalidArgumentError, describeValue } from '../../../core/errors.js';
import { MAX_ITERATIONS } from '../constants.js';
import { NewtonNotConvergedError } from '../errors.js';

/** Relative step at which the D iteration counts as settled (a few ulps). */
const D_TOLERANCE = 1e-15;

function checkBalances(xp: ArrayLike<number>, where: string): void {
  if (xp === null || typeof xp !== 'object' || typeof xp.length !== 'number' || xp.length < 2) {
    throw new InvalidArgumentError(`${where}: xp must be an array of at least 2 balances, got ${describeValue(xp)}`);
  }
  for (let k = 0; k < xp.length; k++) {
    const x = xp[k]!;
    if (!(x > 0) || !Number.isFinite(x)) {
      throw new InvalidArgumentError(`${where}: xp[${k}] must be a finite number > 0, got ${describeValue(x)}`);
    }
  }
}

function checkA(A: number, where: string): void {
  if (!(A > 0) || !Number.isFinite(A)) throw new InvalidArgumentError(`${where}: A must be a finite number > 0 (the contract's A()), got ${describeValue(A)}`);
}

function checkIndex(i: number, n: number, name: string, where: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new InvalidArgumentError(`${where}: coin index ${name} must be an integer in [0, ${n - 1}], got ${describeValue(i)}`);
  }
}

function checkFee(fee: number, name: string, where: string): void {
  if (!(fee >= 0 && fee <= 1)) throw new InvalidArgumentError(`${where}: ${name} must be a fraction in [0, 1], got ${describeValue(fee)}`);
}

/** D by Newton from D = Σx, as the contract (no validation). */
export function getDUnchecked(xp: ArrayLike<number>, A: number): number {
  return getDFrom(xp, A, 0);
}

/**
 * D by Newton from `start` (Σx when `start` ≤ 0). The root is the same from any positive start;
 * starting from the invariant before a small change (a trade) saves iterations.
 */
export function getDFrom(xp: ArrayLike<number>, A: number, start: number): number {
  const n = xp.length;
  let S = 0;
  for (let k = 0; k < n; k++) S += xp[k]!;
  if (S === 0) return 0;
  const Ann = A * n;
  let D = start > 0 ? start : S;
  let Dprev = 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    let D_P = D;
    for (let k = 0; k < n; k++) D_P = (D_P * D) / (xp[k]! * n);
    Dprev = D;
    D = ((Ann * S + D_P * n) * D) / ((Ann - 1) * D + (n + 1) * D_P);
    if (Math.abs(D - Dprev) <= D * D_TOLERANCE) return D;
  }
  throw new NewtonNotConvergedError('float get_D', D, Dprev);
}

/** The invariant D of balances `xp` at amplification A() = `A`. */
export function getD(xp: ArrayLike<number>, A: number): number {
  checkBalances(xp, 'float getD');
  checkA(A, 'float getD');
  return getDUnchecked(xp, A);
}

/**
 * The positive root of y² + (b − D)·y = c over the coins other than `skip`, coin `replaced` taking
 * the value `replacement` (−1: none). Uses the cancellation-free form of the quadratic formula.
 */
function solveY(xp: ArrayLike<number>, skip: number, replaced: number, replacement: number, A: number, D: number): number {
  const n = xp.length;
  const Ann = A * n;
  let c = D;
  let S = 0;
  for (let k = 0; k < n; k++) {
    if (k === skip) continue;
    const x = k === replaced ? replacement : xp[k]!;
    S += x;
    c = (c * D) / (x * n);
  }
  c = (c * D) / (Ann * n);
  const B = S + D / Ann - D;
  const root = Math.sqrt(B * B + 4 * c);
  return B >= 0 ? (2 * c) / (B + root) : (root - B) / 2;
}

/** get_y with D given (no validation): coin j's balance when coin i's becomes `x`. */
export function getYUnchecked(i: number, j: number, x: number, xp: ArrayLike<number>, A: number, D: number): number {
  return solveY(xp, j, i, x, A, D);
}

/** get_y: coin j's balance after coin i's balance becomes `x`, on the invariant of the old balances. */
export function getY(i: number, j: number, x: number, xp: ArrayLike<number>, A: number): number {
  checkBalances(xp, 'float getY');
  checkA(A, 'float getY');
  checkIndex(i, xp.length, 'i', 'float getY');
  checkIndex(j, xp.length, 'j', 'float getY');
  if (i === j) throw new InvalidArgumentError(`float getY: i and j must differ, got ${i} and ${j}`);
  if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError(`float getY: x must be a finite number > 0, got ${describeValue(x)}`);
  return solveY(xp, j, i, x, A, getDUnchecked(xp, A));
}

/** get_y_D: coin i's balance that puts the other balances on invariant D. */
export function getYD(A: number, i: number, xp: ArrayLike<number>, D: number): number {
  checkBalances(xp, 'float getYD');
  checkA(A, 'float getYD');
  checkIndex(i, xp.length, 'i', 'float getYD');
  if (!(D > 0) || !Number.isFinite(D)) throw new InvalidArgumentError(`float getYD: D must be a finite number > 0, got ${describeValue(D)}`);
  return solveY(xp, i, -1, 0, A, D);
}

/**
 * xp[j] − y(xp[i] + dx) without the cancellation of subtracting two large balances (a trade of
 * 1e-6 of the pool would otherwise lose ~6 digits). With q(y) = y² + B·y − c the quadratic of the
 * new balances and the old ones on the invariant (q_old(x_j) = 0), q_new(x_j) = Q = dx·(x_j +
 * c_old/(x_i + dx)), and the output d = x_j − y solves d² − (2x_j + B)·d + Q = 0 (smaller root).
 */
export function dyGrossUnchecked(i: number, j: number, dx: number, xp: ArrayLike<number>, A: number, D: number): number {
  const n = xp.length;
  const Ann = A * n;
  let c = D;
  let S = 0;
  for (let k = 0; k < n; k++) {
    if (k === j) continue;
    const x = xp[k]!;
    S += x;
    c = (c * D) / (x * n);
  }
  c = (c * D) / (Ann * n);
  const xi = xp[i]!;
  const xj = xp[j]!;
  const Q = dx * (xj + c / (xi + dx));
  const half = 2 * xj + S + dx + D / Ann - D;
  return (2 * Q) / (half + Math.sqrt(half * half - 4 * Q));
}

/** get_dy: coins j paid for `dx` coins i, after the fee on the output (no validation; D given). */
export function getDyUnchecked(i: number, j: number, dx: number, xp: ArrayLike<number>, A: number, fee: number, D: number): number {
  return dyGrossUnchecked(i, j, dx, xp, A, D) * (1 - fee);
}

/** get_dy: coins j paid for `dx` coins i, after the fee (a fraction) on the output. */
export function getDy(i: number, j: number, dx: number, xp: ArrayLike<number>, A: number, fee: number): number {
  checkBalances(xp, 'float getDy');
  checkA(A, 'float getDy');
  checkIndex(i, xp.length, 'i', 'float getDy');
  checkIndex(j, xp.length, 'j', 'float getDy');
  if (i === j) throw new InvalidArgumentError(`float getDy: i and j must differ, got ${i} and ${j}`);
  if (!(dx >= 0) || !Number.isFinite(dx)) throw new InvalidArgumentError(`float getDy: dx must be a finite number ≥ 0, got ${describeValue(dx)}`);
  checkFee(fee, 'fee', 'float getDy');
  return getDyUnchecked(i, j, dx, xp, A, fee, getDUnchecked(xp, A));
}

/** What one exchange did (caller-owned, overwritten by `exchange`). */
export interface FloatSwap {
  /** Paid to the trader (coin j). */
  dy: number;
  /** Output before the fee: xp[j] − y. */
  dyGross: number;
  /** LP share of the fee, left in the pool (coin j). */
  feeLp: number;
  /** Admin share of the fee, taken out of the pool (coin j). */
  feeAdmin: number;
}

export function newFloatSwap(): FloatSwap {
  return { dy: 0, dyGross: 0, feeLp: 0, feeAdmin: 0 };
}

/**
 * exchange in place (no validation): xp[i] += dx, xp[j] −= dy + admin fee. `D` must be the invariant
 * of `xp` at `A`. Writes the amounts into `out` and returns dy.
 */
export function exchangeUnchecked(
  xp: Float64Array | number[], i: number, j: number, dx: number, A: number, fee: number, adminFee: number, D: number, out: FloatSwap,
): number {
  const dyGross = dyGrossUnchecked(i, j, dx, xp, A, D);
  const feeTotal = dyGross * fee;
  const feeAdmin = feeTotal * adminFee;
  out.dyGross = dyGross;
  out.dy = dyGross - feeTotal;
  out.feeAdmin = feeAdmin;
  out.feeLp = feeTotal - feeAdmin;
  xp[i] = xp[i]! + dx;
  xp[j] = xp[j]! - out.dy - feeAdmin;
  return out.dy;
}

/** exchange: the float twin of `StableSwapPool.exchange` on balances `xp` (mutated). Returns dy. */
export function exchange(
  xp: Float64Array | number[], i: number, j: number, dx: number, A: number, fee: number, adminFee: number, out: FloatSwap = newFloatSwap(),
): number {
  checkBalances(xp, 'float exchange');
  checkA(A, 'float exchange');
  checkIndex(i, xp.length, 'i', 'float exchange');
  checkIndex(j, xp.length, 'j', 'float exchange');
  if (i === j) throw new InvalidArgumentError(`float exchange: i and j must differ, got ${i} and ${j}`);
  if (!(dx >= 0) || !Number.isFinite(dx)) throw new InvalidArgumentError(`float exchange: dx must be a finite number ≥ 0, got ${describeValue(dx)}`);
  checkFee(fee, 'fee', 'float exchange');
  checkFee(adminFee, 'adminFee', 'float exchange');
  return exchangeUnchecked(xp, i, j, dx, A, fee, adminFee, getDUnchecked(xp, A), out);
}

/**
 * Marginal price of coin i in coin j without the fee (−dx_j/dx_i along the invariant, curvesim's
 * `_dydx`), no validation: x_j(x_i·A·n^(n+1)·Πx + D^(n+1)) / (x_i(x_j·A·n^(n+1)·Πx + D^(n+1))),
 * evaluated on x/D so the powers stay in range.
 */
export function spotPriceUnchecked(i: number, j: number, xp: ArrayLike<number>, A: number, D: number): number {
  const n = xp.length;
  let prod = 1;
  for (let k = 0; k < n; k++) prod *= xp[k]! / D;
  let nn1 = n;
  for (let k = 0; k < n; k++) nn1 *= n;
  const K = A * nn1 * prod;
  const xi = xp[i]! / D;
  const xj = xp[j]! / D;
  return (xj * (xi * K + 1)) / (xi * (xj * K + 1));
}

/** Marginal price of coin i in coin j, fee excluded. */
export function spotPrice(i: number, j: number, xp: ArrayLike<number>, A: number): number {
  checkBalances(xp, 'float spotPrice');
  checkA(A, 'float spotPrice');
  checkIndex(i, xp.length, 'i', 'float spotPrice');
  checkIndex(j, xp.length, 'j', 'float spotPrice');
  return spotPriceUnchecked(i, j, xp, A, getDUnchecked(xp, A));
}
