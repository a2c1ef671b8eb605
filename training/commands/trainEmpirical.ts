/**
 * `damm-gym train empirical-q`: the empirical MDP of damm-parameter-optimization.md §2.2.2 from
 * Drift v1's curve history. Builds the event-clock transitions (data/drift-v1/transitions.ts),
 * estimates P̂(s', r | s, a) over imbalance bins × the five admin action classes
 * (agents/empirical/model.ts), solves it by value iteration and by Q-learning on samples from the
 * model, and writes config.json, model.json, transitions.csv and policy.json (kind 'empirical-q',
 * loadable by `damm-gym evaluate --env drift-vamm-v0 --policy <run dir>`).
 *
 * What the history can and cannot say (printed tables make it visible):
 * - The clock ticks only when the admin acted (347 records in 7 weeks, 7–147 per market), so
 *   'hold' has 6 samples, all "update_k" calls that left k unchanged: there is no record of the
 *   admin deciding to do nothing. Most (state, class) pairs have a handful of samples or none.
 * - A transition's reward mixes the action's immediate effect (its adjustment cost) with whatever
 *   happened until the next admin action: fees and funding over seconds (bursts of repegs) or
 *   days. Long gaps therefore look good for whatever action preceded them.
 * - Pairs without data are filled by the prior (model.ts) and, by default, never chosen in a
 *   state that has data (--support observed); classes a market never used are never chosen.
 * - The state is the imbalance alone (the source's S_t); the mark/oracle gap is not in the curve
 *   records, so the repeg direction is decided by the env's oracle when the policy acts.
 */
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InvalidArgumentError, describeValue } from '../../env/core/errors.js';
import { Rng, validateSeed } from '../../env/core/rng.js';
import { make } from '../../env/core/registration/registry.js';
import '../../env/tasks/builtin.js';
import { loadCurveHistory } from '../../data/drift-v1/curveHistory.js';
import { DRIFT_V1_FILES, resolveDataDir } from '../../data/dataDir.js';
import { marketIndexOf, marketSymbol } from '../../data/drift-v1/markets.js';
import {
  TRANSITION_REWARD_UNITS, curveTransitions, defaultExcludedRecords, transitionReward, type CurveTransition, type TransitionRewardUnit,
} from '../../data/drift-v1/transitions.js';
import { savePolicy } from '../../agents/persistence.js';
import { EMPIRICAL_ACTION_CLASSES, type EmpiricalActionClass } from '../../agents/empirical/actionClasses.js';
import { DEFAULT_IMBALANCE_BINS, ImbalanceBins } from '../../agents/empirical/imbalanceBins.js';
import { estimateModel, type EmpiricalModel, type ModelSupport, type TransitionSample } from '../../agents/empirical/model.js';
import { modelQLearning } from '../../agents/empirical/modelQLearning.js';
import { EmpiricalQPolicy } from '../../agents/empirical/policy.js';
import { valueIteration } from '../../agents/empirical/valueIteration.js';
import { writeFileAtomic } from '../files.js';
import { formatTable, toJson } from '../output.js';

export const EMPIRICAL_SOLVERS = ['vi', 'q', 'both'] as const;
export type EmpiricalSolver = (typeof EMPIRICAL_SOLVERS)[number];

/** Defaults of `train empirical-q`; README and --help cite them. */
export const EMPIRICAL_DEFAULTS = Object.freeze({
  market: 'SOL',
  /** Per event: the clock ticks at each admin action, and a market has 7–147 of them. */
  gamma: 0.9,
  bins: DEFAULT_IMBALANCE_BINS.bins,
  range: DEFAULT_IMBALANCE_BINS.range,
  solver: 'both' as EmpiricalSolver,
  reward: 'depth-bps' as TransitionRewardUnit,
  prior: 1,
  support: 'observed' as ModelSupport,
  sweeps: 20_000,
  seed: 1,
  /** 'history': act about as often as the admin did (mean hours between its actions, in env steps). */
  actEvery: 'history',
});

export interface TrainEmpiricalArgs {
  market?: string;
  gamma?: number;
  bins?: number;
  range?: number;
  solver?: string;
  reward?: string;
  prior?: number;
  support?: string;
  sweeps?: number;
  seed?: number;
  /** Record ids left out with their transitions, comma-separated ('none': keep all). */
  exclude?: string;
  /** Steps between the saved policy's interventions: a positive integer or 'history'. */
  actEvery?: string | number;
  out?: string;
  dataDir?: string;
  json?: boolean;
}

export interface EmpiricalStateRow {
  readonly state: number;
  readonly imbalance: string;
  /** Transitions from this state (all classes). */
  readonly n: number;
  /** Samples per class, in EMPIRICAL_ACTION_CLASSES order. */
  readonly counts: number[];
  /** Sample mean reward per class (null: no sample). */
  readonly meanReward: (number | null)[];
  readonly vi: EmpiricalActionClass | null;
  readonly q: EmpiricalActionClass | null;
}

export interface TrainEmpiricalResult {
  readonly runDir: string;
  readonly policyPath: string;
  readonly market: string;
  readonly marketIndices: number[];
  readonly rewardUnit: TransitionRewardUnit;
  readonly support: ModelSupport;
  readonly priorStrength: number;
  readonly gamma: number;
  readonly bins: { bins: number; range: number };
  readonly solver: EmpiricalSolver;
  readonly transitions: number;
  readonly dropped: { lastOfMarket: number; excluded: number; gap: number };
  /** Records whose transitions were left out (--exclude). */
  readonly excludedRecordIds: bigint[];
  readonly actions: readonly EmpiricalActionClass[];
  /** Samples per class over all states; a class with none is never chosen. */
  readonly actionCounts: number[];
  readonly states: EmpiricalStateRow[];
  readonly valueIteration: { iterations: number; converged: boolean; residual: number; values: number[]; policy: EmpiricalActionClass[] } | null;
  readonly qLearning: { sweeps: number; seed: number; updates: number; policy: EmpiricalActionClass[] } | null;
  /** VI and Q-learning greedy classes compared, over all states and over states with data. */
  readonly agreement: { states: number; agree: number; statesWithData: number; agreeWithData: number } | null;
  /** The saved policy's class per state. */
  readonly policy: EmpiricalActionClass[];
  /** Mean hours between consecutive admin actions in the transitions. */
  readonly meanDtHours: number;
  /** The saved policy acts every this many env steps and holds in between. */
  readonly actEvery: number;
  /** drift-vamm-v0's step length the pace was converted with. */
  readonly stepSec: number;
  readonly seconds: number;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`--${flag}: got ${JSON.stringify(value)}; allowed: ${allowed.join(', ')}`);
  return value as T;
}

function parseExclude(text: string | undefined): bigint[] | 'outliers' {
  if (text === undefined || text.trim() === 'outliers') return 'outliers';
  if (text.trim() === 'none' || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const p = part.trim();
    if (!/^\d+$/.test(p)) throw new InvalidArgumentError(`--exclude: ${JSON.stringify(p)} is not a record id; expected outliers, none, or comma-separated curve record ids (e.g. 96,97,98,99,100)`);
    return BigInt(p);
  });
}

interface Resolved {
  market: string;
  marketIndices: number[] | null;
  gamma: number;
  bins: ImbalanceBins;
  solver: EmpiricalSolver;
  reward: TransitionRewardUnit;
  prior: number;
  support: ModelSupport;
  sweeps: number;
  seed: number;
  exclude: bigint[] | 'outliers';
  actEvery: number | 'history';
}

function parseActEvery(value: string | number | undefined): number | 'history' {
  const text = String(value ?? EMPIRICAL_DEFAULTS.actEvery).trim();
  if (text === 'history') return 'history';
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`--act-every: got ${JSON.stringify(text)}; allowed: a positive integer (env steps) or history`);
  return n;
}

/** Every flag checked before any data is read, so a typo costs nothing and writes nothing. */
function resolveArgs(args: TrainEmpiricalArgs): Resolved {
  const d = EMPIRICAL_DEFAULTS;
  const market = (args.market ?? d.market).trim();
  const marketIndices = market.toLowerCase() === 'all' ? null : [marketIndexOf(market, '--market')];
  const gamma = args.gamma ?? d.gamma;
  if (!(Number.isFinite(gamma) && gamma >= 0 && gamma < 1)) throw new InvalidArgumentError(`--gamma: got ${describeValue(gamma)}; allowed: a number in [0, 1) (discount per event)`);
  const binCount = args.bins ?? d.bins;
  if (!Number.isSafeInteger(binCount) || binCount < 1 || binCount > 1000) throw new InvalidArgumentError(`--bins: got ${describeValue(binCount)}; allowed: an integer from 1 to 1000`);
  const range = args.range ?? d.range;
  if (!(Number.isFinite(range) && range > 0)) throw new InvalidArgumentError(`--range: got ${describeValue(range)}; allowed: a number > 0 (bins cover [-range, range] of d/sqrt_k)`);
  const prior = args.prior ?? d.prior;
  if (!(Number.isFinite(prior) && prior >= 0)) throw new InvalidArgumentError(`--prior: got ${describeValue(prior)}; allowed: a number >= 0 (pseudo-counts)`);
  const sweeps = args.sweeps ?? d.sweeps;
  if (!Number.isSafeInteger(sweeps) || sweeps < 1) throw new InvalidArgumentError(`--sweeps: got ${describeValue(sweeps)}; allowed: a positive integer`);
  const seed = validateSeed(args.seed ?? d.seed, '--seed');
  return {
    market: marketIndices === null ? 'all' : marketSymbol(marketIndices[0]!),
    marketIndices,
    gamma,
    bins: new ImbalanceBins({ bins: binCount, range }),
    solver: oneOf('solver', args.solver ?? d.solver, EMPIRICAL_SOLVERS),
    reward: oneOf('reward', args.reward ?? d.reward, TRANSITION_REWARD_UNITS),
    prior,
    support: oneOf('support', args.support ?? d.support, ['observed', 'any'] as const),
    sweeps,
    seed,
    exclude: parseExclude(args.exclude),
    actEvery: parseActEvery(args.actEvery),
  };
}

function samplesOf(transitions: readonly CurveTransition[], bins: ImbalanceBins, unit: TransitionRewardUnit): TransitionSample[] {
  return transitions.map((t) => ({
    state: bins.index(t.imbalance),
    action: EMPIRICAL_ACTION_CLASSES.indexOf(t.action),
    reward: transitionReward(t, unit),
    nextState: bins.index(t.nextImbalance),
    dtHours: t.dtHours,
  }));
}

/** Rows of S×A (×S) tables for JSON: NaN and ±Infinity become null. */
function rows(values: ArrayLike<number>, width: number): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let i = 0; i < values.length; i += width) out.push(Array.from({ length: width }, (_, k) => (Number.isFinite(values[i + k]!) ? values[i + k]! : null)));
  return out;
}

function modelJson(model: EmpiricalModel, r: Resolved, viQ: Float64Array | null, qq: Float64Array | null): unknown {
  const S = model.nStates;
  const A = model.nActions;
  const cube = (v: ArrayLike<number>) => rows(v, S * 1).reduce<(number | null)[][][]>((acc, row, i) => {
    if (i % A === 0) acc.push([]);
    acc[acc.length - 1]!.push(row);
    return acc;
  }, []);
  return {
    format: 'damm-gym-empirical-mdp',
    version: 1,
    market: r.market,
    rewardUnit: r.reward,
    priorStrength: r.prior,
    support: r.support,
    bins: r.bins.toJSON(),
    states: Array.from({ length: S }, (_, s) => r.bins.label(s)),
    actions: EMPIRICAL_ACTION_CLASSES,
    available: rows(model.available.map(Number), A).map((row) => row.map(Boolean)),
    actionCounts: Array.from(model.actionCounts),
    counts: rows(model.counts, A),
    nextCounts: cube(model.nextCounts),
    sampleMeanReward: rows(model.sampleMean, A),
    sampleRewardVariance: rows(model.sampleVariance, A),
    meanDtHours: rows(model.meanDtHours, A),
    reward: rows(model.reward, A),
    rewardStd: rows(model.rewardStd, A),
    transition: cube(model.transition),
    valueIterationQ: viQ === null ? null : rows(viQ, A),
    qLearningQ: qq === null ? null : rows(qq, A),
  };
}

function transitionsCsv(transitions: readonly CurveTransition[], samples: readonly TransitionSample[]): string {
  const header = 'market,record_id,next_record_id,ts,dt_hours,action,imbalance,next_imbalance,state,next_state,reward_usd,fees_usd,adjustment_cost_usd,other_usd,depth_usd,reward_depth_bps,reward';
  const lines = transitions.map((t, i) => [
    marketSymbol(t.marketIndex), t.recordId, t.nextRecordId, new Date(t.ts * 1000).toISOString(), t.dtHours, t.action, t.imbalance, t.nextImbalance,
    samples[i]!.state, samples[i]!.nextState, t.rewardUsd, t.feesUsd, t.adjustmentCostUsd, t.otherUsd, t.depthUsd, t.rewardDepthBps, samples[i]!.reward,
  ].join(','));
  return `${[header, ...lines].join('\n')}\n`;
}

/** drift-vamm-v0's action names, which the saved policy maps its classes onto, and its step length. */
function driftVammDefaults(): { actionMeanings: string[]; stepSec: number } {
  const env = make('drift-vamm-v0');
  const u = env.unwrapped as unknown as { actionMeanings: readonly string[]; options: { stepSec: number } };
  env.close();
  return { actionMeanings: [...u.actionMeanings], stepSec: u.options.stepSec };
}

export async function trainEmpirical(args: TrainEmpiricalArgs): Promise<TrainEmpiricalResult> {
  const r = resolveArgs(args);
  const started = performance.now();
  const file = join(resolveDataDir(args.dataDir).dir, DRIFT_V1_FILES.curveHistory);
  const history = await loadCurveHistory(file);
  const excludeRecordIds = r.exclude === 'outliers' ? defaultExcludedRecords(history.records) : r.exclude;
  const { transitions, dropped } = curveTransitions(history.records, {
    ...(r.marketIndices === null ? {} : { markets: r.marketIndices }), excludeRecordIds,
  });
  if (transitions.length === 0) {
    throw new InvalidArgumentError(`--market ${r.market}: ${file} has no transitions for it (a market needs two consecutive curve records); markets in the file: ${[...new Set(history.records.map((x) => marketSymbol(x.marketIndex)))].join(', ')}`);
  }
  const S = r.bins.bins;
  const A = EMPIRICAL_ACTION_CLASSES.length;
  const samples = samplesOf(transitions, r.bins, r.reward);
  const model = estimateModel(samples, { nStates: S, nActions: A, priorStrength: r.prior, support: r.support });
  const vi = r.solver === 'q' ? null : valueIteration(model, { gamma: r.gamma });
  const q = r.solver === 'vi' ? null : modelQLearning(model, { gamma: r.gamma, sweeps: r.sweeps, rng: new Rng(r.seed) });
  const toClasses = (policy: readonly number[]) => policy.map((a) => EMPIRICAL_ACTION_CLASSES[a]!);
  const viClasses = vi === null ? null : toClasses(vi.policy);
  const qClasses = q === null ? null : toClasses(q.policy);
  const classes = (viClasses ?? qClasses)!;

  const stateN = Array.from({ length: S }, (_, s) => EMPIRICAL_ACTION_CLASSES.reduce((n, _c, a) => n + model.counts[s * A + a]!, 0));
  const states: EmpiricalStateRow[] = stateN.map((n, s) => ({
    state: s,
    imbalance: r.bins.label(s),
    n,
    counts: EMPIRICAL_ACTION_CLASSES.map((_c, a) => model.counts[s * A + a]!),
    meanReward: EMPIRICAL_ACTION_CLASSES.map((_c, a) => (model.counts[s * A + a]! > 0 ? model.sampleMean[s * A + a]! : null)),
    vi: viClasses?.[s] ?? null,
    q: qClasses?.[s] ?? null,
  }));
  const agreement = viClasses === null || qClasses === null ? null : {
    states: S,
    agree: viClasses.filter((c, s) => c === qClasses[s]).length,
    statesWithData: stateN.filter((n) => n > 0).length,
    agreeWithData: viClasses.filter((c, s) => stateN[s]! > 0 && c === qClasses[s]).length,
  };

  const solverQ = vi?.q ?? q!.q;
  const env = driftVammDefaults();
  const meanDtHours = transitions.reduce((acc, t) => acc + t.dtHours, 0) / transitions.length;
  const actEvery = r.actEvery === 'history' ? Math.max(1, Math.round((meanDtHours * 3600) / env.stepSec)) : r.actEvery;
  const policy = new EmpiricalQPolicy(
    { bins: r.bins.toJSON(), classes, q: Array.from(solverQ, (v) => (Number.isFinite(v) ? v : null)), stateCounts: stateN, actEvery },
    {
      actionMeanings: env.actionMeanings,
      // evaluate keys results by name: a policy with an explicit pace says so
      name: r.actEvery === 'history' ? `empirical-q-${r.market}` : `empirical-q-${r.market}-every${r.actEvery}`,
      config: {
        market: r.market, gamma: r.gamma, solver: r.solver === 'q' ? 'q' : 'vi', rewardUnit: r.reward, priorStrength: r.prior, support: r.support,
        transitions: transitions.length, source: DRIFT_V1_FILES.curveHistory, meanDtHours, stepSec: env.stepSec,
      },
    },
  );
  const runDir = args.out ?? join('runs', `empirical-q-${r.market}`);
  const policyPath = join(runDir, 'policy.json');
  const dropCount = (reason: string) => dropped.filter((x) => x.reason === reason).length;
  const result: TrainEmpiricalResult = {
    runDir,
    policyPath,
    market: r.market,
    marketIndices: r.marketIndices ?? [...new Set(transitions.map((t) => t.marketIndex))],
    rewardUnit: r.reward,
    support: r.support,
    priorStrength: r.prior,
    gamma: r.gamma,
    bins: r.bins.toJSON(),
    solver: r.solver,
    transitions: transitions.length,
    dropped: { lastOfMarket: dropCount('last-of-market'), excluded: dropCount('excluded'), gap: dropCount('gap') },
    excludedRecordIds: excludeRecordIds,
    actions: EMPIRICAL_ACTION_CLASSES,
    actionCounts: Array.from(model.actionCounts),
    states,
    valueIteration: vi === null ? null : { iterations: vi.iterations, converged: vi.converged, residual: vi.residual, values: Array.from(vi.values), policy: viClasses! },
    qLearning: q === null ? null : { sweeps: q.sweeps, seed: r.seed, updates: q.updates, policy: qClasses! },
    agreement,
    policy: classes,
    meanDtHours,
    actEvery,
    stepSec: env.stepSec,
    seconds: (performance.now() - started) / 1000,
  };

  // Everything is computed; only now touch the run directory (each file atomically).
  writeFileAtomic(join(runDir, 'config.json'), toJson({
    command: ['damm-gym', ...process.argv.slice(2)], algorithm: 'empirical-q', file, market: r.market, marketIndices: result.marketIndices,
    gamma: r.gamma, bins: r.bins.toJSON(), solver: r.solver, rewardUnit: r.reward, priorStrength: r.prior, support: r.support, sweeps: r.sweeps, seed: r.seed,
    exclude: r.exclude === 'outliers' ? 'outliers' : 'list', excludeRecordIds, valueIterationTolerance: 1e-10,
    actEvery: r.actEvery, actEverySteps: actEvery, meanDtHours, stepSec: env.stepSec,
  }));
  writeFileAtomic(join(runDir, 'model.json'), toJson({ ...(modelJson(model, r, vi?.q ?? null, q?.q ?? null) as object), transitions: transitions.length, dropped: result.dropped }));
  writeFileAtomic(join(runDir, 'transitions.csv'), transitionsCsv(transitions, samples));
  savePolicy(policyPath, policy, { envId: null, envSpec: {} });
  return result;
}

export function printEmpirical(res: TrainEmpiricalResult): void {
  const f = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(2);
  console.log(formatTable(
    ['state', 'd/sqrt_k', 'n', ...EMPIRICAL_ACTION_CLASSES.map((c) => `${c} n (mean r)`), 'VI', 'Q'],
    res.states.map((s) => [
      String(s.state), s.imbalance, String(s.n),
      ...s.counts.map((c, a) => (c === 0 ? '-' : `${c} (${f(s.meanReward[a]!)})`)),
      s.vi ?? '', (s.q ?? '') + (s.vi !== null && s.q !== null && s.vi !== s.q ? ' *' : ''),
    ]),
  ));
  const d = res.dropped;
  const ex = res.excludedRecordIds.length === 0 ? 'none' : res.excludedRecordIds.join(',');
  console.log(`transitions: ${res.transitions} (market ${res.market}; dropped: ${d.lastOfMarket} last-of-market, ${d.excluded} excluded [records ${ex}], ${d.gap} gap); reward unit ${res.rewardUnit}; prior ${res.priorStrength}, support ${res.support}; `
    + `class totals ${EMPIRICAL_ACTION_CLASSES.map((c, a) => `${c} ${res.actionCounts[a]}`).join(', ')}`);
  if (res.valueIteration !== null) {
    const v = res.valueIteration;
    console.log(`value iteration: γ ${res.gamma}, ${v.converged ? 'converged' : 'NOT converged'} in ${v.iterations} iterations (Bellman residual ${v.residual.toExponential(2)}); policy ${v.policy.join(' ')}`);
  }
  if (res.qLearning !== null) {
    const q = res.qLearning;
    console.log(`Q-learning on the model: ${q.sweeps} sweeps (${q.updates} updates, seed ${q.seed}); policy ${q.policy.join(' ')}`);
  }
  if (res.agreement !== null) {
    const a = res.agreement;
    console.log(`agreement: ${a.agree}/${a.states} states; ${a.agreeWithData}/${a.statesWithData} states with data${a.agree < a.states ? ' (* marks a difference)' : ''}`);
  }
  console.log(`train empirical-q: policy ${res.policyPath} (${res.solver === 'q' ? 'Q-learning' : 'value-iteration'} classes, acting every ${res.actEvery} steps of ${res.stepSec} s; `
    + `the admin acted every ${res.meanDtHours.toFixed(1)} h on average); ${res.seconds.toFixed(2)} s`);
}

/** The `train empirical-q` subcommand, registered by train.ts. */
export const trainEmpiricalCommand: CommandModule = {
  command: 'empirical-q',
  describe: 'Empirical MDP from Drift v1 curve history (imbalance bins × hold/repeg up/repeg down/k up/k down), solved by value iteration and Q-learning on the model; writes runs/empirical-q-<market>/{config.json,model.json,transitions.csv,policy.json}',
  builder: (c: Argv) => c
    .option('market', { type: 'string', default: EMPIRICAL_DEFAULTS.market, describe: 'Drift v1 market symbol or index, or all (pools markets; rewards in depth-bps make them comparable)' })
    .option('gamma', { type: 'number', default: EMPIRICAL_DEFAULTS.gamma, describe: 'discount per event (curve record), in [0, 1)' })
    .option('bins', { type: 'number', default: EMPIRICAL_DEFAULTS.bins, describe: 'imbalance states: equal-width bins of d/sqrt_k over [-range, range]' })
    .option('range', { type: 'number', default: EMPIRICAL_DEFAULTS.range, describe: 'half-width of the binned d/sqrt_k range (outside: edge bins)' })
    .option('solver', { choices: EMPIRICAL_SOLVERS, default: EMPIRICAL_DEFAULTS.solver, describe: 'vi, q or both (both saves the value-iteration policy and reports agreement)' })
    .option('reward', { choices: TRANSITION_REWARD_UNITS, default: EMPIRICAL_DEFAULTS.reward, describe: 'reward unit: Δ fee pool in usd, in bps of the depth sqrt_k·peg, or that per hour' })
    .option('prior', { type: 'number', default: EMPIRICAL_DEFAULTS.prior, describe: 'pseudo-counts pulling thin (state, action) pairs toward the state-pooled transitions and the action-pooled reward' })
    .option('support', { choices: ['observed', 'any'] as const, default: EMPIRICAL_DEFAULTS.support, describe: 'observed: a state with data offers only the classes seen in it (batch-constrained); any: every class seen anywhere' })
    .option('sweeps', { type: 'number', default: EMPIRICAL_DEFAULTS.sweeps, describe: 'Q-learning sweeps over all (state, action) pairs' })
    .option('seed', { type: 'number', default: EMPIRICAL_DEFAULTS.seed, describe: 'seeds the Q-learning draws' })
    .option('exclude', { type: 'string', default: 'outliers', describe: 'records whose transitions are dropped: outliers (flagged large-k-change: the LUNA relaunch 96, 98–100), none, or comma-separated record ids' })
    .option('act-every', { type: 'string', default: EMPIRICAL_DEFAULTS.actEvery, describe: 'env steps between the saved policy\'s actions (holds in between): a positive integer, or history (the admin\'s mean interval at drift-vamm\'s 60 s steps)' })
    .option('out', { type: 'string', describe: 'run directory (default runs/empirical-q-<market>)' }),
  handler: async (argv) => {
    const res = await trainEmpirical(argv as unknown as TrainEmpiricalArgs);
    if ((argv as { json?: boolean }).json) process.stdout.write(`${toJson(res)}\n`);
    else printEmpirical(res);
  },
};
