/**
 * The swap primitive (protocol-v1 `math/amm.rs` `calculate_swap_output`): move one reserve by
 * `swapAmount`, recompute the other as floor(s²/new_in). Always s², never x·y.
 */
import { MathError, TradeSizeTooLarge } from './errors.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';

/** `Add` puts `swapAmount` into the input reserve; `Remove` takes it out. */
export type SwapDirection = 'add' | 'remove';

export interface SwapOutput {
  /** floor(s² / newInputReserve). */
  readonly newOutputReserve: bigint;
  readonly newInputReserve: bigint;
}

/**
 * `calculate_swap_output(swap_amount, input_asset_amount, direction, invariant_sqrt)`.
 * A `Remove` larger than the reserve is `TradeSizeTooLarge` (may2022) or a u128 underflow
 * `MathError` (jan2022); removing the whole reserve divides by zero (`MathError`).
 */
export function calculateSwapOutput(
  swapAmount: bigint,
  inputReserve: bigint,
  direction: SwapDirection,
  sqrtK: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): SwapOutput {
  let newInputReserve: bigint;
  if (direction === 'add') {
    newInputReserve = inputReserve + swapAmount;
  } else {
    if (swapAmount > inputReserve) {
      const message = `Remove ${swapAmount} exceeds reserve ${inputReserve}`;
      if (resolveProtocol(protocol).removeLargerThanReserve === 'TradeSizeTooLarge') {
        throw new TradeSizeTooLarge('calculateSwapOutput', message);
      }
      throw new MathError('calculateSwapOutput', message);
    }
    newInputReserve = inputReserve - swapAmount;
  }
  if (newInputReserve === 0n) {
    throw new MathError('calculateSwapOutput', `swap empties the input reserve (division by zero)`);
  }
  return { newOutputReserve: (sqrtK * sqrtK) / newInputReserve, newInputReserve };
}
