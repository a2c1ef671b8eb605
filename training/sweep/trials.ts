/**
 * What one sweep trial does, with no I/O, so the worker thread and the tests run the same code.
 *
 * - `q-learning`: what `train q-learning` then `evaluate` do, without their files: train on the
 *   discretized env with the trial's seed (`trainQLearning`), then evaluate the greedy policy on
 *   evaluation seeds 10000, 10001, … (`evaluatePolicies`: common random numbers across trials).
 * - `rollout`: a baseline policy plays `episodes` episodes of the env from the trial's seed (episode
 *   e ≥ 1 reset with `episodeSeed(seed, e)`, as `evaluate` derives them).
 *
 * Same task → same metrics bit for bit, on any thread; only `wallSeconds` and `stepsPerSec` are
 * measured.
 */
import type { Env } from '../../env/core/env.js';
import { make } from '../../env/core/registration/registry.js';
import type { Json } from '../../env/core/spaces/space.js';
import { DiscretizeObservation } from '../../env/core/wrappers/discretize-observation.js';
import '../../env/tasks/builtin.js';
import type { ReplaySeries } from '../../env/tasks/drift-replay/series.js';
import { NoopPolicy, RandomPolicy } from '../../agents/baselines.js';
import { FormulaicPolicy, HistoricalPolicy, RepegToOraclePolicy } from '../../agents/driftBaselines.js';
import { AgentConfigError } from '../../agents/errors.js';
import type { Policy } from '../../agents/policy.js';
import { QLearningAgent, trainQLearning, type QLearningConfig } from '../../agents/tabular/qLearning.js';
import type { Discretization } from '../discretization.js';
import { metricsFor } from '../driftMetrics.js';
import { DEFAULT_EVAL_SEEDS, evaluatePolicies, type PolicyEvaluation } from '../evaluate.js';
import type { RolloutPolicyName, TrialKind } from './config.js';

/** A q-learning trial's settings once the grid point is applied. */
export interface QLearningTrialPlan {
  readonly kind: 'q-learning';
  readonly episodes: number;
  readonly evalSeeds: number;
  readonly discretize: Discretization;
  /** Q-learning settings without the seed (the trial's seed is added). */
  readonly agent: Partial<QLearningConfig>;
}

export interface RolloutTrialPlan {
  readonly kind: 'rollout';
  readonly policy: RolloutPolicyName;
  readonly episodes: number;
}

export type TrialPlan = QLearningTrialPlan | RolloutTrialPlan;

/** Everything a worker needs for one trial (structured-clonable). */
export interface TrialTask {
  readonly envId: string;
  /** make() kwargs: the config's envOptions with the grid point's env values on top. */
  readonly envOptions: { readonly [key: string]: Json };
  readonly plan: TrialPlan;
  readonly seed: number;
  /** drift-replay-v0's history for `envOptions.market`, loaded once by the main thread. */
  readonly series?: ReplaySeries;
}

export interface TrialOutcome {
  /** The trial's figures by column name (see `metricColumns`). */
  readonly metrics: { readonly [name: string]: number };
}

type AnyEnv = Env<unknown, unknown>;

/** Columns whose values are measured, not computed: they differ between runs of the same trial. */
export const TIMING_COLUMNS: readonly string[] = ['wallSeconds', 'stepsPerSec'];

/** The metric columns of a trial kind on an env, in table order. */
export function metricColumns(kind: TrialKind, envId: string): string[] {
  const training = kind === 'q-learning' ? ['trainEpisodes', 'trainReturnLast10Pct', 'visitedStateFraction'] : [];
  return [
    ...training, 'evalEpisodes', 'meanReturn', 'iqm', 'iqmCiLow', 'iqmCiHigh', 'meanLength',
    ...metricsFor(envId).map((m) => m.name), 'envSteps', ...TIMING_COLUMNS,
  ];
}

/**
 * The env a trial plays: make() with its kwargs; a replay gets the history the planner loaded in
 * place of `market`. (The worker leaves replay detection to the planner: importing the loaders
 * here would load DuckDB into every worker thread.)
 */
export function makeTrialEnv(task: TrialTask): AnyEnv {
  if (task.series === undefined) return make(task.envId, { ...task.envOptions });
  const { market: _market, ...rest } = task.envOptions;
  return make(task.envId, { ...rest, series: task.series });
}

function discretized(env: AnyEnv, d: Discretization): AnyEnv {
  return new DiscretizeObservation(env as never, { bins: [...d.bins], low: [...d.low], high: [...d.high] }) as unknown as AnyEnv;
}

function actionMeanings(env: AnyEnv, policy: string): readonly string[] {
  const meanings = (env.unwrapped as unknown as { actionMeanings?: readonly string[] }).actionMeanings;
  if (!Array.isArray(meanings) || meanings.length === 0) {
    throw new AgentConfigError('policy', policy, `a policy for ${env.spec?.id ?? 'this env'}: it has no named discrete actions, so only noop and random apply`, 'rollout trial');
  }
  return meanings;
}

/** A baseline policy by name for `env` (noop holds with action 0). */
export function rolloutPolicy(name: RolloutPolicyName, env: AnyEnv): Policy {
  switch (name) {
    case 'noop':
      return new NoopPolicy(0);
    case 'random':
      return new RandomPolicy(env.actionSpace);
    case 'repeg-to-oracle':
      return new RepegToOraclePolicy(actionMeanings(env, name));
    case 'formulaic':
      return new FormulaicPolicy(actionMeanings(env, name));
    case 'historical':
      return new HistoricalPolicy(actionMeanings(env, name));
  }
}

/** The construction steps of a trial, in order: where a bad argument is caught. */
export type TrialStage = 'env' | 'discretize' | 'agent' | 'policy';

export interface ProbeFailure {
  readonly stage: TrialStage;
  readonly error: Error;
}

/**
 * Build the trial's env, observation wrapper and agent or policy without stepping, and close the
 * env: the checks the env and agent make on their arguments, run before any trial does. Returns
 * the step that failed and its error, or null.
 */
export function probeTrial(task: TrialTask): ProbeFailure | null {
  let stage: TrialStage = 'env';
  let env: AnyEnv | undefined;
  try {
    env = makeTrialEnv(task);
    if (task.plan.kind === 'q-learning') {
      stage = 'discretize';
      const view = discretized(env, task.plan.discretize);
      stage = 'agent';
      QLearningAgent.forSpaces(view.observationSpace, view.actionSpace, { ...task.plan.agent, seed: task.seed });
    } else {
      stage = 'policy';
      rolloutPolicy(task.plan.policy, env);
    }
    return null;
  } catch (err) {
    return { stage, error: err instanceof Error ? err : new Error(String(err)) };
  } finally {
    env?.close();
  }
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function evaluationMetrics(e: PolicyEvaluation): Record<string, number> {
  return {
    evalEpisodes: e.returns.length, meanReturn: e.mean, iqm: e.iqm, iqmCiLow: e.ci95[0], iqmCiHigh: e.ci95[1], meanLength: e.meanLength,
    ...e.metricMeans,
  };
}

/** Run one trial to completion. */
export function runTrial(task: TrialTask): TrialOutcome {
  const started = performance.now();
  const plan = task.plan;
  const metricDefs = metricsFor(task.envId);
  let metrics: Record<string, number>;
  let envSteps: number;
  if (plan.kind === 'q-learning') {
    const env = discretized(makeTrialEnv(task), plan.discretize);
    let trained;
    try {
      trained = trainQLearning(env, { ...plan.agent, seed: task.seed }, { episodes: plan.episodes });
    } finally {
      env.close();
    }
    // 10000, 10001, …: the seeds `evaluate --seeds n` uses, far from the training seeds
    const evalSeeds = Array.from({ length: plan.evalSeeds }, (_, i) => DEFAULT_EVAL_SEEDS[0]! + i);
    const evaluation = evaluatePolicies(() => discretized(makeTrialEnv(task), plan.discretize), [trained.agent], { seeds: evalSeeds, metrics: metricDefs }).policies[0]!;
    const tail = trained.returns.slice(Math.floor(trained.returns.length * 0.9));
    const trainSteps = sum(trained.lengths);
    envSteps = trainSteps + sum(evaluation.lengths);
    metrics = {
      trainEpisodes: plan.episodes,
      trainReturnLast10Pct: tail.length === 0 ? 0 : sum(tail) / tail.length,
      visitedStateFraction: trained.agent.coverage().visitedStateFraction,
      ...evaluationMetrics(evaluation),
    };
  } else {
    const probe = makeTrialEnv(task);
    const policy = rolloutPolicy(plan.policy, probe);
    probe.close();
    const evaluation = evaluatePolicies(() => makeTrialEnv(task), [policy], { seeds: [task.seed], episodesPerSeed: plan.episodes, metrics: metricDefs }).policies[0]!;
    envSteps = sum(evaluation.lengths);
    metrics = evaluationMetrics(evaluation);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return { metrics: { ...metrics, envSteps, wallSeconds, stepsPerSec: envSteps / wallSeconds } };
}
