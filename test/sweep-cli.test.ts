import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../data/dataDir.js';
import { TIMING_COLUMNS } from '../training/sweep/trials.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-sweep-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, doc: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

type Row = Record<string, unknown>;
interface SweepJson { trials: number; resumed: number; ran: number; workers: number; trialsPerSec: number; envStepsPerSec: number; rows: Row[]; files: { csv: string; parquet: string } }

const computed = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.includes(k))));

describe('damm-gym sweep (CLI)', () => {
  it('reproduces train q-learning followed by evaluate, to the last digit', () => {
    const envOptions = { maxEpisodeSteps: 60 };
    const run = join(dir, 'trained');
    const t = runCli('train', 'q-learning', '--episodes', '5', '--seed', '3', '--gamma', '0.99', '--learning-rate', '0.2', '--env-options', JSON.stringify(envOptions), '--out', run, '--json');
    assert.equal(t.status, 0, t.stderr);
    const e = runCli('evaluate', '--policy', run, '--seeds', '3', '--env-options', JSON.stringify(envOptions), '--out', join(dir, 'evaluated'), '--json');
    assert.equal(e.status, 0, e.stderr);
    const evaluated = (JSON.parse(e.stdout) as { policies: { mean: number; iqm: number; ci95: number[]; metrics: Record<string, number> }[] }).policies[0]!;
    const config = writeConfig('same-as-train.json', {
      env: 'drift-vamm-v0', envOptions, trial: { kind: 'q-learning', episodes: 5, evalSeeds: 3, agent: { gamma: 0.99, learningRate: 0.2 } }, seeds: [3],
    });
    const s = runCli('sweep', '--config', config, '--workers', '1', '--out', join(dir, 'same'), '--json');
    assert.equal(s.status, 0, s.stderr);
    const row = (JSON.parse(s.stdout) as SweepJson).rows[0]!;
    assert.deepEqual([row.meanReturn, row.iqm, row.iqmCiLow, row.iqmCiHigh, row.feesUsd], [evaluated.mean, evaluated.iqm, evaluated.ci95[0], evaluated.ci95[1], evaluated.metrics.feesUsd]);
  });

  it('input errors exit 1 before any trial runs, naming the file, the JSON path and what is allowed', () => {
    const bad = writeConfig('bad.json', { env: 'drift-vamm-v0', trial: { kind: 'q-learning' }, grid: { agent: { gama: [0.9, 0.99] } }, seeds: [1] });
    const out = join(dir, 'never');
    let r = runCli('sweep', '--config', bad, '--out', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`SweepConfigError: ${bad}: \\$\\.grid\\.agent\\.gama: got \\[0\\.9, 0\\.99\\]; unknown Q-learning parameter "gama"; allowed: gamma, `));
    assert.equal(existsSync(out), false);
    const good = writeConfig('good.json', { env: 'drift-vamm-v0', trial: { kind: 'rollout', policy: 'noop', episodes: 1 }, seeds: [1] });
    r = runCli('sweep', '--config', good, '--workers', '0', '--out', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /good\.json: --workers: got 0; expected a whole number of worker threads from 1 to 64/);
    r = runCli('sweep', '--config', good, '--out', good);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`good\\.json: --out: got "${good}"; expected a directory`));
    assert.equal(existsSync(out), false);
  });

  it('a sweep killed with SIGKILL and rerun with --resume keeps its finished trials and gives the uninterrupted table', async () => {
    // 12 trials of 22 one-day episodes (~0.1 s each): long enough to be killed in the middle
    const config = writeConfig('killable.json', {
      env: 'drift-vamm-v0',
      trial: { kind: 'q-learning', episodes: 20, evalSeeds: 2 },
      grid: { agent: { gamma: [0.99, 0.999], learningRate: [0.05, 0.1, 0.2] } },
      seeds: [1, 2],
    });
    const whole = runCli('sweep', '--config', config, '--workers', '2', '--out', join(dir, 'whole'), '--json');
    assert.equal(whole.status, 0, whole.stderr);
    const uninterrupted = JSON.parse(whole.stdout) as SweepJson;
    assert.equal(uninterrupted.ran, 12);

    const out = join(dir, 'killed');
    const journal = join(out, 'journal.jsonl');
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/damm-gym.js'), 'sweep', '--config', config, '--workers', '2', '--out', out, '--json'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const finishedLines = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.startsWith('{"index"')).length : 0);
    for (let waited = 0; finishedLines() < 3; waited += 10) {
      assert.ok(waited < 60_000, 'the sweep never finished 3 trials');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const kept = finishedLines();
    assert.ok(kept >= 3 && kept < 12, `killed after ${kept} of 12 trials`);
    assert.equal(existsSync(join(out, 'results.csv')), false);

    const r = runCli('sweep', '--config', config, '--workers', '2', '--out', out, '--resume', '--json');
    assert.equal(r.status, 0, r.stderr);
    const resumed = JSON.parse(r.stdout) as SweepJson;
    assert.deepEqual([resumed.resumed, resumed.ran], [kept, 12 - kept]);
    assert.deepEqual(computed(resumed.rows), computed(uninterrupted.rows));
    const csvWithoutTiming = (file: string) => {
      const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
      const keep = head!.map((h, i) => (TIMING_COLUMNS.includes(h) ? -1 : i)).filter((i) => i >= 0);
      return [head!, ...rows].map((cells) => keep.map((i) => cells[i]).join(','));
    };
    assert.deepEqual(csvWithoutTiming(resumed.files.csv), csvWithoutTiming(uninterrupted.files.csv));
    assert.ok(existsSync(resumed.files.parquet));
  });

  it('prints the trials, the configurations over seeds and the throughput', () => {
    const config = writeConfig('print.json', {
      env: 'drift-vamm-v0', envOptions: { maxEpisodeSteps: 30 }, trial: { kind: 'rollout', episodes: 2 }, grid: { trial: { policy: ['noop', 'formulaic'] } }, seeds: [1, 2],
    });
    const r = runCli('sweep', '--config', config, '--workers', '2', '--out', join(dir, 'print'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^trial +trial\.policy +seed +mean return +IQM +IQM 95% CI +steps\/s +wall s$/m);
    assert.match(r.stdout, /^trial\.policy +seeds +mean IQM +min IQM +max IQM +mean return$/m);
    assert.match(r.stdout, /sweep: 4 trials of rollout on drift-vamm-v0; 4 run on 2 workers in [\d.]+ s \([\d.]+ s starting them\): [\d.]+ trials\/s, 240 env steps at [\d.]+ (k )?steps\/s; results in .*results\.csv and .*results\.parquet/);
  });
});
