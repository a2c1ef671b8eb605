import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { make } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { FormulaicPolicy, RepegToOraclePolicy, AgentConfigError } from '../agents/index.js';
import { runCli } from './run-cli.js';

describe('Drift baselines', () => {
  it('find their actions by name and repeg only outside the fee band', () => {
    const env = make('drift-vamm-v0');
    const meanings = (env.unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
    assert.deepEqual(meanings, ['hold', 'repeg-oracle', 'repeg-half', 'k up 1%', 'k down 1%', 'formulaic']);
    const repeg = new RepegToOraclePolicy(meanings);
    assert.equal(repeg.act(null, { markUsd: 100.05, oracleUsd: 100 }), 0);
    assert.equal(repeg.act(null, { markUsd: 100.2, oracleUsd: 100 }), 1);
    assert.equal(new FormulaicPolicy(meanings).act(), 5);
    assert.throws(() => new FormulaicPolicy(['left', 'right']), AgentConfigError);
    assert.throws(() => repeg.act(null, {}), AgentConfigError);
  });
});

describe('damm-gym train q-learning / evaluate (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'damm-gym-train-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = join(dir, 'run');
  const tiny = '{"horizon":60}';

  it('trains, writes config/policy/episodes atomically and reports JSON', () => {
    const r = runCli('train', 'q-learning', '--episodes', '5', '--seed', '3', '--out', run, '--env-options', tiny, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { policyPath: string; episodes: number };
    assert.equal(out.episodes, 5);
    assert.equal(out.policyPath, join(run, 'policy.json'));
    for (const f of ['policy.json', 'config.json', 'episodes.csv']) assert.ok(existsSync(join(run, f)), f);
    assert.equal(readFileSync(join(run, 'episodes.csv'), 'utf8').trim().split('\n').length, 6);
    const policy = JSON.parse(readFileSync(join(run, 'policy.json'), 'utf8')) as { format: string; envId: string; envSpec: { discretize: { bins: number[] } } };
    assert.deepEqual([policy.format, policy.envId, policy.envSpec.discretize.bins.length], ['damm-gym-policy', 'drift-vamm-v0', 5]);
  });

  it('evaluates a trained policy next to the baselines with the documented JSON', () => {
    const r = runCli('evaluate', '--policy', `${run},noop,random,repeg-to-oracle,formulaic`, '--seeds', '3', '--env-options', tiny, '--out', join(dir, 'eval'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { env: string; seeds: number; episodes: number; policies: { policy: string; mean: number; iqm: number; ci95: number[] }[] };
    assert.deepEqual([out.env, out.seeds, out.episodes], ['drift-vamm-v0', 3, 15]);
    assert.deepEqual(out.policies.map((p) => p.policy), ['q-learning', 'noop', 'random', 'repeg-to-oracle', 'formulaic']);
    for (const p of out.policies) assert.ok(p.ci95[0]! <= p.iqm && p.iqm <= p.ci95[1]!, p.policy);
    assert.ok(existsSync(join(dir, 'eval', 'episodes.csv')));
  });

  it('compare trains, then evaluates the trained policy next to all four baselines', () => {
    const r = runCli('compare', '--episodes', '3', '--seeds', '2', '--env-options', tiny, '--out', join(dir, 'cmp'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { train: { episodes: number }; evaluate: { policies: { policy: string }[] } };
    assert.equal(out.train.episodes, 3);
    assert.deepEqual(out.evaluate.policies.map((p) => p.policy), ['q-learning', 'noop', 'random', 'repeg-to-oracle', 'formulaic']);
  });

  it('names a bad policy, bad env options and bad bins', () => {
    const bad = runCli('evaluate', '--policy', 'greedy');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--policy "greedy": neither a baseline of drift-vamm-v0 \(noop, random, repeg-to-oracle, formulaic\)/);
    const json = runCli('train', 'q-learning', '--env-options', '{market:BTC}', '--out', join(dir, 'x'));
    assert.match(json.stderr, /--env-options: not valid JSON/);
    const bins = runCli('train', 'q-learning', '--bins', '7,x', '--out', join(dir, 'y'));
    assert.match(bins.stderr, /--bins: "x" is not a number/);
  });
});
