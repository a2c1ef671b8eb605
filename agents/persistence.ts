/**
 * Versioned JSON files for policies:
 *
 *     { format: 'damm-gym-policy', version: 1, kind, name, envId, envSpec, config, createdAt?, data }
 *
 * `kind` selects the decoder (`q-learning`, `noop`, `random` built in; other modules add theirs
 * with `registerPolicyKind`), `envId`/`envSpec` say which env (and `make` kwargs) the policy was
 * trained for, `config` how it was built and `data` what it learned (the Q table as a flat array).
 * Files are written atomically (temp file, then rename). Loading validates every field and throws
 * `PolicyFileError` naming the file, the field and what was expected.
 *
 * Numbers round-trip exactly: JSON.stringify writes the shortest decimal that parses back to the
 * same float64, so a loaded Q table is bit-identical and acts identically.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Env } from '../env/core/env.js';
import type { AnySpace, Json } from '../env/core/spaces/space.js';
import { spaceFromJSON } from '../env/core/spaces/json.js';
import { describeValue } from '../env/core/errors.js';
import { AgentConfigError, PolicyFileError } from './errors.js';
import { isPersistable, type JsonObject, type Policy } from './policy.js';
import { NoopPolicy, RandomPolicy } from './baselines.js';
import { QLearningAgent, resolveQLearningConfig, type QLearningConfig } from './tabular/qLearning.js';

export const POLICY_FORMAT = 'damm-gym-policy';
export const POLICY_FORMAT_VERSION = 1;

export interface PolicyFile {
  readonly format: typeof POLICY_FORMAT;
  readonly version: typeof POLICY_FORMAT_VERSION;
  readonly kind: string;
  readonly name: string;
  /** Registered id of the env the policy was trained on (null for envs built directly). */
  readonly envId: string | null;
  /** The `make` kwargs of that env (bigints as decimal strings). */
  readonly envSpec: JsonObject;
  readonly config: JsonObject;
  /** ISO 8601 time of writing; absent when the caller asked for byte-reproducible files. */
  readonly createdAt?: string;
  readonly data: Json;
}

export interface PolicyMeta {
  envId?: string | null;
  envSpec?: Readonly<Record<string, unknown>>;
  /** Default: now. `null` leaves the field out (reproducible files). */
  createdAt?: string | null;
}

/** `envId` and `envSpec` from the `EnvSpec` an env was made from (null / {} for envs built directly). */
export function policyMetaFromEnv(env: Env<unknown, unknown>): PolicyMeta {
  const spec = env.spec;
  return { envId: spec?.id ?? null, envSpec: spec === null ? {} : { ...spec.kwargs } };
}

/** Rebuilds a policy from a validated file; `read` throws `PolicyFileError`s naming the file. */
export type PolicyDecoder = (file: PolicyFile, read: PolicyFileReader) => Policy;

const decoders = new Map<string, PolicyDecoder>();

/** Adds a `kind` that `loadPolicy` can rebuild. Re-registering a kind needs `{ replace: true }`. */
export function registerPolicyKind(kind: string, decoder: PolicyDecoder, options: { replace?: boolean } = {}): void {
  if (typeof kind !== 'string' || kind.length === 0) throw new AgentConfigError('kind', kind, 'a non-empty string', 'registerPolicyKind');
  if (decoders.has(kind) && !options.replace) {
    throw new AgentConfigError('kind', kind, 'a kind not registered yet (pass { replace: true } to override)', 'registerPolicyKind');
  }
  decoders.set(kind, decoder);
}

export function registeredPolicyKinds(): string[] {
  return [...decoders.keys()];
}

/** The file object for `policy` (which must implement `PersistablePolicy`). */
export function policyToJSON(policy: Policy, meta: PolicyMeta = {}, file = '<policy>'): PolicyFile {
  if (!isPersistable(policy)) {
    throw new PolicyFileError(file, null, `a policy with 'kind' and 'toPolicyData()' (PersistablePolicy) to save`, `policy '${policy.name}'`);
  }
  const { config, data } = policy.toPolicyData();
  const createdAt = meta.createdAt === undefined ? new Date().toISOString() : meta.createdAt;
  return {
    format: POLICY_FORMAT,
    version: POLICY_FORMAT_VERSION,
    kind: policy.kind,
    name: policy.name,
    envId: meta.envId ?? null,
    envSpec: toJsonValue(meta.envSpec ?? {}, 'envSpec', file) as JsonObject,
    config: toJsonValue(config, 'config', file) as JsonObject,
    ...(createdAt === null ? {} : { createdAt }),
    data: toJsonValue(data, 'data', file),
  };
}

/** Writes `policy` to `path` atomically (temp file in the same directory, then rename); returns what was written. */
export function savePolicy(path: string, policy: Policy, meta: PolicyMeta = {}): PolicyFile {
  const file = policyToJSON(policy, meta, path);
  const text = JSON.stringify(file, null, 1) + '\n';
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file was never created.
    }
    throw new PolicyFileError(path, null, 'a writable path', (err as Error).message, { cause: err });
  }
  return file;
}

/** Reads and validates the envelope of a policy file (format, version, kind, envId, envSpec, config). */
export function readPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(path, null, 'a readable policy file', (err as Error).message, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PolicyFileError(path, null, 'valid JSON', (err as Error).message, { cause: err });
  }
  return validatePolicyFile(json, path);
}

/** Loads a policy saved by `savePolicy`. */
export function loadPolicy(path: string): Policy {
  return policyFromJSON(readPolicyFile(path), path);
}

/** Rebuilds a policy from a file object (e.g. one embedded in a checkpoint); `source` names it in errors. */
export function policyFromJSON(json: unknown, source = '<policy>'): Policy {
  const file = validatePolicyFile(json, source);
  const decoder = decoders.get(file.kind)!;
  return decoder(file, new PolicyFileReader(source));
}

function validatePolicyFile(json: unknown, source: string): PolicyFile {
  const r = new PolicyFileReader(source);
  const o = r.object(json, null);
  if (o['format'] !== POLICY_FORMAT) r.fail('format', JSON.stringify(POLICY_FORMAT), o['format']);
  const version = o['version'];
  if (version !== POLICY_FORMAT_VERSION) {
    r.fail(
      'version',
      `${POLICY_FORMAT_VERSION}` + (typeof version === 'number' && version > POLICY_FORMAT_VERSION ? ' (the file was written by a newer damm-gym)' : ''),
      version,
    );
  }
  const kind = r.string(o['kind'], 'kind');
  if (!decoders.has(kind)) r.fail('kind', `one of ${registeredPolicyKinds().map((k) => `'${k}'`).join(', ')}`, kind);
  const name = o['name'] === undefined ? kind : r.string(o['name'], 'name');
  const envId = o['envId'] === null || o['envId'] === undefined ? null : r.string(o['envId'], 'envId');
  const envSpec = o['envSpec'] === undefined ? {} : r.object(o['envSpec'], 'envSpec');
  const config = o['config'] === undefined ? {} : r.object(o['config'], 'config');
  if (o['createdAt'] !== undefined) r.string(o['createdAt'], 'createdAt');
  if (!('data' in o)) r.fail('data', 'the policy data (null for kinds that learn nothing)', undefined);
  return {
    format: POLICY_FORMAT,
    version: POLICY_FORMAT_VERSION,
    kind,
    name,
    envId,
    envSpec,
    config,
    ...(o['createdAt'] === undefined ? {} : { createdAt: o['createdAt'] as string }),
    data: o['data'] as Json,
  };
}

/** Typed field access for decoders: every failure names the file, the field path and the expectation. */
export class PolicyFileReader {
  constructor(readonly file: string) {}

  fail(field: string | null, expected: string, got: unknown): never {
    throw new PolicyFileError(this.file, field, expected, describeValue(got));
  }

  object(value: unknown, field: string | null): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'a JSON object', value);
    return value as JsonObject;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'a string', value);
    return value;
  }

  integer(value: unknown, field: string, min = -Infinity): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      this.fail(field, min === -Infinity ? 'an integer' : `an integer >= ${min}`, value);
    }
    return value;
  }

  /** An array of exactly `length` finite numbers (integers ≥ 0 with `nonNegativeIntegers`). */
  numbers(value: unknown, field: string, length: number, why: string, nonNegativeIntegers = false): number[] {
    const what = nonNegativeIntegers ? 'non-negative integers' : 'finite numbers';
    if (!Array.isArray(value)) this.fail(field, `an array of ${length} ${what} (${why})`, value);
    if (value.length !== length) throw new PolicyFileError(this.file, field, `an array of ${length} ${what} (${why})`, `${value.length} values`);
    for (let i = 0; i < length; i++) {
      const v: unknown = value[i];
      const ok = typeof v === 'number' && (nonNegativeIntegers ? Number.isSafeInteger(v) && v >= 0 : Number.isFinite(v));
      if (!ok) this.fail(`${field}[${i}]`, nonNegativeIntegers ? 'a non-negative integer' : 'a finite number', v);
    }
    return value as number[];
  }

  space(value: unknown, field: string): AnySpace {
    try {
      return spaceFromJSON(value);
    } catch (err) {
      throw new PolicyFileError(this.file, field, 'a space definition (Space.toJSON())', (err as Error).message, { cause: err });
    }
  }
}

/** Plain JSON copy of `value`; bigints become decimal strings, like the CLI's JSON output. */
function toJsonValue(value: unknown, field: string, file: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PolicyFileError(file, field, 'a finite number (JSON has no NaN or infinity)', describeValue(value));
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${field}[${i}]`, file));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toJsonValue(v, `${field}.${k}`, file);
    }
    return out;
  }
  throw new PolicyFileError(file, field, 'a JSON value (null, boolean, number, string, array or plain object)', describeValue(value));
}

// Built-in kinds.

registerPolicyKind('q-learning', (file, r) => {
  let config: QLearningConfig;
  try {
    config = resolveQLearningConfig(file.config as Partial<QLearningConfig>);
  } catch (err) {
    if (err instanceof AgentConfigError) throw new PolicyFileError(r.file, `config.${err.field}`, err.expected, describeValue(err.value), { cause: err });
    throw err;
  }
  const d = r.object(file.data, 'data');
  const nStates = r.integer(d['nStates'], 'data.nStates', 1);
  const nActions = r.integer(d['nActions'], 'data.nActions', 1);
  const observationStart = d['observationStart'] === undefined ? 0 : r.integer(d['observationStart'], 'data.observationStart');
  const actionStart = d['actionStart'] === undefined ? 0 : r.integer(d['actionStart'], 'data.actionStart');
  const size = nStates * nActions;
  const why = `nStates ${nStates} × nActions ${nActions}, row-major by state`;
  const q = r.numbers(d['q'], 'data.q', size, why);
  const agent = new QLearningAgent({ nStates, nActions, observationStart, actionStart }, config, file.name);
  agent.q.set(q);
  if (d['visits'] !== undefined) agent.visits.set(r.numbers(d['visits'], 'data.visits', size, why, true));
  return agent;
});

registerPolicyKind('noop', (file, r) => {
  const d = r.object(file.data, 'data');
  if (!('action' in d)) r.fail('data.action', 'the action the policy holds', undefined);
  if (file.config['actionSpace'] === undefined) return new NoopPolicy(d['action'], { name: file.name });
  const space = r.space(file.config['actionSpace'], 'config.actionSpace');
  let actions: unknown[];
  try {
    actions = space.fromJsonable(d['action']!);
  } catch (err) {
    throw new PolicyFileError(r.file, 'data.action', `a batch of one element of ${space} in its JSON form`, (err as Error).message, { cause: err });
  }
  if (actions.length !== 1) r.fail('data.action', `a batch of one element of ${space}`, `${actions.length} elements`);
  return new NoopPolicy(actions[0], { name: file.name, actionSpace: space });
});

registerPolicyKind('random', (file, r) => new RandomPolicy(r.space(file.config['actionSpace'], 'config.actionSpace'), { name: file.name }));
