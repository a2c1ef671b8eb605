/**
 * Options of the vector env: the scalar env's options (validated by the scalar resolver, so the
 * same input gives the same error), the vector-only ones (`numEnvs`, `maxEpisodeSteps`,
 * `autoresetMode`), and the refusal of what the kernel does not implement.
 */
import type { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import { resolveVectorArgs } from '../../../core/vector/vectorArgs.js';
import { UnsupportedVectorOptionError } from '../../../core/vector/errors.js';
import { resolveOptions, type PredictionMarketOptions, type ResolvedOptions } from '../options.js';

const ID = 'prediction-market-v0';

export interface PredictionMarketVectorOptions extends PredictionMarketOptions {
  /** Number of sub-envs, a positive integer. */
  numEnvs: number;
  /** Truncate each sub-env after this many steps (the scalar spec's TimeLimit, 50); undefined: never. */
  maxEpisodeSteps?: number;
  /** Default 'next-step' (Gymnasium 1.x). */
  autoresetMode?: AutoresetMode;
}

export interface ResolvedVectorOptions {
  readonly scalar: ResolvedOptions;
  readonly numEnvs: number;
  /** Infinity when there is no limit. */
  readonly maxEpisodeSteps: number;
  readonly autoresetMode: AutoresetMode;
}

/**
 * The largest median noise trade the kernel takes. A Box–Muller normal is below 8.6 in size and σ ≤ 10,
 * so above this a trade of median·e^{σz} can overflow to ∞, where the scalar env stops with the
 * curve's InvalidArgumentError; the kernel would not stop there, so it refuses the option instead.
 */
export const MAX_NOISE_MEDIAN_COLLATERAL = 1e250;

/** What the kernel implements, named in the refusal messages. */
export const VECTOR_SUPPORT = Object.freeze({
  noiseMedianCollateral: `a number ≤ ${MAX_NOISE_MEDIAN_COLLATERAL} (larger trades can overflow)`,
});

export function resolveVectorOptions(kwargs: Readonly<Record<string, unknown>>): ResolvedVectorOptions {
  const { vector, rest } = resolveVectorArgs(ID, kwargs);
  const scalar = resolveOptions(rest as PredictionMarketOptions);
  const median = scalar.traders.noiseMedianCollateral;
  if (median > MAX_NOISE_MEDIAN_COLLATERAL) {
    throw new UnsupportedVectorOptionError(ID, 'traders.noiseMedianCollateral', median, VECTOR_SUPPORT.noiseMedianCollateral);
  }
  return { scalar, ...vector };
}
