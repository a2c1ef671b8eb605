/**
 * The funding-rate history loader and the funding outlier rules, on generated lines and on the real
 * hourly history (7,120 records, markets 0–7).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { loadFundingHistory, type FundingRecord } from '../data/drift-v1/fundingHistory.js';
import { DEFAULT_OUTLIER_THRESHOLDS, flagFundingOutliers } from '../data/drift-v1/outliers.js';
import { ConflictingDuplicateError, CsvFormatError } from '../data/errors.js';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-funding-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'ts,record_id,market_index,funding_rate,cumulative_funding_rate_long,cumulative_funding_rate_short,oracle_price_twap,mark_price_twap';
const BELOW_MINUS_2_64 = '-36893488147419103232'; // −2^65: a signed i128 that must stay exact

function row(id: number, overrides: Partial<Record<string, string>> = {}): string {
  const v: Record<string, string> = {
    ts: '2021-11-14 18:00:38-05:00', record_id: String(id), market_index: '0', funding_rate: '-478705449583',
    cumulative_funding_rate_long: '52238165700054', cumulative_funding_rate_short: '-491285204151014',
    oracle_price_twap: '2368624380000', mark_price_twap: '2367475486921', ...overrides,
  };
  return HEADER.split(',').map((k) => v[k]).join(',');
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('loadFundingHistory on generated lines', () => {
  it('reads the plain layout: unix seconds from the -05:00 time, signed values beyond 2^64 exact, sorted by record id', async () => {
    const h = await loadFundingHistory(write('plain.csv', [HEADER, row(479), row(478, { cumulative_funding_rate_short: BELOW_MINUS_2_64 })]));
    assert.equal(h.layout, 'plain');
    assert.deepEqual(h.records.map((r) => r.recordId), [478n, 479n]);
    assert.equal(h.records[0].ts, Date.UTC(2021, 10, 14, 23, 0, 38) / 1000);
    assert.equal(h.records[0].cumulativeFundingRateShort, BigInt(BELOW_MINUS_2_64));
    assert.equal(h.records[0].fundingRate, -478_705_449_583n);
    assert.equal(h.records[0].scrapedAt, null);
  });

  it('reads the scrape-time layout and drops re-scrapes; a conflicting re-scrape is an error', async () => {
    const h = await loadFundingHistory(write('scraped.csv', [`,${HEADER}`, `2021-12-05 01:50:36.504518,${row(1)}`, `2021-12-05 02:00:00.5,${row(1)}`]));
    assert.equal(h.layout, 'with-scrape-time');
    assert.deepEqual([h.rows, h.records.length, h.duplicates], [2, 1, 1]);
    assert.equal(h.records[0].scrapedAt, '2021-12-05T01:50:36.504518Z');
    const conflict = write('conflict.csv', [HEADER, row(1), row(1, { mark_price_twap: '1' })]);
    await assert.rejects(loadFundingHistory(conflict), ConflictingDuplicateError);
  });

  it('a negative mark TWAP (u128) or text in a number names line, column and value', async () => {
    const file = write('bad.csv', [HEADER, row(1), row(2, { mark_price_twap: '-3' })]);
    await assert.rejects(loadFundingHistory(file), (e: unknown) => e instanceof CsvFormatError && e.line === 3 && e.column === 'mark_price_twap' && e.value === '-3');
    const text = write('text.csv', [HEADER, row(1, { funding_rate: '12a4' })]);
    await assert.rejects(loadFundingHistory(text), (e: unknown) => e instanceof CsvFormatError && e.line === 2 && e.column === 'funding_rate' && e.value === '12a4');
  });

  it('refuses float renderings of protocol integers (DuckDB alone would round 2.5 to 3 and accept 2.0727e+20)', async () => {
    for (const value of ['2.5', '2.0727e+20', '12e4', '+8', ' 7', '1_000']) {
      const file = write('float.csv', [HEADER, row(1), row(2), row(3, { oracle_price_twap: value })]);
      await assert.rejects(loadFundingHistory(file), (e: unknown) =>
        e instanceof CsvFormatError && e.line === 4 && e.column === 'oracle_price_twap' && e.value === value && /signed 128-bit integer/.test(e.message), value);
    }
  });

  it('reports the earliest bad line across columns', async () => {
    const file = write('two-bad.csv', [HEADER, row(1), row(2, { mark_price_twap: 'x' }), row(3, { funding_rate: 'y' })]);
    await assert.rejects(loadFundingHistory(file), (e: unknown) => e instanceof CsvFormatError && e.line === 3 && e.column === 'mark_price_twap');
    const sameLine = write('same-line.csv', [HEADER, row(1, { mark_price_twap: 'x', funding_rate: 'y' })]);
    await assert.rejects(loadFundingHistory(sameLine), (e: unknown) => e instanceof CsvFormatError && e.line === 2 && e.column === 'funding_rate');
  });
});

describe('funding outlier rules', () => {
  const record = (id: bigint, oracle: bigint, mark: bigint, fundingRate = ((mark - oracle) * 10_000n) / 24n): FundingRecord => ({
    ts: 0, recordId: id, marketIndex: 3, fundingRate, cumulativeFundingRateLong: 0n, cumulativeFundingRateShort: 0n,
    oraclePriceTwap: oracle, markPriceTwap: mark, scrapedAt: null,
  });

  it('flags a TWAP premium beyond 5 %, not one within; the threshold can be changed', () => {
    const within = record(1n, 1_000_000_000_000n, 1_049_000_000_000n);
    const beyond = record(2n, 1_000_000_000_000n, 949_000_000_000n);
    const flags = flagFundingOutliers([within, beyond]);
    assert.deepEqual(flags.map((f) => f.recordId), [2n]);
    assert.match(flags[0].reasons[0], /^extreme-twap-premium: .*-5\.10 %/);
    assert.deepEqual(flagFundingOutliers([within, beyond], { ...DEFAULT_OUTLIER_THRESHOLDS, twapPremiumFraction: 0.04 }).map((f) => f.recordId), [1n, 2n]);
  });

  it('flags a funding rate that the TWAPs do not give (truncating toward zero like the program)', () => {
    const negative = record(1n, 1_000_000_000_000n, 999_999_999_995n); // −5·1e4/24 = −2083.3 → −2083
    assert.equal(negative.fundingRate, -2083n);
    assert.deepEqual(flagFundingOutliers([negative]), []);
    const off = record(2n, 1_000_000_000_000n, 999_999_999_995n, -2084n);
    assert.match(flagFundingOutliers([off])[0].reasons[0], /^funding-rate-not-from-twaps: funding_rate -2084, the TWAPs give -2083/);
  });

  it('flags a non-positive TWAP', () => {
    assert.match(flagFundingOutliers([record(1n, 0n, 1n)])[0].reasons[0], /^non-positive-twap/);
  });
});

const dataDir = REAL_DATA_DIR;
const fundingFile = dataDir === null ? null : join(dataDir, DRIFT_V1_FILES.fundingRateHistory);
const noData = skipWithoutRealData(DRIFT_V1_FILES.fundingRateHistory);

describe('the real funding-rate history', { skip: noData }, () => {
  it('7,120 records, ids 478…7597 without gaps, 2021-11-14T23:00:38Z → 2022-01-16T16:00:30Z', async () => {
    const h = await loadFundingHistory(fundingFile!);
    assert.equal(h.rows, 7120);
    assert.equal(h.duplicates, 0);
    assert.deepEqual(h.records.map((r) => Number(r.recordId)), Array.from({ length: 7120 }, (_, i) => 478 + i));
    const ts = h.records.map((r) => r.ts);
    assert.equal(Math.min(...ts), Date.UTC(2021, 10, 14, 23, 0, 38) / 1000);
    assert.equal(Math.max(...ts), Date.UTC(2022, 0, 16, 16, 0, 30) / 1000);
  });

  it('per market counts and first days as the data README lists them; no gap over 3 h', async () => {
    const { records } = await loadFundingHistory(fundingFile!);
    const expected: [number, number, string][] = [
      [0, 1506, '2021-11-14'], [1, 1293, '2021-11-23'], [2, 1294, '2021-11-23'], [3, 979, '2021-12-06'],
      [4, 905, '2021-12-09'], [5, 785, '2021-12-14'], [6, 239, '2022-01-06'], [7, 119, '2022-01-11'],
    ];
    for (const [market, count, firstDay] of expected) {
      const ts = records.filter((r) => r.marketIndex === market).map((r) => r.ts);
      assert.equal(ts.length, count, `market ${market}`);
      // The README gives the first day in the file's -05:00 rendering.
      assert.equal(new Date((ts[0] - 5 * 3600) * 1000).toISOString().slice(0, 10), firstDay, `market ${market}`);
      const gaps = ts.slice(1).map((t, i) => t - ts[i]);
      assert.ok(Math.max(...gaps) <= 3 * 3600, `market ${market} gap ${Math.max(...gaps)} s`);
      assert.ok(Math.min(...gaps) > 0, `market ${market} in time order`);
    }
  });

  it('every funding rate is (mark_twap − oracle_twap)·1e4/24; only the two LUNA launch hours have a premium beyond 5 %', async () => {
    const { records } = await loadFundingHistory(fundingFile!);
    const flags = flagFundingOutliers(records);
    assert.deepEqual(flags.map((f) => [f.recordId, f.marketIndex]), [[1697n, 3], [1700n, 3]]);
    assert.ok(flags.every((f) => f.reasons.length === 1 && f.reasons[0].startsWith('extreme-twap-premium')));
    assert.equal(records.filter((r) => r.cumulativeFundingRateLong !== r.cumulativeFundingRateShort).length, 3075);
  });
});
