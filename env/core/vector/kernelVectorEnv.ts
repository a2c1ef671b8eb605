/**
 * `KernelVectorEnv`: the native (struct-of-arrays) vector env around a kernel that steps N sub-envs
 * in typed-array columns. The env keeps what every such env does alike: Gymnasium's reset
 * arguments (seeds, `options.resetMask`), the kernel's output buffers returned as they are (overwritten
 * by the next call), infos as the kernel's info columns with `_key` masks, and in 'same-step' mode
 * `final_obs` (views into the kernel's buffer) and `final_info`. Subclasses add the spaces and
 * what names the kernel's codes.
 */
import type { EnvMetadata } from '../env.js';
import { AutoresetMode } from './autoreset-mode.js';
import { fillFinalObservations, reseedRow, resolveResetMask, resolveVectorSeeds } from './nativeReset.js';
import type { RngColumns } from './rngColumns.js';
import { VectorEnv, type VectorInfo, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from './vector-env.js';

/** What `KernelVectorEnv` needs of a kernel. */
export interface VectorKernel {
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly autoresetMode: AutoresetMode;
  readonly cols: RngColumns & { bytesPerEnv(): number };
  readonly observations: Float32Array;
  readonly rewards: Float64Array;
  readonly terminations: Uint8Array;
  readonly truncations: Uint8Array;
  readonly info: { toVectorInfo(mask: Uint8Array): VectorInfo };
  readonly finalObservations: Float32Array;
  readonly finalInfo: { toVectorInfo(mask: Uint8Array): VectorInfo };
  readonly finalMask: Uint8Array;
  /** Starts a new episode in sub-env i (its stream already seeded), writing its observation and reset info. */
  resetSubEnv(i: number): void;
  /** One step of every sub-env; throws typed errors naming `envId` for bad actions or steps out of order. */
  step(actions: ArrayLike<number>, envId: string): void;
}

export abstract class KernelVectorEnv<K extends VectorKernel> extends VectorEnv<Float32Array, ArrayLike<number>> {
  readonly numEnvs: number;
  readonly autoresetMode: AutoresetMode;
  readonly metadata: EnvMetadata;

  protected readonly kernel: K;
  private readonly envId: string;
  private readonly stepInfos: VectorInfo;
  private readonly resetInfos: VectorInfo;
  private readonly resetMask: Uint8Array;
  private readonly finalObsList: (Float32Array | null)[];
  private readonly finalObsViews: (Float32Array | null)[];

  constructor(envId: string, kernel: K, renderMode: string | null) {
    super();
    const n = kernel.numEnvs;
    this.envId = envId;
    this.kernel = kernel;
    this.numEnvs = n;
    this.autoresetMode = kernel.autoresetMode;
    this.renderMode = renderMode;
    this.metadata = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4, autoresetMode: this.autoresetMode });
    this.resetMask = new Uint8Array(n);
    this.stepInfos = kernel.info.toVectorInfo(new Uint8Array(n).fill(1));
    this.resetInfos = kernel.info.toVectorInfo(this.resetMask);
    this.finalObsList = new Array<Float32Array | null>(n).fill(null);
    this.finalObsViews = new Array<Float32Array | null>(n).fill(null);
    if (this.autoresetMode === AutoresetMode.SAME_STEP) {
      this.stepInfos['final_obs'] = this.finalObsList;
      this.stepInfos['_final_obs'] = kernel.finalMask;
      this.stepInfos['final_info'] = kernel.finalInfo.toVectorInfo(kernel.finalMask);
      this.stepInfos['_final_info'] = kernel.finalMask;
    }
  }

  /** Seeds of the sub-envs' streams (−1 before their first reset). */
  get npRandomSeed(): number[] {
    return Array.from(this.kernel.cols.seeds);
  }

  /** Bytes of state per sub-env (columns and RNG; outputs and infos excluded). */
  bytesPerEnv(): number {
    return this.kernel.cols.bytesPerEnv();
  }

  reset(args: VectorResetArgs = {}): VectorResetResult<Float32Array> {
    const n = this.numEnvs;
    const id = this.envId;
    const seeds = resolveVectorSeeds(args.seed, n, id);
    const mask = this.resetMask;
    resolveResetMask(args.options?.resetMask, mask, id);
    const k = this.kernel;
    for (let i = 0; i < n; i++) {
      if (mask[i] === 0) continue;
      reseedRow(k.cols, i, seeds === null ? undefined : seeds[i], id);
      k.resetSubEnv(i);
      k.rewards[i] = 0;
      k.terminations[i] = 0;
      k.truncations[i] = 0;
    }
    return [k.observations, this.resetInfos];
  }

  step(actions: ArrayLike<number>): VectorStepResult<Float32Array> {
    const k = this.kernel;
    k.step(actions, this.spec?.id ?? this.envId);
    if (this.autoresetMode === AutoresetMode.SAME_STEP) {
      fillFinalObservations(this.finalObsList, this.finalObsViews, k.finalObservations, k.finalMask, k.obsSize);
    }
    return [k.observations, k.rewards, k.terminations, k.truncations, this.stepInfos];
  }
}
