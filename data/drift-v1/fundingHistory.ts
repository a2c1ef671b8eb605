import { readTypedCsv, type CsvColumn, type CsvLayout } from '../csv.js';
import { dedupeByRecordId } from './dedupe.js';
import { RECORD_HEAD_COLUMNS, scrapeLayouts } from './curveHistorySchema.js';

/**
 * One hourly funding update (protocol-v1 `state/history/funding_rate.rs` FundingRateRecord), raw
 * protocol integers: rates 1e14 (USD per base per period), TWAPs 1e10 (USD).
 */
export interface FundingRecord {
  /** Event time, unix seconds. */
  readonly ts: number;
  readonly recordId: bigint;
  readonly marketIndex: number;
  /** (mark_twap − oracle_twap)·1e4/24; positive: longs pay shorts. */
  readonly fundingRate: bigint;
  readonly cumulativeFundingRateLong: bigint;
  readonly cumulativeFundingRateShort: bigint;
  readonly oraclePriceTwap: bigint;
  readonly markPriceTwap: bigint;
  /** Scrape time of the first snapshot that held the record (ISO, UTC), or null in the plain layout. */
  readonly scrapedAt: string | null;
}

export interface FundingHistory {
  readonly file: string;
  readonly layout: string;
  /** Data rows in the file. */
  readonly rows: number;
  /** Distinct records, sorted by record id. */
  readonly records: FundingRecord[];
  /** Rows dropped as exact re-scrapes of a record already seen. */
  readonly duplicates: number;
}

const recordColumns: readonly CsvColumn[] = [
  ...RECORD_HEAD_COLUMNS,
  { header: 'funding_rate', name: 'funding_rate', type: 'HUGEINT' },
  { header: 'cumulative_funding_rate_long', name: 'cumulative_funding_rate_long', type: 'HUGEINT' },
  { header: 'cumulative_funding_rate_short', name: 'cumulative_funding_rate_short', type: 'HUGEINT' },
  { header: 'oracle_price_twap', name: 'oracle_price_twap', type: 'HUGEINT' },
  { header: 'mark_price_twap', name: 'mark_price_twap', type: 'UHUGEINT' },
];

/** `_hist` files carry pandas' unnamed scrape-time column first; flat-data's ring snapshots do not. */
export const FUNDING_HISTORY_LAYOUTS: readonly CsvLayout[] = scrapeLayouts(recordColumns);

function toRecord(row: Record<string, unknown>): FundingRecord {
  return {
    ts: Number(row.ts),
    recordId: row.record_id as bigint,
    marketIndex: Number(row.market_index),
    fundingRate: row.funding_rate as bigint,
    cumulativeFundingRateLong: row.cumulative_funding_rate_long as bigint,
    cumulativeFundingRateShort: row.cumulative_funding_rate_short as bigint,
    oraclePriceTwap: row.oracle_price_twap as bigint,
    markPriceTwap: row.mark_price_twap as bigint,
    scrapedAt: (row.scraped_at as string | undefined) ?? null,
  };
}

/**
 * Load a Drift v1 funding-rate history CSV (either layout). Re-scraped copies of a record are
 * dropped; a copy that disagrees with the first is an error.
 */
export async function loadFundingHistory(file: string): Promise<FundingHistory> {
  const { layout, rows } = await readTypedCsv(file, FUNDING_HISTORY_LAYOUTS);
  const { records, duplicates } = dedupeByRecordId(file, 'funding', rows.map(toRecord));
  return { file, layout, rows: rows.length, records, duplicates };
}
