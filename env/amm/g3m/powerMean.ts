/**
 * The weighted power (generalised) mean Φ_p(x) = (Σ w_k·x_k^p)^(1/p), with the weighted geometric
 * mean Π x_k^(w_k) at p = 0 (amm-curves.md §4.1, the paper's eqs. (2)–(3)). Computed in the log
 * domain, ln Φ = ln(1 + Σ w_k·expm1(p·ln x_k))/p, so it is accurate for small |p| and continuous at
 * 0; below `SERIES_P` the second-order series ln Φ ≈ m₁ + (p/2)(m₂ − m₁²) (m_n = Σ w (ln x)^n) is used.
 */
import { G3mParameterError } from './errors.js';
import { SERIES_P } from './kernel.js';
import { checkReserves, checkWeights } from './validate.js';

/** ln Φ_p(x) without argument checks (weights are taken as given; Σw = 1 expected). */
export function logPowerMeanUnchecked(reserves: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  const n = reserves.length;
  if (Math.abs(p) < SERIES_P) {
    let m1 = 0;
    let m2 = 0;
    for (let k = 0; k < n; k++) {
      const l = Math.log(reserves[k]!);
      m1 += weights[k]! * l;
      m2 += weights[k]! * l * l;
    }
    return m1 + 0.5 * p * (m2 - m1 * m1);
  }
  // Σ w x^p = Σ w + Σ w·expm1(p ln x); keeping the 1 out of the sum is what preserves small p.
  let s = -1;
  for (let k = 0; k < n; k++) s += weights[k]!;
  for (let k = 0; k < n; k++) s += weights[k]! * Math.expm1(p * Math.log(reserves[k]!));
  return Math.log1p(s) / p;
}

/** ln Φ_p(x) for any finite p (p → −∞ tends to ln min x); reserves > 0, weights > 0 summing to 1. */
export function logPowerMean(reserves: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  checkWeights(weights, 'logPowerMean weights');
  checkReserves(reserves, weights.length, 'logPowerMean reserves');
  if (typeof p !== 'number' || !Number.isFinite(p)) throw new G3mParameterError('logPowerMean p', p, 'a finite number');
  return logPowerMeanUnchecked(reserves, weights, p);
}

/** Φ_p(x): the weighted power mean (p = 0: weighted geometric mean, p = 1: weighted arithmetic mean). */
export function powerMean(reserves: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  return Math.exp(logPowerMean(reserves, weights, p));
}

/** Π x_k^(w_k), the p = 0 member (Balancer's invariant; Uniswap v2's √(xy) at w = ½). */
export function geometricMean(reserves: ArrayLike<number>, weights: ArrayLike<number>): number {
  return powerMean(reserves, weights, 0);
}
