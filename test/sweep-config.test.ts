import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSweepConfig, parseSweepConfig, type SweepConfig } from '../training/sweep/config.js';
import { SweepConfigError } from '../training/sweep/errors.js';
import { planSweep } from '../training/sweep/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-sweep-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BASE = {
  env: 'drift-vamm-v0',
  envOptions: { maxEpisodeSteps: 30 },
  trial: { kind: 'q-learning', episodes: 3, evalSeeds: 2 },
  grid: { agent: { gamma: [0.99, 0.999], learningRate: [0.05, 0.1, 0.2] } },
  seeds: [1, 2],
};

function withChange(change: (c: Record<string, unknown>) => void): Record<string, unknown> {
  const c = structuredClone(BASE) as Record<string, unknown>;
  change(c);
  return c;
}

/** The error parsing (and planning) `doc` gives; fails the test if there is none. */
async function configError(doc: unknown, file = 'sweeps/x.json'): Promise<SweepConfigError> {
  try {
    await planSweep(parseSweepConfig(doc, file));
  } catch (err) {
    assert.ok(err instanceof SweepConfigError, `expected a SweepConfigError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${file}: ${err.path}: `), err.message);
    return err;
  }
  assert.fail('the config was accepted');
}

describe('sweep config: every input error names the file, the JSON path and what is allowed', () => {
  it('an unknown top-level key lists the allowed keys', async () => {
    const e = await configError(withChange((c) => { c.grdi = c.grid; }));
    assert.equal(e.path, '$.grdi');
    assert.match(e.message, /unknown key; allowed: name, env, envOptions, trial, grid, seeds, workers/);
  });

  it('an unknown agent parameter in the grid lists the Q-learning parameters', async () => {
    const e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.gama = [0.9]; }));
    assert.equal(e.path, '$.grid.agent.gama');
    assert.match(e.message, /unknown Q-learning parameter "gama"; allowed: gamma, learningRateSchedule, learningRate/);
  });

  it('the seed is not a grid parameter', async () => {
    const e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.seed = [1, 2]; }));
    assert.equal(e.path, '$.grid.agent.seed');
    assert.match(e.message, /\$\.seeds/);
  });

  it('an empty value list, a duplicate value and a non-list are refused', async () => {
    let e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.gamma = []; }));
    assert.equal(e.path, '$.grid.agent.gamma');
    assert.match(e.message, /empty list gives no trials/);
    e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.learningRate = [0.05, 0.1, 0.05]; }));
    assert.equal(e.path, '$.grid.agent.learningRate[2]');
    assert.match(e.message, /same value as \$\.grid\.agent\.learningRate\[0\]/);
    e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.gamma = 0.99; }));
    assert.equal(e.path, '$.grid.agent.gamma');
  });

  it('an unknown grid group, and agent parameters on a rollout, are refused', async () => {
    let e = await configError(withChange((c) => { (c.grid as Record<string, unknown>).market = { x: [1] }; }));
    assert.equal(e.path, '$.grid.market');
    assert.match(e.message, /allowed: env \(make\(\) kwargs\), agent/);
    e = await configError(withChange((c) => { c.trial = { kind: 'rollout', policy: 'noop' }; }));
    assert.equal(e.path, '$.grid.agent');
    assert.match(e.message, /rollout trial has no agent parameters/);
  });

  it('an unknown trial kind lists the kinds; an unknown trial setting lists the settings', async () => {
    let e = await configError(withChange((c) => { c.trial = { kind: 'dqn' }; }));
    assert.equal(e.path, '$.trial.kind');
    assert.match(e.message, /got "dqn"; unknown trial kind; allowed: q-learning, rollout/);
    e = await configError(withChange((c) => { (c.trial as Record<string, unknown>).episdes = 5; }));
    assert.equal(e.path, '$.trial.episdes');
    assert.match(e.message, /allowed: kind, episodes, evalSeeds, discretize, agent/);
  });

  it('an unknown env id lists the registered ids', async () => {
    const e = await configError(withChange((c) => { c.env = 'drift-vam-v0'; }));
    assert.equal(e.path, '$.env');
    assert.match(e.message, /unknown env id; registered: .*drift-vamm-v0/);
  });

  it('a bad worker count in the config', async () => {
    for (const workers of [0, 1.5, -2, 65, '2']) {
      const e = await configError(withChange((c) => { c.workers = workers; }));
      assert.equal(e.path, '$.workers');
      assert.match(e.message, /whole number of worker threads from 1 to 64/);
    }
  });

  it('seeds: empty, duplicated, negative or fractional', async () => {
    const cases: [unknown, string][] = [[[], '$.seeds'], [[1, 2, 1], '$.seeds[2]'], [[1, -1], '$.seeds[1]'], [[0.5], '$.seeds[0]'], [{ from: 1 }, '$.seeds.count']];
    for (const [seeds, path] of cases) {
      const e = await configError(withChange((c) => { c.seeds = seeds; }));
      assert.equal(e.path, path, JSON.stringify(seeds));
    }
  });

  it('agent values out of Q-learning\'s ranges point at the value', async () => {
    let e = await configError(withChange((c) => { (c.grid as { agent: Record<string, unknown> }).agent.gamma = [0.99, 1.5]; }));
    assert.equal(e.path, '$.grid.agent.gamma[1]');
    assert.match(e.message, /got 1\.5; Q-learning expects a discount factor in \[0, 1\]/);
    e = await configError(withChange((c) => { (c.trial as Record<string, unknown>).agent = { epsilonStart: 2 }; }));
    assert.match(e.path, /^\$\.trial\.agent\./);
  });

  it('env kwargs the env refuses are found by building each grid point before any trial runs', async () => {
    let e = await configError(withChange((c) => { c.grid = { env: { market: ['SOL', 'XYZ'] } }; }));
    assert.equal(e.path, '$.grid.env.market[1]');
    assert.match(e.message, /got "XYZ"; make\("drift-vamm-v0", …\) rejects it: InvalidArgumentError: drift-vamm-v0 option market/);
    e = await configError(withChange((c) => { c.envOptions = { kRnge: 3 }; }));
    assert.equal(e.path, '$.envOptions');
    assert.match(e.message, /option kRnge: .*no such option/);
  });

  it('a combination the env refuses names every value involved', async () => {
    // a custom curve cannot be calibrated: only market × calibrated = (custom, true) fails
    const custom = { baseAssetReserve: 1e17, quoteAssetReserve: 1e17, sqrtK: 1e17, pegMultiplier: 100_000, totalFee: 0, totalFeeMinusDistributions: 1e9 };
    const e = await configError(withChange((c) => { c.grid = { env: { market: ['SOL', custom], calibrated: [false, true] } }; }));
    assert.equal(e.path, '$.grid.env.market[1] with $.grid.env.calibrated[1]');
  });

  it('a rollout policy the env cannot play, and bins that do not fit the observation', async () => {
    let e = await configError({ env: 'CartPole-v1', trial: { kind: 'rollout', policy: 'formulaic' }, seeds: [1] });
    assert.equal(e.path, '$.trial.policy');
    assert.match(e.message, /only noop and random apply/);
    e = await configError({ env: 'CartPole-v1', trial: { kind: 'rollout' }, grid: { trial: { policy: ['noop', 'repeg-to-oracle'] } }, seeds: [1] });
    assert.equal(e.path, '$.grid.trial.policy[1]');
    e = await configError({ env: 'CartPole-v1', trial: { kind: 'rollout', policy: 'nope' }, seeds: [1] });
    assert.equal(e.path, '$.trial.policy');
    assert.match(e.message, /expected a baseline policy: noop, random, repeg-to-oracle, formulaic, historical/);
    e = await configError(withChange((c) => { (c.trial as Record<string, unknown>).discretize = { bins: [3, 3], low: [0, 0], high: [1, 1] }; }));
    assert.equal(e.path, '$.trial.discretize');
    assert.match(e.message, /DiscretizeObservation on drift-vamm-v0 rejects it/);
  });

  it('a file that is not JSON names the line and column', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "env": "drift-vamm-v0",\n  "seeds": [1, 2,]\n}\n');
    assert.throws(() => loadSweepConfig(file), (e: unknown) => e instanceof SweepConfigError && e.path === 'line 3 column 18' && e.message.startsWith(`${file}: line 3 column 18: `));
    assert.throws(() => loadSweepConfig(join(dir, 'missing.json')), (e: unknown) => e instanceof SweepConfigError && /ENOENT/.test(e.message));
  });
});

describe('sweep config: defaults and the trial grid', () => {
  it('fills the env\'s tabular defaults as train q-learning does', () => {
    const c = parseSweepConfig({ env: 'drift-vamm-v0', trial: { kind: 'q-learning' }, seeds: { from: 5, count: 3 } }, 'a/b/my-sweep.json');
    assert.equal(c.name, 'my-sweep');
    assert.deepEqual(c.seeds, [5, 6, 7]);
    assert.equal(c.grid.length, 0);
    assert.ok(c.trial.kind === 'q-learning');
    assert.equal(c.trial.episodes, 3000);
    assert.equal(c.trial.evalSeeds, 10);
    assert.deepEqual(c.trial.agent, { gamma: 0.999, learningRate: 0.05 });
    assert.deepEqual(c.trial.discretize?.bins, [7, 7, 1, 3, 1]);
  });

  it('grid points in file order, the last parameter fastest, seeds innermost; typed columns', async () => {
    const plan = await planSweep(parseSweepConfig(withChange((c) => { c.grid = { env: { market: ['SOL', 'BTC'] }, agent: { gamma: [0.99, 0.999] } }; }), 'x.json'));
    assert.equal(plan.trials.length, 8);
    assert.deepEqual(plan.trials.map((t) => [t.params['env.market'], t.params['agent.gamma'], t.seed]), [
      ['SOL', 0.99, 1], ['SOL', 0.99, 2], ['SOL', 0.999, 1], ['SOL', 0.999, 2],
      ['BTC', 0.99, 1], ['BTC', 0.99, 2], ['BTC', 0.999, 1], ['BTC', 0.999, 2],
    ]);
    assert.deepEqual(plan.trials.map((t) => t.index), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(new Set(plan.trials.map((t) => t.key)).size, 8);
    const t = plan.trials[5]!.task;
    assert.deepEqual(t.envOptions, { maxEpisodeSteps: 30, market: 'BTC' });
    assert.ok(t.plan.kind === 'q-learning');
    assert.deepEqual(t.plan.agent, { gamma: 0.99, learningRate: 0.05 });
    assert.equal(t.seed, 2);
    const types = Object.fromEntries(plan.columns.map((c) => [c.name, c.type]));
    assert.equal(types['env.market'], 'VARCHAR');
    assert.equal(types['agent.gamma'], 'DOUBLE');
    assert.equal(types.seed, 'BIGINT');
    assert.equal(types.envSteps, 'BIGINT');
    assert.deepEqual(plan.columns.slice(0, 4).map((c) => c.name), ['trial', 'env.market', 'agent.gamma', 'seed']);
  });

  it('the fingerprint follows what decides results, not the name or the worker count', async () => {
    const fp = async (c: Record<string, unknown>) => (await planSweep(parseSweepConfig(c, 'f.json') as SweepConfig)).fingerprint;
    const base = await fp(withChange(() => {}));
    assert.equal(await fp(withChange((c) => { c.name = 'other'; c.workers = 2; })), base);
    assert.notEqual(await fp(withChange((c) => { c.seeds = [1, 3]; })), base);
    assert.notEqual(await fp(withChange((c) => { (c.trial as Record<string, unknown>).episodes = 4; })), base);
    assert.notEqual(await fp(withChange((c) => { c.envOptions = { maxEpisodeSteps: 31 }; })), base);
  });
});
