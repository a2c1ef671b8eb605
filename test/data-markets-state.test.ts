/**
 * The transposed markets-state loader: typed per-market objects, repeated fields that must agree,
 * missing and unparseable fields named by line and column; and the real 2022-01-06 snapshot.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { loadMarketsState } from '../data/drift-v1/marketsState.js';
import { CsvFormatError } from '../data/errors.js';
import { REAL_DATA_DIR } from './real-data.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-markets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Field rows in the scraper's order, for markets 0 (SOL) and 3 (LUNA). */
const FIELDS: [string, string, string][] = [
  ['initialized', 'True', 'True'],
  ['base_asset_amount', '-18704.108512578838', '9125.486671438548'],
  ['base_asset_amount_long', '4192.243357197486', '10053.715940567039'],
  ['base_asset_amount_short', '-22896.351869776325', '-928.2292691284912'],
  ['initialized', 'True', 'True'],
  ['open_interest', '1226', '165'],
  ['market_index', '0', '3'],
  ['market_name', 'SOL-PERP', 'LUNA-PERP'],
  ['oracle', 'H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG', '5bmWuR1dgP4avtGYMNKLuxumZTVKGgoN2BCMXWDNL9nY'],
  ['base_asset_reserve', '203269.23098793012', '88488.09171231222'],
  ['quote_asset_reserve', '128333.87710817078', '103160.6609108212'],
  ['cumulative_funding_rate_long', '4.28999781194891', '-0.08501935412597'],
  ['cumulative_funding_rate_short', '-2.11956375370277', '-0.66931140157474'],
  ['last_funding_rate', '0.01425701196666', '-0.0081791853875'],
  ['last_funding_rate_ts', '2022-01-06 11:00:01', '2022-01-06 11:00:03'],
  ['last_oracle_price_twap', '147.8794799604', '75.6324800936'],
  ['last_mark_price_twap', '148.1370581645', '75.4721167541'],
  ['last_mark_price_twap_ts', '2022-01-06 11:53:15', '2022-01-06 11:53:16'],
  ['sqrt_k', '161512.6264707419', '95543.13174571727'],
  ['peg_multiplier', '233.945', '64.262'],
  ['total_fee', '249278.832368', '119380.480532'],
  ['total_fee_minus_distributions', '201086.915679', '60759.806671'],
  ['total_fee_withdrawn', '0.0', '0.0'],
  ['mark_price', '147.70100095401918', '74.91754272432559'],
];

/** Write the table, with `edit` applied to the (field, market-column) cell values. */
function write(name: string, edit: (rows: [string, string, string][]) => [string, string, string][] = (r) => r, header = ',0,3'): string {
  const path = join(dir, name);
  writeFileSync(path, `${[header, ...edit(FIELDS.map((r) => [...r] as [string, string, string])).map((r) => r.join(','))].join('\n')}\n`);
  return path;
}

const set = (field: string, column: 1 | 2, value: string, occurrence = 0) => (rows: [string, string, string][]) => {
  const i = rows.map((r, k) => [r[0], k] as const).filter(([f]) => f === field)[occurrence][1];
  rows[i][column] = value;
  return rows;
};

describe('loadMarketsState on generated tables', () => {
  it('gives one typed object per market column, natural units as written, timestamps as unix seconds', async () => {
    const s = await loadMarketsState(write('ok.csv'));
    assert.equal(s.rows, FIELDS.length);
    assert.deepEqual(s.markets.map((m) => [m.marketIndex, m.marketName]), [[0, 'SOL-PERP'], [3, 'LUNA-PERP']]);
    const sol = s.markets[0];
    assert.equal(sol.initialized, true);
    assert.equal(sol.openInterest, 1226);
    assert.equal(sol.pegMultiplierUsd, 233.945);
    assert.equal(sol.baseAssetAmountShort, -22896.351869776325);
    assert.equal(sol.markPriceUsd, 147.70100095401918);
    assert.equal(sol.oracle, 'H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG');
    assert.equal(sol.lastFundingRateTs, Date.UTC(2022, 0, 6, 11, 0, 1) / 1000);
    assert.equal(sol.lastMarkPriceTwapTs, Date.UTC(2022, 0, 6, 11, 53, 15) / 1000);
    assert.deepEqual(s.repeatedFields, ['initialized']);
    assert.deepEqual(s.unknownFields, []);
  });

  it('lists a field it does not know instead of ignoring it silently', async () => {
    const s = await loadMarketsState(write('extra.csv', (r) => [...r, ['base_spread', '0', '0']]));
    assert.deepEqual(s.unknownFields, ['base_spread']);
  });

  it('the two initialized rows must agree: the second names its line, column and value', async () => {
    const file = write('initialized.csv', set('initialized', 2, 'False', 1));
    await assert.rejects(loadMarketsState(file), (e: unknown) => {
      assert.ok(e instanceof CsvFormatError, String(e));
      assert.equal(e.line, 6);
      assert.equal(e.column, '3');
      assert.equal(e.value, 'False');
      assert.match(e.message, /repeats line 2 with a different value \("True"\)/);
      return true;
    });
  });

  it('an unparseable value names file, line, market column, value and what the field allows', async () => {
    const cases: [string, ReturnType<typeof set>, number, string, RegExp][] = [
      ['number', set('sqrt_k', 1, '161512.6x'), 20, '0', /"sqrt_k" is not a decimal number/],
      ['empty', set('peg_multiplier', 2, ''), 21, '3', /"peg_multiplier" is not a decimal number/],
      ['count', set('open_interest', 1, '12.5'), 7, '0', /non-negative integer/],
      ['bool', (r) => set('initialized', 1, 'true', 1)(set('initialized', 1, 'true')(r)), 2, '0', /True or False/],
      ['timestamp', set('last_funding_rate_ts', 2, '2022-02-30 11:00:03'), 16, '3', /naive UTC timestamp/],
      ['pubkey', set('oracle', 1, 'not-a-key'), 10, '0', /base58 public key/],
    ];
    for (const [name, edit, line, column, pattern] of cases) {
      const file = write(`bad-${name}.csv`, edit);
      await assert.rejects(loadMarketsState(file), (e: unknown) => {
        assert.ok(e instanceof CsvFormatError, `${name}: ${String(e)}`);
        assert.equal(e.line, line, name);
        assert.equal(e.column, column, name);
        assert.match(e.message, pattern, name);
        assert.ok(e.message.startsWith(file), name);
        return true;
      });
    }
  });

  it('line numbers stay right across a blank line', async () => {
    const path = join(dir, 'blank.csv');
    const lines = [',0,3', ...FIELDS.map((r) => r.join(','))];
    lines.splice(3, 0, '');
    lines[lines.findIndex((l) => l.startsWith('sqrt_k,'))] = 'sqrt_k,oops,1';
    writeFileSync(path, `${lines.join('\n')}\n`);
    await assert.rejects(loadMarketsState(path), (e: unknown) => e instanceof CsvFormatError && e.line === 21 && e.value === 'oops');
  });

  it('a missing field is named with the list of required fields', async () => {
    const file = write('missing.csv', (r) => r.filter(([f]) => f !== 'sqrt_k'));
    await assert.rejects(loadMarketsState(file), (e: unknown) => e instanceof CsvFormatError && /required field "sqrt_k" has no row/.test(e.message));
  });

  it('market_index must match its column, market_name the market table; a column must be headed by an index', async () => {
    await assert.rejects(loadMarketsState(write('index.csv', set('market_index', 2, '4'))),
      (e: unknown) => e instanceof CsvFormatError && e.line === 8 && e.column === '3' && /must equal its column's index 3/.test(e.message));
    await assert.rejects(loadMarketsState(write('name.csv', set('market_name', 2, 'AVAX-PERP'))),
      (e: unknown) => e instanceof CsvFormatError && e.line === 9 && e.value === 'AVAX-PERP' && /LUNA-PERP/.test(e.message));
    await assert.rejects(loadMarketsState(write('header.csv', (r) => r, ',0,LUNA')),
      (e: unknown) => e instanceof CsvFormatError && e.line === 1 && e.value === 'LUNA');
    const shortRow = join(dir, 'short-row.csv');
    writeFileSync(shortRow, `${[',0,3', ...FIELDS.map((r) => (r[0] === 'mark_price' ? r.slice(0, 2) : r).join(','))].join('\n')}\n`);
    await assert.rejects(loadMarketsState(shortRow),
      (e: unknown) => e instanceof CsvFormatError && e.line === 25 && e.column === '3' && /wrong number of fields/.test(e.message));
  });
});

const dataDir = REAL_DATA_DIR;
const stateFile = dataDir === null ? null : join(dataDir, DRIFT_V1_FILES.marketsState);
const noData = stateFile === null || !existsSync(stateFile)
  ? 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1'
  : false;

describe('the real markets state of 2022-01-06', { skip: noData }, () => {
  it('six markets SOL…BNB with 24 field rows (initialized twice), all known fields', async () => {
    const s = await loadMarketsState(stateFile!);
    assert.equal(s.rows, 24);
    assert.deepEqual(s.markets.map((m) => m.marketName), ['SOL-PERP', 'BTC-PERP', 'ETH-PERP', 'LUNA-PERP', 'AVAX-PERP', 'BNB-PERP']);
    assert.deepEqual(s.repeatedFields, ['initialized']);
    assert.deepEqual(s.unknownFields, []);
    assert.ok(s.markets.every((m) => m.initialized && m.totalFeeWithdrawnUsd === 0));
  });

  it('mark price = quote_reserve · peg / base_reserve, sqrt_k² ≈ base · quote, long + short = net', async () => {
    const { markets } = await loadMarketsState(stateFile!);
    for (const m of markets) {
      const mark = (m.quoteAssetReserve * m.pegMultiplierUsd) / m.baseAssetReserve;
      assert.ok(Math.abs(mark / m.markPriceUsd - 1) < 1e-9, `market ${m.marketIndex} mark ${mark} vs ${m.markPriceUsd}`);
      assert.ok(Math.abs((m.sqrtK * m.sqrtK) / (m.baseAssetReserve * m.quoteAssetReserve) - 1) < 1e-6, `market ${m.marketIndex} k`);
      assert.ok(Math.abs(m.baseAssetAmountLong + m.baseAssetAmountShort - m.baseAssetAmount) < 1e-6, `market ${m.marketIndex} net`);
      assert.ok(m.lastFundingRateTs < m.lastMarkPriceTwapTs);
    }
    assert.equal(markets[0].pegMultiplierUsd, 233.945);
    assert.equal(markets[1].openInterest, 540);
  });
});
