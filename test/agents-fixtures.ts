/** Small deterministic envs for the agent tests (not a test file itself: no `.test.ts`). */
import { Env, Discrete, TimeLimit, DiscretizeObservation, type ResetArgs, type ResetResult, type StepResult } from '../env/core/index.js';
import { CartPoleEnv } from '../env/tasks/cartpole/cartpole.js';

/**
 * A 1-D chain 0 … n−1 starting at 0: action 1 moves right, 0 moves left (reflecting at 0); entering
 * n−1 terminates with reward 1, every other step pays 0. With discount γ the optimal values are
 * Q*(s, right) = γ^(n−2−s) and Q*(s, left) = γ · V*(max(s−1, 0)), V*(s) = γ^(n−2−s).
 */
export class ChainEnv extends Env<number, number> {
  readonly observationSpace: Discrete;
  readonly actionSpace = new Discrete(2);
  private s = 0;

  constructor(readonly n = 5) {
    super();
    this.observationSpace = new Discrete(n);
  }

  reset(args?: ResetArgs): ResetResult<number> {
    this.reseed(args?.seed);
    this.s = 0;
    return [0, {}];
  }

  step(action: number): StepResult<number> {
    this.s = action === 1 ? this.s + 1 : Math.max(0, this.s - 1);
    const done = this.s === this.n - 1;
    return [this.s, done ? 1 : 0, done, false, { position: this.s }];
  }

  optimalQ(gamma: number, s: number, a: number): number {
    const v = (x: number) => gamma ** (this.n - 2 - x);
    return a === 1 ? v(s) : gamma * v(Math.max(s - 1, 0));
  }
}

/** One state, one action, reward 1 per step; `terminates` ends every episode after one step. */
export class LoopEnv extends Env<number, number> {
  readonly observationSpace = new Discrete(1);
  readonly actionSpace = new Discrete(1);

  constructor(readonly terminates: boolean) {
    super();
  }

  reset(args?: ResetArgs): ResetResult<number> {
    this.reseed(args?.seed);
    return [0, {}];
  }

  step(): StepResult<number> {
    return [0, 1, this.terminates, false, {}];
  }
}

/**
 * CartPole-v1 as `make` builds it minus the checker wrappers (TimeLimit 500), without importing
 * every registered task.
 */
export function cartPole(): TimeLimit<Float32Array, number> {
  return new TimeLimit(new CartPoleEnv() as Env<Float32Array, number>, 500);
}

/** CartPole with the classic tabular binning: position and velocity ignored, 6 angle × 12 angular-velocity bins. */
export function discreteCartPole(): DiscretizeObservation<number> {
  return new DiscretizeObservation(cartPole(), { bins: [1, 1, 6, 12], low: [-2.4, -3, -0.21, -3.5], high: [2.4, 3, 0.21, 3.5] });
}
