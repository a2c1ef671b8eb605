/**
 * `TimeLimit(env, maxEpisodeSteps)`: sets `truncated = true` on the step where the episode length
 * reaches `maxEpisodeSteps` (Gymnasium: `elapsed >= max_episode_steps`). The only source of
 * truncation for most envs; `terminated` still comes from the env.
 */
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { InvalidArgumentError, describeValue } from '../errors.js';
import type { EnvSpec } from '../registration/spec.js';

export class TimeLimit<Obs, Act> extends Wrapper<Obs, Act> {
  readonly maxEpisodeSteps: number;
  private elapsed = 0;
  private cachedSpec: EnvSpec | null = null;

  constructor(env: Env<Obs, Act>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new InvalidArgumentError(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${describeValue(maxEpisodeSteps)}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    this.elapsed = 0;
    return this.env.reset(args);
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps) result[3] = true;
    return result;
  }

  /** The wrapped env's spec with `maxEpisodeSteps` set to this limit. */
  override get spec(): EnvSpec | null {
    const inner = this.env.spec;
    if (inner === null) return null;
    if (this.cachedSpec === null) this.cachedSpec = inner.copy({ maxEpisodeSteps: this.maxEpisodeSteps });
    return this.cachedSpec;
  }
}
