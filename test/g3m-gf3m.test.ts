/**
 * Gf3M (amm-curves.md §4.5): the ln(x + c) vector, G3M as the member f = x^p (closed-form and
 * numeric-only generators must agree with the G3M kernels), the numeric inverse and derivative,
 * and the argument checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  G3mParameterError, InadmissibleTradeError,
  gfInGivenOut, gfMaxAmountIn, gfOutGivenIn, gfSpotPrice, inGivenOut, invertMonotone, maxAmountIn, outGivenIn,
  powerGenerator, powerMean, quasiArithmeticMean, shiftedLogGenerator, spotPrice,
  type Gf3mPool, type MeanGenerator,
} from '../env/amm/g3m/index.js';

/** Only f: inverse, derivative and differences all come from the numeric fallbacks. */
function bare(g: MeanGenerator): MeanGenerator {
  return { name: `${g.name} (numeric)`, f: g.f };
}

function gfPool(reserves: number[], weights: number[], generator: MeanGenerator, fee = 0): Gf3mPool {
  return { reserves, weights, generator, fee };
}

describe('Gf3M §4.5 vector: f(x) = ln(x + c), w = ½, x = y = 1000, c = 1000', () => {
  it('sell 100 → out = 95.238095238095, Δ_max = 2000 (closed-form generator)', () => {
    const pl = gfPool([1000, 1000], [0.5, 0.5], shiftedLogGenerator(1000));
    const out = gfOutGivenIn(pl, 0, 1, 100);
    assert.ok(Math.abs(out - 95.238095238095) <= 5e-13, String(out));
    assert.ok(Math.abs(out - 2e5 / 2100) <= 1e-13 * out, 'exact value 100·2000/2100 = 95.238095238095238…');
    assert.ok(Math.abs(gfMaxAmountIn(pl, 0, 1) - 2000) <= 1e-12);
    assert.throws(() => gfOutGivenIn(pl, 0, 1, 2000), (e: unknown) => e instanceof InadmissibleTradeError && Math.abs(e.maxAmount - 2000) < 1e-9);
    assert.equal(gfSpotPrice(pl, 0, 1), 1);
  });

  it('the numeric-only generator (bisection inverse, central-difference derivative) agrees to 1e-11', () => {
    const pl = gfPool([1000, 1000], [0.5, 0.5], bare(shiftedLogGenerator(1000)));
    assert.ok(Math.abs(gfOutGivenIn(pl, 0, 1, 100) - 2e5 / 2100) <= 1e-11 * 100);
    assert.ok(Math.abs(gfMaxAmountIn(pl, 0, 1) - 2000) <= 1e-11 * 2000);
    assert.ok(Math.abs(gfSpotPrice(pl, 0, 1) - 1) <= 1e-9);
  });

  it('is constant product on virtual reserves: (x + c)(y + c) is conserved', () => {
    const pl = gfPool([300, 4000], [0.5, 0.5], shiftedLogGenerator(250));
    const out = gfOutGivenIn(pl, 0, 1, 77);
    const before = (300 + 250) * (4000 + 250);
    const after = (377 + 250) * (4000 - out + 250);
    assert.ok(Math.abs(after / before - 1) <= 1e-14);
  });
});

describe('G3M is the Gf3M with f = x^p', () => {
  const cases: [number[], number[]][] = [[[1000, 1000], [0.5, 0.5]], [[800, 200], [0.8, 0.2]], [[5, 90, 1e4], [0.2, 0.5, 0.3]]];

  it('swaps, spot prices and Δ_max match the G3M kernels (closed-form generator to 1e-14, numeric to 1e-9)', () => {
    for (const p of [0, 1e-9, 0.25, 0.5, 0.75, 1]) {
      for (const [x, w] of cases) {
        for (const fee of [0, 0.003]) {
          const g3 = { reserves: x, weights: w, p, fee };
          const i = 0;
          const j = x.length - 1;
          const d = Math.min(10, 0.5 * maxAmountIn(g3, i, j));
          // f = x^p alone is flat for tiny p: f(x') − f(x) cancels, so only the closed form is checked there
          const generators = p > 0 && p < 1e-3 ? [[powerGenerator(p), 1e-14]] as const : [[powerGenerator(p), 1e-14], [bare(powerGenerator(p)), 1e-9]] as const;
          for (const [gen, tol] of generators) {
            const gf = gfPool(x, w, gen, fee);
            const label = `${gen.name} x=${x} fee=${fee}`;
            const out = outGivenIn(g3, i, j, d);
            assert.ok(Math.abs(gfOutGivenIn(gf, i, j, d) - out) <= tol * out, `${label}: out ${gfOutGivenIn(gf, i, j, d)} vs ${out}`);
            const back = inGivenOut(g3, i, j, out);
            assert.ok(Math.abs(gfInGivenOut(gf, i, j, out) - back) <= tol * back, `${label}: in`);
            const spot = spotPrice(g3, i, j);
            assert.ok(Math.abs(gfSpotPrice(gf, i, j) - spot) <= Math.max(tol, 1e-9) * spot, `${label}: spot`);
            const max = maxAmountIn(g3, i, j);
            const gmax = gfMaxAmountIn(gf, i, j);
            assert.ok(max === Infinity ? gmax === Infinity : Math.abs(gmax - max) <= Math.max(tol, 1e-12) * max, `${label}: Δ_max ${gmax} vs ${max}`);
          }
        }
      }
    }
  });

  it('the difference forms are what keeps small p exact: f = x^1e-9 alone loses ~9 digits', () => {
    const x = [1000, 1000];
    const w = [0.5, 0.5];
    const exact = outGivenIn({ reserves: x, weights: w, p: 1e-9, fee: 0 }, 0, 1, 10);
    assert.ok(Math.abs(gfOutGivenIn(gfPool(x, w, powerGenerator(1e-9)), 0, 1, 10) / exact - 1) <= 1e-14);
    assert.ok(Math.abs(gfOutGivenIn(gfPool(x, w, bare(powerGenerator(1e-9))), 0, 1, 10) / exact - 1) > 1e-8);
  });

  it('quasiArithmeticMean equals the power mean (p = −1 harmonic, 0 geometric, ½, 1 arithmetic)', () => {
    const x = [3, 40, 0.5];
    const w = [0.5, 0.3, 0.2];
    for (const p of [-1, 0, 0.5, 1]) {
      const pm = powerMean(x, w, p);
      assert.ok(Math.abs(quasiArithmeticMean(x, w, powerGenerator(p)) / pm - 1) <= 1e-14, `p=${p}`);
      assert.ok(Math.abs(quasiArithmeticMean(x, w, bare(powerGenerator(p))) / pm - 1) <= 1e-12, `p=${p} numeric`);
    }
    const harmonic = 1 / (0.5 / 3 + 0.3 / 40 + 0.2 / 0.5);
    assert.ok(Math.abs(quasiArithmeticMean(x, w, powerGenerator(-1)) / harmonic - 1) <= 1e-14);
  });

  it('property: a decreasing generator (f = −√x) gives the same swaps as the increasing one (√x)', () => {
    const neg: MeanGenerator = { name: '−√x', f: (x) => -Math.sqrt(x) };
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 1e-4, max: 0.9, noNaN: true }),
        (a, b, w0, frac) => {
          const inc = gfPool([a, b], [w0, 1 - w0], powerGenerator(0.5));
          const dec = gfPool([a, b], [w0, 1 - w0], neg);
          const d = frac * Math.min(gfMaxAmountIn(inc, 0, 1), 1e6);
          const o = gfOutGivenIn(inc, 0, 1, d);
          assert.ok(Math.abs(gfOutGivenIn(dec, 0, 1, d) - o) <= 1e-9 * b, `${gfOutGivenIn(dec, 0, 1, d)} vs ${o}`);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('numeric helpers', () => {
  it('invertMonotone finds x with f(x) = y to adjacent floats, on bounded and unbounded brackets, increasing or decreasing', () => {
    assert.equal(invertMonotone((x) => x * x * x, 27, 0, 10), 3);
    assert.ok(Math.abs(invertMonotone(Math.log, 5, 1, Infinity) / Math.exp(5) - 1) <= 4e-16);
    const x = invertMonotone((v) => 1 / v, 0.125, 0, Infinity);
    assert.equal(x, 8);
    assert.ok(Number.isNaN(invertMonotone((v) => v * v, 200, 0, 10)), 'y above the range on [0, 10]');
    assert.ok(Number.isNaN(invertMonotone((v) => Math.sqrt(v) + 1, 0.5, 0, Infinity)), 'y below f(0)');
  });
});

describe('Gf3M argument checks', () => {
  const pl = gfPool([100, 100], [0.5, 0.5], shiftedLogGenerator(10));
  it('rejects bad generators, parameters and inputs with messages naming them', () => {
    assert.throws(() => gfOutGivenIn({ ...pl, generator: { name: 'c', f: () => 1 } }, 0, 1, 1), (e: unknown) =>
      e instanceof G3mParameterError && /generator 'c' f/.test(e.message) && /strictly monotone/.test(e.message));
    assert.throws(() => gfOutGivenIn({ ...pl, generator: null as unknown as MeanGenerator }, 0, 1, 1), G3mParameterError);
    assert.throws(() => gfOutGivenIn({ ...pl, generator: { name: 'x', f: Math.sqrt, inverse: 3 as unknown as (y: number) => number } }, 0, 1, 1),
      (e: unknown) => e instanceof G3mParameterError && /generator\.inverse = 3/.test(e.message));
    assert.throws(() => powerGenerator(2), (e: unknown) => e instanceof G3mParameterError && /powerGenerator p = 2/.test(e.message));
    assert.throws(() => shiftedLogGenerator(-1), (e: unknown) => e instanceof G3mParameterError && /shiftedLogGenerator c = -1/.test(e.message));
    assert.throws(() => gfInGivenOut(pl, 0, 1, 100), InadmissibleTradeError);
    assert.throws(() => gfOutGivenIn(pl, 0, 0, 1), (e: unknown) => e instanceof G3mParameterError && /gfOutGivenIn j = 0/.test(e.message));
    assert.throws(() => gfSpotPrice({ ...pl, fee: -0.1 }, 0, 1), (e: unknown) => e instanceof G3mParameterError && /pool\.fee = -0\.1/.test(e.message));
  });
});
