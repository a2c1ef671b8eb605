/**
 * Typed errors of the G3M / Gf3M math. Bad parameters (p, weights, reserves, fee, amounts) throw
 * `G3mParameterError` (an `InvalidArgumentError`); a well-formed trade that the curve cannot fill
 * (it would drain the output reserve, or no trade reaches the asked price) throws
 * `InadmissibleTradeError`, which carries the amount and the largest admissible one.
 */
import { DammGymError, InvalidArgumentError, describeValue } from '../../core/errors.js';

/** A G3M/Gf3M argument outside its domain; the message names the argument, its value and what is allowed. */
export class G3mParameterError extends InvalidArgumentError {
  constructor(
    /** Where the value came from, e.g. `outGivenIn amountIn` or `pool.weights[1]`. */
    readonly field: string,
    readonly value: unknown,
    /** What is allowed, in words. */
    readonly allowed: string,
  ) {
    super(`${field} = ${describeValue(value)} is not allowed: expected ${allowed}`);
  }
}

/**
 * A trade larger than the curve can fill: it would take the output reserve to zero or below (or so
 * close to zero that float64 rounds what is left to 0, which happens just below `maxAmount` for small p).
 */
export class InadmissibleTradeError extends DammGymError {
  constructor(
    /** The function that was asked, e.g. `outGivenIn`. */
    readonly where: string,
    /** The requested amount (input for given-in trades, output for given-out trades), token units. */
    readonly amount: number,
    /** The supremum of admissible amounts of the same kind (exclusive), token units. */
    readonly maxAmount: number,
  ) {
    super(
      `${where}: amount ${describeValue(amount)} is not admissible: the trade would drain the output reserve ` +
        `(leave it ≤ 0 in float64); admissible amounts are below ${describeValue(maxAmount)}`,
    );
  }
}

/** A target price that no trade of the asked direction reaches (at p = 1 the G3M price is fixed). */
export class UnreachablePriceError extends DammGymError {
  constructor(
    readonly where: string,
    readonly targetPrice: number,
    readonly spotPrice: number,
    readonly p: number,
  ) {
    super(
      `${where}: no trade reaches the price ${describeValue(targetPrice)} from ${describeValue(spotPrice)} at p = ${describeValue(p)}` +
        (p >= 1 ? ' (the arithmetic-mean curve, p = 1, has a fixed price)' : ''),
    );
  }
}
