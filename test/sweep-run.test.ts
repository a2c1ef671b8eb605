import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDuckDb, sqlString } from '../data/duckdb.js';
import { make } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { FormulaicPolicy, HistoricalPolicy } from '../agents/driftBaselines.js';
import { evaluatePolicies } from '../training/evaluate.js';
import { metricsFor } from '../training/driftMetrics.js';
import { parseSweepConfig } from '../training/sweep/config.js';
import { SweepConfigError, SweepJournalError, SweepTrialError } from '../training/sweep/errors.js';
import { loadReplaySeries } from '../data/drift-v1/replaySeries.js';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.js';
import { planSweep, type SweepPlan } from '../training/sweep/plan.js';
import { JOURNAL_FILE, runSweep, type SweepSummary } from '../training/sweep/runner.js';
import { RESULTS_CSV } from '../training/sweep/table.js';
import { runTrial, TIMING_COLUMNS } from '../training/sweep/trials.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-sweep-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const Q_SWEEP = {
  env: 'drift-vamm-v0',
  envOptions: { maxEpisodeSteps: 30 },
  trial: { kind: 'q-learning', episodes: 4, evalSeeds: 2 },
  grid: { agent: { gamma: [0.99, 0.999], learningRate: [0.05, 0.2] } },
  seeds: [1, 2],
};

const planOf = (doc: unknown) => planSweep(parseSweepConfig(doc, 'test-sweep.json'));

/** The rows without the measured columns. */
function computed(s: SweepSummary): Record<string, unknown>[] {
  return s.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.includes(k))));
}

describe('runSweep on worker threads', async () => {
  const plan = await planOf(Q_SWEEP);
  let twoWorkers: SweepSummary;

  it('2 workers give the same table as 1, rows in grid order, CSV and Parquet alike', async () => {
    twoWorkers = await runSweep(plan, { workers: 2, out: join(dir, 'w2') });
    const oneWorker = await runSweep(plan, { workers: 1, out: join(dir, 'w1') });
    assert.equal(twoWorkers.workers, 2);
    assert.equal(oneWorker.workers, 1);
    assert.deepEqual([twoWorkers.trials, twoWorkers.ran, twoWorkers.resumed], [8, 8, 0]);
    assert.deepEqual(computed(twoWorkers), computed(oneWorker));
    assert.deepEqual(twoWorkers.rows.map((r) => r.trial), [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const r of twoWorkers.rows) {
      assert.equal(r.trainEpisodes, 4);
      assert.equal(r.evalEpisodes, 2);
      assert.equal(r.envSteps, 6 * 30);
      assert.ok((r.iqmCiLow as number) <= (r.iqm as number) && (r.iqm as number) <= (r.iqmCiHigh as number));
    }
    // different hyper-parameters learn different things
    assert.ok(new Set(twoWorkers.rows.map((r) => r.trainReturnLast10Pct)).size > 1);
    assert.equal(twoWorkers.envSteps, 8 * 180);

    const csv = readFileSync(twoWorkers.files.csv, 'utf8').trim().split('\n');
    assert.equal(csv.length, 9);
    assert.equal(csv[0], twoWorkers.columns.map((c) => c.name).join(','));
    const con = await connectDuckDb();
    try {
      const rows = (await con.runAndReadAll(`SELECT trial, "agent.gamma", seed, iqm, envSteps FROM read_parquet(${sqlString(twoWorkers.files.parquet)}) ORDER BY trial`)).getRowObjectsJS();
      assert.deepEqual(rows.map((r) => [Number(r.trial), r['agent.gamma'], Number(r.seed), r.iqm, Number(r.envSteps)]),
        twoWorkers.rows.map((r) => [r.trial, r['agent.gamma'], r.seed, r.iqm, r.envSteps]));
    } finally {
      con.closeSync();
    }
  });

  it('a trial gives the same figures on a worker as on the main thread', () => {
    const here = runTrial(plan.trials[5]!.task).metrics;
    const there = twoWorkers.rows[5]!;
    for (const [k, v] of Object.entries(here)) if (!TIMING_COLUMNS.includes(k)) assert.equal(there[k], v, k);
  });

  it('resumes a journal cut by a kill: finished trials are kept, the torn line is dropped, the table is the same', async () => {
    const out = join(dir, 'resumed');
    mkdirSync(out);
    const lines = readFileSync(join(dir, 'w2', JOURNAL_FILE), 'utf8').trim().split('\n');
    writeFileSync(join(out, JOURNAL_FILE), `${lines.slice(0, 4).join('\n')}\n${lines[4]!.slice(0, 50)}`);
    const finishedBefore = lines.slice(1, 4).map((l) => (JSON.parse(l) as { index: number }).index);
    const s = await runSweep(plan, { workers: 2, out, resume: true });
    assert.deepEqual([s.resumed, s.ran], [3, 5]);
    assert.deepEqual(computed(s), computed(twoWorkers));
    // resumed rows are the journal's, timing included
    for (const i of finishedBefore) assert.equal(s.rows[i]!.wallSeconds, twoWorkers.rows[i]!.wallSeconds);
    const after = readFileSync(join(out, JOURNAL_FILE), 'utf8').trim().split('\n');
    assert.equal(after.length, 9);
    for (const l of after) JSON.parse(l);
    // resuming a finished sweep runs nothing and rewrites the same table
    const again = await runSweep(plan, { workers: 2, out, resume: true });
    assert.deepEqual([again.resumed, again.ran], [8, 0]);
    assert.deepEqual(again.rows, s.rows);
  });

  it('refuses to overwrite a journal without resume, and to resume another sweep\'s journal', async () => {
    await assert.rejects(runSweep(plan, { workers: 1, out: join(dir, 'w2') }), (e: unknown) => e instanceof SweepJournalError && /already there; pass --resume/.test(e.message));
    const other = await planOf({ ...Q_SWEEP, seeds: [1, 3] });
    await assert.rejects(runSweep(other, { workers: 1, out: join(dir, 'w2'), resume: true }), (e: unknown) => e instanceof SweepJournalError && /belongs to another sweep/.test(e.message));
  });

  it('a corrupt line inside the journal is an error naming the line', async () => {
    const out = join(dir, 'corrupt');
    mkdirSync(out);
    const lines = readFileSync(join(dir, 'w2', JOURNAL_FILE), 'utf8').trim().split('\n');
    writeFileSync(join(out, JOURNAL_FILE), `${lines[0]}\n{"index": 1, oops\n${lines[2]}\n`);
    await assert.rejects(runSweep(plan, { workers: 1, out, resume: true }), (e: unknown) => e instanceof SweepJournalError && e.message.startsWith(`${join(out, JOURNAL_FILE)}:2: not a JSON line`));
  });
});

describe('rollout trials and failures', () => {
  it('a rollout plays K episodes from the trial seed, as evaluatePolicies derives them', async () => {
    const plan = await planOf({
      env: 'drift-vamm-v0', envOptions: { maxEpisodeSteps: 20 },
      trial: { kind: 'rollout', episodes: 3 }, grid: { trial: { policy: ['noop', 'formulaic'] } }, seeds: [7],
    });
    const s = await runSweep(plan, { workers: 2, out: join(dir, 'rollout') });
    assert.deepEqual(s.rows.map((r) => [r['trial.policy'], r.evalEpisodes, r.envSteps]), [['noop', 3, 60], ['formulaic', 3, 60]]);
    const makeEnv = () => make('drift-vamm-v0', { maxEpisodeSteps: 20 });
    const meanings = (makeEnv().unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
    const direct = evaluatePolicies(makeEnv, [new FormulaicPolicy(meanings)], { seeds: [7], episodesPerSeed: 3, metrics: metricsFor('drift-vamm-v0') }).policies[0]!;
    assert.equal(s.rows[1]!.meanReturn, direct.mean);
    assert.equal(s.rows[1]!.iqm, direct.iqm);
    assert.equal(s.rows[1]!.feesUsd, direct.metricMeans.feesUsd);
    assert.notEqual(s.rows[0]!.meanReturn, s.rows[1]!.meanReturn);
  });

  it('a trial that throws stops the sweep with its name; no table is written', async () => {
    const good = await planOf({ env: 'drift-vamm-v0', envOptions: { maxEpisodeSteps: 20 }, trial: { kind: 'rollout', policy: 'noop', episodes: 1 }, seeds: [1, 2, 3] });
    // past the checks: a policy this env has no action for
    const broken: SweepPlan = { ...good, trials: good.trials.map((t, i) => (i === 1 ? { ...t, task: { ...t.task, plan: { kind: 'rollout', policy: 'historical', episodes: 1 } } } : t)) };
    const out = join(dir, 'failing');
    await assert.rejects(runSweep(broken, { workers: 1, out }), (e: unknown) => e instanceof SweepTrialError && e.trial === 1 && /seed 2/.test(e.message) && /AgentConfigError/.test(e.message));
    const journal = readFileSync(join(out, JOURNAL_FILE), 'utf8').trim().split('\n');
    assert.equal(journal.length, 2); // header + trial 0
    assert.equal(existsSync(join(out, RESULTS_CSV)), false);
  });
});

describe('sweeps over drift-replay-v0 (real data)', { skip: skipWithoutRealData() }, () => {
  it('loads each market\'s history once and replays it as evaluate does', async () => {
    const plan = await planSweep(parseSweepConfig({
      env: 'drift-replay-v0', envOptions: { hours: 6 }, trial: { kind: 'rollout', policy: 'historical', episodes: 1 },
      grid: { env: { market: ['SOL', 'BTC'] } }, seeds: [4],
    }, 'replay.json'), { dataDir: REAL_DATA_DIR! });
    const s = await runSweep(plan, { workers: 2, out: join(dir, 'replay') });
    const series = await loadReplaySeries({ market: 'BTC', dataDir: REAL_DATA_DIR! });
    const makeEnv = () => make('drift-replay-v0', { series, hours: 6 });
    const meanings = (makeEnv().unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
    const direct = evaluatePolicies(makeEnv, [new HistoricalPolicy(meanings)], { seeds: [4], metrics: metricsFor('drift-replay-v0') }).policies[0]!;
    assert.deepEqual([s.rows[1]!['env.market'], s.rows[1]!.meanReturn, s.rows[1]!.envSteps], ['BTC', direct.mean, 360]);
    await assert.rejects(
      planSweep(parseSweepConfig({ env: 'drift-replay-v0', trial: { kind: 'rollout', policy: 'noop' }, grid: { env: { market: ['SOL', 'XYZ'] } }, seeds: [1] }, 'replay.json'), { dataDir: REAL_DATA_DIR! }),
      (e: unknown) => e instanceof SweepConfigError && e.path === '$.grid.env.market[1]' && /no history to replay/.test(e.message),
    );
  });
});
