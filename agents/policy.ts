/**
 * `Policy`: what every agent and baseline exposes to evaluation, the CLI and saved files. A policy
 * maps an observation (and the last info dict, which heuristic baselines may read) to an action.
 */
import type { Rng } from '../env/core/rng.js';
import type { Json } from '../env/core/spaces/space.js';

export interface Policy<Obs = unknown, Act = unknown> {
  readonly name: string;
  /**
   * Action for this observation; `info` is the last info dict (baselines may read it).
   * Deterministic (greedy) unless the policy is stochastic by nature.
   */
  act(obs: Obs, info: Readonly<Record<string, unknown>>): Act;
  /** Called on reset with the episode's seed-derived RNG, so stochastic policies are reproducible. */
  reset?(rng: Rng): void;
}

/** A JSON object (the `config` of a saved policy). */
export type JsonObject = { [key: string]: Json };

/** What a policy contributes to its saved file: `config` (how it was built) and `data` (what it learned). */
export interface PolicyData {
  readonly config: JsonObject;
  readonly data: Json;
}

/**
 * A policy `savePolicy` can write. `kind` becomes the file's `kind` and selects the decoder that
 * `loadPolicy` uses (see `registerPolicyKind`).
 */
export interface PersistablePolicy<Obs = unknown, Act = unknown> extends Policy<Obs, Act> {
  readonly kind: string;
  toPolicyData(): PolicyData;
}

export function isPersistable<Obs, Act>(policy: Policy<Obs, Act>): policy is PersistablePolicy<Obs, Act> {
  const p = policy as Partial<PersistablePolicy<Obs, Act>>;
  return typeof p.kind === 'string' && typeof p.toPolicyData === 'function';
}
