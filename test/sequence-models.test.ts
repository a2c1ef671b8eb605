/**
 * The GRU and 1-D CNN predictors (agents/deep/sequenceModels.ts) and their metrics: they learn a
 * trivially predictable synthetic task, a seed fixes the weights, no tensor leaks, the unfold-based
 * convolution is Conv1D, and saved weights load back to identical predictions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../env/core/rng.js';
import { AgentConfigError } from '../agents/errors.js';
import { initTfjsBackend } from '../agents/deep/backend.js';
import { loadModel, saveModel } from '../agents/deep/modelStore.js';
import {
  balancedClassWeights, buildSequenceModel, fitSequenceScaling, predictSequence, TimeWindowUnfold, toSequenceBatch, trainSequenceModel,
  unscaleMagnitude, weightValues, type SequenceArchitecture, type SequenceSample, type SequenceTrainConfig,
} from '../agents/deep/sequenceModels.js';
import { median, multiclassMetrics, regressionMetrics } from '../agents/deep/sequenceMetrics.js';
import { loadWeightsSync } from '../agents/deep/sequencePolicy.js';

const tmp = mkdtempSync(join(tmpdir(), 'damm-gym-sequence-models-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(async () => { await initTfjsBackend(); });

const W = 8;

/**
 * The class is readable from the window: 'k' when static[0] > 0.5, else repeg up / down by the sign
 * of the last two hours' feature 0; magnitudes are functions of the inputs too.
 */
function syntheticSamples(n: number, rng: Rng): SequenceSample[] {
  return Array.from({ length: n }, () => {
    const window = Array.from({ length: W }, () => [rng.normal(), rng.normal()]);
    const stat = [rng.normal(), rng.normal(), rng.normal()];
    const recent = window.slice(-2).reduce((s, r) => s + r[0]!, 0);
    if (stat[0]! > 0.5) return { window, static: stat, cls: 2, magnitude: [null, 0.02 + 0.01 * stat[1]!] };
    return { window, static: stat, cls: recent > 0 ? 0 : 1, magnitude: [Math.abs(recent), null] };
  });
}

const arch = (kind: 'rnn' | 'cnn', seed = 3): SequenceArchitecture => ({
  kind, windowHours: W, stepFeatures: 2, staticFeatures: 3, classes: 3, magnitudes: 2, units: 16, hidden: 16, seed,
});
const CONFIG: SequenceTrainConfig = { epochs: 50, batchSize: 32, learningRate: 5e-3, patience: 10, magnitudeWeight: 1, huberDelta: 1, l2: 1e-2 };

function accuracy(probabilities: Float32Array, samples: readonly SequenceSample[]): number {
  let right = 0;
  samples.forEach((s, i) => {
    const row = Array.from(probabilities.subarray(i * 3, i * 3 + 3));
    if (row.indexOf(Math.max(...row)) === s.cls) right++;
  });
  return right / samples.length;
}

describe('sequence models learn a predictable task', () => {
  const rng = new Rng(1);
  const train = syntheticSamples(300, rng);
  const validation = syntheticSamples(80, rng);
  const test = syntheticSamples(120, rng);
  for (const kind of ['rnn', 'cnn'] as const) {
    it(`${kind}: type accuracy ≥ 0.85 and magnitudes better than the median, on held-out samples`, () => {
      const a = arch(kind);
      const scaling = fitSequenceScaling(train, a);
      const model = buildSequenceModel(a);
      const r = trainSequenceModel(model, a, toSequenceBatch(train, scaling, a), toSequenceBatch(validation, scaling, a), CONFIG, new Rng(2), {
        classWeights: balancedClassWeights(train.map((s) => s.cls!), 3),
      });
      assert.ok(r.bestEpoch >= 1 && r.bestEpoch <= r.epochs.length);
      assert.ok(r.epochs[r.bestEpoch - 1]!.validationLoss === r.bestValidationLoss);
      const p = predictSequence(model, a, toSequenceBatch(test, scaling, a));
      const acc = accuracy(p.probabilities, test);
      const majority = Math.max(...[0, 1, 2].map((c) => test.filter((s) => s.cls === c).length)) / test.length;
      assert.ok(acc >= 0.85, `${kind} accuracy ${acc} (majority ${majority})`);
      const repeg = test.map((s, i) => [s, i] as const).filter(([s]) => s.magnitude![0] !== null);
      const truth = repeg.map(([s]) => s.magnitude![0]!);
      const model0 = regressionMetrics(truth, repeg.map(([, i]) => unscaleMagnitude(p.magnitude[i * 2]!, 0, scaling)));
      const med = regressionMetrics(truth, truth.map(() => median(train.flatMap((s) => (s.magnitude![0] === null ? [] : [s.magnitude![0]!])))));
      assert.ok(model0.mae! < 0.8 * med.mae!, `${kind} magnitude MAE ${model0.mae} vs median ${med.mae}`);
      model.dispose();
    });
  }
});

describe('sequence models are reproducible and do not leak tensors', () => {
  const rng = new Rng(4);
  const train = syntheticSamples(96, rng);
  const validation = syntheticSamples(32, rng);
  const short = { ...CONFIG, epochs: 4 };

  it('the same seed gives the same weights; another seed other weights', () => {
    const a = arch('cnn', 7);
    const scaling = fitSequenceScaling(train, a);
    const run = (modelSeed: number, shuffleSeed: number) => {
      const aa = { ...a, seed: modelSeed };
      const m = buildSequenceModel(aa);
      trainSequenceModel(m, aa, toSequenceBatch(train, scaling, aa), toSequenceBatch(validation, scaling, aa), short, new Rng(shuffleSeed));
      const w = weightValues(m);
      m.dispose();
      return w;
    };
    const same = (x: Float32Array[], y: Float32Array[]) => x.length === y.length && x.every((w, i) => w.every((v, j) => Object.is(v, y[i]![j])));
    const first = run(7, 1);
    assert.ok(same(first, run(7, 1)));
    assert.ok(!same(first, run(8, 1)), 'another initialiser seed');
    assert.ok(!same(first, run(7, 2)), 'another batch order');
  });

  it('training and a long prediction loop keep tf.memory().numTensors flat', () => {
    for (const kind of ['rnn', 'cnn'] as const) {
      const a = arch(kind);
      const scaling = fitSequenceScaling(train, a);
      const model = buildSequenceModel(a);
      const batch = toSequenceBatch(train, scaling, a);
      const start = tf.memory().numTensors;
      trainSequenceModel(model, a, batch, toSequenceBatch(validation, scaling, a), short, new Rng(1));
      assert.equal(tf.memory().numTensors, start, `${kind}: training`);
      const one = toSequenceBatch(train.slice(0, 1), scaling, a);
      for (let i = 0; i < 200; i++) predictSequence(model, a, one);
      assert.equal(tf.memory().numTensors, start, `${kind}: 200 predictions`);
      model.dispose();
    }
  });
});

describe('TimeWindowUnfold + dense is Conv1D (kernel 3, same padding)', () => {
  it('matches tf.layers.conv1d with the same kernel', () => {
    const rng = new Rng(9);
    const F = 2;
    const filters = 4;
    const x = tf.tensor3d(Array.from({ length: 3 * W * F }, () => rng.normal()), [3, W, F]);
    const kernel = tf.tensor3d(Array.from({ length: 3 * F * filters }, () => rng.normal()), [3, F, filters]);
    const bias = tf.tensor1d(Array.from({ length: filters }, () => rng.normal()));
    const conv = tf.layers.conv1d({ filters, kernelSize: 3, padding: 'same', inputShape: [W, F] });
    const expected = conv.apply(x) as tf.Tensor;
    conv.setWeights([kernel, bias]);
    const want = (conv.apply(x) as tf.Tensor).arraySync() as number[][][];
    const unfold = new TimeWindowUnfold({ kernelSize: 3 });
    const dense = tf.layers.dense({ units: filters });
    const got0 = dense.apply(unfold.apply(x)) as tf.Tensor;
    dense.setWeights([kernel.reshape([3 * F, filters]), bias]);
    const got = (dense.apply(unfold.apply(x) as tf.Tensor) as tf.Tensor).arraySync() as number[][][];
    for (let b = 0; b < 3; b++) for (let t = 0; t < W; t++) for (let f = 0; f < filters; f++) assert.ok(Math.abs(got[b]![t]![f]! - want[b]![t]![f]!) < 1e-5, `[${b}, ${t}, ${f}]`);
    assert.deepEqual(unfold.computeOutputShape([null, W, F]), [null, W, 3 * F]);
    tf.dispose([x, kernel, bias, expected, got0]);
    assert.throws(() => new TimeWindowUnfold({ kernelSize: 2 }), AgentConfigError);
  });
});

describe('saved sequence models predict identically', () => {
  for (const kind of ['rnn', 'cnn'] as const) {
    it(`${kind}: modelStore round trip and the synchronous rebuild give bit-identical predictions`, async () => {
      const a = arch(kind, 21);
      const rng = new Rng(6);
      const samples = syntheticSamples(40, rng);
      const scaling = fitSequenceScaling(samples, a);
      const model = buildSequenceModel(a);
      trainSequenceModel(model, a, toSequenceBatch(samples, scaling, a), toSequenceBatch(samples.slice(0, 10), scaling, a), { ...CONFIG, epochs: 2 }, new Rng(1));
      const batch = toSequenceBatch(samples, scaling, a);
      const want = predictSequence(model, a, batch);
      const dir = join(tmp, kind);
      await saveModel(model, dir);
      const viaStore = await loadModel(dir);
      const rebuilt = buildSequenceModel({ ...a, seed: 999 }); // other initial weights, replaced by the file's
      loadWeightsSync(rebuilt, dir, join(dir, 'policy.json'));
      for (const m of [viaStore, rebuilt]) {
        const got = predictSequence(m, a, batch);
        assert.ok(got.probabilities.every((v, i) => Object.is(v, want.probabilities[i])), 'probabilities');
        assert.ok(got.magnitude.every((v, i) => Object.is(v, want.magnitude[i])), 'magnitudes');
      }
      [model, viaStore, rebuilt].forEach((m) => m.dispose());
    });
  }
});

describe('scaling and batches', () => {
  it('standardises on the given samples only; magnitudes over the examples each output applies to', () => {
    const a = { ...arch('rnn'), windowHours: 2, staticFeatures: 1 };
    const s: SequenceSample[] = [
      { window: [[1, 10], [3, 10]], static: [5], cls: 0, magnitude: [2, null] },
      { window: [[5, 10], [7, 10]], static: [7], cls: 2, magnitude: [null, -1] },
    ];
    const scaling = fitSequenceScaling(s, a);
    assert.deepEqual(scaling.stepMean, [4, 10]);
    assert.deepEqual(scaling.stepStd, [Math.sqrt(5), 1], 'a constant column passes through with std 1');
    assert.deepEqual([scaling.magnitudeMean, scaling.magnitudeStd], [[2, -1], [1, 1]]);
    const b = toSequenceBatch(s, scaling, a);
    assert.deepEqual(Array.from(b.cls!), [0, 2]);
    assert.deepEqual(Array.from(b.magnitudeMask!), [1, 0, 0, 1]);
    assert.ok(Math.abs(b.window[0]! - (1 - 4) / Math.sqrt(5)) < 1e-6);
    assert.equal(unscaleMagnitude(0.5, 0, scaling), 2.5);
    assert.throws(() => toSequenceBatch([{ window: [[1, 2]], static: [1] }], scaling, a), /samples\[0\]/);
  });

  it('balanced class weights: n / (classes · n_c), 1 for an absent class', () => {
    assert.deepEqual(balancedClassWeights([0, 0, 0, 2], 3), [4 / 9, 1, 4 / 3]);
  });

  it('rejects architectures and configs it cannot build, naming the field', () => {
    assert.throws(() => buildSequenceModel({ ...arch('cnn'), windowHours: 3 }), (e: unknown) => e instanceof AgentConfigError && e.field === 'windowHours');
    assert.throws(() => buildSequenceModel({ ...arch('rnn'), kind: 'lstm' as never }), (e: unknown) => e instanceof AgentConfigError && e.field === 'kind');
    const a = arch('rnn');
    const b = toSequenceBatch(syntheticSamples(4, new Rng(1)), fitSequenceScaling(syntheticSamples(4, new Rng(1)), a), a);
    const m = buildSequenceModel(a);
    assert.throws(() => trainSequenceModel(m, a, b, b, { ...CONFIG, learningRate: 0 }, new Rng(1)), (e: unknown) => e instanceof AgentConfigError && e.field === 'learningRate');
    assert.throws(() => trainSequenceModel(m, a, { ...b, cls: undefined }, b, CONFIG, new Rng(1)), /cls, magnitude and magnitudeMask/);
    m.dispose();
  });
});

describe('sequence metrics', () => {
  it('accuracy, macro-F1 over the classes present, confusion[true][predicted]', () => {
    const m = multiclassMetrics([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3);
    assert.deepEqual(m.confusion, [[1, 1, 0], [0, 1, 0], [1, 0, 2]]);
    assert.equal(m.accuracy, 4 / 6);
    // per class F1: 0 → p 1/2 r 1/2 → 0.5; 1 → p 1/2 r 1 → 2/3; 2 → p 1 r 2/3 → 0.8 (scikit-learn: 0.6555…)
    assert.ok(Math.abs(m.macroF1 - (0.5 + 2 / 3 + 0.8) / 3) < 1e-12);
    const absent = multiclassMetrics([2, 2, 1], [2, 2, 2], 3);
    assert.ok(Math.abs(absent.macroF1 - (0 + 0.8) / 2) < 1e-12, 'class 0 is neither true nor predicted: left out');
    assert.throws(() => multiclassMetrics([0, 3], [0, 0], 3), /label\[1\] is 3/);
  });

  it('MAE, RMSE and the median', () => {
    assert.deepEqual(regressionMetrics([1, 2, 3], [2, 2, 5]), { n: 3, mae: 1, rmse: Math.sqrt(5 / 3) });
    assert.deepEqual(regressionMetrics([], []), { n: 0, mae: null, rmse: null });
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
