/**
 * `WeightSchedule`: a running interpolation w0 → w1 in f steps, advanced one step per weight
 * update, allocation-free (the env's hot path). Points are computed when reached: linear and SLERP
 * in closed form, AM-GM by descending the bisection tree from [w0, w1] to the dyadic point k/f —
 * the same midpoints in the same order as `amgmPath`, so the values are bit-identical to it.
 */
import { amgmMidpointInto, INTERPOLATION_SCHEMES, isDyadicStepCount, type InterpolationScheme } from './interpolation.js';
import { bhattacharyyaCoefficient } from './simplex.js';
import { checkPositiveInteger, checkWeights, fail, type NumberVector } from './validate.js';

export class WeightSchedule {
  readonly n: number;
  readonly maxSteps: number;
  /** Start and target of the running schedule. */
  readonly from: Float64Array;
  readonly to: Float64Array;
  private scheme: InterpolationScheme = 'slerp';
  private f = 0;
  private k = 0;
  private theta = 0;
  private sinTheta = 0;
  /** from and to are the same vector: every point is exactly `from` (no rounding drift). */
  private stationary = false;
  private readonly eta0: Float64Array;
  private readonly eta1: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly mid: Float64Array;

  constructor(n: number, maxSteps: number) {
    if (!Number.isInteger(n) || n < 2 || n > 64) fail('WeightSchedule n', n, 'an integer in [2, 64]');
    this.n = n;
    this.maxSteps = checkPositiveInteger('WeightSchedule maxSteps', maxSteps, 1 << 20);
    this.from = new Float64Array(n);
    this.to = new Float64Array(n);
    this.eta0 = new Float64Array(n);
    this.eta1 = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.mid = new Float64Array(n);
  }

  /** Steps of the running schedule (0: none started). */
  get steps(): number {
    return this.f;
  }

  /** Steps already taken. */
  get taken(): number {
    return this.k;
  }

  get remaining(): number {
    return this.f - this.k;
  }

  get active(): boolean {
    return this.k < this.f;
  }

  get currentScheme(): InterpolationScheme {
    return this.scheme;
  }

  /** Starts a new schedule; validates its inputs (call rarely: once per new target). */
  start(from: NumberVector, to: NumberVector, steps: number, scheme: InterpolationScheme): void {
    checkWeights('WeightSchedule.start from', from, true);
    checkWeights('WeightSchedule.start to', to, true);
    if (from.length !== this.n || to.length !== this.n) fail('WeightSchedule.start', [from.length, to.length], `two vectors of ${this.n} weights`);
    if (!INTERPOLATION_SCHEMES.includes(scheme)) fail('WeightSchedule.start scheme', scheme, INTERPOLATION_SCHEMES.map((s) => `'${s}'`).join(' | '));
    checkPositiveInteger('WeightSchedule.start steps', steps, this.maxSteps);
    if (scheme === 'amgm' && !isDyadicStepCount(steps)) fail('WeightSchedule.start steps', steps, "a power of two for scheme 'amgm'");
    this.startUnchecked(from, to, steps, scheme);
  }

  /** `start` without checks (inputs already validated by the caller). */
  startUnchecked(from: NumberVector, to: NumberVector, steps: number, scheme: InterpolationScheme): void {
    for (let i = 0; i < this.n; i++) {
      this.from[i] = from[i]!;
      this.to[i] = to[i]!;
      this.eta0[i] = Math.sqrt(from[i]!);
      this.eta1[i] = Math.sqrt(to[i]!);
    }
    this.stationary = true;
    for (let i = 0; i < this.n; i++) if (from[i] !== to[i]) this.stationary = false;
    this.scheme = scheme;
    this.f = steps;
    this.k = 0;
    this.theta = Math.acos(bhattacharyyaCoefficient(from, to));
    this.sinTheta = Math.sin(this.theta);
  }

  /** Forgets the running schedule. */
  clear(): void {
    this.f = 0;
    this.k = 0;
  }

  /**
   * Takes one step: writes w_{k+1} into `out` and returns true; returns false (and leaves `out`
   * alone) when no schedule is running.
   */
  advance(out: { [i: number]: number }): boolean {
    if (this.k >= this.f) return false;
    this.k++;
    this.pointAt(this.k, out);
    return true;
  }

  /** The point k of the running schedule (0 ≤ k ≤ steps) into `out`. */
  pointAt(k: number, out: { [i: number]: number }): void {
    const n = this.n;
    const f = this.f;
    if (k === 0 || k === f || this.stationary) {
      const src = k === 0 || this.stationary ? this.from : this.to;
      for (let i = 0; i < n; i++) out[i] = src[i]!;
      return;
    }
    const tau = k / f;
    switch (this.scheme) {
      case 'linear':
        for (let i = 0; i < n; i++) out[i] = this.from[i]! + tau * (this.to[i]! - this.from[i]!);
        return;
      case 'slerp': {
        let c0 = 1 - tau;
        let c1 = tau;
        if (this.theta >= 1e-9) {
          c0 = Math.sin((1 - tau) * this.theta) / this.sinTheta;
          c1 = Math.sin(tau * this.theta) / this.sinTheta;
        }
        for (let i = 0; i < n; i++) {
          const eta = c0 * this.eta0[i]! + c1 * this.eta1[i]!;
          out[i] = eta * eta;
        }
        return;
      }
      case 'amgm': {
        // descend the bisection tree: [lo, hi] = [point a, point b] with a < k < b
        const lo = this.lo;
        const hi = this.hi;
        const mid = this.mid;
        lo.set(this.from);
        hi.set(this.to);
        let a = 0;
        let b = f;
        for (;;) {
          const m = (a + b) / 2;
          amgmMidpointInto(lo, hi, mid);
          if (m === k) {
            for (let i = 0; i < n; i++) out[i] = mid[i]!;
            return;
          }
          if (k < m) {
            hi.set(mid);
            b = m;
          } else {
            lo.set(mid);
            a = m;
          }
        }
      }
    }
  }
}
