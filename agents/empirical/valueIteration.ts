/**
 * Value iteration on a finite MDP (Bellman 1957; Sutton & Barto §4.4):
 *
 *     V_{k+1}(s) = max_{a available in s} [ R(s,a) + γ Σ_{s'} P(s'|s,a) V_k(s') ]
 *
 * stopped when ‖V_{k+1} − V_k‖∞ < tolerance. T is a γ-contraction, so the returned V is within
 * γ·tolerance/(1 − γ) of the fixed point V*; `residual` reports ‖T V − V‖∞ of the returned V.
 * `policyValue` solves (I − γ P_π) V = R_π exactly (ml-matrix LU), the independent check.
 */
import { Matrix, solve } from 'ml-matrix';
import { AgentConfigError } from '../errors.js';
import { validateMdp, type TabularMdp } from './model.js';

export interface ValueIterationOptions {
  /** Discount per step, in [0, 1). */
  readonly gamma: number;
  /** Stop when the sup-norm change of V falls below this. Default 1e-10. */
  readonly tolerance?: number;
  /** Give up (converged: false) after this many sweeps. Default 100 000. */
  readonly maxIterations?: number;
}

export interface ValueIterationResult {
  readonly values: Float64Array;
  /** Q(s,a) = R(s,a) + γ Σ P V at s·A + a; −Infinity for unavailable pairs. */
  readonly q: Float64Array;
  /** Greedy action per state (ties: lowest index). */
  readonly policy: number[];
  readonly iterations: number;
  readonly converged: boolean;
  /** ‖T V − V‖∞ of the returned values. */
  readonly residual: number;
}

export function validateGamma(gamma: number, where: string): void {
  if (!(Number.isFinite(gamma) && gamma >= 0 && gamma < 1)) throw new AgentConfigError('gamma', gamma, 'a number in [0, 1) (the event clock has no terminal state)', where);
}

/** Q(s,·) = R + γ P V for every available action; −Infinity for the others. */
export function bellmanQ(mdp: TabularMdp, values: ArrayLike<number>, gamma: number, out = new Float64Array(mdp.nStates * mdp.nActions)): Float64Array {
  const { nStates: S, nActions: A } = mdp;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      if (!mdp.available[i]) {
        out[i] = -Infinity;
        continue;
      }
      let ev = 0;
      for (let s2 = 0; s2 < S; s2++) ev += mdp.transition[i * S + s2]! * values[s2]!;
      out[i] = mdp.reward[i]! + gamma * ev;
    }
  }
  return out;
}

/** argmax_a q[s·A + a] per state, ties to the lowest index. */
export function greedyPolicy(q: ArrayLike<number>, nStates: number, nActions: number): number[] {
  const policy: number[] = [];
  for (let s = 0; s < nStates; s++) {
    let best = 0;
    for (let a = 1; a < nActions; a++) if (q[s * nActions + a]! > q[s * nActions + best]!) best = a;
    policy.push(best);
  }
  return policy;
}

function maxRows(q: Float64Array, S: number, A: number, out: Float64Array): Float64Array {
  for (let s = 0; s < S; s++) {
    let m = -Infinity;
    for (let a = 0; a < A; a++) if (q[s * A + a]! > m) m = q[s * A + a]!;
    out[s] = m;
  }
  return out;
}

export function valueIteration(mdp: TabularMdp, options: ValueIterationOptions): ValueIterationResult {
  validateMdp(mdp, 'valueIteration');
  const { gamma } = options;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100_000;
  validateGamma(gamma, 'valueIteration');
  if (!(tolerance > 0)) throw new AgentConfigError('tolerance', tolerance, 'a number > 0', 'valueIteration');
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1) throw new AgentConfigError('maxIterations', maxIterations, 'a positive integer', 'valueIteration');
  const { nStates: S, nActions: A } = mdp;
  let values = new Float64Array(S);
  let next = new Float64Array(S);
  const q = new Float64Array(S * A);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    maxRows(bellmanQ(mdp, values, gamma, q), S, A, next);
    iterations++;
    let change = 0;
    for (let s = 0; s < S; s++) change = Math.max(change, Math.abs(next[s]! - values[s]!));
    [values, next] = [next, values];
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  bellmanQ(mdp, values, gamma, q);
  const backed = maxRows(q, S, A, new Float64Array(S));
  let residual = 0;
  for (let s = 0; s < S; s++) residual = Math.max(residual, Math.abs(backed[s]! - values[s]!));
  return { values, q, policy: greedyPolicy(q, S, A), iterations, converged, residual };
}

/** V^π of a deterministic policy, exactly: the solution of (I − γ P_π) V = R_π. */
export function policyValue(mdp: TabularMdp, policy: readonly number[], gamma: number): Float64Array {
  validateMdp(mdp, 'policyValue');
  validateGamma(gamma, 'policyValue');
  const { nStates: S, nActions: A } = mdp;
  if (policy.length !== S) throw new AgentConfigError('policy', `${policy.length} entries`, `one action per state (${S})`, 'policyValue');
  const lhs = Matrix.eye(S, S);
  const rhs = new Matrix(S, 1);
  policy.forEach((a, s) => {
    if (!Number.isInteger(a) || a < 0 || a >= A || !mdp.available[s * A + a]) throw new AgentConfigError(`policy[${s}]`, a, 'an available action index', 'policyValue');
    const i = s * A + a;
    for (let s2 = 0; s2 < S; s2++) lhs.set(s, s2, lhs.get(s, s2) - gamma * mdp.transition[i * S + s2]!);
    rhs.set(s, 0, mdp.reward[i]!);
  });
  return Float64Array.from(solve(lhs, rhs).getColumn(0));
}
