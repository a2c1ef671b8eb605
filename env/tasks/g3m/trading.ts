/**
 * The two traders of g3m-v0 acting on a two-asset G3M pool, and the accounting of what each trade
 * costs the pool at the external price. No randomness here: the env draws every random number and
 * passes it in.
 *
 * Units. The risky reserve `a` is kept in reference-value units (tokens × the reference price), so
 * a balanced equal-weight pool has a = b and spot 1 for every p; one a-unit is worth `s` =
 * external price / reference price numeraire. The numeraire reserve `b` is in numeraire units.
 *
 * Accounting of a trade paying `valueIn` and receiving `valueOut` (both at the external price): the
 * pool gains valueIn − valueOut = fee·valueIn − (valueOut − γ·valueIn). The first term is the fee
 * income, the second the trader's fee-free edge, the loss-versus-rebalancing of that trade (a
 * rebalancing portfolio would have made the same trade at the external price).
 */
import { inToSpotKernel, maxInKernel, outGivenInKernel, spotPriceKernel } from '../../amm/g3m/kernel.js';

export interface TwoAssetPool {
  /** Risky reserve, reference-value units (tokens × reference price). */
  a: number;
  /** Numeraire reserve. */
  b: number;
  /** Weight of the risky asset; the numeraire's is 1 − w. */
  w: number;
  p: number;
  fee: number;
}

/** Per-step sums, numeraire units unless named otherwise. */
export interface TradeTotals {
  fees: number;
  /** Σ of the arbitrageurs' fee-free edge (valueOut − γ·valueIn), ≥ 0: the LVR of arbitrage. */
  arbLoss: number;
  /** Σ of the noise traders' fee-free edge; usually < 0 (they pay slippage to the pool). */
  noiseMarkout: number;
  arbVolume: number;
  noiseVolume: number;
  arbTrades: number;
  noiseTrades: number;
  /** Noise traders who found the all-in cost above their tolerance. */
  noiseDeclined: number;
  /** Noise orders larger than the pool can fill (p > 0 has a finite admissible size). */
  noiseInadmissible: number;
  /** An arbitrage took a whole reserve (float64 could not leave any of it): the pool is depleted. */
  drained: boolean;
}

export function newTradeTotals(): TradeTotals {
  return { fees: 0, arbLoss: 0, noiseMarkout: 0, arbVolume: 0, noiseVolume: 0, arbTrades: 0, noiseTrades: 0, noiseDeclined: 0, noiseInadmissible: 0, drained: false };
}

export function resetTradeTotals(t: TradeTotals): void {
  t.fees = t.arbLoss = t.noiseMarkout = t.arbVolume = t.noiseVolume = 0;
  t.arbTrades = t.noiseTrades = t.noiseDeclined = t.noiseInadmissible = 0;
  t.drained = false;
}

/** Spot price of one a-unit in numeraire, fee-free. */
export function poolSpot(pool: TwoAssetPool): number {
  return spotPriceKernel(pool.a, pool.b, pool.w, 1 - pool.w, pool.p);
}

/** Pool value at the external price s (numeraire per a-unit). */
export function poolValue(pool: TwoAssetPool, s: number): number {
  return pool.a * s + pool.b;
}

/**
 * The arbitrageur of amm-curves.md §2.4: when the spot leaves the no-arbitrage band [γs, s/γ], the
 * single most profitable trade (its last unit trades at s net of fee), fee-inclusive. Returns the
 * pool's gain at the external price (negative: the arbitrage loss net of the fee it paid).
 *
 * When the move is so large that float64 cannot leave anything of the output reserve (p near 1
 * and a crash), the arbitrageur takes all of it for at most the admissible input, `t.drained` is
 * set and the env ends the episode.
 */
export function arbitrage(pool: TwoAssetPool, s: number, t: TradeTotals): number {
  const gamma = 1 - pool.fee;
  const w0 = pool.w;
  const w1 = 1 - w0;
  const spot = spotPriceKernel(pool.a, pool.b, w0, w1, pool.p);
  if (spot * gamma > s) {
    // the pool overprices the risky asset: sell it to the pool
    let dA = inToSpotKernel(pool.a, pool.b, w0, w1, pool.p, gamma, s / gamma);
    let out = outGivenInKernel(pool.a, pool.b, w0, w1, pool.p, gamma, dA);
    if (!(out < pool.b)) {
      dA = Math.min(dA, maxInKernel(pool.a, pool.b, w0, w1, pool.p, gamma));
      out = pool.b;
      t.drained = true;
      if (!Number.isFinite(dA)) return 0;
    }
    if (!(dA > 0 && out > 0)) return 0;
    pool.a += dA;
    pool.b -= out;
    return book(t, dA * s, out, pool.fee, true);
  }
  if (spot < gamma * s) {
    // the pool underprices the risky asset: buy it with numeraire
    let dB = inToSpotKernel(pool.b, pool.a, w1, w0, pool.p, gamma, 1 / (gamma * s));
    let out = outGivenInKernel(pool.b, pool.a, w1, w0, pool.p, gamma, dB);
    if (!(out < pool.a)) {
      dB = Math.min(dB, maxInKernel(pool.b, pool.a, w1, w0, pool.p, gamma));
      out = pool.a;
      t.drained = true;
      if (!Number.isFinite(dB)) return 0;
    }
    if (!(dB > 0 && out > 0)) return 0;
    pool.b += dB;
    pool.a -= out;
    return book(t, dB, out * s, pool.fee, true);
  }
  return 0;
}

/**
 * One noise order worth `valueNumeraire` (selling the risky asset when `sellRisky`): filled when the
 * pool can fill it and its all-in cost 1 − valueOut/valueIn (at the external price) is at most
 * `tolerance`. Returns the pool's gain (0 when not filled).
 */
export function noiseTrade(pool: TwoAssetPool, s: number, sellRisky: boolean, valueNumeraire: number, tolerance: number, t: TradeTotals): number {
  const gamma = 1 - pool.fee;
  const w0 = pool.w;
  const w1 = 1 - w0;
  if (sellRisky) {
    const dA = valueNumeraire / s;
    const out = outGivenInKernel(pool.a, pool.b, w0, w1, pool.p, gamma, dA);
    if (!(out < pool.b)) { // NaN: beyond the admissible size
      t.noiseInadmissible++;
      return 0;
    }
    if (1 - out / valueNumeraire > tolerance) {
      t.noiseDeclined++;
      return 0;
    }
    pool.a += dA;
    pool.b -= out;
    return book(t, valueNumeraire, out, pool.fee, false);
  }
  const out = outGivenInKernel(pool.b, pool.a, w1, w0, pool.p, gamma, valueNumeraire);
  if (!(out < pool.a)) {
    t.noiseInadmissible++;
    return 0;
  }
  if (1 - (out * s) / valueNumeraire > tolerance) {
    t.noiseDeclined++;
    return 0;
  }
  pool.b += valueNumeraire;
  pool.a -= out;
  return book(t, valueNumeraire, out * s, pool.fee, false);
}

function book(t: TradeTotals, valueIn: number, valueOut: number, fee: number, arb: boolean): number {
  const feeValue = fee * valueIn;
  const edge = valueOut - (1 - fee) * valueIn;
  t.fees += feeValue;
  if (arb) {
    t.arbLoss += edge;
    t.arbVolume += valueIn;
    t.arbTrades++;
  } else {
    t.noiseMarkout += edge;
    t.noiseVolume += valueIn;
    t.noiseTrades++;
  }
  return valueIn - valueOut;
}
