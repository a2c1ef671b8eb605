/**
 * Ensembles of policies (damm-parameter-optimization.md §3.3: "an 'ensemble' approach to determining
 * the dAMM's overall optimal policy", combining the reinforcement-learning policy with supervised
 * predictors). Every member is asked every step — members with state (a rolling feature window, a
 * pace) keep it current even when outvoted — and the ensemble takes one of two documented rules:
 *
 * - `vote`: weighted plurality of the members' actions (weights default to 1); a tie goes to the
 *   earliest member among the tied ones, so list the policy you trust most first;
 * - `agree` (gating): the first member (the primary, typically the RL policy) acts only when at
 *   least one other member proposes the same action; otherwise the ensemble takes `holdAction`.
 *   Adjustments then need two independent reasons, the conservative reading of §3.3.
 *
 * Members act on the same discrete action list (drift-vamm-v0's / drift-replay-v0's), each seeing
 * the env's observation through its own `observe` (e.g. a tabular member's discretisation).
 */
import type { Rng } from '../env/core/rng.js';
import { AgentConfigError } from './errors.js';
import type { Policy } from './policy.js';

export const ENSEMBLE_RULES = ['vote', 'agree'] as const;
export type EnsembleRule = (typeof ENSEMBLE_RULES)[number];

export interface EnsembleMember {
  readonly policy: Policy<unknown, number>;
  /** The env's observation as this member was trained to see it (default: unchanged). */
  readonly observe?: (obs: unknown) => unknown;
  /** Weight of its vote under `vote` (default 1, must be > 0). */
  readonly weight?: number;
}

export interface EnsembleOptions {
  readonly rule?: EnsembleRule;
  /** The action index of 'hold' (taken under `agree` when the members disagree). Default 0. */
  readonly holdAction?: number;
  readonly name?: string;
}

export class EnsemblePolicy implements Policy<unknown, number> {
  readonly name: string;
  readonly rule: EnsembleRule;
  private readonly members: readonly EnsembleMember[];
  private readonly holdAction: number;
  private readonly actions: number[];
  /** How often each member's action was the ensemble's, since construction (diagnostics). */
  readonly agreements: number[];

  constructor(members: readonly EnsembleMember[], options: EnsembleOptions = {}) {
    const who = 'EnsemblePolicy';
    if (members.length < 2) throw new AgentConfigError('members', members.length, 'at least two member policies', who);
    const rule = options.rule ?? 'vote';
    if (!ENSEMBLE_RULES.includes(rule)) throw new AgentConfigError('rule', rule, ENSEMBLE_RULES.map((r) => `'${r}'`).join(' | '), who);
    members.forEach((m, i) => {
      const w = m.weight ?? 1;
      if (!(w > 0) || !Number.isFinite(w)) throw new AgentConfigError(`members[${i}].weight`, w, 'a finite number > 0', who);
    });
    const hold = options.holdAction ?? 0;
    if (!Number.isSafeInteger(hold) || hold < 0) throw new AgentConfigError('holdAction', hold, 'a non-negative action index', who);
    this.members = members;
    this.rule = rule;
    this.holdAction = hold;
    this.actions = new Array<number>(members.length).fill(0);
    this.agreements = new Array<number>(members.length).fill(0);
    this.name = options.name ?? `ensemble-${rule}(${members.map((m) => m.policy.name).join('+')})`;
  }

  reset(rng: Rng): void {
    // independent streams, so a stochastic member does not shift another's draws
    const streams = rng.spawn(this.members.length);
    this.members.forEach((m, i) => m.policy.reset?.(streams[i]!));
  }

  act(obs: unknown, info: Readonly<Record<string, unknown>>): number {
    const n = this.members.length;
    for (let i = 0; i < n; i++) {
      const m = this.members[i]!;
      this.actions[i] = m.policy.act(m.observe === undefined ? obs : m.observe(obs), info);
    }
    const chosen = this.rule === 'vote' ? this.plurality() : this.gated();
    for (let i = 0; i < n; i++) if (this.actions[i] === chosen) this.agreements[i]!++;
    return chosen;
  }

  private plurality(): number {
    let best = this.actions[0]!;
    let bestWeight = -1;
    for (let i = 0; i < this.actions.length; i++) {
      const a = this.actions[i]!;
      let w = 0;
      for (let j = 0; j < this.actions.length; j++) if (this.actions[j] === a) w += this.members[j]!.weight ?? 1;
      // strictly greater: ties stay with the earliest member
      if (w > bestWeight) {
        best = a;
        bestWeight = w;
      }
    }
    return best;
  }

  private gated(): number {
    const primary = this.actions[0]!;
    for (let i = 1; i < this.actions.length; i++) if (this.actions[i] === primary) return primary;
    return this.holdAction;
  }
}
