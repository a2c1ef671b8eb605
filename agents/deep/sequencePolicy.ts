/**
 * `SequencePolicy` (saved kind 'sequence'): a next-adjustment predictor (sequenceModels.ts) acting
 * in drift-vamm-v0 or drift-replay-v0 through their named discrete actions.
 *
 * Features from the env's step infos, the simulator's counterpart of the history's columns
 * (data/drift-v1/sequenceDataset.ts builds the same features from the records):
 * - hourly rows: the mean of `info.oracleUsd` and of `info.markUsd` over each hour of steps stand
 *   for the funding record's oracle and mark TWAPs; the row holds ln(oracle TWAP / previous hour's)
 *   and (mark TWAP / oracle TWAP − 1)·1e4. Before W hours have passed, the missing hours are a flat
 *   market (zero return, zero gap); the first hour's return is against the oracle at reset.
 * - static: imbalance (longOiBase − shortOiBase)/(sqrtK/1e13); ln(sqrtK / sqrtK at reset) (the
 *   history's reference is the market's first record, which is what drift-replay-v0 starts from);
 *   ln(1 + hours since the peg or √k last changed, or since reset); (tfmdUsd − totalFeeUsd/2)/totalFeeUsd;
 *   the type of the last change (one-hot; none since reset: all 0).
 *   The history only records the curve at its records, so the dataset reads the previous record's
 *   after-state; the policy reads the live state, which that record stands for.
 *
 * Pace (`actEverySteps`): the model predicts what the next adjustment is, not when it comes, so the
 * policy decides every `actEverySteps` steps (first after one full period) and holds in between; the
 * default written by `fit sequence` is the admin's mean interval between a market's records in the
 * training period, so it intervenes about as often as the admin did.
 *
 * Prediction → action: 'k' → the 'k up δ' (ln scale ≥ 0) or 'k down δ' action whose δ is closest to
 * the predicted |√k scale − 1|; 'repeg-up' / 'repeg-down' → a repeg toward the oracle only when that
 * moves the peg the predicted way (mark below the oracle for up, above for down), 'repeg-half' when
 * the predicted change is less than half the mark/oracle gap and 'repeg-oracle' otherwise; anything
 * else holds.
 *
 * Files: policy.json holds the architecture, scaling, pace and the env's action names; the weights
 * are model.json + weights.bin in `modelDir` (relative to policy.json). The decoder is synchronous:
 * it rebuilds the network from the architecture, sets the weights read with readFileSync, and checks
 * the predictions on the probe inputs saved at fit time bit for bit (on a backend the file has
 * outputs for; within 1e-4 on another).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describeValue } from '../../env/core/errors.js';
import { AgentConfigError, PolicyFileError } from '../errors.js';
import { registerPolicyKind, type PolicyFileReader } from '../persistence.js';
import type { JsonObject, PersistablePolicy, PolicyData } from '../policy.js';
import {
  buildSequenceModel, predictSequence, toSequenceBatch, unscaleMagnitude, validateArchitecture,
  type SequenceArchitecture, type SequenceBatch, type SequenceScaling,
} from './sequenceModels.js';
import { InfoFeatureTracker, SEQUENCE_POLICY_CLASSES } from './sequenceFeatureTracker.js';

export { SEQUENCE_POLICY_CLASSES };

export const SEQUENCE_POLICY_KIND = 'sequence';
/** Tolerance for probe outputs computed on another backend than any the file has outputs for. */
export const CROSS_BACKEND_TOLERANCE = 1e-4;

export interface SequencePolicySpec {
  readonly architecture: SequenceArchitecture;
  readonly scaling: SequenceScaling;
  /** The model's class names in output order (each one of SEQUENCE_POLICY_CLASSES). */
  readonly classes: readonly string[];
  /** Decide every this many steps; hold in between. */
  readonly actEverySteps: number;
  /** Env steps per hour of market time (60 for drift-vamm's default 60 s step). */
  readonly stepsPerHour: number;
  /** The env's discrete action names, in its order. */
  readonly actionMeanings: readonly string[];
}

/** Standardised inputs and the outputs they gave at fit time, per backend. */
export interface SequenceProbe {
  readonly n: number;
  readonly window: readonly number[];
  readonly static: readonly number[];
  readonly outputs: Readonly<Record<string, { readonly probabilities: readonly number[]; readonly magnitude: readonly number[] }>>;
}

/** What the model predicts the next adjustment to be. */
export interface NextAdjustment {
  readonly cls: string;
  readonly probabilities: readonly number[];
  /** Predicted |peg change| in bps (if the adjustment is a repeg). */
  readonly pegChangeBps: number;
  /** Predicted ln(√k after / √k before) (if it is a k change). */
  readonly lnSqrtKScale: number;
}

export interface SequenceActionIndices {
  readonly hold: number;
  readonly repegOracle: number;
  readonly repegHalf: number;
  /** Each 'k up δ' / 'k down δ' action with its δ (a fraction). */
  readonly kUp: readonly { readonly delta: number; readonly index: number }[];
  readonly kDown: readonly { readonly delta: number; readonly index: number }[];
}

export function required(meanings: readonly string[], name: string): number {
  const i = meanings.indexOf(name);
  if (i < 0) throw new AgentConfigError('actionMeanings', meanings, `a list containing '${name}' (drift-vamm-v0's discrete actions)`, 'SequencePolicy');
  return i;
}

/** Where drift-vamm's actions sit in `meanings` ('k up 1%' → δ 0.01). */
export function sequenceActionIndices(meanings: readonly string[]): SequenceActionIndices {
  const k = (dir: 'up' | 'down') => meanings.flatMap((m, index) => {
    const match = new RegExp(`^k ${dir} ([0-9.]+)%$`).exec(m);
    return match === null ? [] : [{ delta: Number(match[1]) / 100, index }];
  });
  return { hold: required(meanings, 'hold'), repegOracle: required(meanings, 'repeg-oracle'), repegHalf: required(meanings, 'repeg-half'), kUp: k('up'), kDown: k('down') };
}

/** The action for a predicted adjustment given the mark and oracle now (rules in the module comment). */
export function actionForPrediction(p: NextAdjustment, markUsd: number, oracleUsd: number, idx: SequenceActionIndices): number {
  if (p.cls === 'k') {
    const options = p.lnSqrtKScale >= 0 ? idx.kUp : idx.kDown;
    const size = Math.abs(Math.exp(p.lnSqrtKScale) - 1);
    let best: { delta: number; index: number } | null = null;
    for (const o of options) if (best === null || Math.abs(o.delta - size) < Math.abs(best.delta - size)) best = o;
    return best === null ? idx.hold : best.index;
  }
  if (p.cls === 'repeg-up' || p.cls === 'repeg-down') {
    const gapBps = (markUsd / oracleUsd - 1) * 1e4;
    const towardOracle = p.cls === 'repeg-up' ? gapBps < 0 : gapBps > 0;
    if (!towardOracle) return idx.hold;
    return p.pegChangeBps < Math.abs(gapBps) / 2 ? idx.repegHalf : idx.repegOracle;
  }
  return idx.hold;
}

/**
 * Make sure a backend is active without awaiting: a sync decoder cannot call `initTfjsBackend`, and
 * letting tfjs pick its highest-priority backend may pick one that needs an async init. The cpu
 * backend initialises synchronously (and is the faster one for batch-1 inference, ecosystem.md §1).
 * A backend chosen earlier (e.g. by `initTfjsBackend`) is kept.
 */
function activeBackend(): string {
  tf.enableProdMode();
  if (!tf.engine().backendName) void tf.setBackend('cpu');
  return tf.getBackend();
}

export interface SequencePolicyOptions {
  readonly name?: string;
  /** Directory of model.json + weights.bin relative to policy.json (default '.': beside it). */
  readonly modelDir?: string;
  /** Probe inputs and outputs saved with the policy (see the decoder). */
  readonly probe?: SequenceProbe;
  /** How the model was fitted (data, split, metrics), kept in the file's config. */
  readonly fit?: JsonObject;
}

export class SequencePolicy implements PersistablePolicy<unknown, number> {
  readonly kind = SEQUENCE_POLICY_KIND;
  readonly name: string;
  readonly spec: SequencePolicySpec;
  readonly model: tf.LayersModel;
  readonly modelDir: string;
  readonly probe: SequenceProbe | undefined;
  private readonly fit: JsonObject;
  private readonly indices: SequenceActionIndices;
  private readonly tracker: InfoFeatureTracker;
  /** The last prediction made (for inspection and tests). */
  lastPrediction: NextAdjustment | null = null;

  constructor(model: tf.LayersModel, spec: SequencePolicySpec, options: SequencePolicyOptions = {}) {
    const who = 'SequencePolicy';
    validateArchitecture(spec.architecture);
    if (spec.classes.length !== spec.architecture.classes || !spec.classes.every((c) => (SEQUENCE_POLICY_CLASSES as readonly string[]).includes(c))) {
      throw new AgentConfigError('classes', spec.classes, `${spec.architecture.classes} class names from ${SEQUENCE_POLICY_CLASSES.join(', ')}`, who);
    }
    if (spec.architecture.magnitudes !== 2) throw new AgentConfigError('architecture.magnitudes', spec.architecture.magnitudes, '2 (ln |Δpeg bps|, ln √k scale)', who);
    if (!(Number.isSafeInteger(spec.actEverySteps) && spec.actEverySteps >= 1)) throw new AgentConfigError('actEverySteps', spec.actEverySteps, 'an integer ≥ 1', who);
    if (!(Number.isSafeInteger(spec.stepsPerHour) && spec.stepsPerHour >= 1)) throw new AgentConfigError('stepsPerHour', spec.stepsPerHour, 'an integer ≥ 1', who);
    const a = spec.architecture;
    const s = spec.scaling;
    const lengths: [string, readonly number[], number][] = [
      ['stepMean', s.stepMean, a.stepFeatures], ['stepStd', s.stepStd, a.stepFeatures], ['staticMean', s.staticMean, a.staticFeatures],
      ['staticStd', s.staticStd, a.staticFeatures], ['magnitudeMean', s.magnitudeMean, 2], ['magnitudeStd', s.magnitudeStd, 2],
    ];
    for (const [k, v, n] of lengths) {
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isFinite(x))) throw new AgentConfigError(`scaling.${k}`, v, `${n} finite numbers`, who);
    }
    if (![...s.stepStd, ...s.staticStd, ...s.magnitudeStd].every((x) => x > 0)) throw new AgentConfigError('scaling', s, 'standard deviations > 0', who);
    this.indices = sequenceActionIndices(spec.actionMeanings);
    this.spec = spec;
    this.model = model;
    this.name = options.name ?? `sequence-${a.kind}`;
    this.modelDir = options.modelDir ?? '.';
    this.probe = options.probe;
    this.fit = options.fit ?? {};
    this.tracker = new InfoFeatureTracker(a.windowHours, spec.stepsPerHour, this.name);
  }

  /** The same model and pace for an env whose actions are named `meanings`. */
  bindActionMeanings(meanings: readonly string[]): SequencePolicy {
    return new SequencePolicy(this.model, { ...this.spec, actionMeanings: meanings }, { name: this.name, modelDir: this.modelDir, probe: this.probe, fit: this.fit });
  }

  reset(): void {
    this.tracker.reset();
    this.lastPrediction = null;
  }

  act(_obs: unknown, info: Readonly<Record<string, unknown>>): number {
    this.tracker.observe(info);
    const step = this.tracker.steps;
    if (step === 0 || step % this.spec.actEverySteps !== 0) return this.indices.hold;
    const f = this.tracker.features();
    this.lastPrediction = this.predict(f.window, f.static);
    const i = this.tracker.info;
    return actionForPrediction(this.lastPrediction, i.markUsd, i.oracleUsd, this.indices);
  }

  /** The predicted next adjustment for raw (unscaled) features. */
  predict(window: readonly (readonly number[])[], stat: readonly number[]): NextAdjustment {
    const { architecture: a, scaling } = this.spec;
    const p = predictSequence(this.model, a, toSequenceBatch([{ window, static: stat }], scaling, a));
    const probabilities = Array.from(p.probabilities);
    let best = 0;
    for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
    return {
      cls: this.spec.classes[best]!,
      probabilities,
      pegChangeBps: Math.exp(unscaleMagnitude(p.magnitude[0]!, 0, scaling)),
      lnSqrtKScale: unscaleMagnitude(p.magnitude[1]!, 1, scaling),
    };
  }

  toPolicyData(): PolicyData {
    const s = this.spec;
    return {
      config: {
        ...this.fit,
        architecture: { ...s.architecture },
        scaling: Object.fromEntries(Object.entries(s.scaling).map(([k, v]) => [k, [...(v as number[])]])),
        classes: [...s.classes],
        actEverySteps: s.actEverySteps,
        stepsPerHour: s.stepsPerHour,
        actionMeanings: [...s.actionMeanings],
        modelDir: this.modelDir,
      },
      data: this.probe === undefined ? null : { probe: probeJson(this.probe) },
    };
  }
}

function probeJson(p: SequenceProbe): JsonObject {
  return {
    n: p.n,
    window: [...p.window],
    static: [...p.static],
    outputs: Object.fromEntries(Object.entries(p.outputs).map(([b, o]) => [b, { probabilities: [...o.probabilities], magnitude: [...o.magnitude] }])),
  };
}

/** Probe outputs of `model` on the probe's inputs, on the active backend. */
export function probeOutputs(model: tf.LayersModel, a: SequenceArchitecture, probe: Pick<SequenceProbe, 'n' | 'window' | 'static'>): { probabilities: number[]; magnitude: number[] } {
  const batch: SequenceBatch = { n: probe.n, window: Float32Array.from(probe.window), static: Float32Array.from(probe.static) };
  const p = predictSequence(model, a, batch);
  return { probabilities: Array.from(p.probabilities), magnitude: Array.from(p.magnitude) };
}

// The decoder.

function numberArray(r: PolicyFileReader, value: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    r.fail(field, length === undefined ? 'an array of finite numbers' : `an array of ${length} finite numbers`, value);
  }
  return value as number[];
}

function stringArray(r: PolicyFileReader, value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) r.fail(field, 'an array of strings', value);
  return value as string[];
}

function readArchitecture(r: PolicyFileReader, value: unknown): SequenceArchitecture {
  const o = r.object(value, 'config.architecture');
  const kind = o['kind'];
  if (kind !== 'rnn' && kind !== 'cnn') r.fail('config.architecture.kind', "'rnn' or 'cnn'", kind);
  const int = (k: string, min: number) => r.integer(o[k], `config.architecture.${k}`, min);
  return {
    kind, windowHours: int('windowHours', 1), stepFeatures: int('stepFeatures', 1), staticFeatures: int('staticFeatures', 1),
    classes: int('classes', 2), magnitudes: int('magnitudes', 1), units: int('units', 1), hidden: int('hidden', 1), seed: int('seed', 0),
  };
}

function readScaling(r: PolicyFileReader, value: unknown, a: SequenceArchitecture): SequenceScaling {
  const o = r.object(value, 'config.scaling');
  const arr = (k: string, n: number) => numberArray(r, o[k], `config.scaling.${k}`, n);
  return {
    stepMean: arr('stepMean', a.stepFeatures), stepStd: arr('stepStd', a.stepFeatures), staticMean: arr('staticMean', a.staticFeatures),
    staticStd: arr('staticStd', a.staticFeatures), magnitudeMean: arr('magnitudeMean', a.magnitudes), magnitudeStd: arr('magnitudeStd', a.magnitudes),
  };
}

function readProbe(r: PolicyFileReader, value: unknown, a: SequenceArchitecture): SequenceProbe {
  const o = r.object(value, 'data.probe');
  const n = r.integer(o['n'], 'data.probe.n', 1);
  const window = numberArray(r, o['window'], 'data.probe.window', n * a.windowHours * a.stepFeatures);
  const stat = numberArray(r, o['static'], 'data.probe.static', n * a.staticFeatures);
  const outputsObj = r.object(o['outputs'], 'data.probe.outputs');
  const outputs: Record<string, { probabilities: number[]; magnitude: number[] }> = {};
  for (const [backend, v] of Object.entries(outputsObj)) {
    const out = r.object(v, `data.probe.outputs.${backend}`);
    outputs[backend] = {
      probabilities: numberArray(r, out['probabilities'], `data.probe.outputs.${backend}.probabilities`, n * a.classes),
      magnitude: numberArray(r, out['magnitude'], `data.probe.outputs.${backend}.magnitude`, n * a.magnitudes),
    };
  }
  if (Object.keys(outputs).length === 0) r.fail('data.probe.outputs', 'outputs for at least one backend', outputsObj);
  return { n, window, static: stat, outputs };
}

/** Set the weights of `model` from `dir`'s model.json manifest and weight files, synchronously. */
export function loadWeightsSync(model: tf.LayersModel, dir: string, file: string): void {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new PolicyFileError(file, 'config.modelDir', `a directory holding model.json and weights.bin (looked in ${dir})`, 'no model.json there');
  let manifest: tf.io.WeightsManifestConfig;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as tf.io.ModelJSON;
    if (!Array.isArray(json.weightsManifest)) throw new Error('no weightsManifest');
    manifest = json.weightsManifest;
  } catch (err) {
    throw new PolicyFileError(file, 'config.modelDir', `a tfjs model.json with a weightsManifest (${path})`, (err as Error).message, { cause: err });
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const w = join(dir, p);
      if (!existsSync(w)) throw new PolicyFileError(file, 'config.modelDir', `the weight file ${p} beside ${path}`, 'missing');
      parts.push(readFileSync(w));
    }
  }
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) { bytes.set(p, offset); offset += p.byteLength; }
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(bytes.buffer, specs);
  } catch (err) {
    throw new PolicyFileError(file, 'config.modelDir', `weights matching the manifest of ${path}`, (err as Error).message, { cause: err });
  }
  try {
    model.loadWeights(named, true);
  } catch (err) {
    throw new PolicyFileError(file, 'config.architecture', `the architecture the weights in ${dir} were saved from`, (err as Error).message, { cause: err });
  } finally {
    Object.values(named).forEach((t) => t.dispose());
  }
}

/** Largest |difference| between two equally long lists (Infinity when the lengths differ). */
function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Check the loaded model reproduces the probe: bit for bit on a backend with saved outputs, else within tolerance. */
export function verifyProbe(model: tf.LayersModel, a: SequenceArchitecture, probe: SequenceProbe, backend: string, file: string): void {
  const got = probeOutputs(model, a, probe);
  const saved = probe.outputs[backend];
  if (saved !== undefined) {
    const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
    if (!same(got.probabilities, saved.probabilities) || !same(got.magnitude, saved.magnitude)) {
      const diff = Math.max(maxAbsDiff(got.probabilities, saved.probabilities), maxAbsDiff(got.magnitude, saved.magnitude));
      throw new PolicyFileError(file, 'data.probe', `weights that reproduce the saved ${backend} predictions bit for bit`, `max |difference| ${diff}`);
    }
    return;
  }
  const diffs = Object.entries(probe.outputs).map(([b, o]) => [b, Math.max(maxAbsDiff(got.probabilities, o.probabilities), maxAbsDiff(got.magnitude, o.magnitude))] as const);
  const [closest, diff] = diffs.reduce((x, y) => (y[1] < x[1] ? y : x));
  if (!(diff <= CROSS_BACKEND_TOLERANCE)) {
    throw new PolicyFileError(file, 'data.probe', `predictions within ${CROSS_BACKEND_TOLERANCE} of the saved ${closest} ones on backend ${backend}`, `max |difference| ${diff}`);
  }
}

registerPolicyKind(SEQUENCE_POLICY_KIND, (file, r) => {
  const cfg = file.config;
  const architecture = readArchitecture(r, cfg['architecture']);
  const scaling = readScaling(r, cfg['scaling'], architecture);
  const classes = stringArray(r, cfg['classes'], 'config.classes');
  const actionMeanings = stringArray(r, cfg['actionMeanings'], 'config.actionMeanings');
  const actEverySteps = r.integer(cfg['actEverySteps'], 'config.actEverySteps', 1);
  const stepsPerHour = r.integer(cfg['stepsPerHour'], 'config.stepsPerHour', 1);
  const modelDir = cfg['modelDir'] === undefined ? '.' : r.string(cfg['modelDir'], 'config.modelDir');
  const data = file.data === null ? null : r.object(file.data, 'data');
  const probe = data === null || data['probe'] === undefined ? undefined : readProbe(r, data['probe'], architecture);
  const backend = activeBackend();
  let model: tf.LayersModel;
  try {
    model = buildSequenceModel(architecture);
  } catch (err) {
    if (err instanceof AgentConfigError) throw new PolicyFileError(r.file, `config.architecture.${err.field}`, err.expected, describeValue(err.value), { cause: err });
    throw err;
  }
  loadWeightsSync(model, resolve(dirname(r.file), modelDir), r.file);
  if (probe !== undefined) verifyProbe(model, architecture, probe, backend, r.file);
  const { architecture: _a, scaling: _s, classes: _c, actionMeanings: _m, actEverySteps: _e, stepsPerHour: _h, modelDir: _d, ...fit } = cfg;
  try {
    return new SequencePolicy(model, { architecture, scaling, classes, actEverySteps, stepsPerHour, actionMeanings }, { name: file.name, modelDir, ...(probe === undefined ? {} : { probe }), fit });
  } catch (err) {
    if (err instanceof AgentConfigError) throw new PolicyFileError(r.file, `config.${err.field}`, err.expected, describeValue(err.value), { cause: err });
    throw err;
  }
});
