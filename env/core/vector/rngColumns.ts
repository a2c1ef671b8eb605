/**
 * For kernels whose xoshiro128** streams live in typed-array columns (one row per sub-env): seeding
 * a row as `new Rng(seed)` would, and the draws a kernel does not inline, run by `Rng` itself on
 * the row's stream, so every draw is a scalar env's draw.
 */
import { randomSeed, Rng, validateSeed, type StreamColumns } from '../rng.js';

/** The stream columns plus the seed each row was started from (−1: never seeded). */
export interface RngColumns extends StreamColumns {
  readonly seeds: Float64Array;
}

/** Starts row `i`'s stream from `seed` (as `new Rng(seed)`); undefined draws a seed from OS entropy. */
export function seedColumns(cols: RngColumns, i: number, seed: number | undefined, where: string): void {
  const used = seed === undefined ? randomSeed() : validateSeed(seed, where);
  new Rng(used).streamTo(cols, i);
  cols.seeds[i] = used;
}

/** `Rng`'s rarer draws on a row's stream (advancing it), through one scratch generator. */
export class ColumnDraws {
  private readonly rng = new Rng(0);

  /** `Rng.poisson(lam)` on row `i`. */
  poisson(cols: StreamColumns, i: number, lam: number): number {
    const rng = this.rng;
    rng.streamFrom(cols, i);
    const k = rng.poisson(lam);
    rng.streamTo(cols, i);
    return k;
  }

  /** `Rng.standardNormal()` on row `i` (the row's cached spare included). */
  standardNormal(cols: StreamColumns, i: number): number {
    const rng = this.rng;
    rng.streamFrom(cols, i);
    const z = rng.standardNormal();
    rng.streamTo(cols, i);
    return z;
  }
}
