/**
 * `Env` and the wrapper base classes: a port of Gymnasium 1.x `gymnasium/core.py`.
 *
 * `step` is synchronous on purpose: a Promise per step would cost more than a whole AMM kernel step.
 * Wrappers forward `spec`, `renderMode`, `npRandom` and `metadata` to the env they wrap and may
 * override the spaces and the metadata.
 */
import { Rng, npRandom as makeRng, validateSeed } from './rng.js';
import { DammGymError, InvalidArgumentError } from './errors.js';
import type { AnySpace, Space } from './spaces/space.js';
import type { EnvSpec } from './registration/spec.js';
import type { AutoresetMode } from './vector/autoreset-mode.js';

/** Auxiliary diagnostic information returned by `reset` and `step` (a plain object). */
export type Info = Record<string, unknown>;

/** Env-specific reset options (Gymnasium's `options` dict). */
export type ResetOptions = Record<string, unknown>;

export interface ResetArgs {
  /** Reseeds the env RNG when given; otherwise (undefined or null, Gymnasium's None) the RNG continues. */
  seed?: number | null;
  options?: ResetOptions;
}

export type ResetResult<Obs> = [obs: Obs, info: Info];

/**
 * `terminated`: the MDP reached a terminal state (do not bootstrap). `truncated`: the episode was cut
 * outside the MDP, usually by a time limit (bootstrap).
 */
export type StepResult<Obs> = [obs: Obs, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** An `rgb_array` frame: height × width × 3 bytes, row-major. */
export interface RgbArray {
  readonly shape: readonly [height: number, width: number, channels: 3];
  readonly data: Uint8Array;
}

export type RenderFrame = string | RgbArray;

export interface EnvMetadata {
  /** Render modes the env supports, e.g. ['ansi', 'rgb_array']. */
  readonly renderModes: readonly string[];
  readonly renderFps?: number;
  /** Vector envs only: how finished sub-envs are reset. */
  readonly autoresetMode?: AutoresetMode;
  readonly [key: string]: unknown;
}

function bindIfFunction(owner: object, value: unknown): unknown {
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(owner) : value;
}

const DEFAULT_METADATA: EnvMetadata = Object.freeze({ renderModes: Object.freeze([]) as readonly string[] });

export abstract class Env<Obs, Act> {
  abstract readonly observationSpace: Space<Obs, unknown>;
  abstract readonly actionSpace: Space<Act, unknown>;

  private meta: EnvMetadata = DEFAULT_METADATA;
  private mode: string | null = null;
  private envSpec: EnvSpec | null = null;
  private rng: Rng | null = null;
  private rngSeed: number | null = null;

  /**
   * Resets the env to an initial state. Implementations start with `this.reseed(seed)` (Gymnasium's
   * `super().reset(seed=seed)`), which replaces the RNG only when a seed is given.
   */
  abstract reset(args?: ResetArgs): ResetResult<Obs>;

  /**
   * Runs one timestep. Must be synchronous; must throw `InvalidActionError` for invalid actions
   * (see `assertAction`). Return a new tuple (and a new observation) on every call: wrappers
   * rewrite the tuple in place, and agents keep observations.
   */
  abstract step(action: Act): StepResult<Obs>;

  /** Frame for the `renderMode` fixed at construction; null when there is none. */
  render(): RenderFrame | RenderFrame[] | null {
    return null;
  }

  /** Releases resources. Must be safe to call more than once. */
  close(): void {}

  get metadata(): EnvMetadata {
    return this.meta;
  }

  set metadata(value: EnvMetadata) {
    this.meta = value;
  }

  get renderMode(): string | null {
    return this.mode;
  }

  set renderMode(value: string | null) {
    this.mode = value;
  }

  /** The `EnvSpec` that `make` built this env from (null for envs built directly). */
  get spec(): EnvSpec | null {
    return this.envSpec;
  }

  set spec(value: EnvSpec | null) {
    this.envSpec = value;
  }

  /** The env RNG; created from OS entropy on first use if `reset` was never given a seed. */
  get npRandom(): Rng {
    if (this.rng === null) [this.rng, this.rngSeed] = makeRng();
    return this.rng;
  }

  /** Setting the RNG directly makes the seed unknown (-1), as in Gymnasium. */
  set npRandom(rng: Rng) {
    this.rng = rng;
    this.rngSeed = -1;
  }

  /** Seed of the current RNG, or -1 when the RNG was set directly. */
  get npRandomSeed(): number {
    if (this.rngSeed === null) [this.rng, this.rngSeed] = makeRng();
    return this.rngSeed;
  }

  /** The RNG if one exists, without creating it (Gymnasium's `_np_random`; used by `checkEnv`). */
  peekNpRandom(): Rng | null {
    return this.rng;
  }

  /** Gymnasium's `super().reset(seed=seed)`: a new RNG from `seed` when given, else unchanged. */
  protected reseed(seed: number | null | undefined): void {
    if (seed !== undefined && seed !== null) [this.rng, this.rngSeed] = makeRng(validateSeed(seed, `${this.constructor.name}.reset seed`));
  }

  /** The innermost env under all wrappers. */
  get unwrapped(): Env<unknown, unknown> {
    return this as Env<unknown, unknown>;
  }

  hasWrapperAttr(name: string): boolean {
    return name in this;
  }

  /** Attribute `name` of this env (methods come back bound to it). */
  getWrapperAttr(name: string): unknown {
    if (!(name in this)) throw new DammGymError(`${this.toString()} has no attribute '${name}'`);
    return bindIfFunction(this, (this as unknown as Record<string, unknown>)[name]);
  }

  setWrapperAttr(name: string, value: unknown, force = true): boolean {
    if (force || name in this) {
      (this as unknown as Record<string, unknown>)[name] = value;
      return true;
    }
    return false;
  }

  toString(): string {
    return this.spec === null ? `<${this.constructor.name} instance>` : `<${this.constructor.name}<${this.spec.id}>>`;
  }
}

/**
 * Base of all wrappers: forwards everything to `env`. Override `step`/`reset` to change what they
 * return; set `observationSpace`/`actionSpace`/`metadata` to override those of `env`.
 */
export class Wrapper<WObs, WAct, Obs = WObs, Act = WAct> extends Env<WObs, WAct> {
  private obsSpaceOverride: Space<WObs, unknown> | null = null;
  private actSpaceOverride: Space<WAct, unknown> | null = null;
  private metaOverride: EnvMetadata | null = null;

  constructor(readonly env: Env<Obs, Act>) {
    super();
    if (!(env instanceof Env)) {
      throw new InvalidArgumentError(`${new.target.name}: expected an Env to wrap, got ${String(env)}`);
    }
  }

  get observationSpace(): Space<WObs, unknown> {
    return this.obsSpaceOverride ?? (this.env.observationSpace as AnySpace as Space<WObs, unknown>);
  }

  set observationSpace(space: Space<WObs, unknown>) {
    this.obsSpaceOverride = space;
  }

  get actionSpace(): Space<WAct, unknown> {
    return this.actSpaceOverride ?? (this.env.actionSpace as AnySpace as Space<WAct, unknown>);
  }

  set actionSpace(space: Space<WAct, unknown>) {
    this.actSpaceOverride = space;
  }

  override get metadata(): EnvMetadata {
    return this.metaOverride ?? this.env.metadata;
  }

  override set metadata(value: EnvMetadata) {
    this.metaOverride = value;
  }

  override get renderMode(): string | null {
    return this.env.renderMode;
  }

  override set renderMode(_value: string | null) {
    throw new DammGymError(`${this.toString()}: renderMode is fixed by the wrapped env`);
  }

  override get spec(): EnvSpec | null {
    return this.env.spec;
  }

  override set spec(_value: EnvSpec | null) {
    throw new DammGymError(`${this.toString()}: set spec on env.unwrapped, not on a wrapper`);
  }

  override get npRandom(): Rng {
    return this.env.npRandom;
  }

  override set npRandom(rng: Rng) {
    this.env.npRandom = rng;
  }

  override get npRandomSeed(): number {
    return this.env.npRandomSeed;
  }

  override peekNpRandom(): Rng | null {
    return this.env.peekNpRandom();
  }

  override get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped;
  }

  reset(args?: ResetArgs): ResetResult<WObs> {
    return this.env.reset(args) as unknown as ResetResult<WObs>;
  }

  step(action: WAct): StepResult<WObs> {
    return this.env.step(action as unknown as Act) as unknown as StepResult<WObs>;
  }

  override render(): RenderFrame | RenderFrame[] | null {
    return this.env.render();
  }

  override close(): void {
    this.env.close();
  }

  override hasWrapperAttr(name: string): boolean {
    return name in this || this.env.hasWrapperAttr(name);
  }

  /** Attribute `name` of the outermost layer that has it (methods bound to that layer). */
  override getWrapperAttr(name: string): unknown {
    if (name in this) return bindIfFunction(this, (this as unknown as Record<string, unknown>)[name]);
    return this.env.getWrapperAttr(name);
  }

  override setWrapperAttr(name: string, value: unknown, force = true): boolean {
    if (name in this) {
      (this as unknown as Record<string, unknown>)[name] = value;
      return true;
    }
    if (this.env.setWrapperAttr(name, value, false)) return true;
    if (force) {
      (this as unknown as Record<string, unknown>)[name] = value;
      return true;
    }
    return false;
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}

/** Transforms observations from `reset` and `step` with `observation()`. */
export abstract class ObservationWrapper<WObs, Act, Obs> extends Wrapper<WObs, Act, Obs, Act> {
  abstract observation(obs: Obs): WObs;

  override reset(args?: ResetArgs): ResetResult<WObs> {
    const [obs, info] = this.env.reset(args);
    return [this.observation(obs), info];
  }

  override step(action: Act): StepResult<WObs> {
    const result = this.env.step(action);
    // Rewrite the fresh tuple in place rather than allocating a second one per step.
    const out = result as unknown as StepResult<WObs>;
    out[0] = this.observation(result[0]);
    return out;
  }
}

/** Transforms the reward returned by `step` with `reward()`. */
export abstract class RewardWrapper<Obs, Act> extends Wrapper<Obs, Act, Obs, Act> {
  abstract reward(reward: number): number;

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    result[1] = this.reward(result[1]);
    return result;
  }
}

/** Transforms the action passed to `step` with `action()`. */
export abstract class ActionWrapper<Obs, WAct, Act> extends Wrapper<Obs, WAct, Obs, Act> {
  abstract action(action: WAct): Act;

  override step(action: WAct): StepResult<Obs> {
    return this.env.step(this.action(action));
  }
}
