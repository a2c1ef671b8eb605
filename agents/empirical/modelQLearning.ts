/**
 * Tabular Q-learning on samples drawn from a model (synchronous Q-learning with a generative model,
 * Kearns & Singh 1999; Even-Dar & Mansour 2003): each sweep draws, for every state and every
 * action available in it, s' ~ P(·|s,a) and r ~ N(R(s,a), sd(s,a)²) from the seeded Rng and applies
 *
 *     Q(s,a) ← Q(s,a) + α_n · [r + γ · max_{a'} Q(s',a') − Q(s,a)],   α_n = (1 + n)^−ω
 *
 * with n the earlier updates of (s,a) (ω in (0.5, 1], Robbins–Monro). Sweeping every pair avoids
 * the exploration problem of trajectory sampling, so with enough sweeps the greedy policy matches
 * value iteration's on the same model wherever the gap between actions exceeds the sampling noise.
 */
import type { Rng } from '../../env/core/rng.js';
import { AgentConfigError } from '../errors.js';
import { validateMdp, type TabularMdp } from './model.js';
import { greedyPolicy, validateGamma } from './valueIteration.js';

export interface ModelQLearningOptions {
  readonly gamma: number;
  /** Sweeps over all (s, a) pairs. Default 20 000. */
  readonly sweeps?: number;
  /**
   * Step-size exponent ω in (0.5, 1]. Default 0.7: the start value's bias decays like
   * exp(−(1 − γ)·Σα), and with ω 0.8 at γ 0.9 20 000 sweeps left Q ~0.8 below V* on a two-state
   * test chain; 0.7 leaves ~0.1 (Even-Dar & Mansour: ω → 1 is exponentially slow in 1/(1 − γ)).
   */
  readonly omega?: number;
  /** Every draw comes from this RNG. */
  readonly rng: Rng;
}

export interface ModelQLearningResult {
  /** Q(s,a) at s·A + a; −Infinity for unavailable actions. */
  readonly q: Float64Array;
  readonly policy: number[];
  readonly sweeps: number;
  readonly updates: number;
}

/** Index drawn from the categorical distribution p[offset … offset+n). */
function drawIndex(p: Float64Array, offset: number, n: number, u: number): number {
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += p[offset + k]!;
    if (u < acc) return k;
  }
  // Rounding left the cumulative sum a hair below 1: the last state with mass.
  for (let k = n - 1; k > 0; k--) if (p[offset + k]! > 0) return k;
  return 0;
}

export function modelQLearning(mdp: TabularMdp, options: ModelQLearningOptions): ModelQLearningResult {
  validateMdp(mdp, 'modelQLearning');
  const { gamma, rng } = options;
  const sweeps = options.sweeps ?? 20_000;
  const omega = options.omega ?? 0.7;
  validateGamma(gamma, 'modelQLearning');
  if (!Number.isSafeInteger(sweeps) || sweeps < 1) throw new AgentConfigError('sweeps', sweeps, 'a positive integer', 'modelQLearning');
  if (!(omega > 0.5 && omega <= 1)) throw new AgentConfigError('omega', omega, 'a number in (0.5, 1]', 'modelQLearning');
  const { nStates: S, nActions: A } = mdp;
  const q = new Float64Array(S * A);
  for (let i = 0; i < S * A; i++) if (!mdp.available[i]) q[i] = -Infinity;
  const stateMax = new Float64Array(S);
  const refreshMax = (s: number) => {
    let m = -Infinity;
    for (let a = 0; a < A; a++) if (q[s * A + a]! > m) m = q[s * A + a]!;
    stateMax[s] = m;
  };
  for (let s = 0; s < S; s++) refreshMax(s);
  let updates = 0;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    const alpha = Math.pow(1 + sweep, -omega);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        const i = s * A + a;
        if (!mdp.available[i]) continue;
        const s2 = drawIndex(mdp.transition, i * S, S, rng.random());
        const sd = mdp.rewardStd?.[i] ?? 0;
        const r = sd > 0 ? rng.normal(mdp.reward[i]!, sd) : mdp.reward[i]!;
        q[i] = q[i]! + alpha * (r + gamma * stateMax[s2]! - q[i]!);
        updates++;
      }
      refreshMax(s);
    }
  }
  return { q, policy: greedyPolicy(q, S, A), sweeps, updates };
}
