/**
 * The trade-snapshot loader (ring-buffer order, enum columns, both header layouts) and the trade
 * outlier rules, on generated lines and on the real 2022-01-06 snapshot.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { loadMarketsState } from '../data/drift-v1/marketsState.js';
import { flagTradeOutliers } from '../data/drift-v1/outliers.js';
import { loadTradeSnapshot, type TradeRecord } from '../data/drift-v1/tradeSnapshot.js';
import { ConflictingDuplicateError, CsvFormatError } from '../data/errors.js';
import { markRawToUsd } from '../env/amm/drift-v1/units.js';
import { REAL_DATA_DIR } from './real-data.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-trades-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const JAN = 'ts,record_id,user_authority,user,direction,base_asset_amount,quote_asset_amount,mark_price_before,mark_price_after,'
  + 'fee,referrer_reward,referee_discount,token_discount,liquidation,market_index,oracle_price';
const APR = JAN.replace('referrer_reward', 'quote_asset_amount_surplus');
const ABOVE_2_64 = '36893488147419103232'; // 2^65: must stay exact
const WALLET = '4CLaLrTr7juGATt6FAaw8JksSNGdTEGaA78otYJbdHDs';
const ACCOUNT = 'DRKUb36Rh99NQ4CCEsZSBBfspz2vdNwM1qPY6P2jNrbu';

/** A consistent SOL short: 1 SOL at ~147.7 USD, 10 bps fee, mark moving down. */
function row(id: number, overrides: Partial<Record<string, string>> = {}, header = JAN): string {
  const v: Record<string, string> = {
    ts: '2022-01-06 06:36:32-05:00', record_id: String(id), user_authority: WALLET, user: ACCOUNT,
    direction: 'PositionDirection.Short()', base_asset_amount: '10000000000000', quote_asset_amount: '147700000',
    mark_price_before: '1477100000000', mark_price_after: '1476900000000', fee: '147700', referrer_reward: '0',
    quote_asset_amount_surplus: '0', referee_discount: '0', token_discount: '0', liquidation: 'False', market_index: '0',
    oracle_price: '1478000000000', ...overrides,
  };
  return header.split(',').map((k) => v[k]).join(',');
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('loadTradeSnapshot on generated lines', () => {
  it('sorts a ring-ordered file by record id and reports where it wraps', async () => {
    const s = await loadTradeSnapshot(write('ring.csv', [JAN, row(5), row(6), row(2), row(3), row(4)]));
    assert.equal(s.layout, 'jan2022');
    assert.equal(s.rows, 5);
    assert.deepEqual(s.records.map((r) => r.recordId), [2n, 3n, 4n, 5n, 6n]);
    assert.equal(s.ringWrapAt, 2);
    assert.equal(s.backwardJumps, 1);
  });

  it('reports no wrap for a file already in record order', async () => {
    const s = await loadTradeSnapshot(write('ordered.csv', [JAN, row(1), row(2), row(3)]));
    assert.equal(s.ringWrapAt, null);
    assert.equal(s.backwardJumps, 0);
  });

  it('converts the -05:00 time, maps direction and liquidation, keeps values above 2^64 exact', async () => {
    const s = await loadTradeSnapshot(write('values.csv', [
      JAN,
      row(1, { direction: 'PositionDirection.Long()', liquidation: 'True', base_asset_amount: ABOVE_2_64, oracle_price: '-5' }),
    ]));
    const r = s.records[0];
    assert.equal(r.ts, Date.UTC(2022, 0, 6, 11, 36, 32) / 1000);
    assert.equal(r.direction, 'long');
    assert.equal(r.liquidation, true);
    assert.equal(r.baseAssetAmount, BigInt(ABOVE_2_64));
    assert.equal(r.oraclePrice, -5n);
    assert.equal(r.userAuthority, WALLET);
    assert.equal(r.user, ACCOUNT);
    assert.equal(r.quoteAssetAmountSurplus, null);
  });

  it('reads the April-2022 layout: signed fee, quote_asset_amount_surplus in place of referrer_reward', async () => {
    const s = await loadTradeSnapshot(write('april.csv', [APR, row(9, { fee: '-1200', quote_asset_amount_surplus: '35' }, APR)]));
    assert.equal(s.layout, 'apr2022');
    assert.equal(s.records[0].fee, -1200n);
    assert.equal(s.records[0].quoteAssetAmountSurplus, 35n);
    assert.equal(s.records[0].referrerReward, 0n);
  });

  it('a negative fee in the January layout (u128) is a format error', async () => {
    const file = write('neg-fee.csv', [JAN, row(1, { fee: '-1' })]);
    await assert.rejects(loadTradeSnapshot(file), (e: unknown) => e instanceof CsvFormatError && e.line === 2 && e.column === 'fee' && e.value === '-1');
  });

  it('drops exact copies and empty ring slots; a copy that disagrees is an error', async () => {
    const empty = JAN.split(',').map((k) => ({ ts: '1969-12-31 19:00:00-05:00', direction: 'PositionDirection.Long()', liquidation: 'False', user_authority: '11111111111111111111111111111111', user: '11111111111111111111111111111111' } as Record<string, string>)[k] ?? '0').join(',');
    const s = await loadTradeSnapshot(write('dups.csv', [JAN, row(7), row(8), row(7), empty]));
    assert.deepEqual([s.records.length, s.duplicates, s.emptySlots], [2, 1, 1]);
    const conflict = write('conflict.csv', [JAN, row(7), row(7, { fee: '147701' })]);
    await assert.rejects(loadTradeSnapshot(conflict), (e: unknown) => e instanceof ConflictingDuplicateError && /record_id 7/.test(e.message) && /fee/.test(e.message));
  });

  it('unknown direction or liquidation text names file, line, column, value and the allowed texts', async () => {
    const direction = write('direction.csv', [JAN, row(1), row(2), row(3, { direction: 'PositionDirection.Up()' })]);
    await assert.rejects(loadTradeSnapshot(direction), (e: unknown) => {
      assert.ok(e instanceof CsvFormatError, String(e));
      assert.equal(e.file, direction);
      assert.equal(e.line, 4);
      assert.equal(e.column, 'direction');
      assert.equal(e.value, 'PositionDirection.Up()');
      assert.match(e.message, /"PositionDirection\.Long\(\)", "PositionDirection\.Short\(\)"/);
      return true;
    });
    const liquidation = write('liquidation.csv', [JAN, row(1, { liquidation: 'true' })]);
    await assert.rejects(loadTradeSnapshot(liquidation), (e: unknown) =>
      e instanceof CsvFormatError && e.line === 2 && e.column === 'liquidation' && e.value === 'true' && /"True", "False"/.test(e.message));
  });
});

describe('trade outlier rules', () => {
  const base: TradeRecord = {
    ts: 1_641_468_992, recordId: 1n, userAuthority: WALLET, user: ACCOUNT, direction: 'short', baseAssetAmount: 10_000_000_000_000n,
    quoteAssetAmount: 147_700_000n, markPriceBefore: 1_477_100_000_000n, markPriceAfter: 1_476_900_000_000n, fee: 147_700n,
    referrerReward: 0n, refereeDiscount: 0n, tokenDiscount: 0n, liquidation: false, marketIndex: 0, oraclePrice: 1_478_000_000_000n,
    quoteAssetAmountSurplus: null,
  };
  const rules = (records: TradeRecord[]) => flagTradeOutliers(records).map((f) => [f.recordId, f.reasons.map((r) => r.split(':')[0])]);

  it('a consistent trade is not flagged, one quote unit of rounding is tolerated', () => {
    assert.deepEqual(rules([base]), []);
    const edge = { ...base, markPriceBefore: 1_477_100_000_000n, markPriceAfter: 1_477_000_000_000n, quoteAssetAmount: 147_699_999n, fee: 147_699n };
    assert.deepEqual(rules([edge]), []);
    assert.deepEqual(rules([{ ...edge, quoteAssetAmount: 147_699_998n }]), [[1n, ['execution-price-outside-marks']]]);
  });

  it('flags direction against the mark, a fee off 10 bps, a mark-oracle gap and a broken mark chain', () => {
    assert.deepEqual(rules([{ ...base, direction: 'long' }]), [[1n, ['direction-against-mark']]]);
    assert.deepEqual(rules([{ ...base, fee: 147_000n }]), [[1n, ['fee-not-10bps']]]);
    assert.deepEqual(rules([{ ...base, fee: 147_000n, tokenDiscount: 700n }]), []);
    assert.deepEqual(rules([{ ...base, oraclePrice: 1_400_000_000_000n }]), [[1n, ['mark-oracle-gap']]]);
    const next = { ...base, recordId: 2n, markPriceBefore: base.markPriceAfter, markPriceAfter: 1_476_700_000_000n, quoteAssetAmount: 147_680_000n, fee: 147_680n };
    const otherMarket = { ...base, recordId: 3n, marketIndex: 4 };
    assert.deepEqual(rules([base, next, otherMarket]), []);
    const broken = { ...next, recordId: 4n };
    assert.deepEqual(rules([base, next, broken]), [[4n, ['mark-chain-break']]]);
  });
});

const dataDir = REAL_DATA_DIR;
const tradeFile = dataDir === null ? null : join(dataDir, DRIFT_V1_FILES.tradeSnapshot);
const noData = tradeFile === null || !existsSync(tradeFile)
  ? 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1'
  : false;

describe('the real trade snapshot of 2022-01-06', { skip: noData }, () => {
  it('1,024 contiguous trades 1,099,347…1,100,370 in ring order, wrapping after 594 rows', async () => {
    const s = await loadTradeSnapshot(tradeFile!);
    assert.equal(s.rows, 1024);
    assert.equal(s.records.length, 1024);
    assert.deepEqual(s.records.map((r) => Number(r.recordId)), Array.from({ length: 1024 }, (_, i) => 1_099_347 + i));
    assert.equal(s.ringWrapAt, 1_100_370 - 1_099_777 + 1);
    assert.equal(s.backwardJumps, 1);
    assert.equal(s.records[0].ts, Date.UTC(2022, 0, 6, 11, 21, 29) / 1000);
    assert.equal(Math.max(...s.records.map((r) => r.ts)), Date.UTC(2022, 0, 6, 11, 53, 26) / 1000);
  });

  it('per market: SOL 172, BTC 84, ETH 141, LUNA 291, AVAX 275, BNB 61; 605 shorts, 419 longs, 41 traders, no liquidations', async () => {
    const { records } = await loadTradeSnapshot(tradeFile!);
    const perMarket = [0, 1, 2, 3, 4, 5].map((m) => records.filter((r) => r.marketIndex === m).length);
    assert.deepEqual(perMarket, [172, 84, 141, 291, 275, 61]);
    assert.equal(records.filter((r) => r.direction === 'short').length, 605);
    assert.equal(records.filter((r) => r.direction === 'long').length, 419);
    assert.equal(new Set(records.map((r) => r.userAuthority)).size, 41);
    assert.equal(records.filter((r) => r.liquidation).length, 0);
    assert.ok(records.every((r) => r.referrerReward === 0n && r.refereeDiscount === 0n && r.tokenDiscount === 0n));
  });

  it('no trade is flagged: marks chain within each market, prices within marks, fee 10 bps', async () => {
    const { records } = await loadTradeSnapshot(tradeFile!);
    assert.deepEqual(flagTradeOutliers(records), []);
  });

  it('each market\'s last mark equals mark_price in the markets-state snapshot', async () => {
    const { records } = await loadTradeSnapshot(tradeFile!);
    const state = await loadMarketsState(join(dataDir!, DRIFT_V1_FILES.marketsState));
    for (const m of state.markets) {
      const last = records.filter((r) => r.marketIndex === m.marketIndex).at(-1)!;
      assert.ok(Math.abs(markRawToUsd(last.markPriceAfter) / m.markPriceUsd - 1) < 1e-12, `market ${m.marketIndex}`);
    }
  });
});
