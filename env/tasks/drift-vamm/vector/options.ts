/**
 * Options of the vector env: the scalar env's options (validated by the scalar resolver, so the
 * same input gives the same error), the vector-only ones (`numEnvs`, `maxEpisodeSteps`,
 * `autoresetMode`), and the refusal of what the kernel does not implement.
 */
import { describeValue, InvalidArgumentError } from '../../../core/errors.js';
import { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import { resolveVectorArgs } from '../../../core/vector/vectorArgs.js';
import { GeometricBrownianMotion, makePriceProcess } from '../../../market/index.js';
import { resolveOptions, type DriftVammOptions, type ResolvedOptions } from '../options.js';
import { UnsupportedVectorOptionError } from '../../../core/vector/errors.js';

const ID = 'drift-vamm-v0';

export interface DriftVammVectorOptions extends DriftVammOptions {
  /** Number of sub-envs, a positive integer. */
  numEnvs: number;
  /** Truncate each sub-env after this many steps (the scalar spec's TimeLimit, 1440); undefined: never. */
  maxEpisodeSteps?: number;
  /** Default 'next-step' (Gymnasium 1.x). */
  autoresetMode?: AutoresetMode;
  /**
   * Threads that step the sub-envs (EnvPool's `num_threads`): this one plus numThreads − 1 worker
   * threads, each stepping a contiguous block of sub-envs. Any value gives the same trajectories.
   * Default 1.
   */
  numThreads?: number;
}

export interface ResolvedVectorOptions {
  readonly scalar: ResolvedOptions;
  readonly numEnvs: number;
  /** Infinity when there is no limit. */
  readonly maxEpisodeSteps: number;
  readonly autoresetMode: AutoresetMode;
  /** 1: no worker threads. */
  readonly numThreads: number;
  readonly gbmDrift: number;
  readonly gbmVolatility: number;
}

/** What the kernel implements, named in the refusal messages. */
export const VECTOR_SUPPORT = Object.freeze({
  protocol: "'jan2022' (the default)",
  engine: "'float' (the default)",
  oracle: "{ kind: 'gbm', drift?, volatility } (the default kind)",
  implementation: "'auto' (the default; 'reference' is the scalar env's object path)",
});

/** More threads than this only adds barrier time on any machine we know of. */
export const MAX_THREADS = 64;

/** The first option of `scalar` the kernel does not implement, or null when it implements them all. */
export function kernelUnsupported(scalar: ResolvedOptions): { option: string; value: unknown; supported: string } | null {
  if (scalar.protocol !== 'jan2022') return { option: 'protocol', value: scalar.protocol, supported: VECTOR_SUPPORT.protocol };
  if (scalar.engine !== 'float') return { option: 'engine', value: scalar.engine, supported: VECTOR_SUPPORT.engine };
  if (scalar.implementation !== 'auto') return { option: 'implementation', value: scalar.implementation, supported: VECTOR_SUPPORT.implementation };
  // the process validates its own config (same MarketConfigError as the scalar env)
  if (!(makePriceProcess(scalar.oracle) instanceof GeometricBrownianMotion)) {
    return { option: 'oracle.kind', value: (scalar.oracle as { kind: unknown }).kind, supported: VECTOR_SUPPORT.oracle };
  }
  return null;
}

/** The kernel's options for `numEnvs` sub-envs of `scalar`; throws UnsupportedVectorOptionError for what it does not implement. */
export function kernelOptions(scalar: ResolvedOptions, numEnvs: number, maxEpisodeSteps: number, autoresetMode: AutoresetMode, numThreads = 1): ResolvedVectorOptions {
  const unsupported = kernelUnsupported(scalar);
  if (unsupported !== null) throw new UnsupportedVectorOptionError(ID, unsupported.option, unsupported.value, unsupported.supported);
  const process = makePriceProcess(scalar.oracle) as GeometricBrownianMotion;
  return { scalar, numEnvs, maxEpisodeSteps, autoresetMode, numThreads, gbmDrift: process.drift, gbmVolatility: process.volatility };
}

export function resolveVectorOptions(kwargs: Readonly<Record<string, unknown>>): ResolvedVectorOptions {
  const { numThreads, ...kwargsRest } = kwargs;
  const { vector, rest } = resolveVectorArgs(ID, kwargsRest);
  const { numEnvs } = vector;
  const threads = numThreads ?? 1;
  const maxThreads = Math.min(numEnvs, MAX_THREADS);
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > maxThreads) {
    throw new InvalidArgumentError(`drift-vamm-v0 vector env: numThreads must be an integer in [1, ${maxThreads}] (at most numEnvs and ${MAX_THREADS}), got ${describeValue(numThreads)}`);
  }
  return kernelOptions(resolveOptions(rest as DriftVammOptions), numEnvs, vector.maxEpisodeSteps, vector.autoresetMode, threads);
}
