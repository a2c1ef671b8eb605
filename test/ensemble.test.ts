import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnsemblePolicy, type EnsembleMember } from '../agents/ensemble.js';
import { AgentConfigError } from '../agents/errors.js';
import type { Policy } from '../agents/policy.js';
import { Rng } from '../env/core/rng.js';

/** A member that plays a fixed script of actions and records what it saw. */
function scripted(name: string, script: readonly number[]): Policy<unknown, number> & { seen: unknown[]; resets: number[] } {
  let t = 0;
  const seen: unknown[] = [];
  const resets: number[] = [];
  return {
    name, seen, resets,
    act(obs) { seen.push(obs); return script[t++ % script.length]!; },
    reset(rng) { t = 0; resets.push(rng.random()); },
  };
}

const member = (policy: Policy<unknown, number>, extra: Partial<EnsembleMember> = {}): EnsembleMember => ({ policy, ...extra });

describe('EnsemblePolicy', () => {
  it('vote: weighted plurality, ties to the earliest member', () => {
    const a = scripted('a', [1, 1, 2, 3]);
    const b = scripted('b', [2, 1, 2, 4]);
    const c = scripted('c', [2, 3, 3, 5]);
    const e = new EnsemblePolicy([member(a), member(b), member(c)]);
    assert.equal(e.name, 'ensemble-vote(a+b+c)');
    assert.deepEqual([0, 1, 2, 3].map(() => e.act(null, {})), [2, 1, 2, 3]);
    // a weight can outvote two others
    const w = new EnsemblePolicy([member(scripted('a', [1])), member(scripted('b', [2])), member(scripted('c', [2]))].map((m, i) => ({ ...m, weight: i === 0 ? 2.5 : 1 })));
    assert.equal(w.act(null, {}), 1);
  });

  it('agree: the primary acts only when another member proposes the same action, else hold', () => {
    const e = new EnsemblePolicy([member(scripted('rl', [3, 3, 1, 0])), member(scripted('rnn', [3, 4, 4, 0])), member(scripted('cnn', [2, 4, 1, 0]))], { rule: 'agree', holdAction: 0 });
    assert.deepEqual([0, 1, 2, 3].map(() => e.act(null, {})), [3, 0, 1, 0]);
    assert.deepEqual(e.agreements, [3, 2, 2]);
  });

  it('asks every member every step, through its own observation view, and resets them on independent streams', () => {
    const a = scripted('a', [0]);
    const b = scripted('b', [1]);
    const e = new EnsemblePolicy([member(a), member(b, { observe: (o) => (o as number) * 10 })]);
    e.act(4, {});
    e.act(5, {});
    assert.deepEqual(a.seen, [4, 5]);
    assert.deepEqual(b.seen, [40, 50]);
    e.reset(new Rng(1));
    assert.equal(a.resets.length, 1);
    assert.notEqual(a.resets[0], b.resets[0]);
  });

  it('refuses fewer than two members, an unknown rule and a non-positive weight', () => {
    const one = scripted('a', [0]);
    assert.throws(() => new EnsemblePolicy([member(one)]), (e: Error) => e instanceof AgentConfigError && /at least two/.test(e.message));
    assert.throws(() => new EnsemblePolicy([member(one), member(one)], { rule: 'median' as never }), /'vote' \| 'agree'/);
    assert.throws(() => new EnsemblePolicy([member(one), member(one, { weight: 0 })]), /members\[1\]\.weight/);
  });
});

describe('evaluate --policy with ensembles', () => {
  it('parses an ensemble as the rest of its --policy value; other items split on commas', async () => {
    const { parsePolicySpecs } = await import('../training/commands/evaluate.js');
    assert.deepEqual(parsePolicySpecs('noop,formulaic'), ['noop', 'formulaic']);
    assert.deepEqual(parsePolicySpecs('noop, ensemble:a,b'), ['noop', 'ensemble:a,b']);
    assert.deepEqual(parsePolicySpecs(['ensemble:a,b,c', 'random']), ['ensemble:a,b,c', 'random']);
  });

  it('evaluates an ensemble of drift baselines next to its members, and names a malformed ensemble', async () => {
    const { runCli } = await import('./run-cli.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const out = mkdtempSync(join(tmpdir(), 'ens-'));
    const r = runCli('evaluate', '--policy', 'formulaic,noop', '--policy', 'ensemble:formulaic,noop,noop', '--ensemble-rule', 'vote',
      '--seeds', '2', '--env-options', '{"horizon": 120}', '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { policies: { policy: string; mean: number }[] };
    assert.deepEqual(s.policies.map((p) => p.policy), ['formulaic', 'noop', 'ensemble-vote(formulaic+noop+noop)']);
    // two noop votes beat one formulaic vote every step: the ensemble is noop
    assert.equal(s.policies[2]!.mean, s.policies[1]!.mean);
    const bad = runCli('evaluate', '--policy', 'ensemble:noop', '--seeds', '1');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /an ensemble needs two or more members/);
  });
});
