/**
 * Calibration from Drift v1 history: the fee-accounting volume series, the trader statistics of the
 * trade snapshot, and the calibrated drift-vamm-v0 presets (whose committed table must equal what
 * the data gives today).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import type { CurveRecord } from '../data/drift-v1/curveHistory.js';
import type { FundingRecord } from '../data/drift-v1/fundingHistory.js';
import type { TradeRecord } from '../data/drift-v1/tradeSnapshot.js';
import { buildVolumeSeries, DRIFT_V1_FEE_RATE, type VolumeInterval } from '../data/drift-v1/volumeSeries.js';
import { calibrateTrades, summarizeVolume } from '../data/drift-v1/calibration.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { make } from '../env/core/registration/registry.js';
import { checkEnv } from '../env/core/checks/check-env.js';
import '../env/tasks/builtin.js';
import { DriftVammEnv } from '../env/tasks/drift-vamm/driftVammEnv.js';
import { resolveOptions } from '../env/tasks/drift-vamm/options.js';
import { MARKET_PRESETS } from '../env/tasks/drift-vamm/presets.js';
import { CALIBRATED_MARKETS, CALIBRATED_SYMBOLS, calibratedTraderFlow, UncalibratedMarketError } from '../env/tasks/drift-vamm/calibration.js';
import { buildCalibration, CALIBRATION_FILE, loadVolumeData, renderCalibrationBlock, snapshotVolumeCheck } from '../training/commands/fitVolume.js';
import { skipWithoutRealData } from './real-data.js';

const T0 = Date.UTC(2022, 0, 1) / 1000;
const R = 10n ** 13n;

function curveRecord(id: number, market: number, hoursFromT0: number, o: Partial<CurveRecord> = {}): CurveRecord {
  return {
    ts: T0 + hoursFromT0 * 3600, recordId: BigInt(id), marketIndex: market,
    pegMultiplierBefore: 100_000n, baseAssetReserveBefore: 1000n * R, quoteAssetReserveBefore: 1000n * R, sqrtKBefore: 1000n * R,
    pegMultiplierAfter: 100_000n, baseAssetReserveAfter: 1000n * R, quoteAssetReserveAfter: 1000n * R, sqrtKAfter: 1000n * R,
    baseAssetAmountLong: 30n * R, baseAssetAmountShort: 10n * R, baseAssetAmount: 20n * R, openInterest: 5n,
    totalFee: 0n, totalFeeMinusDistributions: 0n, adjustmentCost: 0n, scrapedAt: null, ...o,
  };
}

function fundingRecord(id: number, market: number, hoursFromT0: number, oracleUsd: number): FundingRecord {
  const twap = BigInt(Math.round(oracleUsd * 1e10));
  return {
    ts: T0 + hoursFromT0 * 3600, recordId: BigInt(id), marketIndex: market, fundingRate: 0n,
    cumulativeFundingRateLong: 0n, cumulativeFundingRateShort: 0n, oraclePriceTwap: twap, markPriceTwap: twap, scrapedAt: null,
  };
}

/** A chain of records: each one's after-curve is the next one's before-curve (k doubles at record 2). */
function chain(): CurveRecord[] {
  const s2 = 2000n * R;
  return [
    curveRecord(1, 0, 0, { totalFee: 1_000_000n }),
    // 2 h later, $600 of fees → $600,000 traded; the record doubles sqrt_k (and both reserves)
    curveRecord(2, 0, 2, { totalFee: 601_000_000n, sqrtKAfter: s2, baseAssetReserveAfter: 2000n * R, quoteAssetReserveAfter: 2000n * R }),
    // 30 min at the doubled k: $50 of fees → $50,000; then a repeg to 101 USD
    curveRecord(3, 0, 2.5, {
      totalFee: 651_000_000n, sqrtKBefore: s2, baseAssetReserveBefore: 2000n * R, quoteAssetReserveBefore: 2000n * R,
      sqrtKAfter: s2, baseAssetReserveAfter: 2000n * R, quoteAssetReserveAfter: 2000n * R, pegMultiplierAfter: 101_000n,
    }),
  ];
}

describe('volume series from the fee accounting', () => {
  it('turns Δtotal_fee into notional per hour and takes the state at the interval start', () => {
    const records = chain().map((r, i) => (i === 2 ? { ...r, pegMultiplierBefore: 100_000n } : r));
    const series = buildVolumeSeries(records, [fundingRecord(1, 0, -1, 99.5), fundingRecord(2, 0, 1.5, 100.4), fundingRecord(3, 0, 2.2, 500)]);
    assert.equal(series.feeRate, DRIFT_V1_FEE_RATE);
    const [a, b] = series.intervals;
    assert.equal(series.intervals.length, 2);
    assert.equal(a.volumeUsd, 600_000);
    assert.equal(a.hours, 2);
    assert.equal(a.volumeUsdPerHour, 300_000);
    assert.equal(a.feeRaw, 600_000_000n);
    assert.equal(a.sqrtKBase, 1000);
    assert.equal(a.markUsd, 100);
    assert.equal(a.oracleUsd, 99.5, 'the last oracle TWAP at or before the start, never a later one');
    assert.equal(a.openInterestBase, 40);
    assert.equal(b.sqrtKBase, 2000, 'the interval runs at the k its opening record set');
    assert.equal(b.volumeUsdPerHour, 100_000);
    assert.equal(b.oracleUsd, 100.4);
    assert.equal(b.flag, null);
    assert.equal(b.fromRecordId, 2n);
    assert.equal(b.toRecordId, 3n);
  });

  it('flags zero-length intervals, missing records, fee decreases and admin fee-pool operations', () => {
    const base = chain();
    const zero = buildVolumeSeries([base[0], { ...base[1], ts: base[0].ts }], []);
    assert.equal(zero.intervals[0].flag, 'zero-length');
    assert.ok(Number.isNaN(zero.intervals[0].volumeUsdPerHour));
    const gap = buildVolumeSeries([base[0], base[2]], []);
    assert.equal(gap.intervals[0].flag, 'curve-gap');
    const down = buildVolumeSeries([base[0], { ...base[1], totalFee: 0n }], []);
    assert.equal(down.intervals[0].flag, 'fee-decrease');
    // a record whose |adjustment_cost| exceeds all fees ever collected taints both intervals it touches
    const topUp = buildVolumeSeries([base[0], { ...base[1], adjustmentCost: -700_000_000n }, base[2], curveRecord(4, 0, 9, { ...base[2], recordId: 4n, ts: T0 + 9 * 3600, sqrtKBefore: 2000n * R, baseAssetReserveBefore: 2000n * R, quoteAssetReserveBefore: 2000n * R, pegMultiplierBefore: 101_000n, totalFee: 700_000_000n })], []);
    assert.deepEqual(topUp.intervals.map((i) => i.flag), ['fee-anomaly', 'fee-anomaly', null]);
  });

  it('keeps markets apart and orders them by index', () => {
    const other = chain().map((r) => ({ ...r, marketIndex: 4, recordId: r.recordId + 10n }));
    const series = buildVolumeSeries([...other, ...chain()], []);
    assert.deepEqual(series.intervals.map((i) => i.symbol), ['SOL', 'SOL', 'AVAX', 'AVAX']);
    assert.throws(() => buildVolumeSeries(chain(), [], { feeRate: 0 }), InvalidArgumentError);
  });

  it('summarizeVolume: totals and Little\'s law for the holding time', () => {
    const [s] = summarizeVolume(buildVolumeSeries(chain(), []).intervals);
    assert.equal(s.hours, 2.5);
    assert.equal(s.volumeUsd, 650_000);
    assert.equal(s.volumeUsdPerHour, 260_000);
    // OI 40 base units at $100 in both intervals → $4,000; opening rate 130,000 $/h
    assert.equal(s.openInterestUsd, 4_000);
    assert.ok(Math.abs(s.meanHoldingHours - 4_000 / 130_000) < 1e-15);
    assert.equal(s.sqrtKMin, 1000);
    assert.equal(s.sqrtKMax, 2000);
  });
});

function trade(id: number, o: Partial<TradeRecord> = {}): TradeRecord {
  return {
    ts: T0 + id, recordId: BigInt(id), userAuthority: `w${id % 4}`, user: `u${id % 4}`, direction: 'long',
    baseAssetAmount: R, quoteAssetAmount: 1_000_000_000n, markPriceBefore: 1_000_000_000_000n, markPriceAfter: 1_000_000_000_000n,
    fee: 1_000_000n, referrerReward: 0n, refereeDiscount: 0n, tokenDiscount: 0n, liquidation: false, marketIndex: 0,
    oraclePrice: 1_010_000_000_000n, quoteAssetAmountSurplus: null, ...o,
  };
}

describe('trader calibration from a trade snapshot', () => {
  it('arrival rate, lognormal notional, long share and fee rate', () => {
    // 120 trades over 119 s; notional e^5 and e^7 alternately: median e^6, σ of ln = √(120/119)
    const trades = Array.from({ length: 120 }, (_, i) => trade(i, {
      quoteAssetAmount: BigInt(Math.round(Math.exp(i % 2 === 0 ? 5 : 7) * 1e6)), direction: i < 30 ? 'long' : 'short',
    }));
    const c = calibrateTrades(trades);
    const [m] = c.markets;
    assert.equal(c.toTs - c.fromTs, 119);
    assert.equal(m.trades, 120);
    assert.ok(Math.abs(m.arrivalsPerMinute - 120 / (119 / 60)) < 1e-12);
    assert.ok(m.arrivalsPerMinuteCi[0] < m.arrivalsPerMinute && m.arrivalsPerMinute < m.arrivalsPerMinuteCi[1]);
    assert.ok(Math.abs(m.notional.medianUsd - Math.exp(6)) < 1e-3);
    assert.ok(Math.abs(m.notional.sigma - Math.sqrt(120 / 119)) < 1e-6);
    assert.equal(m.longShare, 0.25);
    assert.equal(m.symbol, 'SOL');
    assert.equal(c.pooled.trades, 120);
  });

  it('informed share λi = 2·P(consistent) − 1 with a wallet-clustered interval, clipped to [0, 1]', () => {
    // oracle above mark: longs agree with the gap. 8 wallets of 10 trades: 5 always agree, 3 half the
    // time, so P = 65/80 and λi = 0.625
    const trades = Array.from({ length: 80 }, (_, i) => trade(i, {
      userAuthority: `w${i % 8}`, direction: i % 8 < 5 || Math.floor(i / 8) % 2 === 0 ? 'long' : 'short',
    }));
    const { informed } = calibrateTrades(trades).markets[0];
    assert.equal(informed.decided, 80);
    assert.equal(informed.consistent, 65);
    assert.equal(informed.share, 0.625);
    assert.equal(informed.wallets, 8);
    // sandwich variance G/(G−1)·Σ_g(c_g − P·n_g)²/n², with c_g − P·n_g = 1.875 (×5) and −3.125 (×3)
    const se = Math.sqrt((8 / 7) * (5 * 1.875 ** 2 + 3 * 3.125 ** 2)) / 80;
    assert.ok(Math.abs(informed.ci[0] - (2 * (0.8125 - 1.959963984540054 * se) - 1)) < 1e-12);
    assert.ok(Math.abs(informed.ci[1] - (2 * (0.8125 + 1.959963984540054 * se) - 1)) < 1e-12);
    // two wallets: a wide interval, kept inside [0, 1]
    const lone = calibrateTrades(Array.from({ length: 40 }, (_, i) => trade(i, { userAuthority: i % 2 ? 'a' : 'b', direction: i % 4 === 3 ? 'short' : 'long' }))).markets[0].informed;
    assert.ok(lone.ci[0] >= 0 && lone.ci[1] <= 1 && lone.ci[0] <= lone.share && lone.share <= lone.ci[1]);
    // contrarian flow: P < 1/2 gives λi = 0, not a negative share
    const contrarian = calibrateTrades(Array.from({ length: 10 }, (_, i) => trade(i, { direction: i < 3 ? 'long' : 'short' }))).markets[0].informed;
    assert.equal(contrarian.share, 0);
    // trades at mark = oracle say nothing about information
    const flat = calibrateTrades([trade(1), trade(2, { oraclePrice: 1_000_000_000_000n })]).markets[0].informed;
    assert.equal(flat.decided, 1);
  });

  it('needs a window: at least two trades at different times', () => {
    assert.throws(() => calibrateTrades([trade(1)]), InvalidArgumentError);
    assert.throws(() => calibrateTrades([trade(1), trade(2, { ts: T0 + 1 })]), /same second/);
  });
});

describe('calibrated drift-vamm-v0 presets', () => {
  it('every preset market has a committed calibration', () => {
    assert.deepEqual([...CALIBRATED_SYMBOLS].sort(), Object.keys(MARKET_PRESETS).sort());
  });

  it('converts the hourly calibration to steps: arrivals scale with stepSec, holding steps inversely', () => {
    const c = CALIBRATED_MARKETS.SOL;
    const a = calibratedTraderFlow('SOL', 60);
    const b = calibratedTraderFlow('sol', 600);
    const meanNotional = c.uninformedMedianUsd * Math.exp(c.uninformedSigma ** 2 / 2);
    const vm = a.volumeModel!;
    assert.equal(vm.kind, 'elastic');
    if (vm.kind !== 'elastic' || b.volumeModel?.kind !== 'elastic') return;
    assert.ok(Math.abs(vm.baseArrivalsPerStep - (c.volumeUsdPerHour / 2 / meanNotional / 60) * (1 - c.informedShare)) < 1e-12);
    assert.ok(Math.abs(b.volumeModel.baseArrivalsPerStep / vm.baseArrivalsPerStep - 10) < 1e-12);
    assert.equal(a.meanHoldingSteps, c.meanHoldingHours * 60);
    assert.equal(b.meanHoldingSteps, c.meanHoldingHours * 6);
    assert.equal(vm.elasticity, c.elasticity);
    assert.equal(vm.maxMultiple, c.maxMultiple);
    assert.equal(a.informedShare, c.informedShare);
  });

  it('make(..., { calibrated: true }) uses the table; explicit traders fields still override', () => {
    const env = new DriftVammEnv({ market: 'BTC', calibrated: true, stepSec: 120 });
    assert.deepEqual(env.options.traders, calibratedTraderFlow('BTC', 120));
    assert.equal(env.options.calibrated, true);
    const o = resolveOptions({ market: 'BTC', calibrated: true, traders: { informedShare: 0.5 } });
    assert.equal(o.traders.informedShare, 0.5);
    assert.equal(o.traders.uninformedMedianUsd, CALIBRATED_MARKETS.BTC.uninformedMedianUsd);
    assert.deepEqual(resolveOptions({ market: 'BTC' }).traders, {});
  });

  it('calibrated with an explicit curve, or a non-boolean, is a typed error naming what is allowed', () => {
    const { symbol: _s, marketIndex: _m, recordId: _r, recordTs: _t, ...curve } = MARKET_PRESETS.SOL;
    assert.throws(() => resolveOptions({ market: curve, calibrated: true }), (e: Error) => e instanceof UncalibratedMarketError
      && /market "an explicit curve" has no calibration; calibrated markets: SOL, BTC, ETH, LUNA, AVAX, BNB, MATIC, ATOM/.test(e.message));
    assert.throws(() => resolveOptions({ calibrated: 'yes' as unknown as boolean }), /option calibrated: got "yes"; allowed: true \| false/);
    assert.throws(() => calibratedTraderFlow('DOGE', 60), /market "DOGE" has no calibration/);
  });

  it('checkEnv passes without warnings on every calibrated preset, and episodes trade', () => {
    for (const market of CALIBRATED_SYMBOLS) {
      const env = make('drift-vamm-v0', { market, calibrated: true, horizon: 120 });
      assert.deepEqual(checkEnv(env.unwrapped), [], market);
      env.reset({ seed: 1 });
      let volume = 0;
      for (let t = 0; t < 120; t++) volume += Number(env.step(0)[4].volumeUsd);
      assert.ok(volume > 0, `${market} traded nothing in 2 hours`);
    }
  });
});

const noData = skipWithoutRealData(DRIFT_V1_FILES.tradeSnapshot);

describe('calibration on the real Drift v1 history', { skip: noData }, () => {
  it('the committed table equals what the data gives today (rerun `damm-gym fit volume --write-calibration` when it does not)', async () => {
    const data = await loadVolumeData();
    const fresh = buildCalibration(data.series, data.trades);
    assert.deepEqual(Object.fromEntries(fresh.map((c) => [c.symbol, c])), CALIBRATED_MARKETS);
    assert.ok(readFileSync(CALIBRATION_FILE, 'utf8').includes(renderCalibrationBlock(fresh)), 'the file holds the rendered block');
  });

  it('the volume series: 339 intervals, the LUNA top-up flagged; trades pay 10 bps; the snapshot agrees with the fee accounting', async () => {
    const data = await loadVolumeData();
    const { intervals } = data.series;
    assert.equal(intervals.length, 347 - 8);
    const flagged = intervals.filter((i) => i.flag !== null);
    assert.deepEqual(flagged.map((i: VolumeInterval) => `${i.symbol} ${i.fromRecordId}→${i.toRecordId} ${i.flag}`), [
      'LUNA 95→96 fee-anomaly', 'LUNA 96→97 fee-anomaly', 'LUNA 97→98 fee-anomaly', 'LUNA 98→99 fee-anomaly', 'LUNA 99→100 fee-anomaly', 'LUNA 100→105 fee-anomaly',
    ]);
    assert.equal(data.trades.markets.length, 6);
    for (const m of data.trades.markets) assert.ok(Math.abs(m.feeRate - DRIFT_V1_FEE_RATE) < 1e-5, `${m.symbol} fee rate ${m.feeRate}`);
    const check = snapshotVolumeCheck(data.curve, data.marketsState, data.trades, data.series.feeRate);
    const luna = check.find((c) => c.symbol === 'LUNA')!;
    assert.ok(Math.abs(luna.snapshotUsdPerHour / luna.feeAccountingUsdPerHour - 1) < 0.05, JSON.stringify(luna));
    for (const c of check) {
      const ratio = c.snapshotUsdPerHour / c.feeAccountingUsdPerHour;
      assert.ok(ratio > 0.5 && ratio < 2, `${c.symbol}: snapshot ${c.snapshotUsdPerHour} vs fee accounting ${c.feeAccountingUsdPerHour}`);
    }
  });
});
