import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Box, Discrete, Rng, make, register, unregister } from '../env/core/index.js';
import {
  NoopPolicy,
  RandomPolicy,
  QLearningAgent,
  trainQLearning,
  savePolicy,
  loadPolicy,
  readPolicyFile,
  policyToJSON,
  policyFromJSON,
  policyMetaFromEnv,
  registerPolicyKind,
  registeredPolicyKinds,
  PolicyFileError,
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  type PersistablePolicy,
} from '../agents/index.js';
import { evaluatePolicies } from '../training/evaluate.js';
import { ChainEnv, discreteCartPole } from './agents-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-policy-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

function trainedChain(): QLearningAgent {
  return trainQLearning(new ChainEnv(4), { gamma: 0.9, learningRate: 0.3, seed: 3 }, { episodes: 200 }).agent;
}

test('a saved Q policy loads bit-identical and acts identically', () => {
  const agent = trainedChain();
  const path = join(dir, 'nested', 'chain.json');
  const written = savePolicy(path, agent, { envId: 'test/Chain-v0', envSpec: { n: 4, big: 10n ** 30n } });
  assert.equal(written.format, POLICY_FORMAT);
  assert.equal(written.version, POLICY_FORMAT_VERSION);
  assert.equal(written.kind, 'q-learning');
  assert.deepEqual(written.envSpec, { n: 4, big: '1000000000000000000000000000000' });
  assert.match(written.createdAt!, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(readdirSync(join(dir, 'nested')), ['chain.json']); // no temp file left behind

  const loaded = loadPolicy(path);
  assert.ok(loaded instanceof QLearningAgent);
  assert.equal(loaded.name, 'q-learning');
  assert.deepEqual(Buffer.from(loaded.q.buffer), Buffer.from(agent.q.buffer));
  assert.deepEqual(loaded.visits, agent.visits);
  assert.deepEqual(loaded.config, agent.config);
  for (let s = 0; s < 4; s++) assert.equal(loaded.act(s), agent.act(s));
  assert.deepEqual(loaded.coverage(), agent.coverage());

  const file = readPolicyFile(path);
  assert.equal(file.envId, 'test/Chain-v0');
  assert.deepEqual(Object.keys(file), ['format', 'version', 'kind', 'name', 'envId', 'envSpec', 'config', 'createdAt', 'data']);
});

test('a loaded CartPole Q policy plays exactly the same episodes', () => {
  const { agent } = trainQLearning(discreteCartPole(), { seed: 5 }, { episodes: 400 });
  const path = join(dir, 'cartpole.json');
  savePolicy(path, agent, { createdAt: null });
  const loaded = loadPolicy(path) as QLearningAgent;
  const seeds = [10_000, 10_001, 10_002, 10_003];
  const a = evaluatePolicies(discreteCartPole, [agent], { seeds, reps: 10 });
  const b = evaluatePolicies(discreteCartPole, [loaded], { seeds, reps: 10 });
  assert.deepEqual(b.episodes, a.episodes);
  assert.equal(readPolicyFile(path).createdAt, undefined);
  // Saving twice without a timestamp gives byte-identical files.
  const again = join(dir, 'cartpole-again.json');
  savePolicy(again, loaded, { createdAt: null });
  assert.equal(readFileSync(again, 'utf8'), readFileSync(path, 'utf8'));
});

test('noop and random policies round-trip', () => {
  const noopPath = join(dir, 'noop.json');
  savePolicy(noopPath, new NoopPolicy(2, { name: 'hold' }));
  const noop = loadPolicy(noopPath) as NoopPolicy<number>;
  assert.ok(noop instanceof NoopPolicy);
  assert.equal(noop.name, 'hold');
  assert.equal(noop.act(), 2);

  const box = new Box(-1, 1, [3]);
  const boxPath = join(dir, 'noop-box.json');
  savePolicy(boxPath, new NoopPolicy(new Float32Array([0.5, 0, -0.25]), { actionSpace: box }));
  const boxNoop = loadPolicy(boxPath) as NoopPolicy<Float32Array>;
  assert.ok(boxNoop.act() instanceof Float32Array);
  assert.deepEqual(Array.from(boxNoop.act()), [0.5, 0, -0.25]);

  const randomPath = join(dir, 'random.json');
  const random = new RandomPolicy(new Discrete(7, 3));
  savePolicy(randomPath, random);
  const loadedRandom = loadPolicy(randomPath) as RandomPolicy<number>;
  const draws = (p: RandomPolicy<number>) => {
    p.reset(new Rng(11));
    return Array.from({ length: 20 }, () => p.act());
  };
  assert.deepEqual(draws(loadedRandom), draws(random));
});

test('policyMetaFromEnv takes envId and kwargs from the EnvSpec', () => {
  register({ id: 'test/PersistChain-v0', entryPoint: (kwargs) => new ChainEnv((kwargs['n'] as number | undefined) ?? 5), maxEpisodeSteps: 50 });
  try {
    const env = make('test/PersistChain-v0', { n: 3 });
    const meta = policyMetaFromEnv(env);
    assert.equal(meta.envId, 'test/PersistChain-v0');
    assert.deepEqual(meta.envSpec, { n: 3 });
    const file = policyToJSON(new NoopPolicy(1), meta);
    assert.deepEqual([file.envId, file.envSpec], ['test/PersistChain-v0', { n: 3 }]);
  } finally {
    unregister('test/PersistChain-v0');
  }
  assert.deepEqual(policyMetaFromEnv(new ChainEnv()), { envId: null, envSpec: {} });
});

test('loading validates the file with errors naming the file, the field and what is expected', () => {
  const good = policyToJSON(new QLearningAgent({ nStates: 2, nActions: 2 }), { createdAt: null });
  const variant = (patch: Record<string, unknown>) => ({ ...good, ...patch });
  const data = good.data as Record<string, unknown>;
  const cases: [string, unknown, RegExp][] = [
    ['not-json.json', '{ "format": ', /not-json\.json: expected valid JSON, got /],
    ['array.json', [], /array\.json: expected a JSON object, got \[\]/],
    ['format.json', variant({ format: 'something-else' }), /format\.json: field "format": expected "damm-gym-policy", got "something-else"/],
    ['version.json', variant({ version: 2 }), /field "version": expected 1 \(the file was written by a newer damm-gym\), got 2/],
    ['kind.json', variant({ kind: 'ppo' }), /field "kind": expected one of 'q-learning', 'noop', 'random'.*, got "ppo"/],
    ['nodata.json', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'data')), /field "data": expected the policy data/],
    ['qlen.json', variant({ data: { ...data, q: [0, 0, 0] } }), /qlen\.json: field "data\.q": expected an array of 4 finite numbers \(nStates 2 × nActions 2, row-major by state\), got 3 values/],
    ['qval.json', variant({ data: { ...data, q: [0, 'x', 0, 0] } }), /field "data\.q\[1\]": expected a finite number, got "x"/],
    ['visits.json', variant({ data: { ...data, visits: [0, -1, 0, 0] } }), /field "data\.visits\[1\]": expected a non-negative integer, got -1/],
    ['nstates.json', variant({ data: { ...data, nStates: 0 } }), /field "data\.nStates": expected an integer >= 1, got 0/],
    ['gamma.json', variant({ config: { ...good.config, gamma: 2 } }), /field "config\.gamma": expected a discount factor in \[0, 1\], got 2/],
    ['space.json', { ...policyToJSON(new RandomPolicy(new Discrete(2))), config: { actionSpace: { type: 'Nope' } } }, /field "config\.actionSpace": expected a space definition/],
  ];
  for (const [name, content, pattern] of cases) {
    const path = writeJson(name, content);
    assert.throws(() => loadPolicy(path), (e: unknown) => e instanceof PolicyFileError && pattern.test(e.message) && e.file === path, name);
  }
  assert.throws(() => loadPolicy(join(dir, 'missing.json')), (e: unknown) => e instanceof PolicyFileError && /missing\.json: expected a readable policy file, got .*ENOENT/.test(e.message));
  const err = (() => {
    try {
      loadPolicy(join(dir, 'qlen.json'));
    } catch (e) {
      return e as PolicyFileError;
    }
    return null;
  })();
  assert.equal(err?.field, 'data.q');
});

test('saving refuses what JSON cannot hold, and a failed write leaves no temp file', () => {
  const agent = new QLearningAgent({ nStates: 1, nActions: 2 });
  agent.q[1] = NaN;
  assert.throws(() => savePolicy(join(dir, 'nan.json'), agent), /field "data\.q\[1\]": expected a finite number \(JSON has no NaN or infinity\), got NaN/);
  assert.throws(() => savePolicy(join(dir, 'fn.json'), new NoopPolicy(0), { envSpec: { make: () => 1 } }), /field "envSpec\.make": expected a JSON value/);
  assert.throws(() => savePolicy(join(dir, 'x.json'), { name: 'plain', act: () => 0 }), /PersistablePolicy/);
  const blocker = writeJson('blocker', 'a file, not a directory');
  assert.throws(() => savePolicy(join(blocker, 'p.json'), new NoopPolicy(0)), (e: unknown) => e instanceof PolicyFileError && /expected a writable path/.test(e.message));
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});

test('other modules register their own kinds', () => {
  class Threshold implements PersistablePolicy<number, number> {
    readonly kind = 'test-threshold';
    constructor(readonly name: string, readonly cut: number) {}
    act(obs: number): number {
      return obs > this.cut ? 1 : 0;
    }
    toPolicyData() {
      return { config: {}, data: { cut: this.cut } };
    }
  }
  registerPolicyKind('test-threshold', (file, read) => new Threshold(file.name, read.object(file.data, 'data')['cut'] as number));
  assert.throws(() => registerPolicyKind('test-threshold', () => new NoopPolicy(0)), /not registered yet/);
  assert.ok(registeredPolicyKinds().includes('test-threshold'));
  const loaded = policyFromJSON(JSON.parse(JSON.stringify(policyToJSON(new Threshold('t', 0.5)))));
  assert.ok(loaded instanceof Threshold);
  assert.equal(loaded.act(0.7), 1);
});
