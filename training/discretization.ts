/**
 * Per-env defaults of the tabular agent: how to bin each env's observation (DiscretizeObservation's
 * bins/low/high; values outside [low, high] fall into the edge bins) and the training settings that
 * differ from the generic Q-learning defaults. The drift-vamm-v0 ranges cover the 1st–99th
 * percentiles of its default observation under noop and random play (SOL preset). Its γ is 0.999:
 * with one-minute steps, 0.99 looks ~100 minutes ahead, too short to value a k increase whose extra
 * volume pays off over hours (README: with 0.99 and unsaturated volume the greedy policy did not beat noop).
 */
import { InvalidArgumentError } from '../env/core/errors.js';
import type { QLearningConfig } from '../agents/tabular/qLearning.js';

export interface TabularDefaults {
  readonly episodes: number;
  readonly qLearning: Partial<QLearningConfig>;
}

export const DEFAULT_TABULAR: Readonly<Record<string, TabularDefaults>> = Object.freeze({
  'drift-vamm-v0': { episodes: 3000, qLearning: { gamma: 0.999, learningRate: 0.05 } },
  // one episode is the whole history (SOL: 68,791 one-minute steps), so far fewer episodes
  'drift-replay-v0': { episodes: 50, qLearning: { gamma: 0.999, learningRate: 0.05 } },
  'CartPole-v1': { episodes: 3000, qLearning: {} },
  'g3m-v0': { episodes: 20000, qLearning: {} },
  'prediction-market-v0': { episodes: 60000, qLearning: { gamma: 1, learningRate: 0.05 } },
  'tfmm-v0': { episodes: 60000, qLearning: { gamma: 0.99, learningRate: 0.003 } },
  'stableswap-v0': { episodes: 5000, qLearning: { gamma: 0.99, learningRate: 0.05 } },
});

/** Training episodes and Q-learning settings for an env: its defaults, then the user's flags. */
export function tabularDefaults(envId: string): TabularDefaults {
  return DEFAULT_TABULAR[envId] ?? { episodes: 500, qLearning: {} };
}

export interface Discretization {
  readonly bins: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
}

export const DEFAULT_DISCRETIZATION: Readonly<Record<string, Discretization>> = Object.freeze({
  // imbalance d/sqrt_k, mark/oracle gap, spendable fee pool, ln(k/k0), time of episode
  'drift-vamm-v0': { bins: [7, 7, 1, 3, 1], low: [-0.03, -0.02, 0, -0.3, 0], high: [0.03, 0.02, 1, 0.1, 1] },
  // the same observation; policies move between the two
  'drift-replay-v0': { bins: [7, 7, 1, 3, 1], low: [-0.03, -0.02, 0, -0.3, 0], high: [0.03, 0.02, 1, 0.1, 1] },
  // cart position and velocity ignored; pole angle and angular velocity
  'CartPole-v1': { bins: [1, 1, 6, 12], low: [-2.4, -3, -0.21, -3.5], high: [2.4, 3, 0.21, 3.5] },
  // ln(S/S_ref), risky value share, p, fee, realised vol, time: one bin per grid value of p and of the fee
  'g3m-v0': { bins: [5, 1, 20, 10, 1, 1], low: [-0.05, 0, -0.025, 0.0005, 0, 0], high: [0.05, 1, 0.975, 0.0105, 5, 1] },
  // time to expiry, pool probability, ln liquidity multiple, fee; the LP's exposure ignored
  'prediction-market-v0': { bins: [10, 5, 6, 6, 1], low: [0, 0, -1.733, 0.005, -10], high: [1, 1, 2.426, 0.065, 10] },
  // weights ignored; each token's momentum z; blocks left in the running schedule
  'tfmm-v0': { bins: [1, 1, 1, 3, 3, 3, 2], low: [0, 0, 0, -1, -1, -1, 0], high: [1, 1, 1, 1, 1, 1, 1] },
  // imbalance, depeg, log10 A, ramp in progress, fee bp, pending fee change, time
  'stableswap-v0': { bins: [3, 3, 10, 3, 13, 3, 1], low: [0, 0, 1, -0.31, 0, -1.5, 0], high: [0.3, 0.02, 4, 0.31, 52, 1.5, 1] },
});

/** Parse a comma-separated list of numbers from a CLI flag, naming the flag on error. */
export function parseNumberList(flag: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.findIndex((p, i) => p === '' || !Number.isFinite(values[i]));
  if (bad >= 0) throw new InvalidArgumentError(`--${flag}: ${JSON.stringify(parts[bad])} is not a number; expected a comma-separated list of numbers, e.g. 7,7,1,3,1`);
  return values;
}

export function resolveDiscretization(envId: string, flags: { bins?: string; low?: string; high?: string }): Discretization {
  const base = DEFAULT_DISCRETIZATION[envId];
  const bins = flags.bins === undefined ? base?.bins : parseNumberList('bins', flags.bins);
  const low = flags.low === undefined ? base?.low : parseNumberList('low', flags.low);
  const high = flags.high === undefined ? base?.high : parseNumberList('high', flags.high);
  if (bins === undefined || low === undefined || high === undefined) {
    throw new InvalidArgumentError(
      `no default discretization for ${envId} (defaults exist for ${Object.keys(DEFAULT_DISCRETIZATION).join(', ')}); pass --bins, --low and --high`,
    );
  }
  return { bins, low, high };
}
