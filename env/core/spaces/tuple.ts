/** `Tuple([s1, s2, …])`: the cartesian product of spaces; elements are JS arrays. */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type AnySpace, type Json, type SampleOf, type SampleOptions, type SeedResult, type SpaceSeed } from './space.js';
import type { TupleJSON } from './json-types.js';

export type TupleSample<S extends readonly AnySpace[]> = { -readonly [K in keyof S]: SampleOf<S[K]> };

/** One optional mask per subspace (null/undefined leaves that subspace unmasked). */
export type TupleMask = readonly unknown[];

const INT32_MAX = 2147483647;

export class Tuple<S extends readonly AnySpace[] = readonly AnySpace[]> extends Space<TupleSample<S>, TupleMask> {
  readonly spaces: S;
  /** Composite spaces have no element dtype (Gymnasium: None). */
  readonly dtype = null;

  constructor(spaces: readonly [...S], seed?: SpaceSeed) {
    super(null, null);
    if (!Array.isArray(spaces)) throw new SpaceError(`Tuple: expected an array of spaces, got ${describeValue(spaces)}`);
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new SpaceError(`Tuple: element ${i} is not a Space: ${describeValue(s)}`);
    });
    this.spaces = [...spaces] as unknown as S;
    if (seed !== undefined) this.seed(seed);
  }

  get length(): number {
    return this.spaces.length;
  }

  get isFlattenable(): boolean {
    return this.spaces.every((s) => s.isFlattenable);
  }

  /**
   * undefined: every subspace gets fresh entropy; an int seeds this space's RNG, which draws one
   * seed in [0, 2^31 − 1) per subspace (as Gymnasium); an array gives each subspace its seed.
   */
  override seed(seed?: SpaceSeed): SeedResult[] {
    if (seed === undefined) return this.spaces.map((s) => s.seed());
    if (typeof seed === 'number') {
      super.seed(seed);
      const rng = this.npRandom;
      const subseeds = this.spaces.map(() => rng.integers(0, INT32_MAX));
      return this.spaces.map((s, i) => s.seed(subseeds[i]));
    }
    if (Array.isArray(seed)) {
      if (seed.length !== this.spaces.length) {
        throw new SpaceError(`${this}.seed: expected ${this.spaces.length} seeds, got ${seed.length}`);
      }
      return this.spaces.map((s, i) => s.seed(seed[i] as SpaceSeed));
    }
    throw new SpaceError(`${this}.seed: expected an int, an array of seeds or undefined, got ${describeValue(seed)}`);
  }

  sample(options?: SampleOptions<TupleMask>): TupleSample<S> {
    this.checkSampleOptions(options);
    const key = options?.mask != null ? 'mask' : options?.probability != null ? 'probability' : null;
    if (key === null) return this.spaces.map((s) => s.sample()) as TupleSample<S>;
    const masks = options![key]!;
    if (!Array.isArray(masks) || masks.length !== this.spaces.length) {
      throw new SpaceError(`${this}.sample: ${key} must be an array of ${this.spaces.length} entries, got ${describeValue(masks)}`);
    }
    return this.spaces.map((s, i) => s.sample({ [key]: masks[i] })) as TupleSample<S>;
  }

  contains(x: unknown): boolean {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Tuple &&
      other.spaces.length === this.spaces.length &&
      this.spaces.every((s, i) => s.equals(other.spaces[i]))
    );
  }

  toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(', ')})`;
  }

  toJSON(): TupleJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  /** One jsonable batch per subspace (Gymnasium's layout). */
  toJsonable(samples: readonly TupleSample<S>[]): Json {
    return this.spaces.map((s, i) => s.toJsonable(samples.map((x) => (x as unknown[])[i])));
  }

  fromJsonable(json: Json): TupleSample<S>[] {
    if (!Array.isArray(json) || json.length !== this.spaces.length) {
      throw new SpaceError(`${this}.fromJsonable: expected ${this.spaces.length} per-subspace batches, got ${describeValue(json)}`);
    }
    const parts = this.spaces.map((s, i) => s.fromJsonable(json[i]!));
    const n = parts[0]?.length ?? 0;
    if (!parts.every((p) => p.length === n)) throw new SpaceError(`${this}.fromJsonable: subspace batches differ in length`);
    return Array.from({ length: n }, (_, k) => parts.map((p) => p[k]) as TupleSample<S>);
  }
}
