/**
 * `damm-gym fit sequence` as a user runs it: on a history generated from the seeded Rng and written
 * as CSV (always), then `evaluate` on the policy it wrote; its flag errors; and on the real Drift v1
 * history (skipped visibly without ../shared/data/drift-v1).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { Rng } from '../env/core/rng.js';
import { TFJS_BACKENDS } from '../agents/deep/backend.js';
import { runCli } from './run-cli.js';
import { BASE, CURVE_HEADER, FUNDING_HEADER, T0, ts } from './history-csv.js';
import { skipWithoutRealData } from './real-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'damm-gym-fit-sequence-'));
after(() => rmSync(tmp, { recursive: true, force: true }));


/**
 * A 25-day, two-market history in the files' plain layout: hourly funding records, and admin records
 * every few hours whose type follows the last hours' mark/oracle gap (repeg toward the oracle when it
 * is wide, else k up), so there is something to learn.
 */
function writeGeneratedHistory(dir: string, seed: number): void {
  const rng = new Rng(seed);
  mkdirSync(dir, { recursive: true });
  const funding = [FUNDING_HEADER];
  const rows: { t: number; cells: (string | number | bigint)[] }[] = [];
  let fundingId = 1;
  for (const market of [0, 1]) {
    let oracle = market === 0 ? 180 : 45_000;
    const gaps: number[] = [];
    for (let h = 0; h < 24 * 25; h++) {
      oracle *= Math.exp(rng.normal(0, 0.01));
      const gap = rng.normal(0, 0.003);
      gaps.push(gap);
      const oracleRaw = BigInt(Math.round(oracle * 1e4)) * 1_000_000n;
      const markRaw = BigInt(Math.round(oracle * (1 + gap) * 1e4)) * 1_000_000n;
      funding.push([ts(T0 + h * 3600 + 20), fundingId++, market, ((markRaw - oracleRaw) * 10_000n) / 24n, 0, 0, oracleRaw, markRaw].join(','));
    }
    let peg = BigInt(Math.round((market === 0 ? 180 : 45_000) * 1000));
    let sqrtK = 1000n * BASE;
    let fee = 1_000_000_000n;
    let pool = 600_000_000n;
    for (let t = 26 + rng.uniform(0, 3); t < 24 * 25 - 1; t += rng.exponential(4)) {
      const recent = gaps[Math.floor(t) - 1]! + gaps[Math.floor(t) - 2]!;
      const repeg = Math.abs(recent) > 0.004;
      const pegAfter = repeg ? (recent > 0 ? peg - BigInt(rng.integers(1, 50)) : peg + BigInt(rng.integers(1, 50))) : peg;
      const sqrtKAfter = repeg ? sqrtK : (sqrtK * BigInt(rng.integers(101, 104))) / 100n;
      fee += BigInt(rng.integers(0, 200)) * 1_000_000n;
      pool = fee / 2n + BigInt(rng.integers(0, 100)) * 1_000_000n;
      const long = BigInt(rng.integers(10, 100)) * BASE;
      const short = BigInt(rng.integers(10, 100)) * BASE;
      rows.push({
        t: T0 + Math.round(t * 3600),
        cells: [peg, sqrtK, sqrtK, sqrtK, pegAfter, sqrtKAfter, sqrtKAfter, sqrtKAfter, long, short, long - short, 30, fee, pool, 1_000_000],
      });
      rows[rows.length - 1]!.cells.unshift(market);
      peg = pegAfter;
      sqrtK = sqrtKAfter;
    }
  }
  rows.sort((a, b) => a.t - b.t);
  const curve = rows.map((r, i) => [ts(r.t), i + 1, ...r.cells].join(','));
  writeFileSync(join(dir, DRIFT_V1_FILES.curveHistory), `${[CURVE_HEADER, ...curve].join('\n')}\n`);
  writeFileSync(join(dir, DRIFT_V1_FILES.fundingRateHistory), `${funding.join('\n')}\n`);
}

interface Report {
  model: string;
  backend: string;
  examples: number;
  split: Record<'train' | 'validation' | 'test', { n: number; from: string; to: string; balance: Record<string, number> }>;
  type: { predictor: string; accuracy: number; macroF1: number; confusion: number[][]; n: number }[];
  magnitude: { predictor: string; repeg: { n: number; mae: number | null }; k: { n: number; mae: number | null } }[];
  training: { epochs: number; bestEpoch: number };
  actEveryHours: number;
  runDir: string;
}

describe('fit sequence on a generated history', () => {
  const data = join(tmp, 'data');
  writeGeneratedHistory(data, 42);
  const run = join(tmp, 'sequence-cnn'); // the policy is named after its run dir

  it('--json: split sizes and class balance, the predictors next to the baselines, the backend; the run dir', () => {
    const r = runCli('fit', 'sequence', '--model', 'cnn', '--epochs', '5', '--data-dir', data, '--out', run, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok((TFJS_BACKENDS as readonly string[]).includes(report.backend), report.backend);
    const { train, validation, test } = report.split;
    assert.equal(train.n + validation.n + test.n, report.examples);
    assert.ok(train.to < validation.from && validation.to < test.from, 'time-ordered');
    for (const s of [train, validation, test]) assert.equal(Object.values(s.balance).reduce((a, b) => a + b, 0), s.n);
    assert.deepEqual(report.type.map((t) => t.predictor).slice(1), [`majority (${Object.entries(train.balance).sort((a, b) => b[1] - a[1])[0]![0]})`, 'same as last event']);
    assert.equal(report.type[0]!.predictor, 'cnn');
    for (const t of report.type) {
      assert.equal(t.n, test.n);
      assert.equal(t.confusion.flat().reduce((a, b) => a + b, 0), test.n);
      assert.ok(t.accuracy >= 0 && t.accuracy <= 1 && t.macroF1 >= 0 && t.macroF1 <= 1);
    }
    assert.deepEqual(report.magnitude.map((m) => m.predictor), ['cnn', 'same as last event', 'train median']);
    assert.ok(report.training.epochs <= 5 && report.training.bestEpoch >= 1);
    for (const f of ['model.json', 'weights.bin', 'policy.json', 'config.json', 'scaling.json', 'metrics.json']) assert.ok(existsSync(join(run, f)), f);
    const policy = JSON.parse(readFileSync(join(run, 'policy.json'), 'utf8'));
    assert.equal(policy.kind, 'sequence');
    assert.equal(policy.envId, 'drift-vamm-v0');
    assert.equal(policy.config.actEverySteps, Math.round(report.actEveryHours * 60));
    assert.ok(Object.keys(policy.data.probe.outputs).includes('cpu'), 'probe outputs for the cpu backend a sync load may use');
  });

  it('the plain summary prints the tables and the backend', () => {
    const r = runCli('fit', 'sequence', '--model', 'rnn', '--epochs', '2', '--data-dir', data, '--out', join(tmp, 'run-rnn'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^split +events +from \(UTC\)/m);
    assert.match(r.stdout, /^rnn +\d\.\d{3} +\d\.\d{3}/m);
    assert.match(r.stdout, /^same as last event/m);
    assert.match(r.stdout, /fit sequence: rnn on TFJS backend (tensorflow|wasm|cpu); 2 epochs/);
  });

  it('evaluate runs the saved policy on drift-vamm-v0', () => {
    const r = runCli('evaluate', '--env', 'drift-vamm-v0', '--policy', `${run},noop`, '--seeds', '1', '--out', join(tmp, 'eval'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(s.policies.map((p: { policy: string }) => p.policy), ['sequence-cnn', 'noop']);
    assert.equal(s.policies[0].meanLength, 1440);
  });

  it('--synthetic-days adds simulated formulaic adjustments to the training split only', () => {
    const r = runCli('fit', 'sequence', '--model', 'cnn', '--epochs', '1', '--synthetic-days', '1', '--data-dir', data, '--out', join(tmp, 'run-syn'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report & { syntheticTrain: { n: number } };
    assert.ok(report.syntheticTrain.n > 0);
    assert.equal(report.split.train.n + report.split.validation.n + report.split.test.n, report.examples, 'the real splits are unchanged');
  });

  it('bad flags are errors naming the value and what is allowed; nothing is written', () => {
    const model = runCli('fit', 'sequence', '--model', 'lstm', '--data-dir', data);
    assert.equal(model.status, 2);
    assert.match(model.stderr, /Invalid values:[\s\S]*model[\s\S]*"lstm"[\s\S]*"rnn", "cnn"/);
    const window = runCli('fit', 'sequence', '--model', 'cnn', '--window-hours', '3', '--data-dir', data, '--out', join(tmp, 'never'));
    assert.equal(window.status, 1);
    assert.match(window.stderr, /--window-hours 3 is not allowed; allowed: an integer number of hours ≥ 4/);
    const epochs = runCli('fit', 'sequence', '--model', 'rnn', '--epochs', '0', '--data-dir', data, '--out', join(tmp, 'never'));
    assert.match(epochs.stderr, /--epochs 0 is not allowed/);
    assert.ok(!existsSync(join(tmp, 'never')));
  });
});

const noData = skipWithoutRealData(DRIFT_V1_FILES.fundingRateHistory);

describe('fit sequence on the real Drift v1 history', { skip: noData }, () => {
  it('307 events split 184 / 62 / 61 in time; the baselines\' test scores', () => {
    const r = runCli('fit', 'sequence', '--model', 'cnn', '--epochs', '3', '--out', join(tmp, 'real-cnn'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report & { dropped: Record<string, number> };
    assert.equal(report.examples, 307);
    assert.deepEqual(report.dropped, { noChange: 6, outlier: 23, firstInMarket: 8, shortHistory: 3 });
    assert.deepEqual([report.split.train.n, report.split.validation.n, report.split.test.n], [184, 62, 61]);
    assert.deepEqual(report.split.test.balance, { 'repeg-up': 0, 'repeg-down': 9, k: 52 });
    const majority = report.type.find((t) => t.predictor === 'majority (k)')!;
    assert.equal(majority.accuracy, 52 / 61);
    const last = report.type.find((t) => t.predictor === 'same as last event')!;
    assert.equal(last.accuracy, 57 / 61);
  });
});
