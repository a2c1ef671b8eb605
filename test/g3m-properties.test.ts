/**
 * fast-check properties of the G3M float64 math over random 2- and 3-asset pools, p ∈ [0, 1]
 * (with the endpoints and tiny p drawn often) and fees up to 5 %: no round trip gains the trader,
 * reserves stay positive, the invariant never decreases with fees, the price moves monotonically
 * with the trade size, and given-in / given-out are inverse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  gfInGivenOut, gfOutGivenIn, inGivenOut, invariant, maxAmountIn, outGivenIn, shiftedLogGenerator, spotPrice, swapGivenIn,
  swapGivenOut, type G3mPool,
} from '../env/amm/g3m/index.js';

const RUNS = 400;

const arbP = fc.oneof(
  fc.constantFrom(0, 1, 1e-13, 1e-9, 1e-5),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const arbFee = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.05, noNaN: true }));
/** Reserves from 1e-3 to 1e9 token units, log-uniform. */
const arbReserve = fc.double({ min: -3, max: 9, noNaN: true }).map((e) => 10 ** e);

const arbPool: fc.Arbitrary<G3mPool> = fc
  .integer({ min: 2, max: 3 })
  .chain((n) => fc.tuple(
    fc.array(arbReserve, { minLength: n, maxLength: n }),
    fc.array(fc.double({ min: 0.02, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    arbP,
    arbFee,
  ))
  .map(([reserves, raw, p, fee]) => {
    const total = raw.reduce((a, b) => a + b, 0);
    return { reserves, weights: raw.map((w) => w / total), p, fee };
  });

/** A pool, an ordered pair of distinct assets, and a fraction in (0, 1) for sizing the trade. */
const arbCase = arbPool.chain((pool) => fc.tuple(
  fc.constant(pool),
  fc.integer({ min: 0, max: pool.reserves.length - 1 }),
  fc.integer({ min: 1, max: pool.reserves.length - 1 }),
  fc.double({ min: 1e-6, max: 0.9, noNaN: true }),
)).map(([pool, i, shift, frac]) => ({ pool, i, j: (i + shift) % pool.reserves.length, frac }));

/** An input of asset i whose output stays below `frac` of x_j (so the trade is well inside the admissible range). */
function sizedInput(pool: G3mPool, i: number, j: number, frac: number): number {
  return inGivenOut(pool, i, j, frac * pool.reserves[j]!);
}

function withReserves(pool: G3mPool, reserves: ArrayLike<number>): G3mPool {
  return { ...pool, reserves: Array.from(reserves) };
}

describe('G3M properties (fast-check)', () => {
  it('given-out then given-in returns the asked output (1e-12), given-in then given-out returns the input (1e-9)', () => {
    fc.assert(
      fc.property(arbCase, ({ pool, i, j, frac }) => {
        const out = frac * pool.reserves[j]!;
        const d = inGivenOut(pool, i, j, out);
        assert.ok(Math.abs(outGivenIn(pool, i, j, d) - out) <= 1e-12 * out, `out ${out} → in ${d} → ${outGivenIn(pool, i, j, d)}`);
        const back = inGivenOut(pool, i, j, outGivenIn(pool, i, j, d));
        assert.ok(Math.abs(back - d) <= 1e-9 * d, `in ${d} → ${back}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('no round trip gains the trader: selling the proceeds back returns at most the input (strictly less with a fee)', () => {
    fc.assert(
      fc.property(arbCase, ({ pool, i, j, frac }) => {
        const d = sizedInput(pool, i, j, frac);
        // selling the proceeds back must leave x_i representable next to x_i + Δ (float64 has 16 digits)
        fc.pre(d < 1e12 * pool.reserves[i]!);
        const first = swapGivenIn(pool, i, j, d);
        const back = outGivenIn(withReserves(pool, first.reserves), j, i, first.amountOut);
        assert.ok(back <= d * (1 + 1e-12), `sold ${d}, got back ${back}`);
        if (pool.fee >= 1e-4 && frac >= 1e-3) assert.ok(back < d, `fee ${pool.fee}: got back ${back} of ${d}`);
        // given-out form: buy `out` of j, then buy the input back
        const bought = swapGivenOut(pool, i, j, frac * pool.reserves[j]!);
        const after = withReserves(pool, bought.reserves);
        // (buying back nearly all of a reserve is ill-conditioned in float64: keep to 90 % of it)
        if (bought.amountIn < 0.9 * after.reserves[i]!) {
          const cost = inGivenOut(after, j, i, bought.amountIn);
          assert.ok(cost >= bought.amountOut * (1 - 1e-12), `bought ${bought.amountOut} for ${bought.amountIn}; buying that back costs ${cost}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reserves stay finite and positive, and the invariant never decreases (equal within 1e-12 without fee), over random trade sequences', () => {
    const arbSeq = fc.tuple(arbPool, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 1e-6, max: 0.95, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 20 }));
    fc.assert(
      fc.property(arbSeq, ([start, trades]) => {
        let pool = start;
        const n = pool.reserves.length;
        for (const [a, b, frac, givenOut] of trades) {
          const i = a % n;
          const j = (i + 1 + (b % (n - 1))) % n;
          const before = invariant(pool);
          const r = givenOut ? swapGivenOut(pool, i, j, frac * pool.reserves[j]!) : swapGivenIn(pool, i, j, sizedInput(pool, i, j, frac));
          for (const x of r.reserves) assert.ok(Number.isFinite(x) && x > 0, `reserve ${x}`);
          pool = withReserves(pool, r.reserves);
          const after = invariant(pool);
          assert.ok(after >= before * (1 - 1e-13), `invariant fell from ${before} to ${after} (p=${pool.p}, fee=${pool.fee})`);
          if (pool.fee === 0) assert.ok(Math.abs(after / before - 1) <= 1e-12, `fee-free invariant moved: ${before} → ${after}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the price moves monotonically with trade size: more of i sold gives more j, a lower average rate and a lower spot of i', () => {
    fc.assert(
      fc.property(arbCase, fc.double({ min: 1.001, max: 10, noNaN: true }), ({ pool, i, j, frac }, grow) => {
        const d1 = sizedInput(pool, i, j, frac);
        const d2 = Math.min(d1 * grow, sizedInput(pool, i, j, 0.95));
        fc.pre(d2 > d1 * 1.0001);
        const r1 = swapGivenIn(pool, i, j, d1);
        const r2 = swapGivenIn(pool, i, j, d2);
        assert.ok(r2.amountOut > r1.amountOut, 'output increases');
        assert.ok(r2.amountOut / d2 <= (r1.amountOut / d1) * (1 + 1e-13), 'average rate does not increase');
        const s0 = spotPrice(pool, i, j);
        const s1 = spotPrice(withReserves(pool, r1.reserves), i, j);
        const s2 = spotPrice(withReserves(pool, r2.reserves), i, j);
        assert.ok(s2 <= s1 && s1 <= s0, `spot ${s0} → ${s1} → ${s2}`);
        // strictly, wherever the move (≈ (1 − p)·trade/reserve) is above float64 resolution
        if ((1 - pool.p) * frac > 1e-9) assert.ok(s2 < s1 && s1 < s0, `spot ${s0} → ${s1} → ${s2} (p=${pool.p})`);
      }),
      { numRuns: RUNS },
    );
  });

  it('Δ_max bounds the admissible inputs: trades below it fill, trades at it or above throw', () => {
    fc.assert(
      fc.property(arbCase, ({ pool, i, j, frac }) => {
        const max = maxAmountIn(pool, i, j);
        if (max === Infinity) {
          // every size is admissible in exact arithmetic; in float64 x_j·(x_i/(x_i + Δ))^(w_i/w_j) must stay representable
          assert.ok(outGivenIn(pool, i, j, 0.5 * pool.reserves[i]!) < pool.reserves[j]!);
          return;
        }
        assert.throws(() => outGivenIn(pool, i, j, max * (1 + 1e-9)));
        const d = sizedInput(pool, i, j, frac);
        assert.ok(d < max, `${d} ≥ Δ_max ${max}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('Gf3M (ln(x + c)): given-in and given-out are inverse and round trips do not gain', () => {
    fc.assert(
      fc.property(arbReserve, arbReserve, fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0.2, max: 0.8, noNaN: true }), arbFee,
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        (x, y, c, w0, fee, frac) => {
          const pool = { reserves: [x, y], weights: [w0, 1 - w0], generator: shiftedLogGenerator(c), fee };
          const out = frac * y;
          const d = gfInGivenOut(pool, 0, 1, out);
          assert.ok(Math.abs(gfOutGivenIn(pool, 0, 1, d) - out) <= 1e-11 * out);
          const after = { ...pool, reserves: [x + d, y - out] };
          assert.ok(gfOutGivenIn(after, 1, 0, out) <= d * (1 + 1e-11));
        }),
      { numRuns: RUNS },
    );
  });
});
