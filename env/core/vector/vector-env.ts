/**
 * `VectorEnv`: a batch of `numEnvs` sub-envs stepped together (Gymnasium's
 * `gymnasium.vector.VectorEnv`). Observations are batched per `batchSpace`; rewards come back as a
 * Float64Array, terminations/truncations as Uint8Array (0/1, numpy's bool arrays), and infos as
 * per-key arrays with a `_key` Uint8Array mask saying which sub-envs reported that key.
 *
 * Two kinds of implementation plug in here: `SyncVectorEnv` loops over ordinary `Env` objects; a
 * native struct-of-arrays env (registered as the spec's `vectorEntryPoint`) steps all sub-envs in
 * one kernel and must follow the same autoreset contract (`metadata.autoresetMode`).
 */
import type { AnySpace } from '../spaces/space.js';
import type { EnvMetadata, RenderFrame, ResetOptions } from '../env.js';
import type { EnvSpec } from '../registration/spec.js';

/** Per-key arrays plus `_key` masks (see `addVectorInfo`). */
export type VectorInfo = Record<string, unknown>;

export type VectorResetResult<Obs> = [obs: Obs, infos: VectorInfo];

export type VectorStepResult<Obs> = [
  obs: Obs,
  rewards: Float64Array,
  terminations: Uint8Array,
  truncations: Uint8Array,
  infos: VectorInfo,
];

export interface VectorResetOptions extends ResetOptions {
  /** Reset only the sub-envs where the mask is true (required in `disabled` autoreset mode). */
  resetMask?: ArrayLike<boolean | number>;
}

export interface VectorResetArgs {
  /** An int seeds sub-env i with `seed + i`; an array gives one seed (or undefined) per sub-env. */
  seed?: number | readonly (number | undefined | null)[];
  options?: VectorResetOptions;
}

export abstract class VectorEnv<Obs, Act> {
  abstract readonly numEnvs: number;
  abstract readonly singleObservationSpace: AnySpace;
  abstract readonly singleActionSpace: AnySpace;
  /** Batched spaces (see `batchSpace`). */
  abstract readonly observationSpace: AnySpace;
  abstract readonly actionSpace: AnySpace;
  /** Must include `autoresetMode`. */
  abstract readonly metadata: EnvMetadata;

  renderMode: string | null = null;
  spec: EnvSpec | null = null;
  closed = false;

  abstract reset(args?: VectorResetArgs): VectorResetResult<Obs>;
  abstract step(actions: Act): VectorStepResult<Obs>;

  render(): readonly (RenderFrame | RenderFrame[] | null)[] | null {
    return null;
  }

  /** Closes the sub-envs once; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closeExtras();
    this.closed = true;
  }

  protected closeExtras(): void {}

  get unwrapped(): VectorEnv<unknown, unknown> {
    return this as VectorEnv<unknown, unknown>;
  }

  toString(): string {
    return this.spec === null
      ? `${this.constructor.name}(num_envs=${this.numEnvs})`
      : `${this.constructor.name}(${this.spec.id}, num_envs=${this.numEnvs})`;
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** `_key` for each info key, built once: a fresh concatenation per key, sub-env and step cost more than the merge itself. */
const MASK_KEYS = new Map<string, string>();
function maskKeyOf(key: string): string {
  let mask = MASK_KEYS.get(key);
  if (mask === undefined) {
    mask = `_${key}`;
    if (MASK_KEYS.size < 10_000) MASK_KEYS.set(key, mask);
  }
  return mask;
}

/**
 * Gymnasium's `VectorEnv._add_info`: merges sub-env `index`'s info into the batched infos.
 * Numbers go into a Float64Array, booleans into a Uint8Array, nested plain objects recurse, and
 * anything else (strings, arrays, typed arrays, `final_obs`) into an array with null for sub-envs
 * that did not report it. Each key gets a `_key` Uint8Array mask.
 */
export function addVectorInfo(infos: VectorInfo, info: Record<string, unknown>, index: number, numEnvs: number): VectorInfo {
  for (const key in info) {
    if (!Object.hasOwn(info, key)) continue;
    const value = info[key];
    let container: unknown = infos[key];
    if (key !== 'final_obs' && isPlainObject(value)) {
      container = addVectorInfo(isPlainObject(container) ? container : {}, value, index, numEnvs);
    } else {
      if (container === undefined) {
        if (key !== 'final_obs' && typeof value === 'number') container = new Float64Array(numEnvs);
        else if (key !== 'final_obs' && typeof value === 'boolean') container = new Uint8Array(numEnvs);
        else container = new Array<unknown>(numEnvs).fill(null);
      }
      const numeric = container instanceof Float64Array && typeof value === 'number';
      const flag = container instanceof Uint8Array && typeof value === 'boolean';
      if (ArrayBuffer.isView(container) && !numeric && !flag) {
        // A key whose type changed across sub-envs: fall back to a plain array.
        const mask = infos[`_${key}`] as Uint8Array | undefined;
        const typed = container as unknown as ArrayLike<number>;
        const wasBool = container instanceof Uint8Array;
        container = Array.from({ length: numEnvs }, (_, i) => (mask?.[i] ? (wasBool ? typed[i] === 1 : typed[i]) : null));
      }
      if (flag) (container as Uint8Array)[index] = value ? 1 : 0;
      else (container as unknown[] | Float64Array)[index] = value as number;
    }
    const maskKey = maskKeyOf(key);
    let mask = infos[maskKey] as Uint8Array | undefined;
    if (!(mask instanceof Uint8Array)) mask = new Uint8Array(numEnvs);
    mask[index] = 1;
    infos[key] = container;
    infos[maskKey] = mask;
  }
  return infos;
}
