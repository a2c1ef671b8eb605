/**
 * Environment-agnostic baselines that every results table carries (rl-conventions.md §4.4):
 * do-nothing and uniform random. Task-specific baselines (Drift's repeg-to-oracle, formulaic) build
 * on the same `Policy` interface elsewhere.
 */
import type { Rng } from '../env/core/rng.js';
import type { AnySpace, Space } from '../env/core/spaces/space.js';
import { spaceFromJSON } from '../env/core/spaces/json.js';
import type { Json } from '../env/core/spaces/space.js';
import type { PersistablePolicy, PolicyData } from './policy.js';
import { AgentConfigError, PolicyStateError } from './errors.js';

export interface NoopPolicyOptions<Act> {
  name?: string;
  /**
   * The action space, needed only to save a non-JSON action (e.g. a Box's Float32Array): the file
   * then stores the space and the action in the space's JSON form.
   */
  actionSpace?: Space<Act, unknown>;
}

/** Always returns the same "hold" action (e.g. "do not repeg, keep k"). */
export class NoopPolicy<Act = unknown> implements PersistablePolicy<unknown, Act> {
  readonly kind = 'noop';
  readonly name: string;
  readonly actionSpace: Space<Act, unknown> | null;

  constructor(
    readonly action: Act,
    options: NoopPolicyOptions<Act> = {},
  ) {
    this.name = options.name ?? 'noop';
    this.actionSpace = options.actionSpace ?? null;
    if (this.actionSpace !== null && !this.actionSpace.contains(action)) {
      throw new AgentConfigError('action', action, `an element of ${this.actionSpace}`, 'NoopPolicy');
    }
  }

  /** The same action object every step: envs must not mutate the actions they are given. */
  act(): Act {
    return this.action;
  }

  toPolicyData(): PolicyData {
    if (this.actionSpace !== null) {
      return {
        config: { actionSpace: this.actionSpace.toJSON() as unknown as Json },
        data: { action: this.actionSpace.toJsonable([this.action]) },
      };
    }
    if (!isPlainJson(this.action)) {
      throw new AgentConfigError(
        'action',
        this.action,
        'a JSON value (number, boolean, string or array of them) or an actionSpace to encode it with',
        'NoopPolicy.toPolicyData',
      );
    }
    return { config: {}, data: { action: this.action as Json } };
  }
}

export interface RandomPolicyOptions {
  name?: string;
  /** Seed used until the first `reset(rng)`; without it, acting before `reset` throws. */
  seed?: number;
}

/**
 * Uniform random actions from the action space. It samples from a private copy of the space (the
 * env's own space RNG is left alone), reseeded from the RNG given at each `reset`.
 */
export class RandomPolicy<Act = unknown> implements PersistablePolicy<unknown, Act> {
  readonly kind = 'random';
  readonly name: string;
  private readonly space: Space<Act, unknown>;
  private ready: boolean;

  constructor(actionSpace: Space<Act, unknown>, options: RandomPolicyOptions = {}) {
    this.name = options.name ?? 'random';
    // A private copy: sampling must not advance the RNG of the env's action space.
    this.space = spaceFromJSON(actionSpace.toJSON()) as AnySpace as Space<Act, unknown>;
    this.ready = options.seed !== undefined;
    if (options.seed !== undefined) this.space.seed(options.seed);
  }

  get actionSpace(): Space<Act, unknown> {
    return this.space;
  }

  /**
   * Reseeds the private space from one draw of `rng` (composite spaces derive their subspaces'
   * seeds from it, so Tuple/Dict spaces are reproducible too).
   */
  reset(rng: Rng): void {
    this.space.seed(rng.integers(0, Number.MAX_SAFE_INTEGER));
    this.ready = true;
  }

  act(): Act {
    if (!this.ready) {
      throw new PolicyStateError(`RandomPolicy '${this.name}': act() before reset(rng); call reset with the episode RNG or pass { seed }`);
    }
    return this.space.sample();
  }

  toPolicyData(): PolicyData {
    return { config: { actionSpace: this.space.toJSON() as unknown as Json }, data: null };
  }
}

function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as Record<string, unknown>).every(isPlainJson);
  }
  return false;
}
