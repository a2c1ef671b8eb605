/**
 * What every struct-of-arrays (native) vector env does the same way around its kernel: reading
 * Gymnasium's reset arguments (a seed or one seed per sub-env, `options.resetMask`), seeding a
 * sub-env's stream row, and exposing same-step `final_obs` as views into the kernel's buffer.
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import type { VectorResetArgs } from './vector-env.js';
import { seedColumns, type RngColumns } from './rngColumns.js';

/** One seed per sub-env (`seed + i` for a number), or null when none was given. */
export function resolveVectorSeeds(seed: VectorResetArgs['seed'], n: number, envId: string): readonly (number | undefined | null)[] | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0 || !Number.isSafeInteger(seed + n - 1)) {
      throw new InvalidArgumentError(`${envId} vector env reset: seed must be a non-negative integer with seed + numEnvs − 1 a safe integer, got ${describeValue(seed)}`);
    }
    return Array.from({ length: n }, (_, i) => seed + i);
  }
  if (!Array.isArray(seed) || seed.length !== n) {
    throw new InvalidArgumentError(`${envId} vector env reset: seeds given as an array must have length numEnvs=${n}, got ${describeValue(seed)}`);
  }
  return seed;
}

/** Writes which sub-envs reset into `mask` (all when `raw` is undefined); `raw` must hold booleans or 0/1, at least one true. */
export function resolveResetMask(raw: unknown, mask: Uint8Array, envId: string): void {
  const n = mask.length;
  if (raw === undefined) {
    mask.fill(1);
    return;
  }
  if (raw === null || typeof raw !== 'object' || (raw as ArrayLike<unknown>).length !== n) {
    throw new InvalidArgumentError(`${envId} vector env reset: options.resetMask must have length ${n}, got ${describeValue(raw)}`);
  }
  let any = false;
  for (let i = 0; i < n; i++) {
    const v = (raw as ArrayLike<unknown>)[i];
    if (v !== true && v !== false && v !== 1 && v !== 0) {
      throw new InvalidArgumentError(`${envId} vector env reset: options.resetMask[${i}] must be a boolean (or 0/1), got ${describeValue(v)}`);
    }
    mask[i] = v === true || v === 1 ? 1 : 0;
    any ||= mask[i] === 1;
  }
  if (!any) throw new InvalidArgumentError(`${envId} vector env reset: options.resetMask must contain at least one true value`);
}

/** Gymnasium's reset seeding of row i: a seed reseeds; no seed continues the stream (or starts one from OS entropy). */
export function reseedRow(cols: RngColumns, i: number, seed: number | undefined | null, envId: string): void {
  if (seed !== undefined && seed !== null) seedColumns(cols, i, seed, `${envId} vector env reset seed[${i}]`);
  else if (cols.seeds[i]! < 0) seedColumns(cols, i, undefined, `${envId} vector env reset seed[${i}]`);
}

/** Same-step `final_obs`: a view of sub-env i's row of `finals` where `finalMask[i]` is set, else null (views made once, kept in `views`). */
export function fillFinalObservations(list: (Float32Array | null)[], views: (Float32Array | null)[], finals: Float32Array, finalMask: Uint8Array, size: number): void {
  for (let i = 0; i < finalMask.length; i++) {
    if (finalMask[i] === 0) {
      list[i] = null;
      continue;
    }
    let view = views[i];
    if (view === null || view === undefined) {
      view = finals.subarray(i * size, (i + 1) * size);
      views[i] = view;
    }
    list[i] = view;
  }
}
