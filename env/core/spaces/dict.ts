/**
 * `Dict({key: space, …})`: elements are plain objects with exactly these keys. As in Gymnasium, a
 * plain-object argument is stored with its keys sorted; `Dict.fromEntries` keeps the given order
 * (Gymnasium's OrderedDict / list-of-pairs input). Key order fixes the `flatten` layout.
 */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type AnySpace, type Json, type SampleOf, type SampleOptions, type SeedResult, type SpaceSeed } from './space.js';
import type { DictJSON } from './json-types.js';

export type DictSample<S extends Record<string, AnySpace>> = { [K in keyof S]: SampleOf<S[K]> };

/** Optional mask per key. */
export type DictMask = { readonly [key: string]: unknown };

const INT32_MAX = 2147483647;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

export class Dict<S extends Record<string, AnySpace> = Record<string, AnySpace>> extends Space<DictSample<S>, DictMask> {
  readonly spaces: S;
  /** Composite spaces have no element dtype (Gymnasium: None). */
  readonly dtype = null;
  /** Keys in layout order. */
  readonly keys: readonly (keyof S & string)[];

  /**
   * `order` lists the keys in layout order (all of them); without it the keys are sorted, as
   * Gymnasium does for a plain dict.
   */
  constructor(spaces: S, seed?: SpaceSeed, order?: readonly string[]) {
    super(null, null);
    if (!isPlainObject(spaces)) throw new SpaceError(`Dict: expected an object of spaces, got ${describeValue(spaces)}`);
    const keys = order ? [...order] : Object.keys(spaces).sort();
    if (order && (new Set(order).size !== order.length || order.length !== Object.keys(spaces).length)) {
      throw new SpaceError(`Dict: key order [${order.join(', ')}] must list each of [${Object.keys(spaces).join(', ')}] once`);
    }
    for (const k of keys) {
      if (!(spaces[k] instanceof Space)) throw new SpaceError(`Dict: key '${k}' is not a Space: ${describeValue(spaces[k])}`);
    }
    this.keys = keys;
    this.spaces = spaces;
    if (seed !== undefined) this.seed(seed);
  }

  /** Builds a Dict whose key order is the order of `entries` (not sorted). */
  static fromEntries(entries: readonly (readonly [string, AnySpace])[], seed?: SpaceSeed): Dict {
    const spaces: Record<string, AnySpace> = {};
    for (const [k, s] of entries) {
      if (typeof k !== 'string') throw new SpaceError(`Dict.fromEntries: keys must be strings, got ${describeValue(k)}`);
      if (Object.prototype.hasOwnProperty.call(spaces, k)) throw new SpaceError(`Dict.fromEntries: duplicate key '${k}'`);
      spaces[k] = s;
    }
    return new Dict(spaces, seed, entries.map(([k]) => k));
  }

  get isFlattenable(): boolean {
    return this.keys.every((k) => this.spaces[k]!.isFlattenable);
  }

  /** undefined: fresh entropy per subspace; an int derives one seed per key; an object seeds per key. */
  override seed(seed?: SpaceSeed): { [key: string]: SeedResult } {
    const out: { [key: string]: SeedResult } = {};
    if (seed === undefined) {
      for (const k of this.keys) out[k] = this.spaces[k]!.seed();
      return out;
    }
    if (typeof seed === 'number') {
      super.seed(seed);
      const rng = this.npRandom;
      const subseeds = this.keys.map(() => rng.integers(0, INT32_MAX));
      this.keys.forEach((k, i) => (out[k] = this.spaces[k]!.seed(subseeds[i])));
      return out;
    }
    if (isPlainObject(seed)) {
      const given = Object.keys(seed).sort().join(',');
      if (given !== [...this.keys].sort().join(',')) {
        throw new SpaceError(`${this}.seed: seed keys [${Object.keys(seed).join(', ')}] are not the space keys [${this.keys.join(', ')}]`);
      }
      for (const k of this.keys) out[k] = this.spaces[k]!.seed(seed[k] as SpaceSeed);
      return out;
    }
    throw new SpaceError(`${this}.seed: expected an int, an object of seeds or undefined, got ${describeValue(seed)}`);
  }

  sample(options?: SampleOptions<DictMask>): DictSample<S> {
    this.checkSampleOptions(options);
    const key = options?.mask != null ? 'mask' : options?.probability != null ? 'probability' : null;
    const out: Record<string, unknown> = {};
    if (key === null) {
      for (const k of this.keys) out[k] = this.spaces[k]!.sample();
      return out as DictSample<S>;
    }
    const masks = options![key]!;
    if (!isPlainObject(masks) || Object.keys(masks).sort().join(',') !== [...this.keys].sort().join(',')) {
      throw new SpaceError(`${this}.sample: ${key} must be an object with keys [${this.keys.join(', ')}], got ${describeValue(masks)}`);
    }
    for (const k of this.keys) out[k] = this.spaces[k]!.sample({ [key]: masks[k] });
    return out as DictSample<S>;
  }

  contains(x: unknown): boolean {
    if (!isPlainObject(x)) return false;
    const xk = Object.keys(x);
    if (xk.length !== this.keys.length) return false;
    return this.keys.every((k) => Object.prototype.hasOwnProperty.call(x, k) && this.spaces[k]!.contains(x[k]));
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Dict &&
      other.keys.length === this.keys.length &&
      this.keys.every((k, i) => other.keys[i] === k && this.spaces[k]!.equals(other.spaces[k]))
    );
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${this.spaces[k]!.toString()}`).join(', ')})`;
  }

  toJSON(): DictJSON {
    return { type: 'Dict', spaces: this.keys.map((k) => [k, this.spaces[k]!.toJSON()]) };
  }

  /** One jsonable batch per key (Gymnasium's layout). */
  toJsonable(samples: readonly DictSample<S>[]): Json {
    const out: { [key: string]: Json } = {};
    for (const k of this.keys) out[k] = this.spaces[k]!.toJsonable(samples.map((s) => s[k]));
    return out;
  }

  fromJsonable(json: Json): DictSample<S>[] {
    if (!isPlainObject(json)) throw new SpaceError(`${this}.fromJsonable: expected an object of per-key batches, got ${describeValue(json)}`);
    const parts: Record<string, unknown[]> = {};
    let n = -1;
    for (const k of this.keys) {
      if (!(k in json)) throw new SpaceError(`${this}.fromJsonable: missing key '${k}'`);
      parts[k] = this.spaces[k]!.fromJsonable(json[k] as Json);
      if (n >= 0 && parts[k]!.length !== n) throw new SpaceError(`${this}.fromJsonable: per-key batches differ in length`);
      n = parts[k]!.length;
    }
    return Array.from({ length: Math.max(n, 0) }, (_, i) => {
      const s: Record<string, unknown> = {};
      for (const k of this.keys) s[k] = parts[k]![i];
      return s as DictSample<S>;
    });
  }
}
