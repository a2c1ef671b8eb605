/**
 * The arbitrage loop under GBM prices, against closed forms and amm-curves.md §2.6's Monte Carlo
 * table: ARB/(σ_b²·V/4) of a constant-product pool (a ½/½ weighted pool) with the fee band, for
 * constant block times (Nezlobin–Tassy with γ_spread = 2γ_fee) and Poisson blocks (Milionis et al.,
 * with P_trade); the LVR rate of a 3-token pool; and the step-count trade-off of a weight change
 * (cost curve and f*) measured by simulation against `stepCountTradeOff`. Seeds are fixed, so the
 * runs are reproducible; tolerances come from the runs' own standard errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '../env/core/rng.js';
import { WeightSchedule, WeightedArbitrageur, lvrRate, stepCountTradeOff } from '../env/amm/weighted/index.js';

interface Estimate {
  readonly mean: number;
  readonly se: number;
}

function estimate(perPath: readonly number[]): Estimate {
  const n = perPath.length;
  const mean = perPath.reduce((s, x) => s + x, 0) / n;
  const variance = perPath.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

/** ARB/(σ_b²·V/4) per block and the share of blocks with a trade, for a ½/½ pool at σ_b = 0.002. */
function arbPerBlock(r: number, poisson: boolean, paths: number, blocks: number, seed: number): { arb: Estimate; pTrade: Estimate } {
  const sb = 0.002;
  const fee = -Math.expm1(-r * sb); // γ_fee = −ln(1 − fee) = r·σ_b
  const arb = new WeightedArbitrageur(2);
  const weights = [0.5, 0.5];
  const rng = new Rng(seed);
  const balances = new Float64Array(2);
  const prices = [1, 1];
  const arbs: number[] = [];
  const trades: number[] = [];
  for (let k = 0; k < paths; k++) {
    balances[0] = 1;
    balances[1] = 1;
    prices[0] = 1;
    let sum = 0;
    let traded = 0;
    for (let b = 0; b < blocks; b++) {
      const value = balances[0]! * prices[0]! + balances[1]!;
      const dt = poisson ? rng.exponential() : 1;
      prices[0] = prices[0]! * Math.exp(sb * Math.sqrt(dt) * rng.standardNormal() - 0.5 * sb * sb * dt);
      const out = arb.run(balances, weights, prices, fee);
      sum += out.profit / ((sb * sb * value) / 4);
      if (out.traded) traded++;
    }
    arbs.push(sum / blocks);
    trades.push(traded / blocks);
  }
  return { arb: estimate(arbs), pTrade: estimate(trades) };
}

/** |mc − target| within 4 standard errors plus `slack` (relative) for start-up transients. */
function agrees(mc: Estimate, target: number, slack: number, what: string): void {
  const tol = 4 * mc.se + slack * Math.abs(target);
  assert.ok(Math.abs(mc.mean - target) <= tol, `${what}: simulated ${mc.mean} ± ${mc.se}, expected ${target} (tolerance ${tol})`);
}

describe('§2.6 ARB per block of a constant-product pool (½/½ weighted) with fees', () => {
  // r = γ_fee/σ_b; const-block MC, N–T formula, Poisson MC, Milionis formula, P_trade (MC / formula)
  const TABLE: readonly (readonly [r: number, constMc: number, nt: number, poissonMc: number, milionis: number, pTradeMc: number, pTrade: number])[] = [
    [0, 0.4998, 0.5, 0.5, 0.5, 1, 1],
    [0.5, 0.269, 0.2691, 0.2929, 0.2929, 0.5858, 0.5858],
    [1, 0.1841, 0.1841, 0.2076, 0.2071, 0.414, 0.4142],
    [3, 0.0813, 0.0813, 0.0955, 0.0954, 0.1901, 0.1907],
    [10, 0.0275, 0.0275, 0.033, 0.033, 0.0653, 0.066],
  ];
  for (const [r, constMc, nt, poissonMc, milionis, pTradeMc, pTrade] of TABLE) {
    it(`r = ${r}: constant blocks ${constMc} (N–T ${nt}), Poisson blocks ${poissonMc} (Milionis ${milionis}), P_trade ${pTradeMc}`, () => {
      // 120 paths × 2500 blocks per setting; the doc used 4000 × 3000
      const c = arbPerBlock(r, false, 120, 2500, 100 + 10 * r);
      const formulaConst = 1 / (2 + (1.7164 * 2 * r));
      assert.ok(Math.abs(formulaConst - nt) < 6e-5, `N–T formula ${formulaConst}`);
      agrees(c.arb, formulaConst, 0.02, 'constant blocks vs N–T');
      agrees(c.arb, constMc, 0.02, 'constant blocks vs the doc MC');
      const p = arbPerBlock(r, true, 120, 2500, 200 + 10 * r);
      const formulaPoisson = 0.5 / (1 + Math.SQRT2 * r);
      assert.ok(Math.abs(formulaPoisson - milionis) < 6e-5, `Milionis formula ${formulaPoisson}`);
      agrees(p.arb, formulaPoisson, 0.02, 'Poisson blocks vs Milionis');
      agrees(p.arb, poissonMc, 0.02, 'Poisson blocks vs the doc MC');
      agrees(p.pTrade, 1 / (1 + Math.SQRT2 * r), 0.02, 'P_trade vs formula');
      assert.ok(Math.abs(1 / (1 + Math.SQRT2 * r) - pTrade) < 6e-5);
      agrees(p.pTrade, pTradeMc, 0.02, 'P_trade vs the doc MC');
    });
  }
});

describe('LVR of a weighted pool', () => {
  it('two tokens with a riskless numeraire: σ²·w(1−w)·V/2 (§2.6)', () => {
    assert.ok(Math.abs(lvrRate([0.3, 0.7], [0.8, 0], 100) - (0.64 * 0.3 * 0.7 * 100) / 2) < 1e-13);
    assert.ok(Math.abs(lvrRate([0.5, 0.5], [1, 0], 8) - 1) < 1e-15); // constant product: σ²V/8
  });

  it('three independent GBM tokens: the mean fee-free arbitrage loss per step is ℓ·Δt', () => {
    const weights = [0.5, 0.3, 0.2];
    const vols = [0.9, 0.5, 0];
    const dt = 1 / 8760;
    const rate = lvrRate(weights, vols, 1);
    assert.ok(Math.abs(rate - 0.5 * (0.5 * 0.5 * 0.81 + 0.3 * 0.7 * 0.25)) < 1e-15);
    const arb = new WeightedArbitrageur(3);
    const rng = new Rng(11);
    const perPath: number[] = [];
    for (let k = 0; k < 200; k++) {
      const prices = [1, 1, 1];
      const balances = Float64Array.from(weights);
      let sum = 0;
      const steps = 1000;
      for (let t = 0; t < steps; t++) {
        const value = balances.reduce((s, x, i) => s + x * prices[i]!, 0);
        for (let i = 0; i < 3; i++) prices[i] = prices[i]! * Math.exp(vols[i]! * Math.sqrt(dt) * rng.standardNormal() - 0.5 * vols[i]! ** 2 * dt);
        sum += arb.run(balances, weights, prices, 0).profit / (rate * value * dt);
      }
      perPath.push(sum / steps);
    }
    agrees(estimate(perPath), 1, 0.01, 'arbitrage loss / (ℓ·Δt)');
  });

  it('correlated tokens: ℓ = (V/2)(Σ wσ² − wᵀΣw); perfectly correlated equal-volatility tokens have none', () => {
    const rho = [[1, 1], [1, 1]];
    assert.ok(Math.abs(lvrRate([0.4, 0.6], [0.7, 0.7], 1, rho)) < 1e-16);
    const half = [[1, 0.5], [0.5, 1]];
    const expected = 0.5 * (0.4 * 0.49 + 0.6 * 0.09 - (0.16 * 0.49 + 0.36 * 0.09 + 2 * 0.24 * 0.5 * 0.7 * 0.3));
    assert.ok(Math.abs(lvrRate([0.4, 0.6], [0.7, 0.3], 1, half) - expected) < 1e-15);
  });
});

describe('step-count trade-off of a weight change under GBM (f*)', () => {
  // De-risking: a ½/½ risky/numeraire pool moves to 10/90 with daily steps, σ = 100 %/year.
  const w0 = [0.5, 0.5];
  const w1 = [0.1, 0.9];
  const sigma = 1;
  const stepSec = 86_400;
  const horizon = 200;
  const theory = stepCountTradeOff(w0, w1, { volatilities: [sigma, 0], value: 1, stepSec, maxSteps: horizon });

  it('the exact cost curve has a finite optimum (f* = 56) next to the leading-order θ√(2V/c̄) ≈ 56.1', () => {
    assert.equal(theory.optimalSteps, 56);
    assert.ok(Math.abs(theory.leadingOrderOptimalSteps - 56.1) < 0.05, `${theory.leadingOrderOptimalSteps}`);
    const c = theory.costs;
    assert.ok(c[3]!.total > c[55]!.total && c[199]!.total > c[55]!.total);
    // the rebalancing term falls like 1/f, the transit term grows like f
    assert.ok(c[0]!.rebalancingLoss > c[9]!.rebalancingLoss && c[9]!.transitLvr > c[0]!.transitLvr);
  });

  it('simulated final pool values (common price paths, fee-free arbitrage) match the curve and pick f* = 56 among 4, 16, 56, 128', () => {
    const fs = [4, 16, 56, 128];
    const paths = 1500;
    const arb = new WeightedArbitrageur(2);
    const schedule = new WeightSchedule(2, 256);
    const rng = new Rng(7);
    const dt = stepSec / (365 * 86_400);
    const z = new Float64Array(horizon);
    const w = new Float64Array(2);
    const balances = new Float64Array(2);
    const prices = [1, 1];
    const finals = fs.map(() => new Float64Array(paths));
    for (let k = 0; k < paths; k++) {
      for (let t = 0; t < horizon; t++) z[t] = rng.standardNormal();
      fs.forEach((f, i) => {
        w.set(w0);
        balances[0] = 0.5;
        balances[1] = 0.5;
        prices[0] = 1;
        schedule.startUnchecked(w0, w1, f, 'slerp');
        for (let t = 0; t < horizon; t++) {
          prices[0] = prices[0]! * Math.exp(sigma * Math.sqrt(dt) * z[t]! - 0.5 * sigma * sigma * dt);
          schedule.advance(w);
          arb.run(balances, w, prices, 0);
        }
        finals[i]![k] = balances[0]! * prices[0]! + balances[1]!;
      });
    }
    const means = finals.map((v) => v.reduce((s, x) => s + x, 0) / paths);
    for (let i = 1; i < fs.length; i++) {
      const diff = estimate(Array.from(finals[i]!, (x, k) => x - finals[0]![k]!));
      const predicted = theory.costs[fs[0]! - 1]!.total - theory.costs[fs[i]! - 1]!.total;
      agrees(diff, predicted, 0.02, `E[V_T(f=${fs[i]})] − E[V_T(f=4)]`);
    }
    const best = fs[means.indexOf(Math.max(...means))];
    assert.equal(best, 56, `simulated means ${means.join(', ')}`);
  });
});
