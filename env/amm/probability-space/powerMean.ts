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

/**
 * Moving along a level set without going through s: when b changes by d ln b = `dLnB` from the
 * point (a0, b0), returns d ln a. Going through s instead (compute s, then a from the new b) is
 * ill-conditioned near the asymptote, where a is huge and b ≈ b_min: a relative error ε in s
 * becomes an error of ε·(slope) in a. Here a^k = a0^k·(1 + e^E·M) with E = k·(ln b0 − ln a0) and
 * M = −expm1(k·dLnB), so a trade that barely moves b barely moves a, to a few ulps. +∞ when the
 * move puts b at or beyond the asymptote (no finite a), or −∞ as the positive-k curve's a reaches 0.
 */
export function logMove(lnA0: number, lnB0: number, dLnB: number, k: number): number {
  if (dLnB === 0) return 0;
  if (k === 0) return -dLnB;
  const e = k * (lnB0 - lnA0);
  const m = -Math.expm1(k * dLnB);
  if (e < 700) {
    const z = Math.exp(e) * m;
    if (!(z > -1)) return k < 0 ? Infinity : -Infinity;
    return Math.log1p(z) / k;
  }
  // e^E would overflow: ln(1 + e^E·M) = E + ln(e^(−E) + M).
  const z = Math.exp(-e) + m;
  if (!(z > 0)) return k < 0 ? Infinity : -Infinity;
  return (e + Math.log(z)) / k;
}

/**
 * How far b0 is above its minimum on the level set through (a0, b0), b0 − b_min, computed without
 * cancellation: b_min^k = a0^k + b0^k (a → ∞) gives b0 − b_min = −b0·expm1(log1p(e^(k·(ln a0 − ln b0)))/k).
 * For k ≥ 0 there is no positive minimum and the whole of b0 can go.
 */
export function roomAboveMinimum(lnA0: number, lnB0: number, k: number): number {
  const b0 = Math.exp(lnB0);
  if (k >= 0) return b0;
  if (k === -Infinity) return lnB0 > lnA0 ? b0 - Math.exp(lnA0) : 0;
  return -b0 * Math.expm1(Math.log1p(Math.exp(k * (lnA0 - lnB0))) / k);
}
