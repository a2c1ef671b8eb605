/**
 * Arbitrage on the float twin (amm-curves.md §2.3–2.4, §7.1): an arbitrageur who sees external USD
 * prices sells coin i for coin j while the fee-inclusive marginal price (1 − fee)·spot_ij is above
 * p_i/p_j, and stops where they are equal, the edge of the no-arbitrage band. Pure and
 * deterministic: no randomness, no I/O.
 *
 * One trade is a 1-D root find on t = ln x_i (secant steps from a numerical slope, safeguarded by
 * bisection once the root is bracketed; ≈ 4–8 evaluations of a closed-form y and price). With more
 * than two coins the most mispriced pair is traded first, then the next, until every pair is
 * inside the band (curvesim instead solves all pairs jointly with least squares; the end state is
 * the same band, reached greedily).
 */
import { exchangeUnchecked, getDUnchecked, newFloatSwap, spotPriceUnchecked, type FloatSwap } from './math.js';

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
  /** Most pair trades per call. Default 4·n. */
  maxTrades?: number;
  /** Smallest profit (USD, net of fee) worth a trade (gas). Default 0. */
  minProfitUsd?: number;
}

/** ln of coin i's fee-free marginal price in coin j after coin i's normalised balance becomes `ui`. */
function logSpotAfter(ui: number, i: number, j: number, u: Float64Array, A: number, n: number, nn: number, nn1: number): number {
  // y(ui) on the invariant D = 1 (balances normalised by D): y² + (b − 1)·y = c
  const Ann = A * n;
  let S = 0;
  let prodOthers = 1;
  for (let k = 0; k < n; k++) {
    if (k === i || k === j) continue;
    S += u[k]!;
    prodOthers *= u[k]!;
  }
  const c = 1 / (nn * prodOthers * ui * Ann);
  const B = S + ui + 1 / Ann - 1;
  const root = Math.sqrt(B * B + 4 * c);
  const uj = B >= 0 ? (2 * c) / (B + root) : (root - B) / 2;
  const K = A * nn1 * prodOthers * ui * uj;
  return Math.log((uj * (ui * K + 1)) / (ui * (uj * K + 1)));
}

/**
 * The input `dx` (same units as xp) of coin i that brings (1 − fee)·spot_ij to `targetRatio`
 * (= p_i/p_j), on the invariant D of `xp`. 0 when the pool is already at or below the target.
 */
export function arbitrageInput(xp: ArrayLike<number>, i: number, j: number, A: number, fee: number, targetRatio: number, D: number = getDUnchecked(xp, A)): number {
  const n = xp.length;
  const u = new Float64Array(n);
  for (let k = 0; k < n; k++) u[k] = xp[k]! / D;
  return solveInput(u, i, j, A, fee, targetRatio) * D;
}

/** arbitrageInput on balances already normalised by D (`u`), result normalised too. */
function solveInput(u: Float64Array, i: number, j: number, A: number, fee: number, targetRatio: number): number {
  const n = u.length;
  let nn = 1;
  for (let k = 0; k < n; k++) nn *= n;
  const nn1 = nn * n;
  const target = Math.log(targetRatio) - Math.log(1 - fee);
  const ui0 = u[i]!;
  const h = (t: number) => logSpotAfter(Math.exp(t), i, j, u, A, n, nn, nn1) - target;
  const t0 = Math.log(ui0);
  let a = t0;
  let ha = h(a);
  if (!(ha > 0)) return 0;
  const delta = 1e-7;
  let slope = (h(a + delta) - ha) / delta;
  if (!(slope < 0)) slope = -2;
  let lo = a;
  let hi = Infinity;
  for (let it = 0; it < 60; it++) {
    let t = a - ha / slope;
    // at most ×e^4 per step before a bracket exists; bisection when a secant step leaves the bracket
    if (hi === Infinity) t = Math.min(t, a + 4);
    else if (!(t > lo && t < hi)) t = (lo + hi) / 2;
    const ht = h(t);
    if (ht > 0) lo = t;
    else hi = t;
    if (Math.abs(ht) < 1e-13) return Math.max(0, Math.exp(t) - ui0);
    if (hi - lo < 1e-15) break;
    const s = (ht - ha) / (t - a);
    if (s < 0 && Number.isFinite(s)) slope = s;
    a = t;
    ha = ht;
  }
  // not settled within tolerance: stop on the side that does not overshoot the band
  return Math.max(0, Math.exp(lo) - ui0);
}

const scratchU: Float64Array[] = [];
const swapOut: FloatSwap = newFloatSwap();

/**
 * Trades `xp` (mutated) to the no-arbitrage band of the external USD prices `pricesUsd`, pair by
 * pair, most mispriced first. Adds the trades to `stats`; returns how many trades were made.
 */
export function arbitrage(
  xp: Float64Array, A: number, fee: number, adminFee: number, pricesUsd: ArrayLike<number>, stats: ArbitrageStats, options: ArbitrageOptions = {},
): number {
  const n = xp.length;
  const tolerance = options.tolerance ?? 1e-9;
  const maxTrades = options.maxTrades ?? 4 * n;
  const minProfit = options.minProfitUsd ?? 0;
  const band = -Math.log(1 - fee);
  const u = scratchU[n] ?? (scratchU[n] = new Float64Array(n));
  let trades = 0;
  let blocked = 0; // bitmask of ordered pairs whose best trade was not worth making
  for (let round = 0; round < maxTrades; round++) {
    const D = getDUnchecked(xp, A);
    let best = tolerance;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j || (blocked & (1 << (i * n + j))) !== 0) continue;
        // mispricing of coin i in coin j beyond the band edge
        const gap = Math.log(spotPriceUnchecked(i, j, xp, A, D) * pricesUsd[j]! / pricesUsd[i]!) - band;
        if (gap > best) {
          best = gap;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    for (let k = 0; k < n; k++) u[k] = xp[k]! / D;
    const dx = solveInput(u, bi, bj, A, fee, pricesUsd[bi]! / pricesUsd[bj]!) * D;
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
