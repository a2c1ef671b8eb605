/**
 * `NormalizeObservation(env, { epsilon })`: returns `(obs − mean) / sqrt(var + epsilon)` as a
 * Float32Array, with running statistics updated on every `reset` and `step` while
 * `updateRunningMean` is true. Freeze it (false) for evaluation. No clipping (as Gymnasium).
 * The observation space becomes Box(−inf, inf, shape, float32).
 */
import { ObservationWrapper, type Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { InvalidArgumentError, InvalidObservationError, describeValue } from '../errors.js';
import { RunningMeanStd } from './running-mean-std.js';

/** Observations the wrapper can read: a number (Discrete) or a numeric array-like. */
export type NumericObs = number | ArrayLike<number>;

export interface NormalizeObservationOptions {
  epsilon?: number;
}

export class NormalizeObservation<Obs extends NumericObs, Act> extends ObservationWrapper<Float32Array, Act, Obs> {
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  /** Whether `reset`/`step` update the statistics; set false to freeze them (evaluation). */
  updateRunningMean = true;
  private readonly size: number;

  constructor(env: Env<Obs, Act>, options: NormalizeObservationOptions = {}) {
    super(env);
    const epsilon = options.epsilon ?? 1e-8;
    if (!(epsilon > 0)) throw new InvalidArgumentError(`NormalizeObservation: epsilon must be > 0, got ${describeValue(epsilon)}`);
    const shape = env.observationSpace.shape;
    if (shape === null) {
      throw new InvalidArgumentError(`NormalizeObservation: the observation space ${env.observationSpace} has no shape (Tuple/Dict); flatten it first`);
    }
    this.epsilon = epsilon;
    this.observationSpace = new Box(-Infinity, Infinity, shape, 'float32');
    this.size = shape.reduce((a, b) => a * b, 1);
    this.obsRms = new RunningMeanStd(this.size);
  }

  observation(obs: Obs): Float32Array {
    const x: ArrayLike<number> = typeof obs === 'number' ? [obs] : obs;
    if (x.length !== this.size) {
      throw new InvalidObservationError(`NormalizeObservation: expected ${this.size} values, got ${describeValue(obs)}`);
    }
    if (this.updateRunningMean) this.obsRms.updateOne(x);
    const out = new Float32Array(this.size);
    const { mean, var: variance } = this.obsRms;
    for (let i = 0; i < this.size; i++) out[i] = (x[i]! - mean[i]!) / Math.sqrt(variance[i]! + this.epsilon);
    return out;
  }
}
