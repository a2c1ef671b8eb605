/**
 * `PassiveEnvChecker(env)`: checks the spaces when wrapping, and the results of the FIRST `reset`,
 * `step` and `render` (then gets out of the way). Applied innermost by `make` unless
 * `disableEnvChecker`. Hard violations throw `EnvCheckError`; the rest are warnings.
 */
import { Wrapper, type Env, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { warn } from '../logger.js';
import {
  checkSpace,
  envRenderPassiveChecker,
  envResetPassiveChecker,
  envStepPassiveChecker,
} from '../checks/passive.js';
import type { EnvSpec } from '../registration/spec.js';

export class PassiveEnvChecker<Obs, Act> extends Wrapper<Obs, Act> {
  private checkedReset = false;
  private checkedStep = false;
  private checkedRender = false;
  private cachedSpec: EnvSpec | null = null;

  constructor(env: Env<Obs, Act>) {
    super(env);
    checkSpace(env.actionSpace, 'action', warn);
    checkSpace(env.observationSpace, 'observation', warn);
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    if (this.checkedReset) return this.env.reset(args);
    this.checkedReset = true;
    return envResetPassiveChecker(this.env, args, warn);
  }

  override step(action: Act): StepResult<Obs> {
    if (this.checkedStep) return this.env.step(action);
    this.checkedStep = true;
    return envStepPassiveChecker(this.env, action, warn);
  }

  override render(): RenderFrame | RenderFrame[] | null {
    if (this.checkedRender) return this.env.render();
    this.checkedRender = true;
    return envRenderPassiveChecker(this.env as Env<unknown, unknown>, warn);
  }

  override get spec(): EnvSpec | null {
    const inner = this.env.spec;
    if (inner === null) return null;
    if (this.cachedSpec === null) this.cachedSpec = inner.copy({ disableEnvChecker: false });
    return this.cachedSpec;
  }
}
