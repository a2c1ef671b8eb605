/**
 * Exact Drift v1 vAMM: guards, version flags, trades, funding, oracle, TWAPs, units, purity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  EMPTY_POSITION,
  PROTOCOLS,
  PROTOCOL_VERSIONS,
  CastingFailure,
  DriftProtocolError,
  InvalidFundingProfitability,
  InvalidInitialPeg,
  InvalidRepegDirection,
  InvalidRepegProfitability,
  InvalidRepegRedundant,
  InvalidUpdateK,
  MathError,
  OracleMarkSpreadLimit,
  TradeSizeTooLarge,
  TradeSizeTooSmall,
  UnknownProtocolVersion,
  AdminWithdrawTooLarge,
  adjustKCost,
  adjustPegCost,
  baseToReserveRaw,
  calculateFundingPayment,
  calculateFundingRateLongShort,
  calculateSwapOutput,
  closePosition,
  createMarket,
  feePoolFloor,
  initializeMarket,
  isOracleMarkTooDivergent,
  isOracleValid,
  isqrt,
  markPrice,
  markRawToUsd,
  nextFundingUpdateWait,
  normaliseOraclePrice,
  openPosition,
  oracleMarkSpreadPct,
  pegRawToUsd,
  quoteRawToUsd,
  repeg,
  reserveRawToBase,
  resolveProtocol,
  settleFundingPayment,
  terminalPrice,
  transferInsuranceToMarket,
  updateFundingRate,
  updateK,
  updateOracleTwap,
  usdToMarkRaw,
  usdToPegRaw,
  usdToQuoteRaw,
  withdrawFees,
  type Market,
  type OracleReading,
  type ProtocolSemantics,
  type ProtocolVersion,
} from '../env/amm/drift-v1/index.js';
import { DammGymError } from '../env/core/errors.js';

const VERSIONS: readonly ProtocolVersion[] = ['jan2022', 'may2022'];
const R = 5_000_000_000_000_000_000n; // 500,000 base
const USD = 10_000_000_000n; // 1 USD in MARK_PRICE_PRECISION

function sMarket(overrides: Partial<Market> = {}): Market {
  return {
    ...initializeMarket({ baseAssetReserve: R, quoteAssetReserve: R, pegMultiplier: 150_000n, nowTs: 0n, oraclePriceTwapRaw: 150n * USD }),
    ...overrides,
  };
}

/** S2: the market after a $10k long (d > 0), with a fee pool. */
function s2(v: ProtocolVersion, tfmd = 1_000_000_000n): Market {
  const m = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v).market;
  return { ...m, totalFeeMinusDistributions: tfmd };
}

function oracle(priceUsd: number, confUsd: number, extra: Partial<OracleReading> = {}): OracleReading {
  return { priceRaw: usdToMarkRaw(priceUsd), confidenceRaw: usdToMarkRaw(confUsd), delaySlots: 0n, ...extra };
}

const STALE: OracleReading = { priceRaw: 150n * USD, confidenceRaw: 0n, delaySlots: 1_001n };

function throwsCode(fn: () => unknown, cls: new (...a: never[]) => DriftProtocolError, check?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.ok(e instanceof DriftProtocolError && e instanceof DammGymError);
    if (check !== undefined) assert.equal((e as DriftProtocolError).check, check);
    return true;
  });
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o as object)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe('protocol table', () => {
  it('resolves names, accepts custom rows, rejects unknown names', () => {
    assert.deepEqual([...PROTOCOL_VERSIONS], ['dec2021', 'jan2022', 'may2022']);
    assert.equal(resolveProtocol('jan2022'), PROTOCOLS.jan2022);
    const custom: ProtocolSemantics = { ...PROTOCOLS.jan2022, version: 'custom', kDecreaseMinRatio: { numerator: 975n, denominator: 1000n } };
    assert.equal(resolveProtocol(custom), custom);
    assert.throws(() => resolveProtocol('dec2020' as ProtocolVersion), UnknownProtocolVersion);
  });

  it('jan2022 has no k-decrease limit (a5eacdc is later than df8b853); may2022 has it', () => {
    assert.equal(PROTOCOLS.jan2022.kDecreaseMinRatio, null);
    assert.deepEqual(PROTOCOLS.may2022.kDecreaseMinRatio, { numerator: 975n, denominator: 1000n });
  });
});

describe('isqrt and swaps', () => {
  it('isqrt is floor(√n) on edges', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, (1n << 128n) - 1n, (10n ** 19n) ** 2n - 1n, (10n ** 19n) ** 2n, 10n ** 400n + 12345n]) {
      const r = isqrt(n);
      assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n, `isqrt(${n}) = ${r}`);
    }
    assert.throws(() => isqrt(-1n), MathError);
  });

  it('Remove larger than the reserve: jan MathError, may TradeSizeTooLarge; emptying divides by zero', () => {
    throwsCode(() => calculateSwapOutput(11n, 10n, 'remove', 10n, 'jan2022'), MathError);
    throwsCode(() => calculateSwapOutput(11n, 10n, 'remove', 10n, 'may2022'), TradeSizeTooLarge);
    throwsCode(() => calculateSwapOutput(10n, 10n, 'remove', 10n, 'may2022'), MathError);
    assert.deepEqual(calculateSwapOutput(5n, 10n, 'add', 10n, 'jan2022'), { newOutputReserve: 6n, newInputReserve: 15n });
  });

  it('initializeMarket requires x = y', () => {
    throwsCode(() => initializeMarket({ baseAssetReserve: R, quoteAssetReserve: R + 1n, pegMultiplier: 1n, nowTs: 0n, oraclePriceTwapRaw: 1n }), InvalidInitialPeg);
  });
});

describe('repeg guards', () => {
  const v = 'jan2022';
  it('redundant peg', () => {
    throwsCode(() => repeg(s2(v), 150_000n, STALE, v), InvalidRepegRedundant, 'redundant');
  });

  it('valid oracle above terminal: allowed move toward it', () => {
    const { market, cost } = repeg(s2(v), 151_000n, oracle(160, 0.1), v);
    assert.equal(cost, 66_666_667n);
    assert.equal(market.totalFeeMinusDistributions, 1_000_000_000n - 66_666_667n);
    assert.equal(market.curve.pegMultiplier, 151_000n);
  });

  it('direction: terminal must move toward the oracle', () => {
    throwsCode(() => repeg(s2(v), 149_000n, oracle(160, 0.1), v), InvalidRepegDirection, 'direction');
    // oracle below: raising the peg moves the terminal away
    throwsCode(() => repeg(s2(v), 151_000n, oracle(140, 0.1), v), InvalidRepegDirection, 'direction');
  });

  it('terminal may not pass the near edge of the confidence band', () => {
    throwsCode(() => repeg(s2(v), 156_000n, oracle(160, 5), v), InvalidRepegProfitability, 'terminalBand');
    throwsCode(() => repeg(s2(v), 144_000n, oracle(140, 5), v), InvalidRepegProfitability, 'terminalBand');
  });

  it('mark may not pass the far edge of the confidence band', () => {
    // T' = 1510.0, mark' = 1510.40; oracle 1510.2 ± 0.1
    throwsCode(() => repeg(s2(v), 151_000n, oracle(151.02, 0.01), v), InvalidRepegProfitability, 'markBand');
    // the same move with an invalid (stale) or no oracle skips the band checks
    assert.equal(repeg(s2(v), 151_000n, { ...oracle(151.02, 0.01), delaySlots: 1_001n }, v).cost, 66_666_667n);
    assert.equal(repeg(s2(v), 151_000n, null, v).cost, 66_666_667n);
  });

  it('fee-pool tranche: tfmd − cost ≥ floor(total_fee/2), tfmd saturates at 0', () => {
    const m = { ...s2(v), totalFee: 100_000_000n, totalFeeMinusDistributions: 50_000_000n + 66_666_666n };
    throwsCode(() => repeg(m, 151_000n, STALE, v), InvalidRepegProfitability, 'feePoolTranche');
    const ok = { ...m, totalFeeMinusDistributions: 50_000_000n + 66_666_667n };
    assert.equal(repeg(ok, 151_000n, STALE, v).market.totalFeeMinusDistributions, 50_000_000n);
    throwsCode(() => repeg({ ...m, totalFeeMinusDistributions: 1n }, 151_000n, STALE, v), InvalidRepegProfitability, 'feePoolTranche');
  });

  it('a repeg that earns raises tfmd, and total_fee never changes', () => {
    const m = s2(v);
    const { market, cost } = repeg(m, 149_000n, STALE, v);
    assert.ok(cost < 0n);
    assert.equal(market.totalFeeMinusDistributions, m.totalFeeMinusDistributions - cost);
    assert.equal(market.totalFee, m.totalFee);
  });

  it('d = 0 costs nothing', () => {
    assert.equal(adjustPegCost(sMarket().curve, 0n, 200_000n, v), 0n);
  });
});

describe('update_k guards', () => {
  it('budget: cost ≤ tfmd − total_fee_withdrawn (no 50 % tranche for k)', () => {
    for (const v of VERSIONS) {
      const newS = 5_500_000_000_000_000_000n;
      throwsCode(() => updateK(s2(v, 121_197n), newS, v), InvalidUpdateK, 'budget');
      const ok = updateK({ ...s2(v, 121_198n), totalFee: 10_000_000n }, newS, v);
      assert.equal(ok.cost, 121_198n);
      assert.equal(ok.market.totalFeeMinusDistributions, 0n);
      throwsCode(() => updateK({ ...s2(v, 200_000n), totalFeeWithdrawn: 100_000n }, newS, v), InvalidUpdateK, 'budget');
      throwsCode(() => updateK({ ...s2(v, 200_000n), totalFeeWithdrawn: 300_000n }, newS, v), MathError);
    }
  });

  it('2.5 % k-decrease limit: may2022 only', () => {
    const s = R;
    throwsCode(() => updateK(s2('may2022'), (s * 974n) / 1000n, 'may2022'), InvalidUpdateK, 'kDecreaseLimit');
    assert.ok(updateK(s2('may2022'), (s * 975n) / 1000n, 'may2022').cost < 0n);
    const jan = updateK(s2('jan2022'), (s * 900n) / 1000n, 'jan2022');
    assert.ok(jan.cost < 0n, 'lowering k earns');
  });

  it('price tolerance: M/10 (jan) vs M/1e5 (may), on a curve with s² ≠ x·y', () => {
    // s 4 % above √(x·y): the invariant update y' = s²/x' moves the mark ~8 %
    const curve = { baseAssetReserve: R, quoteAssetReserve: R, sqrtK: (R * 104n) / 100n, pegMultiplier: 150_000n };
    const m = createMarket(curve, { totalFeeMinusDistributions: 10n ** 12n });
    throwsCode(() => updateK(m, curve.sqrtK, 'may2022'), InvalidUpdateK, 'priceChange');
    assert.equal(updateK(m, curve.sqrtK, 'jan2022').cost, 0n); // scaled: reserves unchanged
    const janInvariant: ProtocolSemantics = { ...PROTOCOLS.jan2022, version: 'jan2022-invariant', kQuoteReserveUpdate: 'invariant' };
    throwsCode(() => updateK(m, curve.sqrtK, janInvariant), InvalidUpdateK, 'priceChange');
  });

  it('k_err ≤ 100 (may2022): a scaled quote update fails it on row 385', () => {
    const curve = { baseAssetReserve: 201_203_418_686_389_136n, quoteAssetReserve: 184_670_739_522_718_848n, sqrtK: 192_759_913_164_834_950n, pegMultiplier: 523_645n };
    const m = createMarket(curve, { baseAssetAmount: -7_683_979_230_151_328n, totalFeeMinusDistributions: 43_077_833_721n });
    const mayScaled: ProtocolSemantics = { ...PROTOCOLS.may2022, version: 'may2022-scaled', kQuoteReserveUpdate: 'scaled' };
    throwsCode(() => updateK(m, 198_542_710_559_779_998n, mayScaled), InvalidUpdateK, 'kErr');
  });

  it('raising k costs and lowering earns for either sign of d; zero d is free', () => {
    for (const v of VERSIONS) {
      for (const side of ['long', 'short'] as const) {
        const m = openPosition(sMarket(), EMPTY_POSITION, side, 50_000_000_000n, 1n, v).market;
        assert.ok(adjustKCost(m.curve, m.baseAssetAmount, (R * 105n) / 100n, v).cost > 0n);
        assert.ok(adjustKCost(m.curve, m.baseAssetAmount, (R * 98n) / 100n, v).cost < 0n);
      }
      assert.equal(adjustKCost(sMarket().curve, 0n, 2n * R, v).cost, 0n);
    }
  });
});

describe('oracle validity and divergence', () => {
  const m = sMarket();
  it('stale, confidence, non-positive', () => {
    for (const v of VERSIONS) {
      assert.equal(isOracleValid(m, oracle(150, 1, { delaySlots: 1_000n }), v), true);
      assert.equal(isOracleValid(m, oracle(150, 1, { delaySlots: 1_001n }), v), false);
      assert.equal(isOracleValid(m, oracle(150, 37.5), v), true); // price/conf = 4
      assert.equal(isOracleValid(m, oracle(150, 37.6), v), false);
      assert.equal(isOracleValid(m, oracle(0, 0), v), false);
      throwsCode(() => isOracleValid(m, oracle(-1, 0), v), CastingFailure);
    }
  });

  it('volatility ratio uses the oracle account TWAP (jan) or the AMM TWAP (may)', () => {
    const o = oracle(1000, 1, { twapRaw: 150n * USD });
    assert.equal(isOracleValid(m, o, 'jan2022'), false); // 1000/150 = 6 > 5
    assert.equal(isOracleValid(m, { ...o, twapRaw: 900n * USD }, 'jan2022'), true);
    assert.equal(isOracleValid({ ...m, lastOraclePriceTwap: 900n * USD }, o, 'may2022'), true);
    assert.equal(isOracleValid(m, { ...o, twapRaw: 900n * USD }, 'may2022'), false);
    assert.equal(isOracleValid(m, oracle(150, 1, { hasSufficientDataPoints: false }), 'may2022'), false);
    assert.equal(isOracleValid(m, oracle(150, 1, { hasSufficientDataPoints: false }), 'jan2022'), true);
  });

  it('divergence: jan2022 in 1/1024 (limit 102), may2022 in 1e-4 (limit 1000)', () => {
    const mark = 110_030_000_000n; // 11.003 vs oracle 10: +10.03 %
    const o = 10n * USD;
    assert.equal(oracleMarkSpreadPct(mark, o, 'jan2022'), 102n);
    assert.equal(oracleMarkSpreadPct(mark, o, 'may2022'), 1003n);
    assert.equal(isOracleMarkTooDivergent(102n, 'jan2022'), false);
    assert.equal(isOracleMarkTooDivergent(1003n, 'may2022'), true);
    assert.equal(oracleMarkSpreadPct(-mark, o, 'may2022'), -21003n); // truncates toward zero
  });
});

describe('trades', () => {
  for (const v of VERSIONS) {
    it(`reduce, round-to-close and reverse (${v})`, () => {
      const open = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, v);
      const red = openPosition(open.market, open.position, 'short', 4_000_000_000n, 2n, v);
      assert.equal(red.potentiallyRiskIncreasing, false);
      assert.ok(red.position.baseAssetAmount > 0n && red.position.baseAssetAmount < open.position.baseAssetAmount);
      assert.equal(red.market.baseAssetAmount, red.position.baseAssetAmount);
      assert.equal(red.market.baseAssetAmountLong, red.position.baseAssetAmount);
      assert.ok(red.position.quoteAssetAmount < 10_000_000_000n);
      assert.equal(red.market.openInterest, 1n);
      // selling part after pushing the price up realises a gain; the rest gives it back
      const rest = closePosition(red.market, red.position, 3n, v);
      assert.ok(red.pnl > 0n && red.pnl + rest.pnl <= 0n && red.pnl + rest.pnl > -5n, `pnl ${red.pnl} + ${rest.pnl}`);
      assert.equal(rest.market.baseAssetAmount, 0n);
      assert.equal(rest.market.baseAssetAmountLong, 0n);

      const rev = openPosition(open.market, open.position, 'short', 15_000_000_000n, 2n, v);
      assert.ok(rev.position.baseAssetAmount < 0n);
      assert.equal(rev.market.baseAssetAmount, rev.position.baseAssetAmount);
      assert.equal(rev.market.baseAssetAmountLong, 0n);
      assert.equal(rev.market.baseAssetAmountShort, rev.position.baseAssetAmount);
      assert.equal(rev.potentiallyRiskIncreasing, false); // $5k after close < $10k closed
      assert.equal(rev.fee.fee, 15_000_000n);
      assert.equal(rev.market.openInterest, 1n);

      // within the minimum trade size of the position value: rounded to a full close
      const close = openPosition(open.market, open.position, 'short', 10_000_000_000n + 100n, 2n, v);
      assert.equal(close.position.baseAssetAmount, 0n);
      assert.equal(close.quoteAssetAmount, 9_999_999_999n);
      assert.equal(close.market.openInterest, 0n);
    });
  }

  it('minimum trade size and zero orders', () => {
    throwsCode(() => openPosition(sMarket(), EMPTY_POSITION, 'long', 100n, 1n, 'jan2022'), TradeSizeTooSmall, 'minimumTradeSize');
    throwsCode(() => openPosition(sMarket(), EMPTY_POSITION, 'long', 0n, 1n, 'may2022'), TradeSizeTooSmall, 'zeroQuote');
    const noop = openPosition(sMarket(), EMPTY_POSITION, 'long', 0n, 1n, 'jan2022');
    assert.deepEqual(noop.market.curve, sMarket().curve);
    assert.equal(noop.fee.fee, 0n);
  });

  it('short close: jan pnl −1 vs may +1 on the payment', () => {
    const jan = openPosition(sMarket(), EMPTY_POSITION, 'short', 10_000_000_000n, 1n, 'jan2022');
    const may = openPosition(sMarket(), EMPTY_POSITION, 'short', 10_000_000_000n, 1n, 'may2022');
    const cj = closePosition(jan.market, jan.position, 2n, 'jan2022');
    const cm = closePosition(may.market, may.position, 2n, 'may2022');
    assert.equal(cm.quoteAssetAmount, cj.quoteAssetAmount + 1n);
    assert.equal(cj.pnl, 10_000_000_000n - cj.quoteAssetAmount - 1n);
    assert.equal(cm.pnl, 10_000_000_000n - cm.quoteAssetAmount);
  });

  it('may2022 spread: less base for the taker, surplus to the fee pool, stored reserves as without spread', () => {
    const plain = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, 'may2022');
    const spread = openPosition(sMarket({ baseSpread: 1_000n }), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, 'may2022');
    assert.deepEqual(spread.market.curve, plain.market.curve);
    assert.ok(spread.position.baseAssetAmount < plain.position.baseAssetAmount);
    assert.ok(spread.quoteAssetAmountSurplus > 0n);
    assert.equal(spread.market.totalFee, 10_000_000n + spread.quoteAssetAmountSurplus);
    // about half the 10 bp spread on $10k
    assert.ok(spread.quoteAssetAmountSurplus > 4_000_000n && spread.quoteAssetAmountSurplus < 6_000_000n, `${spread.quoteAssetAmountSurplus}`);
    const janIgnores = openPosition(sMarket({ baseSpread: 1_000n }), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, 'jan2022');
    assert.equal(janIgnores.quoteAssetAmountSurplus, 0n);
  });

  it('divergence guard blocks a risk-increasing trade past 10 %', () => {
    for (const v of VERSIONS) {
      throwsCode(
        () => openPosition(sMarket(), EMPTY_POSITION, 'long', 30_000_000_000_000n, 1n, v, { oracle: oracle(150, 0.1) }),
        OracleMarkSpreadLimit,
      );
      // without an oracle the guard is skipped
      assert.ok(openPosition(sMarket(), EMPTY_POSITION, 'long', 30_000_000_000_000n, 1n, v).markPriceAfter > 165n * USD);
    }
  });

  it('trades update the mark TWAP with the pre-trade mark and the oracle TWAP when valid', () => {
    const m = sMarket({ lastMarkPriceTwap: 140n * USD, lastOraclePriceTwap: 140n * USD });
    const r = openPosition(m, EMPTY_POSITION, 'long', 10_000_000_000n, 600n, 'jan2022', { oracle: oracle(160, 0.1) });
    assert.equal(r.market.lastMarkPriceTwap, (150n * USD * 600n + 140n * USD * 3000n) / 3600n);
    assert.equal(r.market.lastOraclePriceTwap, (160n * USD * 600n + 140n * USD * 3000n) / 3600n);
    assert.equal(r.market.lastMarkPriceTwapTs, 600n);
  });

  it('functions are pure: deep-frozen inputs are not written', () => {
    for (const v of VERSIONS) {
      const m = deepFreeze(s2(v));
      const pos = deepFreeze({ ...EMPTY_POSITION });
      openPosition(m, pos, 'short', 3_000_000_000n, 5n, v, { oracle: deepFreeze(oracle(150, 0.1)) });
      repeg(m, 151_000n, deepFreeze(oracle(160, 0.1)), v);
      updateK(m, (R * 101n) / 100n, v);
      updateFundingRate(m, deepFreeze(oracle(150, 0.1)), 3_600n, v);
      terminalPrice(m.curve, m.baseAssetAmount, v);
    }
  });
});

describe('funding', () => {
  const longShort = (tfmd: bigint, totalFee = 0n): Market =>
    createMarket(sMarket().curve, {
      baseAssetAmountLong: 10n ** 15n, // 100 base long
      baseAssetAmountShort: -4n * 10n ** 14n, // 40 base short
      baseAssetAmount: 6n * 10n ** 14n,
      totalFee,
      totalFeeMinusDistributions: tfmd,
    });

  it('payments: longs pay when Δ > 0, truncation toward zero', () => {
    assert.equal(calculateFundingPayment(10n ** 10n, 10n ** 13n), -1n * 10n ** 9n);
    assert.equal(calculateFundingPayment(10n ** 10n, -(10n ** 13n)), 10n ** 9n);
    assert.equal(calculateFundingPayment(-(10n ** 10n), 10n ** 13n), 10n ** 9n);
    assert.equal(calculateFundingPayment(0n, 10n ** 13n), 0n);
  });

  it('the protocol receives when the net position pays', () => {
    const rate = 10n ** 12n; // longs pay
    for (const v of VERSIONS) {
      const r = calculateFundingRateLongShort(longShort(0n), rate, v);
      assert.equal(r.fundingRateLong, rate);
      assert.equal(r.fundingRateShort, rate);
      // d = 60 base pays 60 × 1e12/1e14 = 0.6e13 AMM = 6e5 quote
      assert.equal(r.protocolFundingPnl, 600_000n);
      assert.equal(r.market.totalFeeMinusDistributions, 600_000n);
    }
  });

  it('the protocol pays in full within its limit, capped beyond: full (jan) vs 2/3 (may)', () => {
    const rate = -(10n ** 12n); // shorts pay longs; net long → protocol pays 600,000
    const rich = calculateFundingRateLongShort(longShort(10_000_000n, 0n), rate, 'jan2022');
    assert.equal(rich.protocolFundingPnl, -600_000n);
    assert.equal(rich.fundingRateLong, rate);
    assert.equal(rich.market.totalFeeMinusDistributions, 9_400_000n);
    // available above the floor: 1,100,000 − 1,000,000 = 100,000 (jan) / 66,666 (may)
    const jan = calculateFundingRateLongShort(longShort(1_100_000n, 2_000_000n), rate, 'jan2022');
    assert.equal(jan.protocolFundingPnl, -100_000n);
    assert.equal(jan.market.totalFeeMinusDistributions, 1_000_000n);
    assert.equal(jan.fundingRateShort, rate);
    // longs receive (100,000 + 400,000 from shorts − 1)·1e21/1e15 = −499,999e6 per base… as a rate:
    assert.equal(jan.fundingRateLong, ((-500_000n + 1n) * 10n ** 21n) / 10n ** 15n);
    const may = calculateFundingRateLongShort(longShort(1_100_000n, 2_000_000n), rate, 'may2022');
    assert.equal(may.protocolFundingPnl, -66_666n);
    assert.equal(may.fundingRateLong, ((-466_666n + 1n) * 10n ** 21n) / 10n ** 15n);
  });

  it('jan2022 edge case: below the floor, funding fails even though the capped pnl is 0; may2022 passes', () => {
    const rate = -(10n ** 12n);
    throwsCode(() => calculateFundingRateLongShort(longShort(900_000n, 2_000_000n), rate, 'jan2022'), InvalidFundingProfitability, 'feePoolFloor');
    const may = calculateFundingRateLongShort(longShort(900_000n, 2_000_000n), rate, 'may2022');
    assert.equal(may.protocolFundingPnl, 0n);
    assert.equal(may.market.totalFeeMinusDistributions, 900_000n);
  });

  it('hour-aligned update wait', () => {
    for (const v of VERSIONS) {
      assert.equal(nextFundingUpdateWait(7_200n, 3_600n, v), 3_600n);
      assert.equal(nextFundingUpdateWait(7_300n, 3_600n, v), 3_500n);
      assert.equal(nextFundingUpdateWait(7_200n + 2_000n, 3_600n, v), 5_200n);
    }
  });

  it('updateFundingRate: updates after the wait, not when early, paused or blocked; settles users', () => {
    const base = openPosition(sMarket(), EMPTY_POSITION, 'long', 10_000_000_000n, 1n, 'jan2022');
    const m = { ...base.market, totalFeeMinusDistributions: 10n ** 9n, totalFee: 10n ** 9n };
    const o = oracle(150, 0.1);
    assert.equal(updateFundingRate(m, o, 3_599n, 'jan2022').updated, false);
    assert.equal(updateFundingRate(m, o, 3_600n, 'jan2022', { fundingPaused: true }).updated, false);
    assert.equal(updateFundingRate(m, oracle(100, 0.1), 3_600n, 'jan2022').updated, false); // mark 50 % above
    const u = updateFundingRate(m, o, 3_600n, 'jan2022');
    assert.equal(u.updated, true);
    assert.ok(u.fundingRate > 0n, 'mark TWAP above oracle: longs pay');
    assert.equal(u.market.lastFundingRateTs, 3_600n);
    assert.equal(u.market.cumulativeFundingRateLong, u.fundingRate);
    assert.equal(u.market.totalFeeMinusDistributions, m.totalFeeMinusDistributions + u.protocolFundingPnl);
    const s = settleFundingPayment(u.market, base.position);
    assert.ok(s.paymentAmm < 0n);
    assert.equal(s.paymentQuote, s.paymentAmm / 10_000_000n);
    assert.equal(s.position.lastCumulativeFundingRate, u.market.cumulativeFundingRateLong);
  });
});

describe('TWAP refinements (may2022)', () => {
  it('oracle update capped at price/3 from the TWAP and ±0.1 % around last_oracle_price', () => {
    const m = sMarket({ lastOraclePriceTwap: 100n * USD, lastOraclePrice: 100n * USD, lastOraclePriceTwapTs: 0n, lastMarkPriceTwapTs: 0n });
    const jan = updateOracleTwap(m, 3_600n, 200n * USD, 'jan2022');
    assert.equal(jan.lastOraclePriceTwap, (200n * USD * 3_600n + 100n * USD) / 3_601n);
    const may = updateOracleTwap(m, 3_600n, 200n * USD, 'may2022');
    const capped = 100n * USD + (200n * USD) / 3n;
    assert.equal(may.lastOraclePrice, capped);
    const nudged = 100n * USD + (100n * USD) / 1000n; // 0.1 % above last_oracle_price
    assert.equal(may.lastOraclePriceTwap, (nudged * 3_600n + 100n * USD) / 3_601n);
  });

  it('normalise_oracle_price moves toward mark by ≤ conf and stops 2.5 bp short of it', () => {
    const mark = 100n * USD;
    assert.equal(normaliseOraclePrice(oracle(90, 1), mark), 91n * USD);
    assert.equal(normaliseOraclePrice(oracle(99.5, 1), mark), mark - mark / 4000n);
    assert.equal(normaliseOraclePrice(oracle(99.99, 1), mark), usdToMarkRaw(99.99)); // already within 2.5 bp
    assert.equal(normaliseOraclePrice(oracle(110, 1), mark), 109n * USD);
  });
});

describe('fee pool admin', () => {
  it('withdraw_fees ≤ floor(total_fee/2) − withdrawn; insurance transfer per version', () => {
    const m = sMarket({ totalFee: 1_001n, totalFeeMinusDistributions: 1_001n });
    assert.equal(feePoolFloor(1_001n), 500n);
    assert.equal(withdrawFees(m, 500n).totalFeeWithdrawn, 500n);
    throwsCode(() => withdrawFees(m, 501n), AdminWithdrawTooLarge);
    assert.equal(transferInsuranceToMarket(m, 10n, 'jan2022').totalFee, 1_011n);
    assert.equal(transferInsuranceToMarket(m, 10n, 'may2022').totalFee, 1_001n);
    assert.equal(transferInsuranceToMarket(m, 10n, 'may2022').totalFeeMinusDistributions, 1_011n);
  });
});

describe('units', () => {
  it('raw ↔ natural, exact for large raw values', () => {
    assert.equal(pegRawToUsd(56_845_000n), 56_845);
    assert.equal(usdToPegRaw(150.5), 150_500n);
    assert.equal(reserveRawToBase(5_000_000_000_000_000_123n), 500_000.0000000000123);
    assert.equal(baseToReserveRaw(1.5), 15_000_000_000_000n);
    assert.equal(quoteRawToUsd(45_095_905n), 45.095905);
    assert.equal(usdToQuoteRaw(45.095905), 45_095_905n);
    assert.equal(markRawToUsd(418_027_484_855_606n), 41_802.7484855606);
    assert.equal(markRawToUsd(418_027_484_855_606), 41_802.7484855606);
    assert.throws(() => usdToMarkRaw(Number.NaN), DammGymError);
    assert.equal(markPrice(sMarket().curve), usdToMarkRaw(150));
  });
});
