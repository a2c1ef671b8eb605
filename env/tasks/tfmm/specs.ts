/**
 * Registry entries of the TFMM task, for `env/tasks/builtin.ts` (which registers them on import) and
 * for tests that register them directly.
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { TfmmEnv } from './tfmmEnv.js';
import type { TfmmOptions } from './options.js';

export const TFMM_SPECS: EnvSpecInit[] = [
  {
    id: 'tfmm-v0',
    entryPoint: (kwargs) => new TfmmEnv(kwargs as TfmmOptions),
    // 30 daily decisions, 24 hourly blocks each
    maxEpisodeSteps: 30,
  },
];
