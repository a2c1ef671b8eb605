/**
 * The empirical MDP's five action classes and how each becomes one of drift-vamm's named discrete
 * actions (`env.actionMeanings`), so a policy learnt from history acts in drift-vamm-v0 and in any
 * env with the same actions (drift-replay-v0):
 *
 * | class      | drift-vamm action                                               |
 * |------------|-----------------------------------------------------------------|
 * | hold       | 'hold'                                                          |
 * | repeg-up   | 'repeg-oracle' when the mark is below the oracle (obs[1] < 0), else 'hold' |
 * | repeg-down | 'repeg-oracle' when the mark is above the oracle (obs[1] > 0), else 'hold' |
 * | k-up       | the first 'k up …' action (the smallest listed δ by default)    |
 * | k-down     | the first 'k down …' action                                     |
 *
 * History says only which way the admin moved the peg, not how far; repegging to the oracle is the
 * env's move in that direction, and when the oracle is on the other side the class asks for a move
 * the env would only make the wrong way, so it holds.
 */
import { AgentConfigError } from '../errors.js';

export type EmpiricalActionClass = 'hold' | 'repeg-up' | 'repeg-down' | 'k-up' | 'k-down';

/** Column order of every table over actions (counts, Q, the model). */
export const EMPIRICAL_ACTION_CLASSES: readonly EmpiricalActionClass[] = Object.freeze(['hold', 'repeg-up', 'repeg-down', 'k-up', 'k-down']);

/** Indices of the drift-vamm actions the classes map to. */
export interface DriftActionIndices {
  readonly hold: number;
  readonly repegOracle: number;
  readonly kUp: number;
  readonly kDown: number;
}

function find(meanings: readonly string[], test: (m: string) => boolean, what: string): number {
  const i = meanings.findIndex(test);
  if (i < 0) throw new AgentConfigError('actionMeanings', meanings, `a list containing ${what} (drift-vamm-v0's discrete actions)`, 'EmpiricalQPolicy');
  return i;
}

/** Locates 'hold', 'repeg-oracle' and the first 'k up …' / 'k down …' in an env's action meanings. */
export function driftActionIndices(meanings: readonly string[]): DriftActionIndices {
  if (!Array.isArray(meanings)) throw new AgentConfigError('actionMeanings', meanings, 'an array of action names', 'EmpiricalQPolicy');
  return {
    hold: find(meanings, (m) => m === 'hold', "'hold'"),
    repegOracle: find(meanings, (m) => m === 'repeg-oracle', "'repeg-oracle'"),
    kUp: find(meanings, (m) => /^k[ -]up\b/.test(m), "a 'k up …' action"),
    kDown: find(meanings, (m) => /^k[ -]down\b/.test(m), "a 'k down …' action"),
  };
}

/** The drift-vamm action index for a class, given the mark/oracle gap (obs[1] = mark/oracle − 1). */
export function driftActionFor(cls: EmpiricalActionClass, markOracleGap: number, ix: DriftActionIndices): number {
  switch (cls) {
    case 'hold': return ix.hold;
    case 'repeg-up': return markOracleGap < 0 ? ix.repegOracle : ix.hold;
    case 'repeg-down': return markOracleGap > 0 ? ix.repegOracle : ix.hold;
    case 'k-up': return ix.kUp;
    case 'k-down': return ix.kDown;
  }
}
