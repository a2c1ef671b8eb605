import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './run-cli.js';

describe('damm-gym env (CLI)', () => {
  it('env list --json lists every registered env with its spaces', () => {
    const r = runCli('env', 'list', '--json');
    assert.equal(r.status, 0, r.stderr);
    const { envs } = JSON.parse(r.stdout) as { envs: { id: string; actionSpace: string; maxEpisodeSteps: number }[] };
    const cartpole = envs.find((e) => e.id === 'CartPole-v1');
    assert.deepEqual([cartpole?.actionSpace, cartpole?.maxEpisodeSteps], ['Discrete(2)', 500]);
  });

  it('env check passes on every registered env and fails (exit 1) on an unknown id, naming it', () => {
    const all = runCli('env', 'check', '--json');
    assert.equal(all.status, 0, all.stderr);
    const { results } = JSON.parse(all.stdout) as { results: { id: string; ok: boolean }[] };
    assert.ok(results.length >= 1 && results.every((x) => x.ok));
    const bad = runCli('env', 'check', 'CartPol-v1');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /FAIL CartPol-v1: EnvNotFoundError: .*Did you mean: 'CartPole-v1'/);
  });

  it('an unknown command is a usage error (exit 2) that names it', () => {
    const r = runCli('trian');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /trian/);
  });
});
