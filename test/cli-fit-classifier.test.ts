/**
 * `damm-gym fit classifier` as a user runs it: on a history generated from the seeded Rng and written
 * as CSV (always), on the real Drift v1 history (skipped visibly without ../shared/data/drift-v1), and
 * its errors for malformed data and bad flags.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { Rng } from '../env/core/rng.js';
import { runCli } from './run-cli.js';
import { BASE, CURVE_HEADER, FUNDING_HEADER, T0, ts } from './history-csv.js';
import { skipWithoutRealData } from './real-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'damm-gym-fit-classifier-'));
after(() => rmSync(tmp, { recursive: true, force: true }));


/** A 30-day, two-market history in the files' plain layout, drawn from `seed`. */
function writeGeneratedHistory(dir: string, seed: number): void {
  const rng = new Rng(seed);
  mkdirSync(dir, { recursive: true });
  const funding = [FUNDING_HEADER];
  const curve = [CURVE_HEADER];
  let fundingId = 1;
  let curveId = 1;
  for (const market of [0, 1]) {
    let oracle = market === 0 ? 180 : 45_000;
    for (let h = 0; h < 24 * 30; h++) {
      oracle *= Math.exp(rng.normal(0, 0.01));
      const oracleRaw = BigInt(Math.round(oracle * 1e4)) * 1_000_000n;
      const markRaw = BigInt(Math.round(oracle * (1 + rng.normal(0, 0.002)) * 1e4)) * 1_000_000n;
      funding.push([ts(T0 + h * 3600), fundingId++, market, ((markRaw - oracleRaw) * 10_000n) / 24n, 0, 0, oracleRaw, markRaw].join(','));
    }
    let sqrtK = 1000n * BASE;
    let fee = 1_000_000_000n;
    let pool = 600_000_000n;
    let users = 40;
    for (let t = 30 + rng.uniform(0, 3); t < 24 * 30; t += rng.exponential(5)) {
      const repeg = rng.random() < 0.4;
      const peg = BigInt(Math.round(oracle * 1000));
      const sqrtKAfter = repeg ? sqrtK : (sqrtK * BigInt(rng.integers(95, 112))) / 100n;
      const cost = BigInt(rng.integers(-1, 100)) * 1_000_000n;
      const fees = BigInt(rng.integers(0, 200)) * 1_000_000n;
      fee += fees;
      pool += fees - cost;
      users = Math.max(1, users + rng.integers(-3, 4));
      const long = BigInt(rng.integers(10, 100)) * BASE;
      const short = BigInt(rng.integers(10, 100)) * BASE;
      curve.push([
        ts(T0 + Math.round(t * 3600)), curveId++, market, peg, sqrtK, sqrtK, sqrtK,
        repeg ? peg + BigInt(rng.integers(1, 300)) : peg, sqrtK, sqrtK, sqrtKAfter,
        long, short, long - short, users, fee, pool, cost,
      ].join(','));
      sqrtK = sqrtKAfter;
    }
  }
  // the loader sorts by record id; interleave markets in time like the real file by re-numbering in time order
  const rows = curve.slice(1).map((line) => line.split(','));
  rows.sort((a, b) => Date.parse(a[0].replace(' ', 'T')) - Date.parse(b[0].replace(' ', 'T')));
  rows.forEach((r, i) => { r[1] = String(i + 1); });
  writeFileSync(join(dir, DRIFT_V1_FILES.curveHistory), `${[CURVE_HEADER, ...rows.map((r) => r.join(','))].join('\n')}\n`);
  writeFileSync(join(dir, DRIFT_V1_FILES.fundingRateHistory), `${funding.join('\n')}\n`);
}

interface ModelRow { model: string; accuracy: number; precision: number; recall: number; f1: number; auc: number | null }

function assertReportShape(report: { models: ModelRow[]; positives: number; negatives: number; samples: number }, models: string[]): void {
  assert.deepEqual(report.models.map((m) => m.model), models);
  for (const m of report.models) {
    for (const key of ['accuracy', 'precision', 'recall', 'f1'] as const) assert.ok(m[key] >= 0 && m[key] <= 1, `${m.model}.${key} = ${m[key]}`);
    assert.ok(m.auc === null || (m.auc >= 0 && m.auc <= 1));
  }
  assert.equal(report.positives + report.negatives, report.samples);
}

describe('fit classifier on a generated history', () => {
  const dir = join(tmp, 'generated');
  writeGeneratedHistory(dir, 42);

  it('--json has the models with their metrics and the class balance', () => {
    const r = runCli('fit', 'classifier', '--data-dir', dir, '--json', '--folds', '3');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assertReportShape(report, ['knn', 'nb', 'tree', 'logreg', 'majority']);
    assert.ok(report.positives > 0 && report.negatives > 0, `balance ${report.positives}/${report.negatives}`);
    assert.equal(report.folds.length, 3);
    assert.equal(report.labels.windowHours, 24);
    assert.equal(report.models[0].tested, report.folds.reduce((s: number, f: { testSize: number }) => s + f.testSize, 0));
  });

  it('writes a run directory whose classifiers.json carries the ROC inputs, and `report` draws them', () => {
    const out = join(tmp, 'run');
    const r = runCli('fit', 'classifier', '--data-dir', dir, '--folds', '3', '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).runDir, out);
    const saved = JSON.parse(readFileSync(join(out, 'classifiers.json'), 'utf8')) as {
      models: { model: string; tested: number }[]; roc: { model: string; yTrue: number[]; scores: number[] }[];
    };
    assert.deepEqual(saved.roc.map((m) => m.model), saved.models.map((m) => m.model));
    for (const [i, m] of saved.roc.entries()) {
      assert.equal(m.yTrue.length, saved.models[i]!.tested);
      assert.equal(m.scores.length, m.yTrue.length);
      assert.ok(m.scores.every((p) => p >= 0 && p <= 1));
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { algorithm: string; command: string[] };
    assert.equal(config.algorithm, 'fit-classifier');
    const rep = runCli('report', out, '--json');
    assert.equal(rep.status, 0, rep.stderr);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.equal((html.match(/<svg/g) ?? []).length, 2, 'ROC curves and confusion matrices');
    assert.match(html, /ROC on time-ordered test folds/);
  });

  it('a malformed copy (text in a numeric column) fails naming file, line, column and value', () => {
    const bad = join(tmp, 'bad');
    writeGeneratedHistory(bad, 42);
    const file = join(bad, DRIFT_V1_FILES.curveHistory);
    const lines = readFileSync(file, 'utf8').split('\n');
    const cells = lines[3].split(',');
    cells[14] = 'many';
    lines[3] = cells.join(',');
    writeFileSync(file, lines.join('\n'));
    const r = runCli('fit', 'classifier', '--data-dir', bad, '--json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /CsvFormatError/);
    assert.ok(r.stderr.includes(`${file}:4`), r.stderr);
    assert.match(r.stderr, /open_interest/);
    assert.match(r.stderr, /"many"/);
  });

  it('bad flags and a missing data directory are typed errors naming the value', () => {
    const folds = runCli('fit', 'classifier', '--data-dir', dir, '--folds', '1');
    assert.equal(folds.status, 1);
    assert.match(folds.stderr, /--folds 1 is not allowed; allowed: an integer ≥ 2/);
    const window = runCli('fit', 'classifier', '--data-dir', dir, '--window-hours', '-3');
    assert.match(window.stderr, /--window-hours -3 is not allowed/);
    const missing = runCli('fit', 'classifier', '--data-dir', join(tmp, 'nope'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /DataNotFoundError: --data-dir ".*nope" is not a directory/);
  });
});

const noData = skipWithoutRealData(DRIFT_V1_FILES.curveHistory);

describe('fit classifier on the real Drift v1 history', { skip: noData }, () => {
  it('--model all --json: four classifiers and the baseline over 238 labelled events (117 / 121)', () => {
    const r = runCli('fit', 'classifier', '--model', 'all', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assertReportShape(report, ['knn', 'nb', 'tree', 'logreg', 'majority']);
    assert.equal(report.positives, 117);
    assert.equal(report.negatives, 121);
    assert.deepEqual(report.unlabelled, { 'no-change': 6, outlier: 23, 'no-later-record': 36, stale: 44 });
    assert.equal(report.folds.length, 5);
  });

  it('plain mode prints the class balance and the metrics table for the chosen model', () => {
    const r = runCli('fit', 'classifier', '--model', 'knn', '--folds', '3', '--window-hours', '12');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /class balance: \d+ successes \/ \d+ failures \(repeg \d+\/\d+, k \d+\/\d+\)/);
    assert.match(r.stdout, /model\s+accuracy\s+precision\s+recall\s+f1\s+auc/);
    assert.match(r.stdout, /^knn\s/m);
    assert.match(r.stdout, /^majority\s/m);
    assert.doesNotMatch(r.stdout, /^nb\s/m);
    assert.match(r.stdout, /window 12 h/);
  });
});
