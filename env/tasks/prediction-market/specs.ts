/**
 * Registration entries for the prediction-market task. `env/tasks/builtin.ts` lists them; tests
 * register them themselves when the registry does not have them yet.
 */
import type { EnvSpecInit } from '../../core/registration/spec.js';
import { PREDICTION_MARKET_DEFAULTS, type PredictionMarketOptions } from './options.js';
import { PredictionMarketEnv } from './predictionMarketEnv.js';

export const PREDICTION_MARKET_SPECS: EnvSpecInit[] = [
  {
    id: 'prediction-market-v0',
    entryPoint: (kwargs) => new PredictionMarketEnv(kwargs as PredictionMarketOptions),
    // the env terminates itself at resolution; the limit only guards against a runaway horizon
    maxEpisodeSteps: PREDICTION_MARKET_DEFAULTS.horizon,
  },
];
