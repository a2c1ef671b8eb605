/**
 * `Autoreset(env)`, Gymnasium 1.0 semantics: on the step AFTER terminated or truncated, the env is
 * reset instead of stepped (the action is ignored) and `[resetObs, 0, false, false, resetInfo]` is
 * returned. There is no `final_observation`: the terminal obs was already returned.
 */
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';

export class Autoreset<Obs, Act> extends Wrapper<Obs, Act> {
  private pending = false;

  constructor(env: Env<Obs, Act>) {
    super(env);
  }

  /** True when the next `step` will reset. */
  get autoreset(): boolean {
    return this.pending;
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    this.pending = false;
    return this.env.reset(args);
  }

  override step(action: Act): StepResult<Obs> {
    let result: StepResult<Obs>;
    if (this.pending) {
      const [obs, info] = this.env.reset();
      result = [obs, 0, false, false, info];
    } else {
      result = this.env.step(action);
    }
    this.pending = result[2] || result[3];
    return result;
  }
}
