/**
 * Batched tabular Q-learning: B independent learners (seeds × hyper-parameters) trained in one loop
 * over a vector env, the PureJaxRL idea without the GPU. Learner b owns sub-env b; its Q table is
 * the b-th slice of one Float64Array, its visit counts the b-th slice of one Uint32Array; each
 * vector step selects B actions, steps all sub-envs at once and applies B updates.
 *
 * Each learner is exactly `trainQLearning` on its own env: sub-env b is reset with the learner's
 * `seed` once and then continues its stream (autoreset, or a masked reset after
 * `maxStepsPerEpisode`); its exploration RNG is the same child stream of `new Rng(seed)`, drawn in
 * the same order (ε test, uniform action, tie-break); the update, the ε schedule, the visit-count
 * step size and the bootstrapping on truncation (not on termination) are `QLearningAgent`'s. So a
 * batched run returns the Q tables, visit counts, returns and lengths of B one-by-one runs, bit for
 * bit (test/batched-q-learning.test.ts checks it on drift-vamm-v0's struct-of-arrays env and on a
 * SyncVectorEnv).
 *
 * Observations: a Discrete single observation space (e.g. a SyncVectorEnv of DiscretizeObservation
 * envs) is used as is; a Box one is binned here the way `DiscretizeObservation` bins it
 * (`discretization`: bins, low, high; same edges, same row-major flat index). Autoreset modes
 * 'next-step' (the step after an episode end resets the sub-env; that step draws nothing and updates
 * nothing) and 'same-step' (the terminal observation comes from `infos.final_obs`) are supported.
 *
 * A learner that has finished its episodes keeps its sub-env stepping (action 0) until the last
 * learner finishes; those steps are not transitions and are not counted in `transitions`.
 */
import { Rng } from '../../env/core/rng.js';
import { Box } from '../../env/core/spaces/box.js';
import { Discrete } from '../../env/core/spaces/discrete.js';
import type { DType } from '../../env/core/spaces/dtype.js';
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { AutoresetMode } from '../../env/core/vector/autoreset-mode.js';
import type { VectorEnv, VectorInfo } from '../../env/core/vector/vector-env.js';
import { linspace, resolveBins } from '../../env/core/wrappers/discretize-observation.js';
import { AgentConfigError, UnsupportedSpaceError } from '../errors.js';
import { epsilonAt } from '../schedules.js';
import { QLearningAgent, epsilonGreedyIndex, type QEpisodeStats, type QLearningConfig } from './qLearning.js';

export interface BatchedQLearningOptions {
  /** Training episodes of every learner. */
  episodes: number;
  /** As `trainQLearning`: a cap that counts as a truncation; the sub-env is then reset (masked reset). */
  maxStepsPerEpisode?: number;
  /** Required for a Box single observation space: `DiscretizeObservation`'s bins, low, high. */
  discretization?: {
    readonly bins: number | readonly number[];
    readonly low?: number | readonly number[];
    readonly high?: number | readonly number[];
  };
  /** Called after each finished episode of each learner. */
  onEpisode?: (learner: number, stats: QEpisodeStats) => void;
  /** Policy names, one per learner (default `q-learning-<b>`). */
  names?: readonly string[];
}

export interface BatchedQLearningResult {
  /** One agent per learner, its table copied out of `q` (persistable like `trainQLearning`'s). */
  readonly agents: QLearningAgent[];
  /** Undiscounted return and length of every training episode, per learner. */
  readonly returns: number[][];
  readonly lengths: number[][];
  /** All Q tables: learner b's Q(s, a) at b·nStates·nActions + s·nActions + a. */
  readonly q: Float64Array;
  readonly visits: Uint32Array;
  /** Transitions learned from (env steps with an update), over all learners. */
  readonly transitions: number;
  /** Vector steps taken (each steps every sub-env). */
  readonly vectorSteps: number;
}

/** Box → flat bin index, with `DiscretizeObservation`'s edges (numpy's linspace) and clipping. */
class Binner {
  readonly nStates: number;
  private readonly edges: Float64Array[];
  private readonly bins: number[];

  constructor(box: Box<DType>, options: NonNullable<BatchedQLearningOptions['discretization']>) {
    const { bins, low, high } = resolveBins(box, options, 'trainQLearningBatched discretization');
    this.bins = bins;
    this.edges = bins.map((b, i) => linspace(low[i]!, high[i]!, b + 1).subarray(1, b));
    this.nStates = bins.reduce((a, b) => a * b, 1);
  }

  index(obs: ArrayLike<number>, offset: number): number {
    let flat = 0;
    for (let i = 0; i < this.bins.length; i++) {
      const x = obs[offset + i]!;
      if (Number.isNaN(x)) throw new InvalidObservationError(`trainQLearningBatched: observation coordinate ${i} is NaN`);
      const e = this.edges[i]!;
      let k = 0;
      while (k < e.length && x >= e[k]!) k++;
      flat = flat * this.bins[i]! + k;
    }
    return flat;
  }
}

/**
 * The cartesian product of hyper-parameter values and seeds, as learner configs (seed varies
 * fastest): `qLearningGrid({ gamma: [0.99, 0.999], learningRate: [0.05, 0.1] }, [1, 2, 3])` gives 12.
 */
export function qLearningGrid(
  grid: { readonly [K in keyof QLearningConfig]?: readonly QLearningConfig[K][] },
  seeds: readonly number[],
  base: Partial<QLearningConfig> = {},
): Partial<QLearningConfig>[] {
  let configs: Partial<QLearningConfig>[] = [{ ...base }];
  for (const key of Object.keys(grid) as (keyof QLearningConfig)[]) {
    const values = grid[key] as readonly unknown[] | undefined;
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length === 0) throw new AgentConfigError(key, values, 'a non-empty array of values', 'qLearningGrid');
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (seeds.length === 0) throw new AgentConfigError('seeds', seeds, 'a non-empty array of seeds', 'qLearningGrid');
  return configs.flatMap((c) => seeds.map((seed) => ({ ...c, seed })));
}

/**
 * Trains `configs.length` Q-learners on `venv` (one sub-env each, so `venv.numEnvs` must equal
 * the number of configs; Discrete actions). See the module comment for the equivalence with
 * `trainQLearning` and the supported autoreset modes.
 */
export function trainQLearningBatched(
  venv: VectorEnv<unknown, ArrayLike<number>>,
  configs: readonly Partial<QLearningConfig>[],
  options: BatchedQLearningOptions,
): BatchedQLearningResult {
  const { episodes, maxStepsPerEpisode, onEpisode } = options;
  const where = 'trainQLearningBatched options';
  const B = configs.length;
  if (B === 0) throw new AgentConfigError('configs', configs, 'at least one learner config', 'trainQLearningBatched');
  if (venv.numEnvs !== B) {
    throw new AgentConfigError('configs', `${B} learners`, `one learner per sub-env: ${venv.numEnvs} configs for a vector env of ${venv.numEnvs}`, 'trainQLearningBatched');
  }
  if (!Number.isSafeInteger(episodes) || episodes < 0) throw new AgentConfigError('episodes', episodes, 'a non-negative integer', where);
  if (maxStepsPerEpisode !== undefined && !(Number.isSafeInteger(maxStepsPerEpisode) && maxStepsPerEpisode > 0)) {
    throw new AgentConfigError('maxStepsPerEpisode', maxStepsPerEpisode, 'a positive integer', where);
  }
  if (options.names !== undefined && options.names.length !== B) {
    throw new AgentConfigError('names', options.names, `${B} names (one per learner)`, where);
  }
  const mode = venv.metadata.autoresetMode;
  if (mode !== AutoresetMode.NEXT_STEP && mode !== AutoresetMode.SAME_STEP) {
    throw new AgentConfigError('venv.metadata.autoresetMode', mode, "'next-step' or 'same-step' (the learners never reset sub-envs themselves except after maxStepsPerEpisode)", 'trainQLearningBatched');
  }
  const sameStep = mode === AutoresetMode.SAME_STEP;
  const actionSpace = venv.singleActionSpace;
  if (!(actionSpace instanceof Discrete)) {
    throw new UnsupportedSpaceError('trainQLearningBatched', 'action', String(actionSpace), 'Discrete(n)');
  }
  const obsSpace = venv.singleObservationSpace;
  let binner: Binner | null = null;
  let obsSize = 1;
  let obsStart = 0;
  let nStates: number;
  if (obsSpace instanceof Discrete) {
    nStates = obsSpace.n;
    obsStart = obsSpace.start;
  } else if (obsSpace instanceof Box) {
    if (options.discretization === undefined) {
      throw new UnsupportedSpaceError('trainQLearningBatched', 'observation', String(obsSpace), 'Discrete(n), or a Box with options.discretization');
    }
    binner = new Binner(obsSpace as Box<DType>, options.discretization);
    nStates = binner.nStates;
    obsSize = (obsSpace as Box<DType>).size;
  } else {
    throw new UnsupportedSpaceError('trainQLearningBatched', 'observation', String(obsSpace), 'Discrete(n) or Box');
  }

  // the learners: their agents (config validation, table shape), one shared table, their RNGs
  const agents = configs.map((c, b) => new QLearningAgent(
    { nStates, nActions: actionSpace.n, observationStart: obsStart, actionStart: actionSpace.start },
    c,
    options.names?.[b] ?? `q-learning-${b}`,
  ));
  const nA = actionSpace.n;
  const aStart = actionSpace.start;
  const tableSize = nStates * nA;
  const q = new Float64Array(B * tableSize);
  const visits = new Uint32Array(B * tableSize);
  const gamma = new Float64Array(B);
  const alpha = new Float64Array(B);
  const omega = new Float64Array(B);
  const visitCount = new Uint8Array(B);
  const rngs: Rng[] = [];
  for (let b = 0; b < B; b++) {
    const c = agents[b]!.config;
    q.fill(c.initialValue, b * tableSize, (b + 1) * tableSize);
    gamma[b] = c.gamma;
    alpha[b] = c.learningRate;
    omega[b] = c.visitCountOmega;
    visitCount[b] = c.learningRateSchedule === 'visit-count' ? 1 : 0;
    rngs.push(new Rng(c.seed).spawn(1)[0]!);
  }
  const epsilonOf = (b: number, episode: number): number => {
    const c = agents[b]!.config;
    return epsilonAt(c.epsilonSchedule, c.epsilonStart, c.epsilonEnd, c.explorationFraction * episodes, episode);
  };

  const returns: number[][] = configs.map(() => []);
  const lengths: number[][] = configs.map(() => []);
  const state = new Int32Array(B);
  const action = new Int32Array(B);
  const episode = new Int32Array(B);
  const epsilon = new Float64Array(B);
  const epReturn = new Float64Array(B);
  const epLength = new Float64Array(B);
  /** 1: the next vector step resets this sub-env (next-step mode); no action, no update. */
  const awaitingReset = new Uint8Array(B);
  const done = new Uint8Array(B);
  let active = 0;

  const discreteState = (value: unknown, b: number): number => {
    const s = (value as number) - obsStart;
    if (!(Number.isInteger(s) && s >= 0 && s < nStates)) {
      throw new InvalidObservationError(`trainQLearningBatched: sub-env ${b} observation ${describeValue(value)} is not in ${String(obsSpace)}`);
    }
    return s;
  };
  const stateOf = (obs: ArrayLike<number>, b: number): number => (binner !== null ? binner.index(obs, b * obsSize) : discreteState(obs[b], b));

  let transitions = 0;
  let vectorSteps = 0;
  const finish = (): BatchedQLearningResult => {
    for (let b = 0; b < B; b++) {
      agents[b]!.q.set(q.subarray(b * tableSize, (b + 1) * tableSize));
      agents[b]!.visits.set(visits.subarray(b * tableSize, (b + 1) * tableSize));
    }
    return { agents, returns, lengths, q, visits, transitions, vectorSteps };
  };
  if (episodes === 0) return finish();
  const [obs0] = venv.reset({ seed: agents.map((a) => a.config.seed) });
  for (let b = 0; b < B; b++) {
    state[b] = stateOf(obs0 as ArrayLike<number>, b);
    epsilon[b] = epsilonOf(b, 0);
    active++;
  }

  let resetMask: Uint8Array | null = null;
  while (active > 0) {
    // 1. ε-greedy actions (QLearningAgent.selectAction, draw for draw)
    for (let b = 0; b < B; b++) {
      if (done[b] || awaitingReset[b]) {
        action[b] = aStart;
        continue;
      }
      action[b] = aStart + epsilonGreedyIndex(q, b * tableSize + state[b]! * nA, nA, epsilon[b]!, rngs[b]!);
    }

    // 2. one step of every sub-env
    const [obsRaw, rewards, terms, truncs, infos] = venv.step(action);
    vectorSteps++;
    const obs = obsRaw as ArrayLike<number>;
    const finalObs = sameStep ? finalObservations(infos) : null;

    // 3. B updates (QLearningAgent.update), episode bookkeeping
    for (let b = 0; b < B; b++) {
      if (done[b]) continue;
      if (awaitingReset[b]) {
        awaitingReset[b] = 0;
        state[b] = stateOf(obs, b);
        continue;
      }
      const terminated = terms[b] === 1;
      const truncated = truncs[b] === 1;
      const ended = terminated || truncated;
      let next: number;
      if (ended && finalObs !== null) {
        const fo = finalObs[b];
        if (fo === null || fo === undefined) throw new InvalidObservationError(`trainQLearningBatched: sub-env ${b} ended in same-step mode without infos.final_obs[${b}]`);
        next = binner !== null ? binner.index(fo as ArrayLike<number>, 0) : discreteState(fo, b);
      } else next = stateOf(obs, b);
      const r = rewards[b]!;
      const base = b * tableSize;
      const i = base + state[b]! * nA + (action[b]! - aStart);
      let bootstrap = 0;
      if (!terminated) {
        const nrow = base + next * nA;
        bootstrap = q[nrow]!;
        for (let a = 1; a < nA; a++) if (q[nrow + a]! > bootstrap) bootstrap = q[nrow + a]!;
      }
      const n = visits[i]!;
      const lr = visitCount[b] ? Math.pow(1 + n, -omega[b]!) : alpha[b]!;
      const tdError = r + gamma[b]! * bootstrap - q[i]!;
      q[i] = q[i]! + lr * tdError;
      visits[i] = n + 1;
      transitions++;
      epReturn[b] = epReturn[b]! + r;
      const length = ++epLength[b]!;
      const capped = maxStepsPerEpisode !== undefined && length >= maxStepsPerEpisode;
      if (!(ended || capped)) {
        state[b] = next;
        continue;
      }
      // the episode is over (trainQLearning: truncated = !terminated, the cap included)
      const ep = episode[b]!;
      const stats: QEpisodeStats = { episode: ep, return: epReturn[b]!, length, epsilon: epsilon[b]!, terminated, truncated: !terminated };
      returns[b]!.push(stats.return);
      lengths[b]!.push(length);
      onEpisode?.(b, stats);
      epReturn[b] = 0;
      epLength[b] = 0;
      episode[b] = ep + 1;
      if (ep + 1 >= episodes) {
        done[b] = 1;
        active--;
        continue;
      }
      epsilon[b] = epsilonOf(b, ep + 1);
      if (ended) {
        if (sameStep) state[b] = stateOf(obs, b);
        else awaitingReset[b] = 1;
      } else {
        // the cap without an env end: reset this sub-env now, its stream continuing (env.reset())
        resetMask ??= new Uint8Array(B);
        resetMask.fill(0);
        resetMask[b] = 1;
        const [o] = venv.reset({ options: { resetMask } });
        state[b] = stateOf(o as ArrayLike<number>, b);
      }
    }
  }
  return finish();
}

/** `infos.final_obs` of a same-step vector env (per-env observations or null). */
function finalObservations(infos: VectorInfo): readonly unknown[] {
  const f = infos['final_obs'];
  return Array.isArray(f) ? f : [];
}
