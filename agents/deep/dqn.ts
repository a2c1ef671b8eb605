/**
 * DQN (Mnih et al., 2015) as Stable-Baselines3 implements it (`stable_baselines3/dqn/dqn.py`,
 * rl-conventions.md §4.1), readable top to bottom in the CleanRL manner (`cleanrl/dqn.py`):
 *
 * 1. collect: ε-greedy actions (uniformly random for the first `learningStarts` steps), ε falling
 *    linearly from `explorationInitialEps` to `explorationFinalEps` over the first
 *    `explorationFraction` of training; every transition goes into the replay buffer;
 * 2. every `targetUpdateInterval` env steps: target ← τ·online + (1 − τ)·target (τ = 1: a copy);
 * 3. every `trainFreq` env steps once past `learningStarts`: `gradientSteps` updates, each on a
 *    uniform minibatch of `batchSize`:
 *
 *        y = r + γ · (1 − terminated) · max_a' Q_target(s', a')          (vanilla, SB3)
 *        y = r + γ · (1 − terminated) · Q_target(s', argmax_a' Q(s', a'))  (doubleQ, van Hasselt 2016)
 *        loss = Huber(Q(s, a), y)   (smooth L1, δ = 1, mean over the batch)
 *
 *    gradients clipped to global norm `maxGradNorm`, then one Adam step (PyTorch's formulation);
 * 4. every `evalFreq` steps (and at the end): `nEvalEpisodes` greedy episodes on a separate env
 *    with fixed seeds disjoint from training, the best network kept (SB3's `EvalCallback`).
 *
 * Time limits: a truncated episode bootstraps from its real last observation and a terminated one
 * does not (SB3's `handle_timeout_termination`); see replayBuffer.ts.
 *
 * Determinism: the networks' initial weights, ε draws, random actions and replay indices all come
 * from `new Rng(seed)`'s child streams, the env is reset with `seed` once (Gymnasium), and tfjs
 * kernels are deterministic on one thread, so a rerun gives the same weights bit for bit.
 * Checkpoints (checkpoint.ts) are taken at episode boundaries and resume to the same result.
 */
import * as tf from '@tensorflow/tfjs';
import type { Env } from '../../env/core/env.js';
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { Rng } from '../../env/core/rng.js';
import { Box } from '../../env/core/spaces/box.js';
import { Discrete } from '../../env/core/spaces/discrete.js';
import type { AnySpace } from '../../env/core/spaces/space.js';
import { AgentConfigError, UnsupportedSpaceError } from '../errors.js';
import type { JsonObject } from '../policy.js';
import { epsilonAt } from '../schedules.js';
import { CheckpointError, DQN_CHECKPOINT_FORMAT, DQN_CHECKPOINT_VERSION, type DqnCheckpointState, type DqnSnapshot } from './checkpoint.js';
import { DqnPolicy } from './dqnPolicy.js';
import {
  ObservationNormalizer, Q_NETWORK_ACTIVATIONS, buildQNetwork, greedyActions, polyakUpdate, qForward, qNetworkParams, setWeightsFromBytes,
  float32Bytes, weightBytes, weightSpecs,
  type QNetworkActivation, type QNetworkSpec,
} from './qNetwork.js';
import { ReplayBuffer } from './replayBuffer.js';

// ---------------------------------------------------------------------------------------------
// Hyper-parameters
// ---------------------------------------------------------------------------------------------

export interface DqnConfig {
  /** Adam step size. */
  learningRate: number;
  /** Replay capacity (transitions). */
  bufferSize: number;
  /** Env steps of uniformly random actions before learning starts. */
  learningStarts: number;
  batchSize: number;
  /** Target update coefficient: 1 = hard copy, < 1 = polyak averaging. */
  tau: number;
  gamma: number;
  /** Env steps between training rounds. */
  trainFreq: number;
  /** Gradient updates per training round; −1 = as many as env steps in the round. */
  gradientSteps: number;
  /** Env steps between target updates. */
  targetUpdateInterval: number;
  /** Fraction of the training steps over which ε falls linearly. */
  explorationFraction: number;
  explorationInitialEps: number;
  explorationFinalEps: number;
  /** Global-norm gradient clipping. */
  maxGradNorm: number;
  /** Hidden layer sizes (SB3's `net_arch`). */
  netArch: number[];
  activation: QNetworkActivation;
  /** Double DQN target (off in SB3). */
  doubleQ: boolean;
  /** Running mean/std normalisation of observations (SB3's VecNormalize norm_obs; off by default). */
  normalizeObservations: boolean;
  /** Normalised observations are clipped to ±this (VecNormalize's clip_obs). */
  clipObservations: number;
  /** Seeds the training env's first reset, the network initialisation, exploration and replay sampling. */
  seed: number;
}

/**
 * SB3 2.x `DQN.__init__` defaults (DLR-RM/stable-baselines3 `dqn/dqn.py`; `net_arch` [64, 64] and
 * ReLU from `dqn/policies.py`; VecNormalize's `clip_obs` 10), seed 1 as CleanRL's `dqn.py`.
 */
export const DQN_DEFAULTS: Readonly<DqnConfig> = Object.freeze({
  learningRate: 1e-4,
  bufferSize: 1_000_000,
  learningStarts: 100,
  batchSize: 32,
  tau: 1.0,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 10_000,
  explorationFraction: 0.1,
  explorationInitialEps: 1.0,
  explorationFinalEps: 0.05,
  maxGradNorm: 10,
  netArch: Object.freeze([64, 64]) as unknown as number[],
  activation: 'relu',
  doubleQ: false,
  normalizeObservations: false,
  clipObservations: 10,
  seed: 1,
});

/** A named set of hyper-parameters and its training budget. */
export interface DqnPreset {
  readonly description: string;
  readonly steps: number;
  readonly config: Readonly<Partial<DqnConfig>>;
}

export const DQN_PRESETS = Object.freeze({
  sb3: {
    description: "SB3's DQN defaults (100k steps)",
    steps: 100_000,
    config: {},
  },
  /** rl-baselines3-zoo `hyperparams/dqn.yml`, CartPole-v1 (rl-conventions.md §4.1). */
  'zoo-cartpole': {
    description: 'RL Zoo CartPole-v1: 5e4 steps, lr 2.3e-3, batch 64, buffer 1e5, learning starts 1000, target update 10, train freq 256, gradient steps 128, ε 0.16 → 0.04, net [256, 256]',
    steps: 50_000,
    config: {
      learningRate: 2.3e-3, batchSize: 64, bufferSize: 100_000, learningStarts: 1000, gamma: 0.99, targetUpdateInterval: 10,
      trainFreq: 256, gradientSteps: 128, explorationFraction: 0.16, explorationFinalEps: 0.04, netArch: [256, 256],
    },
  },
  /**
   * Ours for drift-vamm-v0 (1440-step episodes, per-step rewards of tens of USD, observations of
   * very different scales): SB3 defaults but a faster learner (lr 1e-3, batch 64, target copied
   * every 1000 steps), 5000 random steps first, longer exploration and normalised observations;
   * 100k steps ≈ 70 episodes, about a minute on wasm.
   */
  'drift-vamm': {
    description: 'drift-vamm-v0: SB3 defaults but lr 1e-3, buffer 1e5, learning starts 5000, batch 64, target update 1000, ε 1 → 0.05 over 30 %, normalised observations, 100k steps',
    steps: 100_000,
    config: {
      learningRate: 1e-3, bufferSize: 100_000, learningStarts: 5000, batchSize: 64, targetUpdateInterval: 1000,
      explorationFraction: 0.3, normalizeObservations: true,
    },
  },
} satisfies Record<string, DqnPreset>);

export type DqnPresetName = keyof typeof DQN_PRESETS;
export const DQN_PRESET_NAMES = Object.keys(DQN_PRESETS) as DqnPresetName[];

const CONFIG_KEYS = Object.keys(DQN_DEFAULTS) as (keyof DqnConfig)[];

/** Defaults filled in and every field checked; unknown keys are rejected (usually typos). */
export function resolveDqnConfig(config: Partial<DqnConfig> = {}, where = 'DqnConfig'): DqnConfig {
  for (const key of Object.keys(config)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) {
      throw new AgentConfigError(key, (config as Record<string, unknown>)[key], `no such field; allowed: ${CONFIG_KEYS.join(', ')}`, where);
    }
  }
  const c = { ...DQN_DEFAULTS, netArch: [...DQN_DEFAULTS.netArch] } as DqnConfig;
  for (const key of CONFIG_KEYS) {
    const v = config[key];
    if (v !== undefined) (c as unknown as Record<string, unknown>)[key] = v;
  }
  const bad = (field: keyof DqnConfig, expected: string): never => {
    throw new AgentConfigError(field, c[field], expected, where);
  };
  const posInt = (field: keyof DqnConfig) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) bad(field, 'a positive integer');
  };
  const prob = (field: keyof DqnConfig) => {
    const v = c[field];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(field, 'a number in [0, 1]');
  };
  if (typeof c.learningRate !== 'number' || !(c.learningRate > 0 && Number.isFinite(c.learningRate))) bad('learningRate', 'a positive number');
  posInt('bufferSize');
  if (!Number.isSafeInteger(c.learningStarts) || c.learningStarts < 0) bad('learningStarts', 'a non-negative integer');
  posInt('batchSize');
  if (typeof c.tau !== 'number' || !(c.tau > 0 && c.tau <= 1)) bad('tau', 'a number in (0, 1] (1: hard target update)');
  prob('gamma');
  posInt('trainFreq');
  if (!Number.isSafeInteger(c.gradientSteps) || !(c.gradientSteps >= 1 || c.gradientSteps === -1)) bad('gradientSteps', 'a positive integer, or -1 (as many as env steps per round)');
  posInt('targetUpdateInterval');
  prob('explorationFraction');
  prob('explorationInitialEps');
  prob('explorationFinalEps');
  if (c.explorationFinalEps > c.explorationInitialEps) bad('explorationFinalEps', `at most explorationInitialEps (${c.explorationInitialEps})`);
  if (typeof c.maxGradNorm !== 'number' || !(c.maxGradNorm > 0)) bad('maxGradNorm', 'a positive number (Infinity: no clipping)');
  if (!Array.isArray(c.netArch) || !c.netArch.every((u) => Number.isSafeInteger(u) && u > 0)) bad('netArch', 'an array of positive integers (units per hidden layer)');
  if (!(Q_NETWORK_ACTIVATIONS as readonly string[]).includes(c.activation)) bad('activation', Q_NETWORK_ACTIVATIONS.join(' or '));
  if (typeof c.doubleQ !== 'boolean') bad('doubleQ', 'true or false');
  if (typeof c.normalizeObservations !== 'boolean') bad('normalizeObservations', 'true or false');
  if (typeof c.clipObservations !== 'number' || !(c.clipObservations > 0)) bad('clipObservations', 'a positive number');
  if (typeof c.seed !== 'number' || !Number.isSafeInteger(c.seed) || c.seed < 0) bad('seed', 'a non-negative safe integer');
  return c;
}

// ---------------------------------------------------------------------------------------------
// Adam, with state we can checkpoint
// ---------------------------------------------------------------------------------------------

/**
 * PyTorch's `torch.optim.Adam` (β 0.9/0.999, ε 1e-8, the defaults SB3 uses):
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε).
 * Written out rather than `tf.train.adam` because that optimizer rebuilds β^t from its step count
 * on `setWeights`, which is not bit-identical to the running product it keeps while training.
 */
export class Adam {
  static readonly beta1 = 0.9;
  static readonly beta2 = 0.999;
  static readonly epsilon = 1e-8;
  step = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];

  constructor(readonly params: readonly tf.Variable[], readonly learningRate: number) {
    // tidy disposes the zeros tensors; variables survive it
    this.m = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /** One step with `grads` (same order as `params`); call inside tf.tidy. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step++;
    const { beta1: b1, beta2: b2, epsilon } = Adam;
    const stepSize = this.learningRate / (1 - b1 ** this.step);
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.step);
    this.params.forEach((p, i) => {
      const g = grads[i]!;
      const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
      this.m[i]!.assign(m);
      this.v[i]!.assign(v);
      const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), epsilon);
      p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
    });
  }

  /** Both moments, float32, m of every parameter then v of every parameter. */
  toBytes(): Uint8Array {
    return float32Bytes([...this.m, ...this.v]);
  }

  loadBytes(bytes: Uint8Array, step: number, source: string): void {
    const slots = [...this.m, ...this.v];
    const total = slots.reduce((n, t) => n + t.size, 0);
    if (bytes.byteLength !== 4 * total) throw new CheckpointError(`${source}: ${bytes.byteLength} bytes; Adam's moments of this network need ${4 * total}`);
    const all = new Float32Array(bytes.slice().buffer);
    let at = 0;
    tf.tidy(() => {
      for (const t of slots) {
        t.assign(tf.tensor(all.subarray(at, at + t.size), t.shape, 'float32'));
        at += t.size;
      }
    });
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

/** PyTorch's `clip_grad_norm_`: g · min(1, maxNorm / (‖g‖₂ + 1e-6)), the norm over all tensors. */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  if (maxNorm === Infinity) return [...grads];
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return grads.map((g) => tf.mul(g, coef));
}

/**
 * The TD targets y = r + γ·(1 − terminal)·V(s'): V(s') = max_a' Q_target(s', a') (vanilla), or
 * with `nextQOnline` (Double DQN) Q_target(s', argmax_a' Q_online(s', a')).
 */
export function tdTargets(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQTarget: tf.Tensor2D, nextQOnline: tf.Tensor2D | null, gamma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const nextV = nextQOnline === null
      ? tf.max(nextQTarget, 1)
      : tf.sum(tf.mul(nextQTarget, tf.oneHot(tf.argMax(nextQOnline, 1) as tf.Tensor1D, nextQTarget.shape[1])), 1);
    return tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminals), gamma), nextV)) as tf.Tensor1D;
  });
}

// ---------------------------------------------------------------------------------------------
// The agent: networks, optimizer, replay, exploration
// ---------------------------------------------------------------------------------------------

/** One finished training episode. */
export interface DqnEpisodeStats {
  readonly episode: number;
  /** Env step at which it ended (counted from 1). */
  readonly step: number;
  readonly return: number;
  readonly length: number;
  readonly terminated: boolean;
  /** ε when it ended. */
  readonly epsilon: number;
}

/** One run of the evaluation callback. */
export interface DqnEvaluation {
  readonly step: number;
  readonly returns: number[];
  readonly lengths: number[];
  readonly meanReturn: number;
  readonly stdReturn: number;
  readonly meanLength: number;
  /** Gradient updates done when it ran. */
  readonly gradientUpdates: number;
}

function observationDim(space: AnySpace, where: string): number {
  if (!(space instanceof Box)) {
    throw new UnsupportedSpaceError(where, 'observation', String(space), 'a Box (fed to the network raw, flattened)', 'DQN does not discretise observations');
  }
  return space.size;
}

function actionSpaceOf(space: AnySpace, where: string): Discrete {
  if (!(space instanceof Discrete)) {
    throw new UnsupportedSpaceError(where, 'action', String(space), 'Discrete(n)', 'wrap a Box action space with DiscretizeAction');
  }
  return space;
}

export class DqnAgent {
  readonly config: Readonly<DqnConfig>;
  readonly network: QNetworkSpec;
  readonly actionStart: number;
  readonly online: tf.LayersModel;
  readonly target: tf.LayersModel;
  readonly buffer: ReplayBuffer;
  /** Exploration draws and replay sampling. */
  readonly rng: Rng;
  readonly normalizer: ObservationNormalizer | null;
  gradientUpdates = 0;
  private readonly adam: Adam;
  /** Online and target kernels and biases, in layer order. */
  private readonly params: tf.Variable[];
  private readonly targetParams: tf.Variable[];
  private readonly input: Float32Array;

  private constructor(
    config: DqnConfig, network: QNetworkSpec, actionStart: number, online: tf.LayersModel, target: tf.LayersModel,
    buffer: ReplayBuffer, rng: Rng, normalizer: ObservationNormalizer | null,
  ) {
    this.config = Object.freeze({ ...config, netArch: Object.freeze([...config.netArch]) as unknown as number[] });
    this.network = network;
    this.actionStart = actionStart;
    this.online = online;
    this.target = target;
    this.buffer = buffer;
    this.rng = rng;
    this.normalizer = normalizer;
    this.params = qNetworkParams(online);
    this.targetParams = qNetworkParams(target);
    this.adam = new Adam(this.params, config.learningRate);
    this.input = new Float32Array(network.inputDim);
  }

  /**
   * A fresh agent for the env's spaces (Box observations, Discrete actions). The replay buffer holds
   * min(bufferSize, totalTimesteps) transitions: a larger one would never fill.
   */
  static create(observationSpace: AnySpace, actionSpace: AnySpace, config: Partial<DqnConfig>, totalTimesteps: number): DqnAgent {
    const c = resolveDqnConfig(config);
    const inputDim = observationDim(observationSpace, 'DqnAgent');
    const actions = actionSpaceOf(actionSpace, 'DqnAgent');
    const network: QNetworkSpec = { inputDim, hidden: [...c.netArch], nActions: actions.n, activation: c.activation };
    const [explore, init] = new Rng(c.seed).spawn(2) as [Rng, Rng];
    const online = buildQNetwork(network, init);
    const target = buildQNetwork(network, init);
    polyakUpdate(online, target, 1);
    const buffer = new ReplayBuffer(Math.min(c.bufferSize, Math.max(1, totalTimesteps)), inputDim);
    const normalizer = c.normalizeObservations ? new ObservationNormalizer(inputDim, { clip: c.clipObservations }) : null;
    return new DqnAgent(c, network, actions.start, online, target, buffer, explore, normalizer);
  }

  /** The agent of a checkpoint; `source` (its directory) appears in errors. */
  static restore(snapshot: DqnSnapshot, source: string): DqnAgent {
    const s = snapshot.state;
    const c = resolveDqnConfig(s.config, `${source}/state.json config`);
    const network = s.network;
    const specs = weightSpecs(snapshot.online);
    const target = buildQNetwork(network, new Rng(0));
    setWeightsFromBytes(target, specs, snapshot.targetWeights, `${source}/target-weights.bin`);
    const buffer = ReplayBuffer.fromBytes(snapshot.replay, `${source}/replay.bin`);
    if (buffer.obsDim !== network.inputDim) throw new CheckpointError(`${source}/replay.bin: observations of ${buffer.obsDim} values; the network takes ${network.inputDim}`);
    const rng = new Rng(s.agentRng.seedSequence.entropy);
    rng.setState(s.agentRng);
    const normalizer = s.normalizer === null ? null : ObservationNormalizer.fromJSON(s.normalizer, network.inputDim, `${source}/state.json normalizer`);
    const agent = new DqnAgent(c, network, s.actionStart, snapshot.online, target, buffer, rng, normalizer);
    agent.adam.loadBytes(snapshot.adam, s.adamStep, `${source}/adam.bin`);
    agent.gradientUpdates = s.gradientUpdates;
    return agent;
  }

  /** ε after `step` of `totalTimesteps` env steps (SB3's linear `exploration_schedule`). */
  epsilon(step: number, totalTimesteps: number): number {
    const c = this.config;
    return epsilonAt('linear', c.explorationInitialEps, c.explorationFinalEps, c.explorationFraction * totalTimesteps, step);
  }

  /** Network input for one observation (normalised with the current, not updated, statistics). */
  private prepare(obs: ArrayLike<number>, out: Float32Array, offset: number): void {
    if (this.normalizer !== null) this.normalizer.normalizeInto(obs, out, offset);
    else for (let i = 0; i < this.network.inputDim; i++) out[offset + i] = obs[i]!;
  }

  /** argmax_a Q(obs, a) as an env action (ties to the lowest). */
  greedyAction(obs: ArrayLike<number>): number {
    this.prepare(obs, this.input, 0);
    return this.actionStart + greedyActions(this.online, this.input, 1)[0]!;
  }

  /**
   * The behaviour policy after `step` env steps: uniform before `learningStarts` (SB3's warm-up),
   * then ε-greedy.
   */
  selectAction(obs: ArrayLike<number>, step: number, totalTimesteps: number): number {
    const n = this.network.nActions;
    if (step < this.config.learningStarts) return this.actionStart + this.rng.integers(0, n);
    if (this.rng.random() < this.epsilon(step, totalTimesteps)) return this.actionStart + this.rng.integers(0, n);
    return this.greedyAction(obs);
  }

  /** Updates the observation statistics (training only). */
  observe(obs: ArrayLike<number>): void {
    this.normalizer?.update(obs);
  }

  /** Rows of a replay batch as network input. */
  private batchInput(rows: Float32Array, n: number): Float32Array {
    if (this.normalizer === null) return rows;
    const d = this.network.inputDim;
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) this.normalizer.normalizeInto(rows.subarray(i * d, i * d + d), out, i * d);
    return out;
  }

  /** One gradient update on a fresh minibatch; returns the loss tensor (caller disposes). */
  private gradientStep(): tf.Scalar {
    const c = this.config;
    const b = this.buffer.sample(c.batchSize, this.rng);
    const n = b.size;
    const d = this.network.inputDim;
    const nA = this.network.nActions;
    const obs = this.batchInput(b.observations, n);
    const next = this.batchInput(b.nextObservations, n);
    return tf.tidy(() => {
      // target, outside the gradient tape
      const nextT = tf.tensor2d(next, [n, d]);
      const act = c.activation;
      const y = tdTargets(
        tf.tensor1d(b.rewards), tf.tensor1d(b.terminals), qForward(this.targetParams, act, nextT),
        c.doubleQ ? qForward(this.params, act, nextT) : null, c.gamma,
      );
      const obsT = tf.tensor2d(obs, [n, d]);
      const chosen = tf.oneHot(tf.tensor1d(b.actions, 'int32'), nA);
      const { value, grads } = tf.variableGrads(() => {
        const q = tf.sum(tf.mul(qForward(this.params, act, obsT), chosen), 1);
        return tf.losses.huberLoss(y, q, undefined, 1.0, tf.Reduction.MEAN) as tf.Scalar;
      }, this.params);
      this.adam.apply(clipByGlobalNorm(this.params.map((p) => grads[p.name]!), c.maxGradNorm));
      return value;
    });
  }

  /** `steps` gradient updates; returns their mean loss. */
  train(steps: number): number {
    let sum = 0;
    for (let i = 0; i < steps; i++) {
      const loss = this.gradientStep();
      sum += loss.dataSync()[0]!;
      loss.dispose();
    }
    this.gradientUpdates += steps;
    return sum / steps;
  }

  updateTarget(): void {
    polyakUpdate(this.online, this.target, this.config.tau);
  }

  /** The greedy policy of the online network (shares it: later training changes the policy). */
  policy(name = 'dqn', config: JsonObject = {}): DqnPolicy {
    return new DqnPolicy(this.online, this.network, { name, actionStart: this.actionStart, normalizer: this.normalizer, config });
  }

  /** A greedy policy on its own copy of network weights `bytes` (weights.bin layout of the online network). */
  policyFromWeights(bytes: Uint8Array, name: string, config: JsonObject = {}): DqnPolicy {
    const model = buildQNetwork(this.network, new Rng(0));
    setWeightsFromBytes(model, weightSpecs(this.online), bytes, `${name} weights`);
    return new DqnPolicy(model, this.network, { name, actionStart: this.actionStart, normalizer: this.normalizer, config });
  }

  /** The parts of a checkpoint this agent owns. */
  snapshotParts(): { online: tf.LayersModel; targetWeights: Uint8Array; adam: Uint8Array; replay: Uint8Array; adamStep: number } {
    return { online: this.online, targetWeights: weightBytes(this.target), adam: this.adam.toBytes(), replay: this.buffer.toBytes(), adamStep: this.adam.step };
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.adam.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Training loop with the evaluation callback and checkpoints
// ---------------------------------------------------------------------------------------------

/** Evaluation seeds: far from training seeds (small integers) and from `evaluate`'s 10 000 + i. */
export const DQN_EVAL_SEED_BASE = 1_000_000;

export interface TrainDqnOptions {
  totalTimesteps: number;
  /** A separate env for the evaluation callback (none: no evaluations, no best model). */
  evalEnv?: Env<unknown, unknown>;
  /** Env steps between evaluations (SB3 EvalCallback: 10 000); the last step is always evaluated. */
  evalFreq?: number;
  /** Greedy episodes per evaluation (SB3: 5). */
  nEvalEpisodes?: number;
  /** Seeds of the evaluation episodes (default DQN_EVAL_SEED_BASE + i), the same at every evaluation. */
  evalSeeds?: readonly number[];
  /** Steps cap per evaluation episode for envs without a time limit (default 100 000). */
  evalMaxSteps?: number;
  /** Take a checkpoint at the first episode end at or after every multiple of this many steps. */
  checkpointEvery?: number;
  onCheckpoint?: (snapshot: DqnSnapshot) => void | Promise<void>;
  /**
   * After every evaluation; `isBest` when it beat all earlier ones (the CLI saves the best model
   * then); `all` is every evaluation of the run so far, resumed ones included.
   */
  onEvaluation?: (evaluation: DqnEvaluation, isBest: boolean, agent: DqnAgent, all: readonly DqnEvaluation[]) => void | Promise<void>;
  onEpisode?: (episode: DqnEpisodeStats) => void;
  /** After every env step (progress bars). */
  onStep?: (step: number) => void;
  /** Continue from a checkpoint (its config wins; `totalTimesteps` must match it). */
  resume?: { snapshot: DqnSnapshot; source: string };
  /** tfjs backend name, recorded in checkpoints. */
  backend?: string;
}

export interface DqnResult {
  readonly agent: DqnAgent;
  readonly episodes: DqnEpisodeStats[];
  readonly evaluations: DqnEvaluation[];
  readonly best: { readonly step: number; readonly meanReturn: number; readonly weights: Uint8Array } | null;
  readonly steps: number;
  /** Step the run resumed from (null: started fresh). */
  readonly resumedFrom: number | null;
  /** Wall seconds of this process's training and of the whole run. */
  readonly seconds: number;
  readonly totalSeconds: number;
}

function toObservation(obs: unknown, dim: number, where: string): ArrayLike<number> {
  const o = obs as ArrayLike<number>;
  if (o === null || typeof o !== 'object' || o.length !== dim) {
    throw new InvalidObservationError(`${where}: expected an observation of ${dim} numbers, got ${describeValue(obs)}`);
  }
  return o;
}

/** Greedy episodes with fixed seeds (deterministic; the statistics are not updated). */
function evaluateGreedy(agent: DqnAgent, env: Env<unknown, unknown>, seeds: readonly number[], maxSteps: number): { returns: number[]; lengths: number[] } {
  const returns: number[] = [];
  const lengths: number[] = [];
  const dim = agent.network.inputDim;
  for (const seed of seeds) {
    let [obs] = env.reset({ seed });
    let total = 0;
    let length = 0;
    for (;;) {
      const [next, reward, terminated, truncated] = env.step(agent.greedyAction(toObservation(obs, dim, 'DQN evaluation')));
      total += reward;
      length++;
      if (terminated || truncated || length >= maxSteps) break;
      obs = next;
    }
    returns.push(total);
    lengths.push(length);
  }
  return { returns, lengths };
}

function meanStd(x: readonly number[]): [number, number] {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return [m, Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length)];
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new AgentConfigError(name, v, 'a positive integer', 'TrainDqnOptions');
  return v;
}

/**
 * Trains DQN on `env` (Box observations, Discrete actions) for `totalTimesteps` env steps, or
 * continues a checkpointed run. The env is reset with `config.seed` once (on resume: its RNG is
 * restored and it is reset without a seed, as the uninterrupted run would have).
 */
export async function trainDqn(env: Env<unknown, unknown>, config: Partial<DqnConfig>, options: TrainDqnOptions): Promise<DqnResult> {
  const total = positiveInteger(options.totalTimesteps, 0, 'totalTimesteps');
  const evalFreq = positiveInteger(options.evalFreq, 10_000, 'evalFreq');
  const nEval = positiveInteger(options.nEvalEpisodes, 5, 'nEvalEpisodes');
  const evalSeeds = options.evalSeeds ?? Array.from({ length: nEval }, (_, i) => DQN_EVAL_SEED_BASE + i);
  const evalMaxSteps = positiveInteger(options.evalMaxSteps, 100_000, 'evalMaxSteps');
  const checkpointEvery = options.checkpointEvery === undefined ? null : positiveInteger(options.checkpointEvery, 1, 'checkpointEvery');

  let agent: DqnAgent;
  let step = 0;
  let episodes: DqnEpisodeStats[] = [];
  let evaluations: DqnEvaluation[] = [];
  let best: { step: number; meanReturn: number; weights: Uint8Array } | null = null;
  let nextCheckpointAt = checkpointEvery ?? Infinity;
  let firstReset = true;
  let secondsBefore = 0;
  const resumedFrom = options.resume?.snapshot.state.step ?? null;
  if (options.resume !== undefined) {
    const { snapshot, source } = options.resume;
    const s = snapshot.state;
    if (s.totalTimesteps !== total) {
      throw new CheckpointError(`${source}: the checkpoint belongs to a run of ${s.totalTimesteps} steps, not ${total} (the ε schedule depends on it)`);
    }
    agent = DqnAgent.restore(snapshot, source);
    if (observationDim(env.observationSpace, 'trainDqn') !== agent.network.inputDim || actionSpaceOf(env.actionSpace, 'trainDqn').n !== agent.network.nActions) {
      throw new CheckpointError(`${source}: the checkpoint's network (${agent.network.inputDim} inputs, ${agent.network.nActions} actions) does not fit ${env.observationSpace} → ${env.actionSpace}`);
    }
    step = s.step;
    episodes = [...s.episodes];
    evaluations = [...s.evaluations];
    best = s.best === null || snapshot.bestWeights === null ? null : { ...s.best, weights: snapshot.bestWeights };
    nextCheckpointAt = checkpointEvery === null ? Infinity : s.nextCheckpointAt;
    secondsBefore = s.seconds;
    const envRng = new Rng(s.envRng.seedSequence.entropy);
    envRng.setState(s.envRng);
    env.npRandom = envRng;
    firstReset = false;
  } else {
    agent = DqnAgent.create(env.observationSpace, env.actionSpace, config, total);
  }
  const c = agent.config;
  const dim = agent.network.inputDim;
  const started = performance.now();

  let obs: ArrayLike<number> = new Float32Array(dim);
  let needsReset = true;
  let episodeReturn = 0;
  let episodeLength = 0;
  while (step < total) {
    if (needsReset) {
      const [first] = firstReset ? env.reset({ seed: c.seed }) : env.reset();
      firstReset = false;
      obs = toObservation(first, dim, 'trainDqn reset');
      agent.observe(obs);
      episodeReturn = 0;
      episodeLength = 0;
      needsReset = false;
    }

    // 1. act and store the transition (the next observation is the step's own, even at a time limit)
    const action = agent.selectAction(obs, step, total);
    const [nextRaw, reward, terminated, truncated] = env.step(action);
    step++;
    const next = toObservation(nextRaw, dim, 'trainDqn step');
    agent.observe(next);
    agent.buffer.add(obs, next, action - agent.actionStart, reward, terminated, truncated);
    episodeReturn += reward;
    episodeLength++;
    obs = next;
    if (terminated || truncated) {
      const ep: DqnEpisodeStats = { episode: episodes.length, step, return: episodeReturn, length: episodeLength, terminated, epsilon: agent.epsilon(step, total) };
      episodes.push(ep);
      options.onEpisode?.(ep);
      needsReset = true;
    }

    // 2. target network, 3. training round
    if (step % c.targetUpdateInterval === 0) agent.updateTarget();
    if (step % c.trainFreq === 0 && step > c.learningStarts) agent.train(c.gradientSteps === -1 ? c.trainFreq : c.gradientSteps);

    // 4. evaluation callback on the separate env
    if (options.evalEnv !== undefined && (step % evalFreq === 0 || step === total)) {
      const { returns, lengths } = evaluateGreedy(agent, options.evalEnv, evalSeeds, evalMaxSteps);
      const [meanReturn, stdReturn] = meanStd(returns);
      const e: DqnEvaluation = { step, returns, lengths, meanReturn, stdReturn, meanLength: meanStd(lengths)[0], gradientUpdates: agent.gradientUpdates };
      evaluations.push(e);
      const isBest = best === null || meanReturn > best.meanReturn;
      if (isBest) best = { step, meanReturn, weights: weightBytes(agent.online) };
      await options.onEvaluation?.(e, isBest, agent, evaluations);
    }

    // 5. checkpoint, at the first episode boundary at or after it is due
    if (needsReset && step >= nextCheckpointAt && step < total && options.onCheckpoint !== undefined) {
      nextCheckpointAt = (Math.floor(step / checkpointEvery!) + 1) * checkpointEvery!;
      const parts = agent.snapshotParts();
      const state: DqnCheckpointState = {
        format: DQN_CHECKPOINT_FORMAT,
        version: DQN_CHECKPOINT_VERSION,
        config: { ...c, netArch: [...c.netArch] },
        network: agent.network,
        actionStart: agent.actionStart,
        totalTimesteps: total,
        step,
        gradientUpdates: agent.gradientUpdates,
        adamStep: parts.adamStep,
        agentRng: agent.rng.getState(),
        envRng: env.npRandom.getState(),
        normalizer: agent.normalizer?.toJSON() ?? null,
        evaluations,
        best: best === null ? null : { step: best.step, meanReturn: best.meanReturn },
        episodes,
        nextCheckpointAt,
        seconds: secondsBefore + (performance.now() - started) / 1000,
        backend: options.backend ?? tf.getBackend(),
      };
      await options.onCheckpoint({ state, online: parts.online, targetWeights: parts.targetWeights, bestWeights: best?.weights ?? null, adam: parts.adam, replay: parts.replay });
    }
    options.onStep?.(step);
  }
  const seconds = (performance.now() - started) / 1000;
  return { agent, episodes, evaluations, best, steps: step, resumedFrom, seconds, totalSeconds: secondsBefore + seconds };
}
