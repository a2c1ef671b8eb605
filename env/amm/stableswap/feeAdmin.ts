/**
 * Fee governance (amm-curves.md §3.6): `commit_new_fee` stores a future fee and admin fee with a
 * deadline ADMIN_ACTIONS_DELAY ahead; `apply_new_fee` installs them once the deadline has passed;
 * `revert_new_parameters` drops the pending change. Raw fees are fractions ×1e10.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { ADMIN_ACTIONS_DELAY, MAX_ADMIN_FEE, MAX_FEE } from './constants.js';
import { StableSwapRevert } from './errors.js';

export interface FeeState {
  /** Current fee ×1e10, charged on the output of exchanges. */
  readonly fee: bigint;
  /** Current admin share of the fee ×1e10. */
  readonly adminFee: bigint;
  readonly futureFee: bigint;
  readonly futureAdminFee: bigint;
  /** When the committed change may be applied; 0 = nothing pending. */
  readonly adminActionsDeadline: bigint;
}

/** Throws `InvalidArgumentError` unless fee ∈ [0, MAX_FEE] and adminFee ∈ [0, MAX_ADMIN_FEE] (raw ×1e10). */
export function validateFees(fee: bigint, adminFee: bigint, where: string): void {
  if (typeof fee !== 'bigint' || fee < 0n || fee > MAX_FEE) {
    throw new InvalidArgumentError(`${where}: fee must be a bigint in [0, ${MAX_FEE}] (×1e10; 4000000n = 0.04 %), got ${describeValue(fee)}`);
  }
  if (typeof adminFee !== 'bigint' || adminFee < 0n || adminFee > MAX_ADMIN_FEE) {
    throw new InvalidArgumentError(`${where}: adminFee must be a bigint in [0, ${MAX_ADMIN_FEE}] (×1e10 of the fee), got ${describeValue(adminFee)}`);
  }
}

export function initialFeeState(fee: bigint, adminFee: bigint): FeeState {
  validateFees(fee, adminFee, 'StableSwap fees');
  return { fee, adminFee, futureFee: 0n, futureAdminFee: 0n, adminActionsDeadline: 0n };
}

/** `commit_new_fee(new_fee, new_admin_fee)` at `now`. Reverts while another change is pending or above the maxima. */
export function commitNewFee(s: FeeState, newFee: bigint, newAdminFee: bigint, now: bigint): FeeState {
  if (typeof newFee !== 'bigint' || typeof newAdminFee !== 'bigint') {
    throw new InvalidArgumentError(`commit_new_fee: fees must be bigints (×1e10), got ${describeValue(newFee)}, ${describeValue(newAdminFee)}`);
  }
  if (s.adminActionsDeadline !== 0n) {
    throw new StableSwapRevert('commit_new_fee: active action', `a fee change is already pending until ${s.adminActionsDeadline}; apply or revert it first`);
  }
  if (newFee > MAX_FEE || newFee < 0n) throw new StableSwapRevert('commit_new_fee: fee exceeds maximum', `new_fee = ${newFee} must be in [0, ${MAX_FEE}]`);
  if (newAdminFee > MAX_ADMIN_FEE || newAdminFee < 0n) {
    throw new StableSwapRevert('commit_new_fee: admin fee exceeds maximum', `new_admin_fee = ${newAdminFee} must be in [0, ${MAX_ADMIN_FEE}]`);
  }
  return { ...s, futureFee: newFee, futureAdminFee: newAdminFee, adminActionsDeadline: now + ADMIN_ACTIONS_DELAY };
}

/** `apply_new_fee()` at `now`. Reverts before the deadline or with nothing pending. */
export function applyNewFee(s: FeeState, now: bigint): FeeState {
  if (now < s.adminActionsDeadline) {
    throw new StableSwapRevert('apply_new_fee: insufficient time', `now = ${now} is before the deadline ${s.adminActionsDeadline}`);
  }
  if (s.adminActionsDeadline === 0n) throw new StableSwapRevert('apply_new_fee: no active action', 'no fee change was committed');
  return { ...s, fee: s.futureFee, adminFee: s.futureAdminFee, adminActionsDeadline: 0n };
}

/** `revert_new_parameters()`: drops a pending change (a no-op when none is pending, as in the contract). */
export function revertNewParameters(s: FeeState): FeeState {
  return { ...s, adminActionsDeadline: 0n };
}
