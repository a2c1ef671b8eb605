/**
 * Liquidity (amm-curves.md §2.5): s is 1-homogeneous, so scaling both reserves by the same factor
 * leaves every price unchanged and scales s (and the LP's shares) by that factor. LPs deal in
 * collateral, so, as in Gnosis' FPMM, adding mints complete sets and hands the LP the shares of
 * the side the pool does not need, and removing merges as many sets as the LP's cut allows and
 * hands over the rest as shares.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import type { Reserves } from './types.js';
import { checkProbability, checkReserve, checkTime } from './validate.js';

/** The result of scaling a pool's liquidity. */
export interface LiquidityChange {
  /** The pool after the change (both reserves × factor). */
  readonly reserves: Reserves;
  /** Collateral from the LP (> 0 when adding) or to the LP (< 0 when removing). */
  readonly collateralIn: number;
  /** Outcome shares handed to the LP (never negative). */
  readonly yesToLp: number;
  readonly noToLp: number;
}

/**
 * Scale both reserves by `factor` > 0. Adding (factor > 1) costs α·max(yes, no) collateral with
 * α = factor − 1, and returns α·(max − yes) YES and α·(max − no) NO; removing (factor < 1) with
 * β = 1 − factor pays β·min(yes, no) collateral plus β·(yes − min) YES and β·(no − min) NO. At
 * collateral value (one set = one unit) neither direction changes the LP's wealth.
 */
export function scaleLiquidity(pool: Reserves, factor: number): LiquidityChange {
  checkReserve('scaleLiquidity', 'pool.yes', pool.yes);
  checkReserve('scaleLiquidity', 'pool.no', pool.no);
  if (!(factor > 0 && factor < Infinity)) {
    throw new InvalidArgumentError(`probabilitySpace.scaleLiquidity: factor must be a finite number > 0 (1 = unchanged), got ${describeValue(factor)}`);
  }
  const reserves = { yes: pool.yes * factor, no: pool.no * factor };
  if (factor >= 1) {
    const alpha = factor - 1;
    const sets = Math.max(pool.yes, pool.no);
    return { reserves, collateralIn: alpha * sets, yesToLp: alpha * (sets - pool.yes), noToLp: alpha * (sets - pool.no) };
  }
  const beta = 1 - factor;
  const sets = Math.min(pool.yes, pool.no);
  return { reserves, collateralIn: -beta * sets, yesToLp: beta * (pool.yes - sets), noToLp: beta * (pool.no - sets) };
}

/**
 * The pool a first deposit of `collateral` creates at time t with implied YES probability p (FPMM's
 * initial funding): the larger reserve equals `collateral`, the smaller one sits on the price
 * (y/x = (p/(1 − p))^√t), and the shares of the side the pool holds less of go back to the LP.
 */
export function fundPool(collateral: number, t: number, p: number): LiquidityChange {
  checkReserve('fundPool', 'collateral', collateral);
  checkTime('fundPool', t);
  checkProbability('fundPool', 'p', p);
  const ratio = Math.exp(Math.sqrt(t) * (Math.log(p) - Math.log1p(-p)));
  const yes = ratio >= 1 ? collateral / ratio : collateral;
  const no = ratio >= 1 ? collateral : collateral * ratio;
  return { reserves: { yes, no }, collateralIn: collateral, yesToLp: collateral - yes, noToLp: collateral - no };
}
