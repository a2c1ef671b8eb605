/**
 * The estimated model P̂(s', r | s, a) of a finite MDP from observed transitions: counts N(s,a,s'),
 * and the mean and variance of r per (s,a), smoothed where data is thin.
 *
 * Smoothing (a hierarchical Dirichlet / additive prior with `priorStrength` α pseudo-counts):
 *
 *     global   ĝ(s')      = (N(·,·,s') + α/S) / (N + α)                 (Laplace)
 *     state    p̂(s'|s)    = (N(s,·,s') + α·ĝ(s')) / (N(s,·) + α)         (pooled over actions)
 *     pair     P̂(s'|s,a)  = (N(s,a,s') + α·p̂(s'|s)) / (N(s,a) + α)
 *     reward   R̂(s,a)     = (Σ r(s,a) + α·r̄(a)) / (N(s,a) + α)           r̄(a): the action's mean over all states
 *     variance V̂(s,a)     = (N(s,a)·var(s,a) + α·var(a)) / (N(s,a) + α)
 *
 * A pair without data thus takes the next-state distribution seen at its state under any action
 * and the action's average reward; a pair with many samples is its own sample estimate. α = 0 is
 * the plain maximum-likelihood estimate, with the same fallbacks where N = 0.
 *
 * Which pairs the solvers may choose (`available`): an action never observed at all has no reward
 * estimate and is never available. With `support: 'observed'` (the default) a state with data
 * offers only the actions observed in it, as batch-constrained offline RL does (Fujimoto et al.
 * 2019, BCQ): the prior fills in the tables, but the policy does not pick an action on the prior's
 * word alone (the action's mean from other states, often a handful of samples). A state without any
 * data offers every observed action, valued by the prior. `support: 'any'` offers every observed
 * action everywhere.
 */
import { AgentConfigError } from '../errors.js';

/** One observed transition, states and actions as table indices. */
export interface TransitionSample {
  readonly state: number;
  readonly action: number;
  readonly reward: number;
  readonly nextState: number;
  /** Time until the next state, hours (event clocks vary; kept for reports, not used by the solvers). */
  readonly dtHours?: number;
}

/** A finite MDP as dense tables, what the solvers take. */
export interface TabularMdp {
  readonly nStates: number;
  readonly nActions: number;
  /** P(s'|s,a) at (s·A + a)·S + s'. Each available row sums to 1. */
  readonly transition: Float64Array;
  /** Expected reward R(s,a) at s·A + a. */
  readonly reward: Float64Array;
  /** Standard deviation of the reward at s·A + a (Q-learning draws r ~ N(R, sd²)); zero if absent. */
  readonly rewardStd?: Float64Array;
  /** Whether the solvers may choose action a in state s, at s·A + a; every state needs one. */
  readonly available: readonly boolean[];
}

/** Which (state, action) pairs an estimated model offers to the solvers (see the module comment). */
export type ModelSupport = 'observed' | 'any';

export interface EmpiricalModel extends TabularMdp {
  readonly rewardStd: Float64Array;
  readonly priorStrength: number;
  /** Samples N(s,a) at s·A + a. */
  readonly counts: Uint32Array;
  /** N(s,a,s') at (s·A + a)·S + s'. */
  readonly nextCounts: Uint32Array;
  /** Sample mean of r per (s,a), NaN without samples. */
  readonly sampleMean: Float64Array;
  /** Sample (population) variance of r per (s,a), NaN without samples. */
  readonly sampleVariance: Float64Array;
  /** Mean hours to the next state per (s,a), NaN without samples (or without dtHours). */
  readonly meanDtHours: Float64Array;
  /** Samples per action over all states. */
  readonly actionCounts: Uint32Array;
  readonly support: ModelSupport;
}

export interface EstimateOptions {
  readonly nStates: number;
  readonly nActions: number;
  /** Pseudo-counts α of the prior (default 1). */
  readonly priorStrength?: number;
  /** Default 'observed'. */
  readonly support?: ModelSupport;
}

/** (counts + α·prior) / (n + α), or the prior itself when there is nothing at all. */
function shrink(counts: ArrayLike<number>, n: number, prior: ArrayLike<number>, alpha: number, out: Float64Array, offset: number): void {
  const denom = n + alpha;
  for (let i = 0; i < prior.length; i++) out[offset + i] = denom > 0 ? (counts[i]! + alpha * prior[i]!) / denom : prior[i]!;
}

/** Estimates P̂, R̂ and the reward variance from samples (see the module comment for the prior). */
export function estimateModel(samples: readonly TransitionSample[], options: EstimateOptions): EmpiricalModel {
  const { nStates: S, nActions: A } = options;
  const alpha = options.priorStrength ?? 1;
  const support = options.support ?? 'observed';
  if (support !== 'observed' && support !== 'any') throw new AgentConfigError('support', support, "'observed' or 'any'", 'estimateModel');
  if (!Number.isSafeInteger(S) || S < 1) throw new AgentConfigError('nStates', S, 'a positive integer', 'estimateModel');
  if (!Number.isSafeInteger(A) || A < 1) throw new AgentConfigError('nActions', A, 'a positive integer', 'estimateModel');
  if (!(Number.isFinite(alpha) && alpha >= 0)) throw new AgentConfigError('priorStrength', alpha, 'a finite number >= 0', 'estimateModel');

  const counts = new Uint32Array(S * A);
  const nextCounts = new Uint32Array(S * A * S);
  const sum = new Float64Array(S * A);
  const sumSq = new Float64Array(S * A);
  const dtSum = new Float64Array(S * A);
  const dtN = new Uint32Array(S * A);
  samples.forEach((t, k) => {
    const bad = (field: string, v: unknown, allowed: string) => {
      throw new AgentConfigError(`samples[${k}].${field}`, v, allowed, 'estimateModel');
    };
    if (!Number.isInteger(t.state) || t.state < 0 || t.state >= S) bad('state', t.state, `an integer in [0, ${S})`);
    if (!Number.isInteger(t.nextState) || t.nextState < 0 || t.nextState >= S) bad('nextState', t.nextState, `an integer in [0, ${S})`);
    if (!Number.isInteger(t.action) || t.action < 0 || t.action >= A) bad('action', t.action, `an integer in [0, ${A})`);
    if (!Number.isFinite(t.reward)) bad('reward', t.reward, 'a finite number');
    const i = t.state * A + t.action;
    counts[i]++;
    nextCounts[i * S + t.nextState]++;
    sum[i] += t.reward;
    sumSq[i] += t.reward * t.reward;
    if (t.dtHours !== undefined && Number.isFinite(t.dtHours)) {
      dtSum[i] += t.dtHours;
      dtN[i]++;
    }
  });

  // Pooled levels of the hierarchy.
  const n = samples.length;
  const toCount = new Float64Array(S);
  for (let i = 0; i < S * A; i++) for (let s2 = 0; s2 < S; s2++) toCount[s2] += nextCounts[i * S + s2]!;
  const global = new Float64Array(S);
  shrink(toCount, n, new Float64Array(S).fill(1 / S), alpha, global, 0);

  const byState = new Float64Array(S * S);
  const stateNext = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    stateNext.fill(0);
    let ns = 0;
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      ns += counts[i]!;
      for (let s2 = 0; s2 < S; s2++) stateNext[s2] += nextCounts[i * S + s2]!;
    }
    shrink(stateNext, ns, global, alpha, byState, s * S);
  }

  const actionCounts = new Uint32Array(A);
  const actionMean = new Float64Array(A);
  const actionVar = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    let na = 0;
    let sa = 0;
    let qa = 0;
    for (let s = 0; s < S; s++) {
      na += counts[s * A + a]!;
      sa += sum[s * A + a]!;
      qa += sumSq[s * A + a]!;
    }
    actionCounts[a] = na;
    actionMean[a] = na > 0 ? sa / na : 0;
    actionVar[a] = na > 0 ? Math.max(0, qa / na - actionMean[a]! ** 2) : 0;
  }

  const transition = new Float64Array(S * A * S);
  const reward = new Float64Array(S * A);
  const rewardStd = new Float64Array(S * A);
  const sampleMean = new Float64Array(S * A).fill(NaN);
  const sampleVariance = new Float64Array(S * A).fill(NaN);
  const meanDtHours = new Float64Array(S * A).fill(NaN);
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      const c = counts[i]!;
      shrink(nextCounts.subarray(i * S, (i + 1) * S), c, byState.subarray(s * S, (s + 1) * S), alpha, transition, i * S);
      let variance = actionVar[a]!;
      if (c > 0) {
        sampleMean[i] = sum[i]! / c;
        sampleVariance[i] = Math.max(0, sumSq[i]! / c - sampleMean[i]! ** 2);
        variance = (c * sampleVariance[i]! + alpha * actionVar[a]!) / (c + alpha);
      }
      if (dtN[i]! > 0) meanDtHours[i] = dtSum[i]! / dtN[i]!;
      reward[i] = c + alpha > 0 ? (sum[i]! + alpha * actionMean[a]!) / (c + alpha) : actionMean[a]!;
      rewardStd[i] = Math.sqrt(variance);
    }
  }
  const available: boolean[] = [];
  for (let s = 0; s < S; s++) {
    let ns = 0;
    for (let a = 0; a < A; a++) ns += counts[s * A + a]!;
    for (let a = 0; a < A; a++) available.push(actionCounts[a]! > 0 && (support === 'any' || ns === 0 || counts[s * A + a]! > 0));
  }
  return {
    nStates: S, nActions: A, transition, reward, rewardStd, available, priorStrength: alpha, support,
    counts, nextCounts, sampleMean, sampleVariance, meanDtHours, actionCounts,
  };
}

/** Checks a hand-built MDP: table sizes, finite entries, rows of available actions summing to 1. */
export function validateMdp(mdp: TabularMdp, where = 'TabularMdp'): void {
  const { nStates: S, nActions: A } = mdp;
  if (!Number.isSafeInteger(S) || S < 1) throw new AgentConfigError('nStates', S, 'a positive integer', where);
  if (!Number.isSafeInteger(A) || A < 1) throw new AgentConfigError('nActions', A, 'a positive integer', where);
  if (mdp.transition.length !== S * A * S) throw new AgentConfigError('transition', `${mdp.transition.length} entries`, `S·A·S = ${S * A * S} entries`, where);
  if (mdp.reward.length !== S * A) throw new AgentConfigError('reward', `${mdp.reward.length} entries`, `S·A = ${S * A} entries`, where);
  if (mdp.rewardStd !== undefined && mdp.rewardStd.length !== S * A) throw new AgentConfigError('rewardStd', `${mdp.rewardStd.length} entries`, `S·A = ${S * A} entries`, where);
  if (mdp.available.length !== S * A) throw new AgentConfigError('available', `${mdp.available.length} entries`, `S·A = ${S * A} entries`, where);
  for (let s = 0; s < S; s++) {
    if (!mdp.available.slice(s * A, (s + 1) * A).some(Boolean)) throw new AgentConfigError(`available (state ${s})`, mdp.available.slice(s * A, (s + 1) * A), 'at least one available action per state', where);
    for (let a = 0; a < A; a++) {
      if (!mdp.available[s * A + a]) continue;
      const i = s * A + a;
      if (!Number.isFinite(mdp.reward[i]!)) throw new AgentConfigError(`reward[${i}]`, mdp.reward[i], 'a finite number', where);
      let total = 0;
      for (let s2 = 0; s2 < S; s2++) {
        const p = mdp.transition[i * S + s2]!;
        if (!(p >= 0 && p <= 1)) throw new AgentConfigError(`transition[${i * S + s2}]`, p, 'a probability in [0, 1]', where);
        total += p;
      }
      if (Math.abs(total - 1) > 1e-9) throw new AgentConfigError(`transition row (s=${s}, a=${a})`, total, 'probabilities summing to 1', where);
    }
  }
}
