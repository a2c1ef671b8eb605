/**
 * Properties of the weighted-pool math (fast-check): swaps keep reserves positive, round trips never
 * pay the trader, fees never lower the invariant, execution prices worsen with size; arbitrage lands
 * in the no-arbitrage band, is optimal (checked against a 1-D search) and idempotent; SLERP keeps
 * unit norm with exact endpoints and constant speed; AM-GM bisection equals SLERP at dyadic points;
 * running schedules reproduce the path functions bit for bit; bad input throws typed errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { InvalidArgumentError } from '../env/core/errors.js';
import {
  WeightSchedule, amgmMidpoint, amgmPath, applyWeightGuardRail, arbitrageToPrices, balancesForValue, bhattacharyyaAngle,
  interpolationLoss, interpolationPath, invariant, klDivergence, outGivenIn, inGivenOut, optimalInterpolationPath, poolValue,
  slerp, spotPrice, swapGivenIn, swapGivenOut, weightUpdateValueRatio, type InterpolationScheme,
} from '../env/amm/weighted/index.js';

const RUNS = 300;

/** Weights of n tokens, each ≥ ~0.01/n·… (normalised from [0.02, 1]). */
const arbWeights = (n: number) => fc.array(fc.double({ min: 0.02, max: 1, noNaN: true }), { minLength: n, maxLength: n })
  .map((v) => {
    const s = v.reduce((a, b) => a + b, 0);
    return v.map((x) => x / s);
  });
const arbPositive = (n: number, min: number, max: number) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });

interface Pool {
  readonly weights: number[];
  readonly balances: number[];
}
const arbPool: fc.Arbitrary<Pool> = fc.integer({ min: 2, max: 5 }).chain((n) => fc.record({
  weights: arbWeights(n),
  balances: arbPositive(n, 1e-3, 1e9),
}));
const arbFee = fc.oneof(fc.constant(0), fc.double({ min: 1e-5, max: 0.1, noNaN: true }));

const inv = (p: Pool, balances: number[]) => invariant(balances, p.weights);

describe('weighted pool swaps', () => {
  it('keep every reserve positive and finite (trades up to 10× the balance in, up to 99.9 % of it out)', () => {
    fc.assert(fc.property(arbPool, fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), arbFee, fc.nat(), (pool, inFrac, outFrac, fee, seed) => {
      const n = pool.weights.length;
      const i = seed % n;
      const j = (i + 1) % n;
      const a = swapGivenIn(pool.balances, pool.weights, i, j, inFrac * pool.balances[i]!, fee);
      const b = swapGivenOut(pool.balances, pool.weights, i, j, outFrac * pool.balances[j]!, fee);
      for (const r of [a, b]) for (const x of r.balances) assert.ok(Number.isFinite(x) && x > 0, `balance ${x}`);
    }), { numRuns: RUNS });
  });

  it('never pay the trader on a round trip (i → j → i), strictly with a fee', () => {
    fc.assert(fc.property(arbPool, fc.double({ min: 1e-6, max: 2, noNaN: true }), arbFee, fc.nat(), (pool, frac, fee, seed) => {
      const n = pool.weights.length;
      const i = seed % n;
      const j = (i + 1 + (seed % (n - 1))) % n;
      const dx = frac * pool.balances[i]!;
      const there = swapGivenIn(pool.balances, pool.weights, i, j, dx, fee);
      const back = swapGivenIn(there.balances, pool.weights, j, i, there.amountOut, fee);
      assert.ok(back.amountOut <= dx * (1 + 1e-12), `got back ${back.amountOut} for ${dx}`);
      if (fee >= 1e-4) assert.ok(back.amountOut < dx, `fee ${fee}: got back ${back.amountOut} for ${dx}`);
      // and by exact-out: buying back exactly dx costs at least what was received
      const cost = inGivenOut(there.balances[j]!, pool.weights[j]!, there.balances[i]!, pool.weights[i]!, Math.min(dx, there.balances[i]! * 0.999), fee);
      if (dx < there.balances[i]! * 0.999) assert.ok(cost >= there.amountOut * (1 - 1e-12), `buy back costs ${cost} < received ${there.amountOut}`);
    }), { numRuns: RUNS });
  });

  it('never lower the invariant; fees raise it', () => {
    fc.assert(fc.property(arbPool, fc.double({ min: 1e-4, max: 5, noNaN: true }), arbFee, fc.nat(), (pool, frac, fee, seed) => {
      const n = pool.weights.length;
      const [i, j] = [seed % n, (seed + 1) % n];
      const k0 = inv(pool, pool.balances);
      const a = swapGivenIn(pool.balances, pool.weights, i, j, frac * pool.balances[i]!, fee);
      const b = swapGivenOut(pool.balances, pool.weights, i, j, (frac / (1 + frac)) * pool.balances[j]!, fee);
      for (const r of [a, b]) {
        const k1 = inv(pool, r.balances);
        assert.ok(k1 >= k0 * (1 - 1e-12), `invariant ${k0} → ${k1}`);
        if (fee >= 1e-3) assert.ok(k1 > k0, `fee ${fee}: invariant ${k0} → ${k1} should grow`);
      }
    }), { numRuns: RUNS });
  });

  it('give a worse average price and a higher post-trade price the larger the trade', () => {
    fc.assert(fc.property(arbPool, fc.double({ min: 1e-6, max: 3, noNaN: true }), fc.double({ min: 1.001, max: 10, noNaN: true }), arbFee, (pool, frac, grow, fee) => {
      const [i, j] = [0, 1];
      const d1 = frac * pool.balances[i]!;
      const d2 = d1 * grow;
      const s1 = swapGivenIn(pool.balances, pool.weights, i, j, d1, fee);
      const s2 = swapGivenIn(pool.balances, pool.weights, i, j, d2, fee);
      assert.ok(s2.amountOut >= s1.amountOut, 'more in, at least as much out');
      assert.ok(s2.amountOut / d2 <= (s1.amountOut / d1) * (1 + 1e-12), `average price ${s1.amountOut / d1} → ${s2.amountOut / d2}`);
      // price of the bought token j in units of i rises with the trade
      const p0 = spotPrice(pool.balances, pool.weights, j, i);
      const p1 = spotPrice(s1.balances, pool.weights, j, i);
      const p2 = spotPrice(s2.balances, pool.weights, j, i);
      assert.ok(p0 <= p1 * (1 + 1e-12) && p1 <= p2 * (1 + 1e-12), `spot ${p0} → ${p1} → ${p2}`);
    }), { numRuns: RUNS });
  });

  it('out-given-in and in-given-out invert each other', () => {
    fc.assert(fc.property(arbPool, fc.double({ min: 1e-6, max: 3, noNaN: true }), arbFee, (pool, frac, fee) => {
      const [xi, xo, wi, wo] = [pool.balances[0]!, pool.balances[1]!, pool.weights[0]!, pool.weights[1]!];
      const dx = frac * xi;
      const out = outGivenIn(xi, wi, xo, wo, dx, fee);
      // beyond half the balance the inverse is ill-conditioned (log1p(−out/x_o) near −∞); Balancer caps at 30 %
      if (out <= 0 || out > 0.5 * xo) return;
      const back = inGivenOut(xi, wi, xo, wo, out, fee);
      assert.ok(Math.abs(back - dx) <= 1e-9 * dx, `${back} vs ${dx}`);
    }), { numRuns: RUNS });
  });
});

interface Market extends Pool {
  readonly prices: number[];
}
const arbMarket: fc.Arbitrary<Market> = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  weights: arbWeights(n),
  balances: arbPositive(n, 1e-2, 1e6),
  prices: arbPositive(n, 1e-3, 1e3),
}));

/** max over ordered pairs of γ × pool price / external price; ≤ 1 means no profitable marginal trade. */
function worstBand(balances: number[], weights: number[], prices: number[], fee: number): number {
  let worst = 0;
  for (let i = 0; i < weights.length; i++) {
    for (let j = 0; j < weights.length; j++) {
      if (i !== j) worst = Math.max(worst, ((1 - fee) * spotPrice(balances, weights, i, j)) / (prices[i]! / prices[j]!));
    }
  }
  return worst;
}

describe('arbitrage to external prices', () => {
  it('lands every pair in the no-arbitrage band [γp, p/γ], with profit ≥ 0 and the invariant not lowered', () => {
    fc.assert(fc.property(arbMarket, arbFee, (m, fee) => {
      const r = arbitrageToPrices(m.balances, m.weights, m.prices, fee);
      assert.ok(worstBand(r.balances, m.weights, m.prices, fee) <= 1 + 1e-9, 'band');
      assert.ok(r.profit >= -1e-9 * poolValue(m.balances, m.prices), `profit ${r.profit}`);
      assert.ok(inv(m, r.balances) >= inv(m, m.balances) * (1 - 1e-12), 'invariant');
      r.balances.forEach((x) => assert.ok(x > 0 && Number.isFinite(x)));
      // the profit is exactly the pool's loss at external prices
      const loss = poolValue(m.balances, m.prices) - poolValue(r.balances, m.prices);
      assert.ok(Math.abs(loss - r.profit) <= 1e-9 * poolValue(m.balances, m.prices), `${loss} vs ${r.profit}`);
    }), { numRuns: RUNS });
  });

  it('without fees puts the pool exactly on the external prices (p_i x_i / w_i equal for all i)', () => {
    fc.assert(fc.property(arbMarket, (m) => {
      const r = arbitrageToPrices(m.balances, m.weights, m.prices, 0);
      const v = r.balances.map((x, i) => (x * m.prices[i]!) / m.weights[i]!);
      for (const x of v) assert.ok(Math.abs(x / v[0]! - 1) < 1e-12, `${v}`);
    }), { numRuns: RUNS });
  });

  it('is idempotent: a second arbitrage at the same prices finds nothing worth 1e-12 of the pool', () => {
    fc.assert(fc.property(arbMarket, arbFee, (m, fee) => {
      const r1 = arbitrageToPrices(m.balances, m.weights, m.prices, fee);
      const r2 = arbitrageToPrices(r1.balances, m.weights, m.prices, fee);
      assert.ok(r2.profit <= 1e-12 * poolValue(r1.balances, m.prices), `second profit ${r2.profit}`);
    }), { numRuns: RUNS });
  });

  it('is optimal: two tokens, no trade size found by a golden-section search earns more', () => {
    // mispricings up to ~1e4 keep the optimal size inside the search range
    const arbTwo = fc.record({ weights: arbWeights(2), balances: arbPositive(2, 1, 100), prices: arbPositive(2, 0.1, 10) });
    fc.assert(fc.property(arbTwo, arbFee, (m, fee) => {
      const r = arbitrageToPrices(m.balances, m.weights, m.prices, fee);
      // best profit from selling token s into the pool, over trade sizes in [0, 1e5·x_s] (profit is concave in size)
      let best = 0;
      for (const s of [0, 1]) {
        const o = 1 - s;
        const profit = (d: number) => outGivenIn(m.balances[s]!, m.weights[s]!, m.balances[o]!, m.weights[o]!, d, fee) * m.prices[o]! - d * m.prices[s]!;
        let lo = 0;
        let hi = 1e5 * m.balances[s]!;
        for (let k = 0; k < 200; k++) {
          const a = lo + (hi - lo) * 0.381966;
          const b = lo + (hi - lo) * 0.618034;
          if (profit(a) < profit(b)) lo = a;
          else hi = b;
        }
        best = Math.max(best, profit((lo + hi) / 2));
      }
      const scale = poolValue(m.balances, m.prices);
      assert.ok(r.profit >= best - 1e-9 * scale, `closed form ${r.profit} < search ${best}`);
      assert.ok(r.profit <= best + 1e-9 * scale, `closed form ${r.profit} > search ${best}: infeasible?`);
    }), { numRuns: RUNS });
  });

  it('costs exp(−KL(w′‖w)) of the value for a weight step at constant prices (the §6.2 identity, random cases)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(arbWeights(n), arbWeights(n), arbPositive(n, 0.01, 100))), ([w, w2, p]) => {
      const x = balancesForValue(w, p, 1000);
      const r = arbitrageToPrices(x, w2, p, 0);
      const ratio = poolValue(r.balances, p) / 1000;
      assert.ok(Math.abs(ratio - weightUpdateValueRatio(w, w2)) < 1e-13, `${ratio} vs ${weightUpdateValueRatio(w, w2)}`);
    }), { numRuns: RUNS });
  });
});

const arbPair2 = fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(arbWeights(n), arbWeights(n)));

describe('SLERP and AM-GM', () => {
  it('SLERP: exact endpoints, unit norm (Σ w = 1), non-negative weights, constant speed along θ', () => {
    fc.assert(fc.property(arbPair2, fc.double({ min: 0, max: 1, noNaN: true }), ([w0, w1], tau) => {
      assert.deepEqual(slerp(w0, w1, 0), w0);
      assert.deepEqual(slerp(w0, w1, 1), w1);
      const w = slerp(w0, w1, tau);
      const sum = w.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-14, `Σ w = ${sum}`);
      w.forEach((x) => assert.ok(x >= 0));
      const theta = bhattacharyyaAngle(w0, w1);
      // arccos loses precision near 0; compare the cosines' complements instead of angles there
      if (theta > 1e-4) assert.ok(Math.abs(bhattacharyyaAngle(w0, w) - tau * theta) < 1e-7, `angle ${bhattacharyyaAngle(w0, w)} vs ${tau * theta}`);
    }), { numRuns: RUNS });
  });

  it('AM-GM bisection equals SLERP at every dyadic point (f = 1 … 64)', () => {
    fc.assert(fc.property(arbPair2, fc.integer({ min: 0, max: 6 }), ([w0, w1], levels) => {
      const f = 2 ** levels;
      const path = amgmPath(w0, w1, levels);
      for (let k = 0; k <= f; k++) {
        const s = slerp(w0, w1, k / f);
        path[k]!.forEach((x, i) => assert.ok(Math.abs(x - s[i]!) <= 1e-15, `f=${f} k=${k}: ${x} vs ${s[i]}`));
      }
      const mid = amgmMidpoint(w0, w1);
      slerp(w0, w1, 0.5).forEach((x, i) => assert.ok(Math.abs(x - mid[i]!) <= 1e-15));
    }), { numRuns: 150 });
  });

  // SLERP minimises the leading-order cost only, so it need not beat linear on every large move;
  // the exact optimum must beat both.
  it('the numerical optimum loses no more than SLERP or linear', () => {
    fc.assert(fc.property(arbPair2, fc.constantFrom(2, 4, 8), ([w0, w1], f) => {
      const opt = optimalInterpolationPath(w0, w1, f).loss;
      assert.ok(opt <= interpolationLoss(w0, w1, f, 'slerp') + 1e-15, 'optimum ≤ SLERP');
      assert.ok(opt <= interpolationLoss(w0, w1, f, 'linear') + 1e-15, 'optimum ≤ linear');
    }), { numRuns: 60 });
  });

  it('KL is ≥ 0 and 0 only for equal vectors', () => {
    fc.assert(fc.property(arbPair2, ([p, q]) => {
      assert.ok(klDivergence(p, q) >= 0);
      assert.equal(klDivergence(p, p), 0);
    }), { numRuns: RUNS });
  });
});

describe('WeightSchedule', () => {
  it('steps through exactly the points of interpolationPath, bit for bit, for every scheme', () => {
    fc.assert(fc.property(arbPair2, fc.constantFrom<InterpolationScheme>('linear', 'slerp', 'amgm'), fc.integer({ min: 0, max: 6 }), ([w0, w1], scheme, levels) => {
      const f = scheme === 'amgm' ? 2 ** levels : levels * 5 + 1;
      const sched = new WeightSchedule(w0.length, 64);
      sched.start(w0, w1, f, scheme);
      const path = interpolationPath(w0, w1, f, scheme);
      const out = new Float64Array(w0.length);
      for (let k = 1; k <= f; k++) {
        assert.equal(sched.advance(out), true);
        assert.deepEqual(Array.from(out), path[k], `${scheme} f=${f} k=${k}`);
      }
      assert.equal(sched.advance(out), false);
      assert.equal(sched.remaining, 0);
    }), { numRuns: 150 });
  });
});

describe('guard rail', () => {
  it('keeps every weight ≥ the floor, the sum at 1, and leaves compliant weights alone', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(arbWeights(n), fc.double({ min: 0, max: 1 / n, noNaN: true }))), ([w, floor]) => {
      const g = applyWeightGuardRail(w, floor);
      g.forEach((x) => assert.ok(x >= floor - 1e-15, `${x} < ${floor}`));
      assert.ok(Math.abs(g.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      if (w.every((x) => x > floor)) g.forEach((x, i) => assert.ok(Math.abs(x - w[i]!) < 1e-15));
    }), { numRuns: RUNS });
  });
});

describe('input validation', () => {
  const bad = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && pattern.test((e as Error).message));
  it('names the bad value, where it came from and what is allowed', () => {
    bad(() => slerp([0.5, NaN], [0.5, 0.5], 0.5), /slerp w0\[1\] = NaN .*finite weight/);
    bad(() => slerp([0.5, 0.6], [0.5, 0.5], 0.5), /slerp w0 .*summing to 1/);
    bad(() => slerp([0.5, 0.5], [0.2, 0.3, 0.5], 0.5), /slerp w1 .*2 weights/);
    bad(() => slerp([0.5, 0.5], [0.5, 0.5], 1.5), /slerp tau = 1\.5 .*<= 1/);
    bad(() => interpolationLoss([0.5, 0.5], [0.9, 0.1], 3, 'amgm'), /steps = 3 .*power of two/);
    bad(() => interpolationLoss([0.5, 0.5], [0.9, 0.1], 2, 'cubic' as 'slerp'), /scheme = "cubic"/);
    bad(() => outGivenIn(100, 0.5, 100, 0.5, -1, 0), /amountIn = -1/);
    bad(() => inGivenOut(100, 0.5, 100, 0.5, 100, 0), /amountOut = 100 .*< 100/);
    bad(() => swapGivenIn([1, 1], [0.5, 0.5], 0, 0, 1, 0), /tokenOut = 0 .*other than tokenIn/);
    bad(() => arbitrageToPrices([1, 1], [0.5, 0.5], [1, 0], 0), /prices\[1\] = 0 .*> 0/);
    bad(() => arbitrageToPrices([1, 1], [0.5, 0.5], [1, 1], 1), /feeRate = 1 .*< 1/);
    bad(() => klDivergence([1, 0], [0.5, -0.5] as number[]), /klDivergence w1\[1\] = -0\.5/);
    bad(() => new WeightSchedule(3, 8).start([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], 16, 'slerp'), /steps = 16 .*\[1, 8\]/);
  });
});
