/**
 * The 'dec2021' semantics (protocol-v1 4ed1c27, live until 2022-01-04): real curve_history records
 * from before the cut-over reproduced to the unit, with the jan2022 figures for contrast (computed
 * independently with Python integers from the formulas in drift-v1-math.md §2.5–2.7). Inputs are the
 * records' raw fields, hard-coded (a handful of integers, not a copy of the data file).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  adjustKCost, adjustPegCost, calculateQuoteAssetAmountSwapped, createMarket, EMPTY_POSITION, float as F,
  isOracleValid, openPosition, quoteToReserveForSwap, type Curve,
} from '../env/amm/drift-v1/index.js';

interface RealRecord {
  id: number;
  curve: Curve;
  d: bigint;
  pegAfter: bigint;
  sqrtKAfter: bigint;
  reservesAfter: [bigint, bigint];
  recorded: bigint;
  jan2022: bigint;
}

const curve = (p: bigint, x: bigint, y: bigint, s: bigint): Curve => ({ pegMultiplier: p, baseAssetReserve: x, quoteAssetReserve: y, sqrtK: s });

const RECORDS: RealRecord[] = [
  { // BTC, users net short, repeg 57180.000 → 57100.000
    id: 80, curve: curve(57_180_000n, 3_322_516_007_959_368n, 2_998_109_739_654_010n, 3_156_147_589_010_904n),
    d: -164_342_838_106_033n, pegAfter: 57_100_000n, sqrtKAfter: 3_156_147_589_010_904n,
    reservesAfter: [3_322_516_007_959_368n, 2_998_109_739_654_010n], recorded: 1_248_108_560n, jan2022: 1_248_108_540n,
  },
  { // BTC, net short, k cut: the two-step rounding is worth 53,788 units at a 57k peg
    id: 145, curve: curve(56_849_000n, 3_543_103_485_849_825n, 2_867_389_261_088_349n, 3_187_390_293_994_522n),
    d: -352_027_121_093_163n, pegAfter: 56_849_000n, sqrtKAfter: 3_187_071_554_965_122n,
    reservesAfter: [3_542_749_175_146_929n, 2_867_102_521_875_501n], recorded: -19_897_150n, jan2022: -19_843_362n,
  },
  { // LUNA, net long, k cut ~10x (the protocol earned $58.5k; an "outlier" in the data README, but exact)
    id: 96, curve: curve(63_127n, 309_678_113_269_430_421n, 358_068_346_367_075_420n, 332_995_390_245_061_541n),
    d: 22_732_259_329_756_828n, pegAfter: 63_127n, sqrtKAfter: 33_632_534_414_751_215n,
    reservesAfter: [31_277_489_409_244_661n, 36_164_902_947_267_782n], recorded: -58_489_681_237n, jan2022: -58_489_681_264n,
  },
  { // LUNA, net short, update_k to the same sqrt_k: dec2021 costs 0, jan2022's short −1 would give −1
    id: 119, curve: curve(63_127n, 534_897_167_813_560_713n, 497_206_488_196_077_113n, 515_707_613_240_883_088n),
    d: -2_341_428_765_009_651n, pegAfter: 63_127n, sqrtKAfter: 515_707_613_240_883_088n,
    reservesAfter: [534_897_167_813_560_713n, 497_206_488_196_077_113n], recorded: 0n, jan2022: -1n,
  },
  { // SOL, net short, k raise: the last record before the 2022-01-04 deploy
    id: 285, curve: curve(233_950n, 1_712_754_989_105_130_093n, 1_256_672_103_523_745_009n, 1_467_096_252_799_908_422n),
    d: -40_097_295_823_170_123n, pegAfter: 233_950n, sqrtKAfter: 1_599_134_915_551_900_179n,
    reservesAfter: [1_866_902_937_953_316_302n, 1_369_772_592_715_214_849n], recorded: 1_392_247_446n, jan2022: 1_392_247_385n,
  },
];

function cost(r: RealRecord, protocol: 'dec2021' | 'jan2022'): { cost: bigint; reserves: [bigint, bigint] } {
  if (r.pegAfter !== r.curve.pegMultiplier) {
    return { cost: adjustPegCost(r.curve, r.d, r.pegAfter, protocol), reserves: [r.curve.baseAssetReserve, r.curve.quoteAssetReserve] };
  }
  const k = adjustKCost(r.curve, r.d, r.sqrtKAfter, protocol);
  return { cost: k.cost, reserves: [k.curve.baseAssetReserve, k.curve.quoteAssetReserve] };
}

describe('dec2021 semantics on real pre-2022-01-05 records', () => {
  for (const r of RECORDS) {
    it(`record ${r.id}: dec2021 reproduces cost and after-reserves to the unit; jan2022 does not`, () => {
      const dec = cost(r, 'dec2021');
      assert.equal(dec.cost, r.recorded);
      assert.deepEqual(dec.reserves, r.reservesAfter);
      const jan = cost(r, 'jan2022');
      assert.equal(jan.cost, r.jan2022);
      assert.notEqual(jan.cost, r.recorded);
      assert.deepEqual(jan.reserves, r.reservesAfter, 'the k reserve update is the same in both versions');
    });
  }
});

describe('dec2021 quote ↔ reserve conversions', () => {
  it('values a reserve change through QUOTE_PRECISION with an unconditional +1 on Remove', () => {
    // change 25e7 → 25 quote units exactly: jan floor(25e7·P/1e10); dec (25 + [Remove])·P/1e3
    const P = 150_000n;
    assert.equal(calculateQuoteAssetAmountSwapped(100n, 100n + 250_000_000n, 'remove', P, 'jan2022'), 3_750n);
    assert.equal(calculateQuoteAssetAmountSwapped(100n, 100n + 250_000_000n, 'remove', P, 'dec2021'), 3_900n);
    assert.equal(calculateQuoteAssetAmountSwapped(100n + 250_000_000n, 100n, 'add', P, 'dec2021'), 3_750n);
    // a change below 1e7 reserve units is worth nothing to a long under dec2021, but not under jan2022
    assert.equal(calculateQuoteAssetAmountSwapped(9_999_999n, 0n, 'add', 1_000_000_000n, 'dec2021'), 0n);
    assert.equal(calculateQuoteAssetAmountSwapped(9_999_999n, 0n, 'add', 1_000_000_000n, 'jan2022'), 999_999n);
  });

  it('opens a short with one more quote-reserve unit (even when P divides exactly), a long with the same', () => {
    assert.equal(quoteToReserveForSwap(10_000_000_000n, 100_000n, 'remove', 'jan2022'), 1_000_000_000_000_000n);
    assert.equal(quoteToReserveForSwap(10_000_000_000n, 100_000n, 'remove', 'dec2021'), 1_000_000_000_000_001n);
    assert.equal(quoteToReserveForSwap(10_000_000_000n, 100_000n, 'add', 'dec2021'), 1_000_000_000_000_000n);
    const x = 5n * 10n ** 18n;
    const market = createMarket(curve(150_000n, x, x, x));
    const jan = openPosition(market, EMPTY_POSITION, 'short', 10_000_000_000n, 1n, 'jan2022');
    const dec = openPosition(market, EMPTY_POSITION, 'short', 10_000_000_000n, 1n, 'dec2021');
    assert.equal(dec.market.curve.quoteAssetReserve, jan.market.curve.quoteAssetReserve - 1n);
  });
});

describe('dec2021 float twin', () => {
  it('reproduces the real records within the documented tolerance', () => {
    for (const r of RECORDS) {
      const fc0 = F.toFloatCurve(r.curve);
      const got = r.pegAfter !== r.curve.pegMultiplier
        ? F.adjustPegCost(fc0, Number(r.d), Number(r.pegAfter), 'dec2021')
        : F.adjustKCost(fc0, Number(r.d), Number(r.sqrtKAfter), 'dec2021').cost;
      // float/index.ts's bound (ρ = floor(s'·1e10/s) is within 1e-8 of an integer when s' = s·p, so the
      // float can land one unit off: up to 5e-10 of the pool's quote value) plus dec2021's P/1e3 step
      const poolQuote = (Number(r.curve.quoteAssetReserve) * Number(r.curve.pegMultiplier)) / 1e10;
      const tolerance = 2 + Number(r.curve.pegMultiplier) / 1e3 + 5e-10 * poolQuote;
      assert.ok(Math.abs(got - Number(r.recorded)) <= tolerance, `record ${r.id}: float ${got} vs ${r.recorded}`);
    }
  });

  it('a net position of one raw unit against 7.5e18 reserves costs what the exact code says, without a spurious underflow', () => {
    const x = 7_515_995_347_288_541_697n;
    const c = curve(1_000n, x, x, x);
    for (const version of ['dec2021', 'jan2022', 'may2022'] as const) {
      const exact = adjustPegCost(c, 1n, 1_100n, version);
      assert.equal(F.adjustPegCost(F.toFloatCurve(c), 1, 1_100, version), Number(exact), version);
    }
  });

  it('agrees with the exact repeg cost on random markets', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n }), fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      fc.bigInt({ min: 1_000n, max: 100_000_000n }), fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      (x, dFrac, peg, move) => {
        const c = curve(peg, x, x, x);
        const d = BigInt(Math.trunc(Number(x) * dFrac));
        const newPeg = peg + BigInt(Math.trunc(Number(peg) * move));
        if (newPeg <= 0n) return;
        const exact = adjustPegCost(c, d, newPeg, 'dec2021');
        const approx = F.adjustPegCost(F.toFloatCurve(c), Number(d), Number(newPeg), 'dec2021');
        // a floor(dq/1e7) that lands one unit apart moves V by P/1e3
        const tol = 2 + 2 * Number(peg > newPeg ? peg : newPeg) / 1e3 + 1e-9 * Math.abs(Number(exact));
        assert.ok(Math.abs(approx - Number(exact)) <= tol, `exact ${exact}, float ${approx}`);
      },
    ), { numRuns: 300 });
  });
});

describe('oracle validity without the account TWAP (dec2021/jan2022)', () => {
  it('falls back to the AMM oracle TWAP, so the too-volatile guard still fires (exact and float)', () => {
    const x = 5n * 10n ** 18n;
    const market = createMarket(curve(150_000n, x, x, x), { lastOraclePriceTwap: 1_500_000_000_000n });
    const reading = { priceRaw: 15_000_000_000_000n, confidenceRaw: 1_000_000n, delaySlots: 0n }; // 10× the TWAP
    for (const version of ['dec2021', 'jan2022', 'may2022'] as const) {
      assert.equal(isOracleValid(market, reading, version), false, version);
      assert.equal(F.isOracleValid(F.toFloatMarket(market), F.toFloatOracle(reading), version), false, `float ${version}`);
      const sane = { ...reading, priceRaw: 1_510_000_000_000n };
      assert.equal(isOracleValid(market, sane, version), true, `${version} sane`);
    }
  });
});
