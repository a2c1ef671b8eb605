/**
 * Trading outcome shares against collateral, as prediction-market AMMs do (Gnosis' fixed-product
 * market maker, here on the ProbabilitySpace curve): one unit of collateral mints one YES plus one
 * NO share, and one YES plus one NO merge back into one unit.
 *
 * - Buy a side with collateral c: the c complete sets go into the pool and the pool pays out the
 *   bought side, Λ shares. The fee γ = 1 − fee is on the input, so the curve condition is
 *   s(bought + γc − Λ, other + γc) = s(bought, other) and afterwards the pool holds
 *   (bought + c − Λ, other + c): the fee stays in the pool as (1 − γ)·c complete sets.
 * - Sell Δ shares of a side for collateral c: the pool takes the shares, merges c sets and pays c.
 *   Curve condition s(sold + γΔ − c, other − c) = s, pool afterwards (sold + Δ − c, other − c).
 *
 * Given collateral in (buy) and given collateral out (sell) have closed forms; given shares out
 * (buy) and given shares in (sell) solve a monotone 1-D equation (solve.ts). At the margin a buy
 * costs p_side/γ per share (price.ts). Amounts are rounded in the pool's favour (swap.ts).
 */
import { InsufficientLiquidityError } from './errors.js';
import { exponentAt } from './invariant.js';
import { logMove, roomAboveMinimum } from './powerMean.js';
import { solveMonotone } from './solve.js';
import { POOL_ROUNDING } from './swap.js';
import type { Outcome, Reserves, Trade } from './types.js';
import { checkAmount, checkFee, checkOutcome, checkReserve, checkTime } from './validate.js';

function checkPool(where: string, reserveSide: number, reserveOther: number, t: number, feeRate: number): void {
  checkReserve(where, 'reserveSide', reserveSide);
  checkReserve(where, 'reserveOther', reserveOther);
  checkTime(where, t);
  checkFee(where, feeRate);
}

/** Shares of a side received for `collateralIn`; `reserveSide` is the pool's reserve of that side. */
export function sharesOutGivenCollateralIn(reserveSide: number, reserveOther: number, t: number, collateralIn: number, feeRate: number): number {
  checkPool('sharesOutGivenCollateralIn', reserveSide, reserveOther, t, feeRate);
  checkAmount('sharesOutGivenCollateralIn', 'collateralIn', collateralIn);
  const effective = (1 - feeRate) * collateralIn;
  const dLnSide = logMove(Math.log(reserveSide), Math.log(reserveOther), Math.log1p(effective / reserveOther), exponentAt(t));
  // Λ = side + γc − side·e^(d ln side), written so that small trades keep their digits.
  const shares = effective - reserveSide * Math.expm1(dLnSide) - POOL_ROUNDING * (reserveSide + effective);
  return shares > 0 ? shares : 0;
}

/** The slope of the curve, |d side / d other| = (side/other)^(1−k), at the point (side, other). */
function slope(side: number, other: number, k: number): number {
  return Math.exp((1 - k) * (Math.log(side) - Math.log(other)));
}

/** Collateral needed to buy exactly `sharesOut` shares of a side. Always fillable: the buyer brings the minted shares. */
export function collateralInGivenSharesOut(reserveSide: number, reserveOther: number, t: number, sharesOut: number, feeRate: number): number {
  checkPool('collateralInGivenSharesOut', reserveSide, reserveOther, t, feeRate);
  checkAmount('collateralInGivenSharesOut', 'sharesOut', sharesOut);
  if (sharesOut === 0) return 0;
  const k = exponentAt(t);
  const lnSide = Math.log(reserveSide);
  const lnOther = Math.log(reserveOther);
  // u = γ·c: g(u) = u − Λ − (side after − side) rises from −Λ at u = 0 to side − f(other + Λ) > 0 at u = Λ.
  const dLnSide = (u: number) => logMove(lnSide, lnOther, Math.log1p(u / reserveOther), k);
  const g = (u: number) => u - sharesOut - reserveSide * Math.expm1(dLnSide(u));
  const dg = (u: number) => 1 + slope(reserveSide * Math.exp(dLnSide(u)), reserveOther + u, k);
  const u = solveMonotone(g, dg, 0, sharesOut);
  return u / (1 - feeRate) + POOL_ROUNDING * (reserveSide + reserveOther + u);
}

/** The most collateral a sale can take out (exclusive): the other reserve above its minimum. */
export function maxCollateralOut(reserveSide: number, reserveOther: number, t: number): number {
  checkReserve('maxCollateralOut', 'reserveSide', reserveSide);
  checkReserve('maxCollateralOut', 'reserveOther', reserveOther);
  checkTime('maxCollateralOut', t);
  return roomAboveMinimum(Math.log(reserveSide), Math.log(reserveOther), exponentAt(t));
}

/** Collateral received for selling `sharesIn` shares of a side. */
export function collateralOutGivenSharesIn(reserveSide: number, reserveOther: number, t: number, sharesIn: number, feeRate: number): number {
  checkPool('collateralOutGivenSharesIn', reserveSide, reserveOther, t, feeRate);
  checkAmount('collateralOutGivenSharesIn', 'sharesIn', sharesIn);
  if (sharesIn === 0) return 0;
  const k = exponentAt(t);
  const lnSide = Math.log(reserveSide);
  const lnOther = Math.log(reserveOther);
  const effective = (1 - feeRate) * sharesIn;
  const room = roomAboveMinimum(lnSide, lnOther, k);
  // h(c) = γΔ − c − (side after − side) falls from γΔ at c = 0 to below 0 at min(γΔ, room).
  const dLnSide = (c: number) => logMove(lnSide, lnOther, Math.log1p(-c / reserveOther), k);
  const h = (c: number) => effective - c - reserveSide * Math.expm1(dLnSide(c));
  const dh = (c: number) => -1 - slope(reserveSide * Math.exp(dLnSide(c)), reserveOther - c, k);
  const c = solveMonotone(h, dh, 0, Math.min(effective, room));
  const paid = c - POOL_ROUNDING * reserveOther;
  return paid > 0 ? paid : 0;
}

/** Shares of a side to sell to receive exactly `collateralOut`. */
export function sharesInGivenCollateralOut(reserveSide: number, reserveOther: number, t: number, collateralOut: number, feeRate: number): number {
  checkPool('sharesInGivenCollateralOut', reserveSide, reserveOther, t, feeRate);
  checkAmount('sharesInGivenCollateralOut', 'collateralOut', collateralOut);
  const k = exponentAt(t);
  const lnSide = Math.log(reserveSide);
  const lnOther = Math.log(reserveOther);
  const room = roomAboveMinimum(lnSide, lnOther, k);
  const dLnSide = collateralOut < room ? logMove(lnSide, lnOther, Math.log1p(-collateralOut / reserveOther), k) : Infinity;
  if (!(dLnSide < Infinity)) {
    throw new InsufficientLiquidityError('probabilitySpace.sharesInGivenCollateralOut', collateralOut, room,
      `merging that many sets would take the other reserve ${reserveOther} to its minimum ${reserveOther - room} at t = ${t}`);
  }
  return (reserveSide * Math.expm1(dLnSide) + collateralOut) / (1 - feeRate) + POOL_ROUNDING * (reserveSide + collateralOut);
}

function sides(pool: Reserves, side: Outcome): [number, number] {
  return side === 'yes' ? [pool.yes, pool.no] : [pool.no, pool.yes];
}

function reservesOf(side: Outcome, sideReserve: number, otherReserve: number): Reserves {
  return side === 'yes' ? { yes: sideReserve, no: otherReserve } : { yes: otherReserve, no: sideReserve };
}

/** Buy `side` with `collateralIn`; returns the fill and the pool afterwards. */
export function buyGivenCollateralIn(pool: Reserves, t: number, side: Outcome, collateralIn: number, feeRate: number): Trade {
  checkOutcome('buyGivenCollateralIn', side);
  const [r, o] = sides(pool, side);
  const shares = sharesOutGivenCollateralIn(r, o, t, collateralIn, feeRate);
  return { amountIn: collateralIn, amountOut: shares, fee: feeRate * collateralIn, reserves: reservesOf(side, r + collateralIn - shares, o + collateralIn) };
}

/** Buy exactly `sharesOut` shares of `side` with collateral. */
export function buyGivenSharesOut(pool: Reserves, t: number, side: Outcome, sharesOut: number, feeRate: number): Trade {
  checkOutcome('buyGivenSharesOut', side);
  const [r, o] = sides(pool, side);
  const c = collateralInGivenSharesOut(r, o, t, sharesOut, feeRate);
  return { amountIn: c, amountOut: sharesOut, fee: feeRate * c, reserves: reservesOf(side, r + c - sharesOut, o + c) };
}

/** Sell `sharesIn` shares of `side` for collateral. */
export function sellGivenSharesIn(pool: Reserves, t: number, side: Outcome, sharesIn: number, feeRate: number): Trade {
  checkOutcome('sellGivenSharesIn', side);
  const [r, o] = sides(pool, side);
  const c = collateralOutGivenSharesIn(r, o, t, sharesIn, feeRate);
  return { amountIn: sharesIn, amountOut: c, fee: feeRate * sharesIn, reserves: reservesOf(side, r + sharesIn - c, o - c) };
}

/** Sell shares of `side` to receive exactly `collateralOut`. */
export function sellGivenCollateralOut(pool: Reserves, t: number, side: Outcome, collateralOut: number, feeRate: number): Trade {
  checkOutcome('sellGivenCollateralOut', side);
  const [r, o] = sides(pool, side);
  const shares = sharesInGivenCollateralOut(r, o, t, collateralOut, feeRate);
  return { amountIn: shares, amountOut: collateralOut, fee: feeRate * shares, reserves: reservesOf(side, r + shares - collateralOut, o - collateralOut) };
}
