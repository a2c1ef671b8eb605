/**
 * ProbabilitySpace curve: every number of amm-curves.md §5.3 (x = 2, y = 1), the YieldSpace vector
 * of §5.4 through the shared power-mean math, the k → 0 and t → 0 limits, agreement with the naive
 * power formula where that formula is well conditioned, and the typed errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../env/core/errors.js';
import * as ps from '../env/amm/probability-space/index.js';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

// §5.3 table: t, k, s, x_min = y_min, π = −dy/dx, p_x (printed to 10 digits, p_x to 6).
const TABLE = [
  { t: 1, k: 0, s: 1.414213562, min: 0, pi: 0.5, p: 0.333333 },
  { t: 0.75, k: -0.1547005384, s: 1.401141478, min: 0.01587060594, pi: 0.4491594092, p: 0.309945 },
  { t: 0.5, k: -0.4142135624, s: 1.379584403, min: 0.2588198479, pi: 0.3752142272, p: 0.272841 },
  { t: 0.25, k: -1, s: 1.333333333, min: 0.6666666667, pi: 0.25, p: 0.2 },
  { t: 0.1, k: -2.16227766, kTol: 5e-9, s: 1.255220834, min: 0.9109639754, pi: 0.1117016452, p: 0.100478 },
  { t: 0.01, k: -9, s: 1.079825605, min: 0.9997832213, pi: 0.0009765625, p: 0.000976 },
] as const;

describe('probabilitySpace §5.3 vectors (x = 2, y = 1)', () => {
  it('reproduces the source s values 1.414214, 1.379584, 1.333333', () => {
    close(ps.invariant(2, 1, 1), 1.414214, 5e-7, 's(t=1)');
    close(ps.invariant(2, 1, 0.5), 1.379584, 5e-7, 's(t=0.5)');
    close(ps.invariant(2, 1, 0.25), 1.333333, 5e-7, 's(t=0.25)');
  });

  for (const row of TABLE) {
    it(`t = ${row.t}: k, s, minimum reserve, spot price and implied probability`, () => {
      close(ps.exponentAt(row.t), row.k, 'kTol' in row ? row.kTol : 5e-11, 'k');
      close(ps.invariant(2, 1, row.t), row.s, 5e-10, 's');
      close(ps.minReserve(2, 1, row.t), row.min, 5e-11, 'x_min');
      close(ps.minReserveOf(ps.invariant(2, 1, row.t), row.t), row.min, 5e-11, 'x_min from s');
      close(ps.spotPrice(2, 1, row.t), row.pi, 5e-11, 'π');
      close(ps.impliedProbability(2, 1, row.t), row.p, 5e-7, 'p_x');
    });
  }

  it('swap vectors with fee 0: sell 0.1 x, buy 0.1 y, max y out', () => {
    const swaps = [
      { t: 1, out: 0.047619047619, inn: 0.222222222222, max: 1 },
      { t: 0.5, out: 0.035337169556, inn: 0.318913290602, max: 0.741180152102 },
      { t: 0.25, out: 0.023255813953, inn: 0.571428571429, max: 0.333333333333 },
    ];
    // 12 printed decimals (±5e-13) plus the pool-favour rounding (1e-13 × reserve ≤ 2e-13).
    for (const v of swaps) {
      close(ps.outGivenIn(2, 1, v.t, 0.1, 0), v.out, 1e-12, `out t=${v.t}`);
      close(ps.inGivenOut(2, 1, v.t, 0.1, 0), v.inn, 1e-12, `in t=${v.t}`);
      close(ps.maxOut(2, 1, v.t), v.max, 1e-12, `max out t=${v.t}`);
    }
  });

  it('finite difference of y(x) on the t = 0.5 curve gives −dy/dx = 0.37521422724', () => {
    const s = ps.invariant(2, 1, 0.5);
    const k = ps.exponentAt(0.5);
    const y = (x: number) => Math.exp(ps.logOtherReserve(Math.log(x), Math.log(s), k));
    const h = 1e-5;
    close(-(y(2 + h) - y(2 - h)) / (2 * h), 0.37521422724, 1e-9, 'central difference');
  });

  it('time-decay arbitrage: t 1 → 0.5 and 1 → 0.25 with the market at p_x = 1/3', () => {
    const cases = [
      { t: 0.5, yes: 1.78472379255, no: 1.09322778773, value: 1.323726456, loss: 0.00960688, lossPct: 0.7205 },
      { t: 0.25, yes: 1.60947570825, no: 1.13807118746, value: 4 / 3 - 0.03812731, loss: 0.03812731, lossPct: 2.8596 },
    ];
    for (const c of cases) {
      const pool = { yes: 2, no: 1 };
      const decay = ps.timeDecay(2, 1, 1, c.t);
      assert.ok(decay.probabilityTo < decay.probabilityFrom, 'the favoured side (NO) drifts toward the edge');
      close(decay.sTo, ps.invariant(2, 1, c.t), 0, 'sTo');
      const buy = ps.optimalBuy(pool, c.t, 1 / 3, 0);
      assert.ok(buy !== null && buy.side === 'yes');
      const after = ps.buyGivenCollateralIn(pool, c.t, 'yes', buy.collateralIn, 0).reserves;
      close(after.yes, c.yes, 1e-11, 'x after');
      close(after.no, c.no, 1e-11, 'y after');
      close(ps.impliedProbability(after.yes, after.no, c.t), 1 / 3, 1e-12, 'π restored');
      const value = after.yes / 3 + (2 * after.no) / 3;
      close(value, c.value, 5e-9, 'pool value');
      close(4 / 3 - value, c.loss, 5e-9, 'LP loss');
      // printed to 4 decimals (2.859548 appears as 2.8596: rounded twice), hence 1e-4
      close((100 * (4 / 3 - value)) / (4 / 3), c.lossPct, 1e-4, 'loss %');
      // the arbitrageur's expected profit is exactly the LP's loss
      close(buy.expectedProfit, 4 / 3 - value, 1e-12, 'arbitrage profit');
    }
  });

  it('rejects the alternatives §5.3 rules out (x^(1−√t) + y^(1−√t), C itself as s)', () => {
    const t = 0.25;
    const alt = ((2 ** (1 - Math.sqrt(t)) + 1) / 2) ** (1 / (1 - Math.sqrt(t)));
    close(alt, 1.457, 5e-4, 'alternative exponent');
    const k = ps.exponentAt(t);
    close(2 ** k + 1 ** k, 1.5, 1e-15, 'C');
    assert.ok(Math.abs(ps.invariant(2, 1, t) - alt) > 0.1 && Math.abs(ps.invariant(2, 1, t) - 1.5) > 0.1, 'the source s values rule out both alternatives');
  });
});

describe('probabilitySpace power-mean family', () => {
  it('reproduces the YieldSpace vector of §5.4 (z = 1000, y = 1100, sell 10 shares) at exponent 1 − g·t', () => {
    const t = 90 / (25 * 365);
    const expected: [number, number][] = [[1, 10.0084624551], [0.95, 10.0080391804], [1 / 0.95, 10.0089080246]];
    for (const [g, out] of expected) {
      const a = 1 - g * t;
      const lnS = ps.logPowerMean(Math.log(1000), Math.log(1100), a);
      close(1100 - Math.exp(ps.logOtherReserve(Math.log(1010), lnS, a)), out, 5e-10, `g=${g}`);
    }
  });

  it('matches the naive ((x^k + y^k)/2)^(1/k) where it is well conditioned', () => {
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const x = Math.exp(-3 + (6 * ((i * 7919) % 1000)) / 1000);
      const y = Math.exp(-3 + (6 * ((i * 104729) % 997)) / 997);
      const k = -8 + (7.9 * ((i * 31) % 101)) / 100; // k in [−8, −0.1]
      const naive = ((x ** k + y ** k) / 2) ** (1 / k);
      worst = Math.max(worst, Math.abs(ps.powerMean(x, y, k) / naive - 1));
    }
    assert.ok(worst < 1e-13, `worst relative gap ${worst}`);
  });

  it('moving along the curve from the current point agrees with going through s where that is well conditioned', () => {
    let worst = 0;
    for (let i = 0; i < 3000; i++) {
      const a = 10 * Math.exp(-1.5 + (3 * ((i * 7919) % 1000)) / 1000);
      const b = 10 * Math.exp(-1.5 + (3 * ((i * 104729) % 997)) / 997);
      const t = 0.05 + (0.95 * ((i * 31) % 101)) / 100;
      const k = ps.exponentAt(t);
      const dLnB = Math.log1p(((i % 17) - 8) / 20); // b moves by −40 % … +45 %
      const viaS = ps.logOtherReserve(Math.log(b) + dLnB, ps.logPowerMean(Math.log(a), Math.log(b), k), k);
      const viaMove = Math.log(a) + ps.logMove(Math.log(a), Math.log(b), dLnB, k);
      if (Number.isFinite(viaS)) worst = Math.max(worst, Math.abs(viaMove - viaS));
      else assert.equal(viaMove, Infinity, 'both put b past the asymptote');
    }
    assert.ok(worst < 1e-12, `worst |Δ ln a| ${worst}`);
  });

  it('near the asymptote the move stays exact where going through s loses nine digits', () => {
    // a ≫ b at t ≈ 0.047: the slope |da/db| is ~2e9, so s's last-ulp error becomes ~1e-7 in a
    const [a, b, t] = [105.4445955166246, 1.0298797421839196, 0.04666775375545914];
    const k = ps.exponentAt(t);
    const dLnB = Math.log1p(-5e-17 / b);
    const move = ps.logMove(Math.log(a), Math.log(b), dLnB, k);
    // d ln a ≈ slope·(Δb)/a with slope = (a/b)^(1−k)
    const expected = ((a / b) ** (1 - k) * 5e-17) / a;
    assert.ok(Math.abs(move / expected - 1) < 1e-6, `move ${move} vs first order ${expected}`);
    const viaS = ps.logOtherReserve(Math.log(b) + dLnB, ps.logPowerMean(Math.log(a), Math.log(b), k), k) - Math.log(a);
    assert.ok(Math.abs(viaS - expected) > 1e-10, 'the round trip through s is off by far more than the move itself');
  });

  it('k → 0: the log form tends to √(xy) smoothly, where the naive formula loses every digit', () => {
    const gm = Math.sqrt(3 * 0.7);
    for (const k of [-1e-6, -1e-10, -1e-14, -1e-300, 0]) {
      close(ps.powerMean(3, 0.7, k), gm, 4e-16 * gm + Math.abs(k), `k=${k}`);
    }
    const naive = ((3 ** -1e-14 + 0.7 ** -1e-14) / 2) ** (1 / -1e-14);
    assert.ok(Math.abs(naive / gm - 1) > 1e-4, 'the naive formula is indeed wrong here');
    // t just below 1
    close(ps.invariant(3, 0.7, 1 - 1e-15), gm, 1e-15, 't = 1 − 1e-15');
  });

  it('t → 0: s decreases to min(x, y), price and probability go to the binary payoff, no NaN', () => {
    let prev = Infinity;
    for (const t of [1, 0.5, 0.1, 1e-3, 1e-6, 1e-10, 1e-16, 1e-300, 0]) {
      const s = ps.invariant(2, 1, t);
      assert.ok(s <= prev && s >= 1, `t=${t}: s=${s}`);
      prev = s;
      const p = ps.impliedProbability(2, 1, t);
      assert.ok(p >= 0 && p < 0.34 && !Number.isNaN(p), 'p stays in [0, 1/3] and is never NaN');
      assert.ok(ps.minReserve(2, 1, t) <= s, 'the minimum reserve stays below s');
    }
    assert.equal(ps.invariant(2, 1, 0), 1);
    assert.equal(ps.invariant(2, 1, 1e-300), 1);
    assert.equal(ps.impliedProbability(2, 1, 0), 0);
    assert.equal(ps.impliedProbability(1, 2, 0), 1);
    assert.equal(ps.impliedProbability(1.5, 1.5, 0), 0.5);
    assert.equal(ps.minReserve(2, 1, 0), 1);
    // reservesAtProbability stays finite and on the curve for tiny t
    for (const t of [1e-6, 1e-12]) {
      for (const p of [1e-12, 0.3, 0.999999]) {
        const r = ps.reservesAtProbability(1.5, t, p);
        assert.ok(Number.isFinite(r.yes) && Number.isFinite(r.no), `t=${t} p=${p}`);
        close(ps.invariant(r.yes, r.no, t), 1.5, 1e-12, `s at t=${t} p=${p}`);
        close(ps.impliedProbability(r.yes, r.no, t), p, 1e-9 * Math.max(p, 1e-3), `p at t=${t}`);
      }
    }
  });

  it('reservesAtProbability inverts impliedProbability and keeps s', () => {
    for (const t of [1, 0.7, 0.3, 0.05]) {
      for (const p of [0.01, 0.2, 0.5, 0.8, 0.99]) {
        const r = ps.reservesAtProbability(10, t, p);
        close(ps.invariant(r.yes, r.no, t), 10, 1e-12, 's');
        close(ps.impliedProbability(r.yes, r.no, t), p, 1e-13, 'p');
      }
    }
    const mid = ps.reservesAtProbability(4, 0.3, 0.5);
    close(mid.yes, 4, 1e-14, 'x at ½');
    close(mid.no, 4, 1e-14, 'y at ½');
  });
});

describe('probabilitySpace collateral trades, liquidity and resolution', () => {
  it('constant product (t = 1) matches the FPMM closed forms', () => {
    // buy YES with c: shares = x + γc − x·y/(y + γc)
    const [x, y, c, fee] = [50, 80, 7, 0.02];
    const g = 1 - fee;
    close(ps.sharesOutGivenCollateralIn(x, y, 1, c, fee), x + g * c - (x * y) / (y + g * c), 1e-11, 'buy');
    // sell YES for c: shares in = (x·y/(y − c) + c − x)/γ
    close(ps.sharesInGivenCollateralOut(x, y, 1, c, fee), ((x * y) / (y - c) + c - x) / g, 1e-11, 'sell');
  });

  it('given-in and given-out are inverses on both sides of the book', () => {
    for (const t of [1, 0.6, 0.2, 0.02]) {
      for (const fee of [0, 0.003, 0.05]) {
        const shares = ps.sharesOutGivenCollateralIn(3, 5, t, 1.3, fee);
        close(ps.collateralInGivenSharesOut(3, 5, t, shares, fee), 1.3, 1e-11, `buy t=${t} fee=${fee}`);
        const coll = ps.collateralOutGivenSharesIn(3, 5, t, 0.9, fee);
        close(ps.sharesInGivenCollateralOut(3, 5, t, coll, fee), 0.9, 1e-11, `sell t=${t} fee=${fee}`);
        const out = ps.outGivenIn(3, 5, t, 0.4, fee);
        close(ps.inGivenOut(3, 5, t, out, fee), 0.4, 1e-11, `swap t=${t} fee=${fee}`);
      }
    }
  });

  it('buys cost p/(1 − fee) per share at the margin', () => {
    for (const t of [1, 0.5, 0.1]) {
      const p = ps.impliedProbability(3, 5, t);
      const dc = 1e-6;
      const fee = 0.01;
      const shares = ps.sharesOutGivenCollateralIn(3, 5, t, dc, fee);
      close(dc / shares, p / (1 - fee), 1e-6, `YES at t=${t}`);
      const sharesNo = ps.sharesOutGivenCollateralIn(5, 3, t, dc, fee);
      close(dc / sharesNo, (1 - p) / (1 - fee), 1e-6, `NO at t=${t}`);
    }
  });

  it('optimal buys stop at the edge of the no-arbitrage band', () => {
    const pool = { yes: 40, no: 60 };
    const t = 0.4;
    const fee = 0.02;
    const p = ps.impliedProbability(pool.yes, pool.no, t);
    assert.equal(ps.optimalBuy(pool, t, p, fee), null);
    assert.equal(ps.optimalBuy(pool, t, p / (1 - fee) * 0.999, fee), null);
    const up = ps.optimalBuy(pool, t, 0.8, fee);
    assert.ok(up !== null && up.side === 'yes' && up.expectedProfit > 0);
    // buying a bit more or a bit less earns less at the belief
    for (const f of [0.98, 1.02]) {
      const c = up.collateralIn * f;
      const other = ps.sharesOutGivenCollateralIn(pool.yes, pool.no, t, c, fee) * 0.8 - c;
      assert.ok(other < up.expectedProfit, `×${f}`);
    }
    const down = ps.optimalBuy(pool, t, 0.05, fee);
    assert.ok(down !== null && down.side === 'no');
  });

  it('scales liquidity without moving the price; the LP keeps the value of what it puts in', () => {
    const pool = { yes: 30, no: 70 };
    const t = 0.6;
    const p = ps.impliedProbability(pool.yes, pool.no, t);
    const add = ps.scaleLiquidity(pool, 1.5);
    close(ps.impliedProbability(add.reserves.yes, add.reserves.no, t), p, 1e-15, 'price after add');
    close(ps.invariant(add.reserves.yes, add.reserves.no, t), 1.5 * ps.invariant(30, 70, t), 1e-12, 's scales');
    close(add.collateralIn, 35, 1e-12, 'collateral = α·max');
    close(add.yesToLp, 20, 1e-12, 'leftover YES');
    assert.equal(add.noToLp, 0);
    const cut = ps.scaleLiquidity(pool, 0.25);
    close(cut.collateralIn, -22.5, 1e-12, 'merged sets');
    close(cut.noToLp, 30, 1e-12, 'leftover NO');
    for (const change of [add, cut]) {
      // sets in = collateral in: pool value change equals what the LP paid, at any probability
      for (const q of [0, 0.3, 1]) {
        const dPool = ps.valueAt(change.reserves, q) - ps.valueAt(pool, q);
        close(dPool + change.yesToLp * q + change.noToLp * (1 - q), change.collateralIn, 1e-12, `value at q=${q}`);
      }
    }
    const funded = ps.fundPool(100, 1, 0.8);
    close(ps.impliedProbability(funded.reserves.yes, funded.reserves.no, 1), 0.8, 1e-14, 'funded price');
    assert.equal(Math.max(funded.reserves.yes, funded.reserves.no), 100);
    close(funded.yesToLp, 75, 1e-12, 'FPMM returns the YES the pool does not hold');
  });

  it('resolution pays the winning side one unit per share', () => {
    assert.equal(ps.redeem({ yes: 3, no: 9 }, 'yes'), 3);
    assert.equal(ps.redeem({ yes: 3, no: 9 }, 'no'), 9);
    assert.equal(ps.valueAt({ yes: 3, no: 9 }, 0.25), 7.5);
  });
});

describe('probabilitySpace input errors', () => {
  it('throws InvalidArgumentError naming the function, the argument, the value and the range', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => ps.invariant(Number.NaN, 1, 0.5), /invariant: x must be a finite number > 0, got NaN/],
      [() => ps.invariant(2, -1, 0.5), /invariant: y must be a finite number > 0, got -1/],
      [() => ps.invariant(2, 1, 1.5), /exponentAt: t must be a time to expiry in \[0, 1\], got 1.5/],
      [() => ps.outGivenIn(2, 1, 0, 0.1, 0), /outGivenIn: t must be a time to expiry in \(0, 1\]/],
      [() => ps.outGivenIn(2, 1, 0.5, -0.1, 0), /outGivenIn: amountIn must be a finite number ≥ 0, got -0.1/],
      [() => ps.outGivenIn(2, 1, 0.5, 0.1, 1), /feeRate must be a fraction in \[0, 1\)/],
      [() => ps.reservesAtProbability(1, 0.5, 1), /p must be a probability in \(0, 1\), got 1/],
      [() => ps.buyGivenCollateralIn({ yes: 1, no: 1 }, 0.5, 'maybe' as never, 1, 0), /outcome must be 'yes' or 'no', got "maybe"/],
      [() => ps.scaleLiquidity({ yes: 1, no: 1 }, 0), /scaleLiquidity: factor must be a finite number > 0/],
      [() => ps.timeDecay(2, 1, 0.2, 0.5), /tTo must be ≤ tFrom/],
      [() => ps.optimalBuy({ yes: 1, no: 1 }, 0.5, 0, 0.01), /optimalBuy: belief must be a probability in \(0, 1\), got 0/],
    ];
    for (const [fn, message] of cases) assert.throws(fn, (err: unknown) => err instanceof InvalidArgumentError && message.test(err.message), String(message));
  });

  it('throws InsufficientLiquidityError when a trade would reach the minimum reserve', () => {
    const max = ps.maxOut(2, 1, 0.5);
    assert.throws(() => ps.inGivenOut(2, 1, 0.5, max, 0), (err: unknown) =>
      err instanceof ps.InsufficientLiquidityError && err.requested === max && Math.abs(err.available - max) < 1e-15 && /inGivenOut: asked for/.test(err.message));
    assert.ok(Number.isFinite(ps.inGivenOut(2, 1, 0.5, max * (1 - 1e-9), 0)), 'just inside the limit is fillable');
    const maxC = ps.maxCollateralOut(2, 1, 0.25);
    close(maxC, 1 / 3, 1e-15, 'max collateral out at t = ¼');
    assert.throws(() => ps.sharesInGivenCollateralOut(2, 1, 0.25, 0.34, 0), ps.InsufficientLiquidityError);
    // given shares in, the payout approaches but never reaches the limit
    assert.ok(ps.collateralOutGivenSharesIn(2, 1, 0.25, 1e6, 0) < maxC, 'the payout of a sale stays below the limit');
  });
});
