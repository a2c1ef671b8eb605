/**
 * The arguments every native vector env takes besides its scalar env's options (`numEnvs`,
 * `maxEpisodeSteps`, `autoresetMode`), checked the same way for all of them.
 */
import { describeValue, InvalidArgumentError } from '../errors.js';
import { AutoresetMode, AUTORESET_MODES, isAutoresetMode } from './autoreset-mode.js';

export const MAX_VECTOR_ENVS = 1 << 24;

export interface VectorArgs {
  readonly numEnvs: number;
  /** Infinity when there is no limit. */
  readonly maxEpisodeSteps: number;
  readonly autoresetMode: AutoresetMode;
}

/** Splits `kwargs` into the checked vector arguments and the rest (the scalar env's options, for its own resolver). */
export function resolveVectorArgs(envId: string, kwargs: Readonly<Record<string, unknown>>): { vector: VectorArgs; rest: Record<string, unknown> } {
  const { numEnvs, maxEpisodeSteps, autoresetMode, ...rest } = kwargs;
  if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1 || numEnvs > MAX_VECTOR_ENVS) {
    throw new InvalidArgumentError(`${envId} vector env: numEnvs must be an integer in [1, ${MAX_VECTOR_ENVS}], got ${describeValue(numEnvs)}`);
  }
  if (maxEpisodeSteps !== undefined && (typeof maxEpisodeSteps !== 'number' || !Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)) {
    throw new InvalidArgumentError(`${envId} vector env: maxEpisodeSteps must be a positive integer (or absent for no limit), got ${describeValue(maxEpisodeSteps)}`);
  }
  const mode = autoresetMode ?? AutoresetMode.NEXT_STEP;
  if (!isAutoresetMode(mode)) {
    throw new InvalidArgumentError(`${envId} vector env: autoresetMode must be one of ${AUTORESET_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(mode)}`);
  }
  return { vector: { numEnvs, maxEpisodeSteps: maxEpisodeSteps ?? Infinity, autoresetMode: mode }, rest };
}
