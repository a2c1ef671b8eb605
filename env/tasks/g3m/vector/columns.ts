/**
 * The struct-of-arrays state of N g3m-v0 sub-envs: one typed-array column per field of the scalar
 * `G3mEnv` (pool, external price, clock, grid indices) and of its `Rng` (xoshiro128** words, the
 * Box–Muller spare), indexed by sub-env.
 */
export class G3mColumns {
  readonly numEnvs: number;

  // the pool (`TwoAssetPool`; w is an option, the same for every sub-env)
  /** Risky reserve in reference-value units (tokens × the reference price). */
  readonly a: Float64Array;
  /** Numeraire reserve. */
  readonly b: Float64Array;
  readonly p: Float64Array;
  readonly fee: Float64Array;
  /** Positions on pGrid / feeGrid of the discrete actions. */
  readonly pIndex: Int32Array;
  readonly feeIndex: Int32Array;

  // the market and the clock
  /** The GBM's current price, numeraire per token. */
  readonly price: Float64Array;
  /** External price / reference price (what the scalar env calls `s`). */
  readonly s: Float64Array;
  /** Realised annualised volatility of the last step. */
  readonly vol: Float64Array;
  readonly stepCount: Float64Array;

  // RNG: xoshiro128** words and the Box–Muller spare, as in `Rng`
  readonly rng0: Int32Array;
  readonly rng1: Int32Array;
  readonly rng2: Int32Array;
  readonly rng3: Int32Array;
  readonly spare: Float64Array;
  readonly hasSpare: Uint8Array;
  /** The seed of each sub-env's stream (−1 before the first reset). */
  readonly seeds: Float64Array;

  /** 1 once the sub-env ended its episode and waits for a reset (next-step and disabled modes). */
  readonly ended: Uint8Array;
  /** 1 once the sub-env has been reset. */
  readonly started: Uint8Array;

  constructor(numEnvs: number) {
    this.numEnvs = numEnvs;
    const f = () => new Float64Array(numEnvs);
    this.a = f();
    this.b = f();
    this.p = f();
    this.fee = f();
    this.pIndex = new Int32Array(numEnvs);
    this.feeIndex = new Int32Array(numEnvs);
    this.price = f();
    this.s = f();
    this.vol = f();
    this.stepCount = f();
    this.rng0 = new Int32Array(numEnvs);
    this.rng1 = new Int32Array(numEnvs);
    this.rng2 = new Int32Array(numEnvs);
    this.rng3 = new Int32Array(numEnvs);
    this.spare = f();
    this.hasSpare = new Uint8Array(numEnvs);
    this.seeds = f().fill(-1);
    this.ended = new Uint8Array(numEnvs);
    this.started = new Uint8Array(numEnvs);
  }

  /** Bytes of state per sub-env (every column; outputs and infos not counted). */
  bytesPerEnv(): number {
    let bytes = 0;
    for (const v of Object.values(this)) if (ArrayBuffer.isView(v)) bytes += (v as Float64Array).BYTES_PER_ELEMENT;
    return bytes;
  }
}
