/**
 * `SequencePolicy` (agents/deep/sequencePolicy.ts): the prediction → action mapping, the features it
 * builds from drift-vamm-v0's step infos (the same formulas as the history's), its pace, and its
 * policy files (synchronous load, bit-identical predictions, typed errors for damaged files).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../env/core/rng.js';
import { make } from '../env/core/registration/registry.js';
import '../env/tasks/builtin.js';
import type { Env } from '../env/core/env.js';
import { curveStateFeatures, hourlyFeatures, SEQUENCE_CLASSES, type SequenceClass } from '../data/drift-v1/sequenceDataset.js';
import { initTfjsBackend } from '../agents/deep/backend.js';
import { modelFiles, writeDirAtomic } from '../agents/deep/modelStore.js';
import { buildSequenceModel, type SequenceArchitecture, type SequenceScaling } from '../agents/deep/sequenceModels.js';
import {
  actionForPrediction, probeOutputs, sequenceActionIndices, SequencePolicy, type SequencePolicySpec,
} from '../agents/deep/sequencePolicy.js';
import { hourlyRow, InfoFeatureTracker, staticRow } from '../agents/deep/sequenceFeatureTracker.js';
import { labelSimulatedAdjustments } from '../agents/deep/sequenceSimulatedLabels.js';
import { loadPolicy, policyToJSON } from '../agents/persistence.js';
import { PolicyFileError } from '../agents/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'damm-gym-sequence-policy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(async () => { await initTfjsBackend(); });

const MEANINGS = ['hold', 'repeg-oracle', 'repeg-half', 'k up 1%', 'k down 1%', 'formulaic'];
const idx = sequenceActionIndices(MEANINGS);
const predicted = (cls: string, pegChangeBps = 1, lnSqrtKScale = 0.01) => ({ cls, probabilities: [], pegChangeBps, lnSqrtKScale });

describe('prediction → drift-vamm action', () => {
  it('k: k up or down by the sign of the predicted scale, the closest δ', () => {
    assert.equal(MEANINGS[actionForPrediction(predicted('k', 0, Math.log(1.02)), 100, 100, idx)], 'k up 1%');
    assert.equal(MEANINGS[actionForPrediction(predicted('k', 0, Math.log(0.97)), 100, 100, idx)], 'k down 1%');
    const many = ['hold', 'repeg-oracle', 'repeg-half', 'k up 1%', 'k up 5%', 'k down 1%', 'k down 5%', 'formulaic'];
    const m = sequenceActionIndices(many);
    assert.equal(many[actionForPrediction(predicted('k', 0, Math.log(1.04)), 100, 100, m)], 'k up 5%');
    assert.equal(many[actionForPrediction(predicted('k', 0, Math.log(1.02)), 100, 100, m)], 'k up 1%');
    assert.equal(many[actionForPrediction(predicted('k', 0, Math.log(0.95)), 100, 100, m)], 'k down 5%');
    const noK = sequenceActionIndices(['hold', 'repeg-oracle', 'repeg-half']);
    assert.equal(actionForPrediction(predicted('k'), 100, 100, noK), 0, 'no k action: hold');
  });

  it('repeg: only toward the oracle in the predicted direction; half-way when the predicted move is under half the gap', () => {
    // mark 10 bps below the oracle: a repeg up moves toward it
    assert.equal(MEANINGS[actionForPrediction(predicted('repeg-up', 8), 99.9, 100, idx)], 'repeg-oracle');
    assert.equal(MEANINGS[actionForPrediction(predicted('repeg-up', 2), 99.9, 100, idx)], 'repeg-half');
    assert.equal(MEANINGS[actionForPrediction(predicted('repeg-down', 8), 99.9, 100, idx)], 'hold', 'down would move away from the oracle');
    assert.equal(MEANINGS[actionForPrediction(predicted('repeg-down', 8), 100.1, 100, idx)], 'repeg-oracle');
    assert.equal(MEANINGS[actionForPrediction(predicted('repeg-up', 8), 100, 100, idx)], 'hold', 'on the oracle: nothing to do');
  });

  it('needs drift-vamm\'s named actions', () => {
    assert.throws(() => sequenceActionIndices(['left', 'right']), /a list containing 'hold'/);
  });
});

describe('features from step infos', () => {
  it('use the same formulas as the dataset', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 100; i++) {
      const [a, b, c] = [rng.uniform(1, 200), rng.uniform(1, 200), rng.uniform(1, 200)];
      assert.deepEqual(hourlyRow(a, b, c), hourlyFeatures(a, b, c));
      const s = {
        netBase: rng.normal(0, 50), sqrtKBase: rng.uniform(100, 1e4), firstSqrtKBase: rng.uniform(100, 1e4), hoursSinceLastEvent: rng.uniform(0, 50),
        feePoolUsd: rng.uniform(0, 1e5), totalFeeUsd: rng.random() < 0.1 ? 0 : rng.uniform(1, 2e5),
        lastClass: rng.random() < 0.25 ? null : SEQUENCE_CLASSES[rng.integers(0, 3)]! as SequenceClass,
      };
      assert.deepEqual(staticRow(s.netBase, s.sqrtKBase, s.firstSqrtKBase, s.hoursSinceLastEvent, s.feePoolUsd, s.totalFeeUsd, s.lastClass), curveStateFeatures(s));
    }
  });

  it('the tracker turns drift-vamm-v0 infos into hourly TWAP rows and the live curve state', () => {
    const env = make('drift-vamm-v0');
    const tracker = new InfoFeatureTracker(4, 60);
    let [, info] = env.reset({ seed: 7 });
    const infos = [info];
    tracker.observe(info);
    for (let t = 1; t <= 150; t++) {
      [, , , , info] = env.step(t === 100 ? 3 : 0); // one 'k up 1%' at step 100
      infos.push(info);
      tracker.observe(info);
    }
    env.close();
    const f = tracker.features();
    assert.equal(tracker.steps, 150);
    assert.equal(f.window.length, 4);
    assert.deepEqual(f.window.slice(0, 2), [[0, 0], [0, 0]], 'two hours seen of four: the first two are a flat market');
    const mean = (k: string, from: number, to: number) => infos.slice(from, to).reduce((s, x) => s + (x[k] as number), 0) / (to - from);
    const o1 = mean('oracleUsd', 1, 61);
    const o2 = mean('oracleUsd', 61, 121);
    assert.deepEqual(f.window[2], hourlyRow(infos[0]!.oracleUsd as number, o1, mean('markUsd', 1, 61)));
    assert.deepEqual(f.window[3], hourlyRow(o1, o2, mean('markUsd', 61, 121)));
    const last = infos[150]!;
    const num = (k: string) => last[k] as number;
    assert.deepEqual(f.static, staticRow(
      num('longOiBase') - num('shortOiBase'), num('sqrtK') / 1e13, (infos[0]!.sqrtK as number) / 1e13, 50 / 60, num('tfmdUsd'), num('totalFeeUsd'), 'k',
    ), 'the last change was the k up at step 100, 50 steps ago');
    assert.ok(Math.abs(f.static[1]! - Math.log(1.01)) < 1e-9);
  });

  it('refuses infos without drift-vamm\'s fields, naming the field', () => {
    const tracker = new InfoFeatureTracker(4, 60);
    assert.throws(() => tracker.observe({ markUsd: 1, oracleUsd: 1 }), /info\.pegUsd/);
  });
});

const ARCH: SequenceArchitecture = { kind: 'rnn', windowHours: 6, stepFeatures: 2, staticFeatures: 7, classes: 3, magnitudes: 2, units: 8, hidden: 8, seed: 4 };
const SCALING: SequenceScaling = {
  stepMean: [0, 0], stepStd: [0.006, 20], staticMean: [0, 0, 1, 0.2, 0.3, 0.1, 0.6], staticStd: [0.1, 0.3, 1.5, 0.15, 0.45, 0.3, 0.5],
  magnitudeMean: [-0.7, 0.03], magnitudeStd: [1.8, 0.06],
};

function spec(actEverySteps: number): SequencePolicySpec {
  return { architecture: ARCH, scaling: SCALING, classes: [...SEQUENCE_CLASSES], actEverySteps, stepsPerHour: 60, actionMeanings: MEANINGS };
}

/** Play one drift-vamm-v0 episode of `steps` steps; the actions the policy took, by step. */
function play(policy: SequencePolicy, seed: number, steps: number): number[] {
  const env = make('drift-vamm-v0') as Env<Float32Array, number>;
  let [obs, info] = env.reset({ seed });
  policy.reset();
  const actions: number[] = [];
  for (let t = 0; t < steps; t++) {
    const a = policy.act(obs, info);
    actions.push(a);
    const r = env.step(a);
    [obs, info] = [r[0], r[4]];
    if (r[2] || r[3]) break;
  }
  env.close();
  return actions;
}

describe('SequencePolicy in drift-vamm-v0', () => {
  it('decides every actEverySteps steps (after the first period) and holds in between', () => {
    // bias the type head to 'k' so the decisions are adjustments
    const model = buildSequenceModel(ARCH);
    const bias = tf.tensor1d([-5, -5, 5]);
    model.getLayer('type').setWeights([model.getLayer('type').getWeights()[0]!, bias]);
    bias.dispose();
    const policy = new SequencePolicy(model, spec(45));
    const actions = play(policy, 3, 300);
    const adjusted = actions.flatMap((a, t) => (a === 0 ? [] : [t]));
    assert.deepEqual(adjusted, [45, 90, 135, 180, 225, 270], 'decisions at steps 45, 90, …');
    assert.ok(adjusted.every((t) => MEANINGS[actions[t]!] === 'k up 1%' || MEANINGS[actions[t]!] === 'k down 1%'));
    assert.equal(policy.lastPrediction?.cls, 'k');
    policy.reset();
    assert.equal(policy.lastPrediction, null);
    model.dispose();
  });

  it('rejects a spec whose classes or scaling do not fit the model, naming the field', () => {
    const model = buildSequenceModel(ARCH);
    assert.throws(() => new SequencePolicy(model, { ...spec(10), classes: ['k', 'up', 'down'] }), /classes/);
    assert.throws(() => new SequencePolicy(model, { ...spec(10), scaling: { ...SCALING, stepStd: [1] } }), /scaling\.stepStd/);
    assert.throws(() => new SequencePolicy(model, { ...spec(0) }), /actEverySteps/);
    model.dispose();
  });
});

describe('sequence policy files', () => {
  const dir = join(tmp, 'run');
  let original: SequencePolicy;

  before(async () => {
    const model = buildSequenceModel(ARCH);
    const rng = new Rng(8);
    const n = 4;
    const inputs = {
      n,
      window: Array.from({ length: n * ARCH.windowHours * ARCH.stepFeatures }, () => Math.fround(rng.normal())),
      static: Array.from({ length: n * ARCH.staticFeatures }, () => Math.fround(rng.normal())),
    };
    const probe = { ...inputs, outputs: { [tf.getBackend()]: probeOutputs(model, ARCH, inputs) } };
    original = new SequencePolicy(model, spec(30), { name: 'sequence-test', probe, fit: { note: 'test' } });
    const file = policyToJSON(original, { envId: 'drift-vamm-v0', envSpec: {}, createdAt: null });
    writeDirAtomic(dir, { ...(await modelFiles(model)), 'policy.json': `${JSON.stringify(file, null, 1)}\n` });
  });

  it('load synchronously into a policy that predicts bit for bit and acts the same', () => {
    const loaded = loadPolicy(join(dir, 'policy.json'));
    assert.ok(loaded instanceof SequencePolicy);
    assert.equal(loaded.name, 'sequence-test');
    assert.deepEqual(loaded.spec, original.spec);
    const rng = new Rng(3);
    const window = Array.from({ length: ARCH.windowHours }, () => [rng.normal(0, 0.01), rng.normal(0, 20)]);
    const stat = [0.05, 0.2, 1, 0.1, 0, 0, 1];
    const a = original.predict(window, stat);
    const b = loaded.predict(window, stat);
    assert.ok(a.probabilities.every((p, i) => Object.is(p, b.probabilities[i])));
    assert.ok(Object.is(a.pegChangeBps, b.pegChangeBps) && Object.is(a.lnSqrtKScale, b.lnSqrtKScale));
    assert.deepEqual(play(loaded, 5, 400), play(original, 5, 400));
    assert.equal(JSON.stringify(loaded.toPolicyData()), JSON.stringify(original.toPolicyData()), 'a loaded policy saves the same file');
  });

  /** A copy of the run dir with `edit` applied. */
  function damaged(name: string, edit: (d: string) => void): string {
    const d = join(tmp, name);
    mkdirSync(d);
    for (const f of ['policy.json', 'model.json', 'weights.bin']) writeFileSync(join(d, f), readFileSync(join(dir, f)));
    edit(d);
    return join(d, 'policy.json');
  }

  it('changed weights fail the probe check with the file and field', () => {
    const path = damaged(('flipped'), (d) => {
      const w = readFileSync(join(d, 'weights.bin'));
      const f = new Float32Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength));
      f[f.length - 1] = f[f.length - 1]! + 0.5; // the last bias of the magnitude head
      writeFileSync(join(d, 'weights.bin'), new Uint8Array(f.buffer));
    });
    assert.throws(() => loadPolicy(path), (e: unknown) => e instanceof PolicyFileError && e.field === 'data.probe' && /bit for bit/.test(e.message) && e.message.includes(path));
  });

  it('a missing weight file or a wrong architecture are PolicyFileErrors naming the field', () => {
    const missing = damaged(('missing'), (d) => rmSync(join(d, 'weights.bin')));
    assert.throws(() => loadPolicy(missing), (e: unknown) => e instanceof PolicyFileError && e.field === 'config.modelDir' && /weights\.bin/.test(e.message));
    const wrong = damaged(('wrong-arch'), (d) => {
      const p = JSON.parse(readFileSync(join(d, 'policy.json'), 'utf8'));
      p.config.architecture.units = 9;
      writeFileSync(join(d, 'policy.json'), JSON.stringify(p));
    });
    assert.throws(() => loadPolicy(wrong), (e: unknown) => e instanceof PolicyFileError && e.field === 'config.architecture');
    const badKind = damaged(('bad-kind'), (d) => {
      const p = JSON.parse(readFileSync(join(d, 'policy.json'), 'utf8'));
      p.config.architecture.kind = 'lstm';
      writeFileSync(join(d, 'policy.json'), JSON.stringify(p));
    });
    assert.throws(() => loadPolicy(badKind), (e: unknown) => e instanceof PolicyFileError && e.field === 'config.architecture.kind' && /'rnn' or 'cnn'/.test(e.message));
  });

  it('outputs saved on another backend are accepted within tolerance, and refused beyond it', () => {
    const other = damaged(('other-backend'), (d) => {
      const p = JSON.parse(readFileSync(join(d, 'policy.json'), 'utf8'));
      p.data.probe.outputs = { tensorflow: Object.values(p.data.probe.outputs)[0] };
      writeFileSync(join(d, 'policy.json'), JSON.stringify(p));
    });
    assert.ok(loadPolicy(other) instanceof SequencePolicy);
    const far = damaged(('far'), (d) => {
      const p = JSON.parse(readFileSync(join(d, 'policy.json'), 'utf8'));
      const out = Object.values(p.data.probe.outputs)[0] as { magnitude: number[] };
      out.magnitude[0]! += 1e-3;
      p.data.probe.outputs = { tensorflow: out };
      writeFileSync(join(d, 'policy.json'), JSON.stringify(p));
    });
    assert.throws(() => loadPolicy(far), (e: unknown) => e instanceof PolicyFileError && /within 0\.0001 of the saved tensorflow/.test(e.message));
  });
});

describe('simulator-made training data', () => {
  it('labels what formulaic does at a pace, like the history, reproducibly', () => {
    const run = () => {
      const env = make('drift-vamm-v0') as Env<unknown, number>;
      try {
        return labelSimulatedAdjustments(env, { actionName: 'formulaic', actEverySteps: 60, stepsPerHour: 60, windowHours: 6, seed: 4, steps: 1440 });
      } finally {
        env.close();
      }
    };
    const a = run();
    assert.ok(a.length >= 10, `${a.length} adjustments in a day of hourly formulaic actions`);
    for (const s of a) {
      assert.equal(s.window.length, 6);
      assert.equal(s.static.length, 7);
      if (s.cls === 'k') assert.ok(s.lnSqrtKScale !== null && s.lnSqrtKScale !== 0 && s.pegChangeBps === null);
      else assert.ok(s.pegChangeBps !== null && s.pegChangeBps > 0 && s.lnSqrtKScale === null);
    }
    assert.deepEqual(run(), a);
    const env = make('drift-vamm-v0') as Env<unknown, number>;
    assert.throws(() => labelSimulatedAdjustments(env, { actionName: 'teleport', actEverySteps: 60, stepsPerHour: 60, windowHours: 6, seed: 1 }), /'teleport'/);
    env.close();
  });
});
