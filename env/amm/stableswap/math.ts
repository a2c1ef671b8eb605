/**
 * The StableSwap invariant solvers in bigint with Vyper's uint256 semantics (amm-curves.md §3.2–3.3):
 * `//` floors (BigInt `/` truncates, the same on non-negative values), terms are evaluated in the
 * contract's order, and anything that would revert in Vyper (underflow, overflow, division by zero)
 * throws `StableSwapRevert`.
 *
 * `amp` is what the contract stores: the legacy 3pool stores A() (whitepaper A·n^(n−1)) and uses
 * `aPrecision = 1n`; the template stores A()·100 with `aPrecision = 100n`. For integer A both give
 * the same bits; they differ for fractional A during a ramp.
 *
 * Non-convergence after 255 Newton steps follows the contract: the template (`aPrecision` ≠ 1)
 * raises `NewtonNotConvergedError`; the legacy 3pool (`aPrecision` = 1) returns its last iterate.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { MAX_ITERATIONS, UINT256_LIMIT } from './constants.js';
import { NewtonNotConvergedError, StableSwapRevert } from './errors.js';

/** Iterations the last `getD` / `getY*` call took (read through `getDWithIterations`, `getYWithIterations`). */
let lastIterations = 0;

function revert(check: string, message: string): never {
  throw new StableSwapRevert(check, message);
}

/** a·b, reverting like Vyper when the product leaves uint256. */
function mul(a: bigint, b: bigint, check: string): bigint {
  const p = a * b;
  if (p >= UINT256_LIMIT) revert(check, `uint256 overflow: ${a} × ${b} ≥ 2^256`);
  return p;
}

/** a/b flooring, reverting on b = 0 like Vyper. */
function div(a: bigint, b: bigint, check: string): bigint {
  if (b === 0n) revert(check, `division by zero (${a} / 0)`);
  return a / b;
}

/** Throws `InvalidArgumentError` unless xp is an array of ≥ 2 uint256 bigints. */
export function validateBalances(xp: readonly bigint[], where: string): void {
  if (!Array.isArray(xp) || xp.length < 2) {
    throw new InvalidArgumentError(`${where}: xp must be an array of at least 2 bigint balances, got ${describeValue(xp)}`);
  }
  for (let k = 0; k < xp.length; k++) {
    const x = xp[k];
    if (typeof x !== 'bigint' || x < 0n || x >= UINT256_LIMIT) {
      throw new InvalidArgumentError(`${where}: xp[${k}] must be a bigint in [0, 2^256), got ${describeValue(x)}`);
    }
  }
}

function validateAmp(amp: bigint, aPrecision: bigint, where: string): void {
  if (typeof aPrecision !== 'bigint' || aPrecision < 1n) {
    throw new InvalidArgumentError(`${where}: aPrecision must be a bigint ≥ 1n (1n legacy, 100n template), got ${describeValue(aPrecision)}`);
  }
  if (typeof amp !== 'bigint' || amp < 1n || amp >= UINT256_LIMIT) {
    throw new InvalidArgumentError(`${where}: amp must be a bigint in [1, 2^256) (A()·aPrecision as the contract stores it), got ${describeValue(amp)}`);
  }
}

function validateIndex(i: number, n: number, name: string, where: string): void {
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw new InvalidArgumentError(`${where}: coin index ${name} must be an integer, got ${describeValue(i)}`);
  }
  if (i < 0 || i >= n) revert(where, `coin index ${name} = ${i} is outside [0, ${n - 1}]`);
}

/**
 * Whether the template form can run as the legacy one: for amp = A()·P with integer A(), every
 * term the contract divides by P is an exact multiple of it ((Ann − P)·D/P = (Ann/P − 1)·D,
 * c·D·P/(Ann·n) = c·D/((Ann/P)·n), …), so the same bits come out of amp/P with precision 1 at two
 * fewer big-integer operations per step. Overflow checks then compare against 2^256/P, so reverts
 * are unchanged too.
 */
function reducible(amp: bigint, aPrecision: bigint): boolean {
  return aPrecision !== 1n && amp % aPrecision === 0n;
}

/** ceil(2^256 / P): x·P ≥ 2^256 exactly when x ≥ this. */
function limitOver(aPrecision: bigint): bigint {
  return (UINT256_LIMIT + aPrecision - 1n) / aPrecision;
}

/** Newton on D (no validation): the contract's loop, term for term. */
function solveD(xp: readonly bigint[], amp: bigint, aPrecision: bigint): bigint {
  const n = BigInt(xp.length);
  let S = 0n;
  for (let k = 0; k < xp.length; k++) S += xp[k]!;
  lastIterations = 0;
  if (S === 0n) return 0n;
  if (S >= UINT256_LIMIT) revert('get_D', `uint256 overflow: Σxp = ${S} ≥ 2^256`);
  const Ann = mul(amp, n, 'get_D');
  if (Ann < aPrecision) revert('get_D', `uint256 underflow: Ann − A_PRECISION = ${Ann} − ${aPrecision} < 0`);
  const n1 = n + 1n;
  const xn: bigint[] = new Array<bigint>(xp.length);
  for (let k = 0; k < xp.length; k++) xn[k] = mul(xp[k]!, n, 'get_D');
  // Loop invariants hoisted: Ann·S/P and Ann − P do not change between iterations.
  const reduced = reducible(amp, aPrecision);
  const P = reduced ? 1n : aPrecision;
  const AnnP = reduced ? Ann / aPrecision : Ann;
  const limit = reduced ? limitOver(aPrecision) : UINT256_LIMIT;
  const annS0 = AnnP * S;
  if (annS0 >= limit) revert('get_D', `uint256 overflow: Ann·S = ${Ann} × ${S} ≥ 2^256`);
  const annS = P === 1n ? annS0 : annS0 / P;
  const annMinusP = AnnP - P;
  let D = S;
  let Dprev = 0n;
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    let D_P = D;
    for (let k = 0; k < xn.length; k++) D_P = div(mul(D_P, D, 'get_D'), xn[k]!, 'get_D');
    Dprev = D;
    const num = mul(annS + mul(D_P, n, 'get_D'), D, 'get_D');
    const t = annMinusP * D;
    if (t >= limit) revert('get_D', `uint256 overflow: (Ann − A_PRECISION)·D with D = ${D}`);
    const den = (P === 1n ? t : t / P) + mul(n1, D_P, 'get_D');
    D = div(num, den, 'get_D');
    const step = D - Dprev;
    if (step <= 1n && step >= -1n) {
      lastIterations = it;
      return D;
    }
  }
  lastIterations = MAX_ITERATIONS;
  if (aPrecision === 1n) return D;
  throw new NewtonNotConvergedError('get_D', D, Dprev);
}

/**
 * The y-solve shared by get_y and get_y_D: y² + (b − D)·y = c over the balances of every coin but
 * `skip` (coin `replaced` taking the value `replacement`), by the contract's Newton loop from y = D.
 */
function solveY(
  xp: readonly bigint[], skip: number, replaced: number, replacement: bigint, D: bigint, amp: bigint, aPrecision: bigint, check: string,
): bigint {
  const n = xp.length;
  const nb = BigInt(n);
  const Ann = mul(amp, nb, check);
  let c = D;
  let S = 0n;
  for (let k = 0; k < n; k++) {
    if (k === skip) continue;
    const x = k === replaced ? replacement : xp[k]!;
    S += x;
    c = div(mul(c, D, check), mul(x, nb, check), check);
  }
  const annN = mul(Ann, nb, check);
  if (reducible(amp, aPrecision)) {
    // c·D·P/(Ann·n) and D·P/Ann with P cancelled (see `reducible`); overflow checked against 2^256/P
    const limit = limitOver(aPrecision);
    const cD = c * D;
    if (cD >= limit) revert(check, `uint256 overflow: c·D·A_PRECISION with c = ${c}, D = ${D}`);
    if (D >= limit) revert(check, `uint256 overflow: D·A_PRECISION with D = ${D}`);
    const AnnP = Ann / aPrecision;
    c = div(cD, annN / aPrecision, check);
    S += div(D, AnnP, check);
  } else {
    c = div(mul(mul(c, D, check), aPrecision, check), annN, check);
    S += div(mul(D, aPrecision, check), Ann, check);
  }
  const b = S;
  let y = D;
  let yPrev = 0n;
  lastIterations = 0;
  for (let it = 1; it <= MAX_ITERATIONS; it++) {
    yPrev = y;
    const den = (y << 1n) + b;
    if (den < D) revert(check, `uint256 underflow: 2y + b − D = ${den} − ${D} < 0`);
    y = div(mul(y, y, check) + c, den - D, check);
    const step = y - yPrev;
    if (step <= 1n && step >= -1n) {
      lastIterations = it;
      return y;
    }
  }
  lastIterations = MAX_ITERATIONS;
  if (aPrecision === 1n) return y;
  throw new NewtonNotConvergedError(check, y, yPrev);
}

/**
 * get_D(xp, amp): the invariant D of normalised balances `xp` (18 decimals), by Newton from D = Σxp.
 * 0 for an empty pool. `amp` = A()·aPrecision; `aPrecision` 1n (legacy, default) or 100n (template).
 */
export function getD(xp: bigint[], amp: bigint, aPrecision: bigint = 1n): bigint {
  validateBalances(xp, 'getD');
  validateAmp(amp, aPrecision, 'getD');
  return solveD(xp, amp, aPrecision);
}

/** getD and how many Newton steps it took (SS2: 4 at A() = 100, 3 at A() = 2000). */
export function getDWithIterations(xp: bigint[], amp: bigint, aPrecision: bigint = 1n): { D: bigint; iterations: number } {
  const D = getD(xp, amp, aPrecision);
  return { D, iterations: lastIterations };
}

/** get_D without validation, for callers that validated once (the pool). */
export function getDUnchecked(xp: readonly bigint[], amp: bigint, aPrecision: bigint): bigint {
  return solveD(xp, amp, aPrecision);
}

/**
 * get_y(i, j, x, xp): the new balance of coin j when coin i's normalised balance becomes `x`, at the
 * D of the *old* balances `xp` (as the contract does). Reverts when i = j or an index is out of range.
 */
export function getY(i: number, j: number, x: bigint, xp: bigint[], amp: bigint, aPrecision: bigint = 1n): bigint {
  validateBalances(xp, 'getY');
  validateAmp(amp, aPrecision, 'getY');
  validateIndex(i, xp.length, 'i', 'get_y');
  validateIndex(j, xp.length, 'j', 'get_y');
  if (i === j) revert('get_y', `same coin: i = j = ${i}`);
  if (typeof x !== 'bigint' || x < 0n || x >= UINT256_LIMIT) {
    throw new InvalidArgumentError(`getY: x must be a bigint in [0, 2^256), got ${describeValue(x)}`);
  }
  return getYUnchecked(i, j, x, xp, amp, aPrecision, solveD(xp, amp, aPrecision));
}

/** getY and how many Newton steps its y-solve took. */
export function getYWithIterations(i: number, j: number, x: bigint, xp: bigint[], amp: bigint, aPrecision: bigint = 1n): { y: bigint; iterations: number } {
  const y = getY(i, j, x, xp, amp, aPrecision);
  return { y, iterations: lastIterations };
}

/** get_y with D already known (= get_D(xp, amp)) and no validation, for the pool's cached D. */
export function getYUnchecked(i: number, j: number, x: bigint, xp: readonly bigint[], amp: bigint, aPrecision: bigint, D: bigint): bigint {
  return solveY(xp, j, i, x, D, amp, aPrecision, 'get_y');
}

/**
 * get_y_D(amp, i, xp, D): the balance of coin i that puts `xp` (others unchanged) on invariant `D`;
 * used for single-coin withdrawals, with D reduced by the burnt share.
 */
export function getYD(amp: bigint, i: number, xp: bigint[], D: bigint, aPrecision: bigint = 1n): bigint {
  validateBalances(xp, 'getYD');
  validateAmp(amp, aPrecision, 'getYD');
  validateIndex(i, xp.length, 'i', 'get_y_D');
  if (typeof D !== 'bigint' || D < 0n || D >= UINT256_LIMIT) {
    throw new InvalidArgumentError(`getYD: D must be a bigint in [0, 2^256), got ${describeValue(D)}`);
  }
  return getYDUnchecked(amp, i, xp, D, aPrecision);
}

/** get_y_D without validation. */
export function getYDUnchecked(amp: bigint, i: number, xp: readonly bigint[], D: bigint, aPrecision: bigint): bigint {
  return solveY(xp, i, -1, 0n, D, amp, aPrecision, 'get_y_D');
}
