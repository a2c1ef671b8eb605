/**
 * Safeguarded Newton (Numerical Recipes' rtsafe idea) for the two collateral trades without a
 * closed form. Both residuals are monotone and concave on their bracket, so Newton converges in a
 * handful of steps; bisection takes over whenever a step leaves the bracket or meets ±∞ near the
 * curve's asymptote.
 */

/**
 * The root of a monotone `f` on [lo, hi], where f(lo) and f(hi) have opposite signs (either may be
 * ±∞); `df` is its derivative. Stops when a step changes the iterate by less than 2 ulps.
 */
export function solveMonotone(f: (u: number) => number, df: (u: number) => number, lo: number, hi: number): number {
  const signLo = Math.sign(f(lo));
  if (signLo === 0) return lo;
  let a = lo;
  let b = hi;
  let u = 0.5 * (lo + hi);
  for (let i = 0; i < 200; i++) {
    const fu = f(u);
    if (fu === 0) return u;
    if (Math.sign(fu) === signLo) a = u;
    else b = u;
    let next = u - fu / df(u);
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    if (Math.abs(next - u) <= 2 * Number.EPSILON * Math.abs(next) || b - a <= 2 * Number.EPSILON * Math.abs(b)) return next;
    u = next;
  }
  return u;
}
