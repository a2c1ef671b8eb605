/**
 * Unchecked float64 kernels of a G3M swap between two assets i → j (amm-curves.md §4.2). Every
 * other asset is held fixed, so only w_i·x_i^p + w_j·x_j^p is conserved and an n-asset swap is a
 * two-asset one; the weights need not sum to 1 here.
 *
 * Why the log form: the textbook update x_j' = ((C − w_i·x_i'^p)/w_j)^(1/p) raises a difference of
 * nearly equal numbers to the power 1/p, which loses about log10(1/p) digits for small p (6 digits
 * at p = 1e-6). Writing each reserve move as a log growth u = ln(x'/x) and every power change as
 * x^p·expm1(p·u) keeps the constant parts out of the subtraction, so the result is accurate to a
 * few ulps for every p ∈ [0, 1] and tends continuously to Balancer's geometric formula at p = 0.
 * Below `SERIES_P` a first-order expansion in p replaces the exact expression (error O(p²), far
 * below float64 resolution there) so p·u never underflows.
 *
 * Validation is the caller's job (see pool.ts); these run in the env's inner loop.
 */

/** Below this p the kernels use their first-order expansion in p (error ≈ p² ≤ 1e-24, relative). */
export const SERIES_P = 1e-12;

/**
 * ln(x_j'/x_j) for a move u = ln(x_i'/x_i) of the other reserve that keeps w_i·x_i^p + w_j·x_j^p
 * fixed. `k` = w_i/w_j, `lr` = ln(x_i/x_j). −Infinity when the move would need x_j' ≤ 0.
 */
export function counterLogMove(p: number, k: number, lr: number, u: number): number {
  if (p < SERIES_P) return -k * u - p * k * (lr * u + 0.5 * u * u * (1 + k));
  // (x_j'/x_j)^p − 1 = −(w_i x_i^p / w_j x_j^p) · ((x_i'/x_i)^p − 1)
  const r = -k * Math.exp(p * lr) * Math.expm1(p * u);
  return r <= -1 ? -Infinity : Math.log1p(r) / p;
}

/**
 * Output of asset j for `amountIn` of asset i; γ = 1 − fee multiplies the input that enters the
 * curve (the fee stays in the pool). NaN when the trade is not admissible (`amountIn` at or above
 * `maxInKernel`).
 */
export function outGivenInKernel(xi: number, xj: number, wi: number, wj: number, p: number, gamma: number, amountIn: number): number {
  const u = Math.log1p((gamma * amountIn) / xi);
  const l = counterLogMove(p, wi / wj, Math.log(xi / xj), u);
  return l === -Infinity ? NaN : -xj * Math.expm1(l);
}

/** Input of asset i (fee included) that buys exactly `amountOut` of asset j; requires amountOut < x_j. */
export function inGivenOutKernel(xi: number, xj: number, wi: number, wj: number, p: number, gamma: number, amountOut: number): number {
  const v = Math.log1p(-amountOut / xj);
  const l = counterLogMove(p, wj / wi, Math.log(xj / xi), v);
  return (xi * Math.expm1(l)) / gamma;
}

/**
 * Supremum of admissible inputs of asset i (exclusive): the input that would take x_j to 0,
 * x_i·[(1 + (w_j/w_i)(x_j/x_i)^p)^(1/p) − 1]/γ. Infinite at p = 0 (and wherever it overflows).
 */
export function maxInKernel(xi: number, xj: number, wi: number, wj: number, p: number, gamma: number): number {
  if (p < SERIES_P) return Infinity;
  const u = Math.log1p((wj / wi) * Math.exp(p * Math.log(xj / xi))) / p;
  return (xi * Math.expm1(u)) / gamma;
}

/** Spot price of asset i in units of asset j (fee-free marginal rate): (w_i/w_j)·(x_j/x_i)^(1−p). */
export function spotPriceKernel(xi: number, xj: number, wi: number, wj: number, p: number): number {
  return (wi / wj) * Math.pow(xj / xi, 1 - p);
}

/**
 * Input of asset i (fee included) whose curve point (x_i + γΔ, x_j − out) has spot price
 * `targetSpot` for i in j (see `amountInToSpot`). 0 when the price is already at or below it;
 * Infinity when no trade reaches it (p = 1: the price is fixed).
 * Closed form: with g = ln(target/spot)/(1 − p) the required change of ln(x_j/x_i) and
 * θ_j = w_j x_j^p / (w_i x_i^p + w_j x_j^p), the input reserve grows by
 * u = −ln(1 + θ_j·expm1(p·g))/p (→ −θ_j·g at p = 0).
 */
export function inToSpotKernel(xi: number, xj: number, wi: number, wj: number, p: number, gamma: number, targetSpot: number): number {
  const spot = spotPriceKernel(xi, xj, wi, wj, p);
  if (!(targetSpot < spot)) return 0;
  if (p >= 1) return Infinity;
  const g = Math.log(targetSpot / spot) / (1 - p);
  const theta = 1 / (1 + (wi / wj) * Math.exp(p * Math.log(xi / xj)));
  const u = p < SERIES_P
    ? -theta * g - 0.5 * p * theta * (1 - theta) * g * g
    : -Math.log1p(theta * Math.expm1(p * g)) / p;
  return (xi * Math.expm1(u)) / gamma;
}
