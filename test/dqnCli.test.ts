import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../data/dataDir.js';
import { runCli } from './run-cli.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { trainDqnRun, type TrainDqnArgs } from '../training/commands/trainDqn.js';

/** A CartPole run small enough for a test: 3000 steps, training from step 500, checkpoints every 1000. */
const RUN = [
  'train', 'dqn', '--env', 'CartPole-v1', '--steps', '3000', '--seed', '7', '--learning-starts', '500', '--learning-rate', '1e-3',
  '--target-update-interval', '500', '--net-arch', '32,32', '--eval-freq', '1000', '--eval-episodes', '2', '--checkpoint-every', '1000',
];

const bytes = (path: string) => readFileSync(path).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `runCli` without blocking the test's event loop. */
function runCliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/damm-gym.js'), ...args], { cwd: PACKAGE_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('train dqn: killed (SIGKILL) after a checkpoint, resumed, it ends with the uninterrupted run\'s weights bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqn-cli-'));
  try {
    const whole = join(dir, 'whole');
    const cut = join(dir, 'cut');
    // the uninterrupted run, and beside it the same run killed as soon as its first checkpoint exists
    const uninterrupted = runCliAsync(...RUN, '--out', whole, '--json');
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/damm-gym.js'), ...RUN, '--out', cut, '--json'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const state = join(cut, 'checkpoint', 'state.json');
    const deadline = Date.now() + 60_000;
    while (!existsSync(state) && Date.now() < deadline && child.exitCode === null) await sleep(10);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', 'the run was killed, it did not finish first');
    assert.ok(existsSync(state), 'a checkpoint was written before the kill');
    assert.equal(existsSync(join(cut, 'policy.json')), false, 'killed before the final policy was written');
    const step = (JSON.parse(readFileSync(state, 'utf8')) as { step: number }).step;
    assert.ok(step >= 1000 && step < 3000, `checkpoint at step ${step}`);

    const a = await uninterrupted;
    assert.equal(a.status, 0, a.stderr);
    const summary = JSON.parse(a.stdout) as { backend: string; steps: number; resumedFrom: number | null };
    assert.equal(summary.steps, 3000);
    assert.equal(summary.resumedFrom, null);
    assert.ok(['tensorflow', 'wasm', 'cpu'].includes(summary.backend));

    const b = runCli('train', 'dqn', '--resume', cut, '--json');
    assert.equal(b.status, 0, b.stderr);
    const resumed = JSON.parse(b.stdout) as { steps: number; resumedFrom: number };
    assert.equal(resumed.resumedFrom, step);
    assert.equal(resumed.steps, 3000);
    assert.equal(bytes(join(cut, 'model', 'weights.bin')), bytes(join(whole, 'model', 'weights.bin')), 'final weights');
    assert.equal(bytes(join(cut, 'best', 'model', 'weights.bin')), bytes(join(whole, 'best', 'model', 'weights.bin')), 'best weights');
    assert.equal(readFileSync(join(cut, 'evaluations.csv'), 'utf8'), readFileSync(join(whole, 'evaluations.csv'), 'utf8'));
    assert.equal(readFileSync(join(cut, 'episodes.csv'), 'utf8'), readFileSync(join(whole, 'episodes.csv'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train dqn: the summary line names the backend, the speed and the last evaluation; config.json and CSVs are written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqn-cli-'));
  try {
    const out = join(dir, 'run');
    const r = runCli('train', 'dqn', '--env', 'CartPole-v1', '--steps', '600', '--learning-starts', '300', '--eval-freq', '300', '--eval-episodes', '2', '--double', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^train dqn: CartPole-v1, 600 steps in [\d.]+ s \(\d+ steps\/s, 75 gradient updates\) on tfjs backend (wasm|cpu|tensorflow); last evaluation \(step 600, 2 episodes\) [\d.]+ ± [\d.]+, best [\d.]+ at step \d+; policy /);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { dqn: { doubleQ: boolean; learningStarts: number }; preset: string; backend: string };
    assert.equal(config.dqn.doubleQ, true);
    assert.equal(config.dqn.learningStarts, 300);
    assert.equal(config.preset, 'sb3');
    const evals = readFileSync(join(out, 'evaluations.csv'), 'utf8').trim().split('\n');
    assert.equal(evals[0], 'step,gradient_updates,mean_return,std_return,mean_length,returns');
    assert.deepEqual(evals.slice(1).map((l) => l.split(',')[0]), ['300', '600']);
    assert.ok(existsSync(join(out, 'episodes.csv')));
    assert.ok(existsSync(join(out, 'model', 'weights.bin')) && existsSync(join(out, 'best', 'policy.json')));
    assert.equal(existsSync(join(out, 'checkpoint')), false, 'no checkpoint without --checkpoint-every');

    // the run directory is a policy evaluate can load
    const ev = runCli('evaluate', '--env', 'CartPole-v1', '--policy', `${out},random`, '--seeds', '2', '--out', join(dir, 'eval'), '--json');
    assert.equal(ev.status, 0, ev.stderr);
    const names = (JSON.parse(ev.stdout) as { policies: { policy: string }[] }).policies.map((p) => p.policy);
    assert.deepEqual(names, ['run', 'random']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train dqn: bad flags fail with the flag, the value and what is allowed, and write nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqn-cli-'));
  try {
    const out = join(dir, 'run');
    // as a user sees them: yargs' usage error (exit 2) and a typed error (exit 1)
    const preset = runCli('train', 'dqn', '--preset', 'atari', '--out', out);
    assert.equal(preset.status, 2);
    assert.match(preset.stderr, /Choices: "sb3", "zoo-cartpole", "drift-vamm"/);
    const arch = runCli('train', 'dqn', '--net-arch', '64,x', '--out', out);
    assert.equal(arch.status, 1);
    assert.match(arch.stderr, /^damm-gym: InvalidArgumentError: --net-arch: got "64,x"; allowed: comma-separated positive layer sizes/);
    const cases: [Partial<TrainDqnArgs>, RegExp][] = [
      [{ learningRate: -1 }, /--learning-rate: got -1; allowed: a positive number/],
      [{ gradientSteps: 0 }, /--gradient-steps: got 0; allowed: a positive integer, or -1/],
      [{ explorationFinalEps: 2 }, /--exploration-final-eps: got 2; allowed: a number in \[0, 1\]/],
      [{ steps: 2.5 }, /--steps: got 2\.5; allowed: a positive integer/],
      [{ envOptions: '{"market":' }, /--env-options: not valid JSON/],
      [{ resume: join(dir, 'none') }, /--resume .*none: neither a DQN run directory with a checkpoint\/ nor a checkpoint directory/],
    ];
    for (const [flags, re] of cases) {
      await assert.rejects(trainDqnRun({ env: 'CartPole-v1', out, ...flags }, true), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), JSON.stringify(flags));
    }
    assert.equal(existsSync(out), false, 'nothing written');
    await trainDqnRun({ env: 'CartPole-v1', steps: 400, learningStarts: 100, checkpointEvery: 100, evalFreq: 400, evalEpisodes: 1, out }, true);
    await assert.rejects(trainDqnRun({ resume: out, learningRate: 0.5 }, true), /--learning-rate 0\.5 conflicts with the resumed run's learningRate 0\.0001; a resumed run keeps its configuration/);
    await assert.rejects(trainDqnRun({ resume: out, steps: 500 }, true), /--steps 500 conflicts with the resumed run's 400/);
    // a fresh run in the same directory drops the old checkpoint, which another configuration wrote
    await trainDqnRun({ env: 'CartPole-v1', steps: 300, learningStarts: 100, evalFreq: 300, evalEpisodes: 1, out }, true);
    assert.equal(existsSync(join(out, 'checkpoint')), false);
    await assert.rejects(trainDqnRun({ resume: out }, true), /neither a DQN run directory with a checkpoint/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
