/**
 * Registry entries of the G3M task, for `register()` (the built-in list imports them from here).
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { G3mEnv } from './g3mEnv.js';
import type { G3mEnvOptions } from './options.js';
import { G3mVectorEnv } from './vector/g3mVectorEnv.js';

export const G3M_SPECS: EnvSpecInit[] = [
  {
    id: 'g3m-v0',
    entryPoint: (kwargs) => new G3mEnv(kwargs as G3mEnvOptions),
    // make(id, { numEnvs }) / makeVec: the struct-of-arrays kernel (vector/), same trajectories
    vectorEntryPoint: (kwargs) => new G3mVectorEnv(kwargs),
    // one day of 5-minute steps (25 blocks of 12 s)
    maxEpisodeSteps: 288,
  },
];
