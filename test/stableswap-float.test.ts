/**
 * The float64 twin against the exact bigint code (differential, |float − exact| / exact ≤ 1e-9 on
 * every quantity; ≤ 1e-12 on D and y), the arbitrage search (lands in the no-arbitrage band,
 * never loses, LVR ≥ 0), and input validation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError } from '../env/core/errors.js';
import {
  NewtonNotConvergedError, StableSwapPool, getD, getY, getYD, float as F,
} from '../env/amm/stableswap/index.js';

const E = 10n ** 18n;

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function assertRel(actual: number, expected: number, tolerance: number, what = 'value'): void {
  assert.ok(rel(actual, expected) < tolerance, `${what}: ${actual} vs ${expected} (relative ${rel(actual, expected)} ≥ ${tolerance})`);
}

/** 2–4 coins, 1e3–1e9 tokens each with up to ×50 imbalance, A() 1–5000, as bigint wei and float tokens. */
const state = fc.record({
  A: fc.integer({ min: 1, max: 5000 }),
  n: fc.integer({ min: 2, max: 4 }),
  scale: fc.integer({ min: 1000, max: 1_000_000_000 }),
  weights: fc.array(fc.integer({ min: 2, max: 100 }), { minLength: 4, maxLength: 4 }),
  jitter: fc.array(fc.bigInt({ min: 0n, max: E }), { minLength: 4, maxLength: 4 }),
}).map(({ A, n, scale, weights, jitter }) => {
  const xp = weights.slice(0, n).map((w, k) => (BigInt(scale) * E * BigInt(w)) / 10n + jitter[k]!);
  return { A, xp, xf: xp.map((x) => Number(x) / 1e18) };
});

/** get_D of a state in the template form, or null when the exact iteration cycles (low A, lopsided). */
function exactD(xp: bigint[], A: number): bigint | null {
  try {
    return getD(xp, BigInt(A) * 100n, 100n);
  } catch (err) {
    if (err instanceof NewtonNotConvergedError) return null;
    throw err;
  }
}

describe('float twin vs exact', () => {
  it('reproduces the §3.7 SS2 numbers to float precision', () => {
    const xf = [1e6, 1.2e6, 0.8e6];
    assertRel(F.getD(xf, 100), 2999587.684373360364515509, 1e-15);
    assertRel(F.getY(0, 1, 1e6 + 1000, xf, 100), 1198998.288662308648016830, 1e-15);
    assertRel(F.getDy(0, 1, 1000, xf, 100, 0.0004), 1001.310653156275442376, 1e-12);
    assertRel(F.spotPrice(0, 1, xf, 100), 1.0017202325072412, 1e-15);
    const x = Float64Array.from(xf);
    const out = F.newFloatSwap();
    F.exchange(x, 0, 1, 1000, 100, 0.0004, 0.5, out);
    assertRel(out.dy, 1001.310653156275442376, 1e-12);
    assertRel(out.feeAdmin, 0.200342267538270396, 1e-9);
    assertRel(x[1]!, 1198998.489004576186287228, 1e-15);
  });

  it('getD, getY and getYD agree within 1e-12', () => {
    fc.assert(fc.property(state, fc.double({ min: 1e-6, max: 3, noNaN: true }), ({ A, xp, xf }, frac) => {
      const D = exactD(xp, A);
      fc.pre(D !== null);
      assertRel(F.getD(xf, A), Number(D) / 1e18, 1e-12);
      const x = xp[0]! + BigInt(Math.floor(Number(xp[0]!) * frac));
      const y = getY(0, 1, x, xp, BigInt(A) * 100n, 100n);
      assertRel(F.getY(0, 1, Number(x) / 1e18, xf, A), Number(y) / 1e18, 1e-12);
      const D1 = (D! * 9n) / 10n;
      const yd = getYD(BigInt(A) * 100n, 1, xp, D1, 100n);
      assertRel(F.getYD(A, 1, xf, Number(D1) / 1e18), Number(yd) / 1e18, 1e-12);
    }), { numRuns: 300 });
  });

  it('getDy and exchange (output, fees, new balances) agree within 1e-9', () => {
    fc.assert(fc.property(
      state, fc.double({ min: 1e-6, max: 2, noNaN: true }), fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 10_000_000_000 }),
      ({ A, xp, xf }, frac, feeRaw, adminRaw) => {
        fc.pre(exactD(xp, A) !== null);
        const n = xp.length;
        const pool = StableSwapPool.withBalances({ A: BigInt(A), fee: BigInt(feeRaw), adminFee: BigInt(adminRaw), nCoins: n }, xp, 10n ** 24n);
        const dx = BigInt(Math.floor(Number(xp[0]!) * frac));
        const fee = feeRaw / 1e10;
        const admin = adminRaw / 1e10;
        const dyExact = Number(pool.getDy(0, n - 1, dx)) / 1e18;
        assertRel(F.getDy(0, n - 1, Number(dx) / 1e18, xf, A, fee), dyExact, 1e-9);
        const r = pool.exchange(0, n - 1, dx);
        const x = Float64Array.from(xf);
        const out = F.newFloatSwap();
        F.exchange(x, 0, n - 1, Number(dx) / 1e18, A, fee, admin, out);
        assertRel(out.dy, Number(r.dy) / 1e18, 1e-9);
        assert.ok(Math.abs(out.feeLp + out.feeAdmin - Number(r.dyFee) / 1e18) <= 1e-9 * out.dyGross + 1e-15, `fee ${out.feeLp + out.feeAdmin} vs ${r.dyFee}`);
        assert.ok(Math.abs(out.feeAdmin - Number(r.dyAdminFee) / 1e18) <= 1e-9 * out.dyGross + 1e-15, `admin fee ${out.feeAdmin} vs ${r.dyAdminFee}`);
        pool.balances.forEach((b, k) => assertRel(x[k]!, Number(b) / 1e18, 1e-9, `balance ${k}`));
      },
    ), { numRuns: 300 });
  });

  it('spot price matches the exact pool formula and a finite difference', () => {
    fc.assert(fc.property(state, fc.nat(), ({ A, xp, xf }, pair) => {
      fc.pre(exactD(xp, A) !== null);
      const n = xp.length;
      const i = pair % n;
      const j = (i + 1) % n;
      const pool = StableSwapPool.withBalances({ A: BigInt(A), fee: 0n, nCoins: n }, xp, 10n ** 24n);
      const s = F.spotPrice(i, j, xf, A);
      assertRel(s, pool.spotPrice(i, j), 1e-12);
      const h = xp[i]! / 1_000_000n; // a 1e-6 trade
      const fd = Number(pool.getDy(i, j, h)) / Number(h);
      assertRel(s, fd, 1e-4, `spot ${s} vs finite difference ${fd}`);
    }), { numRuns: 200 });
  });
});

describe('float arbitrage', () => {
  const prices = fc.array(fc.double({ min: 0.9, max: 1.1, noNaN: true }), { minLength: 4, maxLength: 4 });

  it('lands every pair in the no-arbitrage band, with profit ≥ 0 and LVR ≥ fees', () => {
    fc.assert(fc.property(state, prices, fc.integer({ min: 0, max: 100 }), ({ A, xf }, p, feeBp) => {
      const n = xf.length;
      const fee = feeBp / 1e4;
      const x = Float64Array.from(xf);
      const stats = F.newArbitrageStats();
      F.arbitrage(x, A, fee, 0.5, p, stats);
      const D = F.getD(x, A);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const edge = (F.spotPriceUnchecked(i, j, x, A, D) * (1 - fee)) / (p[i]! / p[j]!);
          assert.ok(edge <= 1 + 1e-8, `pair ${i}→${j} still ${edge - 1} above the band`);
        }
      }
      assert.ok(x.every((v) => v > 0), `balances ${Array.from(x)}`);
      assert.ok(stats.profitUsd >= 0, `profit ${stats.profitUsd}`);
      assert.ok(stats.lvrUsd >= stats.feesLpUsd + stats.feesAdminUsd - 1e-9 * stats.volumeUsd, `LVR ${stats.lvrUsd} below fees`);
      // LVR splits into the arbitrageurs' profit and the fees they paid
      assert.ok(Math.abs(stats.lvrUsd - stats.profitUsd - stats.feesLpUsd - stats.feesAdminUsd) <= 1e-9 * Math.max(1, stats.volumeUsd), `LVR ${stats.lvrUsd} ≠ profit + fees`);
    }), { numRuns: 300 });
  });

  it('arbitrageInput lands the post-trade fee-inclusive price on the target; zero when already inside', () => {
    const xf = [1e6, 1.2e6, 0.8e6];
    for (const adminFee of [0, 0.5, 1]) {
      const dx = F.arbitrageInput(xf, 2, 1, 100, 0.0004, 1, adminFee);
      assert.ok(dx > 0, `dx ${dx}`);
      const x = Float64Array.from(xf);
      F.exchange(x, 2, 1, dx, 100, 0.0004, adminFee);
      const edge = F.spotPrice(2, 1, x, 100) * (1 - 0.0004) - 1;
      assert.ok(Math.abs(edge) < 1e-12, `admin fee ${adminFee}: ${edge} off the band edge`);
    }
    assert.equal(F.arbitrageInput(xf, 1, 2, 100, 0.0004, 1), 0);
  });

  it('does nothing inside the band', () => {
    const x = Float64Array.of(1e6, 1e6, 1e6);
    const stats = F.newArbitrageStats();
    assert.equal(F.arbitrage(x, 100, 0.0004, 0.5, [1, 1.0001, 0.9999], stats), 0);
    assert.deepEqual(Array.from(x), [1e6, 1e6, 1e6]);
    assert.equal(stats.trades, 0);
  });

  it('skips trades whose profit does not cover minProfitUsd', () => {
    const stats = F.newArbitrageStats();
    const x = Float64Array.of(1e6, 1e6);
    F.arbitrage(x, 100, 0.0004, 0.5, [1, 1.001], stats, { minProfitUsd: 1e6 });
    assert.equal(stats.trades, 0);
    F.arbitrage(x, 100, 0.0004, 0.5, [1, 1.001], stats);
    assert.equal(stats.trades, 1);
  });
});

describe('float twin input validation', () => {
  it('throws InvalidArgumentError naming the bad value', () => {
    const xf = [1e6, 1e6];
    const cases: [() => unknown, RegExp][] = [
      [() => F.getD([1e6], 100), /at least 2/],
      [() => F.getD([1e6, NaN], 100), /xp\[1\].*NaN/],
      [() => F.getD(xf, 0), /A must be/],
      [() => F.getY(0, 0, 1, xf, 100), /must differ/],
      [() => F.getY(0, 2, 1, xf, 100), /index j.*2/],
      [() => F.getDy(0, 1, -1, xf, 100, 0), /dx.*-1/],
      [() => F.getDy(0, 1, 1, xf, 100, 1.5), /fee.*1.5/],
      [() => F.exchange(Float64Array.from(xf), 0, 1, 1, 100, 0, NaN), /adminFee.*NaN/],
      [() => F.getYD(100, 0, xf, Infinity), /D must be/],
    ];
    for (const [fn, pattern] of cases) {
      assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), String(pattern));
    }
  });
});
