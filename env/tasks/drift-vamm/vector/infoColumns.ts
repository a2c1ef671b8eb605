/**
 * The scalar env's info numbers for N sub-envs, one preallocated column per key (the layout
 * `addVectorInfo` gives numbers: a Float64Array per key). Strings are interned: `rejectedCode`
 * indexes the env's `rejectionNames` (0: none) and `terminationCode` indexes `TERMINATION_REASONS`
 * (0: none); `fundingBlocked` is 1 where the fee-pool floor refused the hourly funding.
 */
import { privateColumns, type ColumnAlloc } from '../../../core/vector/columnAlloc.js';
import type { TerminationReason } from '../driftVammEnv.js';

/** `terminationCode` → the scalar env's `info.termination` (index 0: null). */
export const TERMINATION_REASONS: readonly (TerminationReason | null)[] = Object.freeze([null, 'fee-pool-floor', 'divergence', 'invalid-market']);
export const TERMINATION_FLOOR = 1;
export const TERMINATION_DIVERGENCE = 2;
export const TERMINATION_INVALID = 3;

/** The numeric info keys, in the scalar env's order. */
export const INFO_NUMBER_KEYS = Object.freeze([
  'step', 'volumeUsd', 'trades', 'feesUsd', 'adjustmentCostUsd', 'fundingUsd', 'markUsd', 'oracleUsd', 'pegUsd',
  'sqrtK', 'longOiBase', 'shortOiBase', 'tfmdUsd', 'totalFeeUsd',
] as const);

export class InfoColumns {
  readonly step: Float64Array;
  readonly volumeUsd: Float64Array;
  readonly trades: Float64Array;
  readonly feesUsd: Float64Array;
  readonly adjustmentCostUsd: Float64Array;
  readonly fundingUsd: Float64Array;
  readonly markUsd: Float64Array;
  readonly oracleUsd: Float64Array;
  readonly pegUsd: Float64Array;
  readonly sqrtK: Float64Array;
  readonly longOiBase: Float64Array;
  readonly shortOiBase: Float64Array;
  readonly tfmdUsd: Float64Array;
  readonly totalFeeUsd: Float64Array;
  readonly rejectedCode: Int32Array;
  readonly terminationCode: Int32Array;
  readonly fundingBlocked: Uint8Array;

  constructor(readonly numEnvs: number, alloc: ColumnAlloc = privateColumns) {
    const f = () => alloc.f64(numEnvs);
    this.step = f();
    this.volumeUsd = f();
    this.trades = f();
    this.feesUsd = f();
    this.adjustmentCostUsd = f();
    this.fundingUsd = f();
    this.markUsd = f();
    this.oracleUsd = f();
    this.pegUsd = f();
    this.sqrtK = f();
    this.longOiBase = f();
    this.shortOiBase = f();
    this.tfmdUsd = f();
    this.totalFeeUsd = f();
    this.rejectedCode = alloc.i32(numEnvs);
    this.terminationCode = alloc.i32(numEnvs);
    this.fundingBlocked = alloc.u8(numEnvs);
  }

  /** Copies sub-env i's row of `src` into this. */
  copyRow(src: InfoColumns, i: number): void {
    for (const key of INFO_NUMBER_KEYS) this[key][i] = src[key][i]!;
    this.rejectedCode[i] = src.rejectedCode[i]!;
    this.terminationCode[i] = src.terminationCode[i]!;
    this.fundingBlocked[i] = src.fundingBlocked[i]!;
  }

  /** The columns as a vector-info object: `key` → column plus a `_key` mask (shared, all ones). */
  toVectorInfo(mask: Uint8Array): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of [...INFO_NUMBER_KEYS, 'rejectedCode', 'terminationCode', 'fundingBlocked'] as const) {
      out[key] = this[key];
      out[`_${key}`] = mask;
    }
    return out;
  }
}
