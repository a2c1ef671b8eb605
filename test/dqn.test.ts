import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env/core/env.js';
import { Box } from '../env/core/spaces/box.js';
import { Discrete } from '../env/core/spaces/discrete.js';
import { make } from '../env/core/registration/registry.js';
import '../env/tasks/builtin.js';
import { AgentConfigError, UnsupportedSpaceError } from '../agents/errors.js';
import { loadPolicy } from '../agents/persistence.js';
import { initTfjsBackend } from '../agents/deep/backend.js';
import {
  Adam, DQN_DEFAULTS, DQN_PRESETS, DqnAgent, clipByGlobalNorm, resolveDqnConfig, tdTargets, trainDqn, type DqnConfig,
} from '../agents/deep/dqn.js';
import { DqnPolicy, saveDqnPolicy } from '../agents/deep/dqnPolicy.js';
import { CheckpointError, readDqnCheckpoint, writeDqnCheckpoint, type DqnSnapshot } from '../agents/deep/checkpoint.js';
import { weightBytes } from '../agents/deep/qNetwork.js';

before(async () => {
  await initTfjsBackend();
});

type AnyEnv = Env<unknown, unknown>;
const cartpole = () => make('CartPole-v1') as AnyEnv;

/** One state, reward 1 per step; every episode ends after one step, by `end`. */
class OneStepEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box(-1, 1, [1]);
  readonly actionSpace = new Discrete(2);
  constructor(readonly end: 'terminated' | 'truncated') {
    super();
  }
  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    return [Float32Array.of(0.5), {}];
  }
  step(action: number): StepResult<Float32Array> {
    void action;
    return [Float32Array.of(0.5), 1, this.end === 'terminated', this.end === 'truncated', {}];
  }
}

/** A short CartPole run that trains from step 200 on. */
const SMALL: Partial<DqnConfig> = { learningStarts: 200, learningRate: 1e-3, targetUpdateInterval: 200, netArch: [32, 32], seed: 5 };

const sha = (b: Uint8Array) => Buffer.from(b).toString('base64');

test('DqnConfig: SB3 defaults, presets, and every bad field named', () => {
  const c = resolveDqnConfig();
  assert.deepEqual(
    { ...c },
    {
      learningRate: 1e-4, bufferSize: 1_000_000, learningStarts: 100, batchSize: 32, tau: 1, gamma: 0.99, trainFreq: 4, gradientSteps: 1,
      targetUpdateInterval: 10_000, explorationFraction: 0.1, explorationInitialEps: 1, explorationFinalEps: 0.05, maxGradNorm: 10,
      netArch: [64, 64], activation: 'relu', doubleQ: false, normalizeObservations: false, clipObservations: 10, seed: 1,
    },
  );
  assert.equal(c.netArch === DQN_DEFAULTS.netArch, false, 'a copy, not the frozen default');
  const zoo = resolveDqnConfig(DQN_PRESETS['zoo-cartpole'].config);
  assert.equal(zoo.trainFreq, 256);
  assert.equal(zoo.gradientSteps, 128);
  assert.deepEqual(zoo.netArch, [256, 256]);
  assert.equal(DQN_PRESETS['zoo-cartpole'].steps, 50_000);
  const bad: [Partial<DqnConfig>, RegExp][] = [
    [{ learningRate: 0 }, /learningRate/],
    [{ tau: 1.5 }, /tau/],
    [{ gradientSteps: 0 }, /gradientSteps/],
    [{ explorationFinalEps: 0.9, explorationInitialEps: 0.5 }, /explorationFinalEps/],
    [{ netArch: [64, 0] }, /netArch/],
    [{ batchSize: 2.5 }, /batchSize/],
    [{ learnRate: 1 } as unknown as Partial<DqnConfig>, /learnRate.*no such field/],
  ];
  for (const [cfg, re] of bad) assert.throws(() => resolveDqnConfig(cfg), (e: unknown) => e instanceof AgentConfigError && re.test(e.message), JSON.stringify(cfg));
});

test('tdTargets: vanilla max over the target network; Double DQN evaluates the online argmax; terminals do not bootstrap', () => {
  const [vanilla, double] = tf.tidy(() => {
    const r = tf.tensor1d([1, 1, 1]);
    const term = tf.tensor1d([0, 0, 1]);
    const nextTarget = tf.tensor2d([[1, 5], [3, 2], [7, 9]]);
    const nextOnline = tf.tensor2d([[2, 1], [0, 4], [0, 1]]);
    return [Array.from(tdTargets(r, term, nextTarget, null, 0.5).dataSync()), Array.from(tdTargets(r, term, nextTarget, nextOnline, 0.5).dataSync())];
  });
  assert.deepEqual(vanilla, [3.5, 2.5, 1]);
  assert.deepEqual(double, [1.5, 2, 1]);
});

test('clipByGlobalNorm: PyTorch clip_grad_norm_ over all tensors', () => {
  const [clipped, kept] = tf.tidy(() => {
    const g = [tf.tensor1d([3]), tf.tensor1d([4])]; // norm 5
    return [clipByGlobalNorm(g, 1).map((t) => t.dataSync()[0]!), clipByGlobalNorm(g, 10).map((t) => t.dataSync()[0]!)];
  });
  assert.ok(Math.abs(clipped[0]! - 0.6) < 1e-6 && Math.abs(clipped[1]! - 0.8) < 1e-6, String(clipped));
  assert.deepEqual(kept, [3, 4]);
});

test('Adam: PyTorch steps (the first moves each weight by lr against its gradient), state saved and restored exactly', () => {
  const p = tf.variable(tf.tensor1d([1, -2]));
  const adam = new Adam([p], 0.1);
  tf.tidy(() => adam.apply([tf.tensor1d([0.5, -3])]));
  const after1 = Array.from(p.dataSync());
  assert.ok(Math.abs(after1[0]! - 0.9) < 1e-6 && Math.abs(after1[1]! + 1.9) < 1e-6, String(after1));
  tf.tidy(() => adam.apply([tf.tensor1d([0.5, -3])]));
  assert.ok(Math.abs(p.dataSync()[0]! - 0.8) < 1e-6);
  const q = tf.variable(p.clone());
  const copy = new Adam([q], 0.1);
  copy.loadBytes(adam.toBytes(), adam.step, 'adam.bin');
  tf.tidy(() => {
    adam.apply([tf.tensor1d([0.3, 0.2])]);
    copy.apply([tf.tensor1d([0.3, 0.2])]);
  });
  assert.deepEqual(Array.from(q.dataSync()), Array.from(p.dataSync()));
  assert.throws(() => copy.loadBytes(new Uint8Array(4), 1, 'x/adam.bin'), (e: unknown) => e instanceof CheckpointError && /x\/adam\.bin/.test(e.message));
  adam.dispose();
  copy.dispose();
  p.dispose();
  q.dispose();
});

test('DQN bootstraps through time limits and not through terminations', async () => {
  // γ = 0.5 and reward 1 per step: Q = 1/(1 − γ) = 2 when time limits cut episodes, 1 when they terminate
  const cfg: Partial<DqnConfig> = {
    gamma: 0.5, learningStarts: 50, trainFreq: 1, targetUpdateInterval: 25, learningRate: 1e-2, netArch: [16], batchSize: 32, seed: 2,
  };
  const q = async (end: 'terminated' | 'truncated') => {
    const r = await trainDqn(new OneStepEnv(end) as unknown as AnyEnv, cfg, { totalTimesteps: 1200 });
    const values = Array.from(r.agent.policy().qValues([0.5]));
    r.agent.dispose();
    return values;
  };
  const truncated = await q('truncated');
  const terminated = await q('terminated');
  for (const v of truncated) assert.ok(Math.abs(v - 2) < 0.1, `truncated: Q ${truncated}`);
  for (const v of terminated) assert.ok(Math.abs(v - 1) < 0.1, `terminated: Q ${terminated}`);
});

test('trainDqn: the same seed gives the same weights bit for bit, another seed others; no tensors leak', async () => {
  const run = async (seed: number, counts?: number[]) => {
    const r = await trainDqn(cartpole(), { ...SMALL, seed }, {
      totalTimesteps: 1500, evalEnv: cartpole(), evalFreq: 500, nEvalEpisodes: 2,
      onEpisode: () => counts?.push(tf.memory().numTensors),
    });
    const bytes = weightBytes(r.agent.online);
    const evals = r.evaluations.map((e) => e.returns);
    r.agent.dispose();
    return { bytes, evals, episodes: r.episodes.map((e) => e.return) };
  };
  const counts: number[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const a = await run(5, counts);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'dispose frees every tensor');
  assert.ok(counts.length > 20);
  assert.equal(Math.max(...counts), Math.min(...counts), `live tensors stay constant while training (${Math.min(...counts)}..${Math.max(...counts)})`);
  const b = await run(5);
  assert.equal(sha(a.bytes), sha(b.bytes));
  assert.deepEqual(a.evals, b.evals);
  assert.deepEqual(a.episodes, b.episodes);
  const c = await run(6);
  assert.notEqual(sha(a.bytes), sha(c.bytes));
});

test('DqnAgent: ε falls linearly over explorationFraction; actions are random before learningStarts', () => {
  const agent = DqnAgent.create(new Box(-1, 1, [3]), new Discrete(4, 2), { explorationFraction: 0.5, explorationFinalEps: 0.1, learningStarts: 10 }, 1000);
  assert.equal(agent.epsilon(0, 1000), 1);
  assert.ok(Math.abs(agent.epsilon(250, 1000) - 0.55) < 1e-12);
  assert.equal(agent.epsilon(500, 1000), 0.1);
  assert.equal(agent.epsilon(900, 1000), 0.1);
  const warmup = new Set(Array.from({ length: 200 }, () => agent.selectAction([0, 0, 0], 5, 1000)));
  assert.deepEqual([...warmup].sort(), [2, 3, 4, 5], 'uniform over Discrete(4, start 2)');
  const greedy = agent.greedyAction([0.1, 0.2, 0.3]);
  assert.ok(greedy >= 2 && greedy <= 5);
  assert.equal(agent.buffer.capacity, 1000, 'a buffer larger than the run would never fill');
  agent.dispose();
  assert.throws(() => DqnAgent.create(new Discrete(3), new Discrete(2), {}, 10), (e: unknown) => e instanceof UnsupportedSpaceError && /observation/.test(e.message));
  assert.throws(() => DqnAgent.create(new Box(-1, 1, [2]), new Box(-1, 1, [1]), {}, 10), (e: unknown) => e instanceof UnsupportedSpaceError && /Discrete/.test(e.message));
});

test('DqnPolicy: saved as policy.json + model dir, loaded synchronously with bit-identical Q values (raw and normalised inputs)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqn-policy-'));
  try {
    for (const normalizeObservations of [false, true]) {
      const r = await trainDqn(cartpole(), { ...SMALL, normalizeObservations }, { totalTimesteps: 600 });
      const policy = r.agent.policy('cp', { note: 'test' });
      const out = join(dir, String(normalizeObservations));
      const path = await saveDqnPolicy(out, policy, { envId: 'CartPole-v1', envSpec: {} });
      const loaded = loadPolicy(path);
      assert.ok(loaded instanceof DqnPolicy);
      assert.equal(loaded.name, 'cp');
      assert.equal(loaded.normalizer === null, !normalizeObservations);
      const env = cartpole();
      let [obs] = env.reset({ seed: 3 });
      for (let t = 0; t < 50; t++) {
        const o = obs as Float32Array;
        assert.deepEqual(Array.from(loaded.qValues(o)), Array.from(policy.qValues(o)));
        assert.equal(loaded.act(o), policy.act(o));
        const [next, , term, trunc] = env.step(policy.act(o));
        obs = term || trunc ? env.reset()[0] : next;
      }
      const batch = new Float32Array(8 * 4).map((_, i) => Math.sin(i));
      assert.deepEqual(Array.from(loaded.actBatch(batch, 8)), Array.from(policy.actBatch(batch, 8)));
      assert.throws(() => loaded.act(Float32Array.of(1, 2)), /expected an observation of 4 numbers/);
      r.agent.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trainDqn: resuming from a checkpoint ends with the same weights as the uninterrupted run (normalised observations, double Q)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqn-ckpt-'));
  try {
    const cfg: Partial<DqnConfig> = { ...SMALL, normalizeObservations: true, doubleQ: true, tau: 0.5 };
    const opts = { totalTimesteps: 1500, evalFreq: 500, nEvalEpisodes: 2 };
    const snapshots: number[] = [];
    const full = await trainDqn(cartpole(), cfg, {
      ...opts, evalEnv: cartpole(), checkpointEvery: 400,
      onCheckpoint: async (s: DqnSnapshot) => {
        snapshots.push(s.state.step);
        if (snapshots.length === 2) await writeDqnCheckpoint(join(dir, 'ckpt'), s);
      },
    });
    assert.ok(snapshots.length >= 2, `checkpoints at ${snapshots}`);
    assert.ok(snapshots.every((s, i) => s >= 400 * (i + 1)), `each at or after its due step: ${snapshots}`);
    const snapshot = await readDqnCheckpoint(join(dir, 'ckpt'));
    assert.equal(snapshot.state.step, snapshots[1]);
    const resumed = await trainDqn(cartpole(), cfg, { ...opts, evalEnv: cartpole(), resume: { snapshot, source: join(dir, 'ckpt') } });
    assert.equal(resumed.resumedFrom, snapshots[1]);
    assert.equal(sha(weightBytes(resumed.agent.online)), sha(weightBytes(full.agent.online)));
    assert.equal(sha(weightBytes(resumed.agent.target)), sha(weightBytes(full.agent.target)));
    assert.deepEqual(resumed.evaluations, full.evaluations);
    assert.deepEqual(resumed.episodes, full.episodes);
    assert.deepEqual(resumed.agent.normalizer?.toJSON(), full.agent.normalizer?.toJSON());
    assert.equal(resumed.agent.gradientUpdates, full.agent.gradientUpdates);
    assert.equal(sha(resumed.best!.weights), sha(full.best!.weights));
    await assert.rejects(
      trainDqn(cartpole(), cfg, { ...opts, totalTimesteps: 2000, resume: { snapshot: await readDqnCheckpoint(join(dir, 'ckpt')), source: 'ckpt' } }),
      (e: unknown) => e instanceof CheckpointError && /1500 steps, not 2000/.test(e.message),
    );
    await assert.rejects(readDqnCheckpoint(join(dir, 'nowhere')), CheckpointError);
    full.agent.dispose();
    resumed.agent.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trainDqn on drift-vamm-v0: Box(5) observations fed raw and the imbalance observation normalised', async () => {
  for (const [kwargs, normalizeObservations] of [[{}, false], [{ observation: 'imbalance' }, true]] as const) {
    const env = make('drift-vamm-v0', { ...kwargs }) as AnyEnv;
    const r = await trainDqn(env, { learningStarts: 200, normalizeObservations, seed: 1 }, { totalTimesteps: 800 });
    assert.equal(r.agent.network.inputDim, 'observation' in kwargs ? 1 : 5);
    assert.equal(r.agent.network.nActions, 6);
    const [obs] = env.reset({ seed: 0 });
    const q = r.agent.policy().qValues(obs as Float32Array);
    assert.ok(q.every(Number.isFinite), `finite Q values ${q}`);
    assert.ok(r.agent.gradientUpdates > 100);
    r.agent.dispose();
  }
});
