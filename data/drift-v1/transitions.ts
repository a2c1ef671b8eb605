/**
 * Event-clock transitions of the admin's MDP from Drift v1's curve history (damm-parameter-
 * optimization.md §2.2.2: "approximate P numerically from Drift Protocol's trading data").
 *
 * One transition per curve record that has a successor in the same market:
 *
 * - state: the imbalance before the action, net user base / sqrt_k (the same ratio as
 *   drift-vamm-v0's obs[0], unclipped here; the binning clips), and the next state the same
 *   ratio at the next record of the market, before its action;
 * - action class: `repeg-up` / `repeg-down` when the peg moved, `k-up` / `k-down` when sqrt_k moved,
 *   `hold` when neither did (the 6 "update_k" records that left sqrt_k unchanged);
 * - reward: the change of total_fee_minus_distributions (tfmd) from this record's state before the
 *   action to the next record's state before its action. A record's tfmd is the value *after* its
 *   adjustment (drift-v1-math.md §1), so "before" is tfmd + adjustment_cost, and the reward is
 *   fees collected in between − this action's adjustment cost ± funding (and anything else that
 *   moved the pool), exact in bigint until converted to USD by units.ts.
 *
 * Markets differ by orders of magnitude (a BTC pool and a MATIC pool), so the reward is also given
 * in basis points of the AMM's depth in USD, sqrt_k (base) × peg (USD per base), which is the
 * quote-side value of the curve; `--market all` pools markets on that scale. The per-hour variant
 * divides by the time to the next record and is very noisy: the admin often acts in bursts seconds
 * apart, so a burst's cost divided by a few seconds dwarfs everything else.
 */
import { pegRawToUsd, quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import { UnexpectedCurveRecordError } from '../errors.js';
import type { CurveRecord } from './curveHistory.js';
import { flagCurveOutliers } from './outliers.js';

/** What the admin did at a curve record (each record changes the peg or sqrt_k, never both). */
export type CurveActionClass = 'hold' | 'repeg-up' | 'repeg-down' | 'k-up' | 'k-down';

export const CURVE_ACTION_CLASSES: readonly CurveActionClass[] = Object.freeze(['hold', 'repeg-up', 'repeg-down', 'k-up', 'k-down']);

/** How the transition reward is scaled (see the module comment). */
export type TransitionRewardUnit = 'usd' | 'depth-bps' | 'depth-bps-per-hour';

export const TRANSITION_REWARD_UNITS: readonly TransitionRewardUnit[] = Object.freeze(['usd', 'depth-bps', 'depth-bps-per-hour']);

/**
 * Records whose transitions are left out by default: those data/drift-v1/outliers.ts flags as
 * `large-k-change` (sqrt_k moved more than 1.75× in one update). On the bundled history these are
 * LUNA records 96, 98, 99 and 100 (2021-12-07 07:49–08:05 UTC: sqrt_k cut ~10×, then doubled three
 * times, while an admin top-up lifted tfmd above total_fee), a relaunch of the curve rather than a
 * tuning step; dropping every transition that touches them also drops 97, caught in between.
 * Later records flagged `fee-pool-above-total-fee` stay: the top-up is in the past, so their Δtfmd
 * is ordinary fee accounting.
 */
export function defaultExcludedRecords(records: readonly CurveRecord[]): bigint[] {
  return flagCurveOutliers(records).filter((f) => f.reasons.some((r) => r.startsWith('large-k-change'))).map((f) => f.recordId);
}

export interface CurveTransition {
  readonly marketIndex: number;
  readonly recordId: bigint;
  readonly nextRecordId: bigint;
  /** Unix seconds of this record and of the next one in the market. */
  readonly ts: number;
  readonly nextTs: number;
  /** Hours until the next record of the market (the event clock's step length). */
  readonly dtHours: number;
  readonly action: CurveActionClass;
  /** Net user base / sqrt_k before the action (drift-vamm-v0's obs[0] before clipping). */
  readonly imbalance: number;
  /** The same at the next record, before its action. */
  readonly nextImbalance: number;
  /** Δtfmd from before this action to before the next one, USD (= fees − adjustment cost + other). */
  readonly rewardUsd: number;
  /** Fees collected until the next record (Δ total_fee), USD. */
  readonly feesUsd: number;
  /** This record's adjustment cost, USD (positive: the protocol paid). */
  readonly adjustmentCostUsd: number;
  /** rewardUsd − feesUsd + adjustmentCostUsd: funding the pool received or paid, and any other pool move. */
  readonly otherUsd: number;
  /** sqrt_k (base) × peg (USD) before the action: the quote-side value of the curve, USD. */
  readonly depthUsd: number;
  /** rewardUsd in basis points of depthUsd. */
  readonly rewardDepthBps: number;
}

export interface DroppedRecord {
  readonly recordId: bigint;
  readonly marketIndex: number;
  /**
   * `last-of-market`: no later record, so no next state; `excluded`: the record or its successor
   * is in `excludeRecordIds`; `gap`: the next record's before-curve is not this one's after-curve
   * (a record is missing in between, so the pair is not one step).
   */
  readonly reason: 'last-of-market' | 'excluded' | 'gap';
}

export interface CurveTransitions {
  readonly transitions: CurveTransition[];
  readonly dropped: DroppedRecord[];
}

export interface CurveTransitionOptions {
  /** Only these market indices (default: all). */
  readonly markets?: readonly number[];
  /** Records whose transitions in and out are dropped (default `defaultExcludedRecords(records)`). */
  readonly excludeRecordIds?: readonly bigint[];
}

/** The admin's action class at a record, from its before/after peg and sqrt_k. */
export function curveActionClass(r: CurveRecord): CurveActionClass {
  if (r.pegMultiplierAfter > r.pegMultiplierBefore) return 'repeg-up';
  if (r.pegMultiplierAfter < r.pegMultiplierBefore) return 'repeg-down';
  if (r.sqrtKAfter > r.sqrtKBefore) return 'k-up';
  if (r.sqrtKAfter < r.sqrtKBefore) return 'k-down';
  return 'hold';
}

/** A curve no market can have (the program divides by both); the imbalance and depth would be meaningless. */
function checkCurve(r: CurveRecord): void {
  if (r.sqrtKBefore <= 0n || r.pegMultiplierBefore <= 0n) {
    throw new UnexpectedCurveRecordError(
      `curve record ${r.recordId} (market ${r.marketIndex}): sqrt_k_before ${r.sqrtKBefore} and peg_multiplier_before ${r.pegMultiplierBefore} must both be > 0`,
    );
  }
}

/** Net user base / sqrt_k before the record's action (drift-vamm-v0's obs[0] before clipping). */
export function curveImbalance(r: CurveRecord): number {
  checkCurve(r);
  return reserveRawToBase(r.baseAssetAmount) / reserveRawToBase(r.sqrtKBefore);
}

/** The reward of a transition in the chosen unit. */
export function transitionReward(t: CurveTransition, unit: TransitionRewardUnit): number {
  switch (unit) {
    case 'usd': return t.rewardUsd;
    case 'depth-bps': return t.rewardDepthBps;
    // dt of 0 (two records in one second) would divide by zero; one second is the clock's resolution
    case 'depth-bps-per-hour': return t.rewardDepthBps / Math.max(t.dtHours, 1 / 3600);
  }
}

/**
 * The event-clock transitions of every market in `records` (any order; each market is taken in
 * record-id order). Records without a usable successor are listed in `dropped` with the reason.
 */
export function curveTransitions(records: readonly CurveRecord[], options: CurveTransitionOptions = {}): CurveTransitions {
  const excluded = new Set(options.excludeRecordIds ?? defaultExcludedRecords(records));
  const markets = options.markets === undefined ? null : new Set(options.markets);
  const byMarket = new Map<number, CurveRecord[]>();
  for (const r of records) {
    if (markets !== null && !markets.has(r.marketIndex)) continue;
    let list = byMarket.get(r.marketIndex);
    if (list === undefined) byMarket.set(r.marketIndex, (list = []));
    list.push(r);
  }
  const transitions: CurveTransition[] = [];
  const dropped: DroppedRecord[] = [];
  for (const marketIndex of [...byMarket.keys()].sort((a, b) => a - b)) {
    const list = byMarket.get(marketIndex)!.sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
    list.forEach((r, i) => {
      const next = list[i + 1];
      const drop = (reason: DroppedRecord['reason']) => dropped.push({ recordId: r.recordId, marketIndex, reason });
      if (next === undefined) return drop('last-of-market');
      if (excluded.has(r.recordId) || excluded.has(next.recordId)) return drop('excluded');
      if (next.pegMultiplierBefore !== r.pegMultiplierAfter || next.sqrtKBefore !== r.sqrtKAfter) return drop('gap');
      transitions.push(transitionOf(r, next));
    });
  }
  return { transitions, dropped };
}

function transitionOf(r: CurveRecord, next: CurveRecord): CurveTransition {
  const tfmdBefore = r.totalFeeMinusDistributions + r.adjustmentCost;
  const nextTfmdBefore = next.totalFeeMinusDistributions + next.adjustmentCost;
  const rewardUsd = quoteRawToUsd(nextTfmdBefore - tfmdBefore);
  const feesUsd = quoteRawToUsd(next.totalFee - r.totalFee);
  const adjustmentCostUsd = quoteRawToUsd(r.adjustmentCost);
  checkCurve(r);
  const depthUsd = reserveRawToBase(r.sqrtKBefore) * pegRawToUsd(r.pegMultiplierBefore);
  return {
    marketIndex: r.marketIndex,
    recordId: r.recordId,
    nextRecordId: next.recordId,
    ts: r.ts,
    nextTs: next.ts,
    dtHours: (next.ts - r.ts) / 3600,
    action: curveActionClass(r),
    imbalance: curveImbalance(r),
    nextImbalance: curveImbalance(next),
    rewardUsd,
    feesUsd,
    adjustmentCostUsd,
    otherUsd: quoteRawToUsd(nextTfmdBefore - tfmdBefore - (next.totalFee - r.totalFee) + r.adjustmentCost),
    depthUsd,
    rewardDepthBps: (rewardUsd / depthUsd) * 1e4,
  };
}
