/** Test helper (not a test file): one seeded rollout of an env, recorded step by step for comparison. */
import type { Env } from '../env/core/env.js';

export interface RolloutStep {
  obs: number[];
  reward: number;
  info: Record<string, unknown>;
}

/** Resets with `seed`, then steps with `pick(t)` until `steps`, termination or truncation. */
export function rollout(env: Env<unknown, unknown>, seed: number, steps: number, pick: (t: number) => unknown): RolloutStep[] {
  const out: RolloutStep[] = [];
  env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const [obs, reward, terminated, truncated, info] = env.step(pick(t));
    out.push({ obs: Array.from(obs as Float32Array), reward, info });
    if (terminated || truncated) break;
  }
  return out;
}
