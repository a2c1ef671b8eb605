/**
 * verify-costs on the real Drift v1 curve history (../shared/data/drift-v1, resolved like the CLI
 * does) and the CLI's contract: --json shape, exit codes, typed errors for bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES, resolveDataDir } from '../data/dataDir.js';
import { loadCurveHistory } from '../data/drift-v1/curveHistory.js';
import { protocolAt } from '../data/drift-v1/protocolAt.js';
import { checkRecord, verifyCosts } from '../data/drift-v1/verifyCosts.js';
import { UnexpectedCurveRecordError } from '../data/errors.js';
import { runCli } from './run-cli.js';

const dataFile = (() => {
  try {
    return join(resolveDataDir().dir, DRIFT_V1_FILES.curveHistory);
  } catch {
    return null;
  }
})();
const noData = dataFile === null || !existsSync(dataFile)
  ? 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1'
  : false;
const JAN_5 = Date.UTC(2022, 0, 5) / 1000;

describe('verify-costs on the real curve history', { skip: noData }, () => {
  it('reads 402 rows as 347 distinct records (55 re-scrapes), ids 55..401 without gaps', async () => {
    const h = await loadCurveHistory(dataFile!);
    assert.equal(h.rows, 402);
    assert.equal(h.duplicates, 55);
    assert.equal(h.records.length, 347);
    assert.deepEqual(h.records.map((r) => Number(r.recordId)), Array.from({ length: 347 }, (_, i) => 55 + i));
  });

  it('jan2022 is exact to the unit on every record dated 2022-01-05 or later (cost and k after-reserves)', async () => {
    const { records } = await loadCurveHistory(dataFile!);
    const late = records.filter((r) => r.ts >= JAN_5);
    const report = verifyCosts(late, 'jan2022');
    assert.equal(report.records, 116);
    assert.equal(report.exact, 116);
    assert.equal(report.maxAbsDiff, '0');
  });

  it('jan2022 misses most earlier records, which the dec2021 deployment reproduces', async () => {
    const { records } = await loadCurveHistory(dataFile!);
    const early = records.filter((r) => r.ts < JAN_5);
    assert.equal(early.length, 231);
    assert.ok(verifyCosts(early, 'jan2022').exact < 100);
    assert.equal(verifyCosts(early, 'dec2021').exact, 231);
  });

  it('--protocol auto is exact on all 347 records and picks the version by date', async () => {
    const { records } = await loadCurveHistory(dataFile!);
    const report = verifyCosts(records, 'auto');
    assert.equal(report.exact, 347);
    assert.deepEqual(report.byProtocol, { dec2021: { records: 231, exact: 231 }, jan2022: { records: 116, exact: 116 } });
    const k = report.checks.filter((c) => c.kind === 'k');
    assert.equal(k.length, 241); // 235 sqrt_k changes + 6 update_k calls that left sqrt_k unchanged
    assert.ok(k.every((c) => c.reserves !== null && c.reserves.computed[0] === c.reserves.recorded[0] && c.reserves.computed[1] === c.reserves.recorded[1]));
  });

  it('may2022 semantics do not reproduce January history (and report guard rejections, not crashes)', async () => {
    const { records } = await loadCurveHistory(dataFile!);
    const report = verifyCosts(records, 'may2022');
    assert.ok(report.exact < report.records / 2);
    assert.ok(report.checks.some((c) => c.rejected !== null && /InvalidUpdateK/.test(c.rejected)));
  });
});

describe('protocolAt', () => {
  it('switches at 12d0765 (2022-01-04T20:54:33Z) and at b9d2211 (2022-02-28)', () => {
    const at = (iso: string) => protocolAt(Date.parse(iso) / 1000);
    assert.equal(at('2021-11-28T01:00:49Z'), 'dec2021');
    assert.equal(at('2022-01-04T20:54:32Z'), 'dec2021');
    assert.equal(at('2022-01-04T20:54:33Z'), 'jan2022');
    assert.equal(at('2022-02-27T23:59:59Z'), 'jan2022');
    assert.equal(at('2022-02-28T00:00:00Z'), 'may2022');
  });
});

const cli = runCli;

describe('damm-gym data verify-costs (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'damm-gym-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON and exits 0 when every record matches', { skip: noData }, () => {
    const r = cli('data', 'verify-costs', '--file', dataFile!, '--protocol', 'auto', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.records, 347);
    assert.equal(out.exact, 347);
    assert.equal(out.maxAbsDiff, '0');
    assert.deepEqual(out.mismatches, []);
    assert.deepEqual(Object.keys(out.byProtocol as object).sort(), ['dec2021', 'jan2022']);
  });

  it('exits 1 and lists mismatches with recordId, recorded and computed as strings', { skip: noData }, () => {
    const r = cli('data', 'verify-costs', '--file', dataFile!, '--protocol', 'jan2022', '--json');
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { exact: number; mismatches: { recordId: string; recorded: string; computed: string }[] };
    assert.equal(out.exact, 163);
    assert.equal(out.mismatches.length, 347 - 163);
    const m145 = out.mismatches.find((m) => m.recordId === '145');
    assert.deepEqual([m145?.recorded, m145?.computed], ['-19897150', '-19843362']);
  });

  it('rejects an unknown protocol, an unknown flag and a malformed file with a message naming them', () => {
    const badProtocol = cli('data', 'verify-costs', '--protocol', 'jun2022');
    assert.equal(badProtocol.status, 2);
    assert.match(badProtocol.stderr, /jun2022/);
    assert.match(badProtocol.stderr, /dec2021.*jan2022.*may2022.*auto/s);
    const badFlag = cli('data', 'verify-costs', '--protcol', 'auto');
    assert.equal(badFlag.status, 2);
    assert.match(badFlag.stderr, /protcol/);
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'ts,record_id\n2022-01-06 06:21:29-05:00,1\n');
    const badFile = cli('data', 'verify-costs', '--file', file);
    assert.equal(badFile.status, 1);
    assert.match(badFile.stderr, /CsvFormatError: .*bad\.csv:1 column/);
  });
});

describe('checkRecord', () => {
  it('refuses a record that moves both peg and sqrt_k, naming it', () => {
    const record = {
      ts: 1_642_000_000, recordId: 9n, marketIndex: 0, pegMultiplierBefore: 1_000n, pegMultiplierAfter: 1_001n,
      baseAssetReserveBefore: 10n ** 15n, quoteAssetReserveBefore: 10n ** 15n, sqrtKBefore: 10n ** 15n,
      baseAssetReserveAfter: 2n * 10n ** 15n, quoteAssetReserveAfter: 2n * 10n ** 15n, sqrtKAfter: 2n * 10n ** 15n,
      baseAssetAmountLong: 0n, baseAssetAmountShort: 0n, baseAssetAmount: 0n, openInterest: 0n, totalFee: 0n,
      totalFeeMinusDistributions: 0n, adjustmentCost: 0n, scrapedAt: null,
    };
    assert.throws(() => checkRecord(record, 'jan2022'), (e: unknown) => e instanceof UnexpectedCurveRecordError && /record 9 .*both peg/.test(e.message));
  });
});
