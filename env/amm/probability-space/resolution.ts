/**
 * Resolution at expiry: every share of the winning outcome redeems for one unit of collateral and
 * the losing side is worthless. The pool's LP receives the pool's winning reserve; outside
 * holdings settle the same way.
 */
import type { Outcome, Reserves } from './types.js';
import { checkAmount, checkOutcome } from './validate.js';

/** Collateral paid for `holdings` once the event resolves to `outcome`. */
export function redeem(holdings: Reserves, outcome: Outcome): number {
  checkAmount('redeem', 'holdings.yes', holdings.yes);
  checkAmount('redeem', 'holdings.no', holdings.no);
  checkOutcome('redeem', outcome);
  return outcome === 'yes' ? holdings.yes : holdings.no;
}

/** Value in collateral of `holdings` when P(YES) = p: what they redeem for in expectation. */
export function valueAt(holdings: Reserves, p: number): number {
  return holdings.yes * p + holdings.no * (1 - p);
}
