/**
 * The trial grid: every grid point (the product of the swept values, in file order, the last
 * parameter varying fastest) times every seed (innermost, so a configuration's seeds sit together).
 * Before anything runs, each grid point's env and agent or policy are built once (`probeTrial`), so
 * a value that only the env can judge fails here with the JSON path of the value(s) to blame.
 */
import { createHash } from 'node:crypto';
import type { Json } from '../../env/core/spaces/space.js';
import '../../env/tasks/builtin.js';
import type { ReplaySeries } from '../../env/tasks/drift-replay/series.js';
import { isReplayEnv, loadSeriesFor } from '../envOptions.js';
import type { Discretization } from '../discretization.js';
import type { QLearningConfig } from '../../agents/tabular/qLearning.js';
import type { RolloutPolicyName, SweepConfig } from './config.js';
import { SweepConfigError } from './errors.js';
import { canonicalJson, childPath } from './jsonPath.js';
import { UnsupportedSpaceError } from '../../agents/errors.js';
import { metricColumns, probeTrial, type ProbeFailure, type TrialPlan, type TrialStage, type TrialTask } from './trials.js';

export type ColumnType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export interface TrialSpec {
  /** 0-based position in grid order; the results table is sorted by it. */
  readonly index: number;
  /** The grid point's swept values by column (`agent.gamma`, …). */
  readonly params: { readonly [column: string]: Json };
  readonly seed: number;
  /** Identity in the journal: canonical JSON of the params and the seed. */
  readonly key: string;
  readonly task: TrialTask;
}

export interface SweepPlan {
  readonly config: SweepConfig;
  readonly trials: readonly TrialSpec[];
  /** The results table's columns: trial, the swept parameters, seed, then the metrics. */
  readonly columns: readonly Column[];
  /** Hash of everything that decides the trials' results (not the name, workers or output place). */
  readonly fingerprint: string;
}

/** Integer-valued metrics; the others are DOUBLE. */
const COUNT_COLUMNS = new Set(['trainEpisodes', 'evalEpisodes', 'envSteps']);

/** Expand, type and check a config's trials. `dataDir` locates the history a replay env needs. */
export async function planSweep(config: SweepConfig, options: { dataDir?: string } = {}): Promise<SweepPlan> {
  const series = await loadReplayHistories(config, options.dataDir);
  const radix = config.grid.map((p) => p.values.length);
  const points = radix.reduce((n, r) => n * r, 1);
  const digits = (point: number): number[] => {
    const out = new Array<number>(radix.length);
    for (let j = radix.length - 1; j >= 0; j--) {
      out[j] = point % radix[j]!;
      point = Math.floor(point / radix[j]!);
    }
    return out;
  };
  const taskAt = (x: readonly number[], seed: number): TrialTask => taskFor(config, x, seed, series);

  for (let point = 0; point < points; point++) {
    const x = digits(point);
    const failure = probeTrial(taskAt(x, config.seeds[0]!));
    if (failure !== null) throw blame(config, x, failure, (y) => probeTrial(taskAt(y, config.seeds[0]!)) === null);
  }

  const trials: TrialSpec[] = [];
  for (let point = 0; point < points; point++) {
    const x = digits(point);
    const params: { [column: string]: Json } = {};
    config.grid.forEach((p, j) => { params[p.column] = p.values[x[j]!]!; });
    for (const seed of config.seeds) {
      trials.push({ index: trials.length, params, seed, key: canonicalJson({ params, seed }), task: taskAt(x, seed) });
    }
  }
  const columns: Column[] = [
    { name: 'trial', type: 'BIGINT' },
    ...config.grid.map((p) => ({ name: p.column, type: columnType(p.values) })),
    { name: 'seed', type: 'BIGINT' },
    ...metricColumns(config.trial.kind, config.env).map((name) => ({ name, type: COUNT_COLUMNS.has(name) ? 'BIGINT' as const : 'DOUBLE' as const })),
  ];
  return { config, trials, columns, fingerprint: fingerprint(config) };
}

/** The task of grid point `x` (value indices per parameter) with `seed`. */
function taskFor(config: SweepConfig, x: readonly number[], seed: number, series: ReadonlyMap<string, ReplaySeries>): TrialTask {
  const envOptions: { [key: string]: Json } = { ...config.envOptions };
  const trial: { [key: string]: Json } = {};
  const agent: { [key: string]: Json } = {};
  config.grid.forEach((p, j) => {
    const v = p.values[x[j]!]!;
    if (p.group === 'env') envOptions[p.name] = v;
    else if (p.group === 'agent') agent[p.name] = v;
    else trial[p.name] = v;
  });
  const t = config.trial;
  const plan: TrialPlan = t.kind === 'q-learning'
    ? {
      kind: 'q-learning',
      episodes: (trial.episodes as number | undefined) ?? t.episodes,
      evalSeeds: (trial.evalSeeds as number | undefined) ?? t.evalSeeds,
      discretize: (trial.discretize as unknown as Discretization | undefined) ?? t.discretize!,
      agent: { ...t.agent, ...(agent as Partial<QLearningConfig>) },
    }
    : { kind: 'rollout', policy: (trial.policy as RolloutPolicyName | undefined) ?? t.policy!, episodes: (trial.episodes as number | undefined) ?? t.episodes };
  const history = isReplayEnv(config.env) ? series.get(marketOf(envOptions)) : undefined;
  return { envId: config.env, envOptions, plan, seed, ...(history === undefined ? {} : { series: history }) };
}

function marketOf(envOptions: { readonly [key: string]: Json }): string {
  return typeof envOptions.market === 'string' ? envOptions.market : 'SOL';
}

/** A replay env's histories, one per market the config names, loaded before any trial runs. */
async function loadReplayHistories(config: SweepConfig, dataDir: string | undefined): Promise<Map<string, ReplaySeries>> {
  const out = new Map<string, ReplaySeries>();
  if (!isReplayEnv(config.env)) return out;
  const swept = config.grid.find((p) => p.group === 'env' && p.name === 'market');
  const sources: [market: Json, path: string][] = swept
    ? swept.values.map((v, i) => [v, childPath(swept.path, i)])
    : [[config.envOptions.market ?? 'SOL', '$.envOptions.market']];
  for (const [market, path] of sources) {
    if (typeof market !== 'string') throw new SweepConfigError(config.file, path, market, 'expected a market symbol whose history the replay plays, e.g. "SOL"');
    try {
      out.set(market, (await loadSeriesFor(config.env, market, dataDir))!);
    } catch (err) {
      throw new SweepConfigError(config.file, path, market, `no history to replay: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}

/**
 * The error for a grid point that cannot be built. The swept values to blame are those whose
 * change to another value of their list makes the point build; when none does, the fixed setting
 * of the step that failed is at fault.
 */
function blame(config: SweepConfig, x: readonly number[], failure: ProbeFailure, passes: (y: number[]) => boolean): SweepConfigError {
  const culprits: number[] = [];
  config.grid.forEach((p, j) => {
    for (let a = 0; a < p.values.length; a++) {
      if (a === x[j]) continue;
      const y = [...x];
      y[j] = a;
      if (passes(y)) {
        culprits.push(j);
        return;
      }
    }
  });
  const what = `${STAGE_TEXT[failure.stage](config.env)} rejects it: ${failure.error.name}: ${failure.error.message}`;
  if (culprits.length === 0) {
    // an agent that cannot handle the env's spaces is told so by the env's options
    const stage = failure.stage === 'agent' && failure.error instanceof UnsupportedSpaceError ? 'env' : failure.stage;
    const fixed = stage === 'env' ? ['$.envOptions', config.envOptions] as const : [`$.trial.${stage}`, (config.trial as unknown as { [k: string]: Json })[stage] ?? null] as const;
    return new SweepConfigError(config.file, fixed[0], fixed[1], what, { cause: failure.error });
  }
  const path = culprits.map((j) => childPath(config.grid[j]!.path, x[j]!)).join(' with ');
  const value = culprits.length === 1 ? config.grid[culprits[0]!]!.values[x[culprits[0]!]!] : culprits.map((j) => config.grid[j]!.values[x[j]!]!);
  return new SweepConfigError(config.file, path, value, what, { cause: failure.error });
}

const STAGE_TEXT: Readonly<Record<TrialStage, (env: string) => string>> = {
  env: (env) => `make(${JSON.stringify(env)}, …)`,
  discretize: (env) => `DiscretizeObservation on ${env}`,
  agent: () => 'the Q-learning agent',
  policy: (env) => `the rollout policy on ${env}`,
};

function columnType(values: readonly Json[]): ColumnType {
  if (values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return 'BIGINT';
  if (values.every((v) => typeof v === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

/** What decides the results: env, kwargs, resolved trial settings, grid and seeds. */
function fingerprint(config: SweepConfig): string {
  const decisive = {
    env: config.env,
    envOptions: config.envOptions,
    trial: config.trial as unknown as Json,
    grid: config.grid.map((p) => ({ column: p.column, values: [...p.values] })),
    seeds: [...config.seeds],
  };
  return createHash('sha256').update(canonicalJson(decisive as unknown as Json)).digest('hex');
}
