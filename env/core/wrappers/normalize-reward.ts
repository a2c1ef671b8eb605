/**
 * `NormalizeReward(env, { gamma, epsilon })`: divides each reward by the standard deviation of a
 * running discounted return, `r / sqrt(var + epsilon)` (no mean subtraction). Kept exactly as
 * Gymnasium for backward compatibility, including its documented quirk: the statistics track the
 * discounted return `G ← G·gamma·(1 − terminated) + r`, which is reset only by termination (not by
 * truncation or `reset`).
 */
import { Wrapper, type Env, type StepResult } from '../env.js';
import { InvalidArgumentError, describeValue } from '../errors.js';
import { RunningMeanStd } from './running-mean-std.js';

export interface NormalizeRewardOptions {
  gamma?: number;
  epsilon?: number;
}

export class NormalizeReward<Obs, Act> extends Wrapper<Obs, Act> {
  readonly gamma: number;
  readonly epsilon: number;
  readonly returnRms = new RunningMeanStd(1);
  /** The running discounted return. */
  discountedReward = 0;
  /** Whether `step` updates the statistics; set false to freeze them (evaluation). */
  updateRunningMean = true;

  constructor(env: Env<Obs, Act>, options: NormalizeRewardOptions = {}) {
    super(env);
    const gamma = options.gamma ?? 0.99;
    const epsilon = options.epsilon ?? 1e-8;
    if (!(gamma >= 0 && gamma <= 1)) throw new InvalidArgumentError(`NormalizeReward: gamma must be in [0, 1], got ${describeValue(gamma)}`);
    if (!(epsilon > 0)) throw new InvalidArgumentError(`NormalizeReward: epsilon must be > 0, got ${describeValue(epsilon)}`);
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    const reward = result[1];
    this.discountedReward = this.discountedReward * this.gamma * (result[2] ? 0 : 1) + reward;
    if (this.updateRunningMean) this.returnRms.updateScalar(this.discountedReward);
    result[1] = reward / Math.sqrt(this.returnRms.var[0]! + this.epsilon);
    return result;
  }
}
