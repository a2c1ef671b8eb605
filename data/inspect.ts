import { basename } from 'node:path';
import { connectDuckDb, sqlString } from './duckdb.js';
import { loadDriftHistory, type DriftHistory } from './drift-v1/history.js';
import { marketSymbol } from './drift-v1/markets.js';
import { countByRule, type OutlierFlag } from './drift-v1/outliers.js';

/** One market's share of a file. */
export interface MarketCoverage {
  readonly marketIndex: number;
  readonly symbol: string;
  /** Data rows of this market, re-scraped copies included. */
  readonly rows: number;
  /** Distinct records of this market. */
  readonly records: number;
  /** First and last event time, ISO UTC (null without records). */
  readonly from: string | null;
  readonly to: string | null;
  /** Longest time between consecutive records of this market, hours (null with fewer than two). */
  readonly largestGapHours: number | null;
  readonly outliers: number;
}

export interface FileInspection {
  /** File name in the data directory. */
  readonly name: string;
  readonly kind: 'curve-history' | 'funding-rate-history' | 'trade-snapshot' | 'markets-state';
  /** The header layout recognised (e.g. with-scrape-time, jan2022, transposed). */
  readonly layout: string;
  /** Data rows (lines after the header). */
  readonly rows: number;
  /** Records kept: distinct record ids (markets for the markets-state file). */
  readonly distinctRecords: number;
  /** Rows dropped as re-scraped copies of a record. */
  readonly duplicates: number;
  /** Rows dropped as never-written ring-buffer slots. */
  readonly emptySlots: number;
  /** Event time range over the whole file, ISO UTC. */
  readonly from: string | null;
  readonly to: string | null;
  /** First and last record id and how many ids in between are absent (null for the markets state). */
  readonly recordIds: { readonly first: bigint; readonly last: bigint; readonly missing: bigint } | null;
  readonly markets: MarketCoverage[];
  readonly outliers: { readonly flagged: number; readonly byRule: Record<string, number>; readonly records: OutlierFlag[] };
  /** File-specific facts (event types, ring-buffer wrap, trader count…). */
  readonly details: Record<string, number | string | null>;
}

export interface InspectReport {
  readonly dataDir: string;
  /** The market index the per-market lists are restricted to, or null for all. */
  readonly market: number | null;
  readonly files: FileInspection[];
}

interface Timed {
  readonly ts: number;
  readonly recordId: bigint;
  readonly marketIndex: number;
}

const iso = (ts: number): string => new Date(ts * 1000).toISOString().replace('.000Z', 'Z');

function range(ts: readonly number[]): { from: string | null; to: string | null } {
  if (ts.length === 0) return { from: null, to: null };
  let lo = ts[0];
  let hi = ts[0];
  for (const t of ts) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { from: iso(lo), to: iso(hi) };
}

function largestGapHours(ts: readonly number[]): number | null {
  if (ts.length < 2) return null;
  const sorted = [...ts].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  return gap / 3600;
}

function recordIdSpan(records: readonly Timed[]): FileInspection['recordIds'] {
  if (records.length === 0) return null;
  const first = records[0].recordId;
  const last = records[records.length - 1].recordId;
  return { first, last, missing: last - first + 1n - BigInt(records.length) };
}

/** Rows per market with duplicates included (the loaders return distinct records only). */
async function rowsPerMarket(file: string): Promise<Map<number, number>> {
  const con = await connectDuckDb();
  try {
    // The typed load has already validated the file; this only counts its market_index column.
    const rows = (await con.runAndReadAll(`SELECT market_index::UBIGINT AS m, count(*)::INTEGER AS n
      FROM read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ',', quote = '"') GROUP BY 1`)).getRowObjectsJS();
    return new Map(rows.map((r) => [Number(r.m), Number(r.n)]));
  } finally {
    con.closeSync();
  }
}

function coverage(records: readonly Timed[], rowCounts: Map<number, number>, flags: readonly OutlierFlag[], market: number | null): MarketCoverage[] {
  const indices = new Set<number>([...records.map((r) => r.marketIndex), ...rowCounts.keys()]);
  if (market !== null) {
    indices.clear();
    indices.add(market);
  }
  return [...indices].sort((a, b) => a - b).map((m) => {
    const ts = records.filter((r) => r.marketIndex === m).map((r) => r.ts);
    return {
      marketIndex: m, symbol: marketSymbol(m), rows: rowCounts.get(m) ?? 0, records: ts.length, ...range(ts),
      largestGapHours: largestGapHours(ts), outliers: flags.filter((f) => f.marketIndex === m).length,
    };
  });
}

function outlierSummary(flags: readonly OutlierFlag[], market: number | null): FileInspection['outliers'] {
  const shown = market === null ? flags : flags.filter((f) => f.marketIndex === market);
  return { flagged: shown.length, byRule: countByRule(shown) as Record<string, number>, records: [...shown] };
}

async function inspectRecordFile(
  kind: 'curve-history' | 'funding-rate-history' | 'trade-snapshot',
  loaded: { file: string; layout: string; rows: number; records: readonly Timed[]; duplicates: number; emptySlots?: number },
  flags: readonly OutlierFlag[], market: number | null, details: FileInspection['details'],
): Promise<FileInspection> {
  return {
    name: basename(loaded.file), kind, layout: loaded.layout, rows: loaded.rows, distinctRecords: loaded.records.length,
    duplicates: loaded.duplicates, emptySlots: loaded.emptySlots ?? 0, ...range(loaded.records.map((r) => r.ts)),
    recordIds: recordIdSpan(loaded.records),
    markets: coverage(loaded.records, await rowsPerMarket(loaded.file), flags, market),
    outliers: outlierSummary(flags, market), details,
  };
}

function marketsStateInspection(history: DriftHistory, market: number | null): FileInspection {
  const { markets } = history;
  const shown = markets.markets.filter((m) => market === null || m.marketIndex === market);
  const times = markets.markets.flatMap((m) => [m.lastFundingRateTs, m.lastMarkPriceTwapTs]);
  const perMarket: MarketCoverage[] = (market === null ? markets.markets.map((m) => m.marketIndex) : [market]).map((index) => {
    const m = shown.find((s) => s.marketIndex === index);
    const ts = m === undefined ? [] : [m.lastFundingRateTs, m.lastMarkPriceTwapTs];
    return { marketIndex: index, symbol: marketSymbol(index), rows: m === undefined ? 0 : 1, records: m === undefined ? 0 : 1, ...range(ts), largestGapHours: null, outliers: 0 };
  });
  return {
    name: basename(markets.file), kind: 'markets-state', layout: 'transposed', rows: markets.rows, distinctRecords: markets.markets.length,
    duplicates: markets.repeatedFields.length, emptySlots: 0, ...range(times), recordIds: null, markets: perMarket,
    outliers: { flagged: 0, byRule: {}, records: [] },
    details: {
      fields: markets.rows - markets.repeatedFields.length,
      repeatedFields: markets.repeatedFields.join(', ') || null,
      unknownFields: markets.unknownFields.join(', ') || null,
    },
  };
}

function curveDetails(history: DriftHistory): FileInspection['details'] {
  const records = history.curve.records;
  const repegs = records.filter((r) => r.pegMultiplierAfter !== r.pegMultiplierBefore).length;
  const kChanges = records.filter((r) => r.sqrtKAfter !== r.sqrtKBefore).length;
  return {
    repegs, kChanges, unchanged: records.length - repegs - kChanges,
    negativeAdjustmentCosts: records.filter((r) => r.adjustmentCost < 0n).length,
    scrapedFrom: records.reduce<string | null>((lo, r) => (r.scrapedAt !== null && (lo === null || r.scrapedAt < lo) ? r.scrapedAt : lo), null),
  };
}

function fundingDetails(history: DriftHistory): FileInspection['details'] {
  const records = history.funding.records;
  return { longShortRatesDiffer: records.filter((r) => r.cumulativeFundingRateLong !== r.cumulativeFundingRateShort).length };
}

function tradeDetails(history: DriftHistory): FileInspection['details'] {
  const { records, ringWrapAt, backwardJumps } = history.trades;
  return {
    ringWrapAt, backwardJumps, longs: records.filter((r) => r.direction === 'long').length,
    shorts: records.filter((r) => r.direction === 'short').length, traders: new Set(records.map((r) => r.userAuthority)).size,
    liquidations: records.filter((r) => r.liquidation).length,
  };
}

/** What `damm-gym data inspect` reports, from an already loaded history. */
export async function inspectHistory(history: DriftHistory, market: number | null = null): Promise<InspectReport> {
  const { curve, funding, trades, outliers } = history;
  const files = [
    await inspectRecordFile('curve-history', curve, outliers.curve, market, curveDetails(history)),
    await inspectRecordFile('funding-rate-history', funding, outliers.funding, market, fundingDetails(history)),
    await inspectRecordFile('trade-snapshot', trades, outliers.trades, market, tradeDetails(history)),
    marketsStateInspection(history, market),
  ];
  return { dataDir: history.dataDir, market, files };
}

/** Load every Drift v1 file of `dataDir` and describe it: rows, distinct records, time range, per-market coverage, outliers. */
export async function inspectDriftData(dataDir: string, market: number | null = null): Promise<InspectReport> {
  return inspectHistory(await loadDriftHistory(dataDir), market);
}
