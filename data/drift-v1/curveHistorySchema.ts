import type { CsvColumn, CsvLayout } from '../csv.js';

/**
 * protocol-v1 `state/history/curve.rs` CurveRecord as the flat-data scraper wrote it. Unsigned Rust
 * fields are UHUGEINT (a negative value is a format error), signed ones HUGEINT; `ts` is written with
 * a fixed -05:00 offset and is converted to unix seconds here, the one place that parses it.
 */
/** The columns every flat-data history record starts with: event time, record id, market. */
export const RECORD_HEAD_COLUMNS: readonly CsvColumn[] = [
  { header: 'ts', name: 'ts', type: 'TIMESTAMPTZ', select: 'epoch("ts")::BIGINT' },
  { header: 'record_id', name: 'record_id', type: 'UHUGEINT' },
  { header: 'market_index', name: 'market_index', type: 'UBIGINT' },
];

const recordColumns: readonly CsvColumn[] = [
  ...RECORD_HEAD_COLUMNS,
  { header: 'peg_multiplier_before', name: 'peg_multiplier_before', type: 'UHUGEINT' },
  { header: 'base_asset_reserve_before', name: 'base_asset_reserve_before', type: 'UHUGEINT' },
  { header: 'quote_asset_reserve_before', name: 'quote_asset_reserve_before', type: 'UHUGEINT' },
  { header: 'sqrt_k_before', name: 'sqrt_k_before', type: 'UHUGEINT' },
  { header: 'peg_multiplier_after', name: 'peg_multiplier_after', type: 'UHUGEINT' },
  { header: 'base_asset_reserve_after', name: 'base_asset_reserve_after', type: 'UHUGEINT' },
  { header: 'quote_asset_reserve_after', name: 'quote_asset_reserve_after', type: 'UHUGEINT' },
  { header: 'sqrt_k_after', name: 'sqrt_k_after', type: 'UHUGEINT' },
  { header: 'base_asset_amount_long', name: 'base_asset_amount_long', type: 'UHUGEINT' },
  { header: 'base_asset_amount_short', name: 'base_asset_amount_short', type: 'UHUGEINT' },
  { header: 'base_asset_amount', name: 'base_asset_amount', type: 'HUGEINT' },
  { header: 'open_interest', name: 'open_interest', type: 'UHUGEINT' },
  { header: 'total_fee', name: 'total_fee', type: 'UHUGEINT' },
  { header: 'total_fee_minus_distributions', name: 'total_fee_minus_distributions', type: 'UHUGEINT' },
  { header: 'adjustment_cost', name: 'adjustment_cost', type: 'HUGEINT' },
];

/** The scrape time of the snapshot that held the row (naive UTC); not the event time. */
const scrapedAt: CsvColumn = {
  header: '', name: 'scraped_at', type: 'TIMESTAMP', select: "strftime(\"scraped_at\", '%Y-%m-%dT%H:%M:%S.%fZ')",
};

/** `_hist` files carry pandas' unnamed scrape-time column first; the ring-buffer snapshots do not. */
export function scrapeLayouts(columns: readonly CsvColumn[]): readonly CsvLayout[] {
  return [
    { name: 'with-scrape-time', columns: [scrapedAt, ...columns] },
    { name: 'plain', columns },
  ];
}

export const CURVE_HISTORY_LAYOUTS: readonly CsvLayout[] = scrapeLayouts(recordColumns);
