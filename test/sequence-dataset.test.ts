/**
 * The next-adjustment dataset (data/drift-v1/sequenceDataset.ts) on small histories made from the
 * seeded Rng: windows and targets, the no-look-ahead guarantee, and a time-ordered split that never
 * trains on the future.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../env/core/rng.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import type { CurveRecord } from '../data/drift-v1/curveHistory.js';
import type { FundingRecord } from '../data/drift-v1/fundingHistory.js';
import {
  buildSequenceDataset, classBalance, curveStateFeatures, hourlyFeatures, SEQUENCE_CLASSES, timeOrderedSplit, type SequenceExample,
} from '../data/drift-v1/sequenceDataset.js';

const BASE = 10_000_000_000_000n; // 1e13: one base unit in reserve precision
const T0 = Date.UTC(2021, 11, 1) / 1000;

/** Hourly funding records (at minute 0–1 of each hour) for `hours` hours of a GBM oracle. */
function fundingSeries(market: number, hours: number, rng: Rng, firstId: number): FundingRecord[] {
  let oracle = market === 0 ? 180 : 45_000;
  const out: FundingRecord[] = [];
  for (let h = 0; h < hours; h++) {
    oracle *= Math.exp(rng.normal(0, 0.01));
    const oracleRaw = BigInt(Math.round(oracle * 1e4)) * 1_000_000n;
    const markRaw = BigInt(Math.round(oracle * (1 + rng.normal(0, 0.002)) * 1e4)) * 1_000_000n;
    out.push({
      ts: T0 + h * 3600 + rng.integers(0, 60), recordId: BigInt(firstId + h), marketIndex: market, fundingRate: ((markRaw - oracleRaw) * 10_000n) / 24n,
      cumulativeFundingRateLong: 0n, cumulativeFundingRateShort: 0n, oraclePriceTwap: oracleRaw, markPriceTwap: markRaw, scrapedAt: null,
    });
  }
  return out;
}

interface CurveSpec { readonly ts: number; readonly kind: 'up' | 'down' | 'k+' | 'k-' | 'none' | 'k×3' }

/** Curve records of one market following `specs` in order; each starts from the previous one's after-state. */
function curveSeries(market: number, specs: readonly CurveSpec[], firstId: number): CurveRecord[] {
  let peg = market === 0 ? 180_000n : 45_000_000n;
  let sqrtK = 1000n * BASE;
  let fee = 1_000_000_000n;
  let pool = 600_000_000n;
  return specs.map((s, i) => {
    const pegAfter = s.kind === 'up' ? peg + 30n : s.kind === 'down' ? peg - 20n : peg;
    const sqrtKAfter = s.kind === 'k+' ? (sqrtK * 102n) / 100n : s.kind === 'k-' ? (sqrtK * 99n) / 100n : s.kind === 'k×3' ? sqrtK * 3n : sqrtK;
    fee += 5_000_000n;
    pool += 4_000_000n;
    const r: CurveRecord = {
      ts: s.ts, recordId: BigInt(firstId + i), marketIndex: market,
      pegMultiplierBefore: peg, baseAssetReserveBefore: sqrtK, quoteAssetReserveBefore: sqrtK, sqrtKBefore: sqrtK,
      pegMultiplierAfter: pegAfter, baseAssetReserveAfter: sqrtKAfter, quoteAssetReserveAfter: sqrtKAfter, sqrtKAfter,
      baseAssetAmountLong: BigInt(40 + i) * BASE, baseAssetAmountShort: 25n * BASE, baseAssetAmount: BigInt(15 + i) * BASE,
      openInterest: 30n, totalFee: fee, totalFeeMinusDistributions: pool, adjustmentCost: 1_000_000n, scrapedAt: null,
    };
    peg = pegAfter;
    sqrtK = sqrtKAfter;
    return r;
  });
}

const HOURS = 24 * 20;

/** Two markets, 20 days of funding; market 0 has one of every record kind, market 1 a random mix. */
function history(seed: number): { curve: CurveRecord[]; funding: FundingRecord[] } {
  const rng = new Rng(seed);
  const funding = [...fundingSeries(0, HOURS, rng, 1), ...fundingSeries(1, HOURS, rng, 10_000)];
  const h = (hours: number) => T0 + Math.round(hours * 3600);
  const m0: CurveSpec[] = [
    { ts: h(2), kind: 'k+' }, // first of the market; also before 24 h of funding history
    { ts: h(30.5), kind: 'up' }, { ts: h(41.2), kind: 'k+' }, { ts: h(41.3), kind: 'down' }, { ts: h(60), kind: 'none' },
    { ts: h(75), kind: 'k×3' }, // a large-k-change outlier
    { ts: h(90), kind: 'k-' }, { ts: h(120), kind: 'up' },
  ];
  const kinds: CurveSpec['kind'][] = ['up', 'down', 'k+', 'k+', 'k+', 'k-'];
  const m1: CurveSpec[] = [];
  for (let t = 30 + rng.uniform(0, 5); t < HOURS - 1; t += rng.exponential(12)) m1.push({ ts: h(t), kind: kinds[rng.integers(0, kinds.length)]! });
  return { curve: [...curveSeries(0, m0, 1), ...curveSeries(1, m1, 100)], funding };
}

function example(set: readonly SequenceExample[], recordId: bigint): SequenceExample {
  const e = set.find((x) => x.recordId === recordId);
  assert.ok(e, `record ${recordId} has an example`);
  return e;
}

describe('sequence dataset: windows and targets', () => {
  const { curve, funding } = history(3);
  const ds = buildSequenceDataset(curve, funding, { windowHours: 24 });

  it('keeps one example per repeg / k record with history, in time order, and counts the rest', () => {
    assert.deepEqual(ds.dropped, { noChange: 1, outlier: 1, firstInMarket: 2, shortHistory: 0 });
    const m0 = ds.examples.filter((e) => e.marketIndex === 0).map((e) => e.recordId);
    assert.deepEqual(m0, [2n, 3n, 4n, 7n, 8n]);
    for (let i = 1; i < ds.examples.length; i++) assert.ok(ds.examples[i]!.ts >= ds.examples[i - 1]!.ts);
    const withShortWindow = buildSequenceDataset(curve, funding, { windowHours: 31 });
    assert.equal(withShortWindow.dropped.shortHistory, 1, 'record 2 at hour 30.5 has only 31 funding records before it');
  });

  it('targets: class, |peg change| in bps, ln sqrt_k scale', () => {
    const up = example(ds.examples, 2n);
    assert.equal(up.cls, 'repeg-up');
    assert.ok(Math.abs(up.pegChangeBps! - (30 / 180_000) * 1e4) < 1e-9);
    assert.equal(up.lnSqrtKScale, null);
    const down = example(ds.examples, 4n);
    assert.equal(down.cls, 'repeg-down');
    assert.ok(Math.abs(down.pegChangeBps! - (20 / 180_030) * 1e4) < 1e-9, 'absolute: the class carries the sign');
    const k = example(ds.examples, 3n);
    assert.equal(k.cls, 'k');
    assert.ok(Math.abs(k.lnSqrtKScale! - Math.log(1.02)) < 1e-12);
    assert.ok(Math.abs(example(ds.examples, 7n).lnSqrtKScale! - Math.log(0.99)) < 1e-12, 'k decreases are the k class with a negative scale');
  });

  it('the window is the last W funding records at or before the event, oldest first', () => {
    const e = example(ds.examples, 3n); // hour 41.2
    const f0 = funding.filter((f) => f.marketIndex === 0 && f.ts <= e.ts);
    assert.equal(e.window.length, 24);
    const usd = (raw: bigint) => Number(raw) / 1e10;
    for (let t = 0; t < 24; t++) {
      const cur = f0[f0.length - 24 + t]!;
      const prev = f0[f0.length - 25 + t]!;
      assert.deepEqual(e.window[t], hourlyFeatures(usd(prev.oraclePriceTwap), usd(cur.oraclePriceTwap), usd(cur.markPriceTwap)));
    }
  });

  it('static features come from the previous record of the market (its after-state)', () => {
    const e = example(ds.examples, 4n); // previous: record 3, 0.1 h earlier
    const prev = curve.find((r) => r.recordId === 3n)!;
    const first = curve.find((r) => r.recordId === 1n)!;
    assert.deepEqual(e.static, curveStateFeatures({
      netBase: Number(prev.baseAssetAmount) / 1e13, sqrtKBase: Number(prev.sqrtKAfter) / 1e13, firstSqrtKBase: Number(first.sqrtKBefore) / 1e13,
      hoursSinceLastEvent: (e.ts - prev.ts) / 3600, feePoolUsd: Number(prev.totalFeeMinusDistributions) / 1e6, totalFeeUsd: Number(prev.totalFee) / 1e6,
      lastClass: 'k',
    }));
    assert.ok(Math.abs(e.static[2]! - Math.log1p(0.1)) < 1e-9);
    assert.ok(Math.abs(e.static[1]! - 2 * Math.log(1.02)) < 1e-12, 'ln sqrt_k since the first record (two k+ 2 % records)');
    assert.deepEqual(e.static.slice(4), [0, 0, 1], 'the previous adjustment was a k change');
    assert.deepEqual(example(ds.examples, 3n).static.slice(4), [1, 0, 0], 'before record 3: a repeg up');
  });

  it('naive-baseline inputs: the last event of the market, outliers and all', () => {
    assert.deepEqual(example(ds.examples, 2n).previous, { cls: 'k', pegChangeBps: null, lnSqrtKScale: Math.log(1.02) });
    const afterOutlier = example(ds.examples, 7n).previous; // after the ×3 outlier and the no-change record
    assert.equal(afterOutlier.cls, 'k');
    assert.ok(Math.abs(afterOutlier.lnSqrtKScale! - Math.log(3)) < 1e-12);
    assert.ok(Math.abs(afterOutlier.pegChangeBps! - (20 / 180_030) * 1e4) < 1e-9);
  });

  it('includes the outliers on request', () => {
    const all = buildSequenceDataset(curve, funding, { excludeOutliers: false });
    assert.equal(all.dropped.outlier, 0);
    assert.equal(example(all.examples, 6n).cls, 'k');
  });

  it('rejects a window that is not a whole number of hours', () => {
    assert.throws(() => buildSequenceDataset(curve, funding, { windowHours: 1.5 }), (e: unknown) => e instanceof InvalidArgumentError && /windowHours 1\.5/.test((e as Error).message));
  });
});

describe('sequence dataset: no look-ahead', () => {
  const { curve, funding } = history(11);
  const base = buildSequenceDataset(curve, funding);

  it('features of every event ignore its own record and everything after it', () => {
    let laterChanged = 0;
    for (const e of base.examples) {
      const scale = (v: bigint) => (v * 13n) / 10n + 7n;
      // the event's own record keeps only its identity and time; later records and funding are scrambled
      const curve2 = curve.map((r) => {
        const later = r.ts > e.ts || (r.ts === e.ts && r.recordId > e.recordId);
        if (r.recordId !== e.recordId && !later) return r;
        return {
          ...r,
          pegMultiplierBefore: scale(r.pegMultiplierBefore), pegMultiplierAfter: scale(r.pegMultiplierAfter) + 1n,
          baseAssetReserveBefore: scale(r.baseAssetReserveBefore), quoteAssetReserveBefore: scale(r.quoteAssetReserveBefore),
          sqrtKBefore: scale(r.sqrtKBefore), sqrtKAfter: scale(r.sqrtKAfter), baseAssetAmount: -r.baseAssetAmount,
          baseAssetAmountLong: scale(r.baseAssetAmountLong), totalFee: scale(r.totalFee), totalFeeMinusDistributions: scale(r.totalFeeMinusDistributions),
          adjustmentCost: -r.adjustmentCost,
        };
      });
      const funding2 = funding.map((f) => (f.ts > e.ts ? { ...f, oraclePriceTwap: f.oraclePriceTwap * 2n, markPriceTwap: f.markPriceTwap * 3n } : f));
      const perturbed = buildSequenceDataset(curve2, funding2);
      const same = perturbed.examples.find((x) => x.recordId === e.recordId);
      assert.ok(same, `record ${e.recordId} still has an example`);
      assert.deepEqual(same.window, e.window, `window of record ${e.recordId}`);
      assert.deepEqual(same.static, e.static, `static features of record ${e.recordId}`);
      assert.deepEqual(same.previous, e.previous, `last-event baseline of record ${e.recordId}`);
      // the perturbation is real: later events see it
      if (perturbed.examples.some((x) => x.ts > e.ts && JSON.stringify(x.window) !== JSON.stringify(base.examples.find((y) => y.recordId === x.recordId)?.window))) laterChanged++;
    }
    assert.ok(laterChanged > base.examples.length / 2, `later events changed for ${laterChanged} of ${base.examples.length} perturbations`);
  });
});

describe('time-ordered split', () => {
  it('never puts a later or equal time in an earlier split, ties included', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = rng.integers(10, 200);
      const times: number[] = [];
      for (let i = 0, t = 0; i < n; i++) times.push((t += rng.random() < 0.3 ? 0 : rng.integers(1, 100)));
      let s;
      try {
        s = timeOrderedSplit(times);
      } catch (err) {
        assert.ok(err instanceof InvalidArgumentError, 'only an empty split is refused');
        continue;
      }
      assert.deepEqual([s.train[0], s.train[1], s.validation[1], s.test[1]], [0, s.validation[0], s.test[0], n]);
      assert.ok(times[s.train[1] - 1]! < times[s.validation[0]]!, 'every training time is before every validation time');
      assert.ok(times[s.validation[1] - 1]! < times[s.test[0]]!, 'every validation time is before every test time');
    }
  });

  it('cuts at the fractions when there are no ties', () => {
    const s = timeOrderedSplit(Array.from({ length: 100 }, (_, i) => i), [0.6, 0.2, 0.2]);
    assert.deepEqual(s, { train: [0, 60], validation: [60, 80], test: [80, 100] });
  });

  it('moves a cut past a tie', () => {
    const times = [1, 2, 3, 4, 5, 6, 6, 8, 9, 10];
    assert.deepEqual(timeOrderedSplit(times, [0.6, 0.2, 0.2]), { train: [0, 7], validation: [7, 8], test: [8, 10] });
  });

  it('refuses unsorted times, bad fractions and empty splits with the value', () => {
    assert.throws(() => timeOrderedSplit([1, 3, 2, 4, 5]), /times\[2\] = 2 comes before times\[1\] = 3/);
    assert.throws(() => timeOrderedSplit([1, 2, 3], [0.5, 0.5, 0.5]), /fractions \[0\.5,0\.5,0\.5\]|sum to 1/);
    assert.throws(() => timeOrderedSplit([1, 1, 1, 1, 1]), /empty split/);
  });
});

describe('class balance', () => {
  it('counts every class, absent ones as 0', () => {
    assert.deepEqual(classBalance([{ cls: 'k' }, { cls: 'k' }, { cls: 'repeg-down' }]), { 'repeg-up': 0, 'repeg-down': 1, k: 2 });
    assert.deepEqual(SEQUENCE_CLASSES, ['repeg-up', 'repeg-down', 'k']);
  });
});
