import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCurveHistory } from '../data/drift-v1/curveHistory.js';
import { CsvFormatError, ConflictingDuplicateError, DataNotFoundError } from '../data/errors.js';
import { resolveDataDir } from '../data/dataDir.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-curve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'ts,record_id,market_index,peg_multiplier_before,base_asset_reserve_before,quote_asset_reserve_before,sqrt_k_before,'
  + 'peg_multiplier_after,base_asset_reserve_after,quote_asset_reserve_after,sqrt_k_after,base_asset_amount_long,'
  + 'base_asset_amount_short,base_asset_amount,open_interest,total_fee,total_fee_minus_distributions,adjustment_cost';
const ABOVE_2_64 = '207239521226860468123'; // > 2^64 = 18446744073709551616: must stay exact

function row(id: number, overrides: Partial<Record<string, string>> = {}): string {
  const v: Record<string, string> = {
    ts: '2022-01-06 06:21:29-05:00', record_id: String(id), market_index: '5', peg_multiplier_before: '480617',
    base_asset_reserve_before: ABOVE_2_64, quote_asset_reserve_before: '190210861689933339', sqrt_k_before: '198500000000000000',
    peg_multiplier_after: '480617', base_asset_reserve_after: ABOVE_2_64, quote_asset_reserve_after: '190210861689933339',
    sqrt_k_after: '204455000000000000', base_asset_amount_long: '10', base_asset_amount_short: '30', base_asset_amount: '-20',
    open_interest: '7', total_fee: '1000', total_fee_minus_distributions: '900', adjustment_cost: '-5', ...overrides,
  };
  return HEADER.split(',').map((k) => v[k]).join(',');
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

test('reads the plain layout with exact values above 2^64 and converts the -05:00 timestamp', async () => {
  const h = await loadCurveHistory(write('plain.csv', [HEADER, row(2), row(1)]));
  assert.equal(h.layout, 'plain');
  assert.deepEqual(h.records.map((r) => r.recordId), [1n, 2n]);
  assert.equal(h.records[0].baseAssetReserveBefore, BigInt(ABOVE_2_64));
  assert.equal(h.records[0].baseAssetAmount, -20n);
  assert.equal(h.records[0].adjustmentCost, -5n);
  assert.equal(h.records[0].ts, Date.UTC(2022, 0, 6, 11, 21, 29) / 1000);
  assert.equal(h.records[0].scrapedAt, null);
});

test('reads the layout with the unnamed scrape-time column and drops exact re-scrapes', async () => {
  const h = await loadCurveHistory(write('scraped.csv', [
    `,${HEADER}`, `2022-01-06 12:00:00.5,${row(7)}`, `2022-01-06 12:05:00.25,${row(7)}`, `2022-01-06 12:05:00.25,${row(8)}`,
  ]));
  assert.equal(h.layout, 'with-scrape-time');
  assert.equal(h.rows, 3);
  assert.equal(h.duplicates, 1);
  assert.equal(h.records.length, 2);
  assert.equal(h.records[0].scrapedAt, '2022-01-06T12:00:00.500000Z');
});

test('drops empty ring-buffer slots (all zero, unix 0)', async () => {
  const zero = HEADER.split(',').map((k) => (k === 'ts' ? '1969-12-31 19:00:00-05:00' : '0')).join(',');
  const h = await loadCurveHistory(write('ring.csv', [HEADER, row(3), zero, zero]));
  assert.equal(h.emptySlots, 2);
  assert.deepEqual(h.records.map((r) => r.recordId), [3n]);
});

test('a re-scrape that disagrees with the first copy is an error naming the record and field', async () => {
  const file = write('conflict.csv', [HEADER, row(4), row(4, { adjustment_cost: '6' })]);
  await assert.rejects(loadCurveHistory(file), (e: unknown) =>
    e instanceof ConflictingDuplicateError && /record_id 4/.test(e.message) && /adjustmentCost/.test(e.message));
});

test('malformed rows name file, line, column and value', async () => {
  const cases: [string, string[], RegExp][] = [
    ['text in a number', [HEADER, row(1), row(2, { sqrt_k_after: '12x4' })], /:3 column "sqrt_k_after".*"12x4"/],
    ['negative unsigned', [HEADER, row(1, { total_fee: '-1' })], /:2 column "total_fee".*"-1"/],
    ['empty field', [HEADER, row(1), row(2), row(3, { open_interest: '' })], /:4 column "open_interest".*""/],
    ['bad timestamp', [HEADER, row(1, { ts: '2022-13-45 99:00:00-05:00' })], /:2 column "ts"/],
    ['missing field', [HEADER, row(1), row(2).split(',').slice(0, -1).join(',')], /:3.*wrong number of fields/],
    ['extra field', [HEADER, `${row(1)},9`], /:2.*wrong number of fields/],
  ];
  for (const [name, lines, pattern] of cases) {
    const file = write(`bad-${name.replaceAll(' ', '-')}.csv`, lines);
    await assert.rejects(loadCurveHistory(file), (e: unknown) => {
      assert.ok(e instanceof CsvFormatError, `${name}: ${String(e)}`);
      assert.match(e.message, pattern, name);
      assert.ok(e.message.startsWith(file), name);
      return true;
    });
  }
});

test('an unknown header names the first unexpected column and the accepted layouts', async () => {
  const file = write('header.csv', [HEADER.replace('sqrt_k_before', 'sqrtk_before'), row(1)]);
  await assert.rejects(loadCurveHistory(file), (e: unknown) =>
    e instanceof CsvFormatError && e.line === 1 && e.value === 'sqrtk_before' && /accepted layouts/.test(e.message));
});

test('a missing file is a DataNotFoundError, an explicit data dir that does not exist too', async () => {
  await assert.rejects(loadCurveHistory(join(dir, 'nope.csv')), DataNotFoundError);
  assert.throws(() => resolveDataDir(join(dir, 'missing-dir')), DataNotFoundError);
  assert.throws(() => resolveDataDir(undefined, { DAMM_GYM_DATA: join(dir, 'missing-dir') }), /DAMM_GYM_DATA/);
  assert.deepEqual(resolveDataDir(undefined, { DAMM_GYM_DATA: dir }), { dir, from: 'DAMM_GYM_DATA' });
});
