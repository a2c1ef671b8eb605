/**
 * Traded volume over time from the curve history's fee accounting. Drift v1 kept no volume counter
 * we can read, but every curve record carries the market's cumulative `total_fee`, and each trade
 * adds fee = quote notional × 10/10000 to it. Between two consecutive records of a market,
 * Δtotal_fee / feeRate is the notional traded in that interval, and the interval's curve (peg,
 * sqrt_k) is the after-state of the record that opens it: repeg and update_k are the only
 * instructions that write curve records, and trades never change sqrt_k.
 *
 * Unit of observation: one interval between consecutive records of a market, its volume expressed
 * as a rate (USD per hour) and its length kept as the weight a regression should give it (a
 * 20-second interval between two admin clicks says almost nothing about the hourly rate; a
 * two-day interval says a lot). Regressors are the state at the interval's start, which is what a
 * policy acting at that record could see: the mark price, the oracle (last hourly funding TWAP at
 * or before the start), sqrt_k and the open interest.
 */
import { calculatePrice } from '../../env/amm/drift-v1/price.js';
import { markRawToUsd, pegRawToUsd, quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import type { CurveRecord } from './curveHistory.js';
import type { FundingRecord } from './fundingHistory.js';
import { marketSymbol } from './markets.js';

/** The protocol's default taker fee, DEFAULT_FEE_NUMERATOR/DENOMINATOR = 10/10000. */
export const DRIFT_V1_FEE_RATE = 0.001;

/**
 * Why an interval should not enter a fit as it stands:
 * - `zero-length`: both records carry the same second, so there is no rate;
 * - `fee-anomaly`: it starts or ends at a record whose |adjustment_cost| exceeds the market's whole
 *   total_fee. No repeg or k budget allows that; it is an admin fee-pool operation
 *   (the README's LUNA records 96–100), and the January program also raises total_fee on
 *   insurance-to-market transfers, so Δtotal_fee across such a record need not be trading;
 * - `fee-decrease`: total_fee went down, which no instruction does (a scrape or ordering error);
 * - `curve-gap`: the next record's before-curve is not this record's after-curve (a record is missing).
 */
export type VolumeIntervalFlag = 'zero-length' | 'fee-anomaly' | 'fee-decrease' | 'curve-gap';

export interface VolumeInterval {
  readonly marketIndex: number;
  readonly symbol: string;
  /** The records that open and close the interval. */
  readonly fromRecordId: bigint;
  readonly toRecordId: bigint;
  /** Unix seconds. */
  readonly fromTs: number;
  readonly toTs: number;
  readonly hours: number;
  /** Δtotal_fee, QUOTE_PRECISION (1e6). */
  readonly feeRaw: bigint;
  /** Δtotal_fee / feeRate, USD of notional traded. */
  readonly volumeUsd: number;
  /** volumeUsd / hours (NaN for a zero-length interval). */
  readonly volumeUsdPerHour: number;
  /** Mark price at the start (after-state of the opening record), USD. */
  readonly markUsd: number;
  /** Mark price at the end (before-state of the closing record), USD. */
  readonly markEndUsd: number;
  /** Last hourly oracle TWAP at or before the start, USD; null when funding history starts later. */
  readonly oracleUsd: number | null;
  /** sqrt_k during the interval, base units (constant: only update_k changes it). */
  readonly sqrtKBase: number;
  readonly pegUsd: number;
  /** Long + short open interest at the start, base units. */
  readonly openInterestBase: number;
  readonly flag: VolumeIntervalFlag | null;
}

export interface VolumeSeriesOptions {
  /** Fee rate that turns Δtotal_fee into notional. Default DRIFT_V1_FEE_RATE. */
  readonly feeRate?: number;
}

export interface VolumeSeries {
  readonly feeRate: number;
  /** Every interval of every market, by market then time. Flagged ones included. */
  readonly intervals: VolumeInterval[];
}

function isAnomalousRecord(r: CurveRecord): boolean {
  const cost = r.adjustmentCost < 0n ? -r.adjustmentCost : r.adjustmentCost;
  return cost > r.totalFee;
}

/** Last funding record at or before `ts` in a ts-sorted list (binary search), or null. */
function lastAtOrBefore(sorted: readonly FundingRecord[], ts: number): FundingRecord | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : sorted[lo - 1];
}

function groupByMarket<R extends { readonly marketIndex: number }>(records: readonly R[]): Map<number, R[]> {
  const by = new Map<number, R[]>();
  for (const r of records) {
    let list = by.get(r.marketIndex);
    if (list === undefined) by.set(r.marketIndex, (list = []));
    list.push(r);
  }
  return by;
}

/**
 * Build the volume intervals of every market from distinct curve records (as `loadCurveHistory`
 * returns them) and the funding history (for the oracle). Records are taken in record-id order
 * within each market; the output is ordered by market index, then time.
 */
export function buildVolumeSeries(
  curve: readonly CurveRecord[],
  funding: readonly FundingRecord[],
  options: VolumeSeriesOptions = {},
): VolumeSeries {
  const feeRate = options.feeRate ?? DRIFT_V1_FEE_RATE;
  if (!(feeRate > 0 && feeRate < 1)) {
    throw new InvalidArgumentError(`buildVolumeSeries: feeRate must be in (0, 1), got ${feeRate}`);
  }
  const fundingBy = groupByMarket([...funding].sort((a, b) => a.ts - b.ts || Number(a.recordId - b.recordId)));
  const curveBy = groupByMarket([...curve].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0)));
  const intervals: VolumeInterval[] = [];
  for (const market of [...curveBy.keys()].sort((a, b) => a - b)) {
    const records = curveBy.get(market)!;
    const oracles = fundingBy.get(market) ?? [];
    const anomalous = records.map(isAnomalousRecord);
    for (let i = 0; i + 1 < records.length; i++) {
      const a = records[i];
      const b = records[i + 1];
      const hours = (b.ts - a.ts) / 3600;
      const feeRaw = b.totalFee - a.totalFee;
      const volumeUsd = quoteRawToUsd(feeRaw) / feeRate;
      const oracle = lastAtOrBefore(oracles, a.ts);
      let flag: VolumeIntervalFlag | null = null;
      if (a.sqrtKAfter !== b.sqrtKBefore || a.pegMultiplierAfter !== b.pegMultiplierBefore) flag = 'curve-gap';
      else if (feeRaw < 0n) flag = 'fee-decrease';
      else if (anomalous[i] || anomalous[i + 1]) flag = 'fee-anomaly';
      else if (hours === 0) flag = 'zero-length';
      intervals.push({
        marketIndex: market,
        symbol: marketSymbol(market),
        fromRecordId: a.recordId,
        toRecordId: b.recordId,
        fromTs: a.ts,
        toTs: b.ts,
        hours,
        feeRaw,
        volumeUsd,
        volumeUsdPerHour: hours > 0 ? volumeUsd / hours : NaN,
        markUsd: markRawToUsd(calculatePrice(a.quoteAssetReserveAfter, a.baseAssetReserveAfter, a.pegMultiplierAfter)),
        markEndUsd: markRawToUsd(calculatePrice(b.quoteAssetReserveBefore, b.baseAssetReserveBefore, b.pegMultiplierBefore)),
        oracleUsd: oracle === null ? null : markRawToUsd(oracle.oraclePriceTwap),
        sqrtKBase: reserveRawToBase(a.sqrtKAfter),
        pegUsd: pegRawToUsd(a.pegMultiplierAfter),
        openInterestBase: reserveRawToBase(a.baseAssetAmountLong + a.baseAssetAmountShort),
        flag,
      });
    }
  }
  return { feeRate, intervals };
}
