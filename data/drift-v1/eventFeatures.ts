/**
 * Features of a repeg / update_k event, built strictly from what was known at or before it: the
 * event's own record (the state it found and the change the admin chose, whose cost the program
 * computes before applying it), earlier curve records of the same market, and funding records with
 * `ts ≤ event ts`. Nothing later is read (test/success-labels.test.ts perturbs every later record).
 *
 * Market identity is left out by default: the features are relative (bps, ratios, fractions), so
 * they compare across markets, and with time-ordered folds the late-listed markets (MATIC, ATOM)
 * would be constant one-hot columns in every training fold. `oneHotMarkets` adds them anyway.
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { calculatePrice } from '../../env/amm/drift-v1/price.js';
import { fundingRateRawToUsd, markRawToUsd, pegRawToUsd, quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import type { CurveRecord } from './curveHistory.js';
import type { FundingRecord } from './fundingHistory.js';
import { DRIFT_V1_MARKETS, marketSymbol } from './markets.js';
import { curveEventKind } from './replaySeries.js';
import { byEventTime, labelCurveEvents, type LabelledEvent, type SuccessLabelOptions, type SuccessLabelSet } from './successLabels.js';

export interface EventFeatureOptions {
  /** Hours of oracle TWAPs before the event used for its return and volatility. */
  readonly lookbackHours: number;
  /** Append one 0/1 column per market index present in the records. */
  readonly oneHotMarkets: boolean;
}

export const EVENT_FEATURE_DEFAULTS: EventFeatureOptions = Object.freeze({ lookbackHours: 24, oneHotMarkets: false });

/** Column names in order (without the optional market one-hot columns). */
export const EVENT_FEATURE_NAMES = [
  'isRepeg', // 1 for a repeg, 0 for an update_k
  'pegChangeBps', // signed peg change, bps of the old peg (0 for k)
  'lnSqrtKRatio', // ln(sqrt_k_after / sqrt_k_before) (0 for a repeg)
  'imbalance', // net user base position / sqrt_k before the event
  'markOracleGapBps', // mark before the event vs the last oracle TWAP, bps
  'fundingRateBps', // last hourly funding rate, bps of the oracle TWAP
  'oracleReturn', // ln(last / first oracle TWAP) over the lookback
  'oracleVolatility', // std of hourly oracle-TWAP log returns over the lookback
  'spendableFeeFraction', // (fee pool before the event − total_fee/2) / total_fee
  'costShareOfPool', // this event's adjustment cost / fee pool before it
  'logHoursSincePrevious', // ln(1 + hours since the previous record of the market, or since launch)
] as const;

/** Why an event has no feature row. */
export type MissingFeatureReason = 'no-funding-before' | 'short-oracle-history';

export interface EventFeatureRow {
  readonly record: CurveRecord;
  /** Feature values in `names` order, or null when the history before the event is too short. */
  readonly values: number[] | null;
  readonly missing: MissingFeatureReason | null;
}

export interface EventFeatureSet {
  readonly names: readonly string[];
  readonly options: EventFeatureOptions;
  /** One row per requested event, in the order given. */
  readonly rows: EventFeatureRow[];
}

function resolveOptions(options: Partial<EventFeatureOptions>): EventFeatureOptions {
  const o = { ...EVENT_FEATURE_DEFAULTS, ...options };
  if (!(Number.isFinite(o.lookbackHours) && o.lookbackHours > 0)) {
    throw new InvalidArgumentError(`event features: lookbackHours ${describeValue(o.lookbackHours)} is not allowed; allowed: a finite number of hours > 0`);
  }
  return o;
}

/** Index of the last element with ts ≤ t in a ts-sorted list, −1 if none. */
function lastAtOrBefore(list: readonly { ts: number }[], t: number): number {
  let lo = 0;
  let hi = list.length; // invariant: answer in [lo − 1, hi − 1]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function groupByMarket<T extends { marketIndex: number }>(items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const it of items) {
    const list = out.get(it.marketIndex);
    if (list) list.push(it);
    else out.set(it.marketIndex, [it]);
  }
  return out;
}

function std(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
}

function launchTs(marketIndex: number): number {
  const info = DRIFT_V1_MARKETS[marketIndex];
  if (info === undefined) {
    throw new InvalidArgumentError(`event features: market index ${marketIndex} (${marketSymbol(marketIndex)}) has no launch date in the market table`);
  }
  return Date.parse(`${info.launched}T00:00:00Z`) / 1000;
}

/**
 * Feature rows for `events` (usually the labelled repeg/k records), each computed from `curve` records
 * earlier than it in the same market and `funding` records at or before its time.
 */
export function eventFeatures(
  events: readonly CurveRecord[],
  curve: readonly CurveRecord[],
  funding: readonly FundingRecord[],
  options: Partial<EventFeatureOptions> = {},
): EventFeatureSet {
  const o = resolveOptions(options);
  const curveByMarket = groupByMarket(byEventTime(curve));
  const fundingByMarket = groupByMarket([...funding].sort((a, b) => a.ts - b.ts || (a.recordId < b.recordId ? -1 : 1)));
  const markets = [...new Set(events.map((e) => e.marketIndex))].sort((a, b) => a - b);
  const names = [...EVENT_FEATURE_NAMES, ...(o.oneHotMarkets ? markets.map((m) => `market${marketSymbol(m)}`) : [])];

  const rows = events.map((record): EventFeatureRow => {
    const fundingList = fundingByMarket.get(record.marketIndex) ?? [];
    const lastIdx = lastAtOrBefore(fundingList, record.ts);
    if (lastIdx < 0) return { record, values: null, missing: 'no-funding-before' };
    const last = fundingList[lastIdx];
    const windowStart = record.ts - o.lookbackHours * 3600;
    const twaps: number[] = [];
    for (let i = lastIdx; i >= 0 && fundingList[i].ts >= windowStart; i--) twaps.unshift(markRawToUsd(fundingList[i].oraclePriceTwap));
    if (twaps.length < 3) return { record, values: null, missing: 'short-oracle-history' };
    const logReturns = twaps.slice(1).map((p, i) => Math.log(p / twaps[i]));

    const oracleUsd = markRawToUsd(last.oraclePriceTwap);
    const markUsd = markRawToUsd(calculatePrice(record.quoteAssetReserveBefore, record.baseAssetReserveBefore, record.pegMultiplierBefore));
    const kind = curveEventKind(record);
    const pegBefore = pegRawToUsd(record.pegMultiplierBefore);
    // The record holds the pool after this event's cost was taken (checked on the data), so add it back.
    const poolBeforeUsd = quoteRawToUsd(record.totalFeeMinusDistributions + record.adjustmentCost);
    const totalFeeUsd = quoteRawToUsd(record.totalFee);
    const costUsd = quoteRawToUsd(record.adjustmentCost);

    const marketCurve = curveByMarket.get(record.marketIndex) ?? [];
    const previous = marketCurve.filter((r) => r.ts < record.ts || (r.ts === record.ts && r.recordId < record.recordId)).at(-1);
    const hoursSincePrevious = (record.ts - (previous?.ts ?? launchTs(record.marketIndex))) / 3600;

    const values = [
      kind === 'repeg' ? 1 : 0,
      kind === 'repeg' ? ((pegRawToUsd(record.pegMultiplierAfter) - pegBefore) / pegBefore) * 1e4 : 0,
      kind === 'k' ? Math.log(reserveRawToBase(record.sqrtKAfter) / reserveRawToBase(record.sqrtKBefore)) : 0,
      reserveRawToBase(record.baseAssetAmount) / reserveRawToBase(record.sqrtKBefore),
      (markUsd / oracleUsd - 1) * 1e4,
      (fundingRateRawToUsd(last.fundingRate) / oracleUsd) * 1e4,
      Math.log(twaps[twaps.length - 1] / twaps[0]),
      std(logReturns),
      // A market that has collected nothing yet has no pool to spend: neither fraction is defined, 0 is neutral.
      totalFeeUsd > 0 ? (poolBeforeUsd - totalFeeUsd / 2) / totalFeeUsd : 0,
      poolBeforeUsd > 0 ? costUsd / poolBeforeUsd : 0,
      Math.log1p(Math.max(0, hoursSincePrevious)),
      ...(o.oneHotMarkets ? markets.map((m) => (m === record.marketIndex ? 1 : 0)) : []),
    ];
    return { record, values, missing: null };
  });
  return { names, options: o, rows };
}

/** A supervised training set: labelled repeg/k events with features, sorted by event time. */
export interface SuccessDataset {
  readonly names: readonly string[];
  readonly X: number[][];
  /** 1 success, 0 failure. */
  readonly y: number[];
  /** Event times (unix s), non-decreasing. */
  readonly times: number[];
  /** When each label became known: the window-end record's time. */
  readonly labelEnds: number[];
  readonly events: LabelledEvent[];
  readonly labels: SuccessLabelSet;
  /** Labelled events dropped because the history before them is too short for features. */
  readonly missingFeatures: Readonly<Record<MissingFeatureReason, number>>;
}

/** Label every curve event, compute features for the labelled ones and align them. */
export function buildSuccessDataset(
  curve: readonly CurveRecord[],
  funding: readonly FundingRecord[],
  labelOptions: Partial<SuccessLabelOptions> = {},
  featureOptions: Partial<EventFeatureOptions> = {},
): SuccessDataset {
  const labels = labelCurveEvents(curve, labelOptions);
  const labelled = labels.events.filter((e) => e.success !== null);
  const features = eventFeatures(labelled.map((e) => e.record), curve, funding, featureOptions);
  const missingFeatures: Record<MissingFeatureReason, number> = { 'no-funding-before': 0, 'short-oracle-history': 0 };
  const kept: LabelledEvent[] = [];
  const X: number[][] = [];
  features.rows.forEach((row, i) => {
    if (row.values === null) missingFeatures[row.missing!] += 1;
    else {
      kept.push(labelled[i]);
      X.push(row.values);
    }
  });
  return {
    names: features.names,
    X,
    y: kept.map((e) => (e.success ? 1 : 0)),
    times: kept.map((e) => e.record.ts),
    labelEnds: kept.map((e) => e.outcome!.endTs),
    events: kept,
    labels,
    missingFeatures,
  };
}
