/**
 * Typed errors of the ProbabilitySpace curve. Bad inputs (NaN, a time outside (0, 1], a negative
 * amount) throw the core `InvalidArgumentError`; a well-formed trade the curve cannot fill throws
 * `InsufficientLiquidityError`, naming the amount asked for and the most the pool can give.
 */
import { DammGymError } from '../../core/errors.js';

/** A trade that would take a reserve to or below its minimum (the curve's asymptote at time t). */
export class InsufficientLiquidityError extends DammGymError {
  constructor(
    readonly where: string,
    readonly requested: number,
    readonly available: number,
    detail: string,
  ) {
    super(`${where}: asked for ${requested}, but at most ${available} (exclusive) can leave the pool; ${detail}`);
  }
}
