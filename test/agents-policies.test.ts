import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Dict, Discrete, Rng } from '../env/core/index.js';
import { NoopPolicy, RandomPolicy, QLearningAgent, PolicyStateError, AgentConfigError, isPersistable, type Policy } from '../agents/index.js';

test('NoopPolicy always returns its hold action', () => {
  const hold = new NoopPolicy(1);
  assert.equal(hold.name, 'noop');
  assert.equal(hold.kind, 'noop');
  for (let i = 0; i < 3; i++) assert.equal(hold.act(), 1);
  const policy: Policy<number, number> = hold;
  assert.equal(policy.act(5, { anything: true }), 1);
  assert.equal(new NoopPolicy(0, { name: 'keep-peg' }).name, 'keep-peg');
  assert.throws(() => new NoopPolicy(3, { actionSpace: new Discrete(3) }), (e: unknown) => e instanceof AgentConfigError && /NoopPolicy\.action: expected an element of Discrete\(3\), got 3/.test(e.message));
  assert.throws(() => new NoopPolicy(new Float32Array([0])).toPolicyData(), /a JSON value .* or an actionSpace/);
});

test('RandomPolicy samples reproducibly from the rng given at reset', () => {
  const space = new Discrete(5);
  const policy = new RandomPolicy(space);
  assert.throws(() => policy.act(), PolicyStateError);
  const episode = (seed: number) => {
    policy.reset(new Rng(seed));
    return Array.from({ length: 30 }, () => policy.act());
  };
  const a = episode(3);
  assert.deepEqual(episode(3), a);
  assert.notDeepEqual(episode(4), a);
  assert.ok(a.every((x) => space.contains(x)));
  assert.equal(new Set(a).size, 5);
  const seeded = new RandomPolicy(space, { seed: 9, name: 'rand' });
  assert.equal(seeded.name, 'rand');
  assert.ok(space.contains(seeded.act()));
});

test('RandomPolicy leaves the env action space RNG alone and handles composite spaces', () => {
  const envSpace = new Discrete(100, 0, 42);
  const reference = new Discrete(100, 0, 42);
  const policy = new RandomPolicy(envSpace);
  policy.reset(new Rng(1));
  for (let i = 0; i < 10; i++) policy.act();
  assert.deepEqual(Array.from({ length: 10 }, () => envSpace.sample()), Array.from({ length: 10 }, () => reference.sample()));

  const dict = new Dict({ peg: new Discrete(3), k: new Box(-1, 1, [2]) });
  const p = new RandomPolicy(dict);
  const draw = () => {
    p.reset(new Rng(7));
    return JSON.stringify(Array.from({ length: 5 }, () => dict.toJsonable([p.act()])));
  };
  assert.equal(draw(), draw());
  p.reset(new Rng(7));
  assert.ok(dict.contains(p.act()));
});

test('built-in policies are persistable', () => {
  assert.ok(isPersistable(new NoopPolicy(0)));
  assert.ok(isPersistable(new RandomPolicy(new Discrete(2))));
  assert.ok(isPersistable(new QLearningAgent({ nStates: 1, nActions: 1 })));
  assert.ok(!isPersistable({ name: 'x', act: () => 0 }));
});
