/**
 * Typed errors of the StableSwap math. A failed `assert`, a uint256 underflow/overflow or a
 * division by zero reverts the whole call in Vyper; here it throws `StableSwapRevert` and the pool
 * is left untouched. Every error carries `check` (which assert or computation fired, a stable
 * string documented at each throw) and a message naming the values and what was allowed.
 */
import { DammGymError } from '../../core/errors.js';

/** Base class of every StableSwap protocol error. */
export class StableSwapError extends DammGymError {
  constructor(
    /** Which assert or computation raised it, e.g. 'get_D', 'ramp_A: future_A', 'add_liquidity: D1 > D0'. */
    readonly check: string,
    message: string,
  ) {
    super(`${check}: ${message}`);
  }
}

/** An `assert` of the contract failed, or uint256 arithmetic reverted (underflow, overflow, division by zero). */
export class StableSwapRevert extends StableSwapError {}

/**
 * Newton's iteration did not settle within 255 steps. The template pools (A_PRECISION = 100)
 * `raise`; the legacy 3pool returns its last iterate instead, so the exact code throws this only for
 * the template. The float twin throws it whenever its iteration fails to settle.
 */
export class NewtonNotConvergedError extends StableSwapError {
  constructor(
    check: string,
    /** The last two iterates (bigint in the exact code, number in the float twin). */
    readonly last: bigint | number,
    readonly previous: bigint | number,
  ) {
    super(check, `Newton's iteration did not converge in 255 steps (last iterates ${previous} → ${last})`);
  }
}
