/**
 * `DriftVammVectorEnv`: drift-vamm-v0 as a native vector env (Gymnasium's `vector_entry_point`,
 * like its numpy `CartPoleVectorEnv`): N sub-envs in struct-of-arrays columns stepped by one
 * kernel (kernel.ts), each sub-env the scalar `DriftVammEnv` under `make` (float engine, jan2022,
 * TimeLimit at `maxEpisodeSteps`) draw for draw: same seed, same actions → the same observations,
 * rewards, terminations, truncations and info numbers.
 *
 * `make('drift-vamm-v0', { numEnvs: N })` and `makeVec('drift-vamm-v0', N)` return it. Options
 * the kernel does not implement (protocol ≠ jan2022, engine 'exact', a non-GBM oracle) are refused
 * with `UnsupportedVectorOptionError`; every other scalar option is supported.
 *
 * Buffers: `reset` and `step` return the env's own typed arrays (observations N × obs size
 * Float32Array, rewards Float64Array, terminations / truncations Uint8Array) and one infos object,
 * all overwritten by the next call (copy what you keep). Infos hold the scalar env's info numbers
 * as Float64Array columns (`step`, `volumeUsd`, `trades`, `feesUsd`, `adjustmentCostUsd`,
 * `fundingUsd`, `markUsd`, `oracleUsd`, `pegUsd`, `sqrtK`, `longOiBase`, `shortOiBase`, `tfmdUsd`,
 * `totalFeeUsd`) with `_key` masks; its strings as codes: `rejectedCode` (see `rejectionName`),
 * `terminationCode` (see `TERMINATION_REASONS`), `fundingBlocked` (0/1). In 'same-step' mode the
 * ending sub-envs' terminal observation and info are in `final_obs` (per-env Float32Array views or
 * null) and `final_info` (the same columns), masked by `_final_obs` / `_final_info`.
 */
import { ResetNeeded } from '../../../core/errors.js';
import type { RenderFrame } from '../../../core/env.js';
import { Box } from '../../../core/spaces/box.js';
import { Discrete } from '../../../core/spaces/discrete.js';
import type { AnySpace } from '../../../core/spaces/space.js';
import { batchSpace } from '../../../core/vector/utils.js';
import { actionMeaning, discreteActions } from '../actions.js';
import type { DriftVammColumns } from './columns.js';
import { TERMINATION_REASONS } from './infoColumns.js';
import { DriftVammKernel } from './kernel.js';
import { resolveVectorOptions, type DriftVammVectorOptions, type ResolvedVectorOptions } from './options.js';
import { KernelVectorEnv } from '../../../core/vector/kernelVectorEnv.js';
import { threadedKernel } from './threads.js';

const ID = 'drift-vamm-v0';

export class DriftVammVectorEnv extends KernelVectorEnv<DriftVammKernel> {
  readonly singleObservationSpace: AnySpace;
  readonly singleActionSpace: AnySpace;
  readonly observationSpace: AnySpace;
  readonly actionSpace: AnySpace;
  readonly options: ResolvedVectorOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  constructor(kwargs: DriftVammVectorOptions | Readonly<Record<string, unknown>>) {
    const options = resolveVectorOptions(kwargs as Readonly<Record<string, unknown>>);
    super(ID, options.numThreads > 1 ? threadedKernel(options) : new DriftVammKernel(options), options.scalar.renderMode);
    this.options = options;
    const o = options.scalar;
    const n = options.numEnvs;
    this.singleObservationSpace = o.observation === 'imbalance'
      ? new Box(-Infinity, Infinity, [1], 'float32')
      : new Box([-1, -1, -1, -5, 0], [1, 1, 1, 5, 1], [5], 'float32');
    this.actionMeanings = o.actionSpace === 'discrete' ? discreteActions(o.kDeltas, false).map(actionMeaning) : [];
    this.singleActionSpace = o.actionSpace === 'discrete' ? new Discrete(this.actionMeanings.length) : new Box(-1, 1, [2], 'float32');
    this.observationSpace = batchSpace(this.singleObservationSpace, n);
    this.actionSpace = batchSpace(this.singleActionSpace, n);
  }

  /** The state columns, read-only by contract (benchmarks and tests inspect them). */
  get columns(): Readonly<DriftVammColumns> {
    return this.kernel.cols;
  }

  /** The scalar env's `info.rejected` for a `rejectedCode` (null for 0). */
  rejectionName(code: number): string | null {
    return this.kernel.admin.rejections.name(code);
  }

  /** The scalar env's `info.termination` for a `terminationCode` (null for 0). */
  terminationName(code: number): string | null {
    return TERMINATION_REASONS[code] ?? null;
  }

  /** Ends the worker threads (numThreads > 1); stepping afterwards throws ClosedEnvironmentError. */
  protected override closeExtras(): void {
    this.kernel.workers?.close();
  }

  /** 'ansi': one line per sub-env, as the scalar env renders its last info. */
  override render(): (RenderFrame | null)[] | null {
    if (this.renderMode !== 'ansi') return null;
    const info = this.kernel.info;
    const cols = this.kernel.cols;
    const frames: (RenderFrame | null)[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (cols.started[i] === 0) throw new ResetNeeded(`${ID} vector env render: sub-env ${i} was never reset`);
      const rejected = this.rejectionName(info.rejectedCode[i]!);
      frames.push(`t=${info.step[i]} mark=${info.markUsd[i]!.toFixed(4)} oracle=${info.oracleUsd[i]!.toFixed(4)} peg=${info.pegUsd[i]!.toFixed(3)} `
        + `long=${info.longOiBase[i]!.toFixed(3)} short=${info.shortOiBase[i]!.toFixed(3)} feePool=${info.tfmdUsd[i]!.toFixed(2)} USD${rejected ? ` rejected: ${rejected}` : ''}`);
    }
    return frames;
  }
}
