/**
 * Prices on the ProbabilitySpace curve (amm-curves.md §5.2). The pool quotes YES in NO at
 * π = −dy/dx = (y/x)^(1/√t); since one YES plus one NO is worth one unit of collateral, the implied
 * probabilities are p_yes = π/(1 + π) and p_no = 1/(1 + π). Buying a side with collateral costs
 * p_side/(1 − fee) per share at the margin.
 */
import { exponentAt, probabilityFromLogs } from './invariant.js';
import type { Reserves } from './types.js';
import { checkProbability, checkReserve, checkTime } from './validate.js';

/** π = (y/x)^(1/√t), the price of one YES share in NO shares (+∞ or 0 at expiry unless x = y). */
export function spotPrice(x: number, y: number, t: number): number {
  checkReserve('spotPrice', 'x', x);
  checkReserve('spotPrice', 'y', y);
  checkTime('spotPrice', t, true);
  const d = Math.log(y) - Math.log(x);
  if (t === 0) return d > 0 ? Infinity : d < 0 ? 0 : 1;
  return Math.exp(d / Math.sqrt(t));
}

/** The pool's implied probability of YES, π/(1 + π), in (0, 1) before expiry (rounds to 0 or 1 in far tails). */
export function impliedProbability(x: number, y: number, t: number): number {
  checkReserve('impliedProbability', 'x', x);
  checkReserve('impliedProbability', 'y', y);
  checkTime('impliedProbability', t, true);
  return probabilityFromLogs(Math.log(x), Math.log(y), t);
}

/**
 * The point of the curve with invariant s at time t whose implied YES probability is p.
 * y/x = π^√t with π = p/(1 − p), i.e. ln(y/x) = √t·logit(p); then x^k·(1 + (y/x)^k) = 2·s^k gives
 * ln x = ln s − log1p(expm1(k·ln(y/x))/2)/k. |k·ln(y/x)| = (1 − √t)·|logit p| stays below ~37 for
 * every double p in (0, 1), so nothing overflows, even as t → 0.
 */
export function reservesAtProbability(s: number, t: number, p: number): Reserves {
  checkReserve('reservesAtProbability', 's', s);
  checkTime('reservesAtProbability', t);
  checkProbability('reservesAtProbability', 'p', p);
  const k = exponentAt(t);
  const lnRatio = Math.sqrt(t) * (Math.log(p) - Math.log1p(-p));
  const lnS = Math.log(s);
  const lnX = k === 0 ? lnS - 0.5 * lnRatio : lnS - Math.log1p(0.5 * Math.expm1(k * lnRatio)) / k;
  return { yes: Math.exp(lnX), no: Math.exp(lnX + lnRatio) };
}

