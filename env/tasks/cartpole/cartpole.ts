/**
 * Classic cart-pole system implemented by Rich Sutton et al., ported from Gymnasium 1.x
 * `gymnasium/envs/classic_control/cartpole.py` (same constants, Euler integration, thresholds and
 * rewards). It is the correctness anchor for the agents (DQN must reach 500 on CartPole-v1).
 */
import { Env, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { InvalidArgumentError, ResetNeeded, describeValue } from '../../core/errors.js';
import { warn } from '../../core/logger.js';
import { renderAnsi, renderRgb, type CartPoleDrawState } from './render.js';

export interface CartPoleOptions {
  /** Reward 0 per non-terminal step and −1 on termination (Sutton & Barto's original). */
  suttonBartoReward?: boolean;
  renderMode?: 'ansi' | 'rgb_array' | null;
}

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Actually half the pole's length. */
const LENGTH = 0.5;
const POLEMASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
/** Seconds between state updates. */
const TAU = 0.02;
/** Angle at which the episode fails: 12 degrees. */
const THETA_THRESHOLD_RADIANS = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi', 'rgb_array']), renderFps: 50 });
const OPTION_KEYS = new Set(['suttonBartoReward', 'renderMode']);

/**
 * ## Description
 *
 * This environment corresponds to the version of the cart-pole problem described by Barto, Sutton,
 * and Anderson in "Neuronlike Adaptive Elements That Can Solve Difficult Learning Control Problem".
 * A pole is attached by an un-actuated joint to a cart, which moves along a frictionless track.
 * The pendulum is placed upright on the cart and the goal is to balance the pole by applying
 * forces in the left and right direction on the cart.
 *
 * ## Action Space
 *
 * `Discrete(2)`: the direction of the fixed force (10 N) the cart is pushed with.
 * - 0: Push cart to the left
 * - 1: Push cart to the right
 *
 * The velocity change from the force depends on the pole angle: the pole's centre of gravity
 * changes how much energy moving the cart underneath it takes.
 *
 * ## Observation Space
 *
 * A `Float32Array` of 4 values, `Box([-4.8 -inf -0.41887903 -inf], [4.8 inf 0.41887903 inf], (4,), float32)`:
 *
 * | Num | Observation           | Min                 | Max               |
 * |-----|-----------------------|---------------------|-------------------|
 * | 0   | Cart Position         | -4.8                | 4.8               |
 * | 1   | Cart Velocity         | -Inf                | Inf               |
 * | 2   | Pole Angle            | ~ -0.418 rad (-24°) | ~ 0.418 rad (24°) |
 * | 3   | Pole Angular Velocity | -Inf                | Inf               |
 *
 * The ranges are what can be observed, not what an unterminated episode reaches: the episode
 * terminates when the cart leaves (-2.4, 2.4) or the pole angle leaves (-.2095, .2095) (±12°).
 * The internal state is float64; observations are its float32 cast.
 *
 * ## Rewards
 *
 * +1 for every step taken, including the termination step (threshold 475 for v1). With
 * `suttonBartoReward: true`, 0 for every non-terminating step and -1 for the terminating step.
 * Steps after termination (undefined behaviour; a warning is logged) give 0 (or -1).
 *
 * ## Starting State
 *
 * All observations are assigned a uniformly random value in (-0.05, 0.05), drawn from the env's
 * RNG. `reset({ options: { low, high } })` changes these bounds.
 *
 * ## Episode End
 *
 * 1. Termination: Pole Angle is greater than ±12°
 * 2. Termination: Cart Position is greater than ±2.4 (center of the cart reaches the edge of the display)
 * 3. Truncation: Episode length is greater than 500 (`make` applies `TimeLimit(500)`)
 *
 * ## Arguments
 *
 * ```ts
 * const env = make('CartPole-v1', { renderMode: 'rgb_array' });
 * env.toString(); // '<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPoleEnv<CartPole-v1>>>>>'
 * env.reset({ seed: 123, options: { low: -0.1, high: 0.1 } }); // default low=-0.05, high=0.05
 * ```
 *
 * | Parameter           | Type                        | Default | Description                                        |
 * |---------------------|-----------------------------|---------|----------------------------------------------------|
 * | `suttonBartoReward` | boolean                     | false   | Reward as in the original Sutton & Barto code      |
 * | `renderMode`        | 'ansi' \| 'rgb_array' \| null | null    | Text lines or a 400×600×3 frame (no 'human' mode) |
 *
 * ## Version History
 *
 * - v1: `maxEpisodeSteps` raised to 500; Gymnasium 1.0.0a2 added `sutton_barto_reward`.
 * - v0: Initial versions release.
 */
export class CartPoleEnv extends Env<Float32Array, number> {
  readonly actionSpace = new Discrete(2);
  readonly observationSpace = new Box(
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity].map((h) => -h),
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity],
    null,
    'float32',
  );
  readonly suttonBartoReward: boolean;

  // The state lives in four float64 fields (no array per step).
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;
  private hasState = false;
  private stepsBeyondTerminated: number | null = null;
  private closed = false;

  constructor(options: CartPoleOptions = {}) {
    super();
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) {
        throw new InvalidArgumentError(`CartPoleEnv: unknown option '${key}'; allowed: ${[...OPTION_KEYS].join(', ')}`);
      }
    }
    const mode = options.renderMode ?? null;
    if (mode !== null && !METADATA.renderModes.includes(mode)) {
      throw new InvalidArgumentError(`CartPoleEnv: renderMode must be one of ${METADATA.renderModes.join(', ')} or null, got ${describeValue(mode)}`);
    }
    this.suttonBartoReward = options.suttonBartoReward ?? false;
    this.metadata = METADATA;
    this.renderMode = mode;
  }

  /** Gymnasium's `env.unwrapped.state` (float64), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? Float64Array.of(this.x, this.xDot, this.theta, this.thetaDot) : null;
  }

  set state(value: ArrayLike<number> | null) {
    if (value === null) {
      this.hasState = false;
      return;
    }
    if (value.length !== 4) throw new InvalidArgumentError(`CartPoleEnv.state: expected 4 numbers, got ${describeValue(value)}`);
    [this.x, this.xDot, this.theta, this.thetaDot] = [value[0]!, value[1]!, value[2]!, value[3]!];
    this.hasState = true;
  }

  private get envId(): string {
    return this.spec?.id ?? 'CartPoleEnv';
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) assertAction(this.actionSpace, action, this.envId);
    if (!this.hasState) throw new ResetNeeded(`${this.envId}: call reset() before step()`);
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const costheta = Math.cos(this.theta);
    const sintheta = Math.sin(this.theta);

    // For the interested reader: https://coneural.org/florian/papers/05_cart_pole.pdf
    // Same operation order as Gymnasium (np.square first) so results match to the last bit.
    const temp = (force + POLEMASS_LENGTH * (this.thetaDot * this.thetaDot) * sintheta) / TOTAL_MASS;
    const thetaacc =
      (GRAVITY * sintheta - costheta * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (costheta * costheta)) / TOTAL_MASS));
    const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;

    // Euler: positions advance with the old velocities.
    this.x = this.x + TAU * this.xDot;
    this.xDot = this.xDot + TAU * xacc;
    this.theta = this.theta + TAU * this.thetaDot;
    this.thetaDot = this.thetaDot + TAU * thetaacc;

    const terminated =
      this.x < -X_THRESHOLD || this.x > X_THRESHOLD || this.theta < -THETA_THRESHOLD_RADIANS || this.theta > THETA_THRESHOLD_RADIANS;

    let reward: number;
    if (!terminated) {
      reward = this.suttonBartoReward ? 0.0 : 1.0;
    } else if (this.stepsBeyondTerminated === null) {
      // Pole just fell!
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      if (this.stepsBeyondTerminated === 0) {
        warn(
          "You are calling 'step()' even though this environment has already returned terminated = true. " +
            "You should always call 'reset()' once you receive 'terminated = true' -- any further steps are undefined behavior.",
        );
      }
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
    // truncated is false: the time limit is the TimeLimit wrapper's job.
    return [this.observation(), reward, terminated, false, {}];
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    const [low, high] = parseResetBounds(args.options, -0.05, 0.05);
    const rng = this.npRandom;
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.hasState = true;
    this.stepsBeyondTerminated = null;
    return [this.observation(), {}];
  }

  override render(): RenderFrame | null {
    if (this.renderMode === null) {
      warn(
        'You are calling render() without specifying any render mode. ' +
          `Pass renderMode at creation, e.g. make('${this.spec?.id ?? 'CartPole-v1'}', { renderMode: 'rgb_array' })`,
      );
      return null;
    }
    if (!this.hasState) return null;
    const s: CartPoleDrawState = {
      x: this.x,
      xDot: this.xDot,
      theta: this.theta,
      thetaDot: this.thetaDot,
      xThreshold: X_THRESHOLD,
      length: LENGTH,
    };
    return this.renderMode === 'ansi' ? renderAnsi(s) : renderRgb(s);
  }

  override close(): void {
    this.closed = true;
  }

  /** Whether `close()` was called (nothing to release; closing twice is fine). */
  get isClosed(): boolean {
    return this.closed;
  }

  private observation(): Float32Array {
    const obs = new Float32Array(4);
    obs[0] = this.x;
    obs[1] = this.xDot;
    obs[2] = this.theta;
    obs[3] = this.thetaDot;
    return obs;
  }
}

/** Gymnasium's `classic_control.utils.maybe_parse_reset_bounds`. */
function parseResetBounds(options: Record<string, unknown> | undefined, defaultLow: number, defaultHigh: number): [number, number] {
  if (options === undefined || options === null) return [defaultLow, defaultHigh];
  const read = (key: 'low' | 'high', fallback: number): number => {
    if (!(key in options) || options[key] === undefined) return fallback;
    const v = options[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`CartPoleEnv.reset: options.${key} must be a finite number, got ${describeValue(v)}`);
    }
    return v;
  };
  const low = read('low', defaultLow);
  const high = read('high', defaultHigh);
  if (low > high) throw new InvalidArgumentError(`CartPoleEnv.reset: lower bound (${low}) must be lower than higher bound (${high})`);
  return [low, high];
}
