/**
 * Registry entries of the G3M task, for `register()` (the built-in list imports them from here).
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { G3mEnv } from './g3mEnv.js';
import type { G3mEnvOptions } from './options.js';

export const G3M_SPECS: EnvSpecInit[] = [
  {
    id: 'g3m-v0',
    entryPoint: (kwargs) => new G3mEnv(kwargs as G3mEnvOptions),
    // one day of 5-minute steps (25 blocks of 12 s)
    maxEpisodeSteps: 288,
  },
];
