/**
 * The Q network of DQN: an MLP from a flat observation to one Q value per discrete action, built
 * as SB3's `QNetwork` (`create_mlp(features, n_actions, net_arch, activation_fn=nn.ReLU)`) and
 * initialised as PyTorch's `nn.Linear` does by default (kaiming-uniform with a = √5, i.e. weights
 * and biases ~ U(−1/√fan_in, 1/√fan_in)), with tfjs' seeded initialisers so the same seed gives the
 * same network on every backend.
 *
 * Also here: the observation normaliser in front of the network (SB3's `VecNormalize` with
 * `norm_obs`: running mean/variance, clipped to ±clip), and the synchronous decoding of a saved
 * `weights.bin`, which policy files need because their decoders cannot await.
 */
import * as tf from '@tensorflow/tfjs';
import { DammGymError, describeValue } from '../../env/core/errors.js';
import type { Rng } from '../../env/core/rng.js';

/** A `weights.bin` or `model.json` that does not fit the network it is loaded into. */
export class WeightsFormatError extends DammGymError {}

export const Q_NETWORK_ACTIVATIONS = ['relu', 'tanh'] as const;
export type QNetworkActivation = (typeof Q_NETWORK_ACTIVATIONS)[number];

/** Everything needed to rebuild the network (saved in policy files and checkpoints). */
export interface QNetworkSpec {
  readonly inputDim: number;
  /** Units of each hidden layer (SB3's `net_arch`). */
  readonly hidden: readonly number[];
  readonly nActions: number;
  readonly activation: QNetworkActivation;
}

/** Layer names are fixed so saved weights are matched by name, not by position. */
function layerName(i: number, nHidden: number): string {
  return i === nHidden ? 'q_values' : `hidden_${i}`;
}

/** Throws `WeightsFormatError` unless `spec` describes a buildable network. */
export function validateQNetworkSpec(spec: QNetworkSpec, where = 'QNetworkSpec'): void {
  const positive = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (!positive(spec.inputDim)) throw new WeightsFormatError(`${where}.inputDim: expected a positive integer, got ${describeValue(spec.inputDim)}`);
  if (!positive(spec.nActions)) throw new WeightsFormatError(`${where}.nActions: expected a positive integer, got ${describeValue(spec.nActions)}`);
  if (!Array.isArray(spec.hidden) || !spec.hidden.every(positive)) {
    throw new WeightsFormatError(`${where}.hidden: expected an array of positive integers (units per hidden layer), got ${describeValue(spec.hidden)}`);
  }
  if (!(Q_NETWORK_ACTIVATIONS as readonly string[]).includes(spec.activation)) {
    throw new WeightsFormatError(`${where}.activation: expected one of ${Q_NETWORK_ACTIVATIONS.join(', ')}, got ${describeValue(spec.activation)}`);
  }
}

/**
 * The MLP `inputDim → hidden… → nActions` (activation on hidden layers, linear output). The
 * initialisers' seeds are drawn from `rng`, one per weight tensor.
 */
export function buildQNetwork(spec: QNetworkSpec, rng: Rng): tf.Sequential {
  validateQNetworkSpec(spec);
  const model = tf.sequential();
  const units = [...spec.hidden, spec.nActions];
  let fanIn = spec.inputDim;
  units.forEach((n, i) => {
    const bound = 1 / Math.sqrt(fanIn);
    model.add(tf.layers.dense({
      units: n,
      activation: i < spec.hidden.length ? spec.activation : 'linear',
      name: layerName(i, spec.hidden.length),
      ...(i === 0 ? { inputShape: [spec.inputDim] } : {}),
      // variance scaling with scale 1/3, fan-in, uniform: limit √(3·(1/3)/fan_in) = 1/√fan_in
      kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: rng.integers(0, 2 ** 31) }),
      biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.integers(0, 2 ** 31) }),
    }));
    fanIn = n;
  });
  return model;
}

/**
 * x·w whose gradient transposes explicitly. The wasm backend runs matMul on XNNPACK only without
 * transpose flags and falls back to a naive loop with them, and tfjs' own matMul gradient sets them
 * (dW = xᵀ·dy, dx = dy·wᵀ): transposing first makes a training update 2–4× faster there.
 */
const matMulFastGrad = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [tf.matMul(dy, tf.transpose(saved[1]!) as tf.Tensor2D), tf.matMul(tf.transpose(saved[0]!) as tf.Tensor2D, dy)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * The kernel and bias variables of each layer of a `buildQNetwork` model, in order
 * [kernel₀, bias₀, kernel₁, bias₁, …] (the same tensors the model reads).
 */
export function qNetworkParams(model: tf.LayersModel): tf.Variable[] {
  const weights = model.weights;
  weights.forEach((w, i) => {
    const want = i % 2 === 0 ? '/kernel' : '/bias';
    if (!w.originalName.endsWith(want)) throw new WeightsFormatError(`qNetworkParams: weight ${i} is ${w.originalName}; expected a dense layer's ${want.slice(1)}`);
  });
  return weights.map((w) => w.read() as tf.Variable);
}

/**
 * The forward pass of `buildQNetwork` on `params` (from `qNetworkParams`) with the fast-gradient
 * matMul, for training; it computes what `model.apply` does up to float rounding.
 */
export function qForward(params: readonly tf.Tensor[], activation: QNetworkActivation, x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    const z = tf.add(matMulFastGrad(h, params[i] as tf.Tensor2D), params[i + 1]!) as tf.Tensor2D;
    h = i + 2 >= params.length ? z : activation === 'relu' ? tf.relu(z) : tf.tanh(z);
  }
  return h;
}

/** Q values of a batch of `n` observations (row-major `n × inputDim`), row-major `n × nActions`. */
export function qValues(model: tf.LayersModel, obs: Float32Array, n: number): Float32Array {
  return tf.tidy(() => (model.apply(tf.tensor2d(obs, [n, obs.length / n])) as tf.Tensor).dataSync() as Float32Array);
}

/** argmax_a Q(o, a) for a batch of `n` observations (ties to the lowest index). */
export function greedyActions(model: tf.LayersModel, obs: Float32Array, n: number): Int32Array {
  return tf.tidy(() => tf.argMax(model.apply(tf.tensor2d(obs, [n, obs.length / n])) as tf.Tensor, 1).dataSync() as Int32Array);
}

/** `target ← τ·online + (1 − τ)·target` (τ = 1: a copy), SB3's `polyak_update`. */
export function polyakUpdate(online: tf.LayersModel, target: tf.LayersModel, tau: number): void {
  const src = online.weights.map((w) => w.read());
  tf.tidy(() => {
    target.weights.forEach((w, i) => {
      w.write(tau === 1 ? src[i]!.clone() : tf.add(tf.mul(src[i]!, tau), tf.mul(w.read(), 1 - tau)));
    });
  });
}

/** The values of `tensors`, in order, as one float32 byte string. */
export function float32Bytes(tensors: readonly tf.Tensor[]): Uint8Array {
  const parts = tensors.map((t) => t.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return new Uint8Array(out.buffer);
}

/** The weights of a model in its `weights` order, as one float32 byte string (the layout of weights.bin). */
export function weightBytes(model: tf.LayersModel): Uint8Array {
  return float32Bytes(model.weights.map((w) => w.read()));
}

/** One entry of a tfjs weights manifest. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: string;
}

/**
 * Sets `model`'s weights from `bytes` laid out as `specs` (a model.json's weightsManifest, in
 * order), matching tensors by name. `source` names the file in errors. Synchronous.
 */
export function setWeightsFromBytes(model: tf.LayersModel, specs: readonly WeightSpec[], bytes: Uint8Array, source: string): void {
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const s of specs) {
    if ((s.dtype ?? 'float32') !== 'float32') throw new WeightsFormatError(`${source}: weight ${s.name} has dtype ${s.dtype}; expected float32`);
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * size > bytes.byteLength) {
      throw new WeightsFormatError(`${source}: ${bytes.byteLength} bytes end inside weight ${s.name} (needs bytes ${offset}–${offset + 4 * size})`);
    }
    // copy: the byte offset of a Buffer slice need not be a multiple of 4
    byName.set(s.name, new Float32Array(bytes.slice(offset, offset + 4 * size).buffer));
    offset += 4 * size;
  }
  if (offset !== bytes.byteLength) throw new WeightsFormatError(`${source}: ${bytes.byteLength} bytes, but the manifest describes ${offset}`);
  const values = model.weights.map((w) => {
    const v = byName.get(w.originalName);
    if (v === undefined) throw new WeightsFormatError(`${source}: no weight named ${w.originalName} (has ${[...byName.keys()].join(', ')})`);
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    if (v.length !== size) throw new WeightsFormatError(`${source}: weight ${w.originalName} has ${v.length} values; the network needs ${size} (shape [${w.shape.join(', ')}])`);
    return v;
  });
  tf.tidy(() => model.weights.forEach((w, i) => w.write(tf.tensor(values[i]!, w.shape as number[], 'float32'))));
}

/** The weights manifest of `model` (names, shapes), as modelStore writes it. */
export function weightSpecs(model: tf.LayersModel): WeightSpec[] {
  return model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[], dtype: 'float32' }));
}

/** Saved running statistics of an `ObservationNormalizer`. */
export interface ObservationNormalizerState {
  readonly mean: number[];
  readonly var: number[];
  readonly count: number;
  readonly epsilon: number;
  readonly clip: number;
}

/**
 * SB3 `VecNormalize(norm_obs=True, norm_reward=False)` for one env: `clip((x − μ)/√(σ² + ε), ±clip)`
 * with μ, σ² running over every observation seen in training (Chan et al.'s update from mean 0,
 * var 1, count 1e-4, as `RunningMeanStd`), float64 statistics. `frozen` stops the updates (evaluation,
 * saved policies).
 */
export class ObservationNormalizer {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;
  readonly epsilon: number;
  readonly clip: number;

  constructor(size: number, options: { epsilon?: number; clip?: number } = {}) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = 1e-4;
    this.epsilon = options.epsilon ?? 1e-8;
    this.clip = options.clip ?? 10;
  }

  update(x: ArrayLike<number>): void {
    const total = this.count + 1;
    for (let i = 0; i < this.mean.length; i++) {
      const delta = x[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / total;
      this.var[i] = (this.var[i]! * this.count + (delta * delta * this.count) / total) / total;
    }
    this.count = total;
  }

  /** Normalises `x` into `out` at `offset` (float32, as the network reads it). */
  normalizeInto(x: ArrayLike<number>, out: Float32Array, offset = 0): void {
    const c = this.clip;
    for (let i = 0; i < this.mean.length; i++) {
      const z = (x[i]! - this.mean[i]!) / Math.sqrt(this.var[i]! + this.epsilon);
      out[offset + i] = z < -c ? -c : z > c ? c : z;
    }
  }

  toJSON(): ObservationNormalizerState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count, epsilon: this.epsilon, clip: this.clip };
  }

  static fromJSON(state: ObservationNormalizerState, size: number, source: string): ObservationNormalizer {
    const okArray = (a: unknown) => Array.isArray(a) && a.length === size && a.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!okArray(state.mean) || !okArray(state.var)) {
      throw new WeightsFormatError(`${source}: observation normalizer needs mean and var arrays of ${size} finite numbers, got ${describeValue(state.mean)} / ${describeValue(state.var)}`);
    }
    if (!(state.count > 0) || !(state.epsilon > 0) || !(state.clip > 0)) {
      throw new WeightsFormatError(`${source}: observation normalizer needs count, epsilon and clip > 0, got ${describeValue([state.count, state.epsilon, state.clip])}`);
    }
    const n = new ObservationNormalizer(size, { epsilon: state.epsilon, clip: state.clip });
    n.mean.set(state.mean);
    n.var.set(state.var);
    n.count = state.count;
    return n;
  }
}
