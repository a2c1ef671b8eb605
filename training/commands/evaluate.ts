import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../../env/core/env.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import { make } from '../../env/core/registration/registry.js';
import { DiscretizeObservation } from '../../env/core/wrappers/discretize-observation.js';
import '../../env/tasks/builtin.js';
import { NoopPolicy, RandomPolicy } from '../../agents/baselines.js';
import { FormulaicPolicy, HistoricalPolicy, RepegToOraclePolicy } from '../../agents/driftBaselines.js';
import { policyFromJSON, readPolicyFile } from '../../agents/persistence.js';
import { EmpiricalQPolicy } from '../../agents/empirical/policy.js';
import { SequencePolicy } from '../../agents/deep/sequencePolicy.js';
import '../../agents/deep/dqnPolicy.js'; // registers the 'dqn' policy kind for evaluate() called from code
import { initTfjsBackend } from '../../agents/deep/backend.js';
import type { Policy } from '../../agents/policy.js';
import { ENSEMBLE_RULES, EnsemblePolicy, type EnsembleRule } from '../../agents/ensemble.js';
import type { Discretization } from '../discretization.js';
import { isReplayEnv, loadSeriesFor, MARKET_OPTION, parseEnvOptions, recordableKwargs, withMarket } from '../envOptions.js';
import { evaluatePolicies, episodesToCsv, type EpisodeRow, type PolicyEvaluation } from '../evaluate.js';
import { metricsFor } from '../driftMetrics.js';
import type { ReplaySeries } from '../../env/tasks/drift-replay/series.js';
import { writeFileAtomic } from '../files.js';
import { formatTable, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export const BASELINES = ['noop', 'random', 'repeg-to-oracle', 'formulaic', 'historical'] as const;

/**
 * Baselines that apply to an env: the Drift ones need drift-vamm's named actions, `historical` a
 * replay's recorded admin actions; noop (action 0 = hold) and random fit every env.
 */
export function baselinesFor(envId: string): readonly string[] {
  if (envId.startsWith('drift-replay')) return BASELINES;
  if (envId.startsWith('drift-vamm')) return BASELINES.filter((b) => b !== 'historical');
  return ['noop', 'random'];
}

/** Envs whose policies also run on another env id (same observation space and action meanings). */
const TRAINED_ON_COMPATIBLE: Readonly<Record<string, readonly string[]>> = { 'drift-replay-v0': ['drift-vamm-v0'] };

type AnyEnv = Env<unknown, unknown>;

interface Candidate {
  readonly policy: Policy;
  readonly makeEnv: () => AnyEnv;
  /** The raw env's observation as the policy sees it (its discretisation), for ensemble members. */
  readonly observe?: (obs: unknown) => unknown;
}

function actionMeanings(env: AnyEnv, name: string): readonly string[] {
  const meanings = (env.unwrapped as unknown as { actionMeanings?: readonly string[] }).actionMeanings;
  if (!Array.isArray(meanings) || meanings.length === 0) {
    throw new InvalidArgumentError(`--policy ${name}: needs an env with named discrete actions (drift-vamm-v0), got ${env.spec?.id ?? 'another env'}`);
  }
  return meanings;
}

/** A baseline name or a policy file / run directory, and the env (wrappers included) it acts in. */
function resolvePolicy(spec: string, envId: string, kwargs: Record<string, unknown>): Candidate {
  const makeEnv = () => make(envId, kwargs) as AnyEnv;
  if ((BASELINES as readonly string[]).includes(spec)) {
    const probe = makeEnv();
    let policy: Policy;
    if (spec === 'noop') policy = new NoopPolicy(0);
    else if (spec === 'random') policy = new RandomPolicy(probe.actionSpace);
    else if (spec === 'repeg-to-oracle') policy = new RepegToOraclePolicy(actionMeanings(probe, spec));
    else if (spec === 'historical') policy = new HistoricalPolicy(actionMeanings(probe, spec));
    else policy = new FormulaicPolicy(actionMeanings(probe, spec));
    probe.close();
    return { policy, makeEnv };
  }
  const path = existsSync(spec) && statSync(spec).isDirectory() ? join(spec, 'policy.json') : spec;
  if (!existsSync(path)) {
    throw new InvalidArgumentError(`--policy ${JSON.stringify(spec)}: neither a baseline of ${envId} (${baselinesFor(envId).join(', ')}) nor an existing policy file or run directory`);
  }
  const file = readPolicyFile(path);
  if (file.envId !== null && file.envId !== envId && !(TRAINED_ON_COMPATIBLE[envId] ?? []).includes(file.envId)) {
    throw new InvalidArgumentError(`--policy ${path}: trained on ${file.envId}, cannot be evaluated on --env ${envId}`);
  }
  let policy = policyFromJSON(file, path);
  // a history-learnt policy names drift actions; point it at this env's list (e.g. other kDeltas)
  if (policy instanceof EmpiricalQPolicy || policy instanceof SequencePolicy) {
    const probe = makeEnv();
    policy = policy.bindActionMeanings(actionMeanings(probe, spec));
    probe.close();
  }
  const discretize = (file.envSpec as { discretize?: Discretization }).discretize;
  if (discretize === undefined) return { policy, makeEnv };
  const wrap = (env: AnyEnv) => new DiscretizeObservation(env as never, { bins: [...discretize.bins], low: [...discretize.low], high: [...discretize.high] });
  const view = wrap(makeEnv()); // only its observation() mapping is used
  return {
    policy,
    makeEnv: () => wrap(makeEnv()) as unknown as AnyEnv,
    observe: (obs) => view.observation(obs as ArrayLike<number>),
  };
}

const ENSEMBLE_PREFIX = 'ensemble:';

/** `ensemble:<a>,<b>[,…]`: the members in priority order, combined by `rule` on the raw env. */
function resolveEnsemble(spec: string, envId: string, kwargs: Record<string, unknown>, rule: EnsembleRule): Candidate {
  const specs = spec.slice(ENSEMBLE_PREFIX.length).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length < 2 || specs.some((s) => s.startsWith(ENSEMBLE_PREFIX))) {
    throw new InvalidArgumentError(
      `--policy ${JSON.stringify(spec)}: an ensemble needs two or more members that are not ensembles, e.g. ensemble:runs/q-learning-drift-vamm-v0-seed1,runs/sequence-rnn`,
    );
  }
  const members = specs.map((s) => {
    const c = resolvePolicy(s, envId, kwargs);
    return { policy: c.policy as Policy<unknown, number>, observe: c.observe };
  });
  const makeEnv = () => make(envId, kwargs) as AnyEnv;
  const probe = makeEnv();
  const holdAction = actionMeanings(probe, spec).indexOf('hold');
  probe.close();
  return { policy: new EnsemblePolicy(members, { rule, holdAction }) as Policy, makeEnv };
}

/**
 * The policies named by `--policy` values: each value is a comma-separated list, except that an
 * `ensemble:` item takes the rest of its value as its members (repeat `--policy` for more).
 */
export function parsePolicySpecs(values: string | readonly string[]): string[] {
  const out: string[] = [];
  for (const value of typeof values === 'string' ? [values] : values) {
    const at = value.indexOf(ENSEMBLE_PREFIX);
    const head = at < 0 ? value : value.slice(0, at);
    out.push(...head.split(',').map((s) => s.trim()).filter((s) => s !== ''));
    if (at >= 0) out.push(value.slice(at).trim());
  }
  return out;
}

export interface EvaluateArgs {
  env: string;
  /** One or more `--policy` values (see parsePolicySpecs). */
  policy: string | string[];
  /** How `ensemble:` policies combine their members (default 'vote'). */
  ensembleRule?: EnsembleRule;
  seeds: number;
  envOptions?: string;
  out?: string;
  /** Drift market: the preset of drift-vamm-v0, the history drift-replay-v0 replays. */
  market?: string;
  /** drift-replay-v0's history (loaded by the command from the data directory). */
  series?: ReplaySeries;
  json: boolean;
}

export interface EvaluateSummary {
  readonly env: string;
  readonly seeds: number;
  readonly episodes: number;
  readonly policies: {
    policy: string; mean: number; iqm: number; ci95: [number, number]; meanLength: number; metrics: Readonly<Record<string, number>>;
  }[];
  readonly runDir: string;
}

/** Evaluate every policy on the same env seeds (10,000 + i: disjoint from training seeds); write results under the run dir. */
export function evaluate(args: EvaluateArgs, quiet = false): EvaluateSummary {
  if (!Number.isSafeInteger(args.seeds) || args.seeds < 1) throw new InvalidArgumentError(`--seeds: expected a positive integer, got ${args.seeds}`);
  const kwargs = withMarket(args.env, parseEnvOptions(args.envOptions), args.market, args.series);
  const replay = isReplayEnv(args.env);
  const specs = parsePolicySpecs(args.policy);
  if (specs.length === 0) throw new InvalidArgumentError(`--policy: expected one or more of ${BASELINES.join(', ')} or policy files, comma-separated`);
  // a replay is read against what the admin really did
  if (replay && !specs.includes('historical')) specs.unshift('historical');
  const rule = args.ensembleRule ?? 'vote';
  const candidates = specs.map((s) => (s.startsWith(ENSEMBLE_PREFIX) ? resolveEnsemble(s, args.env, kwargs, rule) : resolvePolicy(s, args.env, kwargs)));
  const seeds = Array.from({ length: args.seeds }, (_, i) => 10_000 + i);
  const bar = progressBar('evaluate', candidates.length * seeds.length, args.json || quiet);
  const evaluations: PolicyEvaluation[] = [];
  const rows: EpisodeRow[] = [];
  for (const c of candidates) {
    const r = evaluatePolicies(c.makeEnv, [c.policy], { seeds, metrics: metricsFor(args.env), onEpisode: () => bar.tick() });
    evaluations.push(...r.policies);
    rows.push(...r.episodes);
  }
  bar.stop();
  const runDir = args.out ?? join('runs', `evaluate-${args.env}${args.series === undefined ? '' : `-${args.series.market}`}`);
  const summary: EvaluateSummary = {
    env: args.env, seeds: seeds.length, episodes: rows.length,
    policies: evaluations.map((e) => ({ policy: e.policy, mean: e.mean, iqm: e.iqm, ci95: e.ci95, meanLength: e.meanLength, metrics: e.metricMeans })),
    runDir,
  };
  const { series, ...envOptions } = recordableKwargs(kwargs);
  const history = series === undefined ? {} : { history: series };
  writeFileAtomic(join(runDir, 'results.json'), toJson({ ...summary, command: ['damm-gym', ...process.argv.slice(2)], envOptions, ...history, seedList: seeds }));
  writeFileAtomic(join(runDir, 'episodes.csv'), episodesToCsv(rows));
  return summary;
}

const METRIC_COLUMNS: readonly [key: string, header: string, digits: number][] = [
  ['feesUsd', 'fees', 0], ['adjustmentCostUsd', 'adj. cost', 0], ['fundingUsd', 'funding', 0],
  ['trackingErrorBps', 'tracking (bps)', 1], ['rejections', 'rejections', 0],
];

export function printEvaluation(s: EvaluateSummary): void {
  const f = (x: number) => x.toFixed(2);
  const metrics = METRIC_COLUMNS.filter(([key]) => s.policies.every((p) => key in p.metrics));
  console.log(formatTable(
    ['policy', 'mean return (USD)', 'IQM', 'IQM 95% CI', ...metrics.map(([, h]) => h), 'mean length'],
    s.policies.map((p) => [
      p.policy, f(p.mean), f(p.iqm), `[${f(p.ci95[0])}, ${f(p.ci95[1])}]`,
      ...metrics.map(([key, , d]) => p.metrics[key]!.toFixed(d)), p.meanLength.toFixed(0),
    ]),
  ));
  if (metrics.length > 0) console.log('(means over episodes, USD: fees kept, adjustment costs paid, funding received (negative: paid); tracking: RMS of mark/oracle − 1)');
  console.log(`evaluate: ${s.policies.length} policies × ${s.seeds} seeds on ${s.env} (${s.episodes} episodes); results in ${s.runDir}`);
}

export function evaluateCommand(y: Argv): Argv {
  return y.command(
    'evaluate',
    'Evaluate policies on the same env seeds: mean, IQM and 95 % stratified-bootstrap CI of the episode return',
    (c) => c
      .option('env', { type: 'string', default: 'drift-vamm-v0', describe: 'registered env id' })
      .option('policy', {
        type: 'string', array: true, demandOption: true,
        describe: `comma-separated: ${BASELINES.join(', ')}, policy files / run directories, or ensemble:<a>,<b>[,…] (takes the rest of the value; repeat --policy for more)`,
      })
      .option('ensemble-rule', {
        choices: ENSEMBLE_RULES, default: 'vote' as const,
        describe: 'vote: weighted plurality, ties to the first member; agree: the first member acts only when another proposes the same action, else hold',
      })
      .option('seeds', { type: 'number', default: 10, describe: 'evaluation seeds (10000, 10001, …)' })
      .option('env-options', { type: 'string', describe: 'make() kwargs as JSON' })
      .option('market', MARKET_OPTION)
      .option('out', { type: 'string', describe: 'run directory (default runs/evaluate-<env>)' }),
    async (argv) => {
      const args = argv as unknown as EvaluateArgs & { dataDir?: string };
      args.series = await loadSeriesFor(args.env, args.market, args.dataDir);
      // neural policies predict on the chosen backend (wasm here: ~2× faster than cpu for a GRU step)
      await initTfjsBackend();
      const s = evaluate(args);
      if (argv.json) process.stdout.write(`${toJson(s)}\n`);
      else printEvaluation(s);
    },
  );
}
