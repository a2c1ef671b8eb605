/**
 * `damm-gym data inspect` on the shared Drift v1 folder (counts and ranges the data README gives),
 * the curve outlier rules, and loadDriftHistory as the one entry point.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import type { CurveRecord } from '../data/drift-v1/curveHistory.js';
import { loadDriftHistory } from '../data/drift-v1/history.js';
import { DEFAULT_OUTLIER_THRESHOLDS, flagCurveOutliers } from '../data/drift-v1/outliers.js';
import { runCli } from './run-cli.js';
import { REAL_DATA_DIR } from './real-data.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-inspect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('curve outlier rules', () => {
  const base: CurveRecord = {
    ts: 1_638_863_370, recordId: 1n, marketIndex: 3, pegMultiplierBefore: 86_000n, pegMultiplierAfter: 86_000n,
    baseAssetReserveBefore: 10n ** 17n, quoteAssetReserveBefore: 10n ** 17n, sqrtKBefore: 10n ** 17n,
    baseAssetReserveAfter: 2n * 10n ** 17n, quoteAssetReserveAfter: 2n * 10n ** 17n, sqrtKAfter: 17n * 10n ** 16n,
    baseAssetAmountLong: 0n, baseAssetAmountShort: 0n, baseAssetAmount: 0n, openInterest: 3n, totalFee: 1_000_000n,
    totalFeeMinusDistributions: 900_000n, adjustmentCost: 100n, scrapedAt: null,
  };
  const rules = (r: CurveRecord, t = DEFAULT_OUTLIER_THRESHOLDS) => flagCurveOutliers([r], t).flatMap((f) => f.reasons.map((x) => x.split(':')[0]));

  it('an ordinary k change (1.7×) is not flagged; 1.8× or a cut below 1/1.75 is', () => {
    assert.deepEqual(rules(base), []);
    assert.deepEqual(rules({ ...base, sqrtKAfter: 18n * 10n ** 16n }), ['large-k-change']);
    assert.deepEqual(rules({ ...base, sqrtKAfter: 5n * 10n ** 16n }), ['large-k-change']);
    assert.deepEqual(rules({ ...base, sqrtKAfter: 18n * 10n ** 16n }, { ...DEFAULT_OUTLIER_THRESHOLDS, sqrtKChangeFactor: 2 }), []);
  });

  it('flags a fee pool above total fees, a negative cost and a repeg beyond 10 %', () => {
    assert.deepEqual(rules({ ...base, totalFeeMinusDistributions: 1_000_001n }), ['fee-pool-above-total-fee']);
    assert.deepEqual(rules({ ...base, totalFeeMinusDistributions: 1_000_000n }), []);
    assert.deepEqual(rules({ ...base, adjustmentCost: -1n }), ['negative-adjustment-cost']);
    assert.deepEqual(rules({ ...base, sqrtKAfter: base.sqrtKBefore, pegMultiplierAfter: 95_000n }), ['large-repeg']);
    assert.deepEqual(rules({ ...base, sqrtKAfter: base.sqrtKBefore, pegMultiplierAfter: 94_000n }), []);
  });
});

const dataDir = REAL_DATA_DIR;
const noData = dataDir === null || !Object.values(DRIFT_V1_FILES).every((f) => existsSync(join(dataDir, f)))
  ? 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1'
  : false;

interface Coverage { marketIndex: number; symbol: string; rows: number; records: number; from: string | null; to: string | null; largestGapHours: number | null }
interface FileReport {
  name: string; rows: number; distinctRecords: number; duplicates: number; from: string; to: string; markets: Coverage[];
  outliers: { flagged: number; byRule: Record<string, number>; records: { recordId: string; reasons: string[] }[] };
  details: Record<string, number | string | null>;
}

describe('data inspect on the shared Drift v1 folder', { skip: noData }, () => {
  it('loadDriftHistory flags LUNA 96–100 (fee pool above total fee), the five protocol gains and the four huge k changes', async () => {
    const h = await loadDriftHistory(dataDir!);
    const ids = (rule: string) => h.outliers.curve.filter((f) => f.reasons.some((r) => r.startsWith(rule))).map((f) => Number(f.recordId));
    assert.deepEqual(ids('fee-pool-above-total-fee').slice(0, 5), [96, 97, 98, 99, 100]);
    assert.ok(h.outliers.curve.filter((f) => f.reasons.some((r) => r.startsWith('fee-pool-above-total-fee'))).every((f) => f.marketIndex === 3));
    assert.deepEqual(ids('negative-adjustment-cost'), [96, 144, 145, 146, 339]);
    assert.deepEqual(ids('large-k-change'), [96, 98, 99, 100]);
    assert.deepEqual(h.outliers.funding.map((f) => Number(f.recordId)), [1697, 1700]);
    assert.deepEqual(h.outliers.trades, []);
    // flagged, never dropped
    assert.equal(h.curve.records.length, 347);
  });

  it('--json: 402 rows / 347 distinct curve records and 7,120 funding records with their ranges and per-market coverage', () => {
    const r = runCli('data', 'inspect', '--json');
    assert.equal(r.status, 0, r.stderr);
    const { files } = JSON.parse(r.stdout) as { files: FileReport[] };
    assert.deepEqual(files.map((f) => f.name), Object.values(DRIFT_V1_FILES));
    const [curve, funding, trades, state] = files;

    assert.deepEqual([curve.rows, curve.distinctRecords, curve.duplicates], [402, 347, 55]);
    assert.deepEqual([curve.from, curve.to], ['2021-11-29T01:00:49Z', '2022-01-16T16:06:59Z']);
    assert.deepEqual(curve.markets.map((m) => [m.symbol, m.rows, m.records]),
      [['SOL', 65, 65], ['BTC', 39, 39], ['ETH', 40, 38], ['LUNA', 193, 147], ['AVAX', 37, 30], ['BNB', 11, 11], ['MATIC', 10, 10], ['ATOM', 7, 7]]);
    assert.deepEqual([curve.details.repegs, curve.details.kChanges, curve.details.unchanged], [106, 235, 6]);

    assert.deepEqual([funding.rows, funding.distinctRecords], [7120, 7120]);
    assert.deepEqual([funding.from, funding.to], ['2021-11-14T23:00:38Z', '2022-01-16T16:00:30Z']);
    assert.deepEqual(funding.markets.map((m) => [m.symbol, m.records]),
      [['SOL', 1506], ['BTC', 1293], ['ETH', 1294], ['LUNA', 979], ['AVAX', 905], ['BNB', 785], ['MATIC', 239], ['ATOM', 119]]);
    assert.ok(funding.markets.every((m) => m.largestGapHours !== null && m.largestGapHours < 3));
    assert.ok(funding.markets.every((m) => m.to!.startsWith('2022-01-16T16:00')));
    assert.deepEqual(funding.outliers.byRule, { 'extreme-twap-premium': 2 });

    assert.deepEqual([trades.rows, trades.distinctRecords, trades.from, trades.to], [1024, 1024, '2022-01-06T11:21:29Z', '2022-01-06T11:53:26Z']);
    assert.deepEqual(trades.markets.map((m) => m.records), [172, 84, 141, 291, 275, 61]);
    assert.deepEqual([trades.details.ringWrapAt, trades.details.longs, trades.details.shorts, trades.details.traders], [594, 419, 605, 41]);

    assert.deepEqual([state.rows, state.distinctRecords, state.to], [24, 6, '2022-01-06T11:53:26Z']);
    assert.equal(curve.outliers.records[0].recordId, '96');
  });

  it('--market SOL restricts the per-market lists and --out writes the same report; the table names every file', () => {
    const out = join(dir, 'report.json');
    const r = runCli('data', 'inspect', '--market', 'sol', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { market: number; files: FileReport[] };
    assert.equal(report.market, 0);
    assert.ok(report.files.every((f) => f.markets.length === 1 && f.markets[0].symbol === 'SOL'));
    assert.deepEqual(report.files.map((f) => f.markets[0].records), [65, 1506, 172, 1]);
    assert.equal(report.files[0].outliers.flagged, 0);
    for (const name of Object.values(DRIFT_V1_FILES)) assert.match(r.stdout, new RegExp(name.replaceAll('.', '\\.')));
    assert.match(r.stdout, /curve_history_hist\.csv\s+with-scrape-time\s+402\s+347\s+55\s+2021-11-29T01:00:49Z\s+2022-01-16T16:06:59Z/);
    assert.match(r.stdout, /funding_rate_history_hist\.csv\s+0 SOL\s+1506\s+1506\s+2021-11-14T23:00:38Z/);
    assert.match(r.stdout, /^data inspect: 4 files in .*; 347 curve records, 7120 funding records, 1024 trades, 6 market states; 0 outliers flagged in market 0/m);
  });

  it('an unknown --market fails with the allowed symbols and writes nothing', () => {
    const out = join(dir, 'never.json');
    const r = runCli('data', 'inspect', '--market', 'DOGEX', '--out', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--market: unknown Drift v1 market "DOGEX"; allowed: SOL, BTC/);
    assert.equal(existsSync(out), false);
  });
});
