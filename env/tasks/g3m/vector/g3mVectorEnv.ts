/**
 * `G3mVectorEnv`: g3m-v0 as a native vector env (Gymnasium's `vector_entry_point`, like its numpy
 * `CartPoleVectorEnv`): N sub-envs in struct-of-arrays columns stepped by one kernel (kernel.ts),
 * each sub-env the scalar `G3mEnv` under `make` (TimeLimit at `maxEpisodeSteps`) draw for draw:
 * same seed, same actions → the same observations, rewards, terminations, truncations and info
 * numbers.
 *
 * `make('g3m-v0', { numEnvs: N })` and `makeVec('g3m-v0', N)` return it. A price process other than
 * GBM is refused with `UnsupportedVectorOptionError` (use `vectorizationMode: 'sync'` for it); every
 * other scalar option is supported.
 *
 * Buffers: `reset` and `step` return the env's own typed arrays (observations N × 6 Float32Array,
 * rewards Float64Array, terminations / truncations Uint8Array) and one infos object, all
 * overwritten by the next call (copy what you keep). Infos hold the scalar env's info numbers as
 * Float64Array columns (`step`, `reward`, `p`, `fee`, `priceNumeraire`, `poolPriceNumeraire`,
 * `riskyTokens`, `numeraire`, `poolValueNumeraire`, `realizedVol`, `feesNumeraire`,
 * `arbLossNumeraire`, `noiseMarkoutNumeraire`, `arbVolumeNumeraire`, `noiseVolumeNumeraire`,
 * `arbTrades`, `noiseTrades`, `noiseDeclined`, `noiseInadmissible`), `clamped` as a Uint8Array and
 * the termination as `terminationCode` (see `terminationName`), each with a `_key` mask; `action`
 * is not repeated (it is the action passed in). In 'same-step' mode the ending sub-envs' terminal
 * observation and info are in `final_obs` (per-env Float32Array views or null) and `final_info`
 * (the same columns), masked by `_final_obs` / `_final_info`.
 */
import { ResetNeeded } from '../../../core/errors.js';
import type { RenderFrame } from '../../../core/env.js';
import { Box } from '../../../core/spaces/box.js';
import { Discrete } from '../../../core/spaces/discrete.js';
import type { AnySpace } from '../../../core/spaces/space.js';
import { batchSpace } from '../../../core/vector/utils.js';
import { G3M_ACTION_MEANINGS } from '../g3mEnv.js';
import type { G3mColumns } from './columns.js';
import { G3M_TERMINATION_REASONS } from './infoColumns.js';
import { G3mKernel } from './kernel.js';
import { resolveG3mVectorOptions, type G3mVectorOptions, type ResolvedG3mVectorOptions } from './options.js';
import { KernelVectorEnv } from '../../../core/vector/kernelVectorEnv.js';

const ID = 'g3m-v0';

export class G3mVectorEnv extends KernelVectorEnv<G3mKernel> {
  readonly singleObservationSpace: AnySpace;
  readonly singleActionSpace: AnySpace;
  readonly observationSpace: AnySpace;
  readonly actionSpace: AnySpace;
  readonly options: ResolvedG3mVectorOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  constructor(kwargs: G3mVectorOptions | Readonly<Record<string, unknown>>) {
    const options = resolveG3mVectorOptions(kwargs as Readonly<Record<string, unknown>>);
    super(ID, new G3mKernel(options), options.scalar.renderMode);
    this.options = options;
    const o = options.scalar;
    const n = options.numEnvs;
    this.singleObservationSpace = new Box([-1, 0, 0, 0, 0, 0], [1, 1, 1, 0.1, 5, 1], [6], 'float32');
    this.actionMeanings = o.actionSpace === 'discrete' ? G3M_ACTION_MEANINGS : [];
    this.singleActionSpace = o.actionSpace === 'discrete' ? new Discrete(5) : new Box(-1, 1, [2], 'float32');
    this.observationSpace = batchSpace(this.singleObservationSpace, n);
    this.actionSpace = batchSpace(this.singleActionSpace, n);
  }

  /** The state columns, read-only by contract (benchmarks and tests inspect them). */
  get columns(): Readonly<G3mColumns> {
    return this.kernel.cols;
  }

  /** The scalar env's `info.termination` for a `terminationCode` (null for 0). */
  terminationName(code: number): 'depleted' | null {
    return G3M_TERMINATION_REASONS[code] ?? null;
  }

  /** 'ansi': one line per sub-env, as the scalar env renders its last info. */
  override render(): (RenderFrame | null)[] | null {
    if (this.renderMode !== 'ansi') return null;
    const info = this.kernel.info;
    const cols = this.kernel.cols;
    const frames: (RenderFrame | null)[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (cols.started[i] === 0) throw new ResetNeeded(`${ID} vector env render: sub-env ${i} was never reset`);
      frames.push(`t=${info.step[i]} price=${info.priceNumeraire[i]!.toFixed(4)} pool=${info.poolPriceNumeraire[i]!.toFixed(4)} p=${info.p[i]!.toFixed(2)} `
        + `fee=${(10_000 * info.fee[i]!).toFixed(1)}bp value=${info.poolValueNumeraire[i]!.toFixed(2)} fees=${info.feesNumeraire[i]!.toFixed(2)} `
        + `arbLoss=${info.arbLossNumeraire[i]!.toFixed(2)} reward=${info.reward[i]!.toFixed(2)}`);
    }
    return frames;
  }
}
