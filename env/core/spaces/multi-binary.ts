/** `MultiBinary(n)`: 0/1 arrays of a fixed shape (`n` a length or a shape); elements are Int8Array. */
import { SpaceError, describeValue } from '../errors.js';
import { Space, type Json, type SampleOptions } from './space.js';
import { shapeRepr } from './dtype.js';
import { flattenNested, nestFlat, shapeSize, shapesEqual } from './shape.js';
import type { MultiBinaryJSON } from './json-types.js';

/** mask: per element 0 (force 0), 1 (force 1) or 2 (random); probability: P(element = 1). */
export type MultiBinaryMask = ArrayLike<number>;

export class MultiBinary extends Space<Int8Array, MultiBinaryMask> {
  declare readonly shape: readonly number[];
  readonly dtype = 'int8' as const;
  readonly n: number | readonly number[];
  readonly size: number;

  constructor(n: number | readonly number[], seed?: number) {
    const shape = typeof n === 'number' ? [n] : [...n];
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new SpaceError(`MultiBinary: n (counts) must be positive integers, got ${describeValue(n)}`);
    }
    super(shape, 'int8');
    this.n = typeof n === 'number' ? n : shape;
    this.size = shapeSize(shape);
    if (seed !== undefined) this.seed(seed);
  }

  get isFlattenable(): boolean {
    return true;
  }

  sample(options?: SampleOptions<MultiBinaryMask>): Int8Array {
    this.checkSampleOptions(options);
    const rng = this.npRandom;
    const out = new Int8Array(this.size);
    const mask = options?.mask;
    const probability = options?.probability;
    if (mask != null) {
      if (mask.length !== this.size) throw new SpaceError(`${this}.sample: mask must have ${this.size} elements, got ${mask.length}`);
      for (let i = 0; i < this.size; i++) {
        const m = mask[i];
        if (m === 2) out[i] = rng.integers(0, 2);
        else if (m === 0 || m === 1) out[i] = m;
        else throw new SpaceError(`${this}.sample: mask values must be 0, 1 or 2, got ${describeValue(m)} at index ${i}`);
      }
      return out;
    }
    if (probability != null) {
      if (probability.length !== this.size) throw new SpaceError(`${this}.sample: probability must have ${this.size} elements, got ${probability.length}`);
      for (let i = 0; i < this.size; i++) {
        const p = probability[i]!;
        if (!(p >= 0 && p <= 1)) throw new SpaceError(`${this}.sample: probability values must be in [0, 1], got ${describeValue(p)} at index ${i}`);
        // Strict `<` so p = 0 can never give 1 (Gymnasium uses `<=`, which can at random() = 0).
        out[i] = rng.random() < p ? 1 : 0;
      }
      return out;
    }
    for (let i = 0; i < this.size; i++) out[i] = rng.integers(0, 2);
    return out;
  }

  contains(x: unknown): boolean {
    const flat = flattenNested(x);
    if (flat === null || typeof x === 'number') return false;
    if (!shapesEqual(flat.shape, this.shape) && !(flat.shape.length === 1 && flat.values.length === this.size)) return false;
    return flat.values.every((v) => v === 0 || v === 1);
  }

  equals(other: unknown): boolean {
    return other instanceof MultiBinary && shapesEqual(other.shape, this.shape);
  }

  toString(): string {
    return `MultiBinary(${typeof this.n === 'number' ? this.n : shapeRepr(this.shape)})`;
  }

  toJSON(): MultiBinaryJSON {
    return { type: 'MultiBinary', shape: [...this.shape] };
  }

  toJsonable(samples: readonly Int8Array[]): Json {
    return samples.map((s) => nestFlat(s, this.shape) as Json);
  }

  fromJsonable(json: Json): Int8Array[] {
    if (!Array.isArray(json)) throw new SpaceError(`${this}.fromJsonable: expected an array of samples, got ${describeValue(json)}`);
    return json.map((item, k) => {
      const flat = flattenNested(item);
      if (flat === null || flat.values.length !== this.size) {
        throw new SpaceError(`${this}.fromJsonable: sample ${k} is not ${this.size} bits: ${describeValue(item)}`);
      }
      return Int8Array.from(flat.values);
    });
  }
}
