/**
 * Registers the built-in envs (Gymnasium's `gymnasium/envs/__init__.py`). Importing this module
 * registers them once; `registerBuiltinEnvs()` is idempotent, so tests and the root index can both
 * call it. Add new tasks to BUILTIN_SPECS: `checkEnv` runs in CI on every registered id.
 */
import { register, registeredSpecs } from '../core/registration/registry.js';
import type { EnvSpecInit } from '../core/registration/spec.js';
import { CartPoleEnv, type CartPoleOptions } from './cartpole/cartpole.js';
import { DriftVammEnv } from './drift-vamm/driftVammEnv.js';
import type { DriftVammOptions } from './drift-vamm/options.js';
import { DriftVammVectorEnv } from './drift-vamm/vector/driftVammVectorEnv.js';
import { DriftReplayEnv, type DriftReplayOptions } from './drift-replay/driftReplayEnv.js';
import { syntheticReplaySeries } from './drift-replay/synthetic.js';
import { G3M_SPECS } from './g3m/specs.js';
import { PREDICTION_MARKET_SPECS } from './prediction-market/specs.js';
import { STABLESWAP_SPECS } from './stableswap/specs.js';
import { TFMM_SPECS } from './tfmm/specs.js';

export const BUILTIN_SPECS: readonly EnvSpecInit[] = [
  {
    id: 'CartPole-v1',
    entryPoint: (kwargs) => new CartPoleEnv(kwargs as CartPoleOptions),
    maxEpisodeSteps: 500,
    rewardThreshold: 475.0,
  },
  {
    id: 'drift-vamm-v0',
    entryPoint: (kwargs) => new DriftVammEnv(kwargs as DriftVammOptions),
    // one day of one-minute steps
    maxEpisodeSteps: 1440,
    // make(id, { numEnvs }) / makeVec: the struct-of-arrays kernel
    vectorEntryPoint: (kwargs) => new DriftVammVectorEnv(kwargs),
  },
  {
    id: 'drift-replay-v0',
    // needs `series` (loadReplaySeries); truncates itself at the end of the series or `hours`
    entryPoint: (kwargs) => new DriftReplayEnv(kwargs as DriftReplayOptions),
  },
  ...G3M_SPECS,
  ...PREDICTION_MARKET_SPECS,
  ...STABLESWAP_SPECS,
  ...TFMM_SPECS,
];

/**
 * kwargs for the envs that cannot be made bare (they need data), used by `env list`, `env check`
 * and the check-every-env test: a history made by our own simulator stands in for the real one.
 */
export const PROBE_KWARGS: Readonly<Record<string, () => Record<string, unknown>>> = Object.freeze({
  'drift-replay-v0': () => ({ series: syntheticReplaySeries({ hours: 6 }) }),
});

/** Registers every built-in env not registered yet; returns their ids. */
export function registerBuiltinEnvs(): string[] {
  const specs = registeredSpecs();
  for (const init of BUILTIN_SPECS) if (!specs.has(init.id)) register(init);
  return BUILTIN_SPECS.map((s) => s.id);
}

registerBuiltinEnvs();
