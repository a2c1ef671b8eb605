/**
 * Properties of the ProbabilitySpace curve (fast-check): no round trip pays the trader, reserves
 * stay positive and above the curve's minimum, no trade lowers the invariant (the fee raises it),
 * the pool price moves monotonically with trade size, the implied probability stays in (0, 1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ps from '../env/amm/probability-space/index.js';
import type { Outcome, Reserves } from '../env/amm/probability-space/index.js';

const RUNS = 1000;
const reserve = fc.double({ min: 1e-3, max: 1e6, noNaN: true });
const time = fc.oneof(fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.constant(1));
const fee = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true }));
const side = fc.constantFrom<Outcome>('yes', 'no');
/** A size relative to the pool: from dust to ten times the larger reserve. */
const fraction = fc.double({ min: 1e-9, max: 10, noNaN: true });

const pYes = (r: Reserves, t: number) => ps.impliedProbability(r.yes, r.no, t);
const sOf = (r: Reserves, t: number) => ps.invariant(r.yes, r.no, t);
const get = (r: Reserves, o: Outcome) => (o === 'yes' ? r.yes : r.no);
const other = (o: Outcome): Outcome => (o === 'yes' ? 'no' : 'yes');

/** Pools whose price is not at the float64 edge (|ln π| < 30): see the probability property. */
const pool = fc.record({ yes: reserve, no: reserve, t: time }).filter(({ yes, no, t }) => Math.abs(Math.log(no / yes)) / Math.sqrt(t) < 30);

describe('probabilitySpace properties', () => {
  it('no round trip gains the trader (buy then sell, sell then buy back, swap there and back)', () => {
    fc.assert(fc.property(pool, side, fraction, fee, ({ yes, no, t }, o, f, feeRate) => {
      const start = { yes, no };
      const size = f * Math.max(yes, no);
      // collateral → shares → collateral
      const buy = ps.buyGivenCollateralIn(start, t, o, size, feeRate);
      const back = ps.sellGivenSharesIn(buy.reserves, t, o, buy.amountOut, feeRate);
      assert.ok(back.amountOut <= size, `buy ${size} → ${buy.amountOut} shares → ${back.amountOut}`);
      // shares → collateral → the same shares
      const sell = ps.sellGivenSharesIn(start, t, o, size, feeRate);
      if (sell.amountOut > 0) {
        const rebuy = ps.buyGivenCollateralIn(sell.reserves, t, o, sell.amountOut, feeRate);
        assert.ok(rebuy.amountOut <= size, `sell ${size} → ${sell.amountOut} → ${rebuy.amountOut} shares`);
      }
      // YES → NO → YES
      const swap = ps.swapGivenIn(start, t, o, size, feeRate);
      const swapBack = ps.swapGivenIn(swap.reserves, t, other(o), swap.amountOut, feeRate);
      assert.ok(swapBack.amountOut <= size, `swap ${size} → ${swap.amountOut} → ${swapBack.amountOut}`);
    }), { numRuns: RUNS });
  });

  it('reserves stay positive and above the minimum reserve through any sequence of trades and time steps', () => {
    const op = fc.record({ kind: fc.constantFrom('buy', 'sell', 'swap', 'swapOut', 'sellExact', 'time'), o: side, f: fraction, dt: fc.double({ min: 0, max: 0.3, noNaN: true }) });
    fc.assert(fc.property(reserve, reserve, fee, fc.array(op, { minLength: 1, maxLength: 25 }), (yes, no, feeRate, ops) => {
      let r: Reserves = { yes, no };
      let t = 1;
      for (const { kind, o, f, dt } of ops) {
        const size = f * Math.max(r.yes, r.no);
        if (kind === 'time') t = Math.max(1e-4, t - dt);
        else if (kind === 'buy') r = ps.buyGivenCollateralIn(r, t, o, size, feeRate).reserves;
        else if (kind === 'sell') r = ps.sellGivenSharesIn(r, t, o, size, feeRate).reserves;
        else if (kind === 'swap') r = ps.swapGivenIn(r, t, o, size, feeRate).reserves;
        else if (kind === 'swapOut') r = ps.swapGivenOut(r, t, o, Math.min(f, 0.999) * ps.maxOut(get(r, o), get(r, other(o)), t), feeRate).reserves;
        else r = ps.sellGivenCollateralOut(r, t, o, Math.min(f, 0.999) * ps.maxCollateralOut(get(r, o), get(r, other(o)), t), feeRate).reserves;
        assert.ok(r.yes > 0 && r.no > 0 && Number.isFinite(r.yes) && Number.isFinite(r.no), `${kind}: ${JSON.stringify(r)}`);
        // room above the minimum reserve, on each side
        assert.ok(ps.maxOut(r.no, r.yes, t) > 0 && ps.maxOut(r.yes, r.no, t) > 0, `${kind}: ${JSON.stringify(r)} at t=${t}`);
      }
    }), { numRuns: RUNS });
  });

  it('no trade lowers the invariant; a collateral buy raises it by at least its fee sets', () => {
    fc.assert(fc.property(pool, side, fraction, fee, ({ yes, no, t }, o, f, feeRate) => {
      const start = { yes, no };
      const s0 = sOf(start, t);
      const size = f * Math.max(yes, no);
      const trades = [
        ps.buyGivenCollateralIn(start, t, o, size, feeRate),
        ps.sellGivenSharesIn(start, t, o, size, feeRate),
        ps.swapGivenIn(start, t, o, size, feeRate),
        ps.swapGivenOut(start, t, o, 0.5 * ps.maxOut(get(start, o), get(start, other(o)), t), feeRate),
        ps.sellGivenCollateralOut(start, t, o, 0.5 * ps.maxCollateralOut(get(start, o), get(start, other(o)), t), feeRate),
      ];
      // s itself is evaluated to ~1e-15 relative; a smaller "decrease" is that evaluation's noise
      // (checked in 50-digit decimal on a case fast-check found: the true s rose by 4.5e-16).
      for (const trade of trades) assert.ok(sOf(trade.reserves, t) >= s0 * (1 - 1e-14), `s ${s0} → ${sOf(trade.reserves, t)}`);
      // power means with k ≤ 1 are superadditive: M(x + e, y + e) ≥ M(x, y) + e
      assert.ok(sOf(trades[0]!.reserves, t) >= s0 + feeRate * size * (1 - 1e-9) - 1e-12 * s0, 'a buy raises s by at least its fee sets');
    }), { numRuns: RUNS });
  });

  it('the pool price moves monotonically with trade size', () => {
    fc.assert(fc.property(pool, side, fraction, fraction, fee, ({ yes, no, t }, o, f1, f2, feeRate) => {
      const start = { yes, no };
      const [a, b] = f1 <= f2 ? [f1, f2] : [f2, f1];
      const sign = o === 'yes' ? 1 : -1;
      const p0 = pYes(start, t);
      // Buys, up to the size at which the last share costs 1 (no rational trader pays more for a
      // share that redeems for at most 1; past it the fee sets the pool keeps pull its price back).
      const cap = 1 - feeRate < 1 ? ps.collateralForMarginalCost(start, t, o, 1, feeRate) : Infinity;
      const small = Math.min(a * Math.max(yes, no), cap);
      const large = Math.min(b * Math.max(yes, no), cap);
      const pSmall = pYes(ps.buyGivenCollateralIn(start, t, o, small, feeRate).reserves, t);
      const pLarge = pYes(ps.buyGivenCollateralIn(start, t, o, large, feeRate).reserves, t);
      assert.ok(sign * (pLarge - pSmall) >= -1e-15 && sign * (pSmall - p0) >= -1e-15, `buy ${o}: ${p0} → ${pSmall} → ${pLarge}`);
      // Sells and swaps at any size: selling a side (or swapping it away) lowers its price.
      for (const trade of [ps.sellGivenSharesIn, ps.swapGivenIn]) {
        const q1 = pYes(trade(start, t, o, a * Math.max(yes, no), feeRate).reserves, t);
        const q2 = pYes(trade(start, t, o, b * Math.max(yes, no), feeRate).reserves, t);
        assert.ok(sign * (q1 - q2) >= -1e-15 && sign * (p0 - q1) >= -1e-15, `${trade.name} ${o}: ${p0} → ${q1} → ${q2}`);
      }
    }), { numRuns: RUNS });
  });

  it('the implied probability is in (0, 1), YES and NO add up to 1, and time pushes it toward the favoured edge', () => {
    fc.assert(fc.property(pool, fc.double({ min: 0, max: 1, noNaN: true }), ({ yes, no, t }, later) => {
      const p = pYes({ yes, no }, t);
      const pNo = ps.impliedProbability(no, yes, t);
      assert.ok(p > 0 && p < 1 && pNo > 0 && pNo < 1, `p=${p}`);
      assert.ok(Math.abs(p + pNo - 1) <= 4.5e-16, `p + pNo − 1 = ${p + pNo - 1}`);
      const decay = ps.timeDecay(yes, no, t, t * later);
      if (yes < no) assert.ok(decay.probabilityTo >= p);
      if (yes > no) assert.ok(decay.probabilityTo <= p);
      assert.ok(decay.sTo <= decay.sFrom * (1 + 1e-15), 'time never raises s');
    }), { numRuns: RUNS });
  });
});
