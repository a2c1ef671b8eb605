/**
 * `PredictionMarketVectorEnv`: prediction-market-v0 as a native vector env (Gymnasium's
 * `vector_entry_point`, like its numpy `CartPoleVectorEnv`): N sub-envs in struct-of-arrays
 * columns stepped by one kernel (kernel.ts), each sub-env the scalar `PredictionMarketEnv` under
 * `make` (TimeLimit at `maxEpisodeSteps`) draw for draw: same seed, same actions → the same
 * observations, rewards, terminations, truncations and info numbers.
 *
 * `make('prediction-market-v0', { numEnvs: N })` and `makeVec('prediction-market-v0', N)` return
 * it. Every scalar option is supported except a `traders.noiseMedianCollateral` above 1e250
 * (refused with `UnsupportedVectorOptionError`: trades that large overflow, where the scalar env
 * throws mid-step).
 *
 * Buffers: `reset` and `step` return the env's own typed arrays (observations N × 5 Float32Array,
 * rewards Float64Array, terminations / truncations Uint8Array) and one infos object, all
 * overwritten by the next call (copy what you keep). Infos hold the scalar env's info numbers as
 * Float64Array columns (`INFO_NUMBER_KEYS`: step, timeToExpiry, trueProbability, poolProbability,
 * poolYes, poolNo, invariant, liquidityMultiple, feeRate, the trader flow, the LP's books, wealth,
 * revaluation, tradingPnl, and profit — NaN before resolution, where the scalar's is null) with
 * `_key` masks; its strings as codes: `actionCode` (see `actionName`) and `outcomeCode` (see
 * `outcomeName`). In 'same-step' mode the ending sub-envs' terminal observation and info are in
 * `final_obs` (per-env Float32Array views or null) and `final_info` (the same columns), masked by
 * `_final_obs` / `_final_info`.
 */
import { InvalidArgumentError, ResetNeeded, describeValue } from '../../../core/errors.js';
import type { RenderFrame } from '../../../core/env.js';
import { Box } from '../../../core/spaces/box.js';
import { Discrete } from '../../../core/spaces/discrete.js';
import type { AnySpace } from '../../../core/spaces/space.js';
import { batchSpace } from '../../../core/vector/utils.js';
import { DISCRETE_ACTIONS, actionMeaning } from '../actions.js';
import type { PredictionMarketColumns } from './columns.js';
import { ACTION_CODE_CONTINUOUS, ACTION_CODE_RESET, OUTCOMES } from './infoColumns.js';
import { PredictionMarketKernel } from './kernel.js';
import { resolveVectorOptions, type PredictionMarketVectorOptions, type ResolvedVectorOptions } from './options.js';
import { KernelVectorEnv } from '../../../core/vector/kernelVectorEnv.js';

const ID = 'prediction-market-v0';
const EXPOSURE_BOUND = 10;

export class PredictionMarketVectorEnv extends KernelVectorEnv<PredictionMarketKernel> {
  readonly singleObservationSpace: AnySpace;
  readonly singleActionSpace: AnySpace;
  readonly observationSpace: AnySpace;
  readonly actionSpace: AnySpace;
  readonly options: ResolvedVectorOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  constructor(kwargs: PredictionMarketVectorOptions | Readonly<Record<string, unknown>>) {
    const options = resolveVectorOptions(kwargs as Readonly<Record<string, unknown>>);
    super(ID, new PredictionMarketKernel(options), options.scalar.renderMode);
    this.options = options;
    const o = options.scalar;
    const n = options.numEnvs;
    this.singleObservationSpace = new Box([0, 0, -5, 0, -EXPOSURE_BOUND], [1, 1, 5, 1, EXPOSURE_BOUND], [5], 'float32');
    const discrete = o.actionSpace === 'discrete';
    this.actionMeanings = discrete ? DISCRETE_ACTIONS.map(actionMeaning) : [];
    this.singleActionSpace = discrete ? new Discrete(DISCRETE_ACTIONS.length) : new Box(-1, 1, [2], 'float32');
    this.observationSpace = batchSpace(this.singleObservationSpace, n);
    this.actionSpace = batchSpace(this.singleActionSpace, n);
  }

  /** The state columns, read-only by contract (benchmarks and tests inspect them). */
  get columns(): Readonly<PredictionMarketColumns> {
    return this.kernel.cols;
  }

  /** The scalar env's `info.action` for an `actionCode`. */
  actionName(code: number): string {
    if (code === ACTION_CODE_RESET) return 'reset';
    if (code === ACTION_CODE_CONTINUOUS) return 'continuous';
    const name = this.actionMeanings[code];
    if (name === undefined) throw new InvalidArgumentError(`${ID} vector env actionName: no action has code ${describeValue(code)}; codes are −1 (reset), −2 (continuous) and 0 … ${this.actionMeanings.length - 1}`);
    return name;
  }

  /** The scalar env's `info.outcome` for an `outcomeCode` (null for 0). */
  outcomeName(code: number): 'yes' | 'no' | null {
    return OUTCOMES[code] ?? null;
  }

  /** 'ansi': one line per sub-env, as the scalar env renders its last info. */
  override render(): (RenderFrame | null)[] | null {
    if (this.renderMode !== 'ansi') return null;
    const c = this.kernel.info.columns;
    const cols = this.kernel.cols;
    const f = (v: number, d = 3) => v.toFixed(d);
    const frames: (RenderFrame | null)[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (cols.started[i] === 0) throw new ResetNeeded(`${ID} vector env render: sub-env ${i} was never reset`);
      const outcome = this.outcomeName(this.kernel.info.outcomeCode[i]!);
      frames.push(`step=${c.step[i]} τ=${f(c.timeToExpiry[i]!)} q=${f(c.trueProbability[i]!)} pool p=${f(c.poolProbability[i]!)} `
        + `YES=${f(c.poolYes[i]!, 2)} NO=${f(c.poolNo[i]!, 2)} liquidity×${f(c.liquidityMultiple[i]!, 2)} fee=${f(c.feeRate[i]!, 4)} `
        + `wealth=${f(c.wealth[i]!)}${outcome ? ` resolved ${outcome.toUpperCase()}, profit ${f(c.profit[i]!)}` : ''}`);
    }
    return frames;
  }
}
