/**
 * Tabular Q-learning (Watkins, 1989), readable top to bottom in the CleanRL manner: one typed config
 * with the defaults people cite, a `Float64Array` Q table over Discrete observations × Discrete
 * actions, and the update of the dAMM report's §2.2.3 (Q*(s,a) = E[R + γ max_a' Q*(s',a')]):
 *
 *     Q(s,a) ← Q(s,a) + α · [r + γ · (terminated ? 0 : max_a' Q(s',a')) − Q(s,a)]
 *
 * It bootstraps on truncation (time limits are not MDP ends) and not on termination, as SB3's
 * `handle_timeout_termination` and Gymnasium's tutorial do.
 *
 * Ties between equal Q values: during training the ε-greedy step breaks them uniformly with the
 * agent's RNG (so an all-zero table does not always pick action 0); the greedy policy (`act`,
 * used for evaluation and saved files) picks the lowest action index, so it is deterministic.
 *
 * Box observations: wrap the env with `DiscretizeObservation` (and Box actions with
 * `DiscretizeAction`) first.
 */
import type { Env } from '../../env/core/env.js';
import { Rng } from '../../env/core/rng.js';
import { Discrete } from '../../env/core/spaces/discrete.js';
import type { AnySpace } from '../../env/core/spaces/space.js';
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { AgentConfigError, TableIndexError, UnsupportedSpaceError } from '../errors.js';
import type { JsonObject, PersistablePolicy, PolicyData } from '../policy.js';
import { epsilonAt, validateEpsilon, type EpsilonScheduleKind } from '../schedules.js';

export interface QLearningConfig {
  /** Discount factor γ. */
  gamma: number;
  /** `constant`: α = `learningRate`. `visit-count`: α = 1/(1+n)^ω per (s,a), n = its earlier updates (Robbins–Monro). */
  learningRateSchedule: 'constant' | 'visit-count';
  /** Constant step size α. */
  learningRate: number;
  /** ω of the visit-count step size, in (0.5, 1]; ω = 1 makes Q(s,a) the running mean of its targets. */
  visitCountOmega: number;
  /** Shape of the ε decay (see `epsilonAt`). */
  epsilonSchedule: EpsilonScheduleKind;
  /** ε in the first episode. */
  epsilonStart: number;
  /** ε once the decay is over (GLIE needs it small; it is held there). */
  epsilonEnd: number;
  /** Fraction of the training episodes over which ε decays from start to end (CleanRL's `exploration_fraction`). */
  explorationFraction: number;
  /** Initial value of every Q(s,a); above the largest achievable return it is optimistic and drives exploration. */
  initialValue: number;
  /** Seeds the env's first reset and the agent's exploration RNG (a child stream of `new Rng(seed)`). */
  seed: number;
}

/**
 * Defaults: γ 0.99 and ε 1 → 0.05 over half the run with seed 1 as CleanRL's `dqn.py`; α 0.1 is the
 * usual tabular constant (Gymnasium's Blackjack tutorial uses 0.01 over 100k episodes, too slow for
 * the short runs here); ω 0.8 is the middle of Even-Dar & Mansour's polynomial range.
 */
export const Q_LEARNING_DEFAULTS: Readonly<QLearningConfig> = Object.freeze({
  gamma: 0.99,
  learningRateSchedule: 'constant',
  learningRate: 0.1,
  visitCountOmega: 0.8,
  epsilonSchedule: 'linear',
  epsilonStart: 1,
  epsilonEnd: 0.05,
  explorationFraction: 0.5,
  initialValue: 0,
  seed: 1,
});

const CONFIG_KEYS = Object.keys(Q_LEARNING_DEFAULTS) as (keyof QLearningConfig)[];

/** Defaults filled in and every field checked; unknown keys are rejected (they are usually typos). */
export function resolveQLearningConfig(config: Partial<QLearningConfig> = {}, where = 'QLearningConfig'): QLearningConfig {
  for (const key of Object.keys(config)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) {
      throw new AgentConfigError(key, (config as Record<string, unknown>)[key], `no such field; allowed: ${CONFIG_KEYS.join(', ')}`, where);
    }
  }
  const c: QLearningConfig = { ...Q_LEARNING_DEFAULTS };
  for (const key of CONFIG_KEYS) {
    const v = config[key];
    if (v !== undefined) (c as unknown as Record<string, unknown>)[key] = v;
  }
  if (!(c.gamma >= 0 && c.gamma <= 1)) throw new AgentConfigError('gamma', c.gamma, 'a discount factor in [0, 1]', where);
  if (c.learningRateSchedule !== 'constant' && c.learningRateSchedule !== 'visit-count') {
    throw new AgentConfigError('learningRateSchedule', c.learningRateSchedule, "'constant' or 'visit-count'", where);
  }
  if (!(c.learningRate > 0 && c.learningRate <= 1)) throw new AgentConfigError('learningRate', c.learningRate, 'a step size in (0, 1]', where);
  if (!(c.visitCountOmega > 0.5 && c.visitCountOmega <= 1)) {
    throw new AgentConfigError('visitCountOmega', c.visitCountOmega, 'an exponent in (0.5, 1] (Robbins–Monro)', where);
  }
  validateEpsilon(c.epsilonSchedule, c.epsilonStart, c.epsilonEnd, where);
  if (!(c.explorationFraction >= 0 && c.explorationFraction <= 1)) {
    throw new AgentConfigError('explorationFraction', c.explorationFraction, 'a fraction in [0, 1]', where);
  }
  if (typeof c.initialValue !== 'number' || !Number.isFinite(c.initialValue)) {
    throw new AgentConfigError('initialValue', c.initialValue, 'a finite number', where);
  }
  if (typeof c.seed !== 'number' || !Number.isSafeInteger(c.seed) || c.seed < 0) {
    throw new AgentConfigError('seed', c.seed, 'a non-negative safe integer', where);
  }
  return c;
}

/** Table dimensions and the `start` of the Discrete spaces the indices are offset by. */
export interface QTableShape {
  readonly nStates: number;
  readonly nActions: number;
  readonly observationStart?: number;
  readonly actionStart?: number;
}

/** How much of the table training touched (Dicks et al. 2024 relate this to convergence). */
export interface QCoverage {
  readonly states: number;
  /** States with at least one update (terminal states never get one). */
  readonly visitedStates: number;
  readonly visitedStateFraction: number;
  readonly pairs: number;
  readonly visitedPairs: number;
  readonly visitedPairFraction: number;
  /** Total updates (= training steps). */
  readonly updates: number;
  /** Fewest updates of a visited (s,a) pair (0 when none was visited). */
  readonly minVisits: number;
  readonly maxVisits: number;
}

/**
 * The ε-greedy choice among the `n` actions of the Q row starting at `row`, as an index 0…n−1: with
 * probability ε a uniform one, else a greedy one with ties broken uniformly. One `rng.random()`, then
 * one `rng.integers` when exploring or when greedy values tie — the draw order the batched trainer
 * shares, so its learners match this agent bit for bit.
 */
export function epsilonGreedyIndex(q: Float64Array, row: number, n: number, epsilon: number, rng: Rng): number {
  if (rng.random() < epsilon) return rng.integers(0, n);
  let best = q[row]!;
  let ties = 1;
  for (let a = 1; a < n; a++) {
    const v = q[row + a]!;
    if (v > best) {
      best = v;
      ties = 1;
    } else if (v === best) ties++;
  }
  let k = ties === 1 ? 0 : rng.integers(0, ties);
  for (let a = 0; a < n; a++) {
    if (q[row + a] === best && k-- === 0) return a;
  }
  return 0; // unreachable: `best` is one of the row's values
}

export class QLearningAgent implements PersistablePolicy<number, number> {
  readonly kind = 'q-learning';
  readonly name: string;
  readonly config: Readonly<QLearningConfig>;
  readonly nStates: number;
  readonly nActions: number;
  readonly observationStart: number;
  readonly actionStart: number;
  /** Q(s,a) at `s * nActions + a` (indices relative to the spaces' `start`). */
  readonly q: Float64Array;
  /** Updates of each (s,a), same layout as `q`. */
  readonly visits: Uint32Array;

  constructor(shape: QTableShape, config: Partial<QLearningConfig> = {}, name = 'q-learning') {
    this.config = Object.freeze(resolveQLearningConfig(config));
    const { nStates, nActions } = shape;
    if (!Number.isSafeInteger(nStates) || nStates < 1) throw new AgentConfigError('nStates', nStates, 'a positive integer', 'QTableShape');
    if (!Number.isSafeInteger(nActions) || nActions < 1) throw new AgentConfigError('nActions', nActions, 'a positive integer', 'QTableShape');
    const size = nStates * nActions;
    // Typed arrays are capped well below this; the message beats a RangeError from the allocator.
    if (size > 2 ** 28) throw new AgentConfigError('nStates × nActions', size, 'at most 2^28 entries (use coarser bins)', 'QTableShape');
    this.nStates = nStates;
    this.nActions = nActions;
    this.observationStart = shape.observationStart ?? 0;
    this.actionStart = shape.actionStart ?? 0;
    this.q = new Float64Array(size).fill(this.config.initialValue);
    this.visits = new Uint32Array(size);
    this.name = name;
  }

  /** An agent for an env's spaces; both must be `Discrete` (wrap Box spaces with the Discretize* wrappers). */
  static forSpaces(observationSpace: AnySpace, actionSpace: AnySpace, config: Partial<QLearningConfig> = {}, name?: string): QLearningAgent {
    if (!(observationSpace instanceof Discrete)) {
      throw new UnsupportedSpaceError('QLearningAgent', 'observation', String(observationSpace), 'Discrete(n)', 'wrap the env with DiscretizeObservation');
    }
    if (!(actionSpace instanceof Discrete)) {
      throw new UnsupportedSpaceError('QLearningAgent', 'action', String(actionSpace), 'Discrete(n)', 'wrap the env with DiscretizeAction');
    }
    return new QLearningAgent(
      { nStates: observationSpace.n, nActions: actionSpace.n, observationStart: observationSpace.start, actionStart: actionSpace.start },
      config,
      name,
    );
  }

  /** Row offset of an observation in the table; throws on anything outside the observation space. */
  rowOf(obs: number): number {
    const s = obs - this.observationStart;
    if (!(Number.isInteger(s) && s >= 0 && s < this.nStates)) {
      throw new InvalidObservationError(
        `${this.name}: observation ${describeValue(obs)} is not in Discrete(${this.nStates}${this.observationStart ? `, start=${this.observationStart}` : ''})`,
      );
    }
    return s * this.nActions;
  }

  private column(action: number): number {
    const a = action - this.actionStart;
    if (!(Number.isInteger(a) && a >= 0 && a < this.nActions)) {
      throw new TableIndexError(
        `${this.name}: action ${describeValue(action)} is not in Discrete(${this.nActions}${this.actionStart ? `, start=${this.actionStart}` : ''})`,
      );
    }
    return a;
  }

  qValue(obs: number, action: number): number {
    return this.q[this.rowOf(obs) + this.column(action)]!;
  }

  /** max_a Q(obs, a). */
  stateValue(obs: number): number {
    const row = this.rowOf(obs);
    let best = this.q[row]!;
    for (let a = 1; a < this.nActions; a++) if (this.q[row + a]! > best) best = this.q[row + a]!;
    return best;
  }

  /** argmax_a Q(obs, a), ties to the lowest index (deterministic, for evaluation). */
  greedyAction(obs: number): number {
    const row = this.rowOf(obs);
    let best = 0;
    for (let a = 1; a < this.nActions; a++) if (this.q[row + a]! > this.q[row + best]!) best = a;
    return this.actionStart + best;
  }

  /** The greedy policy (`Policy.act`). */
  act(obs: number): number {
    return this.greedyAction(obs);
  }

  /** ε-greedy with `rng`: uniform action with probability ε, else a greedy one with ties broken uniformly. */
  selectAction(obs: number, epsilon: number, rng: Rng): number {
    return this.actionStart + epsilonGreedyIndex(this.q, this.rowOf(obs), this.nActions, epsilon, rng);
  }

  /** ε for `episode` (0-based) of a run of `totalEpisodes`. */
  epsilonAt(episode: number, totalEpisodes: number): number {
    const c = this.config;
    return epsilonAt(c.epsilonSchedule, c.epsilonStart, c.epsilonEnd, c.explorationFraction * totalEpisodes, episode);
  }

  /** α for the next update of (obs, action). */
  learningRate(obs: number, action: number): number {
    if (this.config.learningRateSchedule === 'constant') return this.config.learningRate;
    return Math.pow(1 + this.visits[this.rowOf(obs) + this.column(action)]!, -this.config.visitCountOmega);
  }

  /**
   * One Q-learning update from the transition (s, a, r, s'); returns the TD error. `terminated`
   * zeroes the bootstrap; a truncated transition is passed with `terminated = false`.
   */
  update(obs: number, action: number, reward: number, nextObs: number, terminated: boolean): number {
    const i = this.rowOf(obs) + this.column(action);
    const bootstrap = terminated ? 0 : this.stateValue(nextObs);
    const n = this.visits[i]!;
    const alpha = this.config.learningRateSchedule === 'constant' ? this.config.learningRate : Math.pow(1 + n, -this.config.visitCountOmega);
    const tdError = reward + this.config.gamma * bootstrap - this.q[i]!;
    this.q[i] = this.q[i]! + alpha * tdError;
    this.visits[i] = n + 1;
    return tdError;
  }

  coverage(): QCoverage {
    const nA = this.nActions;
    let visitedStates = 0;
    let visitedPairs = 0;
    let updates = 0;
    let minVisits = Infinity;
    let maxVisits = 0;
    for (let s = 0; s < this.nStates; s++) {
      let any = false;
      for (let a = 0; a < nA; a++) {
        const v = this.visits[s * nA + a]!;
        if (v === 0) continue;
        any = true;
        visitedPairs++;
        updates += v;
        if (v < minVisits) minVisits = v;
        if (v > maxVisits) maxVisits = v;
      }
      if (any) visitedStates++;
    }
    const pairs = this.nStates * nA;
    return {
      states: this.nStates,
      visitedStates,
      visitedStateFraction: visitedStates / this.nStates,
      pairs,
      visitedPairs,
      visitedPairFraction: visitedPairs / pairs,
      updates,
      minVisits: visitedPairs === 0 ? 0 : minVisits,
      maxVisits,
    };
  }

  toPolicyData(): PolicyData {
    return {
      config: { ...this.config } as unknown as JsonObject,
      data: {
        nStates: this.nStates,
        nActions: this.nActions,
        observationStart: this.observationStart,
        actionStart: this.actionStart,
        q: Array.from(this.q),
        visits: Array.from(this.visits),
      },
    };
  }
}

/** One finished training episode. */
export interface QEpisodeStats {
  /** 0-based. */
  readonly episode: number;
  readonly return: number;
  readonly length: number;
  /** ε used throughout the episode. */
  readonly epsilon: number;
  readonly terminated: boolean;
  /** Cut by the env's time limit or by `maxStepsPerEpisode`. */
  readonly truncated: boolean;
}

export interface TrainQLearningOptions {
  episodes: number;
  /** Safety cap for envs without a time limit; counts as a truncation (the last step bootstraps). */
  maxStepsPerEpisode?: number;
  /** Called after every episode (progress bars, logging, early stopping by throwing). */
  onEpisode?: (stats: QEpisodeStats, agent: QLearningAgent) => void;
  /** Name of the returned policy (default 'q-learning'). */
  name?: string;
}

export interface QLearningResult {
  readonly agent: QLearningAgent;
  /** Undiscounted return of each training episode (ε-greedy behaviour, not the greedy policy). */
  readonly returns: number[];
  readonly lengths: number[];
}

/**
 * Trains a Q-learning agent on `env` (Discrete observation and action spaces). The env is reset with
 * `config.seed` before the first episode and without a seed afterwards (Gymnasium: seed once); the
 * exploration RNG is the first child stream of `new Rng(seed)`, so a run is bit-reproducible.
 */
export function trainQLearning<O, A>(env: Env<O, A>, config: Partial<QLearningConfig>, options: TrainQLearningOptions): QLearningResult {
  const { episodes, maxStepsPerEpisode, onEpisode } = options;
  if (!Number.isSafeInteger(episodes) || episodes < 0) throw new AgentConfigError('episodes', episodes, 'a non-negative integer', 'trainQLearning options');
  if (maxStepsPerEpisode !== undefined && !(Number.isSafeInteger(maxStepsPerEpisode) && maxStepsPerEpisode > 0)) {
    throw new AgentConfigError('maxStepsPerEpisode', maxStepsPerEpisode, 'a positive integer', 'trainQLearning options');
  }
  const agent = QLearningAgent.forSpaces(env.observationSpace, env.actionSpace, config, options.name);
  const seed = agent.config.seed;
  const rng = new Rng(seed).spawn(1)[0]!;
  const maxSteps = maxStepsPerEpisode ?? Infinity;
  const returns: number[] = [];
  const lengths: number[] = [];

  for (let episode = 0; episode < episodes; episode++) {
    const epsilon = agent.epsilonAt(episode, episodes);
    let obs = env.reset(episode === 0 ? { seed } : undefined)[0] as unknown as number;
    let episodeReturn = 0;
    let length = 0;
    let terminated = false;
    let truncated = false;
    for (;;) {
      const action = agent.selectAction(obs, epsilon, rng);
      const [next, reward, term, trunc] = env.step(action as unknown as A);
      const nextObs = next as unknown as number;
      agent.update(obs, action, reward, nextObs, term);
      episodeReturn += reward;
      length++;
      if (term || trunc || length >= maxSteps) {
        terminated = term;
        truncated = !term;
        break;
      }
      obs = nextObs;
    }
    returns.push(episodeReturn);
    lengths.push(length);
    onEpisode?.({ episode, return: episodeReturn, length, epsilon, terminated, truncated }, agent);
  }
  return { agent, returns, lengths };
}
