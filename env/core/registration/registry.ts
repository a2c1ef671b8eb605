/**
 * The env registry: `register`, `make`, `makeVec`, `spec`, `listEnvs` (Gymnasium's
 * `gymnasium/envs/registration.py`). `make` wraps the env as Gymnasium does, innermost first:
 * PassiveEnvChecker → OrderEnforcing → TimeLimit.
 */
import { Env } from '../env.js';
import { EnvNotFoundError, InvalidArgumentError, RegistrationError, describeValue } from '../errors.js';
import { warn } from '../logger.js';
import { PassiveEnvChecker } from '../wrappers/passive-env-checker.js';
import { OrderEnforcing } from '../wrappers/order-enforcing.js';
import { TimeLimit } from '../wrappers/time-limit.js';
import { SyncVectorEnv } from '../vector/sync-vector-env.js';
import { VectorEnv } from '../vector/vector-env.js';
import { type AutoresetMode, isAutoresetMode } from '../vector/autoreset-mode.js';
import { EnvSpec, type EnvKwargs, type EnvSpecInit, type VectorEnvKwargs, envId, parseEnvId } from './spec.js';

const registry = new Map<string, EnvSpec>();

export interface MakeOptions {
  /** Overrides the spec's limit; -1 applies no TimeLimit. */
  maxEpisodeSteps?: number | null;
  /** Skip the PassiveEnvChecker (default: the spec's `disableEnvChecker`). */
  disableEnvChecker?: boolean | null;
  renderMode?: string | null;
  /** Any other key is passed to the env constructor, over the spec's kwargs. */
  [kwarg: string]: unknown;
}

export type VectorizationMode = 'sync' | 'vector-entry-point';

export interface MakeVecOptions extends MakeOptions {
  /** Default: 'vector-entry-point' when the spec has one, else 'sync'. */
  vectorizationMode?: VectorizationMode | null;
  autoresetMode?: AutoresetMode;
  /** SyncVectorEnv's `copy` option (sync mode only). */
  copy?: boolean;
  /** Applied to each sub-env after `make` (sync mode only). */
  wrappers?: readonly ((env: Env<unknown, unknown>) => Env<unknown, unknown>)[];
}

/** Read-only view of the registry (id → spec). */
export function registeredSpecs(): ReadonlyMap<string, EnvSpec> {
  return registry;
}

/** All registered ids, sorted. */
export function listEnvs(): string[] {
  return [...registry.keys()].sort();
}

/** Removes an id (returns whether it was registered); mainly for tests. */
export function unregister(id: string): boolean {
  return registry.delete(id);
}

/** Registers an env; returns its spec. Re-registering an id replaces it with a warning. */
export function register(init: EnvSpecInit): EnvSpec {
  if (init === null || typeof init !== 'object') throw new RegistrationError(`register: expected a spec object, got ${describeValue(init)}`);
  const spec = new EnvSpec(init);
  if (spec.entryPoint === null && spec.vectorEntryPoint === null) {
    throw new RegistrationError(`register(${JSON.stringify(spec.id)}): either entryPoint or vectorEntryPoint (or both) must be given`);
  }
  if (spec.entryPoint !== null && typeof spec.entryPoint !== 'function') {
    throw new RegistrationError(`register(${JSON.stringify(spec.id)}): entryPoint must be a function (kwargs) => Env, got ${describeValue(spec.entryPoint)}`);
  }
  if (spec.maxEpisodeSteps !== null && (!Number.isInteger(spec.maxEpisodeSteps) || spec.maxEpisodeSteps <= 0)) {
    throw new RegistrationError(`register(${JSON.stringify(spec.id)}): maxEpisodeSteps must be a positive integer or null, got ${describeValue(spec.maxEpisodeSteps)}`);
  }
  const same = [...registry.values()].filter((s) => s.namespace === spec.namespace && s.name === spec.name);
  const unversioned = same.find((s) => s.version === null);
  const versioned = same.filter((s) => s.version !== null);
  if (unversioned && spec.version !== null) {
    throw new RegistrationError(`Can't register the versioned environment ${spec.id} when the unversioned environment ${unversioned.id} of the same name already exists`);
  }
  if (versioned.length > 0 && spec.version === null) {
    throw new RegistrationError(`Can't register the unversioned environment ${spec.id} when versioned environments (${versioned.map((s) => s.id).join(', ')}) of the same name already exist`);
  }
  if (registry.has(spec.id)) warn(`Overriding environment ${spec.id} already in registry.`);
  registry.set(spec.id, spec);
  return spec;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Registered ids most similar to `id` (similarity ≥ 0.6, like difflib's default cutoff). */
export function closeMatches(id: string, candidates: readonly string[] = listEnvs(), n = 3): string[] {
  const lower = id.toLowerCase();
  return candidates
    .map((c) => ({ c, score: 1 - levenshtein(lower, c.toLowerCase()) / Math.max(lower.length, c.length, 1) }))
    .filter((x) => x.score >= 0.6)
    .sort((x, y) => y.score - x.score || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((x) => x.c);
}

function notFound(id: string, reason: string): EnvNotFoundError {
  const matches = closeMatches(id);
  const ids = listEnvs();
  const suggestion = matches.length > 0 ? ` Did you mean: ${matches.map((m) => `'${m}'`).join(', ')}?` : '';
  const known =
    ids.length === 0
      ? ' No environments are registered; import the module that registers them (e.g. env/tasks/builtin.ts).'
      : ids.length <= 30
        ? ` Registered ids: ${ids.join(', ')}.`
        : ` ${ids.length} ids are registered; see listEnvs().`;
  return new EnvNotFoundError(`${reason}${suggestion}${known}`);
}

/** Gymnasium's `_check_version_exists` + the final "no registered env" error. */
function missing(id: string): EnvNotFoundError {
  const { namespace, name, version } = parseEnvId(id);
  const specs = [...registry.values()];
  if (namespace !== null && !specs.some((s) => s.namespace === namespace)) {
    return notFound(id, `Namespace ${namespace} not found (for id '${id}').`);
  }
  const same = specs.filter((s) => s.namespace === namespace && s.name === name);
  if (same.length === 0) {
    return notFound(id, `Environment '${name}' doesn't exist${namespace ? ` in namespace ${namespace}` : ''} (for id '${id}').`);
  }
  const versions = same.map((s) => s.version).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const latest = versions.at(-1);
  if (version !== null && latest !== undefined && version < latest) {
    return notFound(id, `Environment version v${version} for '${envId(namespace, name, null)}' is deprecated or was never registered. Please use '${envId(namespace, name, latest)}' instead.`);
  }
  return notFound(
    id,
    `Environment version v${version} for '${envId(namespace, name, null)}' doesn't exist. It provides: ${same.map((s) => `'${s.id}'`).join(', ')}.`,
  );
}

/** Gymnasium's `_find_spec`: exact id, or the latest version for an unversioned id. */
function findSpec(id: string): EnvSpec {
  const { namespace, name, version } = parseEnvId(id);
  const versions = [...registry.values()]
    .filter((s) => s.namespace === namespace && s.name === name && s.version !== null)
    .map((s) => s.version as number);
  const latest = versions.length > 0 ? Math.max(...versions) : null;
  let found = registry.get(id);
  if (found && version !== null && latest !== null && latest > version) {
    warn(`The environment ${id} is out of date. You should consider upgrading to version v${latest}.`);
  }
  if (!found && version === null && latest !== null) {
    const latestId = envId(namespace, name, latest);
    found = registry.get(latestId);
    warn(`Using the latest versioned environment ${latestId} instead of the unversioned environment ${id}.`);
  }
  if (!found) throw missing(id);
  return found;
}

/** The spec registered under exactly `id`; throws `EnvNotFoundError` with suggestions otherwise. */
export function spec(id: string): EnvSpec {
  const found = registry.get(id);
  if (!found) {
    parseEnvId(id);
    throw missing(id);
  }
  return found;
}

function splitOptions(options: MakeOptions): { maxEpisodeSteps: number | null | undefined; disableEnvChecker: boolean | null | undefined; kwargs: EnvKwargs } {
  const { maxEpisodeSteps, disableEnvChecker, ...kwargs } = options;
  for (const k of Object.keys(kwargs)) if (kwargs[k] === undefined) delete kwargs[k];
  return { maxEpisodeSteps, disableEnvChecker, kwargs };
}

/** `make` options that ask for a vector env (Gymnasium's `make_vec(id, num_envs)`). */
export interface MakeVectorOptions extends MakeVecOptions {
  /** Number of sub-envs; `make` then returns `makeVec(id, numEnvs, rest)`. */
  numEnvs: number;
}

/**
 * Creates an env from an id (or spec) and wraps it: PassiveEnvChecker (unless disabled),
 * OrderEnforcing (if the spec asks), TimeLimit (the spec's `maxEpisodeSteps`, or the option; -1
 * disables). Other options are constructor kwargs merged over the spec's.
 *
 * With `numEnvs` it returns a vector env instead: `makeVec(id, numEnvs, rest)`, the spec's native
 * `vectorEntryPoint` when it has one (e.g. drift-vamm-v0's struct-of-arrays kernel), else a
 * `SyncVectorEnv` of `make(id, rest)` envs.
 */
export function make<Obs = unknown, Act = unknown>(id: string | EnvSpec, options: MakeVectorOptions): VectorEnv<Obs, Act>;
export function make<Obs = unknown, Act = unknown>(id: string | EnvSpec, options?: MakeOptions): Env<Obs, Act>;
export function make<Obs = unknown, Act = unknown>(id: string | EnvSpec, options: MakeOptions = {}): Env<Obs, Act> | VectorEnv<Obs, Act> {
  if (options.numEnvs !== undefined) {
    const { numEnvs, ...rest } = options;
    if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs <= 0) {
      throw new InvalidArgumentError(`make: numEnvs must be a positive integer (it asks for a vector env), got ${describeValue(numEnvs)}`);
    }
    return makeVec<Obs, Act>(id, numEnvs, rest as MakeVecOptions);
  }
  const envSpec = id instanceof EnvSpec ? id : findSpec(id);
  const { maxEpisodeSteps, disableEnvChecker, kwargs: extra } = splitOptions(options);
  const kwargs: EnvKwargs = { ...envSpec.kwargs, ...extra };
  if (envSpec.entryPoint === null) {
    throw new RegistrationError(`${envSpec.id} is registered without an entryPoint (only a vectorEntryPoint); use makeVec`);
  }
  const created: unknown = envSpec.entryPoint(kwargs);
  if (!(created instanceof Env)) {
    throw new RegistrationError(`The entryPoint of ${envSpec.id} must return an Env, got ${describeValue(created)}`);
  }
  let env = created as Env<unknown, unknown>;
  const renderMode = kwargs['renderMode'];
  if (renderMode !== undefined && renderMode !== null && !env.metadata.renderModes.includes(renderMode as string)) {
    warn(`The environment ${envSpec.id} is being initialised with renderMode=${JSON.stringify(renderMode)} that is not in its renderModes (${env.metadata.renderModes.join(', ')}).`);
  }
  env.unwrapped.spec = envSpec.copy({ maxEpisodeSteps: null, orderEnforce: false, disableEnvChecker: true, kwargs });
  if (disableEnvChecker === false || ((disableEnvChecker === undefined || disableEnvChecker === null) && !envSpec.disableEnvChecker)) {
    env = new PassiveEnvChecker(env);
  }
  if (envSpec.orderEnforce) env = new OrderEnforcing(env);
  if (maxEpisodeSteps !== -1) {
    if (maxEpisodeSteps !== undefined && maxEpisodeSteps !== null) env = new TimeLimit(env, maxEpisodeSteps);
    else if (envSpec.maxEpisodeSteps !== null) env = new TimeLimit(env, envSpec.maxEpisodeSteps);
  }
  return env as Env<Obs, Act>;
}

/**
 * Creates `numEnvs` copies as one vector env: `SyncVectorEnv` over `make(id, options)` envs, or
 * the spec's native `vectorEntryPoint` (see `VectorEnvCreator`).
 */
export function makeVec<Obs = unknown, Act = unknown>(id: string | EnvSpec, numEnvs = 1, options: MakeVecOptions = {}): VectorEnv<Obs, Act> {
  if (!Number.isInteger(numEnvs) || numEnvs <= 0) throw new InvalidArgumentError(`makeVec: numEnvs must be a positive integer, got ${describeValue(numEnvs)}`);
  const envSpec = id instanceof EnvSpec ? id : findSpec(id);
  const { vectorizationMode, autoresetMode, copy, wrappers, ...makeOptions } = options;
  if (autoresetMode !== undefined && !isAutoresetMode(autoresetMode)) {
    throw new InvalidArgumentError(`makeVec: autoresetMode must be 'next-step', 'same-step' or 'disabled', got ${describeValue(autoresetMode)}`);
  }
  const mode: VectorizationMode = vectorizationMode ?? (envSpec.vectorEntryPoint !== null ? 'vector-entry-point' : 'sync');
  let venv: VectorEnv<unknown, unknown>;
  if (mode === 'sync') {
    if (envSpec.entryPoint === null) throw new RegistrationError(`Cannot create a sync vector env for ${envSpec.id}: it has no entryPoint`);
    const createOne = (): Env<unknown, unknown> => {
      let env = make(envSpec, makeOptions);
      for (const w of wrappers ?? []) env = w(env);
      return env;
    };
    venv = new SyncVectorEnv(Array.from({ length: numEnvs }, () => createOne), { autoresetMode, copy }) as unknown as VectorEnv<unknown, unknown>;
  } else if (mode === 'vector-entry-point') {
    if (envSpec.vectorEntryPoint === null) throw new RegistrationError(`Cannot create a native vector env for ${envSpec.id}: it has no vectorEntryPoint`);
    if (wrappers && wrappers.length > 0) throw new InvalidArgumentError(`makeVec(${envSpec.id}): wrappers cannot be used with the vector-entry-point mode`);
    if (copy !== undefined) throw new InvalidArgumentError(`makeVec(${envSpec.id}): copy is a SyncVectorEnv option, not available with the vector-entry-point mode`);
    const { maxEpisodeSteps, disableEnvChecker: _unused, kwargs: extra } = splitOptions(makeOptions);
    const limit = maxEpisodeSteps === -1 ? undefined : (maxEpisodeSteps ?? envSpec.maxEpisodeSteps ?? undefined);
    const vkwargs: VectorEnvKwargs = { ...envSpec.kwargs, ...extra, numEnvs };
    if (limit !== undefined) vkwargs.maxEpisodeSteps = limit;
    if (autoresetMode !== undefined) vkwargs.autoresetMode = autoresetMode;
    const created: unknown = envSpec.vectorEntryPoint(vkwargs);
    if (!(created instanceof VectorEnv)) {
      throw new RegistrationError(`The vectorEntryPoint of ${envSpec.id} must return a VectorEnv, got ${describeValue(created)}`);
    }
    venv = created;
  } else {
    throw new InvalidArgumentError(`makeVec: vectorizationMode must be 'sync' or 'vector-entry-point', got ${describeValue(mode)}`);
  }
  venv.spec = envSpec.copy({ kwargs: { ...envSpec.kwargs, ...splitOptions(makeOptions).kwargs, numEnvs, vectorizationMode: mode } });
  if (venv.metadata.autoresetMode === undefined) warn(`The vector env ${venv.toString()} is missing metadata.autoresetMode.`);
  return venv as VectorEnv<Obs, Act>;
}
