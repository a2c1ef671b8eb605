import { readFile } from 'node:fs/promises';
import { readCsvHeader, readTypedCsv, type CsvColumn } from '../csv.js';
import { CsvFormatError } from '../errors.js';
import { DRIFT_V1_MARKETS } from './markets.js';

/**
 * One market's AMM state from flat-data's markets_state.csv. The scraper had already converted the
 * protocol integers to floats, so values are in natural units as the file has them (no raw precision
 * applies): base amounts, reserves and sqrt_k in base units, prices and fees in USD.
 */
export interface MarketState {
  readonly marketIndex: number;
  /** The program's name, e.g. SOL-PERP. */
  readonly marketName: string;
  /** Pyth price account (base58). */
  readonly oracle: string;
  readonly initialized: boolean;
  /** Net user position, base units (long − short). */
  readonly baseAssetAmount: number;
  readonly baseAssetAmountLong: number;
  /** Negative here (the market field, not the curve record's absolute value). */
  readonly baseAssetAmountShort: number;
  /** Number of users with a position (a count). */
  readonly openInterest: number;
  readonly baseAssetReserve: number;
  readonly quoteAssetReserve: number;
  readonly sqrtK: number;
  readonly cumulativeFundingRateLongUsd: number;
  readonly cumulativeFundingRateShortUsd: number;
  /** USD per base per funding period (hour). */
  readonly lastFundingRateUsd: number;
  /** Unix seconds. */
  readonly lastFundingRateTs: number;
  readonly lastOraclePriceTwapUsd: number;
  readonly lastMarkPriceTwapUsd: number;
  /** Unix seconds. */
  readonly lastMarkPriceTwapTs: number;
  readonly pegMultiplierUsd: number;
  readonly totalFeeUsd: number;
  readonly totalFeeMinusDistributionsUsd: number;
  readonly totalFeeWithdrawnUsd: number;
  readonly markPriceUsd: number;
}

export interface MarketsState {
  readonly file: string;
  /** Data rows (one per field, duplicates included). */
  readonly rows: number;
  /** One entry per market column, in column order. */
  readonly markets: MarketState[];
  /** Rows whose field name this loader does not know (kept out of `markets`, listed so nothing is silently ignored). */
  readonly unknownFields: string[];
  /** Field rows that appear more than once (with equal values, e.g. `initialized`). */
  readonly repeatedFields: string[];
}

type Kind = 'number' | 'count' | 'bool' | 'text' | 'pubkey' | 'utc';

/** Each field the loader needs, its kind and the MarketState key it fills. */
const FIELDS: readonly (readonly [string, Kind, keyof MarketState])[] = [
  ['initialized', 'bool', 'initialized'],
  ['base_asset_amount', 'number', 'baseAssetAmount'],
  ['base_asset_amount_long', 'number', 'baseAssetAmountLong'],
  ['base_asset_amount_short', 'number', 'baseAssetAmountShort'],
  ['open_interest', 'count', 'openInterest'],
  ['market_index', 'count', 'marketIndex'],
  ['market_name', 'text', 'marketName'],
  ['oracle', 'pubkey', 'oracle'],
  ['base_asset_reserve', 'number', 'baseAssetReserve'],
  ['quote_asset_reserve', 'number', 'quoteAssetReserve'],
  ['cumulative_funding_rate_long', 'number', 'cumulativeFundingRateLongUsd'],
  ['cumulative_funding_rate_short', 'number', 'cumulativeFundingRateShortUsd'],
  ['last_funding_rate', 'number', 'lastFundingRateUsd'],
  ['last_funding_rate_ts', 'utc', 'lastFundingRateTs'],
  ['last_oracle_price_twap', 'number', 'lastOraclePriceTwapUsd'],
  ['last_mark_price_twap', 'number', 'lastMarkPriceTwapUsd'],
  ['last_mark_price_twap_ts', 'utc', 'lastMarkPriceTwapTs'],
  ['sqrt_k', 'number', 'sqrtK'],
  ['peg_multiplier', 'number', 'pegMultiplierUsd'],
  ['total_fee', 'number', 'totalFeeUsd'],
  ['total_fee_minus_distributions', 'number', 'totalFeeMinusDistributionsUsd'],
  ['total_fee_withdrawn', 'number', 'totalFeeWithdrawnUsd'],
  ['mark_price', 'number', 'markPriceUsd'],
];

const PARSERS: Record<Kind, { pattern: RegExp; what: string; parse: (s: string) => number | boolean | string | null }> = {
  number: { pattern: /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, what: 'a decimal number', parse: Number },
  count: { pattern: /^\d+$/, what: 'a non-negative integer', parse: Number },
  bool: { pattern: /^(True|False)$/, what: 'True or False', parse: (s) => s === 'True' },
  text: { pattern: /^\S.*$/, what: 'non-empty text', parse: (s) => s },
  pubkey: { pattern: /^[1-9A-HJ-NP-Za-km-z]{32,44}$/, what: 'a base58 public key (32–44 characters)', parse: (s) => s },
  utc: { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/, what: 'a naive UTC timestamp (e.g. 2022-01-06 11:00:01)', parse: parseNaiveUtc },
};

/** Unix seconds of a naive UTC timestamp, or null for an impossible date (Feb 30 must not roll over). */
function parseNaiveUtc(s: string): number | null {
  const iso = `${s.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== iso.slice(0, 19)) return null;
  return ms / 1000;
}

/**
 * Load flat-data's transposed markets_state.csv (one row per field, one column per market index).
 * Every known field must be present and parse; a field that appears twice (`initialized` does) must
 * say the same both times; `market_index` must match its column and `market_name` the market table.
 */
export async function loadMarketsState(file: string): Promise<MarketsState> {
  const header = await readCsvHeader(file);
  const marketColumns = header.slice(1);
  if (header[0] !== '') throw new CsvFormatError(file, 1, '#1', header[0], 'the first header field must be empty (the field-name column)');
  for (const [k, h] of marketColumns.entries()) {
    if (!/^\d+$/.test(h)) throw new CsvFormatError(file, 1, `#${k + 2}`, h, 'market columns must be headed by a market index (0, 1, …)');
  }
  const columns: CsvColumn[] = [
    { header: '', name: 'field', type: 'VARCHAR' },
    ...marketColumns.map((h): CsvColumn => ({ header: h, name: `market_${h}`, type: 'VARCHAR' })),
  ];
  const { rows } = await readTypedCsv(file, [{ name: 'transposed', columns }]);
  const lineOf = await fieldLines(file);

  const byField = new Map<string, { cells: string[]; line: number }>();
  const seen = new Map<string, number>();
  const unknownFields: string[] = [];
  const repeatedFields = new Set<string>();
  const known = new Set(FIELDS.map(([name]) => name));
  for (const row of rows) {
    const field = row.field as string;
    const occurrence = seen.get(field) ?? 0;
    seen.set(field, occurrence + 1);
    const line = lineOf(field, occurrence);
    const cells = marketColumns.map((h) => row[`market_${h}`] as string);
    const first = byField.get(field);
    if (first !== undefined) {
      repeatedFields.add(field);
      const k = cells.findIndex((c, i) => c !== first.cells[i]);
      if (k >= 0) {
        throw new CsvFormatError(file, line, marketColumns[k], cells[k],
          `field ${JSON.stringify(field)} repeats line ${first.line} with a different value (${JSON.stringify(first.cells[k])}); repeated fields must agree`);
      }
      continue;
    }
    byField.set(field, { cells, line });
    if (!known.has(field)) unknownFields.push(field);
  }

  const missing = FIELDS.map(([name]) => name).filter((name) => !byField.has(name));
  if (missing.length > 0) {
    throw new CsvFormatError(file, 1, '', null,
      `required field ${missing.map((m) => JSON.stringify(m)).join(', ')} has no row (the file lists one field per line; required: ${FIELDS.map(([n]) => n).join(', ')})`);
  }

  const markets = marketColumns.map((h, k) => {
    const state: Record<string, number | boolean | string> = {};
    for (const [name, kind, key] of FIELDS) {
      const { cells, line } = byField.get(name)!;
      const parser = PARSERS[kind];
      const parsed = parser.pattern.test(cells[k]) ? parser.parse(cells[k]) : null;
      if (parsed === null || (typeof parsed === 'number' && !Number.isFinite(parsed))) {
        throw new CsvFormatError(file, line, h, cells[k], `field ${JSON.stringify(name)} is not ${parser.what}`);
      }
      state[key] = parsed;
    }
    const { cells, line } = byField.get('market_index')!;
    if (state.marketIndex !== Number(h)) {
      throw new CsvFormatError(file, line, h, cells[k], `market_index must equal its column's index ${h}`);
    }
    const expectedName = DRIFT_V1_MARKETS[Number(h)]?.name;
    if (expectedName !== undefined && state.marketName !== expectedName) {
      const at = byField.get('market_name')!;
      throw new CsvFormatError(file, at.line, h, at.cells[k], `market ${h} is ${expectedName} in the Drift v1 market table`);
    }
    return state as unknown as MarketState;
  });
  return { file, rows: rows.length, markets, unknownFields, repeatedFields: [...repeatedFields] };
}

/** Line number of the n-th row whose first field is `field` (DuckDB skips blank lines, so rows are not lines). */
async function fieldLines(file: string): Promise<(field: string, occurrence: number) => number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const index = new Map<string, number[]>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const name = lines[i].slice(0, lines[i].indexOf(','));
    index.set(name, [...(index.get(name) ?? []), i + 1]);
  }
  return (field, occurrence) => index.get(field)?.[occurrence] ?? 0;
}
