/**
 * drift-v1-math.md §5 test vectors, reproduced to the unit: the two real curve_history rows
 * (record_id 361 and 385 of curve_history_hist.csv, inputs hard-coded below) and S1–S8.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  EMPTY_POSITION,
  adjustKCost,
  adjustPegCost,
  calculateFee,
  calculateFundingPayment,
  calculateFundingPaymentInQuotePrecision,
  calculateFundingRate,
  calculateNewMarkTwap,
  calculatePrice,
  createMarket,
  feePoolFloor,
  initializeMarket,
  isqrt,
  markPrice,
  netUserPositionValue,
  openPosition,
  closePosition,
  repeg,
  sqrtKRatio,
  terminalPrice,
  terminalReserves,
  updateK,
  InvalidRepegProfitability,
  type Curve,
  type Market,
  type OracleReading,
  type ProtocolVersion,
} from '../env/amm/drift-v1/index.js';
import * as F from '../env/amm/drift-v1/float/index.js';

const VERSIONS: readonly ProtocolVersion[] = ['jan2022', 'may2022'];

// ---- Row 361: market 1 (BTC), pure repeg 56845.000 → 56844.000 ------------------------------------
const ROW361_CURVE: Curve = {
  baseAssetReserve: 3_731_359_393_737_043n,
  quoteAssetReserve: 2_743_971_822_422_793n,
  sqrtK: 3_199_803_905_827_206n,
  pegMultiplier: 56_845_000n,
};
const ROW361_D = -526_675_027_832_372n;
const ROW361_NEW_PEG = 56_844_000n;
const ROW361_TOTAL_FEE = 137_386_258_132n;
const ROW361_TFMD_AFTER = 69_498_759_709n;
const ROW361_COST = 45_095_905n;
const ROW361_TFMD_BEFORE = 69_543_855_614n;

function row361Market(): Market {
  return createMarket(ROW361_CURVE, {
    baseAssetAmount: ROW361_D,
    baseAssetAmountLong: 31_252_102_948_331n,
    baseAssetAmountShort: -557_927_130_780_703n,
    openInterest: 418n,
    totalFee: ROW361_TOTAL_FEE,
    totalFeeMinusDistributions: ROW361_TFMD_BEFORE,
  });
}

// ---- Row 385: market 5 (BNB), pure k change, s × 1.03 ---------------------------------------------
const ROW385_CURVE: Curve = {
  baseAssetReserve: 201_203_418_686_389_136n,
  quoteAssetReserve: 184_670_739_522_718_848n,
  sqrtK: 192_759_913_164_834_950n,
  pegMultiplier: 523_645n,
};
const ROW385_D = -7_683_979_230_151_328n;
const ROW385_NEW_SQRT_K = 198_542_710_559_779_998n;
const ROW385_X_AFTER = 207_239_521_226_860_468n;
const ROW385_Y_AFTER_JAN = 190_210_861_689_933_339n;
const ROW385_TOTAL_FEE = 53_280_620_739n;
const ROW385_TFMD_BEFORE = 43_077_833_721n;
const ROW385_TFMD_AFTER = 42_634_288_087n;

function row385Market(): Market {
  return createMarket(ROW385_CURVE, {
    baseAssetAmount: ROW385_D,
    baseAssetAmountLong: 437_046_301_004_678n,
    baseAssetAmountShort: -8_121_025_531_156_006n,
    openInterest: 74n,
    totalFee: ROW385_TOTAL_FEE,
    totalFeeMinusDistributions: ROW385_TFMD_BEFORE,
  });
}

describe('drift-v1 §5.1 row 361 (repeg)', () => {
  it('s² vs x·y: isqrt(x·y) = s − 1', () => {
    assert.equal(isqrt(ROW361_CURVE.baseAssetReserve * ROW361_CURVE.quoteAssetReserve), ROW361_CURVE.sqrtK - 1n);
  });

  it('terminal quote reserve y_t and dq', () => {
    const t = terminalReserves(ROW361_CURVE, ROW361_D, 'jan2022');
    assert.equal(t.quoteAssetReserve, 3_194_930_878_272_837n);
    assert.equal(t.baseAssetReserve, ROW361_CURVE.baseAssetReserve + ROW361_D);
    assert.equal(t.quoteAssetReserve - ROW361_CURVE.quoteAssetReserve, 450_959_055_850_044n);
  });

  it('mark and terminal price before/after', () => {
    const after = { ...ROW361_CURVE, pegMultiplier: ROW361_NEW_PEG };
    assert.equal(markPrice(ROW361_CURVE), 418_027_484_855_606n);
    assert.equal(markPrice(after), 418_020_131_042_872n);
    for (const v of VERSIONS) {
      assert.equal(terminalPrice(ROW361_CURVE, ROW361_D, v), 566_719_916_968_016n);
      assert.equal(terminalPrice(after, ROW361_D, v), 566_709_947_403_112n);
    }
  });

  it('V_before / V_after (may2022 adds 1 to each on the short side)', () => {
    const after = { ...ROW361_CURVE, pegMultiplier: ROW361_NEW_PEG };
    assert.equal(netUserPositionValue(ROW361_CURVE, ROW361_D, 'jan2022'), 2_563_476_752_979n);
    assert.equal(netUserPositionValue(after, ROW361_D, 'jan2022'), 2_563_431_657_073n);
    assert.equal(netUserPositionValue(ROW361_CURVE, ROW361_D, 'may2022'), 2_563_476_752_980n);
    assert.equal(netUserPositionValue(after, ROW361_D, 'may2022'), 2_563_431_657_074n);
  });

  it('adjustPegCost: jan2022 = 45,095,905 (recorded), may2022 = 45,095,906', () => {
    assert.equal(adjustPegCost(ROW361_CURVE, ROW361_D, ROW361_NEW_PEG, 'jan2022'), ROW361_COST);
    assert.equal(adjustPegCost(ROW361_CURVE, ROW361_D, ROW361_NEW_PEG, 'may2022'), 45_095_906n);
  });

  it('linear closed form dq·ΔP/1e10 = 45,095,905.585', () => {
    const dq = 450_959_055_850_044n;
    assert.equal(dq * 1000n, 450_959_055_850_044_000n); // /1e10 = 45,095,905.5850044
    assert.equal((dq * 1000n) / 10_000_000_000n, ROW361_COST);
    const linear = F.repegCostLinear(F.toFloatCurve(ROW361_CURVE), Number(ROW361_D), Number(ROW361_NEW_PEG));
    assert.ok(Math.abs(linear - 45_095_905.585) < 1e-3, `linear ${linear}`);
  });

  it('fee pool: tfmd after = 69,498,759,709 ≥ floor(total_fee/2) = 68,693,129,066 (repeg with a valid oracle)', () => {
    const oracle: OracleReading = { priceRaw: 419_000_000_000_000n, confidenceRaw: 1_000_000_000_000n, delaySlots: 0n };
    const { market, cost } = repeg(row361Market(), ROW361_NEW_PEG, oracle, 'jan2022');
    assert.equal(cost, ROW361_COST);
    assert.equal(market.totalFeeMinusDistributions, ROW361_TFMD_AFTER);
    assert.equal(market.totalFee, ROW361_TOTAL_FEE);
    assert.equal(feePoolFloor(market.totalFee), 68_693_129_066n);
    assert.equal(market.totalFeeMinusDistributions - feePoolFloor(market.totalFee), 805_630_643n); // ≈ $805.6 to spare
    assert.equal(market.curve.pegMultiplier, ROW361_NEW_PEG);
    assert.deepEqual({ ...market.curve, pegMultiplier: 0n }, { ...ROW361_CURVE, pegMultiplier: 0n });
    const may = repeg(row361Market(), ROW361_NEW_PEG, oracle, 'may2022');
    assert.equal(may.cost, 45_095_906n);
    assert.equal(may.market.totalFeeMinusDistributions, ROW361_TFMD_BEFORE - 45_095_906n);
  });

  it('tranche check rejects the same repeg when the pool has less than the cost to spare', () => {
    const tight = { ...row361Market(), totalFeeMinusDistributions: 68_693_129_066n + ROW361_COST - 1n };
    const stale: OracleReading = { priceRaw: 419_000_000_000_000n, confidenceRaw: 0n, delaySlots: 5_000n };
    assert.throws(() => repeg(tight, ROW361_NEW_PEG, stale, 'jan2022'), (e: unknown) => {
      return e instanceof InvalidRepegProfitability && e.check === 'feePoolTranche';
    });
    const exact = { ...tight, totalFeeMinusDistributions: 68_693_129_066n + ROW361_COST };
    assert.equal(repeg(exact, ROW361_NEW_PEG, stale, 'jan2022').market.totalFeeMinusDistributions, 68_693_129_066n);
  });

  it('float twin: cost within ±1 and prices to 1e-12', () => {
    const fc = F.toFloatCurve(ROW361_CURVE);
    for (const v of VERSIONS) {
      const exact = Number(adjustPegCost(ROW361_CURVE, ROW361_D, ROW361_NEW_PEG, v));
      assert.ok(Math.abs(F.adjustPegCost(fc, Number(ROW361_D), Number(ROW361_NEW_PEG), v) - exact) <= 1);
    }
    const tp = F.terminalPrice(fc, Number(ROW361_D), 'jan2022');
    assert.ok(Math.abs(tp / 566_719_916_968_016 - 1) < 1e-12);
  });
});

describe('drift-v1 §5.1 row 385 (update_k)', () => {
  it('ρ = floor(s_new·1e10/s) = 10,299,999,999', () => {
    assert.equal(sqrtKRatio(ROW385_CURVE.sqrtK, ROW385_NEW_SQRT_K), 10_299_999_999n);
  });

  it('jan2022: x\', y\' and cost reproduce the record', () => {
    const { cost, curve } = adjustKCost(ROW385_CURVE, ROW385_D, ROW385_NEW_SQRT_K, 'jan2022');
    assert.equal(curve.baseAssetReserve, ROW385_X_AFTER);
    assert.equal(curve.quoteAssetReserve, ROW385_Y_AFTER_JAN);
    assert.equal(curve.sqrtK, ROW385_NEW_SQRT_K);
    assert.equal(curve.pegMultiplier, ROW385_CURVE.pegMultiplier);
    assert.equal(cost, 443_545_634n);
  });

  it('may2022: y\' = floor(s_new²/x\') = 190,210,861,726,867,486 and cost 443,547,569', () => {
    const { cost, curve } = adjustKCost(ROW385_CURVE, ROW385_D, ROW385_NEW_SQRT_K, 'may2022');
    assert.equal(curve.baseAssetReserve, ROW385_X_AFTER);
    assert.equal(curve.quoteAssetReserve, 190_210_861_726_867_486n);
    assert.equal(curve.quoteAssetReserve - ROW385_Y_AFTER_JAN, 36_934_147n);
    assert.equal(cost, 443_547_569n);
  });

  it('mark before = after = 4,806,176,258,272; terminal 5,195,426,560,203 → 5,183,430,354,656', () => {
    const { curve } = adjustKCost(ROW385_CURVE, ROW385_D, ROW385_NEW_SQRT_K, 'jan2022');
    assert.equal(markPrice(ROW385_CURVE), 4_806_176_258_272n);
    assert.equal(markPrice(curve), 4_806_176_258_272n);
    assert.equal(terminalPrice(ROW385_CURVE, ROW385_D, 'jan2022'), 5_195_426_560_203n);
    assert.equal(terminalPrice(curve, ROW385_D, 'jan2022'), 5_183_430_354_656n);
  });

  it('V_before / V_after (jan2022) = 383,969,416,929 / 383,525,871,294', () => {
    const { curve } = adjustKCost(ROW385_CURVE, ROW385_D, ROW385_NEW_SQRT_K, 'jan2022');
    assert.equal(netUserPositionValue(ROW385_CURVE, ROW385_D, 'jan2022'), 383_969_416_929n);
    assert.equal(netUserPositionValue(curve, ROW385_D, 'jan2022'), 383_525_871_294n);
  });

  it('truncated ρ leaves x\'·y\' < s_new²: isqrt(x\'·y\') − s_new = −19,275,992 (jan reserves)', () => {
    assert.equal(isqrt(ROW385_X_AFTER * ROW385_Y_AFTER_JAN) - ROW385_NEW_SQRT_K, -19_275_992n);
  });

  it('updateK: tfmd after = 42,634,288,087 (jan2022); may2022 passes its price and k_err checks', () => {
    const jan = updateK(row385Market(), ROW385_NEW_SQRT_K, 'jan2022');
    assert.equal(jan.cost, 443_545_634n);
    assert.equal(jan.market.totalFeeMinusDistributions, ROW385_TFMD_AFTER);
    assert.equal(jan.market.curve.quoteAssetReserve, ROW385_Y_AFTER_JAN);
    const may = updateK(row385Market(), ROW385_NEW_SQRT_K, 'may2022');
    assert.equal(may.cost, 443_547_569n);
    assert.equal(may.market.totalFeeMinusDistributions, ROW385_TFMD_BEFORE - 443_547_569n);
  });

  it('ideal closed form (p = 1.03 exactly) = 443,547,645.16 and its inverse gives p = 1.03', () => {
    const fc = F.toFloatCurve(ROW385_CURVE);
    const ideal = F.kCostClosedForm(fc, Number(ROW385_D), 1.03);
    assert.ok(Math.abs(ideal - 443_547_645.16) < 0.05, `closed form ${ideal}`);
    const p = F.budgetedKScale(fc, Number(ROW385_D), 443_547_645.16);
    assert.ok(Math.abs(p - 1.03) < 1e-9, `p ${p}`);
  });

  it('float twin: reserves to 2e-10, cost to 5e-6 (its ρ lands on 1.03e10, the exact ρ one unit below)', () => {
    const fc = F.toFloatCurve(ROW385_CURVE);
    for (const v of VERSIONS) {
      const exact = adjustKCost(ROW385_CURVE, ROW385_D, ROW385_NEW_SQRT_K, v);
      const out = F.adjustKCost(fc, Number(ROW385_D), Number(ROW385_NEW_SQRT_K), v);
      assert.ok(Math.abs(out.curve.baseAssetReserve / Number(exact.curve.baseAssetReserve) - 1) < 2e-10);
      assert.ok(Math.abs(out.curve.quoteAssetReserve / Number(exact.curve.quoteAssetReserve) - 1) < 2e-10);
      assert.ok(Math.abs(out.cost / Number(exact.cost) - 1) < 5e-6, `${v}: ${out.cost} vs ${exact.cost}`);
      // the float result sits on the ideal closed form (p = 1.03 exactly): 443,547,645.16
      assert.ok(Math.abs(out.cost - 443_547_645) <= 2, `${v}: ${out.cost}`);
    }
  });
});

// ---- §5.2 synthetic: x = y = s = 5e18 (500,000 base), P = 150.000, fee 10 bp ----------------------
const S_RESERVE = 5_000_000_000_000_000_000n;

function sMarket(): Market {
  return initializeMarket({
    baseAssetReserve: S_RESERVE,
    quoteAssetReserve: S_RESERVE,
    pegMultiplier: 150_000n,
    nowTs: 0n,
    oraclePriceTwapRaw: 1_500_000_000_000n,
  });
}

describe('drift-v1 §5.2 synthetic vectors S1–S8', () => {
  it('S1 mark = 1,500,000,000,000', () => {
    assert.equal(markPrice(sMarket().curve), 1_500_000_000_000n);
  });

  for (const v of VERSIONS) {
    it(`S2 long $10k (${v})`, () => {
      const r = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v);
      assert.equal(r.market.curve.quoteAssetReserve - S_RESERVE, 666_666_666_666_666n);
      assert.equal(r.market.curve.quoteAssetReserve, 5_000_666_666_666_666_666n);
      assert.equal(r.market.curve.baseAssetReserve, 4_999_333_422_210_371_951n);
      assert.equal(r.position.baseAssetAmount, 666_577_789_628_049n);
      assert.equal(r.market.baseAssetAmount, 666_577_789_628_049n);
      assert.equal(r.market.baseAssetAmountLong, 666_577_789_628_049n);
      assert.equal(markPrice(r.market.curve), 1_500_400_026_666n);
      assert.equal(r.fee.fee, 10_000_000n);
      assert.equal(r.market.totalFee, 10_000_000n);
      assert.equal(r.market.totalFeeMinusDistributions, 10_000_000n);
      assert.equal(r.market.openInterest, 1n);
    });

    it(`S3 close S2 immediately: value 9,999,999,999, pnl −1, curve back to 5e18 (${v})`, () => {
      const open = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v);
      const c = closePosition(open.market, open.position, 2n, v);
      assert.equal(c.quoteAssetAmount, 9_999_999_999n);
      assert.equal(c.pnl, -1n);
      assert.equal(c.market.curve.baseAssetReserve, S_RESERVE);
      assert.equal(c.market.curve.quoteAssetReserve, S_RESERVE);
      assert.equal(markPrice(c.market.curve), 1_500_000_000_000n);
      assert.equal(c.market.baseAssetAmount, 0n);
      assert.equal(c.market.openInterest, 0n);
      assert.equal(c.fee.fee, 9_999_999n);
    });

    it(`S4 short $10k (${v})`, () => {
      const r = openPosition(sMarket(), EMPTY_POSITION, 'short', 10_000_000_000n, 1n, v);
      assert.equal(r.market.curve.quoteAssetReserve, 4_999_333_333_333_333_334n);
      assert.equal(r.market.curve.baseAssetReserve, 5_000_666_755_567_408_987n);
      assert.equal(r.position.baseAssetAmount, -666_755_567_408_987n);
      assert.equal(r.market.baseAssetAmountShort, -666_755_567_408_987n);
      assert.equal(markPrice(r.market.curve), 1_499_600_026_666n);
    });

    it(`S5 after S2, repeg 150000 → 151000 costs 66,666,667 (${v})`, () => {
      const s2 = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v).market;
      assert.equal(adjustPegCost(s2.curve, s2.baseAssetAmount, 151_000n, v), 66_666_667n);
      const linear = F.repegCostLinear(F.toFloatCurve(s2.curve), Number(s2.baseAssetAmount), 151_000);
      assert.ok(Math.abs(linear - 66_666_666.67) < 0.01, `linear ${linear}`);
    });

    it(`S6 after S2, s_new = 5.5e18 (${v})`, () => {
      const s2 = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v).market;
      const { cost, curve } = adjustKCost(s2.curve, s2.baseAssetAmount, 5_500_000_000_000_000_000n, v);
      assert.equal(curve.baseAssetReserve, 5_499_266_764_431_409_146n);
      assert.equal(curve.quoteAssetReserve, 5_500_733_333_333_333_332n);
      assert.equal(cost, 121_198n);
    });
  }

  it('S7 funding rate 1,666,666,666,666; the S2 long pays 11,109,629,827,129 AMM units = −1,110,962 quote', () => {
    for (const v of VERSIONS) {
      assert.equal(calculateFundingRate(1_504_000_000_000n, 1_500_000_000_000n, 3600n, v), 1_666_666_666_666n);
    }
    const rate = 1_666_666_666_666n;
    const base = 666_577_789_628_049n;
    assert.equal((rate * base) / 100_000_000_000_000n, 11_109_629_827_129n);
    assert.equal(calculateFundingPayment(rate, base), -11_109_629_827_129n);
    assert.equal(calculateFundingPaymentInQuotePrecision(rate, base), -1_110_962n);
    // may2022 clamp floor(oracle_twap/33) = 45,454,545,454 is not binding here
    assert.equal(1_500_000_000_000n / 33n, 45_454_545_454n);
    assert.equal(calculateFundingRate(1_600_000_000_000n, 1_500_000_000_000n, 3600n, 'may2022'), (45_454_545_454n * 10_000n) / 24n);
    assert.equal(F.fundingRate(1_504_000_000_000, 1_500_000_000_000, 3600, 'jan2022'), 1_666_666_666_666);
  });

  it('S8 mark TWAP: last 1.5e12, price 1,500,400,026,666, since 600 of 3600 → 1,500,066,671,111', () => {
    const m = { ...sMarket(), lastMarkPriceTwap: 1_500_000_000_000n, lastMarkPriceTwapTs: 1_000n };
    assert.equal(calculateNewMarkTwap(m, 1_600n, 1_500_400_026_666n), 1_500_066_671_111n);
    assert.equal(F.weightedTwap(1_500_400_026_666, 1_500_000_000_000, 600, 3000), 1_500_066_671_111);
  });

  it('fee of $10k at 10 bp is 10,000,000; with referrer and 1000-token tier', () => {
    assert.equal(calculateFee(10_000_000_000n).feeToMarket, 10_000_000n);
    const f = calculateFee(10_000_000_000n, { hasReferrer: true, discountTokenBalanceRaw: 1_000_000_000_000n });
    assert.deepEqual(f, {
      fee: 10_000_000n,
      tokenDiscount: 2_000_000n,
      refereeDiscount: 500_000n,
      userFee: 7_500_000n,
      referrerReward: 500_000n,
      feeToMarket: 7_000_000n,
    });
  });

  it('calculatePrice argument order is (quote, base, peg)', () => {
    assert.equal(calculatePrice(2n * S_RESERVE, S_RESERVE, 1_000n), 20_000_000_000n);
  });
});
