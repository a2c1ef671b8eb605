import type { Rng } from '../core/rng.js';

/**
 * Poisson(λ) with e^{−λ} supplied by the caller, who caches it while λ stays put: Knuth's product
 * below λ = 10 (the same draws as `Rng.poisson`, which recomputes the exponential every call), and
 * `Rng.poisson`'s PTRS above.
 */
export function poissonCached(rng: Rng, lam: number, expMinusLam: number): number {
  if (lam === 0) return 0;
  if (lam >= 10) return rng.poisson(lam);
  let k = 0;
  let prod = rng.random();
  while (prod > expMinusLam) {
    k++;
    prod *= rng.random();
  }
  return k;
}
