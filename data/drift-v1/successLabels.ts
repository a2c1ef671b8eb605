/**
 * Success / failure labels for historical repeg and update_k events (source §3.1).
 *
 * An event succeeds when, over the window after it, (a) open interest did not shrink by more than
 * allowed and (b) its adjustment cost was small next to the fees the market collected in that window.
 *
 * The only observations after an event are later curve records of the same market, which are sparse
 * (minutes to days apart). The window end is read as the FIRST later record of the same market whose
 * time is at or after `ts + windowHours`; the actual elapsed time is kept on the label. Events with no
 * such record are unlabelled (`no-later-record`), and so are events whose first record past the window
 * comes later than `maxElapsedFactor × windowHours` (`stale`: fees and open interest over a much longer
 * span than asked for would not measure the same thing). Later adjustments inside the window are not
 * charged to the event: Δtotal_fee counts fees only, which is what "fees collected after it" means.
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import type { CurveRecord } from './curveHistory.js';
import { flagCurveOutliers, OUTLIER_RULES, type OutlierRule } from './outliers.js';
import { curveEventKind } from './replaySeries.js';

/** A repeg changes only the peg, an update_k only sqrt_k; `none` is a k "update" that changed neither. */
export type CurveEventKind = ReturnType<typeof curveEventKind>;

/**
 * `base`: long + short base amount (open interest as derivatives markets define it; the default);
 * `users`: the column named `open_interest`, which is in fact a count of users holding a position, so
 * it follows the slow growth of the user base more than the size traders keep open.
 */
export type OpenInterestMeasure = 'users' | 'base';

export interface SuccessLabelOptions {
  /** Hours after the event at which the outcome is read. */
  readonly windowHours: number;
  readonly openInterest: OpenInterestMeasure;
  /** Success needs (OI_end − OI_event) / OI_event ≥ this (0: open interest did not shrink). */
  readonly minOpenInterestChange: number;
  /**
   * Success needs adjustment_cost ≤ this × Δtotal_fee over the window. Default ½: the program lets
   * repeg/k spend fees only while the pool keeps half of all fees, so an adjustment that costs at most
   * half of the fees that follow it pays for itself within the spendable share.
   */
  readonly maxCostToFees: number;
  /** The window end may come at most this many windows after the event, else the event is `stale`. */
  readonly maxElapsedFactor: number;
  /** Leave records flagged by `outlierRules` unlabelled (they still serve as window-end observations). */
  readonly excludeOutliers: boolean;
  /** Which rules of data/drift-v1/outliers.ts make an event an outlier. */
  readonly outlierRules: readonly CurveOutlierRule[];
}

/** The curve rules of outliers.ts. */
export type CurveOutlierRule = Extract<OutlierRule, 'fee-pool-above-total-fee' | 'negative-adjustment-cost' | 'large-k-change' | 'large-repeg'>;

/**
 * Default outlier rules: the fee pool above all fees collected (LUNA's launch top-up, records 96–100
 * and the LUNA records after it until fees catch up) and launch-style k or peg jumps. A negative
 * adjustment cost is NOT among them: a protocol gain is an ordinary outcome the labels should score.
 */
export const DEFAULT_LABEL_OUTLIER_RULES: readonly CurveOutlierRule[] = Object.freeze(['fee-pool-above-total-fee', 'large-k-change', 'large-repeg']);

export const SUCCESS_LABEL_DEFAULTS: SuccessLabelOptions = Object.freeze({
  windowHours: 24,
  openInterest: 'base',
  minOpenInterestChange: 0,
  maxCostToFees: 0.5,
  maxElapsedFactor: 3,
  excludeOutliers: true,
  outlierRules: DEFAULT_LABEL_OUTLIER_RULES,
});

/** Why an event carries no label. */
export type UnlabelledReason = 'no-change' | 'outlier' | 'no-later-record' | 'stale';

export interface EventOutcome {
  /** The curve record read as the window end. */
  readonly endRecordId: bigint;
  readonly endTs: number;
  /** Actual hours from the event to the window-end record (≥ windowHours). */
  readonly elapsedHours: number;
  /** Open interest at the event and at the window end, in the chosen measure (users, or base units). */
  readonly openInterestAtEvent: number;
  readonly openInterestAtEnd: number;
  /** Relative change; +Infinity when open interest grew from 0, 0 when it stayed at 0. */
  readonly openInterestChange: number;
  /** The event's adjustment cost (positive: the protocol paid). */
  readonly costUsd: number;
  /** Δtotal_fee from the event to the window end. */
  readonly feesUsd: number;
  /** costUsd / feesUsd; +Infinity for a positive cost with no fees, ≤ 0 for a gain. */
  readonly costToFees: number;
  readonly openInterestOk: boolean;
  readonly costOk: boolean;
}

export interface LabelledEvent {
  readonly record: CurveRecord;
  readonly kind: CurveEventKind;
  /** true success, false failure, null unlabelled (see `reason`). */
  readonly success: boolean | null;
  readonly reason: UnlabelledReason | null;
  /** Present whenever a window-end record was found (also for `stale` events). */
  readonly outcome: EventOutcome | null;
}

export interface ClassBalance {
  readonly positives: number;
  readonly negatives: number;
}

export interface SuccessLabelSet {
  readonly options: SuccessLabelOptions;
  /** Every record in time order (ts, then record id). */
  readonly events: LabelledEvent[];
  /** Labelled repeg and k events, pooled. */
  readonly balance: ClassBalance;
  readonly byKind: { readonly repeg: ClassBalance; readonly k: ClassBalance };
  /** Unlabelled counts by reason (`no-change` are the `none` records). */
  readonly unlabelled: Readonly<Record<UnlabelledReason, number>>;
}

function checkOption(name: string, value: number, ok: boolean, allowed: string): void {
  if (!ok) throw new InvalidArgumentError(`success labels: ${name} ${describeValue(value)} is not allowed; ${allowed}`);
}

/** Fill defaults and reject values that would make the labels meaningless. */
export function resolveSuccessLabelOptions(options: Partial<SuccessLabelOptions> = {}): SuccessLabelOptions {
  const o = { ...SUCCESS_LABEL_DEFAULTS, ...options };
  checkOption('windowHours', o.windowHours, Number.isFinite(o.windowHours) && o.windowHours > 0, 'allowed: a finite number of hours > 0');
  checkOption('minOpenInterestChange', o.minOpenInterestChange, Number.isFinite(o.minOpenInterestChange) && o.minOpenInterestChange >= -1,
    'allowed: a finite relative change ≥ −1');
  checkOption('maxCostToFees', o.maxCostToFees, Number.isFinite(o.maxCostToFees) && o.maxCostToFees >= 0, 'allowed: a finite ratio ≥ 0');
  checkOption('maxElapsedFactor', o.maxElapsedFactor, o.maxElapsedFactor >= 1, 'allowed: ≥ 1 (Infinity keeps every window end)');
  for (const rule of o.outlierRules) {
    if (!(rule in OUTLIER_RULES) || !OUTLIER_RULES[rule].startsWith('curve:')) {
      throw new InvalidArgumentError(`success labels: outlier rule ${describeValue(rule)} is not a curve rule; allowed: fee-pool-above-total-fee, negative-adjustment-cost, large-k-change, large-repeg`);
    }
  }
  if (o.openInterest !== 'users' && o.openInterest !== 'base') {
    throw new InvalidArgumentError(`success labels: openInterest ${describeValue(o.openInterest)} is not allowed; allowed: users, base`);
  }
  return o;
}

/** Open interest of a record in the chosen measure. */
export function openInterestOf(record: CurveRecord, measure: OpenInterestMeasure): number {
  return measure === 'users'
    ? Number(record.openInterest)
    : reserveRawToBase(record.baseAssetAmountLong + record.baseAssetAmountShort);
}

function relativeChange(from: number, to: number): number {
  if (from === 0) return to === 0 ? 0 : Infinity;
  return (to - from) / from;
}

/** Records sorted by event time; record id breaks ties (ids are the program's own sequence). */
export function byEventTime(records: readonly CurveRecord[]): CurveRecord[] {
  return [...records].sort((a, b) => a.ts - b.ts || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
}

function outcomeOf(event: CurveRecord, end: CurveRecord, o: SuccessLabelOptions): EventOutcome {
  const oiEvent = openInterestOf(event, o.openInterest);
  const oiEnd = openInterestOf(end, o.openInterest);
  const openInterestChange = relativeChange(oiEvent, oiEnd);
  const costUsd = quoteRawToUsd(event.adjustmentCost);
  const feesUsd = quoteRawToUsd(end.totalFee - event.totalFee);
  // A gain (cost ≤ 0) is fine whatever the fees; a cost with no fees after it is not.
  const costToFees = feesUsd > 0 ? costUsd / feesUsd : costUsd > 0 ? Infinity : costUsd < 0 ? -Infinity : 0;
  return {
    endRecordId: end.recordId,
    endTs: end.ts,
    elapsedHours: (end.ts - event.ts) / 3600,
    openInterestAtEvent: oiEvent,
    openInterestAtEnd: oiEnd,
    openInterestChange,
    costUsd,
    feesUsd,
    costToFees,
    openInterestOk: openInterestChange >= o.minOpenInterestChange,
    costOk: costToFees <= o.maxCostToFees,
  };
}

/**
 * Label every curve record. Repeg and k events get success/failure (or an unlabelled reason); `none`
 * records are kept, unlabelled, so callers can report them separately.
 */
export function labelCurveEvents(records: readonly CurveRecord[], options: Partial<SuccessLabelOptions> = {}): SuccessLabelSet {
  const o = resolveSuccessLabelOptions(options);
  const sorted = byEventTime(records);
  const byMarket = new Map<number, CurveRecord[]>();
  for (const r of sorted) {
    const list = byMarket.get(r.marketIndex);
    if (list) list.push(r);
    else byMarket.set(r.marketIndex, [r]);
  }
  const windowSec = o.windowHours * 3600;
  const outliers = new Set(flagCurveOutliers(sorted)
    .filter((f) => f.reasons.some((reason) => o.outlierRules.some((rule) => reason.startsWith(`${rule}:`))))
    .map((f) => f.recordId));
  const positionInMarket = new Map<CurveRecord, number>();
  for (const list of byMarket.values()) list.forEach((r, i) => positionInMarket.set(r, i));

  const events: LabelledEvent[] = sorted.map((record) => {
    const kind = curveEventKind(record);
    const market = byMarket.get(record.marketIndex)!;
    let end: CurveRecord | undefined;
    for (let i = positionInMarket.get(record)! + 1; i < market.length; i++) {
      if (market[i].ts >= record.ts + windowSec) {
        end = market[i];
        break;
      }
    }
    const outcome = end === undefined ? null : outcomeOf(record, end, o);
    let reason: UnlabelledReason | null = null;
    if (kind === 'none') reason = 'no-change';
    else if (o.excludeOutliers && outliers.has(record.recordId)) reason = 'outlier';
    else if (outcome === null) reason = 'no-later-record';
    else if (outcome.elapsedHours > o.maxElapsedFactor * o.windowHours) reason = 'stale';
    const success = reason === null ? outcome!.openInterestOk && outcome!.costOk : null;
    return { record, kind, success, reason, outcome };
  });

  const count = (kind: CurveEventKind | null): ClassBalance => {
    const of = events.filter((e) => e.success !== null && (kind === null || e.kind === kind));
    const positives = of.filter((e) => e.success).length;
    return { positives, negatives: of.length - positives };
  };
  const unlabelled: Record<UnlabelledReason, number> = { 'no-change': 0, outlier: 0, 'no-later-record': 0, stale: 0 };
  for (const e of events) if (e.reason !== null) unlabelled[e.reason] += 1;
  return { options: o, events, balance: count(null), byKind: { repeg: count('repeg'), k: count('k') }, unlabelled };
}
