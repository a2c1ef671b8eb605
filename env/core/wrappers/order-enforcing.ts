/** `OrderEnforcing(env)`: throws `ResetNeeded` if `step` (or `render`) comes before the first `reset`. */
import { Wrapper, type Env, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { ResetNeeded } from '../errors.js';
import type { EnvSpec } from '../registration/spec.js';

export interface OrderEnforcingOptions {
  /** Allow `render` before `reset` (default false). */
  disableRenderOrderEnforcing?: boolean;
}

export class OrderEnforcing<Obs, Act> extends Wrapper<Obs, Act> {
  private reset_ = false;
  private readonly renderFree: boolean;
  private cachedSpec: EnvSpec | null = null;

  constructor(env: Env<Obs, Act>, options: OrderEnforcingOptions = {}) {
    super(env);
    this.renderFree = options.disableRenderOrderEnforcing ?? false;
  }

  get hasReset(): boolean {
    return this.reset_;
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    this.reset_ = true;
    return this.env.reset(args);
  }

  override step(action: Act): StepResult<Obs> {
    if (!this.reset_) throw new ResetNeeded(`Cannot call step() on ${this.env.toString()} before calling reset()`);
    return this.env.step(action);
  }

  override render(): RenderFrame | RenderFrame[] | null {
    if (!this.renderFree && !this.reset_) {
      throw new ResetNeeded(
        `Cannot call render() on ${this.env.toString()} before calling reset(); pass { disableRenderOrderEnforcing: true } to allow it`,
      );
    }
    return this.env.render();
  }

  override get spec(): EnvSpec | null {
    const inner = this.env.spec;
    if (inner === null) return null;
    if (this.cachedSpec === null) this.cachedSpec = inner.copy({ orderEnforce: true });
    return this.cachedSpec;
  }
}
