/**
 * Typed errors of the Drift v1 vAMM, one class per protocol `ErrorCode` we can raise
 * (protocol-v1 `programs/clearing_house/src/error.rs`). A guard failure in the real program aborts
 * the whole instruction; here it throws and the input state is left untouched (functions are pure).
 *
 * Every error carries `code` (the Rust variant name), `check` (which guard fired, e.g. 'budget',
 * 'priceChange') and a message naming the offending values and what was allowed.
 */
import { DammGymError } from '../../core/errors.js';

/** The Rust `ErrorCode` variants this module can raise. */
export type DriftErrorCode =
  | 'InvalidRepegRedundant'
  | 'InvalidRepegDirection'
  | 'InvalidRepegProfitability'
  | 'InvalidUpdateK'
  | 'InvalidFundingProfitability'
  | 'TradeSizeTooSmall'
  | 'TradeSizeTooLarge'
  | 'InvalidOracle'
  | 'OracleMarkSpreadLimit'
  | 'InvalidInitialPeg'
  | 'AdminWithdrawTooLarge'
  | 'MathError'
  | 'CastingFailure';

/** Base class of every Drift v1 protocol error. */
export class DriftProtocolError extends DammGymError {
  /** The protocol's error code (Rust `ErrorCode` variant name). */
  readonly code: DriftErrorCode;
  /** Which guard or computation raised it (free-form, stable strings documented at each throw). */
  readonly check: string;

  constructor(code: DriftErrorCode, check: string, message: string) {
    super(`${code} [${check}]: ${message}`);
    this.code = code;
    this.check = check;
  }
}

/** `repeg_amm_curve` was asked for the peg the market already has. */
export class InvalidRepegRedundant extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidRepegRedundant', check, message);
  }
}

/** A repeg would move the terminal price away from the (valid) oracle. */
export class InvalidRepegDirection extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidRepegDirection', check, message);
  }
}

/** A repeg overshoots the oracle confidence band, or its cost breaks the 50 % fee-pool tranche. */
export class InvalidRepegProfitability extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidRepegProfitability', check, message);
  }
}

/** `update_k` rejected: budget, price change, k-decrease limit or k_err. */
export class InvalidUpdateK extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidUpdateK', check, message);
  }
}

/** Funding would take tfmd below floor(total_fee/2). */
export class InvalidFundingProfitability extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidFundingProfitability', check, message);
  }
}

/** The trade's quote-reserve amount is below the market's minimum trade size. */
export class TradeSizeTooSmall extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('TradeSizeTooSmall', check, message);
  }
}

/** A `Remove` swap larger than the reserve (may2022 semantics). */
export class TradeSizeTooLarge extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('TradeSizeTooLarge', check, message);
  }
}

/** An oracle reading that cannot be used at all (e.g. a negative price cast to u128). */
export class InvalidOracle extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidOracle', check, message);
  }
}

/** A risk-increasing trade pushes mark/oracle divergence past the guard rail. */
export class OracleMarkSpreadLimit extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('OracleMarkSpreadLimit', check, message);
  }
}

/** `initialize_market` requires x = y. */
export class InvalidInitialPeg extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('InvalidInitialPeg', check, message);
  }
}

/** `withdraw_fees` above floor(total_fee/2) − total_fee_withdrawn. */
export class AdminWithdrawTooLarge extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('AdminWithdrawTooLarge', check, message);
  }
}

/** A checked u128/i128 operation failed in Rust (underflow, division by zero). */
export class MathError extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('MathError', check, message);
  }
}

/** A Rust `cast_to_u128` of a negative value. */
export class CastingFailure extends DriftProtocolError {
  constructor(check: string, message: string) {
    super('CastingFailure', check, message);
  }
}

/** A protocol version name that is not in `PROTOCOLS`. Not a protocol error: a caller mistake. */
export class UnknownProtocolVersion extends DammGymError {
  constructor(readonly version: string, known: readonly string[]) {
    super(`unknown Drift v1 protocol version '${version}'; known versions: ${known.join(', ')}`);
  }
}
