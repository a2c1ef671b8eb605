/**
 * Sequence data for the source's §3.2 predictors: for each historical repeg / update_k, the W hours of
 * market features before it, the curve state known before it, and what the admin then did.
 *
 * Inputs of an event at time t in market m, all read strictly at or before t:
 * - a window of the last W hourly funding records of m with ts ≤ t (one more before them for the
 *   first return): per hour the oracle-TWAP log return and the mark/oracle TWAP gap in bps. The
 *   funding rate is left out: every v1 record has funding_rate = (mark_twap − oracle_twap)/24
 *   (outliers.ts checks it), so it would repeat the gap column.
 * - the curve state of the previous record of m (its after-state, the last curve state the history
 *   holds before t): imbalance d/√k, ln(√k / √k of m's first record), ln(1 + hours since it), the
 *   spendable fee share (pool − total_fee/2)/total_fee, and the type of m's previous adjustment
 *   (one-hot). The event's own record is not read at all (its before-state is stored beside its
 *   outcome), so only its time and market enter.
 *
 * Targets: the type — repeg up, repeg down or k (the history has 208 k increases and 4 decreases
 * outside the outliers, too few for a class of their own, so the k class carries the sign in its
 * magnitude) — and the magnitude: the peg change in bps (absolute: the class gives the sign) or
 * ln(√k_after / √k_before).
 *
 * Events are kept in time order (ts, then record id); `timeOrderedSplit` cuts train / validation /
 * test at times, never across a tie, so no model trains on anything later than what it is tested on.
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { markRawToUsd, pegRawToUsd, quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import type { CurveRecord } from './curveHistory.js';
import type { FundingRecord } from './fundingHistory.js';
import { flagCurveOutliers } from './outliers.js';
import { curveEventKind } from './replaySeries.js';
import { byEventTime, DEFAULT_LABEL_OUTLIER_RULES, type CurveOutlierRule } from './successLabels.js';

/** The adjustment types a sequence model predicts, in output order. */
export const SEQUENCE_CLASSES = ['repeg-up', 'repeg-down', 'k'] as const;
export type SequenceClass = (typeof SEQUENCE_CLASSES)[number];

/** Per-hour features of the window, in column order. */
export const SEQUENCE_STEP_FEATURES = [
  'oracleLogReturn', // ln(oracle TWAP of this hour / of the hour before)
  'markOracleGapBps', // (mark TWAP / oracle TWAP − 1) · 1e4
] as const;

/** Curve-state features known before the event, in column order. */
export const SEQUENCE_STATIC_FEATURES = [
  'imbalance', // net user base d / √k
  'lnSqrtKSinceFirst', // ln(√k / √k at the market's first record)
  'logHoursSinceLastEvent', // ln(1 + hours since the market's previous adjustment)
  'spendableFeeShare', // (fee pool − total_fee/2) / total_fee
  'lastWasRepegUp', // one-hot type of the market's previous adjustment (all 0 when it had none):
  'lastWasRepegDown', // the admin acted in bursts (median 8.5 min between a market's records),
  'lastWasK', // so what came just before says much about what comes next
] as const;

/** Magnitude outputs, in column order: which one applies depends on the class. */
export const SEQUENCE_MAGNITUDES = ['pegChangeBps', 'lnSqrtKScale'] as const;

export interface SequenceDatasetOptions {
  /** Hours of funding records in each window (W). */
  readonly windowHours: number;
  /** Leave out events flagged by `outlierRules` (they still count as a market's previous event). */
  readonly excludeOutliers: boolean;
  readonly outlierRules: readonly CurveOutlierRule[];
  /**
   * The W + 1 records of a window must span at most `maxWindowSpanFactor · W` hours; a longer span
   * means hours are missing (the funding history's largest gap is 1.7 h).
   */
  readonly maxWindowSpanFactor: number;
}

export const SEQUENCE_DATASET_DEFAULTS: SequenceDatasetOptions = Object.freeze({
  windowHours: 24,
  excludeOutliers: true,
  outlierRules: DEFAULT_LABEL_OUTLIER_RULES,
  maxWindowSpanFactor: 1.5,
});

/** The curve state a static feature row is computed from (plain numbers: the simulator supplies the same). */
export interface CurveStateSample {
  /** Net user base position d, in base units. */
  readonly netBase: number;
  /** √k in base units. */
  readonly sqrtKBase: number;
  /** √k of the reference state (the market's first record; the env's reset state), base units. */
  readonly firstSqrtKBase: number;
  readonly hoursSinceLastEvent: number;
  readonly feePoolUsd: number;
  readonly totalFeeUsd: number;
  /** The type of the market's previous adjustment (null: none yet). */
  readonly lastClass: SequenceClass | null;
}

/** One hour's features from its TWAPs and the previous hour's oracle TWAP (USD). */
export function hourlyFeatures(previousOracleTwapUsd: number, oracleTwapUsd: number, markTwapUsd: number): [number, number] {
  return [Math.log(oracleTwapUsd / previousOracleTwapUsd), (markTwapUsd / oracleTwapUsd - 1) * 1e4];
}

/** The static features of a curve state, in `SEQUENCE_STATIC_FEATURES` order. */
export function curveStateFeatures(s: CurveStateSample): number[] {
  return [
    s.netBase / s.sqrtKBase,
    Math.log(s.sqrtKBase / s.firstSqrtKBase),
    Math.log1p(Math.max(0, s.hoursSinceLastEvent)),
    // a market that has collected nothing has no pool to spend: 0 is neutral
    s.totalFeeUsd > 0 ? (s.feePoolUsd - s.totalFeeUsd / 2) / s.totalFeeUsd : 0,
    ...SEQUENCE_CLASSES.map((c) => (s.lastClass === c ? 1 : 0)),
  ];
}

export interface SequenceExample {
  readonly recordId: bigint;
  readonly marketIndex: number;
  /** Event time, unix seconds. */
  readonly ts: number;
  /** W rows of `SEQUENCE_STEP_FEATURES`, oldest hour first. */
  readonly window: readonly (readonly number[])[];
  /** `SEQUENCE_STATIC_FEATURES` values. */
  readonly static: readonly number[];
  readonly cls: SequenceClass;
  /** |peg change| in bps of the old peg (repeg classes), else null. */
  readonly pegChangeBps: number | null;
  /** ln(√k after / √k before) (k class), else null. */
  readonly lnSqrtKScale: number | null;
  /** Naive-baseline inputs from the market's earlier records (outliers included: they happened). */
  readonly previous: {
    readonly cls: SequenceClass | null;
    readonly pegChangeBps: number | null;
    readonly lnSqrtKScale: number | null;
  };
}

/** Why a curve record is not an example. */
export interface SequenceDropCounts {
  /** update_k records that changed neither peg nor √k. */
  readonly noChange: number;
  readonly outlier: number;
  /** The first record of a market: no earlier curve state to read. */
  readonly firstInMarket: number;
  /** Fewer than W + 1 funding records before the event, or a window with missing hours. */
  readonly shortHistory: number;
}

export interface SequenceDataset {
  readonly options: SequenceDatasetOptions;
  /** In time order (ts, then record id). */
  readonly examples: SequenceExample[];
  readonly dropped: SequenceDropCounts;
}

function resolveOptions(options: Partial<SequenceDatasetOptions>): SequenceDatasetOptions {
  const o = { ...SEQUENCE_DATASET_DEFAULTS, ...options };
  if (!(Number.isSafeInteger(o.windowHours) && o.windowHours >= 1)) {
    throw new InvalidArgumentError(`sequence dataset: windowHours ${describeValue(o.windowHours)} is not allowed; allowed: an integer number of hours ≥ 1`);
  }
  if (!(o.maxWindowSpanFactor >= 1)) {
    throw new InvalidArgumentError(`sequence dataset: maxWindowSpanFactor ${describeValue(o.maxWindowSpanFactor)} is not allowed; allowed: ≥ 1`);
  }
  return o;
}

/** The class of a record that changed peg or √k (null for a no-change record). */
export function sequenceClassOf(r: CurveRecord): SequenceClass | null {
  const kind = curveEventKind(r);
  if (kind === 'k') return 'k';
  if (kind === 'repeg') return r.pegMultiplierAfter > r.pegMultiplierBefore ? 'repeg-up' : 'repeg-down';
  return null;
}

function pegChangeBps(r: CurveRecord): number {
  return Math.abs(pegRawToUsd(r.pegMultiplierAfter) / pegRawToUsd(r.pegMultiplierBefore) - 1) * 1e4;
}

function lnSqrtKScale(r: CurveRecord): number {
  return Math.log(reserveRawToBase(r.sqrtKAfter) / reserveRawToBase(r.sqrtKBefore));
}

/** Index of the last element with ts ≤ t in a ts-sorted list, −1 if none. */
function lastAtOrBefore(list: readonly { ts: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * One example per repeg / k record that has a previous record in its market and W + 1 funding
 * records before it (outliers and no-change records left out, counted in `dropped`).
 */
export function buildSequenceDataset(
  curve: readonly CurveRecord[],
  funding: readonly FundingRecord[],
  options: Partial<SequenceDatasetOptions> = {},
): SequenceDataset {
  const o = resolveOptions(options);
  const W = o.windowHours;
  const sorted = byEventTime(curve);
  const outliers = new Set(flagCurveOutliers(sorted)
    .filter((f) => f.reasons.some((reason) => o.outlierRules.some((rule) => reason.startsWith(`${rule}:`))))
    .map((f) => f.recordId));
  const fundingByMarket = new Map<number, FundingRecord[]>();
  for (const f of [...funding].sort((a, b) => a.ts - b.ts || (a.recordId < b.recordId ? -1 : 1))) {
    const list = fundingByMarket.get(f.marketIndex);
    if (list) list.push(f);
    else fundingByMarket.set(f.marketIndex, [f]);
  }

  const first = new Map<number, CurveRecord>();
  const previous = new Map<number, CurveRecord>();
  const lastOfClass = new Map<number, { cls: SequenceClass | null; peg: number | null; k: number | null }>();
  const examples: SequenceExample[] = [];
  let noChange = 0;
  let outlier = 0;
  let firstInMarket = 0;
  let shortHistory = 0;
  for (const r of sorted) {
    const m = r.marketIndex;
    const cls = sequenceClassOf(r);
    const prev = previous.get(m);
    const history = lastOfClass.get(m) ?? { cls: null, peg: null, k: null };
    if (!first.has(m)) first.set(m, r);
    previous.set(m, r);
    if (cls !== null) {
      lastOfClass.set(m, {
        cls,
        peg: cls === 'k' ? history.peg : pegChangeBps(r),
        k: cls === 'k' ? lnSqrtKScale(r) : history.k,
      });
    }

    if (cls === null) { noChange++; continue; }
    if (o.excludeOutliers && outliers.has(r.recordId)) { outlier++; continue; }
    if (prev === undefined) { firstInMarket++; continue; }
    const hourly = fundingByMarket.get(m) ?? [];
    const last = lastAtOrBefore(hourly, r.ts);
    const start = last - W; // the record before the window's first hour
    if (start < 0 || (hourly[last]!.ts - hourly[start]!.ts) / 3600 > o.maxWindowSpanFactor * W) { shortHistory++; continue; }

    const window: number[][] = [];
    for (let i = start + 1; i <= last; i++) {
      window.push(hourlyFeatures(markRawToUsd(hourly[i - 1]!.oraclePriceTwap), markRawToUsd(hourly[i]!.oraclePriceTwap), markRawToUsd(hourly[i]!.markPriceTwap)));
    }
    const stat = curveStateFeatures({
      netBase: reserveRawToBase(prev.baseAssetAmount),
      sqrtKBase: reserveRawToBase(prev.sqrtKAfter),
      firstSqrtKBase: reserveRawToBase(first.get(m)!.sqrtKBefore),
      hoursSinceLastEvent: (r.ts - prev.ts) / 3600,
      feePoolUsd: quoteRawToUsd(prev.totalFeeMinusDistributions),
      totalFeeUsd: quoteRawToUsd(prev.totalFee),
      lastClass: history.cls,
    });
    examples.push({
      recordId: r.recordId,
      marketIndex: m,
      ts: r.ts,
      window,
      static: stat,
      cls,
      pegChangeBps: cls === 'k' ? null : pegChangeBps(r),
      lnSqrtKScale: cls === 'k' ? lnSqrtKScale(r) : null,
      previous: { cls: history.cls, pegChangeBps: history.peg, lnSqrtKScale: history.k },
    });
  }
  return { options: o, examples, dropped: { noChange, outlier, firstInMarket, shortHistory } };
}

/** Index ranges [start, end) of a time-ordered split. */
export interface TimeOrderedSplit {
  readonly train: readonly [number, number];
  readonly validation: readonly [number, number];
  readonly test: readonly [number, number];
}

export const DEFAULT_SPLIT_FRACTIONS: readonly [number, number, number] = Object.freeze([0.6, 0.2, 0.2]) as readonly [number, number, number];

/**
 * Cut time-sorted `times` into train / validation / test by the given fractions. A cut never
 * separates equal times (it moves later), so every validation time is after every training time
 * and every test time after every validation time.
 */
export function timeOrderedSplit(times: readonly number[], fractions: readonly [number, number, number] = DEFAULT_SPLIT_FRACTIONS): TimeOrderedSplit {
  const total = fractions[0] + fractions[1] + fractions[2];
  if (!fractions.every((f) => Number.isFinite(f) && f > 0) || Math.abs(total - 1) > 1e-9) {
    throw new InvalidArgumentError(`time-ordered split: fractions ${describeValue(fractions)} are not allowed; allowed: three numbers > 0 that sum to 1`);
  }
  for (let i = 1; i < times.length; i++) {
    if (!(times[i]! >= times[i - 1]!)) {
      throw new InvalidArgumentError(`time-ordered split: times[${i}] = ${times[i]} comes before times[${i - 1}] = ${times[i - 1]}; sort the examples by time first`);
    }
  }
  const n = times.length;
  const cut = (at: number): number => {
    let i = Math.min(n, Math.max(0, Math.round(at)));
    while (i > 0 && i < n && times[i] === times[i - 1]) i++;
    return i;
  };
  const a = cut(n * fractions[0]);
  const b = Math.max(a, cut(n * (fractions[0] + fractions[1])));
  if (a === 0 || b === a || b === n) {
    throw new InvalidArgumentError(
      `time-ordered split: ${n} examples give an empty split (train ${a}, validation ${b - a}, test ${n - b}); need more examples or other fractions`,
    );
  }
  return { train: [0, a], validation: [a, b], test: [b, n] };
}

/** How many examples of each class. */
export function classBalance(examples: readonly { cls: SequenceClass }[]): Record<SequenceClass, number> {
  const counts = Object.fromEntries(SEQUENCE_CLASSES.map((c) => [c, 0])) as Record<SequenceClass, number>;
  for (const e of examples) counts[e.cls]++;
  return counts;
}
