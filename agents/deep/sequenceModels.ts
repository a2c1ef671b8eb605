/**
 * The source's §3.2 predictors of the next repeg / k change: a recurrent (GRU) and a 1-D
 * convolutional network over a window of hourly market features, each joined with the curve state
 * before the event and ending in two heads — the adjustment's type (softmax over the classes) and
 * its magnitude (one linear output per kind of adjustment: the peg change, the √k scale).
 *
 * Plain arrays in, no I/O: the data layer builds the examples, `training/` wires the two. Every
 * initialiser is seeded from `architecture.seed` and every shuffle draws from the `Rng` handed in,
 * so the same seed on the same backend gives the same weights.
 *
 * Training is a plain loop (Adam, mini-batches, early stopping on the validation loss, best weights
 * restored) rather than `model.fit`, because the magnitude loss is masked: only the output that
 * matches an example's true type is trained, and `fit` has no per-output sample weights.
 */
import * as tf from '@tensorflow/tfjs';
import { describeValue } from '../../env/core/errors.js';
import type { Rng } from '../../env/core/rng.js';
import { AgentConfigError } from '../errors.js';

export const SEQUENCE_MODEL_KINDS = ['rnn', 'cnn'] as const;
export type SequenceModelKind = (typeof SEQUENCE_MODEL_KINDS)[number];

/** Everything needed to rebuild the network layer for layer (saved beside its weights). */
export interface SequenceArchitecture {
  readonly kind: SequenceModelKind;
  /** Time steps of the window (hours). */
  readonly windowHours: number;
  readonly stepFeatures: number;
  readonly staticFeatures: number;
  /** Type classes (softmax outputs). */
  readonly classes: number;
  /** Magnitude outputs (one per kind of adjustment). */
  readonly magnitudes: number;
  /** GRU units, or filters of each convolution. */
  readonly units: number;
  /** Width of the shared dense layer before the heads. */
  readonly hidden: number;
  /** Seed of every initialiser (layer i uses seed + i). */
  readonly seed: number;
}

export const SEQUENCE_ARCHITECTURE_DEFAULTS = Object.freeze({ units: 16, hidden: 16 });

/** Optimisation settings of `trainSequenceModel`. */
export interface SequenceTrainConfig {
  /** Upper bound on passes over the training set. */
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam's step size (Keras' and tfjs' default 1e-3). */
  readonly learningRate: number;
  /** Stop after this many epochs without a lower validation loss; the best epoch's weights are kept. */
  readonly patience: number;
  /** Weight of the magnitude loss next to the type's cross-entropy. */
  readonly magnitudeWeight: number;
  /** Huber's δ on the standardised magnitude (robust to the few very large adjustments). */
  readonly huberDelta: number;
  /** L2 penalty on every kernel (weight decay against memorising a few hundred events). */
  readonly l2: number;
}

export const SEQUENCE_TRAIN_DEFAULTS: SequenceTrainConfig = Object.freeze({
  epochs: 300,
  batchSize: 32,
  learningRate: 1e-3,
  patience: 30,
  magnitudeWeight: 1,
  huberDelta: 1,
  l2: 1e-2,
});

/**
 * A batch of examples as flat float32 arrays: `window` is n × windowHours × stepFeatures,
 * `static` n × staticFeatures, `magnitude` and `magnitudeMask` n × magnitudes (mask 1 where the
 * output applies to the example's type).
 */
export interface SequenceBatch {
  readonly n: number;
  readonly window: Float32Array;
  readonly static: Float32Array;
  /** Class index per example (training only). */
  readonly cls?: Int32Array;
  readonly magnitude?: Float32Array;
  readonly magnitudeMask?: Float32Array;
}

export interface SequencePrediction {
  /** n × classes probabilities. */
  readonly probabilities: Float32Array;
  /** n × magnitudes, in the model's (standardised) units. */
  readonly magnitude: Float32Array;
}

export interface SequenceEpoch {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
}

export interface SequenceTrainResult {
  readonly epochs: SequenceEpoch[];
  /** 1-based epoch whose weights the model holds at the end. */
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Whether early stopping ended training before `epochs`. */
  readonly stoppedEarly: boolean;
}

function positiveInteger(name: string, value: number, who: string): void {
  if (!(Number.isSafeInteger(value) && value >= 1)) throw new AgentConfigError(name, value, 'an integer ≥ 1', who);
}

export function validateArchitecture(a: SequenceArchitecture): SequenceArchitecture {
  const who = 'SequenceArchitecture';
  if (!(SEQUENCE_MODEL_KINDS as readonly string[]).includes(a.kind)) throw new AgentConfigError('kind', a.kind, `one of ${SEQUENCE_MODEL_KINDS.join(', ')}`, who);
  for (const k of ['windowHours', 'stepFeatures', 'staticFeatures', 'classes', 'magnitudes', 'units', 'hidden'] as const) positiveInteger(k, a[k], who);
  if (a.classes < 2) throw new AgentConfigError('classes', a.classes, 'at least 2 classes', who);
  if (a.kind === 'cnn' && a.windowHours < 4) throw new AgentConfigError('windowHours', a.windowHours, 'at least 4 hours for the CNN (two kernels of 3 around a pooling of 2)', who);
  if (!(Number.isSafeInteger(a.seed) && a.seed >= 0)) throw new AgentConfigError('seed', a.seed, 'a non-negative integer', who);
  return a;
}

export function validateTrainConfig(c: SequenceTrainConfig): SequenceTrainConfig {
  const who = 'SequenceTrainConfig';
  positiveInteger('epochs', c.epochs, who);
  positiveInteger('batchSize', c.batchSize, who);
  positiveInteger('patience', c.patience, who);
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) throw new AgentConfigError('learningRate', c.learningRate, 'a finite number > 0', who);
  if (!(c.magnitudeWeight >= 0 && Number.isFinite(c.magnitudeWeight))) throw new AgentConfigError('magnitudeWeight', c.magnitudeWeight, 'a finite number ≥ 0', who);
  if (!(c.huberDelta > 0 && Number.isFinite(c.huberDelta))) throw new AgentConfigError('huberDelta', c.huberDelta, 'a finite number > 0', who);
  if (!(c.l2 >= 0 && Number.isFinite(c.l2))) throw new AgentConfigError('l2', c.l2, 'a finite number ≥ 0', who);
  return c;
}

/** Kernel width of both convolutions (hours). */
export const CONV_KERNEL = 3;

/**
 * im2col for a 1-D convolution: [batch, T, F] → [batch, T, k·F], row t holding steps
 * t − ⌊k/2⌋ … t + ⌊k/2⌋ side by side (zeros past either end, i.e. 'same' padding). A dense layer
 * over its last axis is then exactly Conv1D(kernel k, 'same'). The CNN is written this way because
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel, so `tf.layers.conv1d` cannot be
 * trained there; the unfold's gradient needs only slices and pads, which every backend has.
 */
export class TimeWindowUnfold extends tf.layers.Layer {
  static readonly className = 'TimeWindowUnfold';
  readonly kernelSize: number;

  constructor(args: { kernelSize: number; name?: string }) {
    super(args);
    if (!(Number.isSafeInteger(args.kernelSize) && args.kernelSize >= 1 && args.kernelSize % 2 === 1)) {
      throw new AgentConfigError('kernelSize', args.kernelSize, 'an odd integer ≥ 1', 'TimeWindowUnfold');
    }
    this.kernelSize = args.kernelSize;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0]!, s[1]!, s[2] === null ? null : s[2]! * this.kernelSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
      const half = (this.kernelSize - 1) / 2;
      const steps = x.shape[1];
      const padded = tf.pad(x, [[0, 0], [half, half], [0, 0]]);
      const shifted = Array.from({ length: this.kernelSize }, (_, j) => tf.slice(padded, [0, j, 0], [-1, steps, -1]));
      return tf.concat(shifted, 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelSize: this.kernelSize };
  }
}
tf.serialization.registerClass(TimeWindowUnfold);

/**
 * The network for `a`, with seeded initialisers and fixed layer names (so a rebuilt model takes
 * saved weights by name). Inputs: `window` [W, stepFeatures] and `static` [staticFeatures];
 * outputs: `type` (softmax) and `magnitude` (linear).
 */
export function buildSequenceModel(a: SequenceArchitecture): tf.LayersModel {
  validateArchitecture(a);
  let seed = a.seed;
  const glorot = () => tf.initializers.glorotUniform({ seed: seed++ });
  const window = tf.input({ shape: [a.windowHours, a.stepFeatures], name: 'window' });
  const stat = tf.input({ shape: [a.staticFeatures], name: 'static' });
  let encoded: tf.SymbolicTensor;
  if (a.kind === 'rnn') {
    encoded = tf.layers.gru({
      units: a.units, name: 'gru', kernelInitializer: glorot(), recurrentInitializer: tf.initializers.orthogonal({ seed: seed++ }),
    }).apply(window) as tf.SymbolicTensor;
  } else {
    // Conv1D(kernel 3, 'same', relu) as unfold + time-shared dense (see TimeWindowUnfold)
    const conv = (name: string, x: tf.SymbolicTensor) => tf.layers.dense({
      units: a.units, activation: 'relu', name, kernelInitializer: glorot(),
    }).apply(new TimeWindowUnfold({ kernelSize: CONV_KERNEL, name: `${name}_unfold` }).apply(x)) as tf.SymbolicTensor;
    const conv1 = conv('conv1', window);
    const pooled = tf.layers.maxPooling1d({ poolSize: 2, name: 'pool' }).apply(conv1) as tf.SymbolicTensor;
    const conv2 = conv('conv2', pooled);
    // flattened, not globally pooled: when in the window a move happened matters (recent hours most)
    encoded = tf.layers.flatten({ name: 'flatten' }).apply(conv2) as tf.SymbolicTensor;
  }
  const joined = tf.layers.concatenate({ name: 'join' }).apply([encoded, stat]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: a.hidden, activation: 'relu', name: 'hidden', kernelInitializer: glorot() }).apply(joined) as tf.SymbolicTensor;
  const type = tf.layers.dense({ units: a.classes, activation: 'softmax', name: 'type', kernelInitializer: glorot() }).apply(hidden) as tf.SymbolicTensor;
  const magnitude = tf.layers.dense({ units: a.magnitudes, name: 'magnitude', kernelInitializer: glorot() }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: [window, stat], outputs: [type, magnitude], name: `sequence_${a.kind}` });
}

function inputs(a: SequenceArchitecture, b: SequenceBatch): [tf.Tensor3D, tf.Tensor2D] {
  if (b.window.length !== b.n * a.windowHours * a.stepFeatures || b.static.length !== b.n * a.staticFeatures) {
    throw new AgentConfigError('batch', `${b.window.length} window and ${b.static.length} static values for n = ${b.n}`,
      `n × ${a.windowHours} × ${a.stepFeatures} window and n × ${a.staticFeatures} static values`, 'sequence model');
  }
  return [tf.tensor3d(b.window, [b.n, a.windowHours, a.stepFeatures]), tf.tensor2d(b.static, [b.n, a.staticFeatures])];
}

/** Probabilities and magnitudes for a batch (synchronous; no tensor outlives the call). */
export function predictSequence(model: tf.LayersModel, a: SequenceArchitecture, batch: SequenceBatch): SequencePrediction {
  return tf.tidy(() => {
    const [p, m] = model.predict(inputs(a, batch)) as tf.Tensor[];
    return { probabilities: p!.dataSync() as Float32Array, magnitude: m!.dataSync() as Float32Array };
  });
}

/**
 * Class-weighted cross-entropy plus the masked Huber loss of the magnitudes, as a scalar.
 * `classWeights` multiplies each example's cross-entropy by its true class's weight.
 */
function batchLoss(
  model: tf.LayersModel, a: SequenceArchitecture, c: SequenceTrainConfig, classWeights: tf.Tensor1D,
  x: [tf.Tensor3D, tf.Tensor2D], cls: tf.Tensor1D, magnitude: tf.Tensor2D, mask: tf.Tensor2D, training: boolean,
): tf.Scalar {
  const [p, m] = model.apply(x, { training }) as tf.Tensor[];
  const oneHot = tf.oneHot(cls, a.classes).toFloat();
  const w = tf.gather(classWeights, cls);
  const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p!, 1e-7, 1))), 1));
  const typeLoss = tf.div(tf.sum(tf.mul(ce, w)), tf.sum(w));
  const err = tf.abs(tf.sub(m!, magnitude));
  const d = c.huberDelta;
  const quadratic = tf.minimum(err, d);
  const huber = tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(d, tf.sub(err, quadratic)));
  const magLoss = tf.div(tf.sum(tf.mul(huber, mask)), tf.maximum(tf.sum(mask), 1));
  const loss = tf.add(typeLoss, tf.mul(c.magnitudeWeight, magLoss));
  if (c.l2 === 0) return loss as tf.Scalar;
  const kernels = model.trainableWeights.filter((w) => /kernel$/.test(w.originalName)).map((w) => tf.sum(tf.square(w.read())));
  return tf.add(loss, tf.mul(c.l2, tf.addN(kernels))) as tf.Scalar;
}

function rows(src: Float32Array, width: number, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * width);
  idx.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function requireTargets(b: SequenceBatch, a: SequenceArchitecture, name: string): { cls: Int32Array; magnitude: Float32Array; mask: Float32Array } {
  if (b.cls === undefined || b.magnitude === undefined || b.magnitudeMask === undefined) {
    throw new AgentConfigError(name, 'a batch without targets', 'cls, magnitude and magnitudeMask for training', 'trainSequenceModel');
  }
  if (b.cls.length !== b.n || b.magnitude.length !== b.n * a.magnitudes || b.magnitudeMask.length !== b.n * a.magnitudes) {
    throw new AgentConfigError(name, `${b.cls.length} classes and ${b.magnitude.length} magnitudes for n = ${b.n}`, `n classes and n × ${a.magnitudes} magnitudes and mask values`, 'trainSequenceModel');
  }
  b.cls.forEach((k, i) => {
    if (!(k >= 0 && k < a.classes)) throw new AgentConfigError(`${name}.cls[${i}]`, k, `a class index in [0, ${a.classes})`, 'trainSequenceModel');
  });
  return { cls: b.cls, magnitude: b.magnitude, mask: b.magnitudeMask };
}

/** Inverse-frequency class weights n / (classes · n_c) ("balanced"); 1 for a class absent from `cls`. */
export function balancedClassWeights(cls: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < cls.length; i++) counts[cls[i]!]! += 1;
  return counts.map((n) => (n === 0 ? 1 : cls.length / (classes * n)));
}

/**
 * Train `model` on `train`, stopping early on `validation`'s loss, and leave it holding the best
 * epoch's weights. Mini-batches are drawn in an order shuffled by `rng` every epoch.
 */
export function trainSequenceModel(
  model: tf.LayersModel,
  a: SequenceArchitecture,
  train: SequenceBatch,
  validation: SequenceBatch,
  config: SequenceTrainConfig,
  rng: Rng,
  options: { classWeights?: readonly number[]; onEpoch?: (e: SequenceEpoch) => void } = {},
): SequenceTrainResult {
  const c = validateTrainConfig(config);
  const t = requireTargets(train, a, 'train');
  const v = requireTargets(validation, a, 'validation');
  const weights = options.classWeights ?? new Array<number>(a.classes).fill(1);
  if (weights.length !== a.classes || !weights.every((w) => w > 0 && Number.isFinite(w))) {
    throw new AgentConfigError('classWeights', weights, `${a.classes} finite numbers > 0`, 'trainSequenceModel');
  }
  const classWeights = tf.tensor1d([...weights]);
  const optimizer = tf.train.adam(c.learningRate);
  const valX = inputs(a, validation);
  const valCls = tf.tensor1d(v.cls, 'int32');
  const valMag = tf.tensor2d(v.magnitude, [validation.n, a.magnitudes]);
  const valMask = tf.tensor2d(v.mask, [validation.n, a.magnitudes]);
  const W = a.windowHours * a.stepFeatures;
  const order = Array.from({ length: train.n }, (_, i) => i);
  const epochs: SequenceEpoch[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  try {
    for (let epoch = 1; epoch <= c.epochs; epoch++) {
      rng.shuffle(order);
      let total = 0;
      for (let start = 0; start < train.n; start += c.batchSize) {
        const idx = order.slice(start, start + c.batchSize);
        const cost = tf.tidy(() => {
          const x = inputs(a, { n: idx.length, window: rows(train.window, W, idx), static: rows(train.static, a.staticFeatures, idx) });
          const cls = tf.tensor1d(idx.map((i) => t.cls[i]!), 'int32');
          const mag = tf.tensor2d(rows(t.magnitude, a.magnitudes, idx), [idx.length, a.magnitudes]);
          const mask = tf.tensor2d(rows(t.mask, a.magnitudes, idx), [idx.length, a.magnitudes]);
          return optimizer.minimize(() => batchLoss(model, a, c, classWeights, x, cls, mag, mask, true), true)!;
        });
        total += cost.dataSync()[0]! * idx.length;
        cost.dispose();
      }
      const validationLoss = tf.tidy(() => batchLoss(model, a, c, classWeights, valX, valCls, valMag, valMask, false).dataSync()[0]!);
      const e = { epoch, trainLoss: total / train.n, validationLoss };
      epochs.push(e);
      options.onEpoch?.(e);
      if (!Number.isFinite(validationLoss)) {
        throw new AgentConfigError('learningRate', c.learningRate, `a step size that keeps the loss finite (validation loss ${describeValue(validationLoss)} at epoch ${epoch})`, 'trainSequenceModel');
      }
      if (validationLoss < best) {
        best = validationLoss;
        bestEpoch = epoch;
        sinceBest = 0;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      } else if (++sinceBest >= c.patience) {
        break;
      }
    }
    if (bestWeights !== null) model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    [classWeights, ...valX, valCls, valMag, valMask].forEach((x) => x.dispose());
    optimizer.dispose();
  }
  return { epochs, bestEpoch, bestValidationLoss: best, stoppedEarly: epochs.length < c.epochs };
}

/** The weights of `model` as flat float32 arrays, in `model.weights` order (for comparisons and tests). */
export function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

/**
 * One example in plain numbers: the window (W rows of step features, oldest first), the static
 * features, and for training the class index and the magnitude in model units per output (null
 * where the output does not apply to the class).
 */
export interface SequenceSample {
  readonly window: readonly (readonly number[])[];
  readonly static: readonly number[];
  readonly cls?: number;
  readonly magnitude?: readonly (number | null)[];
}

/** Standardisation fitted on the training split only: inputs per feature, magnitudes per output. */
export interface SequenceScaling {
  readonly stepMean: readonly number[];
  readonly stepStd: readonly number[];
  readonly staticMean: readonly number[];
  readonly staticStd: readonly number[];
  readonly magnitudeMean: readonly number[];
  readonly magnitudeStd: readonly number[];
}

/** Mean and population std of each column; a constant (or empty) column gets mean 0 / std 1 so it passes through. */
function columnStats(rowsOf: readonly (readonly number[])[], width: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(1);
  for (let j = 0; j < width; j++) {
    const col = rowsOf.map((r) => r[j]!);
    if (col.length === 0) continue;
    const m = col.reduce((s, v) => s + v, 0) / col.length;
    const sd = Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / col.length);
    mean[j] = m;
    std[j] = sd > 0 ? sd : 1;
  }
  return { mean, std };
}

/** Fit the scaling on `train` (window steps pooled over time; magnitudes over the examples each applies to). */
export function fitSequenceScaling(train: readonly SequenceSample[], a: SequenceArchitecture): SequenceScaling {
  if (train.length === 0) throw new AgentConfigError('train', 'no examples', 'at least one training example', 'fitSequenceScaling');
  const step = columnStats(train.flatMap((s) => s.window), a.stepFeatures);
  const stat = columnStats(train.map((s) => s.static), a.staticFeatures);
  const magnitude = Array.from({ length: a.magnitudes }, (_, j) => columnStats(train.flatMap((s) => {
    const v = s.magnitude?.[j];
    return typeof v === 'number' ? [[v]] : [];
  }), 1));
  return {
    stepMean: step.mean, stepStd: step.std, staticMean: stat.mean, staticStd: stat.std,
    magnitudeMean: magnitude.map((m) => m.mean[0]!), magnitudeStd: magnitude.map((m) => m.std[0]!),
  };
}

/** Standardised float32 batch of `samples` (with targets when every sample has them). */
export function toSequenceBatch(samples: readonly SequenceSample[], scaling: SequenceScaling, a: SequenceArchitecture): SequenceBatch {
  const n = samples.length;
  const W = a.windowHours;
  const F = a.stepFeatures;
  const S = a.staticFeatures;
  const window = new Float32Array(n * W * F);
  const stat = new Float32Array(n * S);
  const withTargets = n > 0 && samples.every((s) => s.cls !== undefined && s.magnitude !== undefined);
  const cls = new Int32Array(withTargets ? n : 0);
  const magnitude = new Float32Array(withTargets ? n * a.magnitudes : 0);
  const mask = new Float32Array(withTargets ? n * a.magnitudes : 0);
  samples.forEach((s, i) => {
    if (s.window.length !== W || s.window.some((r) => r.length !== F) || s.static.length !== S) {
      throw new AgentConfigError(`samples[${i}]`, `a window of ${s.window.length} rows and ${s.static.length} static values`,
        `${W} rows of ${F} step features and ${S} static features`, 'toSequenceBatch');
    }
    s.window.forEach((r, t) => r.forEach((v, j) => { window[(i * W + t) * F + j] = (v - scaling.stepMean[j]!) / scaling.stepStd[j]!; }));
    s.static.forEach((v, j) => { stat[i * S + j] = (v - scaling.staticMean[j]!) / scaling.staticStd[j]!; });
    if (withTargets) {
      cls[i] = s.cls!;
      s.magnitude!.forEach((v, j) => {
        if (v === null) return;
        magnitude[i * a.magnitudes + j] = (v - scaling.magnitudeMean[j]!) / scaling.magnitudeStd[j]!;
        mask[i * a.magnitudes + j] = 1;
      });
    }
  });
  return withTargets ? { n, window, static: stat, cls, magnitude, magnitudeMask: mask } : { n, window, static: stat };
}

/** A prediction's magnitude output `j` in the units it was fitted in (undoes the scaling). */
export function unscaleMagnitude(value: number, j: number, scaling: SequenceScaling): number {
  return value * scaling.magnitudeStd[j]! + scaling.magnitudeMean[j]!;
}
