import { readTypedCsv, type CsvColumn, type CsvLayout } from '../csv.js';
import { dedupeByRecordId } from './dedupe.js';

/**
 * One taker trade against the vAMM (protocol-v1 `state/history/trade.rs` TradeRecord), raw protocol
 * integers: base 1e13, quote and fees 1e6 (USDC), prices 1e10 (USD per base).
 */
export interface TradeRecord {
  /** Event time, unix seconds. */
  readonly ts: number;
  readonly recordId: bigint;
  /** The wallet (base58). */
  readonly userAuthority: string;
  /** The wallet's clearing-house user account (base58). */
  readonly user: string;
  /** Taker direction: long bought base from the AMM. */
  readonly direction: 'long' | 'short';
  /** Absolute size, 1e13. */
  readonly baseAssetAmount: bigint;
  /** Notional, 1e6 USDC. */
  readonly quoteAssetAmount: bigint;
  readonly markPriceBefore: bigint;
  readonly markPriceAfter: bigint;
  /** Taker fee, 1e6 (negative only in the April-2022 layout, for maker rebates). */
  readonly fee: bigint;
  /** 1e6. The April-2022 layout has no such column (its slot became quote_asset_amount_surplus): 0 there. */
  readonly referrerReward: bigint;
  readonly refereeDiscount: bigint;
  readonly tokenDiscount: bigint;
  readonly liquidation: boolean;
  readonly marketIndex: number;
  readonly oraclePrice: bigint;
  /** 1e6; only the April-2022 layout records it, null in the January-2022 one. */
  readonly quoteAssetAmountSurplus: bigint | null;
}

export interface TradeSnapshot {
  readonly file: string;
  /** 'jan2022' (referrer_reward) or 'apr2022' (quote_asset_amount_surplus, signed fee). */
  readonly layout: string;
  /** Data rows in the file. */
  readonly rows: number;
  /** Distinct trades, sorted by record id. */
  readonly records: TradeRecord[];
  /**
   * 0-based data-row index where record ids first go backwards (the ring buffer's write head: the file
   * is in slot order), or null if the file was already in record order.
   */
  readonly ringWrapAt: number | null;
  /** How many times record ids go backwards in file order (1 for one rotated ring snapshot). */
  readonly backwardJumps: number;
  /** Rows dropped as exact copies of a trade already read (concatenated snapshots). */
  readonly duplicates: number;
  /** Rows dropped as empty ring-buffer slots (record id 0 at unix time 0). */
  readonly emptySlots: number;
}

export const POSITION_DIRECTIONS = { 'PositionDirection.Long()': 'long', 'PositionDirection.Short()': 'short' } as const;
const PYTHON_BOOLEANS = ['True', 'False'] as const;

const u128 = (name: string): CsvColumn => ({ header: name, name, type: 'UHUGEINT' });
const i128 = (name: string): CsvColumn => ({ header: name, name, type: 'HUGEINT' });

const head: readonly CsvColumn[] = [
  { header: 'ts', name: 'ts', type: 'TIMESTAMPTZ', select: 'epoch("ts")::BIGINT' },
  u128('record_id'),
  { header: 'user_authority', name: 'user_authority', type: 'VARCHAR' },
  { header: 'user', name: 'user', type: 'VARCHAR' },
  {
    header: 'direction', name: 'direction', type: 'VARCHAR', allowed: Object.keys(POSITION_DIRECTIONS),
    select: `CASE "direction" ${Object.entries(POSITION_DIRECTIONS).map(([text, d]) => `WHEN '${text}' THEN '${d}'`).join(' ')} END`,
  },
  u128('base_asset_amount'), u128('quote_asset_amount'), u128('mark_price_before'), u128('mark_price_after'),
];
const tail: readonly CsvColumn[] = [
  u128('referee_discount'), u128('token_discount'),
  { header: 'liquidation', name: 'liquidation', type: 'VARCHAR', allowed: PYTHON_BOOLEANS, select: `"liquidation" = 'True'` },
  { header: 'market_index', name: 'market_index', type: 'UBIGINT' },
  i128('oracle_price'),
];

/**
 * The flat-data scraper's trade_history.csv. In January 2022 the field after `fee` (u128) was
 * `referrer_reward`; from April 2022 it is `quote_asset_amount_surplus` and `fee` is i128.
 */
export const TRADE_SNAPSHOT_LAYOUTS: readonly CsvLayout[] = [
  { name: 'jan2022', columns: [...head, u128('fee'), u128('referrer_reward'), ...tail] },
  { name: 'apr2022', columns: [...head, i128('fee'), i128('quote_asset_amount_surplus'), ...tail] },
];

function toRecord(row: Record<string, unknown>): TradeRecord {
  const b = (k: string): bigint => row[k] as bigint;
  return {
    ts: Number(row.ts),
    recordId: b('record_id'),
    userAuthority: row.user_authority as string,
    user: row.user as string,
    direction: row.direction as 'long' | 'short',
    baseAssetAmount: b('base_asset_amount'),
    quoteAssetAmount: b('quote_asset_amount'),
    markPriceBefore: b('mark_price_before'),
    markPriceAfter: b('mark_price_after'),
    fee: b('fee'),
    referrerReward: (row.referrer_reward as bigint | undefined) ?? 0n,
    refereeDiscount: b('referee_discount'),
    tokenDiscount: b('token_discount'),
    liquidation: row.liquidation as boolean,
    marketIndex: Number(row.market_index),
    oraclePrice: b('oracle_price'),
    quoteAssetAmountSurplus: (row.quote_asset_amount_surplus as bigint | undefined) ?? null,
  };
}

/** A never-written ring slot: zeroed account memory read back as a trade at unix time 0. */
function isEmptySlot(record: TradeRecord): boolean {
  return record.ts === 0 && record.recordId === 0n;
}

/**
 * Load a flat-data trade snapshot. The on-chain TradeHistory is a 1,024-slot ring, so the file is in
 * slot order (it wraps once); records come back sorted by record id with the wrap position reported.
 * Copies of a trade (from concatenated snapshots) are dropped; copies that disagree are an error.
 */
export async function loadTradeSnapshot(file: string): Promise<TradeSnapshot> {
  const { layout, rows } = await readTypedCsv(file, TRADE_SNAPSHOT_LAYOUTS);
  const inFileOrder = rows.map(toRecord);
  const kept = inFileOrder.filter((r) => !isEmptySlot(r));
  let ringWrapAt: number | null = null;
  let backwardJumps = 0;
  let previous: bigint | null = null;
  for (const [i, r] of inFileOrder.entries()) {
    if (isEmptySlot(r)) continue;
    if (previous !== null && r.recordId < previous) {
      backwardJumps++;
      ringWrapAt ??= i;
    }
    previous = r.recordId;
  }
  const { records, duplicates } = dedupeByRecordId(file, 'trade', kept);
  return { file, layout, rows: rows.length, records, ringWrapAt, backwardJumps, duplicates, emptySlots: inFileOrder.length - kept.length };
}
