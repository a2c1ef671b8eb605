/**
 * `Space`, Gymnasium's `gymnasium.spaces.Space`: a set with `sample`, `contains`, `seed` and a JSON
 * form of its definition. The RNG is created lazily on first `sample` (seeding costs a hash).
 */
import { Rng, npRandom } from '../rng.js';
import { SpaceError } from '../errors.js';
import type { DType } from './dtype.js';
import type { SpaceJSON } from './json-types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Optional sampling constraints; Gymnasium forbids giving both at once. */
export interface SampleOptions<M> {
  mask?: M | null;
  probability?: M | null;
}

/** What `seed` accepts: an int, or for composite spaces per-subspace seeds. */
export type SpaceSeed = number | readonly SpaceSeed[] | { readonly [key: string]: SpaceSeed };

/** What `seed` returns: the seed(s) actually used. */
export type SeedResult = number | SeedResult[] | { [key: string]: SeedResult };

export abstract class Space<T, M = unknown> {
  protected rng: Rng | null = null;

  constructor(
    /** Shape of array-valued elements; `[]` for scalars; null for Tuple/Dict. */
    readonly shape: readonly number[] | null,
    dtype: DType | null,
  ) {
    this.elementDType = dtype;
  }

  /**
   * Element dtype of array-valued spaces (Discrete reports 'int32'); null for Tuple/Dict. Every
   * subclass also exposes it, precisely typed, as `dtype`; `dtype` is not declared on this base
   * class so that `new Box(…)` without a dtype still infers Box<'float32'> where an `AnySpace` is
   * expected (TypeScript would otherwise infer the dtype from the base property's type).
   */
  readonly elementDType: DType | null;

  /** The space's RNG, seeded from OS entropy on first use. */
  get npRandom(): Rng {
    // Not this.seed(): on Tuple/Dict that would reseed every subspace from OS entropy.
    if (this.rng === null) this.rng = npRandom()[0];
    return this.rng;
  }

  set npRandom(rng: Rng) {
    this.rng = rng;
  }

  /**
   * Seeds this space's RNG (and, for composite spaces, derives the subspaces' seeds from it).
   * Returns the seed(s) used, so an unseeded call tells you how to reproduce it.
   */
  seed(seed?: SpaceSeed): SeedResult {
    if (seed !== undefined && typeof seed !== 'number') {
      throw new SpaceError(`${this.toString()}.seed: expected an integer seed, got ${JSON.stringify(seed)}`);
    }
    const [rng, used] = npRandom(seed);
    this.rng = rng;
    return used;
  }

  /** A random element; `mask`/`probability` where the space supports them. */
  abstract sample(options?: SampleOptions<M>): T;

  /** True when `x` is an element of this space (Gymnasium's `x in space`). */
  abstract contains(x: unknown): boolean;

  /** Structural equality of the space definitions (not of their RNGs). */
  abstract equals(other: unknown): boolean;

  /** Gymnasium's repr, e.g. `Discrete(2)` or `Box(-1.0, 1.0, (2,), float32)`. */
  abstract toString(): string;

  /** The space definition as JSON; `spaceFromJSON` rebuilds it. */
  abstract toJSON(): SpaceJSON;

  /** True when `flatten` maps elements to a single flat typed array. */
  abstract get isFlattenable(): boolean;

  /** Batch of samples → JSON-compatible value (Gymnasium's `to_jsonable`). */
  abstract toJsonable(samples: readonly T[]): Json;

  /** Inverse of `toJsonable`. */
  abstract fromJsonable(json: Json): T[];

  protected checkSampleOptions(options: SampleOptions<M> | undefined): void {
    if (options && options.mask != null && options.probability != null) {
      throw new SpaceError(
        `${this.toString()}.sample: only one of mask or probability can be given, got both`,
      );
    }
  }
}

/** Any space, whatever its element type. */
export type AnySpace = Space<unknown, unknown>;

/** The element type of a space. */
export type SampleOf<S> = S extends Space<infer T, infer _M> ? T : never;
