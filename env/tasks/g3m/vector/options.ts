/**
 * Options of the g3m-v0 vector env: the scalar env's options (validated by the scalar resolver, so
 * the same input gives the same error), the vector-only ones (`numEnvs`, `maxEpisodeSteps`,
 * `autoresetMode`), and the refusal of what the kernel does not implement (a price process other
 * than GBM).
 */
import type { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import { resolveVectorArgs } from '../../../core/vector/vectorArgs.js';
import { UnsupportedVectorOptionError } from '../../../core/vector/errors.js';
import { GeometricBrownianMotion } from '../../../market/price/gbm.js';
import { makePriceProcess } from '../../../market/price/config.js';
import { resolveG3mOptions, type G3mEnvOptions, type ResolvedG3mOptions } from '../options.js';

const ID = 'g3m-v0';

export interface G3mVectorOptions extends G3mEnvOptions {
  /** Number of sub-envs, a positive integer. */
  numEnvs: number;
  /** Truncate each sub-env after this many steps (the scalar spec's TimeLimit, 288); undefined: never. */
  maxEpisodeSteps?: number;
  /** Default 'next-step' (Gymnasium 1.x). */
  autoresetMode?: AutoresetMode;
}

export interface ResolvedG3mVectorOptions {
  readonly scalar: ResolvedG3mOptions;
  readonly numEnvs: number;
  /** Infinity when there is no limit. */
  readonly maxEpisodeSteps: number;
  readonly autoresetMode: AutoresetMode;
  readonly gbmDrift: number;
  readonly gbmVolatility: number;
}

/** What the kernel implements, named in the refusal messages. */
export const G3M_VECTOR_SUPPORT = Object.freeze({
  price: "{ kind: 'gbm', drift?, volatility } (the default kind)",
});

export function resolveG3mVectorOptions(kwargs: Readonly<Record<string, unknown>>): ResolvedG3mVectorOptions {
  const { vector, rest } = resolveVectorArgs(ID, kwargs);
  const scalar = resolveG3mOptions(rest as G3mEnvOptions);
  // the process validates its own config (the same MarketConfigError as the scalar env)
  const process = makePriceProcess(scalar.price, `${ID} option price`);
  if (!(process instanceof GeometricBrownianMotion)) {
    throw new UnsupportedVectorOptionError(ID, 'price.kind', (scalar.price as { kind: unknown }).kind, G3M_VECTOR_SUPPORT.price);
  }
  return {
    scalar,
    ...vector,
    gbmDrift: process.drift,
    gbmVolatility: process.volatility,
  };
}
