/**
 * ProbabilitySpace's invariant x^k + y^k = 2·s^k with k(t) = 1 − 1/√t (amm-curves.md §5.1–5.2).
 * x is the pool's YES reserve, y its NO reserve, both in outcome shares (one share pays one unit
 * of collateral if its outcome happens); t is the time to expiry over the initial time to expiry.
 * s is the equal-weight power mean M_k(x, y): √(xy) at t = 1, the harmonic mean at t = ¼ and
 * min(x, y) at expiry.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { logMinReserve, logPowerMean } from './powerMean.js';
import { checkReserve, checkTime } from './validate.js';

/** k(t) = 1 − 1/√t: 0 at t = 1, −1 at t = ¼, −∞ at t = 0. */
export function exponentAt(t: number): number {
  checkTime('exponentAt', t, true);
  return t === 1 ? 0 : 1 - 1 / Math.sqrt(t);
}

/** ln s of reserves (x, y) at time t. */
export function logInvariant(x: number, y: number, t: number): number {
  checkReserve('logInvariant', 'x', x);
  checkReserve('logInvariant', 'y', y);
  return logPowerMean(Math.log(x), Math.log(y), exponentAt(t));
}

/** s of reserves (x, y) at time t ∈ [0, 1] (t = 0: min(x, y)). */
export function invariant(x: number, y: number, t: number): number {
  checkReserve('invariant', 'x', x);
  checkReserve('invariant', 'y', y);
  return Math.exp(logPowerMean(Math.log(x), Math.log(y), exponentAt(t)));
}

/**
 * The smallest either reserve can be on the curve of invariant s at time t: s·2^(1/k) =
 * s·2^(−√t/(1−√t)); 0 at t = 1, s at expiry. Trades can approach it but never reach it, which is
 * what guarantees the LP a minimum amount of YES and NO.
 */
export function minReserveOf(s: number, t: number): number {
  checkReserve('minReserveOf', 's', s);
  return Math.exp(logMinReserve(Math.log(s), exponentAt(t)));
}

/** The minimum reserve of the curve through (x, y) at time t. */
export function minReserve(x: number, y: number, t: number): number {
  const k = exponentAt(t);
  checkReserve('minReserve', 'x', x);
  checkReserve('minReserve', 'y', y);
  return Math.exp(logMinReserve(logPowerMean(Math.log(x), Math.log(y), k), k));
}

/** What the passage of time does to a pool whose reserves do not change. */
export interface TimeDecay {
  /** s at the start time and at the end time. */
  readonly sFrom: number;
  readonly sTo: number;
  /** The minimum reserve at the end time. */
  readonly minReserveTo: number;
  /** The pool's implied YES probability at each time (it drifts toward 0 or 1 as t falls). */
  readonly probabilityFrom: number;
  readonly probabilityTo: number;
}

/**
 * Time passing with the reserves fixed (§5.2, last rule): the curve is re-evaluated at the new
 * time, so s falls (the power mean decreases with its exponent) and the implied probability moves
 * toward the edge of the side already favoured. Arbitrageurs then trade the price back, which is
 * the LP's cost of time decay (§5.3).
 */
export function timeDecay(x: number, y: number, tFrom: number, tTo: number): TimeDecay {
  checkTime('timeDecay', tFrom, true);
  checkTime('timeDecay', tTo, true);
  if (tTo > tFrom) {
    throw new InvalidArgumentError(`probabilitySpace.timeDecay: tTo must be ≤ tFrom (time to expiry only falls), got tFrom ${tFrom}, tTo ${tTo}`);
  }
  checkReserve('timeDecay', 'x', x);
  checkReserve('timeDecay', 'y', y);
  const lnX = Math.log(x);
  const lnY = Math.log(y);
  const kTo = exponentAt(tTo);
  const lnSTo = logPowerMean(lnX, lnY, kTo);
  return {
    sFrom: Math.exp(logPowerMean(lnX, lnY, exponentAt(tFrom))),
    sTo: Math.exp(lnSTo),
    minReserveTo: Math.exp(logMinReserve(lnSTo, kTo)),
    probabilityFrom: probabilityFromLogs(lnX, lnY, tFrom),
    probabilityTo: probabilityFromLogs(lnX, lnY, tTo),
  };
}

/**
 * The implied YES probability π/(1 + π), π = (y/x)^(1/√t), written as a logistic in ln π so it
 * neither overflows near expiry nor loses the tails; at t = 0 it is the binary payoff (1, 0 or ½).
 */
export function probabilityFromLogs(lnX: number, lnY: number, t: number): number {
  const d = lnY - lnX;
  if (t === 0) return d > 0 ? 1 : d < 0 ? 0 : 0.5;
  const z = d / Math.sqrt(t);
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
