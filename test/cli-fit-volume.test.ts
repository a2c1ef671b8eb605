/**
 * `damm-gym fit volume` as a user runs it: the regression and calibration tables on the real Drift
 * v1 history, the --json shape, --write-calibration, and typed errors for bad flags.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { CALIBRATED_MARKETS } from '../env/tasks/drift-vamm/calibration.js';
import { CALIBRATION_FILE, fitVolume } from '../training/commands/fitVolume.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { runCli } from './run-cli.js';
import { skipWithoutRealData } from './real-data.js';

const noData = skipWithoutRealData(DRIFT_V1_FILES.tradeSnapshot);

const tmp = mkdtempSync(join(tmpdir(), 'damm-gym-fit-volume-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Coefficient { name: string; estimate: number; stdError: number; t: number }
interface Regression {
  market: string; variant: string; fixedEffects: boolean; n: number; hours: number; coefficients: Coefficient[]; r2: number; adjR2: number;
  cv: { n: number; rmse: number; mae: number; baselineRmse: number; skill: number; folds: { trainEnd: number; testStart: number }[] };
}

describe('fit volume on the real Drift v1 history', { skip: noData }, () => {
  it('--market SOL --json: four variants with coefficients, standard errors, R², CV error; SOL\'s calibration', () => {
    const r = runCli('fit', 'volume', '--market', 'SOL', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { regressions: Regression[]; calibration: { symbol: string }[]; traders: { markets: { symbol: string; trades: number }[] }; feeRate: number };
    assert.deepEqual(out.regressions.map((g) => g.variant), ['linear', 'sqrt-k', 'sqrt-price', 'log-log']);
    for (const g of out.regressions) {
      assert.equal(g.market, 'SOL');
      assert.equal(g.coefficients.length, 3);
      for (const c of g.coefficients) assert.ok(Number.isFinite(c.estimate) && c.stdError > 0, `${g.variant} ${c.name}`);
      assert.ok(g.r2 >= 0 && g.r2 <= 1 && g.adjR2 <= g.r2);
      assert.ok(g.cv.rmse > 0 && g.cv.baselineRmse > 0 && g.cv.n > 0);
      for (const f of g.cv.folds) assert.equal(f.trainEnd, f.testStart);
    }
    // SOL: 65 distinct curve records → 64 intervals, none flagged
    assert.equal(out.regressions[0].n, 64);
    assert.deepEqual(out.regressions[0].coefficients.map((c) => c.name), ['intercept', 'price', 'k']);
    assert.deepEqual(out.traders.markets.map((m) => [m.symbol, m.trades]), [['SOL', 172]]);
    assert.deepEqual(out.calibration, [CALIBRATED_MARKETS.SOL]);
    assert.equal(out.feeRate, 0.001);
  });

  it('all markets (text): the regression table with the pooled fixed-effects row, the trader and calibration tables', () => {
    const r = runCli('fit', 'volume');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /market\s+model\s+n\s+hours\s+terms \(β1, β2\)\s+β0 ± se\s+β1 ± se\s+β2 ± se\s+R²\s+adj R²\s+CV RMSE \$\/h/);
    for (const m of ['SOL', 'BTC', 'ETH', 'LUNA', 'AVAX', 'BNB', 'MATIC', 'ATOM']) assert.match(r.stdout, new RegExp(`^${m}\\s+log-log`, 'm'));
    assert.match(r.stdout, /^pooled\s+log-log\s+303\s/m);
    assert.match(r.stdout, /6 fee-anomaly/);
    assert.match(r.stdout, /^pooled\s+1024\s/m);
    assert.match(r.stdout, /^MATIC\s+[\d,]+\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d,]+\s+[\d.]+\s+[\d,]+\s+[\d.]+\s+pooled$/m);
    assert.match(r.stdout, /^fit volume: 33 regressions, 8 calibrated markets; [\d.]+ s$/m);
  });

  it('--write-calibration on a copy of the committed table reproduces it byte for byte', () => {
    const copy = join(tmp, 'calibration.ts');
    const committed = readFileSync(CALIBRATION_FILE, 'utf8');
    writeFileSync(copy, committed.replace(/SOL: \{[^\n]*\n/, 'SOL: { stale },\n'));
    const r = runCli('fit', 'volume', '--market', 'SOL', '--write-calibration', copy);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`wrote ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(readFileSync(copy, 'utf8'), committed);
  });

  it('--write-calibration on a file without the GENERATED block fails and leaves it as it was', () => {
    const other = join(tmp, 'other.ts');
    writeFileSync(other, 'export const X = 1;\n');
    const r = runCli('fit', 'volume', '--market', 'SOL', '--write-calibration', other);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /InvalidArgumentError: --write-calibration ".*other\.ts": no "\/\/ BEGIN GENERATED/);
    assert.equal(readFileSync(other, 'utf8'), 'export const X = 1;\n');
    assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('fit volume flags', () => {
  it('an unknown market names the allowed ones', () => {
    const r = runCli('fit', 'volume', '--market', 'XYZ');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--market: unknown Drift v1 market "XYZ"; allowed: SOL, BTC/);
  });

  it('bad --folds / --min-train are typed errors naming the flag', async () => {
    const a = runCli('fit', 'volume', '--folds', '0');
    assert.equal(a.status, 1);
    assert.match(a.stderr, /--folds 0 is not allowed; allowed: an integer ≥ 1/);
    const args = { market: 'SOL', variant: 'all' as const, folds: 5, minTrain: 1.5, includeOutliers: false, json: true };
    await assert.rejects(fitVolume(args), (e: Error) => e instanceof InvalidArgumentError && /--min-train 1.5 is not allowed; allowed: a fraction in \(0, 1\)/.test(e.message));
  });

  it('a data directory without the files fails with the missing file named', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const r = runCli('fit', 'volume', '--data-dir', empty);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${DRIFT_V1_FILES.curveHistory}`));
  });
});
