/**
 * The LP's books in prediction-market-v0. The LP owns the whole pool; besides it, it holds
 * collateral (negative: capital it put in) and outcome shares outside the pool (what liquidity
 * changes hand back, FPMM-style). Complete sets outside the pool are merged into collateral at
 * once, so at most one side is held outside.
 */
import { scaleLiquidity, type LiquidityChange, type Reserves } from '../../amm/probability-space/index.js';

export class LpAccount {
  /** Collateral: starts at −(first deposit); fees and sales flow in through the pool. */
  cash = 0;
  outsideYes = 0;
  outsideNo = 0;

  reset(): void {
    this.cash = 0;
    this.outsideYes = 0;
    this.outsideNo = 0;
  }

  /** Books a deposit or withdrawal: collateral out, leftover shares in, complete sets merged. */
  book(change: LiquidityChange): void {
    this.cash -= change.collateralIn;
    this.outsideYes += change.yesToLp;
    this.outsideNo += change.noToLp;
    const sets = Math.min(this.outsideYes, this.outsideNo);
    this.cash += sets;
    this.outsideYes -= sets;
    this.outsideNo -= sets;
  }

  /** Scales the pool by `factor` and books it; returns the new pool. */
  scale(pool: Reserves, factor: number): Reserves {
    const change = scaleLiquidity(pool, factor);
    this.book(change);
    return change.reserves;
  }

  /** Everything the LP owns, valued at P(YES) = q (at resolution, q is 0 or 1: what it redeems). */
  wealth(pool: Reserves, q: number): number {
    return this.cash + (pool.yes + this.outsideYes) * q + (pool.no + this.outsideNo) * (1 - q);
  }

  /** Net YES exposure: how much the LP's wealth moves per unit move of q. */
  exposure(pool: Reserves): number {
    return pool.yes + this.outsideYes - pool.no - this.outsideNo;
  }
}
