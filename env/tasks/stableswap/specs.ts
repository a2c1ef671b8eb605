/**
 * Registry entries for stableswap-v0 (the same shape as env/tasks/builtin.ts's BUILTIN_SPECS, which
 * can spread them in).
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { StableSwapEnv } from './stableswapEnv.js';
import type { StableSwapEnvOptions } from './options.js';

export const STABLESWAP_SPECS: EnvSpecInit[] = [
  {
    id: 'stableswap-v0',
    entryPoint: (kwargs) => new StableSwapEnv(kwargs as StableSwapEnvOptions),
    // 30 days of one-hour steps
    maxEpisodeSteps: 720,
  },
];
