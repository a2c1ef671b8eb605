/**
 * Options of the g3m-v0 vector env: the scalar env's options (validated by the scalar resolver, so
 * the same input gives the same error), the vector-only ones (`numEnvs`, `maxEpisodeSteps`,
 * `autoresetMode`), and the refusal of what the kernel does not implement (a price process other
 * than GBM).
 */
import { describeValue, InvalidArgumentError } from '../../../core/errors.js';
import { AutoresetMode, AUTORESET_MODES, isAutoresetMode } from '../../../core/vector/autoreset-mode.js';
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

const MAX_ENVS = 1 << 24;

export function resolveG3mVectorOptions(kwargs: Readonly<Record<string, unknown>>): ResolvedG3mVectorOptions {
  const { numEnvs, maxEpisodeSteps, autoresetMode, ...rest } = kwargs;
  if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1 || numEnvs > MAX_ENVS) {
    throw new InvalidArgumentError(`${ID} vector env: numEnvs must be an integer in [1, ${MAX_ENVS}], got ${describeValue(numEnvs)}`);
  }
  if (maxEpisodeSteps !== undefined && (typeof maxEpisodeSteps !== 'number' || !Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)) {
    throw new InvalidArgumentError(`${ID} vector env: maxEpisodeSteps must be a positive integer (or absent for no limit), got ${describeValue(maxEpisodeSteps)}`);
  }
  const mode = autoresetMode ?? AutoresetMode.NEXT_STEP;
  if (!isAutoresetMode(mode)) {
    throw new InvalidArgumentError(`${ID} vector env: autoresetMode must be one of ${AUTORESET_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(mode)}`);
  }
  const scalar = resolveG3mOptions(rest as G3mEnvOptions);
  // the process validates its own config (the same MarketConfigError as the scalar env)
  const process = makePriceProcess(scalar.price, `${ID} option price`);
  if (!(process instanceof GeometricBrownianMotion)) {
    throw new UnsupportedVectorOptionError(ID, 'price.kind', (scalar.price as { kind: unknown }).kind, G3M_VECTOR_SUPPORT.price);
  }
  return {
    scalar,
    numEnvs,
    maxEpisodeSteps: maxEpisodeSteps ?? Infinity,
    autoresetMode: mode,
    gbmDrift: process.drift,
    gbmVolatility: process.volatility,
  };
}
