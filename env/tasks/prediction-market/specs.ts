/**
 * Registration entries for the prediction-market task. `env/tasks/builtin.ts` lists them; tests
 * register them themselves when the registry does not have them yet.
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { PREDICTION_MARKET_DEFAULTS, type PredictionMarketOptions } from './options.js';
import { PredictionMarketEnv } from './predictionMarketEnv.js';
import { PredictionMarketVectorEnv } from './vector/predictionMarketVectorEnv.js';

export const PREDICTION_MARKET_SPECS: EnvSpecInit[] = [
  {
    id: 'prediction-market-v0',
    entryPoint: (kwargs) => new PredictionMarketEnv(kwargs as PredictionMarketOptions),
    // make(id, { numEnvs }) / makeVec(id, n): the struct-of-arrays kernel, sub-env for sub-env the scalar env above
    vectorEntryPoint: (kwargs) => new PredictionMarketVectorEnv(kwargs),
    // one market from open to resolution at the default horizon; the env terminates itself there
    // (pass maxEpisodeSteps with a longer horizon)
    maxEpisodeSteps: PREDICTION_MARKET_DEFAULTS.horizon,
  },
];
