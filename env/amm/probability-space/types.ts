/** Shapes shared by the ProbabilitySpace functions. Amounts are in shares or collateral units: one share of the winning outcome redeems for one unit of collateral. */

/** A pair of YES and NO reserves (or holdings), in shares. */
export interface Reserves {
  readonly yes: number;
  readonly no: number;
}

/** The two outcomes of the binary event. */
export type Outcome = 'yes' | 'no';

/** A filled trade: what the trader paid and got, the fee the pool kept, and the pool afterwards. */
export interface Trade {
  /** What the trader gave the pool (collateral for buys, shares for sells and swaps). */
  readonly amountIn: number;
  /** What the trader received (shares for buys and swaps, collateral for sells). */
  readonly amountOut: number;
  /** The part of `amountIn` the pool kept as fee (it stays in the reserves). */
  readonly fee: number;
  /** The pool's reserves after the trade. */
  readonly reserves: Reserves;
}

export function otherOutcome(outcome: Outcome): Outcome {
  return outcome === 'yes' ? 'no' : 'yes';
}
