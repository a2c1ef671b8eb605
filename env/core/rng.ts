/**
 * Seeded, splittable random numbers: the one source of randomness in damm-gym.
 *
 * - Seeds are hashed with numpy's `SeedSequence` algorithm (bit-identical `generateState` output,
 *   tested against numpy), so small, consecutive seeds (0, 1, 2, …, the vector env's `seed + i`)
 *   still give unrelated streams, and `spawn()` derives independent child streams by spawn key,
 *   without consuming draws from the parent.
 * - The bit generator is xoshiro128** (Blackman & Vigna): four 32-bit words of state, period
 *   2^128 − 1, pure 32-bit integer arithmetic (fast in JS, no BigInt), good statistical quality.
 *   It is NOT numpy's PCG64, so streams differ from Gymnasium's for the same seed.
 * - `getState()`/`setState()` save and restore everything that affects future draws (the four words,
 *   the cached second Box–Muller normal and the seed sequence's spawn counter) as plain JSON.
 * - `seed === undefined` draws entropy from `crypto.getRandomValues`, never from the unseedable JS global PRNG.
 */
import { getRandomValues } from 'node:crypto';
import { InvalidRngStateError, InvalidSeedError, DammGymError, describeValue } from './errors.js';

// numpy/random/bit_generator.pyx constants.
const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** Checks Gymnasium's seed rule (non-negative integer), extended to JS: a safe integer. */
export function validateSeed(seed: unknown, where = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new InvalidSeedError(
      `${where} must be a non-negative integer, got ${describeValue(seed)} (${typeof seed})`,
    );
  }
  if (seed < 0 || !Number.isSafeInteger(seed)) {
    throw new InvalidSeedError(
      `${where} must be a non-negative safe integer in [0, 2^53 - 1], got ${seed}`,
    );
  }
  return seed;
}

/** A fresh 53-bit seed from the OS entropy source. */
export function randomSeed(): number {
  const words = getRandomValues(new Uint32Array(2));
  return (words[0]! & 0x1fffff) * TWO_32 + words[1]!;
}

/** Splits a non-negative safe integer into little-endian 32-bit words (0 → [0]), like numpy. */
function toUint32Words(value: number): number[] {
  const words: number[] = [];
  let v = value;
  do {
    words.push(v % TWO_32 >>> 0);
    v = Math.floor(v / TWO_32);
  } while (v > 0);
  return words;
}

function hashmix(value: number, hashConst: { v: number }): number {
  value = (value ^ hashConst.v) >>> 0;
  hashConst.v = Math.imul(hashConst.v, MULT_A) >>> 0;
  value = Math.imul(value, hashConst.v) >>> 0;
  return (value ^ (value >>> XSHIFT)) >>> 0;
}

function mix(x: number, y: number): number {
  const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (r ^ (r >>> XSHIFT)) >>> 0;
}

/**
 * numpy's `SeedSequence`: hashes (entropy, spawnKey) into a 4-word pool and expands it into any
 * number of well-mixed 32-bit words. Entropy is a non-negative safe integer here.
 */
export class SeedSequence {
  readonly entropy: number;
  readonly spawnKey: readonly number[];
  private readonly pool: Uint32Array;
  /** How many children `spawn` has produced; part of the saved RNG state. */
  nChildrenSpawned: number;

  constructor(entropy?: number, spawnKey: readonly number[] = [], nChildrenSpawned = 0) {
    this.entropy = entropy === undefined ? randomSeed() : validateSeed(entropy, 'SeedSequence entropy');
    for (const k of spawnKey) validateSeed(k, 'SeedSequence spawn key');
    this.spawnKey = [...spawnKey];
    this.nChildrenSpawned = nChildrenSpawned;
    this.pool = new Uint32Array(POOL_SIZE);
    this.mixEntropy();
  }

  private mixEntropy(): void {
    const run = toUint32Words(this.entropy);
    const spawn = this.spawnKey.flatMap(toUint32Words);
    if (spawn.length > 0) while (run.length < POOL_SIZE) run.push(0);
    const entropy = run.concat(spawn);
    const hc = { v: INIT_A };
    const pool = this.pool;
    for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i]! : 0, hc);
    for (let src = 0; src < POOL_SIZE; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!, hc));
      }
    }
    for (let src = POOL_SIZE; src < entropy.length; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!, hc));
    }
  }

  /** `n` 32-bit words derived from the pool (numpy's `generate_state(n, np.uint32)`). */
  generateState(n: number): Uint32Array {
    const out = new Uint32Array(n);
    let hc = INIT_B;
    for (let i = 0; i < n; i++) {
      let v = (this.pool[i % POOL_SIZE]! ^ hc) >>> 0;
      hc = Math.imul(hc, MULT_B) >>> 0;
      v = Math.imul(v, hc) >>> 0;
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return out;
  }

  /** `n` child sequences with spawn keys `[...spawnKey, k]`, k continuing from earlier spawns. */
  spawn(n: number): SeedSequence[] {
    const children: SeedSequence[] = [];
    for (let i = 0; i < n; i++) {
      children.push(new SeedSequence(this.entropy, [...this.spawnKey, this.nChildrenSpawned + i]));
    }
    this.nChildrenSpawned += n;
    return children;
  }
}

/** Everything needed to continue a stream bit for bit; JSON-serialisable. */
/** Where a kernel keeps xoshiro128** streams and their cached normals, one row per stream. */
export interface StreamColumns {
  readonly rng0: Int32Array;
  readonly rng1: Int32Array;
  readonly rng2: Int32Array;
  readonly rng3: Int32Array;
  readonly spare: Float64Array;
  readonly hasSpare: Uint8Array;
}

export interface RngState {
  readonly algorithm: 'xoshiro128**';
  /** The four xoshiro128** state words, each an unsigned 32-bit integer. */
  readonly s: readonly [number, number, number, number];
  /** Second normal of the last Box–Muller pair, not yet returned. */
  readonly spareNormal: number | null;
  readonly seedSequence: {
    readonly entropy: number;
    readonly spawnKey: readonly number[];
    readonly nChildrenSpawned: number;
  };
}

/** Natural log of the gamma function for x > 0 (numpy's `random_loggam`), used by Poisson PTRS. */
export function logGamma(x: number): number {
  const a = [
    8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4,
    8.417508417508418e-4, -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2,
    1.796443723688307e-1, -1.3924322169059,
  ];
  if (x === 1 || x === 2) return 0;
  const n = x < 7 ? Math.trunc(7 - x) : 0;
  let x0 = x + n;
  const x2 = 1 / (x0 * x0);
  let gl0 = a[9]!;
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + a[k]!;
  let gl = gl0 / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= n; k++) {
    gl -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return gl;
}

function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new DammGymError(`Rng.${name}: parameters must be finite numbers, got ${describeValue(value)}`);
  }
}

/**
 * The generator. Methods mirror `numpy.random.Generator` where a name exists there
 * (`random`, `uniform`, `integers`, `normal`, `exponential`, `poisson`, `lognormal`).
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seq: SeedSequence;

  /** `seed` undefined: fresh OS entropy. A `SeedSequence` is used as is (for spawned children). */
  constructor(seed?: number | SeedSequence) {
    this.seq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    const w = this.seq.generateState(4);
    this.s0 = w[0]!;
    this.s1 = w[1]!;
    this.s2 = w[2]!;
    this.s3 = w[3]!;
    // The all-zero state is the one fixed point of xoshiro; the hash practically never yields it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The seed sequence this stream was built from (its entropy is the seed). */
  get seedSequence(): SeedSequence {
    return this.seq;
  }

  /** The seed this stream was built from (the root entropy for spawned children). */
  get seed(): number {
    return this.seq.entropy;
  }

  /** Next unsigned 32-bit output of xoshiro128**. */
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

  /** Uniform float64 in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  }

  /** Uniform float64 in [low, high) (as numpy: `low + (high - low) * random()`). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Fills `out` with uniform draws in [low, high) and returns it. */
  fillUniform<A extends { length: number; [i: number]: number }>(out: A, low = 0, high = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.random();
    return out;
  }

  /**
   * Unbiased integer in [low, high) (numpy's `integers(low, high)`; `integers(n)` means [0, n)).
   * Rejection sampling, so every value has exactly equal probability; range up to 2^53.
   */
  integers(low: number, high?: number): number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new DammGymError(
        `Rng.integers: expected safe integers with low < high, got low=${describeValue(low)}, high=${describeValue(high)}`,
      );
    }
    const range = high - low;
    if (range > TWO_53) throw new DammGymError(`Rng.integers: range ${range} exceeds 2^53`);
    if (range <= TWO_32) {
      if (range === TWO_32) return low + this.nextUint32();
      // Largest multiple of `range` not above 2^32; draws at or beyond it are rejected.
      const limit = TWO_32 - (TWO_32 % range);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % range);
    }
    const limit = TWO_53 - (TWO_53 % range);
    for (;;) {
      const x = (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
      if (x < limit) return low + (x % range);
    }
  }

  /** Standard normal by Box–Muller; the second value of each pair is cached (and saved in state). */
  standardNormal(): number {
    const spare = this.spare;
    if (spare !== null) {
      this.spare = null;
      return spare;
    }
    let u = this.random();
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Normal with mean `loc` and standard deviation `scale`. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.standardNormal();
  }

  /** Exponential with mean `scale` (inverse CDF on (0, 1]). */
  exponential(scale = 1): number {
    return -scale * Math.log(1 - this.random());
  }

  /** Log-normal: `exp(normal(mean, sigma))`, numpy's parametrisation. */
  lognormal(mean = 0, sigma = 1): number {
    return Math.exp(mean + sigma * this.standardNormal());
  }

  /**
   * Poisson with mean `lam` ≥ 0. Knuth's product method below 10, Hörmann's PTRS transformed
   * rejection above (the split numpy uses), so cost stays O(1) for large means.
   */
  poisson(lam: number): number {
    checkFinite('poisson', lam);
    if (lam < 0) throw new DammGymError(`Rng.poisson: lam must be >= 0, got ${lam}`);
    if (lam === 0) return 0;
    if (lam < 10) {
      const enlam = Math.exp(-lam);
      let k = 0;
      let prod = 1;
      for (;;) {
        prod *= this.random();
        if (prod > enlam) k++;
        else return k;
      }
    }
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

  /** Bernoulli draw: true with probability `p`. */
  bernoulli(p: number): boolean {
    return this.random() < p;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integers(0, i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** `n` independent child generators (spawn keys continue across calls, as in numpy). */
  spawn(n: number): Rng[] {
    if (!Number.isInteger(n) || n < 0) throw new DammGymError(`Rng.spawn: n must be a non-negative integer, got ${describeValue(n)}`);
    return this.seedSequence.spawn(n).map((ss) => new Rng(ss));
  }

  /** A copy with identical state; both continue the same sequence independently. */
  clone(): Rng {
    const c = new Rng(
      new SeedSequence(this.seedSequence.entropy, this.seedSequence.spawnKey, this.seedSequence.nChildrenSpawned),
    );
    c.setState(this.getState());
    return c;
  }

  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spare,
      seedSequence: {
        entropy: this.seedSequence.entropy,
        spawnKey: [...this.seedSequence.spawnKey],
        nChildrenSpawned: this.seedSequence.nChildrenSpawned,
      },
    };
  }

  /** Restores a state from `getState()` (possibly after a JSON round trip). */
  setState(state: RngState): void {
    const st = state as Partial<RngState> | null;
    if (st === null || typeof st !== 'object' || st.algorithm !== 'xoshiro128**') {
      throw new InvalidRngStateError(
        `Rng.setState: expected an object with algorithm 'xoshiro128**', got ${describeValue(st === null ? null : (st as { algorithm?: unknown }).algorithm)}`,
      );
    }
    const s = st.s;
    if (!Array.isArray(s) || s.length !== 4 || !s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_32)) {
      throw new InvalidRngStateError(`Rng.setState: 's' must be four unsigned 32-bit integers, got ${describeValue(s)}`);
    }
    if ((s[0] | s[1] | s[2] | s[3]) === 0) {
      throw new InvalidRngStateError('Rng.setState: the all-zero xoshiro state is invalid');
    }
    if (st.spareNormal !== null && (typeof st.spareNormal !== 'number' || !Number.isFinite(st.spareNormal))) {
      throw new InvalidRngStateError(`Rng.setState: 'spareNormal' must be null or a finite number, got ${describeValue(st.spareNormal)}`);
    }
    const ss = st.seedSequence;
    if (ss === undefined || ss === null || typeof ss !== 'object') {
      throw new InvalidRngStateError(`Rng.setState: missing 'seedSequence'`);
    }
    if (!Array.isArray(ss.spawnKey) || !ss.spawnKey.every((k) => Number.isSafeInteger(k) && k >= 0)) {
      throw new InvalidRngStateError(`Rng.setState: 'seedSequence.spawnKey' must be an array of non-negative integers, got ${describeValue(ss.spawnKey)}`);
    }
    if (!Number.isSafeInteger(ss.nChildrenSpawned) || ss.nChildrenSpawned < 0) {
      throw new InvalidRngStateError(`Rng.setState: 'seedSequence.nChildrenSpawned' must be a non-negative integer, got ${describeValue(ss.nChildrenSpawned)}`);
    }
    if (ss.entropy !== this.seedSequence.entropy || ss.spawnKey.join(',') !== this.seedSequence.spawnKey.join(',')) {
      // Restoring another stream's state: rebuild the seed sequence so future spawns match it too.
      this.seq = new SeedSequence(ss.entropy, ss.spawnKey, ss.nChildrenSpawned);
    }
    this.seq.nChildrenSpawned = ss.nChildrenSpawned;
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.spare = st.spareNormal ?? null;
  }

  /**
   * Hands the stream to a kernel that draws on its own locals (a struct-of-arrays step): writes
   * the four words (as int32) and the cached normal into row `at` of `out`, allocating nothing.
   * Take it back with `streamFrom` before this generator draws again.
   */
  streamTo(out: StreamColumns, at: number): void {
    out.rng0[at] = this.s0;
    out.rng1[at] = this.s1;
    out.rng2[at] = this.s2;
    out.rng3[at] = this.s3;
    out.hasSpare[at] = this.spare === null ? 0 : 1;
    out.spare[at] = this.spare ?? 0;
  }

  /** Takes the stream back from row `at` of the columns `streamTo` wrote, after the kernel drew from them. */
  streamFrom(from: StreamColumns, at: number): void {
    this.s0 = from.rng0[at]! | 0;
    this.s1 = from.rng1[at]! | 0;
    this.s2 = from.rng2[at]! | 0;
    this.s3 = from.rng3[at]! | 0;
    this.spare = from.hasSpare[at] === 0 ? null : from.spare[at]!;
  }

  /** True when both generators would produce the same future draws and spawns. */
  stateEquals(other: Rng): boolean {
    return JSON.stringify(this.getState()) === JSON.stringify(other.getState());
  }
}

/**
 * Gymnasium's `seeding.np_random(seed)`: a generator and the seed used (a fresh entropy seed when
 * `seed` is undefined). Rejects non-integer and negative seeds with `InvalidSeedError`.
 */
export function npRandom(seed?: number): [Rng, number] {
  const used = seed === undefined ? randomSeed() : validateSeed(seed);
  return [new Rng(used), used];
}
