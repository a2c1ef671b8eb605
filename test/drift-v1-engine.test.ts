import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as drift from '../env/amm/drift-v1/index.js';
import { ExactEngine, FloatEngine, makeEngine, type EngineTrade } from '../env/amm/drift-v1/engine.js';

const NOW = 1_641_000_000;
const P = 'jan2022' as const;

/** A cheap-asset market ($0.5, 1e8 base units of depth): its positions are far above 2^53 raw units. */
function cheapMarket(): drift.Market {
  return drift.initializeMarket({
    baseAssetReserve: 10n ** 21n, quoteAssetReserve: 10n ** 21n, pegMultiplier: 500n,
    nowTs: BigInt(NOW), oraclePriceTwapRaw: 5_000_000_000n,
  });
}

function newTrade(): EngineTrade {
  return { out: drift.float.newTradeOut(), position: drift.float.emptyFloatPosition() };
}

describe('DriftEngine', () => {
  it('ExactEngine reproduces the program functions called directly, position for position', () => {
    const e = new ExactEngine(P);
    e.load(cheapMarket());
    const trade = newTrade();
    const h1 = e.tryOpen(true, 40_000_000_000, NOW, null, trade); // $40k long
    const h2 = e.tryOpen(false, 15_000_000_000, NOW + 60, null, trade); // $15k short
    assert.ok(h1 >= 0 && h2 >= 0 && h1 !== h2);
    assert.ok(Math.abs(Number(e.position(h1)!.baseAssetAmount)) > 2 ** 53, 'a position beyond float64 integer range');
    assert.equal(e.tryClose(h1, NaN, NaN, NOW + 120, null, trade.out), true);

    // the same three instructions through the exact functions
    const a = drift.openPosition(cheapMarket(), drift.EMPTY_POSITION, 'long', 40_000_000_000n, BigInt(NOW), P);
    const b = drift.openPosition(a.market, drift.EMPTY_POSITION, 'short', 15_000_000_000n, BigInt(NOW + 60), P);
    const c = drift.closePosition(b.market, a.position, BigInt(NOW + 120), P);
    assert.deepEqual(e.market, c.market);
    assert.equal(trade.out.quoteAssetAmount, Number(c.quoteAssetAmount));
    assert.equal(trade.out.feeToMarket, Number(c.fee.feeToMarket));
    assert.equal(e.position(h1), undefined, 'closed positions are forgotten');
    // the view is the float image of the exact state
    assert.deepEqual(e.view, drift.float.toFloatMarket(c.market));

    // closing the last position returns the net base to exactly zero: amounts were kept in bigint
    assert.equal(e.tryClose(h2, NaN, NaN, NOW + 180, null, trade.out), true);
    assert.equal(e.market.baseAssetAmount, 0n);
    assert.throws(() => e.tryClose(h2, 0, 0, NOW, null, trade.out), /no open position under handle/);
  });

  it('returns rejections with their code and guard and leaves the state untouched', () => {
    for (const kind of ['float', 'exact'] as const) {
      const e = makeEngine(kind, P);
      e.load(cheapMarket());
      const before = structuredClone(e.view);
      const out = drift.float.newAdjustOut();
      assert.equal(e.tryRepeg(500, null, out), 'InvalidRepegRedundant', kind);
      assert.equal(out.check, 'redundant');
      // a repeg up while users are net long costs more than the fee pool's 50 % tranche (only $40 of fees)
      const trade = newTrade();
      assert.ok(e.tryOpen(true, 40_000_000_000, NOW, null, trade) >= 0);
      const afterTrade = structuredClone(e.view);
      const code = e.tryRepeg(Math.round(e.view.curve.pegMultiplier * 1.002), null, out);
      assert.equal(code, 'InvalidRepegProfitability', kind);
      assert.equal(out.check, 'feePoolTranche');
      assert.deepEqual(e.view, afterTrade, `${kind}: a rejected repeg changed the state`);
      assert.notDeepEqual(before, afterTrade);
    }
  });

  it('turns the exact code\'s u128 underflow (a net position beyond what a smaller k can absorb) into a rejection on both engines', () => {
    // users net short 90 % of the base reserve: shrinking k 15 % leaves too few reserves to close them
    const x = 10n ** 21n;
    const short = -(x * 9n) / 10n;
    const market = { ...cheapMarket(), baseAssetAmount: short, baseAssetAmountShort: short, totalFee: 10n ** 12n, totalFeeMinusDistributions: 10n ** 12n };
    for (const protocol of ['dec2021', 'jan2022'] as const) {
      const codes = (['float', 'exact'] as const).map((kind) => {
        const e = makeEngine(kind, protocol);
        e.load(market);
        const before = structuredClone(e.view);
        const out = drift.float.newAdjustOut();
        const code = e.tryUpdateK(Math.round(e.view.curve.sqrtK * 0.85), out);
        assert.deepEqual(e.view, before, `${kind} ${protocol}: a rejected update_k changed the state`);
        return [code, out.check];
      });
      assert.equal(codes[0]![0], 'MathError', `float ${protocol}`);
      assert.deepEqual(codes[0], codes[1], `${protocol}: float and exact reject alike`);
    }
  });

  it('float and exact engines agree within the twin tolerance over a sequence of operations', () => {
    const f = new FloatEngine(P);
    const e = new ExactEngine(P);
    const trade = newTrade();
    const out = drift.float.newAdjustOut();
    const base: drift.Market = { ...cheapMarket(), totalFee: 10n ** 12n, totalFeeMinusDistributions: 10n ** 12n }; // $1M fee pool
    f.load(base);
    e.load(base);
    const handles: [number, number, number, number][] = [];
    for (let i = 0; i < 40; i++) {
      const long = i % 3 !== 0;
      const q = 1_000_000_000 + 97_000_000 * i;
      const hf = f.tryOpen(long, q, NOW + i, null, trade);
      const bf = trade.position.baseAssetAmount;
      const qf = trade.position.quoteAssetAmount;
      const he = e.tryOpen(long, q, NOW + i, null, trade);
      assert.equal(hf >= 0, he >= 0);
      handles.push([hf, bf, qf, he]);
      if (i % 10 === 9) {
        const peg = Math.round(f.view.curve.pegMultiplier * 1.002);
        assert.equal(f.tryRepeg(peg, null, out), null);
        assert.equal(e.tryRepeg(peg, null, out), null);
      }
    }
    for (const [hf, bf, qf, he] of handles.slice(0, 20)) {
      assert.equal(f.tryClose(hf, bf, qf, NOW + 100, null, trade.out), true);
      assert.equal(e.tryClose(he, NaN, NaN, NOW + 100, null, trade.out), true);
    }
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    assert.ok(rel(f.view.totalFeeMinusDistributions, e.view.totalFeeMinusDistributions) < 1e-9);
    assert.ok(rel(f.view.curve.quoteAssetReserve, e.view.curve.quoteAssetReserve) < 1e-12);
    assert.ok(rel(f.view.baseAssetAmount, e.view.baseAssetAmount) < 1e-9);
  });
});
