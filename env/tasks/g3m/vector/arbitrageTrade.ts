/**
 * The arbitrageur's trade i → j of trading.ts `arbitrage` (`inToSpotKernel`, then
 * `outGivenInKernel` on its result), fused: the caller passes the spot it already holds, and
 * ln(x_i/x_j) and exp(p·ln(x_i/x_j)), which both kernels compute, are computed once. Every other
 * expression is env/amm/g3m/kernel.ts's, in the same order, so the results are the same doubles
 * (test/vector-g3m.test.ts compares them on random pools).
 */
import { SERIES_P } from '../../../amm/g3m/kernel.js';

/**
 * Writes the input of asset i (fee included) that takes the spot of i in j to `target` into
 * `res[0]`, and `outGivenInKernel` of it into `res[1]` (NaN when not admissible). `k` = w_i/w_j,
 * `spot` = k·(x_j/x_i)^(1−p). Inputs: a pool with p < 1 and target < spot (the caller's band test).
 */
export function arbitrageTrade(xi: number, xj: number, k: number, p: number, gamma: number, spot: number, target: number, res: Float64Array): void {
  // inToSpotKernel(xi, xj, wi, wj, p, gamma, target)
  let amountIn = 0;
  const lr = Math.log(xi / xj);
  const epl = Math.exp(p * lr);
  if (target < spot) {
    if (p >= 1) amountIn = Infinity;
    else {
      const g = Math.log(target / spot) / (1 - p);
      const theta = 1 / (1 + k * epl);
      const u = p < SERIES_P
        ? -theta * g - 0.5 * p * theta * (1 - theta) * g * g
        : -Math.log1p(theta * Math.expm1(p * g)) / p;
      amountIn = (xi * Math.expm1(u)) / gamma;
    }
  }
  res[0] = amountIn;
  // outGivenInKernel(xi, xj, wi, wj, p, gamma, amountIn), counterLogMove inlined
  const v = Math.log1p((gamma * amountIn) / xi);
  let l: number;
  if (p < SERIES_P) l = -k * v - p * k * (lr * v + 0.5 * v * v * (1 + k));
  else {
    const r = -k * epl * Math.expm1(p * v);
    l = r <= -1 ? -Infinity : Math.log1p(r) / p;
  }
  res[1] = l === -Infinity ? NaN : -xj * Math.expm1(l);
}
