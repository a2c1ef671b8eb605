/**
 * Drift's own admin rules as policies for drift-vamm-v0's discrete actions (drift-v1-math.md §3):
 * `repeg-to-oracle` repegs to the oracle-implied peg whenever the mark strays further than the fee
 * from the oracle, and `formulaic` takes the env's formulaic action every step (the budgeted repeg
 * toward the oracle plus the funding-imbalance k rule). They locate their actions by name in the
 * env's `actionMeanings`, so they see only the Env API. `historical` (drift-replay-v0 only) replays the
 * admin's recorded actions.
 */
import type { Policy } from './policy.js';
import { AgentConfigError } from './errors.js';

function indexOf(meanings: readonly string[], name: string, who: string): number {
  const i = meanings.indexOf(name);
  if (i < 0) throw new AgentConfigError('actionMeanings', meanings, `a list containing '${name}' (drift-vamm-v0's discrete actions)`, who);
  return i;
}

function gapOf(info: Readonly<Record<string, unknown>>, who: string): number {
  const mark = info.markUsd;
  const oracle = info.oracleUsd;
  if (typeof mark !== 'number' || typeof oracle !== 'number' || !(oracle > 0)) {
    throw new AgentConfigError('info', info, 'an info object with numeric markUsd and oracleUsd (drift-vamm-v0)', who);
  }
  return mark / oracle - 1;
}

export interface RepegToOracleOptions {
  /** Repeg when |mark/oracle − 1| exceeds this many basis points. Default 10 (the taker fee). */
  thresholdBps?: number;
  name?: string;
}

export class RepegToOraclePolicy implements Policy<unknown, number> {
  readonly name: string;
  private readonly hold: number;
  private readonly repeg: number;
  private readonly threshold: number;

  constructor(actionMeanings: readonly string[], options: RepegToOracleOptions = {}) {
    this.name = options.name ?? 'repeg-to-oracle';
    this.hold = indexOf(actionMeanings, 'hold', 'RepegToOraclePolicy');
    this.repeg = indexOf(actionMeanings, 'repeg-oracle', 'RepegToOraclePolicy');
    const bps = options.thresholdBps ?? 10;
    if (!(bps >= 0) || !Number.isFinite(bps)) throw new AgentConfigError('thresholdBps', bps, 'a finite number ≥ 0', 'RepegToOraclePolicy');
    this.threshold = bps / 1e4;
  }

  act(_obs: unknown, info: Readonly<Record<string, unknown>>): number {
    return Math.abs(gapOf(info, this.name)) > this.threshold ? this.repeg : this.hold;
  }
}

/** Takes one named action every step. */
class NamedActionPolicy implements Policy<unknown, number> {
  private readonly action: number;

  constructor(readonly name: string, actionMeanings: readonly string[], actionName: string, who: string) {
    this.action = indexOf(actionMeanings, actionName, who);
  }

  act(): number {
    return this.action;
  }
}

export class FormulaicPolicy extends NamedActionPolicy {
  constructor(actionMeanings: readonly string[], options: { name?: string } = {}) {
    super(options.name ?? 'formulaic', actionMeanings, 'formulaic', 'FormulaicPolicy');
  }
}

/** drift-replay-v0's `historical`: the admin's recorded repeg / update_k, replayed at the steps they happened. */
export class HistoricalPolicy extends NamedActionPolicy {
  constructor(actionMeanings: readonly string[], options: { name?: string } = {}) {
    super(options.name ?? 'historical', actionMeanings, 'historical', 'HistoricalPolicy');
  }
}
