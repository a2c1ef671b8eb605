/**
 * The struct-of-arrays state of N prediction-market-v0 sub-envs: one typed-array column per field
 * of the scalar env (its `BinaryEvent`, pool, `LpAccount`, levels, clock) and of its `Rng`, indexed
 * by sub-env, plus caches keyed by the liquidity multiple (the only input of the arrival rate and
 * of obs[2], and it moves only when the LP acts).
 */
import type { StreamColumns } from '../../../core/rng.js';

export class PredictionMarketColumns implements StreamColumns {
  readonly numEnvs: number;

  // the event (BinaryEvent) and the clock
  readonly latent: Float64Array;
  readonly timeToExpiry: Float64Array;
  /** The true probability Φ(B/√τ) (0 or 1 once resolved). */
  readonly probability: Float64Array;
  readonly stepIndex: Float64Array;

  // the LP's parameters
  readonly liquidityLevel: Int32Array;
  readonly liquidityMultiple: Float64Array;
  readonly feeLevel: Int32Array;
  readonly feeRate: Float64Array;

  // the pool and the LP's books (LpAccount)
  readonly poolYes: Float64Array;
  readonly poolNo: Float64Array;
  readonly lpCash: Float64Array;
  readonly lpOutsideYes: Float64Array;
  readonly lpOutsideNo: Float64Array;
  readonly wealth: Float64Array;
  readonly openingWealth: Float64Array;

  // caches keyed by the liquidity multiple (NaN: empty): arrival rate, informed share, Poisson constants, ln m
  readonly rateMultiple: Float64Array;
  readonly arrivalRate: Float64Array;
  readonly informedShare: Float64Array;
  /** e^{−λ} for λ < 10 (Knuth); for λ ≥ 10 the PTRS constants below (as `Rng.poisson` computes them). */
  readonly expMinusRate: Float64Array;
  readonly ptrsSqrtLam: Float64Array;
  readonly ptrsLogLam: Float64Array;
  readonly ptrsB: Float64Array;
  readonly ptrsA: Float64Array;
  readonly ptrsInvAlpha: Float64Array;
  readonly ptrsVr: Float64Array;
  readonly logMultiple: Float64Array;

  // RNG: xoshiro128** words and the Box–Muller spare, as in `Rng` (`Rng.streamTo` writes them)
  readonly rng0: Int32Array;
  readonly rng1: Int32Array;
  readonly rng2: Int32Array;
  readonly rng3: Int32Array;
  readonly spare: Float64Array;
  readonly hasSpare: Uint8Array;
  /** The seed of each sub-env's stream (−1 before its first reset). */
  readonly seeds: Float64Array;

  /** 1 once the sub-env resolved (or hit the time limit) and waits for a reset (next-step and disabled modes). */
  readonly ended: Uint8Array;
  /** 1 once the sub-env has been reset. */
  readonly started: Uint8Array;

  constructor(numEnvs: number) {
    this.numEnvs = numEnvs;
    const f = () => new Float64Array(numEnvs);
    this.latent = f();
    this.timeToExpiry = f();
    this.probability = f();
    this.stepIndex = f();
    this.liquidityLevel = new Int32Array(numEnvs);
    this.liquidityMultiple = f();
    this.feeLevel = new Int32Array(numEnvs);
    this.feeRate = f();
    this.poolYes = f();
    this.poolNo = f();
    this.lpCash = f();
    this.lpOutsideYes = f();
    this.lpOutsideNo = f();
    this.wealth = f();
    this.openingWealth = f();
    this.rateMultiple = f().fill(NaN);
    this.arrivalRate = f();
    this.informedShare = f();
    this.expMinusRate = f();
    this.ptrsSqrtLam = f();
    this.ptrsLogLam = f();
    this.ptrsB = f();
    this.ptrsA = f();
    this.ptrsInvAlpha = f();
    this.ptrsVr = f();
    this.logMultiple = f();
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

  /** Bytes of state per sub-env (every column; outputs and infos are not counted). */
  bytesPerEnv(): number {
    let bytes = 0;
    for (const v of Object.values(this)) if (ArrayBuffer.isView(v)) bytes += (v as Float64Array).BYTES_PER_ELEMENT;
    return bytes;
  }
}
