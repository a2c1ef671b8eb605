/** Per-step output of `TraderFlow.step`; one object reused by the caller (overwritten each step). */
export interface FlowStepStats {
  /** Notional of every executed trade (opens and closes), USD. */
  volumeUsd: number;
  /** What went to the fee pool (`fee_to_market`, incl. may2022 spread surplus), USD. */
  feesUsd: number;
  /** Executed trades: informed + uninformed + closes. */
  trades: number;
  /** Informed opens executed. */
  informed: number;
  /** Uninformed opens executed. */
  uninformed: number;
  /** Positions closed. */
  closes: number;
  /** Trades the protocol rejected (opens dropped; a rejected close is retried next step). */
  rejected: number;
  /** Informed arrivals that found no profitable trade (inside the no-arbitrage band or too small). */
  abstained: number;
  /** Notional of informed opens, USD. */
  informedVolumeUsd: number;
  /** Notional of uninformed long / short opens, USD. */
  uninformedLongUsd: number;
  uninformedShortUsd: number;
  /** Expected arrivals this step (informed + uninformed), the Poisson mean used. */
  arrivalRate: number;
}

export function newFlowStepStats(): FlowStepStats {
  return {
    volumeUsd: 0,
    feesUsd: 0,
    trades: 0,
    informed: 0,
    uninformed: 0,
    closes: 0,
    rejected: 0,
    abstained: 0,
    informedVolumeUsd: 0,
    uninformedLongUsd: 0,
    uninformedShortUsd: 0,
    arrivalRate: 0,
  };
}
