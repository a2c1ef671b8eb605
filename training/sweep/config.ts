/**
 * A sweep config file: the env, its fixed make() kwargs, the trial kind with its fixed settings, a
 * grid of values per parameter and the seeds. Parsing checks the shape and every value it can check
 * on its own; `planSweep` (plan.ts) then builds each grid point's env and agent once, so a value
 * only the env can judge also fails before any trial runs. Every error is a `SweepConfigError`
 * naming the file, the JSON path and what is allowed.
 *
 * ```json
 * {
 *   "env": "drift-vamm-v0",
 *   "envOptions": { "market": "SOL" },
 *   "trial": { "kind": "q-learning", "episodes": 300, "evalSeeds": 10 },
 *   "grid": { "agent": { "gamma": [0.99, 0.999], "learningRate": [0.05, 0.2] }, "env": { "market": ["SOL", "BTC"] } },
 *   "seeds": [1, 2, 3]
 * }
 * ```
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Json } from '../../env/core/spaces/space.js';
import { AgentConfigError } from '../../agents/errors.js';
import { Q_LEARNING_DEFAULTS, resolveQLearningConfig, type QLearningConfig } from '../../agents/tabular/qLearning.js';
import { DEFAULT_DISCRETIZATION, tabularDefaults, type Discretization } from '../discretization.js';
import { SweepConfigError } from './errors.js';
import { canonicalJson, childPath, isPlainObject, jsonErrorOffset, lineColumn } from './jsonPath.js';
import { listEnvs, spec } from '../../env/core/registration/registry.js';
import '../../env/tasks/builtin.js';

export const TRIAL_KINDS = ['q-learning', 'rollout'] as const;
export type TrialKind = (typeof TRIAL_KINDS)[number];

/** Baseline policies a rollout trial can play, by name (the Drift ones need drift-* envs' named actions). */
export const ROLLOUT_POLICIES = ['noop', 'random', 'repeg-to-oracle', 'formulaic', 'historical'] as const;
export type RolloutPolicyName = (typeof ROLLOUT_POLICIES)[number];

/** Train tabular Q-learning on the discretized env, then evaluate its greedy policy as `evaluate` does. */
export interface QLearningTrialSettings {
  readonly kind: 'q-learning';
  /** Training episodes (default: the env's, as `train q-learning`). */
  readonly episodes: number;
  /** Evaluation seeds 10000, 10001, … (default 10), shared by every trial: common random numbers. */
  readonly evalSeeds: number;
  /** Observation bins (default: the env's, as `train q-learning`); null only when the grid sweeps them. */
  readonly discretize: Discretization | null;
  /** Fixed Q-learning settings over the env's tabular defaults; the grid's `agent` values go on top. */
  readonly agent: Partial<QLearningConfig>;
}

/** Play a baseline policy for `episodes` episodes from the trial's seed (episode seeds derived as `evaluate` does). */
export interface RolloutTrialSettings {
  readonly kind: 'rollout';
  /** null only when the grid sweeps the policy. */
  readonly policy: RolloutPolicyName | null;
  readonly episodes: number;
}

export type TrialSettings = QLearningTrialSettings | RolloutTrialSettings;

export const GRID_GROUPS = ['env', 'agent', 'trial'] as const;
export type GridGroup = (typeof GRID_GROUPS)[number];

/** One swept parameter: its values in file order. */
export interface GridParameter {
  readonly group: GridGroup;
  readonly name: string;
  readonly values: readonly Json[];
  /** Column name in the results table: `<group>.<name>`, e.g. `agent.gamma`. */
  readonly column: string;
  /** JSONPath of the value list in the config file, e.g. `$.grid.agent.gamma`. */
  readonly path: string;
}

export interface SweepConfig {
  /** The config file, as given (messages and results name it). */
  readonly file: string;
  /** Default: the file's base name without extension. Names the default output directory. */
  readonly name: string;
  readonly env: string;
  readonly envOptions: { readonly [key: string]: Json };
  readonly trial: TrialSettings;
  readonly grid: readonly GridParameter[];
  readonly seeds: readonly number[];
  /** Worker threads when `--workers` is not given. */
  readonly workers?: number;
}

const TOP_KEYS = ['name', 'env', 'envOptions', 'trial', 'grid', 'seeds', 'workers', 'description'] as const;
const Q_TRIAL_KEYS = ['kind', 'episodes', 'evalSeeds', 'discretize', 'agent'] as const;
const ROLLOUT_TRIAL_KEYS = ['kind', 'policy', 'episodes'] as const;
/** Trial settings the grid may vary (the agent's go under `grid.agent`). */
const GRID_TRIAL_KEYS: Readonly<Record<TrialKind, readonly string[]>> = { 'q-learning': ['episodes', 'evalSeeds', 'discretize'], rollout: ['policy', 'episodes'] };
/** Agent fields the config may set; the seed comes from `seeds`. */
export const AGENT_KEYS = (Object.keys(Q_LEARNING_DEFAULTS) as (keyof QLearningConfig)[]).filter((k) => k !== 'seed');

const MAX_EPISODES = 10_000_000;
const MAX_EVAL_SEEDS = 100_000;
const MAX_SEEDS = 100_000;
const MAX_TRIALS = 1_000_000;

/** Read and check a sweep config file. */
export function loadSweepConfig(file: string): SweepConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SweepConfigError(file, '$', null, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a JSON sweep config`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, Math.max(0, offset));
    const near = text.slice(Math.max(0, offset), Math.max(0, offset) + 20);
    throw new SweepConfigError(file, `line ${line} column ${column}`, near, `not valid JSON (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  return parseSweepConfig(doc, file);
}

/** Check a parsed config document; `file` only labels messages. */
export function parseSweepConfig(doc: unknown, file: string): SweepConfig {
  const fail = (path: string, value: unknown, allowed: string): never => {
    throw new SweepConfigError(file, path, value, allowed);
  };
  if (!isPlainObject(doc)) fail('$', doc, 'expected a JSON object with env, trial, grid and seeds');
  const d = doc as { [key: string]: Json };
  for (const key of Object.keys(d)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) fail(childPath('$', key), d[key], `unknown key; allowed: ${TOP_KEYS.join(', ')}`);
  }

  const env = d.env;
  if (typeof env !== 'string' || env === '') fail('$.env', env, 'expected a registered env id such as "drift-vamm-v0"');
  const envId = env as string;
  try {
    spec(envId);
  } catch (err) {
    throw new SweepConfigError(file, '$.env', envId, `unknown env id; registered: ${listEnvs().join(', ')}`, { cause: err });
  }

  const name = d.name ?? basename(file, extname(file));
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name)) fail('$.name', name, 'expected a name of letters, digits, ".", "_" or "-" (it names the output directory)');

  const envOptions = d.envOptions ?? {};
  if (!isPlainObject(envOptions)) fail('$.envOptions', envOptions, 'expected an object of make() kwargs, e.g. {"market": "SOL"}');

  const kind = parseKind(d.trial, fail);
  const grid = parseGrid(d.grid, kind, fail);
  const trial = parseTrial(d.trial as { [key: string]: Json }, kind, envId, new Set(grid.filter((p) => p.group === 'trial').map((p) => p.name)), fail);
  if (trial.kind === 'q-learning') {
    // each swept agent value on top of the fixed settings (combinations are checked by planSweep)
    for (const p of grid) {
      if (p.group !== 'agent') continue;
      p.values.forEach((v, i) => checkAgentValues({ ...trial.agent, [p.name]: v }, (field) => (field === p.name ? childPath(p.path, i) : childPath('$.trial.agent', field)), fail));
    }
  }
  const seeds = parseSeeds(d.seeds, fail);

  let workers: number | undefined;
  if (d.workers !== undefined) workers = checkWorkers(d.workers, (value, allowed) => fail('$.workers', value, allowed));

  const points = grid.reduce((n, p) => n * p.values.length, 1);
  if (points * seeds.length > MAX_TRIALS) fail('$.grid', `${points} grid points × ${seeds.length} seeds`, `at most ${MAX_TRIALS} trials per sweep`);

  return { file, name: name as string, env: envId, envOptions: envOptions as { [key: string]: Json }, trial, grid, seeds, ...(workers === undefined ? {} : { workers }) };
}

/** The largest worker count accepted: more threads than this only contend for the same cores. */
export const MAX_WORKERS = 64;

/** A worker count: an integer in [1, MAX_WORKERS]; `reject(value, allowed)` reports anything else. */
export function checkWorkers(value: unknown, reject: (value: unknown, allowed: string) => never): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_WORKERS) {
    return reject(value, `expected a whole number of worker threads from 1 to ${MAX_WORKERS}`);
  }
  return value;
}

type Fail = (path: string, value: unknown, allowed: string) => never;

function parseKind(value: Json | undefined, fail: Fail): TrialKind {
  if (!isPlainObject(value)) return fail('$.trial', value, `expected an object with "kind": one of ${TRIAL_KINDS.map((k) => `"${k}"`).join(', ')}`);
  const kind = value.kind;
  if (!(TRIAL_KINDS as readonly Json[]).includes(kind ?? null)) {
    return fail('$.trial.kind', kind, `unknown trial kind; allowed: ${TRIAL_KINDS.join(', ')}`);
  }
  return kind as TrialKind;
}

/** The fixed trial settings, defaults filled in; a setting the grid sweeps may be left out. */
function parseTrial(value: { [key: string]: Json }, kind: TrialKind, envId: string, swept: ReadonlySet<string>, fail: Fail): TrialSettings {
  const keys = kind === 'q-learning' ? Q_TRIAL_KEYS : ROLLOUT_TRIAL_KEYS;
  for (const key of Object.keys(value)) {
    if (!(keys as readonly string[]).includes(key)) fail(childPath('$.trial', key), value[key], `unknown setting of a ${kind} trial; allowed: ${keys.join(', ')}`);
  }
  if (kind === 'rollout') {
    if (value.policy === undefined && swept.has('policy')) return { kind, policy: null, episodes: checkTrialSetting('episodes', value.episodes ?? 10, '$.trial.episodes', fail) as number };
    return {
      kind,
      policy: checkTrialSetting('policy', value.policy ?? null, '$.trial.policy', fail) as RolloutPolicyName,
      episodes: checkTrialSetting('episodes', value.episodes ?? 10, '$.trial.episodes', fail) as number,
    };
  }
  const defaults = tabularDefaults(envId);
  const discretize = value.discretize ?? (DEFAULT_DISCRETIZATION[envId] as unknown as Json | undefined);
  if (discretize === undefined && !swept.has('discretize')) {
    fail('$.trial.discretize', undefined, `${envId} has no default discretization (defaults exist for ${Object.keys(DEFAULT_DISCRETIZATION).join(', ')}); give {"bins": [...], "low": [...], "high": [...]}`);
  }
  const agent = value.agent ?? {};
  if (!isPlainObject(agent)) fail('$.trial.agent', agent, `expected an object of Q-learning settings (${AGENT_KEYS.join(', ')})`);
  for (const key of Object.keys(agent as object)) checkAgentKey(key, childPath('$.trial.agent', key), (agent as { [k: string]: Json })[key], fail);
  const fixedAgent = { ...defaults.qLearning, ...(agent as Partial<QLearningConfig>) };
  checkAgentValues(fixedAgent, '$.trial.agent', fail);
  return {
    kind,
    episodes: checkTrialSetting('episodes', value.episodes ?? defaults.episodes, '$.trial.episodes', fail) as number,
    evalSeeds: checkTrialSetting('evalSeeds', value.evalSeeds ?? 10, '$.trial.evalSeeds', fail) as number,
    discretize: discretize === undefined ? null : (checkTrialSetting('discretize', discretize, '$.trial.discretize', fail) as unknown as Discretization),
    agent: fixedAgent,
  };
}

/** Q-learning's own checks (ranges, schedules) on a set of agent values; `path` is where they came from. */
function checkAgentValues(agent: Partial<QLearningConfig>, path: string | ((field: string) => string), fail: Fail): void {
  try {
    resolveQLearningConfig(agent);
  } catch (err) {
    if (!(err instanceof AgentConfigError)) throw err;
    const where = typeof path === 'string' ? childPath(path, err.field) : path(err.field);
    fail(where, err.value, `Q-learning expects ${err.expected}`);
  }
}

function checkAgentKey(key: string, path: string, value: Json, fail: Fail): void {
  if (key === 'seed') fail(path, value, 'the seed is not an agent setting here: list the seeds under $.seeds');
  if (!(AGENT_KEYS as string[]).includes(key)) fail(path, value, `unknown Q-learning parameter "${key}"; allowed: ${AGENT_KEYS.join(', ')}`);
}

/** Check one trial setting's value (fixed or from the grid); returns it unchanged. */
export function checkTrialSetting(name: string, value: Json, path: string, fail: Fail): Json {
  const positiveInt = (max: number) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) fail(path, value, `expected a whole number from 1 to ${max}`);
    return value;
  };
  switch (name) {
    case 'episodes':
      return positiveInt(MAX_EPISODES);
    case 'evalSeeds':
      return positiveInt(MAX_EVAL_SEEDS);
    case 'policy':
      if (!(ROLLOUT_POLICIES as readonly Json[]).includes(value)) fail(path, value, `expected a baseline policy: ${ROLLOUT_POLICIES.join(', ')}`);
      return value;
    case 'discretize':
      return checkDiscretization(value, path, fail) as unknown as Json;
    default:
      return fail(path, value, 'not a trial setting');
  }
}

function checkDiscretization(value: Json, path: string, fail: Fail): Discretization {
  if (!isPlainObject(value)) return fail(path, value, 'expected {"bins": [...], "low": [...], "high": [...]} with one entry per observation coordinate');
  for (const key of Object.keys(value)) if (!['bins', 'low', 'high'].includes(key)) fail(childPath(path, key), value[key], 'unknown key; allowed: bins, low, high');
  const list = (key: 'bins' | 'low' | 'high') => {
    const v = value[key];
    if (!Array.isArray(v) || v.length === 0) return fail(childPath(path, key), v, 'expected a non-empty array of numbers');
    v.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(childPath(childPath(path, key), i), x, 'expected a finite number');
      if (key === 'bins' && !(Number.isInteger(x) && x >= 1)) fail(childPath(childPath(path, key), i), x, 'expected a whole number of bins ≥ 1');
    });
    return v as number[];
  };
  const bins = list('bins');
  const low = list('low');
  const high = list('high');
  if (low.length !== bins.length) fail(childPath(path, 'low'), low, `expected ${bins.length} entries, as many as bins`);
  if (high.length !== bins.length) fail(childPath(path, 'high'), high, `expected ${bins.length} entries, as many as bins`);
  high.forEach((h, i) => {
    if (!(h > low[i]!)) fail(childPath(childPath(path, 'high'), i), h, `expected more than low[${i}] = ${low[i]}`);
  });
  return { bins, low, high };
}

function parseGrid(value: Json | undefined, kind: TrialKind, fail: Fail): GridParameter[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return fail('$.grid', value, `expected an object with groups ${GRID_GROUPS.join(', ')}, each mapping a parameter to a list of values`);
  const out: GridParameter[] = [];
  for (const group of Object.keys(value)) {
    const gpath = childPath('$.grid', group);
    if (!(GRID_GROUPS as readonly string[]).includes(group)) fail(gpath, value[group], `unknown grid group; allowed: env (make() kwargs), agent (Q-learning parameters), trial (${GRID_TRIAL_KEYS[kind].join(', ')})`);
    if (group === 'agent' && kind !== 'q-learning') fail(gpath, value[group], `a ${kind} trial has no agent parameters; allowed groups: env, trial`);
    const params = value[group];
    if (!isPlainObject(params)) return fail(gpath, params, 'expected an object mapping each parameter to a list of values');
    for (const name of Object.keys(params)) {
      const path = childPath(gpath, name);
      const values = params[name];
      if (group === 'agent') checkAgentKey(name, path, values ?? null, fail);
      if (group === 'trial' && !GRID_TRIAL_KEYS[kind].includes(name)) {
        fail(path, values, `unknown parameter of a ${kind} trial; the grid may vary: ${GRID_TRIAL_KEYS[kind].join(', ')}`);
      }
      if (!Array.isArray(values)) return fail(path, values, 'expected a list of values to sweep, e.g. [0.99, 0.999]');
      if (values.length === 0) fail(path, values, 'an empty list gives no trials; list at least one value');
      const seen = new Map<string, number>();
      values.forEach((v, i) => {
        const key = canonicalJson(v);
        const first = seen.get(key);
        if (first !== undefined) fail(childPath(path, i), v, `the same value as ${childPath(path, first)}; each value once`);
        seen.set(key, i);
        if (group === 'trial') checkTrialSetting(name, v, childPath(path, i), fail);
      });
      out.push({ group: group as GridGroup, name, values, column: `${group}.${name}`, path });
    }
  }
  return out;
}

function parseSeeds(value: Json | undefined, fail: Fail): number[] {
  const allowed = 'expected a non-empty list of distinct non-negative integer seeds, e.g. [1, 2, 3], or {"from": 1, "count": 3}';
  let seeds: Json[];
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) if (key !== 'from' && key !== 'count') fail(childPath('$.seeds', key), value[key], 'unknown key; allowed: from, count');
    const from = value.from ?? 0;
    const count = value.count;
    if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) fail('$.seeds.from', from, 'expected a non-negative integer');
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_SEEDS) fail('$.seeds.count', count, `expected a whole number from 1 to ${MAX_SEEDS}`);
    if ((from as number) + (count as number) > Number.MAX_SAFE_INTEGER) fail('$.seeds', value, 'seeds must stay below 2^53');
    seeds = Array.from({ length: count as number }, (_, i) => (from as number) + i);
  } else {
    if (!Array.isArray(value) || value.length === 0) return fail('$.seeds', value ?? null, allowed);
    if (value.length > MAX_SEEDS) fail('$.seeds', `${value.length} seeds`, `at most ${MAX_SEEDS}`);
    seeds = value;
  }
  const seen = new Map<number, number>();
  seeds.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) fail(childPath('$.seeds', i), s, 'expected a non-negative integer seed below 2^53');
    const first = seen.get(s as number);
    if (first !== undefined) fail(childPath('$.seeds', i), s, `the same seed as $.seeds[${first}]; each seed once`);
    seen.set(s as number, i);
  });
  return seeds as number[];
}
