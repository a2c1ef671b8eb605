/** `EnvSpec` and env id parsing (Gymnasium's `gymnasium/envs/registration.py`). */
import { InvalidEnvIdError } from '../errors.js';
import type { Env } from '../env.js';
import type { VectorEnv } from '../vector/vector-env.js';
import type { AutoresetMode } from '../vector/autoreset-mode.js';
import { make, type MakeOptions, type MakeVectorOptions } from './registry.js';

/** Keyword arguments for an env constructor (`renderMode` included). */
export type EnvKwargs = Record<string, unknown>;

/** Builds the env from the spec's kwargs merged with `make`'s extra options. */
export type EnvCreator = (kwargs: EnvKwargs) => Env<unknown, unknown>;

export interface VectorEnvKwargs extends EnvKwargs {
  numEnvs: number;
  /** The spec's `maxEpisodeSteps` unless `makeVec` was given one; the native env truncates itself. */
  maxEpisodeSteps?: number;
  /** Only present when the caller asked for a mode. */
  autoresetMode?: AutoresetMode;
}

/**
 * Builds a native vector env (e.g. a struct-of-arrays kernel) for `makeVec`. Hook for envs that
 * step all sub-envs at once: register it as `vectorEntryPoint` next to `entryPoint`, and
 * `makeVec(id, n)` uses it by default instead of `SyncVectorEnv`. It receives the kwargs plus
 * `numEnvs`, `maxEpisodeSteps` (it must apply the time limit itself) and, when requested,
 * `autoresetMode`, and must advertise its mode in `metadata.autoresetMode`.
 */
export type VectorEnvCreator = (kwargs: VectorEnvKwargs) => VectorEnv<unknown, unknown>;

export interface EnvSpecInit {
  /** `[namespace/]name[-vN]`. */
  id: string;
  entryPoint?: EnvCreator | null;
  /** Return above which the task counts as solved. */
  rewardThreshold?: number | null;
  /** True if the same seed and actions need not reproduce the same trajectory (skips checks). */
  nondeterministic?: boolean;
  /** Applied by `make` through `TimeLimit`. */
  maxEpisodeSteps?: number | null;
  orderEnforce?: boolean;
  disableEnvChecker?: boolean;
  kwargs?: EnvKwargs;
  vectorEntryPoint?: VectorEnvCreator | null;
}

export interface ParsedEnvId {
  namespace: string | null;
  name: string;
  version: number | null;
}

// Gymnasium's ENV_ID_RE.
const ENV_ID_RE = /^(?:([\w:-]+)\/)?([\w:.-]+?)(?:-v(\d+))?$/;

/** Splits an id into namespace, name and version; throws `InvalidEnvIdError` naming a bad id. */
export function parseEnvId(id: string): ParsedEnvId {
  const m = typeof id === 'string' ? ENV_ID_RE.exec(id) : null;
  if (m === null) {
    throw new InvalidEnvIdError(
      `Malformed environment id ${JSON.stringify(id)}: ids must look like [namespace/]name[-vN], e.g. 'CartPole-v1' or 'drift/Peg-v0'`,
    );
  }
  return { namespace: m[1] ?? null, name: m[2]!, version: m[3] === undefined ? null : Number(m[3]) };
}

export function envId(namespace: string | null, name: string, version: number | null): string {
  return `${namespace === null ? '' : `${namespace}/`}${name}${version === null ? '' : `-v${version}`}`;
}

export class EnvSpec {
  readonly id: string;
  readonly entryPoint: EnvCreator | null;
  readonly rewardThreshold: number | null;
  readonly nondeterministic: boolean;
  readonly maxEpisodeSteps: number | null;
  readonly orderEnforce: boolean;
  readonly disableEnvChecker: boolean;
  readonly kwargs: Readonly<EnvKwargs>;
  readonly vectorEntryPoint: VectorEnvCreator | null;
  readonly namespace: string | null;
  readonly name: string;
  readonly version: number | null;

  constructor(init: EnvSpecInit) {
    const parsed = parseEnvId(init.id);
    this.id = init.id;
    this.entryPoint = init.entryPoint ?? null;
    this.rewardThreshold = init.rewardThreshold ?? null;
    this.nondeterministic = init.nondeterministic ?? false;
    this.maxEpisodeSteps = init.maxEpisodeSteps ?? null;
    this.orderEnforce = init.orderEnforce ?? true;
    this.disableEnvChecker = init.disableEnvChecker ?? false;
    this.kwargs = Object.freeze({ ...(init.kwargs ?? {}) });
    this.vectorEntryPoint = init.vectorEntryPoint ?? null;
    this.namespace = parsed.namespace;
    this.name = parsed.name;
    this.version = parsed.version;
  }

  /** A copy with some fields replaced. */
  copy(overrides: Partial<EnvSpecInit> = {}): EnvSpec {
    return new EnvSpec({
      id: this.id,
      entryPoint: this.entryPoint,
      rewardThreshold: this.rewardThreshold,
      nondeterministic: this.nondeterministic,
      maxEpisodeSteps: this.maxEpisodeSteps,
      orderEnforce: this.orderEnforce,
      disableEnvChecker: this.disableEnvChecker,
      kwargs: { ...this.kwargs },
      vectorEntryPoint: this.vectorEntryPoint,
      ...overrides,
    });
  }

  /** `make(this, options)` (a vector env when `options.numEnvs` is given). */
  make<Obs = unknown, Act = unknown>(options: MakeVectorOptions): VectorEnv<Obs, Act>;
  make<Obs = unknown, Act = unknown>(options?: MakeOptions): Env<Obs, Act>;
  make<Obs = unknown, Act = unknown>(options: MakeOptions = {}): Env<Obs, Act> | VectorEnv<Obs, Act> {
    return make<Obs, Act>(this, options);
  }

  /** The data fields (entry points are functions and are left out). */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      rewardThreshold: this.rewardThreshold,
      nondeterministic: this.nondeterministic,
      maxEpisodeSteps: this.maxEpisodeSteps,
      orderEnforce: this.orderEnforce,
      disableEnvChecker: this.disableEnvChecker,
      kwargs: { ...this.kwargs },
      hasVectorEntryPoint: this.vectorEntryPoint !== null,
    };
  }

  toString(): string {
    return `EnvSpec(${JSON.stringify(this.toJSON())})`;
  }
}
