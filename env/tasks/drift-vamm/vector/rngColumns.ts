/**
 * `Rng` (xoshiro128**, Box–Muller with a cached spare) with its state in the columns of
 * `DriftVammColumns`, for the draws outside the kernel's inlined hot path. Every algorithm is the
 * one in env/core/rng.ts, draw for draw, so a sub-env's stream equals a scalar env's `Rng` with the
 * same seed.
 */
import { logGamma, randomSeed, Rng, validateSeed } from '../../../core/rng.js';
import type { DriftVammColumns } from './columns.js';

const TWO_53 = 9007199254740992;

/** Starts sub-env `i`'s stream from `seed` (as `new Rng(seed)`); undefined draws a seed from OS entropy. */
export function seedColumns(cols: DriftVammColumns, i: number, seed: number | undefined, where: string): void {
  const used = seed === undefined ? randomSeed() : validateSeed(seed, where);
  const s = new Rng(used).getState().s;
  cols.rng0[i] = s[0];
  cols.rng1[i] = s[1];
  cols.rng2[i] = s[2];
  cols.rng3[i] = s[3];
  cols.hasSpare[i] = 0;
  cols.spare[i] = 0;
  cols.seeds[i] = used;
}

/** A cursor over one sub-env's stream: load, draw, store. */
export class ColumnRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private index = -1;

  constructor(private readonly cols: DriftVammColumns) {}

  load(i: number): this {
    const c = this.cols;
    this.index = i;
    this.s0 = c.rng0[i]!;
    this.s1 = c.rng1[i]!;
    this.s2 = c.rng2[i]!;
    this.s3 = c.rng3[i]!;
    return this;
  }

  store(): void {
    const c = this.cols;
    const i = this.index;
    c.rng0[i] = this.s0;
    c.rng1[i] = this.s1;
    c.rng2[i] = this.s2;
    c.rng3[i] = this.s3;
  }

  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  }

  /** `Rng.poisson` for λ ≥ 10: Hörmann's PTRS, the same constants and draws. */
  poissonPtrs(lam: number): number {
    const slam = Math.sqrt(lam);
    const loglam = Math.log(lam);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.random() - 0.5;
      const V = this.random();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logGamma(k + 1)) {
        return k;
      }
    }
  }
}
