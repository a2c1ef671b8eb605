import { readTypedCsv } from '../csv.js';
import { dedupeByRecordId } from './dedupe.js';
import { CURVE_HISTORY_LAYOUTS } from './curveHistorySchema.js';

/** One repeg / update_k record, raw protocol integers (precisions as in drift-v1-math.md §1). */
export interface CurveRecord {
  /** Event time, unix seconds. */
  readonly ts: number;
  readonly recordId: bigint;
  readonly marketIndex: number;
  readonly pegMultiplierBefore: bigint;
  readonly baseAssetReserveBefore: bigint;
  readonly quoteAssetReserveBefore: bigint;
  readonly sqrtKBefore: bigint;
  readonly pegMultiplierAfter: bigint;
  readonly baseAssetReserveAfter: bigint;
  readonly quoteAssetReserveAfter: bigint;
  readonly sqrtKAfter: bigint;
  readonly baseAssetAmountLong: bigint;
  /** Absolute value: the program writes `unsigned_abs()` of the (negative) market field. */
  readonly baseAssetAmountShort: bigint;
  /** Net user position d = long − short, signed. */
  readonly baseAssetAmount: bigint;
  /** Number of users with a position (a count, not a size). */
  readonly openInterest: bigint;
  readonly totalFee: bigint;
  readonly totalFeeMinusDistributions: bigint;
  /** Positive: the protocol paid; negative: it earned. */
  readonly adjustmentCost: bigint;
  /** Scrape time of the first snapshot that held the record (ISO, UTC), or null in the plain layout. */
  readonly scrapedAt: string | null;
}

export interface CurveHistory {
  readonly file: string;
  readonly layout: string;
  /** Data rows in the file. */
  readonly rows: number;
  /** Distinct records kept, sorted by record id. */
  readonly records: CurveRecord[];
  /** Rows dropped as exact re-scrapes of a record already seen. */
  readonly duplicates: number;
  /** Rows dropped as empty ring-buffer slots (all zero, unix-0 timestamp). */
  readonly emptySlots: number;
}

const FIELDS = [
  'peg_multiplier_before', 'base_asset_reserve_before', 'quote_asset_reserve_before', 'sqrt_k_before',
  'peg_multiplier_after', 'base_asset_reserve_after', 'quote_asset_reserve_after', 'sqrt_k_after',
  'base_asset_amount_long', 'base_asset_amount_short', 'base_asset_amount', 'open_interest',
  'total_fee', 'total_fee_minus_distributions', 'adjustment_cost',
] as const;

function toRecord(row: Record<string, unknown>): CurveRecord {
  const b = (k: string): bigint => row[k] as bigint;
  return {
    ts: Number(row.ts),
    recordId: b('record_id'),
    marketIndex: Number(row.market_index),
    pegMultiplierBefore: b('peg_multiplier_before'),
    baseAssetReserveBefore: b('base_asset_reserve_before'),
    quoteAssetReserveBefore: b('quote_asset_reserve_before'),
    sqrtKBefore: b('sqrt_k_before'),
    pegMultiplierAfter: b('peg_multiplier_after'),
    baseAssetReserveAfter: b('base_asset_reserve_after'),
    quoteAssetReserveAfter: b('quote_asset_reserve_after'),
    sqrtKAfter: b('sqrt_k_after'),
    baseAssetAmountLong: b('base_asset_amount_long'),
    baseAssetAmountShort: b('base_asset_amount_short'),
    baseAssetAmount: b('base_asset_amount'),
    openInterest: b('open_interest'),
    totalFee: b('total_fee'),
    totalFeeMinusDistributions: b('total_fee_minus_distributions'),
    adjustmentCost: b('adjustment_cost'),
    scrapedAt: (row.scraped_at as string | undefined) ?? null,
  };
}

/** An unwritten ring-buffer slot: the account's zeroed memory, read as a record at unix time 0. */
function isEmptySlot(row: Record<string, unknown>): boolean {
  return Number(row.ts) === 0 || (row.record_id === 0n && FIELDS.every((k) => row[k] === 0n));
}

/**
 * Load a Drift v1 curve history CSV (either layout). Re-scraped copies of a record are dropped; a copy
 * that disagrees with the first in any field but the scrape time is an error, since one of them
 * would be silently wrong.
 */
export async function loadCurveHistory(file: string): Promise<CurveHistory> {
  const { layout, rows } = await readTypedCsv(file, CURVE_HISTORY_LAYOUTS);
  const kept = rows.filter((row) => !isEmptySlot(row));
  const { records, duplicates } = dedupeByRecordId(file, 'curve', kept.map(toRecord));
  return { file, layout, rows: rows.length, records, duplicates, emptySlots: rows.length - kept.length };
}
