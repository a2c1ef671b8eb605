/**
 * Optimal buys against the curve (amm-curves.md §2.4 for this curve): the trade a trader who
 * believes P(YES) = q makes. Inside a buy, the k-th unit of collateral lands on the fee-free curve
 * as γ units of complete sets, so the marginal cost of the side bought is p_eff/γ, where p_eff is the
 * implied probability at the trade's fee-free point (bought + γc − Λ, other + γc). The trader buys
 * until that cost reaches q, which is one closed-form curve point (price.ts).
 *
 * With no fee this moves the pool exactly to q (the §5.3 time-decay vectors); with a fee the pool
 * also keeps the fee sets, which nudges its price back toward ½, and nobody trades while
 * γ·q ≤ p_yes ≤ 1 − γ·(1 − q): the no-arbitrage band of §2.3.
 */
import { exponentAt } from './invariant.js';
import { logPowerMean } from './powerMean.js';
import { impliedProbability, reservesAtProbability } from './price.js';
import { sharesOutGivenCollateralIn } from './collateral.js';
import type { Outcome, Reserves } from './types.js';
import { checkFee, checkOutcome, checkProbability, checkReserve, checkTime } from './validate.js';

/**
 * Collateral to spend buying `side` so that the last share bought costs `costPerShare`; 0 when the
 * first share already costs that much or more. `costPerShare` must make γ·cost a probability in (0, 1).
 */
export function collateralForMarginalCost(pool: Reserves, t: number, side: Outcome, costPerShare: number, feeRate: number): number {
  const where = 'collateralForMarginalCost';
  checkReserve(where, 'pool.yes', pool.yes);
  checkReserve(where, 'pool.no', pool.no);
  checkTime(where, t);
  checkFee(where, feeRate);
  checkOutcome(where, side);
  const gamma = 1 - feeRate;
  const targetSide = gamma * costPerShare;
  checkProbability(where, '(1 − feeRate)·costPerShare', targetSide);
  const pYes = impliedProbability(pool.yes, pool.no, t);
  const pSide = side === 'yes' ? pYes : 1 - pYes;
  if (pSide >= targetSide) return 0;
  const s = Math.exp(logPowerMean(Math.log(pool.yes), Math.log(pool.no), exponentAt(t)));
  const target = reservesAtProbability(s, t, side === 'yes' ? targetSide : 1 - targetSide);
  // Buying YES raises the NO reserve by γc at the fee-free point (and vice versa).
  const c = side === 'yes' ? (target.no - pool.no) / gamma : (target.yes - pool.yes) / gamma;
  return c > 0 ? c : 0;
}

/** The profit-maximising buy of a trader with belief q = P(YES). */
export interface OptimalBuy {
  readonly side: Outcome;
  readonly collateralIn: number;
  readonly sharesOut: number;
  /** Expected profit at the belief: sharesOut·P(side) − collateralIn. */
  readonly expectedProfit: number;
}

/** The buy a trader believing P(YES) = `belief` makes; null inside the no-arbitrage band. */
export function optimalBuy(pool: Reserves, t: number, belief: number, feeRate: number): OptimalBuy | null {
  checkProbability('optimalBuy', 'belief', belief);
  for (const side of ['yes', 'no'] as const) {
    const value = side === 'yes' ? belief : 1 - belief;
    const c = collateralForMarginalCost(pool, t, side, value, feeRate);
    if (c > 0) {
      const shares = side === 'yes'
        ? sharesOutGivenCollateralIn(pool.yes, pool.no, t, c, feeRate)
        : sharesOutGivenCollateralIn(pool.no, pool.yes, t, c, feeRate);
      return { side, collateralIn: c, sharesOut: shares, expectedProfit: shares * value - c };
    }
  }
  return null;
}
