/**
 * Success labels and event features (source §3.1): window-end reading, thresholds, unlabelled
 * reasons, hand-computed features, and the no-look-ahead guarantee (perturbing everything after an
 * event leaves its features unchanged), on generated histories and on the real one when present.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CurveRecord } from '../data/drift-v1/curveHistory.js';
import type { FundingRecord } from '../data/drift-v1/fundingHistory.js';
import { loadCurveHistory } from '../data/drift-v1/curveHistory.js';
import { loadFundingHistory } from '../data/drift-v1/fundingHistory.js';
import { buildSuccessDataset, EVENT_FEATURE_NAMES, eventFeatures } from '../data/drift-v1/eventFeatures.js';
import { labelCurveEvents, SUCCESS_LABEL_DEFAULTS } from '../data/drift-v1/successLabels.js';
import { curveEventKind } from '../data/drift-v1/replaySeries.js';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { Rng } from '../env/core/rng.js';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.js';

const H = 3600;
const T0 = Date.UTC(2021, 11, 10) / 1000;
const BASE = 10_000_000_000_000n; // 1e13: one base unit in reserve precision
const QUOTE = 1_000_000n; // 1e6: one USDC

function curve(id: number, tsHours: number, o: Partial<CurveRecord> = {}): CurveRecord {
  const sqrtK = 1000n * BASE;
  return {
    ts: T0 + tsHours * H, recordId: BigInt(id), marketIndex: 0,
    pegMultiplierBefore: 100_000n, baseAssetReserveBefore: sqrtK, quoteAssetReserveBefore: sqrtK, sqrtKBefore: sqrtK,
    pegMultiplierAfter: 100_000n, baseAssetReserveAfter: sqrtK, quoteAssetReserveAfter: sqrtK, sqrtKAfter: (sqrtK * 3n) / 2n,
    baseAssetAmountLong: 60n * BASE, baseAssetAmountShort: 40n * BASE, baseAssetAmount: 20n * BASE, openInterest: 10n,
    totalFee: 1000n * QUOTE, totalFeeMinusDistributions: 600n * QUOTE, adjustmentCost: 10n * QUOTE, scrapedAt: null,
    ...o,
  };
}

function fundingAt(id: number, tsHours: number, oracleUsd: number, markUsd: number, marketIndex = 0): FundingRecord {
  const oracle = BigInt(Math.round(oracleUsd * 1e6)) * 10_000n;
  const mark = BigInt(Math.round(markUsd * 1e6)) * 10_000n;
  return {
    ts: T0 + tsHours * H, recordId: BigInt(id), marketIndex, fundingRate: ((mark - oracle) * 10_000n) / 24n,
    cumulativeFundingRateLong: 0n, cumulativeFundingRateShort: 0n, oraclePriceTwap: oracle, markPriceTwap: mark, scrapedAt: null,
  };
}

describe('event kinds', () => {
  it('a peg change is a repeg, a sqrt_k change a k event, neither is none', () => {
    assert.equal(curveEventKind(curve(1, 0, { pegMultiplierAfter: 100_100n, sqrtKAfter: 1000n * BASE })), 'repeg');
    assert.equal(curveEventKind(curve(1, 0)), 'k');
    assert.equal(curveEventKind(curve(1, 0, { sqrtKAfter: 1000n * BASE })), 'none');
  });
});

describe('labels', () => {
  // market 0: events at 0 h, 1 h, 30 h, 200 h; market 1 has a record at 25 h that must not serve market 0
  const records = [
    curve(1, 0, { totalFee: 1000n * QUOTE, adjustmentCost: 10n * QUOTE }),
    curve(2, 1, { totalFee: 1001n * QUOTE, adjustmentCost: 500n * QUOTE, baseAssetAmountLong: 70n * BASE }),
    curve(3, 25, { marketIndex: 1, totalFee: 2000n * QUOTE }),
    curve(4, 30, { totalFee: 1100n * QUOTE, baseAssetAmountLong: 65n * BASE, openInterest: 9n }),
    curve(5, 200, { totalFee: 1300n * QUOTE, sqrtKAfter: 1000n * BASE }),
  ];

  it('reads the window end at the first later record of the same market at or after t + window', () => {
    const set = labelCurveEvents(records, { windowHours: 24 });
    const first = set.events.find((e) => e.record.recordId === 1n)!;
    assert.equal(first.outcome!.endRecordId, 4n);
    assert.equal(first.outcome!.elapsedHours, 30);
    assert.equal(first.outcome!.feesUsd, 100);
    assert.equal(first.outcome!.costToFees, 0.1);
    // base OI 100 → 105 (+5 %): success on both counts
    assert.ok(Math.abs(first.outcome!.openInterestChange - 0.05) < 1e-12);
    assert.equal(first.success, true);
    // event 2: OI 110 → 105 falls, and 500 USDC cost against 99 USDC of fees: failure
    const second = set.events.find((e) => e.record.recordId === 2n)!;
    assert.equal(second.outcome!.endRecordId, 4n);
    assert.equal(second.outcome!.openInterestOk, false);
    assert.equal(second.outcome!.costOk, false);
    assert.equal(second.success, false);
  });

  it('counts the users measure and thresholds as configured', () => {
    const users = labelCurveEvents(records, { windowHours: 24, openInterest: 'users' });
    const first = users.events.find((e) => e.record.recordId === 1n)!;
    assert.ok(Math.abs(first.outcome!.openInterestChange - -0.1) < 1e-12);
    assert.equal(first.success, false);
    assert.equal(labelCurveEvents(records, { windowHours: 24, openInterest: 'users', minOpenInterestChange: -0.2 }).events[0].success, true);
    assert.equal(labelCurveEvents(records, { windowHours: 24, maxCostToFees: 0.05 }).events[0].success, false);
  });

  it('marks events without a later record, stale window ends, outliers and no-change records unlabelled', () => {
    const set = labelCurveEvents(records, { windowHours: 24, maxElapsedFactor: 1.2 });
    const reason = (id: bigint) => set.events.find((e) => e.record.recordId === id)!.reason;
    assert.equal(reason(1n), 'stale'); // 30 h > 1.2 × 24 h
    assert.equal(reason(2n), 'stale'); // 29 h > 28.8 h
    assert.equal(reason(4n), 'stale'); // its next record comes 170 h later
    assert.equal(reason(3n), 'no-later-record'); // market 1's only record
    assert.equal(reason(5n), 'no-change');
    assert.deepEqual(set.unlabelled, { 'no-change': 1, outlier: 0, 'no-later-record': 1, stale: 3 });
    assert.ok(set.events.filter((e) => e.reason !== null).every((e) => e.success === null));
  });

  it('reports the class balance per kind', () => {
    const set = labelCurveEvents(records, { windowHours: 24 });
    assert.deepEqual(set.balance, { positives: 1, negatives: 1 });
    assert.deepEqual(set.byKind, { repeg: { positives: 0, negatives: 0 }, k: { positives: 1, negatives: 1 } });
    assert.equal(set.unlabelled['no-change'], 1);
    assert.equal(set.unlabelled['no-later-record'], 1); // market 1's only record
    assert.equal(set.unlabelled.stale, 1); // record 4: 170 h > 3 × 24 h
  });

  it('leaves outliers (fee pool above total fees) unlabelled unless asked, and still uses them as window ends', () => {
    const withOutlier = [...records.slice(0, 3), curve(4, 30, { totalFee: 1100n * QUOTE, totalFeeMinusDistributions: 5000n * QUOTE }), records[4]];
    const set = labelCurveEvents(withOutlier, { windowHours: 24 });
    assert.equal(set.events.find((e) => e.record.recordId === 1n)!.outcome!.endRecordId, 4n);
    assert.equal(set.events.find((e) => e.record.recordId === 4n)!.reason, 'outlier');
    const kept = labelCurveEvents(withOutlier, { windowHours: 24, excludeOutliers: false });
    assert.equal(kept.events.find((e) => e.record.recordId === 4n)!.reason, 'stale');
    // a protocol gain is not an outlier by default, but is when its rule is chosen
    const gain = [curve(1, 0, { adjustmentCost: -3n * QUOTE }), curve(2, 30)];
    assert.equal(labelCurveEvents(gain, { windowHours: 24 }).events[0].reason, null);
    assert.equal(labelCurveEvents(gain, { windowHours: 24, outlierRules: ['negative-adjustment-cost'] }).events[0].reason, 'outlier');
    // a launch-style k jump (×2 > 1.75) is one by default
    assert.equal(labelCurveEvents([curve(1, 0, { sqrtKAfter: 4000n * BASE }), curve(2, 30)], { windowHours: 24 }).events[0].reason, 'outlier');
    assert.throws(() => labelCurveEvents(gain, { outlierRules: ['mark-oracle-gap' as never] }), /outlier rule "mark-oracle-gap" is not a curve rule/);
  });

  it('a gain is never a cost failure, a cost with no fees after it always is', () => {
    const gain = labelCurveEvents([curve(1, 0, { adjustmentCost: -5n * QUOTE }), curve(2, 30)], { windowHours: 24 });
    assert.equal(gain.events[0].outcome!.costToFees, -Infinity);
    assert.equal(gain.events[0].outcome!.costOk, true);
    const cost = labelCurveEvents([curve(1, 0), curve(2, 30)], { windowHours: 24 });
    assert.equal(cost.events[0].outcome!.costToFees, Infinity);
    assert.equal(cost.events[0].success, false);
  });

  it('rejects options that make no sense, naming the value and what is allowed', () => {
    assert.throws(() => labelCurveEvents(records, { windowHours: 0 }), (e: unknown) =>
      e instanceof InvalidArgumentError && /windowHours 0 .*> 0/.test(e.message));
    assert.throws(() => labelCurveEvents(records, { maxCostToFees: -1 }), /maxCostToFees -1/);
    assert.throws(() => labelCurveEvents(records, { openInterest: 'volume' as never }), /openInterest "volume".*users, base/);
    assert.throws(() => labelCurveEvents(records, { maxElapsedFactor: 0.5 }), /maxElapsedFactor 0.5/);
  });

  it('defaults are the documented ones', () => {
    assert.equal(SUCCESS_LABEL_DEFAULTS.windowHours, 24);
    assert.equal(SUCCESS_LABEL_DEFAULTS.openInterest, 'base');
    assert.equal(SUCCESS_LABEL_DEFAULTS.maxCostToFees, 0.5);
  });
});

describe('event features', () => {
  const previous = curve(1, 0);
  // a +1 % repeg at 10 h: peg 100 → 101; reserves make mark 100 × 1100/1000 = 110 USD
  const event = curve(2, 10, {
    pegMultiplierAfter: 101_000n, sqrtKAfter: 1000n * BASE, quoteAssetReserveBefore: 1100n * BASE,
    baseAssetAmount: -50n * BASE, totalFee: 1000n * QUOTE, totalFeeMinusDistributions: 690n * QUOTE, adjustmentCost: 10n * QUOTE,
  });
  const funding = [fundingAt(1, 7, 100, 101), fundingAt(2, 8, 102, 103), fundingAt(3, 9, 104, 104.5), fundingAt(4, 11, 500, 900)];

  it('computes every feature by hand from the state at or before the event', () => {
    const set = eventFeatures([event], [previous, event], funding, { lookbackHours: 3 });
    assert.deepEqual(set.names, [...EVENT_FEATURE_NAMES]);
    const f = Object.fromEntries(set.names.map((n, i) => [n, set.rows[0].values![i]]));
    const close = (name: string, want: number) => assert.ok(Math.abs(f[name] - want) < 1e-9, `${name}: ${f[name]} vs ${want}`);
    close('isRepeg', 1);
    close('pegChangeBps', 100);
    close('lnSqrtKRatio', 0);
    close('imbalance', -0.05);
    close('markOracleGapBps', (110 / 104 - 1) * 1e4); // the 11 h record is after the event and unused
    close('fundingRateBps', (0.5 / 24 / 104) * 1e4);
    close('oracleReturn', Math.log(104 / 100));
    const r = [Math.log(102 / 100), Math.log(104 / 102)];
    const m = (r[0] + r[1]) / 2;
    close('oracleVolatility', Math.sqrt(((r[0] - m) ** 2 + (r[1] - m) ** 2) / 1));
    close('spendableFeeFraction', (700 - 500) / 1000); // pool before the event = 690 + its 10 cost
    close('costShareOfPool', 10 / 700);
    close('logHoursSincePrevious', Math.log1p(10));
  });

  it('uses the market launch for the first event and one-hot columns on request', () => {
    const set = eventFeatures([previous], [previous], funding.map((r) => ({ ...r, ts: r.ts - 10 * H })), { lookbackHours: 5, oneHotMarkets: true });
    const hours = (T0 - Date.UTC(2021, 9, 26) / 1000) / H; // SOL launched 2021-10-26
    assert.ok(Math.abs(set.rows[0].values![10] - Math.log1p(hours)) < 1e-9);
    assert.deepEqual(set.names.slice(-1), ['marketSOL']);
    assert.equal(set.rows[0].values!.at(-1), 1);
  });

  it('an event with no funding before it, or too little, has no row and says why', () => {
    assert.equal(eventFeatures([event], [event], [funding[3]]).rows[0].missing, 'no-funding-before');
    assert.equal(eventFeatures([event], [event], funding.slice(2)).rows[0].missing, 'short-oracle-history');
  });
});

/** A one-market history: hourly funding for `hours`, a curve event every few hours, all from `rng`. */
function generatedHistory(rng: Rng, hours: number): { curve: CurveRecord[]; funding: FundingRecord[] } {
  const funding: FundingRecord[] = [];
  let oracle = 100;
  for (let h = 0; h < hours; h++) {
    oracle *= Math.exp(rng.normal(0, 0.01));
    funding.push(fundingAt(h + 1, h - 48, oracle, oracle * (1 + rng.normal(0, 0.002))));
  }
  const records: CurveRecord[] = [];
  let fee = 1000n * QUOTE;
  let pool = 600n * QUOTE;
  let users = 50n;
  let sqrtK = 1000n * BASE;
  for (let t = rng.uniform(0, 3), id = 1; t < hours - 48; t += rng.exponential(6), id++) {
    const kindDraw = rng.random();
    const peg = BigInt(Math.round(oracle * 1000));
    const sqrtKAfter = kindDraw < 0.6 ? (sqrtK * BigInt(rng.integers(95, 110))) / 100n : sqrtK;
    const cost = BigInt(rng.integers(-5, 200)) * QUOTE;
    const fees = BigInt(rng.integers(0, 300)) * QUOTE;
    fee += fees;
    pool += fees - cost;
    users += BigInt(rng.integers(-3, 4));
    const long = BigInt(rng.integers(10, 100)) * BASE;
    const short = BigInt(rng.integers(10, 100)) * BASE;
    records.push(curve(id, t, {
      pegMultiplierBefore: peg, pegMultiplierAfter: kindDraw >= 0.6 && kindDraw < 0.95 ? peg + BigInt(rng.integers(1, 500)) : peg,
      sqrtKBefore: sqrtK, sqrtKAfter, baseAssetReserveBefore: sqrtK, quoteAssetReserveBefore: sqrtK,
      baseAssetAmountLong: long, baseAssetAmountShort: short, baseAssetAmount: long - short, openInterest: users,
      totalFee: fee, totalFeeMinusDistributions: pool, adjustmentCost: cost,
    }));
    sqrtK = sqrtKAfter;
  }
  return { curve: records, funding };
}

/** Every curve record after `event` (in time, then id) and every funding record after its time, changed. */
function perturbAfter(event: CurveRecord, curveRecords: readonly CurveRecord[], funding: readonly FundingRecord[]) {
  const later = (r: CurveRecord) => r.ts > event.ts || (r.ts === event.ts && r.recordId > event.recordId);
  return {
    curve: curveRecords.map((r) => (later(r) ? {
      ...r, openInterest: r.openInterest * 7n + 1n, totalFee: r.totalFee * 3n, totalFeeMinusDistributions: r.totalFeeMinusDistributions / 2n,
      baseAssetAmount: -r.baseAssetAmount, baseAssetAmountLong: r.baseAssetAmountLong * 2n, adjustmentCost: r.adjustmentCost + 1_000_000_000n,
      pegMultiplierBefore: r.pegMultiplierBefore * 2n, sqrtKAfter: r.sqrtKAfter * 3n, ts: r.ts + 7, // stays after the event
    } : r)),
    funding: funding.map((r) => (r.ts > event.ts ? {
      ...r, oraclePriceTwap: r.oraclePriceTwap * 5n, markPriceTwap: r.markPriceTwap * 9n, fundingRate: -r.fundingRate * 11n,
    } : r)),
  };
}

function assertNoLookAhead(curveRecords: readonly CurveRecord[], funding: readonly FundingRecord[], events: readonly CurveRecord[]) {
  let compared = 0;
  for (const event of events) {
    const base = eventFeatures([event], curveRecords, funding).rows[0];
    const p = perturbAfter(event, curveRecords, funding);
    const changed = eventFeatures([event], p.curve, p.funding).rows[0];
    assert.deepEqual(changed.values, base.values, `record ${event.recordId}: features changed when only later data did`);
    if (base.values !== null) compared++;
  }
  assert.ok(compared > 0);
  // control: the same comparison does see a change made at or before the event
  const event = events.find((e) => eventFeatures([e], curveRecords, funding).rows[0].values !== null)!;
  const earlier = funding.map((r) => (r.ts <= event.ts && r.marketIndex === event.marketIndex ? { ...r, oraclePriceTwap: r.oraclePriceTwap * 2n } : r));
  assert.notDeepEqual(eventFeatures([event], curveRecords, earlier).rows[0].values, eventFeatures([event], curveRecords, funding).rows[0].values);
}

describe('no look-ahead', () => {
  it('features of every event of a generated history ignore every later record', () => {
    const h = generatedHistory(new Rng(7), 24 * 20);
    assert.ok(h.curve.length > 40);
    assertNoLookAhead(h.curve, h.funding, h.curve);
  });

  it('the generated history is labelled deterministically from its seed', () => {
    const a = generatedHistory(new Rng(3), 24 * 20);
    const b = generatedHistory(new Rng(3), 24 * 20);
    const da = buildSuccessDataset(a.curve, a.funding);
    assert.deepEqual(da.y, buildSuccessDataset(b.curve, b.funding).y);
    assert.equal(da.X.length, da.y.length);
    assert.ok(da.times.every((t, i) => i === 0 || t >= da.times[i - 1]));
    assert.ok(da.labelEnds.every((end, i) => end >= da.times[i] + 24 * H));
  });
});

const dataDir = REAL_DATA_DIR;
const noData = skipWithoutRealData(DRIFT_V1_FILES.curveHistory);

describe('real Drift v1 history', { skip: noData }, () => {
  it('labels 341 repeg/k events and reports the 6 no-change records separately', async () => {
    const { records } = await loadCurveHistory(join(dataDir!, DRIFT_V1_FILES.curveHistory));
    const set = labelCurveEvents(records);
    assert.equal(set.events.length, 347);
    assert.equal(set.events.filter((e) => e.kind === 'none').length, 6);
    assert.equal(set.unlabelled['no-change'], 6);
    const labelled = set.balance.positives + set.balance.negatives;
    const u = set.unlabelled;
    assert.equal(labelled + u.outlier + u['no-later-record'] + u.stale, 341);
    // LUNA's launch records 96–100 are among the outliers
    const outliers = set.events.filter((e) => e.reason === 'outlier').map((e) => Number(e.record.recordId));
    for (const id of [96, 97, 98, 99, 100]) assert.ok(outliers.includes(id), `record ${id} flagged`);
    assert.ok(set.events.filter((e) => e.reason === 'outlier').every((e) => e.record.marketIndex === 3));
  });

  it('features of every real event ignore all later curve and funding records', async () => {
    const [{ records }, { records: funding }] = await Promise.all([
      loadCurveHistory(join(dataDir!, DRIFT_V1_FILES.curveHistory)),
      loadFundingHistory(join(dataDir!, DRIFT_V1_FILES.fundingRateHistory)),
    ]);
    // every 4th event keeps the file fast while covering every market and both kinds
    assertNoLookAhead(records, funding, records.filter((_, i) => i % 4 === 0));
  });
});
