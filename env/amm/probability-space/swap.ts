/**
 * Share-for-share swaps (amm-curves.md §5.2): sell Δ of one outcome for the other, fee γ = 1 − fee
 * on the input, the fee staying in the pool (§2.1: valid iff s(R + γΔ − Λ) ≥ s(R), then R ← R + Δ − Λ).
 * The invariant is symmetric, so each function takes the reserve of the share going in and of the
 * share coming out.
 *
 * Rounding: float64 has no protocol rounding to copy, so every amount is rounded in the pool's
 * favour by POOL_ROUNDING of the reserve it is measured against (1e-13, well above the few-ulp error
 * of the log-domain evaluation and far below any economic amount). A trade therefore never lowers s
 * through floating error, and a round trip never pays the trader.
 */
import { InsufficientLiquidityError } from './errors.js';
import { exponentAt } from './invariant.js';
import { logMove, roomAboveMinimum } from './powerMean.js';
import type { Outcome, Reserves, Trade } from './types.js';
import { checkAmount, checkFee, checkOutcome, checkReserve, checkTime } from './validate.js';

/** Relative margin by which amounts are rounded in the pool's favour. */
export const POOL_ROUNDING = 1e-13;

function checkPool(where: string, reserveIn: number, reserveOut: number, t: number, feeRate: number): void {
  checkReserve(where, 'reserveIn', reserveIn);
  checkReserve(where, 'reserveOut', reserveOut);
  checkTime(where, t);
  checkFee(where, feeRate);
}

/** Shares of the other outcome received for selling `amountIn` shares into the pool. */
export function outGivenIn(reserveIn: number, reserveOut: number, t: number, amountIn: number, feeRate: number): number {
  checkPool('outGivenIn', reserveIn, reserveOut, t, feeRate);
  checkAmount('outGivenIn', 'amountIn', amountIn);
  const dLnOut = logMove(Math.log(reserveOut), Math.log(reserveIn), Math.log1p(((1 - feeRate) * amountIn) / reserveIn), exponentAt(t));
  const out = -reserveOut * Math.expm1(dLnOut) - POOL_ROUNDING * reserveOut;
  return out > 0 ? out : 0;
}

/** The most that can leave the `reserveOut` side (exclusive): reserveOut minus the curve's minimum reserve. */
export function maxOut(reserveIn: number, reserveOut: number, t: number): number {
  checkReserve('maxOut', 'reserveIn', reserveIn);
  checkReserve('maxOut', 'reserveOut', reserveOut);
  checkTime('maxOut', t);
  return roomAboveMinimum(Math.log(reserveIn), Math.log(reserveOut), exponentAt(t));
}

/** Shares to sell into the pool to receive exactly `amountOut` shares of the other outcome. */
export function inGivenOut(reserveIn: number, reserveOut: number, t: number, amountOut: number, feeRate: number): number {
  checkPool('inGivenOut', reserveIn, reserveOut, t, feeRate);
  checkAmount('inGivenOut', 'amountOut', amountOut);
  const k = exponentAt(t);
  const lnIn = Math.log(reserveIn);
  const lnOut = Math.log(reserveOut);
  const room = roomAboveMinimum(lnIn, lnOut, k);
  const dLnIn = amountOut < room ? logMove(lnIn, lnOut, Math.log1p(-amountOut / reserveOut), k) : Infinity;
  if (!(dLnIn < Infinity)) {
    throw new InsufficientLiquidityError('probabilitySpace.inGivenOut', amountOut, room,
      `the reserve ${reserveOut} cannot fall to its minimum ${reserveOut - room} at t = ${t}`);
  }
  return (reserveIn * Math.expm1(dLnIn)) / (1 - feeRate) + POOL_ROUNDING * reserveIn;
}

function sides(pool: Reserves, sideIn: Outcome): [number, number] {
  return sideIn === 'yes' ? [pool.yes, pool.no] : [pool.no, pool.yes];
}

function reservesOf(sideIn: Outcome, newIn: number, newOut: number): Reserves {
  return sideIn === 'yes' ? { yes: newIn, no: newOut } : { yes: newOut, no: newIn };
}

/** Sell `amountIn` shares of `sideIn` for the other outcome; returns the fill and the new pool. */
export function swapGivenIn(pool: Reserves, t: number, sideIn: Outcome, amountIn: number, feeRate: number): Trade {
  checkOutcome('swapGivenIn', sideIn);
  const [rIn, rOut] = sides(pool, sideIn);
  const out = outGivenIn(rIn, rOut, t, amountIn, feeRate);
  return { amountIn, amountOut: out, fee: feeRate * amountIn, reserves: reservesOf(sideIn, rIn + amountIn, rOut - out) };
}

/** Buy exactly `amountOut` shares of the outcome other than `sideIn`, paying in `sideIn` shares. */
export function swapGivenOut(pool: Reserves, t: number, sideIn: Outcome, amountOut: number, feeRate: number): Trade {
  checkOutcome('swapGivenOut', sideIn);
  const [rIn, rOut] = sides(pool, sideIn);
  const amountIn = inGivenOut(rIn, rOut, t, amountOut, feeRate);
  return { amountIn, amountOut, fee: feeRate * amountIn, reserves: reservesOf(sideIn, rIn + amountIn, rOut - amountOut) };
}
