/**
 * The binary event behind prediction-market-v0, the binary-option model of the ProbabilitySpace
 * source: a latent standard Brownian motion B on the market's normalised clock, and the event is
 * YES iff B is positive at expiry. With τ the time to expiry, the true probability is
 * q = P(B_expiry > 0 | B_now) = Φ(B_now/√τ), a martingale that is pulled to 0 or 1 as τ → 0, and the
 * outcome drawn at expiry is consistent with the path (no separate coin flip). Every draw comes
 * from the Rng handed in.
 */
import type { Rng } from '../../core/rng.js';

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * erfc(x) for x ≥ 0 to ~1e-13 relative: below 2 from erf's all-positive series
 * erf x = (2/√π)·e^(−x²)·Σ 2^n x^(2n+1)/(1·3···(2n+1)) (no cancellation), from 2 on from the continued
 * fraction erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by modified Lentz.
 */
function erfcNonNegative(x: number): number {
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** The standard normal CDF Φ(z), accurate in both tails. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * erfcNonNegative(x);
  return z < 0 ? tail : 1 - tail;
}

/** The event's state: the latent path value and the time to expiry. */
export class BinaryEvent {
  /** Latent Brownian motion, in units of √(whole market life). */
  latent = 0;
  /** Time to expiry over the market's life, 1 at the open, 0 at resolution. */
  timeToExpiry = 1;

  /** Starts the event: B0 ~ N(0, initialSpread²) so the opening probability is Φ(B0) (½ when the spread is 0). */
  reset(rng: Rng, initialSpread: number): void {
    this.latent = initialSpread > 0 ? initialSpread * rng.standardNormal() : 0;
    this.timeToExpiry = 1;
  }

  /** Moves the clock to `timeToExpiry` (< the current one) and the latent path by an exact Brownian increment. */
  advance(rng: Rng, timeToExpiry: number): void {
    this.latent += Math.sqrt(this.timeToExpiry - timeToExpiry) * rng.standardNormal();
    this.timeToExpiry = timeToExpiry;
  }

  /** P(YES) given the path so far: Φ(B/√τ), and the realised 0 or 1 at expiry. */
  get probability(): number {
    if (this.timeToExpiry <= 0) return this.latent > 0 ? 1 : 0;
    return normalCdf(this.latent / Math.sqrt(this.timeToExpiry));
  }
}
