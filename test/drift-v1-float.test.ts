/**
 * Float64 twin specifics: in-place mutation and rollback, try* outputs, oracle-guarded repeg and
 * trades, funding updates and spread trades against the exact code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  EMPTY_POSITION,
  DriftProtocolError,
  InvalidRepegProfitability,
  InvalidUpdateK,
  OracleMarkSpreadLimit,
  TradeSizeTooSmall,
  closePosition,
  initializeMarket,
  markPrice,
  openPosition,
  repeg,
  updateFundingRate,
  usdToMarkRaw,
  type Market,
  type OracleReading,
  type ProtocolVersion,
} from '../env/amm/drift-v1/index.js';
import * as F from '../env/amm/drift-v1/float/index.js';

const R = 5_000_000_000_000_000_000n;
const USD = 10_000_000_000n;

function sMarket(fields: Partial<Market> = {}): Market {
  return { ...initializeMarket({ baseAssetReserve: R, quoteAssetReserve: R, pegMultiplier: 150_000n, nowTs: 0n, oraclePriceTwapRaw: 150n * USD }), ...fields };
}

function oracle(priceUsd: number, confUsd: number, delaySlots = 0n): OracleReading {
  return { priceRaw: usdToMarkRaw(priceUsd), confidenceRaw: usdToMarkRaw(confUsd), delaySlots };
}

describe('float twin: state handling', () => {
  it('round-trips exact ↔ float state and clones without sharing the curve', () => {
    const m = sMarket({ totalFee: 123n });
    const fm = F.toFloatMarket(m);
    assert.deepEqual(F.toExactMarket(fm), m);
    const c = F.cloneFloatMarket(fm);
    c.curve.pegMultiplier = 1;
    assert.equal(fm.curve.pegMultiplier, 150_000);
  });

  it('openPosition mutates in place; a rejected trade restores market and position', () => {
    const fm = F.toFloatMarket(sMarket());
    const pos = F.emptyFloatPosition();
    const out = F.openPosition(fm, pos, true, 10_000_000_000, 1, 'jan2022');
    assert.equal(out.fee, 10_000_000);
    assert.ok(Math.abs(pos.baseAssetAmount - 666_577_789_628_049) < 1e4);
    const before = F.cloneFloatMarket(fm);
    const posBefore = { ...pos };
    assert.throws(() => F.openPosition(fm, pos, true, 100, 2, 'jan2022'), TradeSizeTooSmall);
    assert.deepEqual(fm, before);
    assert.deepEqual(pos, posBefore);
    // a huge long pushes the mark > 10 % over a valid oracle: blocked and rolled back
    const o = F.toFloatOracle(oracle(150, 0.1));
    assert.throws(() => F.openPosition(fm, pos, true, 30_000_000_000_000, 3, 'jan2022', { oracle: o }), OracleMarkSpreadLimit);
    assert.deepEqual(fm, before);
    assert.deepEqual(pos, posBefore);
    const close = F.closePosition(fm, pos, 4, 'jan2022');
    assert.ok(close.pnl === -1 || close.pnl === 0, `pnl ${close.pnl}`); // exact: −1; float floors may land one unit up
    assert.equal(pos.baseAssetAmount, 0);
    assert.equal(fm.baseAssetAmount, 0);
  });

  it('tryRepeg / tryUpdateK: null + cost on success, code + check and no mutation on rejection', () => {
    const m = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, 'jan2022').market;
    const fm = F.toFloatMarket({ ...m, totalFee: 100_000_000n, totalFeeMinusDistributions: 50_000_000n + 66_666_660n });
    const out = F.newAdjustOut();
    const snapshot = F.cloneFloatMarket(fm);
    assert.equal(F.tryRepeg(fm, 151_000, null, 'jan2022', out), 'InvalidRepegProfitability');
    assert.equal(out.check, 'feePoolTranche');
    assert.deepEqual(fm, snapshot);
    assert.equal(F.tryRepeg(fm, 150_000, null, 'jan2022', out), 'InvalidRepegRedundant');
    fm.totalFeeMinusDistributions += 20;
    assert.equal(F.tryRepeg(fm, 151_000, null, 'jan2022', out), null);
    assert.ok(Math.abs(out.cost - 66_666_667) <= 2, `cost ${out.cost}`);
    assert.equal(fm.curve.pegMultiplier, 151_000);
    assert.equal(fm.totalFeeMinusDistributions, 50_000_000 + 66_666_680 - out.cost);
    assert.throws(() => F.repeg(fm, 152_000, null, 'jan2022'), InvalidRepegProfitability);

    fm.totalFeeMinusDistributions = 100_000; // below the ~121k cost of +10 % k
    assert.equal(F.tryUpdateK(fm, 5.5e18, 'jan2022', out), 'InvalidUpdateK');
    assert.equal(out.check, 'budget');
    assert.equal(F.tryUpdateK(fm, 4.8e18, 'may2022', out), 'InvalidUpdateK');
    assert.equal(out.check, 'kDecreaseLimit');
    assert.throws(() => F.updateK(fm, 4.8e18, 'may2022'), InvalidUpdateK);
    const earned = F.updateK(fm, 4.9e18, 'jan2022');
    assert.ok(earned < 0);
    assert.equal(fm.curve.sqrtK, 4.9e18);
  });
});

describe('float twin vs exact with a valid oracle', () => {
  const arb = fc.record({
    version: fc.constantFrom<ProtocolVersion>('dec2021', 'jan2022', 'may2022'),
    side: fc.constantFrom<'long' | 'short'>('long', 'short'),
    notional: fc.integer({ min: 1_000, max: 5_000_000 }), // USD
    pegMove: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
    oracleOffset: fc.double({ min: -0.12, max: 0.12, noNaN: true }),
    confFrac: fc.double({ min: 0, max: 0.02, noNaN: true }),
  });

  it('repeg guards (direction, bands, tranche) decide alike', () => {
    fc.assert(
      fc.property(arb, ({ version, side, notional, pegMove, oracleOffset, confFrac }) => {
        const traded = openPosition(sMarket(), EMPTY_POSITION, side, BigInt(notional) * 1_000_000n, 1n, version).market;
        const m = { ...traded, totalFee: 10n ** 10n, totalFeeMinusDistributions: 6n * 10n ** 9n };
        const mark = Number(markPrice(m.curve));
        const o = { priceRaw: BigInt(Math.round(mark * (1 + oracleOffset))), confidenceRaw: BigInt(Math.round(mark * confFrac)), delaySlots: 0n };
        const newPeg = BigInt(Math.max(1, Math.round(150_000 * (1 + pegMove))));
        if (newPeg === 150_000n) return;
        let exactCode: string | null = null;
        let cost = 0n;
        try {
          cost = repeg(m, newPeg, o, version).cost;
        } catch (e) {
          assert.ok(e instanceof DriftProtocolError);
          exactCode = `${e.code}:${e.check}`;
        }
        const fm = F.toFloatMarket(m);
        const out = F.newAdjustOut();
        const code = F.tryRepeg(fm, Number(newPeg), F.toFloatOracle(o), version, out);
        assert.equal(code === null ? null : `${code}:${out.check}`, exactCode);
        if (code === null) assert.ok(Math.abs(out.cost - Number(cost)) <= 2);
      }),
      { numRuns: 300 },
    );
  });

  it('trades with the oracle guard, spread (may2022) and the following funding update agree', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 2_000 }), ({ version, side, notional, oracleOffset, confFrac }, spread) => {
        const m = sMarket({ baseSpread: BigInt(spread), totalFee: 10n ** 10n, totalFeeMinusDistributions: 6n * 10n ** 9n });
        const o: OracleReading = { priceRaw: BigInt(Math.round(1.5e12 * (1 + oracleOffset / 4))), confidenceRaw: BigInt(Math.round(1.5e12 * confFrac)), delaySlots: 0n };
        const quote = BigInt(notional) * 1_000_000n;
        let exact: ReturnType<typeof openPosition> | null = null;
        let exactErr: string | null = null;
        try {
          exact = openPosition(m, EMPTY_POSITION, side, quote, 600n, version, { oracle: o });
        } catch (e) {
          assert.ok(e instanceof DriftProtocolError);
          exactErr = e.code;
        }
        const fm = F.toFloatMarket(m);
        const pos = F.emptyFloatPosition();
        const fo = F.toFloatOracle(o);
        let floatErr: string | null = null;
        const out = F.newTradeOut();
        try {
          F.openPosition(fm, pos, side === 'long', Number(quote), 600, version, { oracle: fo }, out);
        } catch (e) {
          assert.ok(e instanceof DriftProtocolError);
          floatErr = e.code;
        }
        assert.equal(floatErr, exactErr);
        if (exact === null) return;
        assert.ok(Math.abs(out.feeToMarket - Number(exact.fee.feeToMarket)) <= 2, `fee ${out.feeToMarket} vs ${exact.fee.feeToMarket}`);
        assert.ok(Math.abs(out.quoteAssetAmountSurplus - Number(exact.quoteAssetAmountSurplus)) <= 2);
        assert.ok(Math.abs(pos.baseAssetAmount / Number(exact.position.baseAssetAmount) - 1) < 1e-9);
        assert.ok(Math.abs(fm.lastOraclePriceTwap - Number(exact.market.lastOraclePriceTwap)) <= 2);
        assert.ok(Math.abs(fm.lastMarkPriceTwap - Number(exact.market.lastMarkPriceTwap)) <= 2);

        // funding one hour later
        let fundingErr: string | null = null;
        let u: ReturnType<typeof updateFundingRate> | null = null;
        try {
          u = updateFundingRate(exact.market, o, 3_600n, version);
        } catch (e) {
          fundingErr = (e as DriftProtocolError).code;
        }
        let floatUpdated = false;
        let floatFundingErr: string | null = null;
        try {
          floatUpdated = F.updateFundingRate(fm, fo, 3_600, version);
        } catch (e) {
          floatFundingErr = (e as DriftProtocolError).code;
        }
        assert.equal(floatFundingErr, fundingErr);
        if (u === null) return;
        assert.equal(floatUpdated, u.updated);
        if (!u.updated) return;
        assert.ok(Math.abs(fm.lastFundingRate - Number(u.fundingRate)) <= 2 + 1e-9 * Math.abs(Number(u.fundingRate)));
        assert.ok(Math.abs(fm.cumulativeFundingRateLong - Number(u.market.cumulativeFundingRateLong)) <= 2 + 1e-9 * Math.abs(Number(u.fundingRateLong)));
        assert.ok(Math.abs(fm.totalFeeMinusDistributions - Number(u.market.totalFeeMinusDistributions)) <= 4);

        // closing agrees too
        const c = closePosition(exact.market, exact.position, 4_000n, version);
        F.closePosition(fm, pos, 4_000, version, {}, out);
        assert.ok(Math.abs(out.pnl - Number(c.pnl)) <= 4, `pnl ${out.pnl} vs ${c.pnl}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('float closed forms', () => {
  it('budgeted peg inverse on row 361: budget 45,095,905 buys ΔP = −999.99999', () => {
    const curve = F.toFloatCurve({ baseAssetReserve: 3_731_359_393_737_043n, quoteAssetReserve: 2_743_971_822_422_793n, sqrtK: 3_199_803_905_827_206n, pegMultiplier: 56_845_000n });
    const dp = F.budgetedPegDelta(curve, -526_675_027_832_372, 45_095_905);
    assert.ok(Math.abs(dp + 999.99999) < 1e-5, `${dp}`);
    assert.equal(Math.trunc(dp), -999);
    assert.equal(Math.floor(dp), -1000);
  });
});
