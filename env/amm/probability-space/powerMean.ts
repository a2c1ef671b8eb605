/**
 * The curve family behind ProbabilitySpace, at a given exponent k: the equal-weight power mean
 * M_k(a, b) = ((a^k + b^k)/2)^(1/k), whose level sets a^k + b^k = 2·M^k are the pool's curves
 * (amm-curves.md §5.1). ProbabilitySpace uses k = 1 − 1/√t ≤ 0; YieldSpace's a = 1 − g·t is the same
 * family with k in (0, 1), which is why these functions accept any k.
 *
 * Everything runs in the log domain so both limits stay accurate: k → 0 (constant product, where
 * the textbook formula divides a rounding error by k) and k → −∞ (t → 0, where a^k overflows).
 * The pairing log1p/expm1 below is what keeps the k → 0 end exact to a few ulps.
 */

/**
 * ln M_k(a, b) from ln a and ln b. k = 0 gives the geometric mean, k = −∞ the minimum.
 *
 * With m the larger of k·ln a, k·ln b and d = |k·(ln a − ln b)|:
 * ln M = m/k + ln((1 + e^(−d))/2)/k, and ln((1 + e^(−d))/2) = log1p(expm1(−d)/2) never cancels.
 */
export function logPowerMean(lnA: number, lnB: number, k: number): number {
  if (k === 0) return 0.5 * (lnA + lnB);
  if (k === -Infinity) return Math.min(lnA, lnB);
  const dominant = k < 0 ? Math.min(lnA, lnB) : Math.max(lnA, lnB);
  const d = Math.abs(k * (lnA - lnB));
  return dominant + Math.log1p(0.5 * Math.expm1(-d)) / k;
}

/** M_k(a, b) for a, b > 0. */
export function powerMean(a: number, b: number, k: number): number {
  return Math.exp(logPowerMean(Math.log(a), Math.log(b), k));
}

/**
 * ln b of the point (a, b) on the level set M_k(a, b) = s, from ln a and ln s; +∞ when a is at or
 * below the curve's asymptote (k < 0: no finite b reaches s).
 *
 * b^k = 2·s^k − a^k, so ln b = ln s + ln(2 − e^u)/k with u = k·(ln a − ln s), and
 * ln(2 − e^u) = log1p(−expm1(u)), accurate as u → 0 (k → 0 or a → s).
 */
export function logOtherReserve(lnA: number, lnS: number, k: number): number {
  if (k === 0) return 2 * lnS - lnA;
  if (k === -Infinity) return lnA > lnS ? lnS : Infinity;
  const w = -Math.expm1(k * (lnA - lnS));
  if (!(w > -1)) return Infinity;
  return lnS + Math.log1p(w) / k;
}

/**
 * ln of the smallest reserve the level set M_k = s allows, s·2^(1/k) for k < 0 (the asymptote the
 * other reserve approaches as it grows without bound); −∞ (no minimum) for k ≥ 0.
 */
export function logMinReserve(lnS: number, k: number): number {
  if (k >= 0) return -Infinity;
  return lnS + Math.LN2 / k;
}
