/**
 * Arbitrage on the float twin (amm-curves.md §2.3–2.4, §7.1): an arbitrageur who sees external USD
 * prices sells coin i for coin j while the fee-inclusive marginal price (1 − fee)·spot_ij is above
 * p_i/p_j, and stops where they are equal, the edge of the no-arbitrage band. Pure and
 * deterministic: no randomness, no I/O.
 *
 * One trade is a 1-D root find on s = ln(x_i'/x_i) (a Newton step from a numerical slope to bracket
 * the root, then Illinois regula falsi; ≈ 5–10 evaluations), aimed at the post-trade pool: the
 * LP share of the fee stays in it and raises D, so one trade lands a two-coin pool on the band edge.
 * With more than two coins the most mispriced pair is traded first, then the next, until every
 * pair is inside the band (curvesim instead solves all pairs jointly with least squares; the end
 * state is the same band, reached greedily).
 */
import {
  dyGrossUnchecked, exchangeUnchecked, getDFrom, getDUnchecked, newFloatSwap, spotPriceUnchecked, type FloatSwap,
} from './math.js';

/** Totals of the arbitrage trades, in USD at the prices given (accumulated across calls until reset). */
export interface ArbitrageStats {
  trades: number;
  /** Input value of the trades, USD. */
  volumeUsd: number;
  /** LP share of the fees the trades paid, USD. */
  feesLpUsd: number;
  feesAdminUsd: number;
  /**
   * Loss-versus-rebalancing of the trades: Σ (gross output·p_j − input·p_i), fees excluded — what the
   * pool gave away against trading the same amounts at the external prices (≥ 0 for arbitrage).
   */
  lvrUsd: number;
  /** The arbitrageurs' profit net of fees, USD. */
  profitUsd: number;
}

export function newArbitrageStats(): ArbitrageStats {
  return { trades: 0, volumeUsd: 0, feesLpUsd: 0, feesAdminUsd: 0, lvrUsd: 0, profitUsd: 0 };
}

export function resetArbitrageStats(s: ArbitrageStats): void {
  s.trades = 0;
  s.volumeUsd = 0;
  s.feesLpUsd = 0;
  s.feesAdminUsd = 0;
  s.lvrUsd = 0;
  s.profitUsd = 0;
}

export interface ArbitrageOptions {
  /** Mispricing (log) beyond the band edge below which no trade is made. Default 1e-9. */
  tolerance?: number;
  /**
   * Most pair trades per call. Default 16·n(n − 1): greedy pair trades converge geometrically, and a
   * fee-free lopsided 3-coin pool (A 948, balances 79 M / 3.49 G / 1.59 G) needs 52; the stableswap-v0
   * env never reached the former 8·n(n − 1) in 720,000 calls.
   */
  maxTrades?: number;
  /** Smallest profit (USD, net of fee) worth a trade (gas). Default 0. */
  minProfitUsd?: number;
}

const scratch: Float64Array[] = [];

function scratchOf(n: number): Float64Array {
  return scratch[n] ?? (scratch[n] = new Float64Array(n));
}

/**
 * Log mispricing left after selling dx = x_i·(e^s − 1) of coin i for coin j: ln((1 − fee)·spot_ij)
 * − ln(target) in the post-trade pool, whose invariant has grown by the LP fee kept in it.
 */
function gapAfter(s: number, xp: ArrayLike<number>, tmp: Float64Array, i: number, j: number, A: number, fee: number, keepOut: number, D: number, logTarget: number): number {
  const n = xp.length;
  const dx = xp[i]! * Math.expm1(s);
  const out = dyGrossUnchecked(i, j, dx, xp, A, D);
  for (let k = 0; k < n; k++) tmp[k] = xp[k]!;
  tmp[i] = xp[i]! + dx;
  tmp[j] = xp[j]! - out * keepOut;
  const D1 = getDFrom(tmp, A, D);
  return Math.log(spotPriceUnchecked(i, j, tmp, A, D1)) + Math.log(1 - fee) - logTarget;
}

/**
 * The input `dx` (same units as xp) of coin i that leaves (1 − fee)·spot_ij at `targetRatio`
 * (= p_i/p_j) after the trade, the fee's LP share staying in the pool and the admin share leaving
 * it. 0 when the pool is already at or below the target. D defaults to the invariant of `xp`.
 */
export function arbitrageInput(
  xp: ArrayLike<number>, i: number, j: number, A: number, fee: number, targetRatio: number, adminFee = 0, D: number = getDUnchecked(xp, A),
): number {
  const tmp = scratchOf(xp.length);
  const keepOut = 1 - fee * (1 - adminFee);
  const logTarget = Math.log(targetRatio);
  const h = (s: number) => gapAfter(s, xp, tmp, i, j, A, fee, keepOut, D, logTarget);
  const h0 = h(0);
  if (!(h0 > 0)) return 0;
  // bracket: a Newton step from a numerical slope, doubled until the gap changes sign
  const delta = 1e-7;
  const slope = (h(delta) - h0) / delta;
  let lo = 0;
  let hLo = h0;
  let hi = slope < 0 ? Math.min(Math.max(-h0 / slope, 1e-12), 4) : 1e-3;
  let hHi = h(hi);
  while (hHi > 0) {
    if (hi > 40) return xp[i]! * Math.expm1(hi); // cannot happen on a finite pool; stay finite
    lo = hi;
    hLo = hHi;
    hi *= 2;
    hHi = h(hi);
  }
  if (hHi === 0) return xp[i]! * Math.expm1(hi);
  // Illinois (regula falsi that halves the stale end's value): superlinear and always bracketed
  let side = 0;
  for (let it = 0; it < 100; it++) {
    const s = (lo * hHi - hi * hLo) / (hHi - hLo);
    const hs = h(s);
    if (Math.abs(hs) < 1e-13) return xp[i]! * Math.expm1(s);
    if (hs > 0) {
      lo = s;
      hLo = hs;
      if (side === 1) hHi /= 2;
      side = 1;
    } else {
      hi = s;
      hHi = hs;
      if (side === -1) hLo /= 2;
      side = -1;
    }
    if (hi - lo < 1e-15 * Math.max(1, hi)) break;
  }
  // not settled within tolerance: stop on the side that does not overshoot the band
  return xp[i]! * Math.expm1(lo);
}

const swapOut: FloatSwap = newFloatSwap();

/**
 * The ordered pair (i, j), encoded i·n + j, whose fee-inclusive price of i in j is furthest above
 * p_i/p_j (log gap beyond the band edge above `tolerance`), skipping pairs set in the `blocked`
 * bitmask (bit i·n + j); −1 when every pair is inside the band.
 */
export function mostMispricedPair(
  xp: ArrayLike<number>, A: number, fee: number, pricesUsd: ArrayLike<number>, D: number, tolerance: number, blocked = 0,
): number {
  const n = xp.length;
  const band = -Math.log(1 - fee);
  let best = tolerance;
  let pair = -1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || (blocked & (1 << (i * n + j))) !== 0) continue;
      const gap = Math.log((spotPriceUnchecked(i, j, xp, A, D) * pricesUsd[j]!) / pricesUsd[i]!) - band;
      if (gap > best) {
        best = gap;
        pair = i * n + j;
      }
    }
  }
  return pair;
}

/**
 * Trades `xp` (mutated) to the no-arbitrage band of the external USD prices `pricesUsd`, pair by
 * pair, most mispriced first. Adds the trades to `stats`; returns how many trades were made.
 */
export function arbitrage(
  xp: Float64Array, A: number, fee: number, adminFee: number, pricesUsd: ArrayLike<number>, stats: ArbitrageStats, options: ArbitrageOptions = {},
): number {
  const n = xp.length;
  const tolerance = options.tolerance ?? 1e-9;
  const maxTrades = options.maxTrades ?? 16 * n * (n - 1);
  const minProfit = options.minProfitUsd ?? 0;
  let trades = 0;
  let blocked = 0; // bitmask of ordered pairs whose best trade was not worth making
  for (let round = 0; round < maxTrades; round++) {
    const D = getDUnchecked(xp, A);
    const pair = mostMispricedPair(xp, A, fee, pricesUsd, D, tolerance, blocked);
    if (pair < 0) break;
    const bi = Math.floor(pair / n);
    const bj = pair % n;
    const dx = arbitrageInput(xp, bi, bj, A, fee, pricesUsd[bi]! / pricesUsd[bj]!, adminFee, D);
    if (!(dx > 0)) {
      blocked |= 1 << (bi * n + bj);
      continue;
    }
    const pi = pricesUsd[bi]!;
    const pj = pricesUsd[bj]!;
    const saved0 = xp[bi]!;
    const saved1 = xp[bj]!;
    exchangeUnchecked(xp, bi, bj, dx, A, fee, adminFee, D, swapOut);
    const profit = swapOut.dy * pj - dx * pi;
    if (!(profit > minProfit)) {
      xp[bi] = saved0;
      xp[bj] = saved1;
      blocked |= 1 << (bi * n + bj);
      continue;
    }
    trades++;
    stats.trades++;
    stats.volumeUsd += dx * pi;
    stats.feesLpUsd += swapOut.feeLp * pj;
    stats.feesAdminUsd += swapOut.feeAdmin * pj;
    stats.lvrUsd += swapOut.dyGross * pj - dx * pi;
    stats.profitUsd += profit;
  }
  return trades;
}
