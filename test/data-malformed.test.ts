/**
 * Malformed copies of the Drift v1 files through `damm-gym data inspect --out`: each fails with a
 * message naming file, line, column and value, prints no report and leaves no output file. The small
 * data sets are generated here (a few lines per file), so these tests need no shared data.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { loadDriftHistory } from '../data/drift-v1/history.js';
import { loadTradeSnapshot } from '../data/drift-v1/tradeSnapshot.js';
import { CsvFormatError } from '../data/errors.js';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'damm-gym-malformed-'));
after(() => rmSync(root, { recursive: true, force: true }));

const CURVE_HEADER = ',ts,record_id,market_index,peg_multiplier_before,base_asset_reserve_before,quote_asset_reserve_before,sqrt_k_before,'
  + 'peg_multiplier_after,base_asset_reserve_after,quote_asset_reserve_after,sqrt_k_after,base_asset_amount_long,'
  + 'base_asset_amount_short,base_asset_amount,open_interest,total_fee,total_fee_minus_distributions,adjustment_cost';
const FUNDING_HEADER = ',ts,record_id,market_index,funding_rate,cumulative_funding_rate_long,cumulative_funding_rate_short,oracle_price_twap,mark_price_twap';
const TRADE_HEADER = 'ts,record_id,user_authority,user,direction,base_asset_amount,quote_asset_amount,mark_price_before,mark_price_after,'
  + 'fee,referrer_reward,referee_discount,token_discount,liquidation,market_index,oracle_price';
const WALLET = '4CLaLrTr7juGATt6FAaw8JksSNGdTEGaA78otYJbdHDs';
const ACCOUNT = 'DRKUb36Rh99NQ4CCEsZSBBfspz2vdNwM1qPY6P2jNrbu';

/** A tiny but consistent SOL data set: two k changes (one re-scraped), three funding hours, three trades in ring order. */
function files(): Record<string, string[]> {
  const scraped = '2021-12-05 01:50:36.504518';
  return {
    [DRIFT_V1_FILES.curveHistory]: [
      CURVE_HEADER,
      `${scraped},2021-11-29 16:28:46-05:00,56,0,233800,213654439470994844,188737106528553534,200809662871923439,233800,224337161423179142,198173961836107500,210850146015519610,23527196120589470,5030593276466470,18496602844123000,285,40645227339,38002296482,1338985225`,
      `${scraped},2021-11-29 17:00:00-05:00,57,0,233800,224337161423179142,198173961836107500,210850146015519610,233800,224337161423179142,198173961836107500,210850146015519610,23527196120589470,5030593276466470,18496602844123000,285,40745227339,38102296482,0`,
      `2021-12-05 02:00:00.5,2021-11-29 16:28:46-05:00,56,0,233800,213654439470994844,188737106528553534,200809662871923439,233800,224337161423179142,198173961836107500,210850146015519610,23527196120589470,5030593276466470,18496602844123000,285,40645227339,38002296482,1338985225`,
    ],
    [DRIFT_V1_FILES.fundingRateHistory]: [
      FUNDING_HEADER,
      `${scraped},2021-11-14 18:00:38-05:00,478,0,-478705449583,52238165700054,-491285204151014,2368624380000,2367475486921`,
      `${scraped},2021-11-14 19:00:15-05:00,479,0,-293386071666,51944779628388,-491578590222680,2371415860000,2370711733428`,
      `${scraped},2021-11-14 20:00:02-05:00,480,0,-100000000000,51844779628388,-491678590222680,2371415860000,2371175860000`,
    ],
    [DRIFT_V1_FILES.tradeSnapshot]: [
      TRADE_HEADER,
      `2022-01-06 06:36:32-05:00,12,${WALLET},${ACCOUNT},PositionDirection.Short(),10000000000000,147680000,1476900000000,1476700000000,147680,0,0,0,False,0,1478000000000`,
      `2022-01-06 06:30:00-05:00,10,${WALLET},${ACCOUNT},PositionDirection.Long(),10000000000000,147700000,1476900000000,1477100000000,147700,0,0,0,False,0,1478000000000`,
      `2022-01-06 06:31:00-05:00,11,${WALLET},${ACCOUNT},PositionDirection.Short(),10000000000000,147700000,1477100000000,1476900000000,147700,0,0,0,False,0,1478000000000`,
    ],
    [DRIFT_V1_FILES.marketsState]: [
      ',0', 'initialized,True', 'base_asset_amount,-18704.1', 'base_asset_amount_long,4192.2', 'base_asset_amount_short,-22896.3',
      'initialized,True', 'open_interest,1226', 'market_index,0', 'market_name,SOL-PERP', 'oracle,H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG',
      'base_asset_reserve,203269.2', 'quote_asset_reserve,128333.8', 'cumulative_funding_rate_long,4.28', 'cumulative_funding_rate_short,-2.11',
      'last_funding_rate,0.0142', 'last_funding_rate_ts,2022-01-06 11:00:01', 'last_oracle_price_twap,147.87', 'last_mark_price_twap,148.13',
      'last_mark_price_twap_ts,2022-01-06 11:53:15', 'sqrt_k,161512.6', 'peg_multiplier,233.945', 'total_fee,249278.8',
      'total_fee_minus_distributions,201086.9', 'total_fee_withdrawn,0.0', 'mark_price,147.67',
    ],
  };
}

let sets = 0;
/** Write a data set (every file ends with "\n" unless `raw` overrides a file's exact text). */
function dataSet(edit: (f: Record<string, string[]>) => void = () => {}, raw: Record<string, string> = {}): string {
  const dir = join(root, `set-${++sets}`);
  mkdirSync(dir);
  const f = files();
  edit(f);
  for (const [name, lines] of Object.entries(f)) writeFileSync(join(dir, name), raw[name] ?? `${lines.join('\n')}\n`);
  return dir;
}

/** Run inspect with --out and check: exit 1, nothing on stdout, no report file, one message naming file, line, column, value. */
function expectFailure(dir: string, file: string, message: RegExp): void {
  const out = join(dir, 'out', 'report.json');
  const r = runCli('data', 'inspect', '--data-dir', dir, '--out', out);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^damm-gym: CsvFormatError: ${join(dir, file).replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
  assert.match(r.stderr, message);
  assert.equal(existsSync(out), false, 'no report written');
  assert.equal(existsSync(join(dir, 'out')), false, 'not even its directory');
}

describe('data inspect on generated copies', () => {
  it('the well-formed set loads (control): duplicates dropped, ring order sorted, report written', () => {
    const dir = dataSet();
    const out = join(dir, 'report.json');
    const r = runCli('data', 'inspect', '--data-dir', dir, '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { files: { rows: number; distinctRecords: number; details: Record<string, unknown> }[] };
    assert.deepEqual(report.files.map((f) => [f.rows, f.distinctRecords]), [[3, 2], [3, 3], [3, 3], [24, 1]]);
    assert.equal(report.files[2].details.ringWrapAt, 1);
    assert.deepEqual(JSON.parse(r.stdout), report);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('a truncated last line (cut inside its last number, no final newline) names the line, the column and the partial value', () => {
    const trades = files()[DRIFT_V1_FILES.tradeSnapshot];
    const cut = `${trades.join('\n')}`.slice(0, -7); // "1478000000000" → "147800"
    const dir = dataSet(() => {}, { [DRIFT_V1_FILES.tradeSnapshot]: cut });
    expectFailure(dir, DRIFT_V1_FILES.tradeSnapshot, /:4 column "oracle_price": the last line has no terminating newline, so the file looks truncated.*\(value "147800"\)/);
  });

  it('text in a numeric column names the line, the column and the value', () => {
    const dir = dataSet((f) => {
      const lines = f[DRIFT_V1_FILES.fundingRateHistory];
      lines[2] = lines[2].replace(/2370711733428$/, '23707l1733428');
    });
    expectFailure(dir, DRIFT_V1_FILES.fundingRateHistory, /:3 column "mark_price_twap": not a valid unsigned 128-bit integer.*\(value "23707l1733428"\)/);
  });

  it('a missing column names it, with the field found in its place and the accepted layouts', () => {
    const dir = dataSet((f) => {
      const at = CURVE_HEADER.split(',').indexOf('open_interest');
      f[DRIFT_V1_FILES.curveHistory] = f[DRIFT_V1_FILES.curveHistory].map((l) => l.split(',').filter((_, i) => i !== at).join(','));
    });
    expectFailure(dir, DRIFT_V1_FILES.curveHistory, /:1 column "open_interest": column "open_interest" is missing from the header; accepted layouts are with-scrape-time: .*; plain: .*\(value "total_fee"\)/);
  });
});

describe('malformed copies through the loaders', () => {
  it('a line cut between fields names the first missing column', async () => {
    const lines = files()[DRIFT_V1_FILES.tradeSnapshot];
    const dir = dataSet(() => {}, { [DRIFT_V1_FILES.tradeSnapshot]: `${lines.slice(0, 3).join('\n')}\n${lines[3].split(',').slice(0, 6).join(',')}\n` });
    await assert.rejects(loadTradeSnapshot(join(dir, DRIFT_V1_FILES.tradeSnapshot)), (e: unknown) =>
      e instanceof CsvFormatError && e.line === 4 && e.column === 'quote_asset_amount' && /wrong number of fields \(6 of 16\)/.test(e.message));
  });

  it('a missing file or a malformed markets state fails the whole history load', async () => {
    const missing = dataSet();
    rmSync(join(missing, DRIFT_V1_FILES.marketsState));
    await assert.rejects(loadDriftHistory(missing), (e: unknown) => e instanceof Error && e.name === 'DataNotFoundError' && e.message.includes(DRIFT_V1_FILES.marketsState));
    const badState = dataSet((f) => {
      f[DRIFT_V1_FILES.marketsState] = f[DRIFT_V1_FILES.marketsState].map((l) => (l.startsWith('sqrt_k,') ? 'sqrt_k,1.6e5x' : l));
    });
    await assert.rejects(loadDriftHistory(badState), (e: unknown) => e instanceof CsvFormatError && e.line === 20 && e.column === '0' && e.value === '1.6e5x');
  });
});
