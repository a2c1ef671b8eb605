/**
 * The scalar drift-vamm-v0 on the struct-of-arrays kernel: one sub-env, no autoreset, no time
 * limit (make's TimeLimit truncates). The env's `Rng` is the stream: its state goes into the
 * kernel's RNG columns before each step and comes back after, so `npRandom` stays the truth and
 * the trajectory is the object path's (engine + trader flow) bit for bit. What the kernel leaves
 * in its output columns becomes the scalar step's observation, reward, flags and info.
 */
import type { Info } from '../../../core/env.js';
import type { Rng } from '../../../core/rng.js';
import { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import type { FloatMarket } from '../../../amm/drift-v1/float/index.js';
import type { ResolvedOptions } from '../options.js';
import { TERMINATION_REASONS } from './infoColumns.js';
import { DriftVammKernel } from './kernel.js';
import { kernelOptions } from './options.js';
import { loadFunding, scratchMarket } from './scratchMarket.js';

export class ScalarKernel {
  private readonly kernel: DriftVammKernel;
  /** The discrete action as the kernel reads it (a batch of one). */
  private readonly discreteAction = new Float64Array(1);

  constructor(options: ResolvedOptions) {
    this.kernel = new DriftVammKernel(kernelOptions(options, 1, Infinity, AutoresetMode.DISABLED));
  }

  /** A new episode (after the env reseeded `rng`, or kept its stream). */
  reset(rng: Rng): void {
    const k = this.kernel;
    k.resetSubEnv(0);
    rng.streamTo(k.cols, 0);
  }

  /** One step on an action the env has checked against its space, after a reset (the env checks both). */
  step(action: number | ArrayLike<number>, rng: Rng): void {
    const k = this.kernel;
    const cols = k.cols;
    rng.streamTo(cols, 0);
    let batch: ArrayLike<number>;
    if (typeof action === 'number') {
      this.discreteAction[0] = action;
      batch = this.discreteAction;
    } else batch = action;
    try {
      // the kernel's own batch checks would repeat the env's
      k.stepRows(batch, 0, 1);
    } finally {
      rng.streamFrom(cols, 0);
    }
    // a scalar env may be stepped past its end (Gymnasium leaves that to the caller)
    cols.ended[0] = 0;
  }

  get reward(): number {
    return this.kernel.rewards[0]!;
  }

  get terminated(): boolean {
    return this.kernel.terminations[0] === 1;
  }

  /** The observation, a fresh array (callers keep observations). */
  observation(): Float32Array {
    // a one-sub-env kernel's output is exactly one observation; the typed-array copy constructor
    // copies it in one block (cheaper than `new Float32Array(5)` and five stores, or slice())
    return new Float32Array(this.kernel.observations);
  }

  /** The info object of the object path, key for key. */
  info(action: string): Info {
    const k = this.kernel;
    const c = k.info;
    const reset = action === 'reset';
    // code 0 (most steps: nothing rejected, nothing ended) is null without a table lookup
    const rejectedCode = c.rejectedCode[0]!;
    const terminationCode = c.terminationCode[0]!;
    const info: Info = {
      step: c.step[0]!,
      action,
      rejected: rejectedCode === 0 ? null : k.admin.rejections.name(rejectedCode),
      termination: terminationCode === 0 ? null : TERMINATION_REASONS[terminationCode] ?? null,
      volumeUsd: reset ? 0 : c.volumeUsd[0]!,
      trades: reset ? 0 : c.trades[0]!,
      feesUsd: c.feesUsd[0]!,
      adjustmentCostUsd: c.adjustmentCostUsd[0]!,
      fundingUsd: c.fundingUsd[0]!,
      markUsd: c.markUsd[0]!,
      oracleUsd: c.oracleUsd[0]!,
      pegUsd: c.pegUsd[0]!,
      sqrtK: c.sqrtK[0]!,
      longOiBase: c.longOiBase[0]!,
      shortOiBase: c.shortOiBase[0]!,
      tfmdUsd: c.tfmdUsd[0]!,
      totalFeeUsd: c.totalFeeUsd[0]!,
    };
    if (!reset && c.fundingBlocked[0] === 1) info.fundingBlocked = k.funding.lastBlockedMessage;
    return info;
  }

  /** The market as the object path's `FloatMarket` (a copy built from the columns). */
  market(): FloatMarket {
    const k = this.kernel;
    const m = scratchMarket(k.template);
    loadFunding(m, k.cols, 0);
    m.openInterest = k.cols.openInterest[0]!;
    return m;
  }
}
