/**
 * Arbitrage of a weighted pool back to external prices, and the closed forms of amm-curves.md §6.2.
 *
 * Optimal arbitrage with a fee on input (§2.4): the arbitrageur tenders Δ and takes Λ to maximise
 * Σ p_i(Λ_i − Δ_i) subject to Σ w_i ln(x_i + γΔ_i − Λ_i) ≥ Σ w_i ln x_i (one basket trade, the
 * fee stays in the pool). With c_i = w_i/p_i and the multiplier ν = e^u, the KKT conditions give
 * each token's invariant-relevant balance y_i as
 *   out (x_i > ν c_i):            y_i = ν c_i          (pool pays token i),
 *   in  (x_i < γ ν c_i):          y_i = γ ν c_i        (pool receives (y_i − x_i)/γ),
 *   untouched otherwise:          y_i = x_i,
 * and u solves G(u) = Σ w_i [min(0, u − a_i) + max(0, u − a_i − g)] = 0 with a_i = ln(x_i p_i/w_i),
 * g = −ln γ. G is piecewise linear and non-decreasing with breakpoints a_i and a_i + g, so the root
 * is exact after one scan of the breakpoints (no iteration). With γ = 1 it is §6.2's closed form
 * u = Σ w_i a_i: the pool lands exactly on the external prices with its invariant unchanged.
 * Afterwards every pair's pool price lies in the no-arbitrage band [γ·p, p/γ] (§2.3).
 */
import { klUnchecked } from './simplex.js';
import { checkFeeRate, checkPositiveVector, checkWeightPair, checkWeights, fail, type NumberVector } from './validate.js';

/** Result of one arbitrage, numeraire amounts at the external prices. */
export interface ArbitrageOutcome {
  /** The arbitrageur's profit Σ p_i(x_i − x_i') ≥ 0: the pool's loss to the trade at external prices. */
  profit: number;
  /** Fees the arbitrageur paid, valued at external prices (already counted inside `profit`). */
  fees: number;
  /** Whether any balance changed. */
  traded: boolean;
}

/**
 * The allocation-free kernel: arbitrages `balances` in place for pools of `n` tokens. One instance
 * per pool size; `run` reuses its scratch arrays.
 */
export class WeightedArbitrageur {
  readonly n: number;
  private readonly a: Float64Array;
  /** Outcome of the last `run` (overwritten each call). */
  readonly last: ArbitrageOutcome = { profit: 0, fees: 0, traded: false };

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 2 || n > 64) fail('WeightedArbitrageur n', n, 'an integer in [2, 64]');
    this.n = n;
    this.a = new Float64Array(n);
  }

  /**
   * Arbitrages `balances` (length n, positive) to `prices` at `weights` with swap fee `feeRate`;
   * unchecked (validate once outside the loop). Returns `this.last`.
   */
  run(balances: { [i: number]: number }, weights: NumberVector, prices: NumberVector, feeRate: number): ArbitrageOutcome {
    const n = this.n;
    const a = this.a;
    const gamma = 1 - feeRate;
    const g = -Math.log1p(-feeRate);
    for (let i = 0; i < n; i++) a[i] = Math.log((balances[i]! * prices[i]!) / weights[i]!);

    let u: number;
    if (g === 0) {
      u = 0;
      for (let i = 0; i < n; i++) u += weights[i]! * a[i]!;
    } else {
      // largest breakpoint with G < 0 and smallest with G > 0; G is linear in between
      let lo = -Infinity;
      let gLo = 0;
      let hi = Infinity;
      let gHi = 0;
      u = NaN;
      for (let b = 0; b < 2 * n && Number.isNaN(u); b++) {
        const x = b < n ? a[b]! : a[b - n]! + g;
        let G = 0;
        for (let i = 0; i < n; i++) {
          const d = x - a[i]!;
          if (d < 0) G += weights[i]! * d;
          else if (d > g) G += weights[i]! * (d - g);
        }
        if (G === 0) u = x;
        else if (G < 0) {
          if (x > lo) {
            lo = x;
            gLo = G;
          }
        } else if (x < hi) {
          hi = x;
          gHi = G;
        }
      }
      // G(min a) ≤ 0 ≤ G(max a + g), so both ends are finite when no breakpoint is a root
      if (Number.isNaN(u)) u = lo - (gLo * (hi - lo)) / (gHi - gLo);
    }

    let profit = 0;
    let fees = 0;
    let traded = false;
    for (let i = 0; i < n; i++) {
      const d = u - a[i]!;
      const x = balances[i]!;
      let dx: number;
      if (d < 0) {
        // product form for the new balance: x + x·expm1(d) cancels when the pool pays out most of x
        dx = x * Math.expm1(d);
        balances[i] = x * Math.exp(d);
      } else if (d > g) {
        dx = (x * Math.expm1(d - g)) / gamma;
        fees += feeRate * dx * prices[i]!;
        balances[i] = x + dx;
      } else continue;
      profit -= dx * prices[i]!;
      traded = true;
    }
    const out = this.last;
    out.profit = profit;
    out.fees = fees;
    out.traded = traded;
    return out;
  }
}

export interface ArbitrageResult extends ArbitrageOutcome {
  /** Balances after the arbitrage (a new array). */
  readonly balances: number[];
}

/** Arbitrages a pool to external `prices` (numeraire per token), fee on input; inputs checked. */
export function arbitrageToPrices(balances: number[], weights: number[], prices: number[], feeRate: number): ArbitrageResult {
  const w = checkWeights('arbitrageToPrices weights', weights);
  checkPositiveVector('arbitrageToPrices balances', balances, w.length);
  checkPositiveVector('arbitrageToPrices prices', prices, w.length);
  checkFeeRate('arbitrageToPrices feeRate', feeRate);
  const next = balances.slice();
  const r = new WeightedArbitrageur(w.length).run(next, w, prices, feeRate);
  return { balances: next, profit: r.profit, fees: r.fees, traded: r.traded };
}

/**
 * §6.2 at constant prices, no fees, full arbitrage, pool at equilibrium before the change
 * (p_i x_i = w_i V): balances scale by x_i'/x_i = (w'_i/w_i) / Π_k (w'_k/w_k)^(w'_k).
 */
export function weightUpdateReserveRatios(wOld: number[], wNew: number[]): number[] {
  checkWeightPair('weightUpdateReserveRatios', wOld, wNew, true);
  let logNorm = 0;
  for (let k = 0; k < wOld.length; k++) logNorm += wNew[k]! * Math.log(wNew[k]! / wOld[k]!);
  return wOld.map((w, i) => (wNew[i]! / w) * Math.exp(-logNorm));
}

/**
 * V'/V = exp(−KL(w'‖w)) for one weight step w → w' (same conditions as `weightUpdateReserveRatios`):
 * the value fraction the pool keeps. §6.2: 0.99166130562008 for (0.5, 0.3, 0.2) → (0.45, 0.3, 0.25).
 */
export function weightUpdateValueRatio(wOld: number[], wNew: number[]): number {
  checkWeightPair('weightUpdateValueRatio', wOld, wNew, true);
  return Math.exp(-klUnchecked(wNew, wOld));
}

/**
 * §6.2 at fixed weights, no fees, full arbitrage: a price move p → p' scales balances by
 * x_i'/x_i = Π_k (p'_k/p_k)^(w_k) / (p'_i/p_i).
 */
export function priceMoveReserveRatios(weights: number[], pricesOld: number[], pricesNew: number[]): number[] {
  const w = checkWeights('priceMoveReserveRatios weights', weights);
  checkPositiveVector('priceMoveReserveRatios pricesOld', pricesOld, w.length);
  checkPositiveVector('priceMoveReserveRatios pricesNew', pricesNew, w.length);
  let logMean = 0;
  for (let k = 0; k < w.length; k++) logMean += w[k]! * Math.log(pricesNew[k]! / pricesOld[k]!);
  return pricesOld.map((p, i) => Math.exp(logMean) / (pricesNew[i]! / p));
}
