/**
 * `damm-gym fit sequence --model rnn|cnn`: the source's §3.2 predictors of the next repeg / k change,
 * trained on Drift v1 history (data/drift-v1/sequenceDataset.ts) with a time-ordered split, scored on
 * the test split against naive baselines, and saved as a policy `evaluate` can run.
 */
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Argv } from 'yargs';
import { DRIFT_V1_FILES, resolveDataDir } from '../../data/dataDir.js';
import { loadCurveHistory } from '../../data/drift-v1/curveHistory.js';
import { loadFundingHistory } from '../../data/drift-v1/fundingHistory.js';
import {
  buildSequenceDataset, classBalance, SEQUENCE_CLASSES, SEQUENCE_DATASET_DEFAULTS, SEQUENCE_STATIC_FEATURES, SEQUENCE_STEP_FEATURES,
  timeOrderedSplit, type SequenceClass, type SequenceDataset, type SequenceExample,
} from '../../data/drift-v1/sequenceDataset.js';
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { Rng } from '../../env/core/rng.js';
import { make } from '../../env/core/registration/registry.js';
import '../../env/tasks/builtin.js';
import { initTfjsBackend, type TfjsBackend } from '../../agents/deep/backend.js';
import { modelFiles, writeDirAtomic } from '../../agents/deep/modelStore.js';
import {
  balancedClassWeights, buildSequenceModel, fitSequenceScaling, predictSequence, SEQUENCE_ARCHITECTURE_DEFAULTS, SEQUENCE_MODEL_KINDS,
  SEQUENCE_TRAIN_DEFAULTS, toSequenceBatch, trainSequenceModel, unscaleMagnitude,
  type SequenceArchitecture, type SequenceModelKind, type SequenceSample, type SequenceTrainConfig, type SequenceTrainResult,
} from '../../agents/deep/sequenceModels.js';
import { median, multiclassMetrics, regressionMetrics, type MulticlassMetrics, type RegressionMetrics } from '../../agents/deep/sequenceMetrics.js';
import { probeOutputs, SequencePolicy, type SequenceProbe } from '../../agents/deep/sequencePolicy.js';
import { labelSimulatedAdjustments } from '../../agents/deep/sequenceSimulatedLabels.js';
import { policyToJSON } from '../../agents/persistence.js';
import { formatTable, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export interface FitSequenceArgs {
  model: SequenceModelKind;
  windowHours: number;
  epochs: number;
  seed: number;
  patience: number;
  learningRate: number;
  batchSize: number;
  units: number;
  /** L2 penalty on the kernels. */
  l2: number;
  /** The policy's pace in hours (default: the admin's mean interval in the training period). */
  actEveryHours?: number;
  includeOutliers: boolean;
  /** Days of drift-vamm-v0 under a paced `formulaic` admin added to the training split (0: none). */
  syntheticDays: number;
  out?: string;
  dataDir?: string;
  json: boolean;
}

/** The policy's env: drift-vamm-v0's 60 s step (and drift-replay-v0's). */
const STEPS_PER_HOUR = 60;
/** Probe examples saved with the policy (the first test events). */
const PROBE_SIZE = 8;

type Predictor = string;

export interface TypeScore {
  readonly predictor: Predictor;
  readonly metrics: MulticlassMetrics;
}

export interface MagnitudeScore {
  readonly predictor: Predictor;
  /** |peg change| in bps over the test repegs. */
  readonly repeg: RegressionMetrics;
  /** ln √k scale over the test k changes. */
  readonly k: RegressionMetrics;
}

export interface SplitSummary {
  readonly n: number;
  readonly from: string;
  readonly to: string;
  readonly balance: Record<SequenceClass, number>;
}

export interface FitSequenceResult {
  readonly model: SequenceModelKind;
  readonly backend: TfjsBackend;
  readonly dataset: SequenceDataset;
  readonly split: { readonly train: SplitSummary; readonly validation: SplitSummary; readonly test: SplitSummary };
  readonly syntheticTrain: { readonly n: number; readonly balance: Record<SequenceClass, number> } | null;
  readonly training: SequenceTrainResult;
  readonly type: TypeScore[];
  readonly magnitude: MagnitudeScore[];
  readonly actEveryHours: number;
  readonly runDir: string;
  readonly seconds: number;
}

function checkFlag(flag: string, value: unknown, ok: boolean, allowed: string): void {
  if (!ok) throw new InvalidArgumentError(`--${flag} ${describeValue(value)} is not allowed; ${allowed}`);
}

function validate(args: FitSequenceArgs): void {
  const int = (v: number, min: number) => Number.isSafeInteger(v) && v >= min;
  checkFlag('model', args.model, (SEQUENCE_MODEL_KINDS as readonly string[]).includes(args.model), `allowed: ${SEQUENCE_MODEL_KINDS.join(', ')}`);
  checkFlag('window-hours', args.windowHours, int(args.windowHours, args.model === 'cnn' ? 4 : 1), `allowed: an integer number of hours ≥ ${args.model === 'cnn' ? 4 : 1}`);
  checkFlag('epochs', args.epochs, int(args.epochs, 1), 'allowed: an integer ≥ 1');
  checkFlag('seed', args.seed, int(args.seed, 0), 'allowed: an integer ≥ 0');
  checkFlag('patience', args.patience, int(args.patience, 1), 'allowed: an integer ≥ 1');
  checkFlag('batch-size', args.batchSize, int(args.batchSize, 1), 'allowed: an integer ≥ 1');
  checkFlag('units', args.units, int(args.units, 1), 'allowed: an integer ≥ 1');
  checkFlag('l2', args.l2, Number.isFinite(args.l2) && args.l2 >= 0, 'allowed: a number ≥ 0');
  checkFlag('learning-rate', args.learningRate, Number.isFinite(args.learningRate) && args.learningRate > 0, 'allowed: a number > 0');
  checkFlag('synthetic-days', args.syntheticDays, int(args.syntheticDays, 0), 'allowed: an integer ≥ 0');
  if (args.actEveryHours !== undefined) {
    checkFlag('act-every-hours', args.actEveryHours, Number.isFinite(args.actEveryHours) && args.actEveryHours * STEPS_PER_HOUR >= 1, `allowed: hours ≥ 1/${STEPS_PER_HOUR} (one step)`);
  }
}

const CLASS_INDEX = new Map<SequenceClass, number>(SEQUENCE_CLASSES.map((c, i) => [c, i]));

/** The model's targets: ln |Δpeg bps| for repegs (output 0), ln √k scale for k (output 1). */
function toSample(e: Pick<SequenceExample, 'window' | 'static' | 'cls' | 'pegChangeBps' | 'lnSqrtKScale'>): SequenceSample {
  return {
    window: e.window,
    static: e.static,
    cls: CLASS_INDEX.get(e.cls)!,
    magnitude: [e.pegChangeBps === null ? null : Math.log(e.pegChangeBps), e.lnSqrtKScale],
  };
}

function summarise(examples: readonly SequenceExample[]): SplitSummary {
  const iso = (ts: number) => new Date(ts * 1000).toISOString().replace('.000Z', 'Z');
  return { n: examples.length, from: iso(examples[0]!.ts), to: iso(examples[examples.length - 1]!.ts), balance: classBalance(examples) };
}

function argmax(p: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (p[row * width + k]! > p[row * width + best]!) best = k;
  return best;
}

/** Magnitude metrics of a predictor given per-event predictions (|Δpeg| bps, ln √k scale). */
function magnitudeScore(predictor: Predictor, test: readonly SequenceExample[], pegBps: (e: SequenceExample, i: number) => number, lnK: (e: SequenceExample, i: number) => number): MagnitudeScore {
  const repeg = test.map((e, i) => [e, i] as const).filter(([e]) => e.pegChangeBps !== null);
  const k = test.map((e, i) => [e, i] as const).filter(([e]) => e.lnSqrtKScale !== null);
  return {
    predictor,
    repeg: regressionMetrics(repeg.map(([e]) => e.pegChangeBps!), repeg.map(([e, i]) => pegBps(e, i))),
    k: regressionMetrics(k.map(([e]) => e.lnSqrtKScale!), k.map(([e, i]) => lnK(e, i))),
  };
}

/** Load the history, build and split the dataset, train, score against the baselines and write the run dir. */
export async function fitSequence(args: FitSequenceArgs, quiet = false): Promise<FitSequenceResult> {
  validate(args);
  const started = performance.now();
  const backend = await initTfjsBackend();
  const dir = resolveDataDir(args.dataDir).dir;
  const [curve, funding] = await Promise.all([
    loadCurveHistory(join(dir, DRIFT_V1_FILES.curveHistory)),
    loadFundingHistory(join(dir, DRIFT_V1_FILES.fundingRateHistory)),
  ]);
  const dataset = buildSequenceDataset(curve.records, funding.records, { windowHours: args.windowHours, excludeOutliers: !args.includeOutliers });
  const ex = dataset.examples;
  const split = timeOrderedSplit(ex.map((e) => e.ts));
  const [train, validation, test] = [split.train, split.validation, split.test].map(([a, b]) => ex.slice(a, b)) as [SequenceExample[], SequenceExample[], SequenceExample[]];

  const architecture: SequenceArchitecture = {
    kind: args.model, windowHours: args.windowHours, stepFeatures: SEQUENCE_STEP_FEATURES.length, staticFeatures: SEQUENCE_STATIC_FEATURES.length,
    classes: SEQUENCE_CLASSES.length, magnitudes: 2, units: args.units, hidden: SEQUENCE_ARCHITECTURE_DEFAULTS.hidden, seed: args.seed,
  };
  // the admin's pace: mean hours between a market's records, over the training events
  const meanGapHours = train.reduce((s, e) => s + Math.expm1(e.static[2]!), 0) / train.length;
  const actEveryHours = args.actEveryHours ?? meanGapHours;
  const actEverySteps = Math.max(1, Math.round(actEveryHours * STEPS_PER_HOUR));

  const synthetic = args.syntheticDays > 0 ? simulatedExamples(args, actEverySteps) : [];
  const trainSamples = [...train.map(toSample), ...synthetic.map(toSample)];
  const scaling = fitSequenceScaling(trainSamples, architecture);
  const trainBatch = toSequenceBatch(trainSamples, scaling, architecture);
  const validationBatch = toSequenceBatch(validation.map(toSample), scaling, architecture);
  const testBatch = toSequenceBatch(test.map(toSample), scaling, architecture);
  const trainConfig: SequenceTrainConfig = {
    ...SEQUENCE_TRAIN_DEFAULTS, epochs: args.epochs, patience: args.patience, learningRate: args.learningRate, batchSize: args.batchSize, l2: args.l2,
  };
  const classWeights = balancedClassWeights(trainBatch.cls!, architecture.classes);

  const model = buildSequenceModel(architecture);
  const bar = progressBar(`fit sequence ${args.model}`, args.epochs, args.json || quiet);
  const training = trainSequenceModel(model, architecture, trainBatch, validationBatch, trainConfig, new Rng(args.seed), {
    classWeights, onEpoch: () => bar.tick(),
  });
  bar.stop();

  // Scores on the test split.
  const p = predictSequence(model, architecture, testBatch);
  const C = architecture.classes;
  const truth = test.map((e) => CLASS_INDEX.get(e.cls)!);
  const trainCounts = classBalance(train);
  const majority = SEQUENCE_CLASSES.reduce((a, b) => (trainCounts[b] > trainCounts[a] ? b : a));
  const type: TypeScore[] = [
    { predictor: args.model, metrics: multiclassMetrics(truth, test.map((_, i) => argmax(p.probabilities, i, C)), C) },
    { predictor: `majority (${majority})`, metrics: multiclassMetrics(truth, test.map(() => CLASS_INDEX.get(majority)!), C) },
    { predictor: 'same as last event', metrics: multiclassMetrics(truth, test.map((e) => CLASS_INDEX.get(e.previous.cls ?? majority)!), C) },
  ];
  const medianPeg = median(train.flatMap((e) => (e.pegChangeBps === null ? [] : [e.pegChangeBps])));
  const medianK = median(train.flatMap((e) => (e.lnSqrtKScale === null ? [] : [e.lnSqrtKScale])));
  const magnitude: MagnitudeScore[] = [
    magnitudeScore(args.model, test, (_, i) => Math.exp(unscaleMagnitude(p.magnitude[i * 2]!, 0, scaling)), (_, i) => unscaleMagnitude(p.magnitude[i * 2 + 1]!, 1, scaling)),
    magnitudeScore('same as last event', test, (e) => e.previous.pegChangeBps ?? medianPeg, (e) => e.previous.lnSqrtKScale ?? medianK),
    magnitudeScore('train median', test, () => medianPeg, () => medianK),
  ];

  // The policy, its probe (bit-identity check on load) and the run directory.
  const probeN = Math.min(PROBE_SIZE, testBatch.n);
  const probeInputs = {
    n: probeN,
    window: Array.from(testBatch.window.subarray(0, probeN * architecture.windowHours * architecture.stepFeatures)),
    static: Array.from(testBatch.static.subarray(0, probeN * architecture.staticFeatures)),
  };
  const probe: SequenceProbe = { ...probeInputs, outputs: await probeOnBackends(model, architecture, probeInputs, backend) };
  const runDir = args.out ?? join('runs', `sequence-${args.model}`);
  const probeEnv = make('drift-vamm-v0');
  const actionMeanings = (probeEnv.unwrapped as unknown as { actionMeanings: readonly string[] }).actionMeanings;
  probeEnv.close();
  const splitSummary = { train: summarise(train), validation: summarise(validation), test: summarise(test) };
  const fit = {
    data: { dir, windowHours: args.windowHours, excludeOutliers: !args.includeOutliers, stepFeatures: [...SEQUENCE_STEP_FEATURES], staticFeatures: [...SEQUENCE_STATIC_FEATURES] },
    split: { train: splitSummary.train.n, validation: splitSummary.validation.n, test: splitSummary.test.n, syntheticTrain: synthetic.length },
    backend,
    actEveryHours,
  };
  const policy = new SequencePolicy(model, {
    architecture, scaling, classes: [...SEQUENCE_CLASSES], actEverySteps, stepsPerHour: STEPS_PER_HOUR, actionMeanings,
  }, { name: basename(resolve(runDir)), modelDir: '.', probe, fit });
  const policyFile = policyToJSON(policy, { envId: 'drift-vamm-v0', envSpec: {} }, join(runDir, 'policy.json'));
  const seconds = (performance.now() - started) / 1000;
  const result: FitSequenceResult = {
    model: args.model, backend, dataset, split: splitSummary,
    syntheticTrain: synthetic.length === 0 ? null : { n: synthetic.length, balance: classBalance(synthetic) },
    training, type, magnitude, actEveryHours, runDir, seconds,
  };
  writeDirAtomic(runDir, {
    ...(await modelFiles(model)),
    'policy.json': `${JSON.stringify(policyFile, null, 1)}\n`,
    'scaling.json': toJson(scaling),
    'config.json': toJson({
      command: ['damm-gym', ...process.argv.slice(2)], algorithm: `sequence-${args.model}`, architecture, training: trainConfig, classWeights,
      classes: SEQUENCE_CLASSES, magnitudes: ['ln |peg change bps| (repeg classes)', 'ln sqrt_k scale (k class)'], ...fit, actEverySteps, seed: args.seed,
    }),
    'metrics.json': toJson(jsonReport(result)),
  });
  model.dispose();
  return result;
}

/**
 * Probe outputs on the training backend and on cpu (the backend a sync policy decoder falls back to),
 * so a loaded policy can be checked bit for bit on either.
 */
async function probeOnBackends(
  model: tf.LayersModel, a: SequenceArchitecture, probe: Pick<SequenceProbe, 'n' | 'window' | 'static'>, backend: TfjsBackend,
): Promise<Record<string, { probabilities: number[]; magnitude: number[] }>> {
  const outputs: Record<string, { probabilities: number[]; magnitude: number[] }> = { [backend]: probeOutputs(model, a, probe) };
  if (backend !== 'cpu') {
    await tf.setBackend('cpu');
    try {
      outputs.cpu = probeOutputs(model, a, probe);
    } finally {
      await tf.setBackend(backend);
    }
  }
  return outputs;
}

/** drift-vamm-v0 days under the `formulaic` admin at the policy's pace, labelled like the history. */
function simulatedExamples(args: FitSequenceArgs, actEverySteps: number): SequenceExample[] {
  const days = args.syntheticDays;
  const env = make('drift-vamm-v0', { maxEpisodeSteps: days * 24 * STEPS_PER_HOUR, horizon: days * 24 * STEPS_PER_HOUR });
  try {
    return labelSimulatedAdjustments(env as never, {
      actionName: 'formulaic', actEverySteps, stepsPerHour: STEPS_PER_HOUR, windowHours: args.windowHours, seed: args.seed, steps: days * 24 * STEPS_PER_HOUR,
    }).map((s, i) => ({
      recordId: BigInt(-(i + 1)), marketIndex: -1, ts: 0, window: s.window, static: s.static, cls: s.cls,
      pegChangeBps: s.pegChangeBps, lnSqrtKScale: s.lnSqrtKScale, previous: { cls: null, pegChangeBps: null, lnSqrtKScale: null },
    }));
  } finally {
    env.close();
  }
}

const f3 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
const f4 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));

function jsonReport(r: FitSequenceResult): unknown {
  return {
    model: r.model,
    backend: r.backend,
    windowHours: r.dataset.options.windowHours,
    examples: r.dataset.examples.length,
    dropped: r.dataset.dropped,
    split: r.split,
    syntheticTrain: r.syntheticTrain,
    training: {
      epochs: r.training.epochs.length, bestEpoch: r.training.bestEpoch, bestValidationLoss: r.training.bestValidationLoss,
      stoppedEarly: r.training.stoppedEarly, history: r.training.epochs,
    },
    classes: SEQUENCE_CLASSES,
    type: r.type.map((t) => ({ predictor: t.predictor, accuracy: t.metrics.accuracy, macroF1: t.metrics.macroF1, confusion: t.metrics.confusion, n: t.metrics.n })),
    magnitude: r.magnitude,
    actEveryHours: r.actEveryHours,
    runDir: r.runDir,
    seconds: r.seconds,
  };
}

function printReport(r: FitSequenceResult): void {
  const d = r.dataset;
  const o = d.options;
  console.log(`events: ${d.examples.length} repeg / k records with a ${o.windowHours} h window (left out: ${d.dropped.noChange} no-change, `
    + `${d.dropped.outlier} outliers, ${d.dropped.firstInMarket} first of their market, ${d.dropped.shortHistory} without ${o.windowHours} h of funding history)`);
  console.log(formatTable(
    ['split', 'events', 'from (UTC)', 'to (UTC)', ...SEQUENCE_CLASSES],
    (['train', 'validation', 'test'] as const).map((k) => {
      const s = r.split[k];
      return [k, String(s.n), s.from, s.to, ...SEQUENCE_CLASSES.map((c) => String(s.balance[c]))];
    }),
  ));
  if (r.syntheticTrain !== null) {
    console.log(`+ ${r.syntheticTrain.n} simulated formulaic adjustments in train (${SEQUENCE_CLASSES.map((c) => `${c} ${r.syntheticTrain!.balance[c]}`).join(', ')})`);
  }
  console.log(`\nnext adjustment type, test split (${r.split.test.n} events; confusion rows = true ${SEQUENCE_CLASSES.join('/')}, columns = predicted)`);
  console.log(formatTable(
    ['predictor', 'accuracy', 'macro-F1', 'confusion'],
    r.type.map((t) => [t.predictor, f3(t.metrics.accuracy), f3(t.metrics.macroF1), t.metrics.confusion.map((row) => row.join(' ')).join(' | ')]),
  ));
  const n = r.magnitude[0]!;
  console.log(`\nmagnitude, test split (|peg change| bps over ${n.repeg.n} repegs; ln sqrt_k scale over ${n.k.n} k changes)`);
  console.log(formatTable(
    ['predictor', 'repeg MAE (bps)', 'repeg RMSE (bps)', 'k MAE (ln)', 'k RMSE (ln)'],
    r.magnitude.map((m) => [m.predictor, f3(m.repeg.mae), f3(m.repeg.rmse), f4(m.k.mae), f4(m.k.rmse)]),
  ));
  const t = r.training;
  console.log(`\nfit sequence: ${r.model} on TFJS backend ${r.backend}; ${t.epochs.length} epochs (best ${t.bestEpoch}, validation loss ${t.bestValidationLoss.toFixed(4)}`
    + `${t.stoppedEarly ? ', stopped early' : ''}); policy acts every ${r.actEveryHours.toFixed(2)} h; ${r.seconds.toFixed(1)} s; run dir ${r.runDir}`);
}

export function fitSequenceCommand(y: Argv): Argv {
  return y.command(
    'sequence',
    'Train an RNN or 1-D CNN to predict the next repeg / k change from the hours before it (source §3.2); save it as a policy',
    (c) => c
      .option('model', { choices: SEQUENCE_MODEL_KINDS, demandOption: true, describe: 'rnn (GRU) or cnn (1-D convolutions + pooling)' })
      .option('window-hours', { type: 'number', default: SEQUENCE_DATASET_DEFAULTS.windowHours, describe: 'hours of funding history before each event' })
      .option('epochs', { type: 'number', default: SEQUENCE_TRAIN_DEFAULTS.epochs, describe: 'most passes over the training split (early stopping on validation loss)' })
      .option('patience', { type: 'number', default: SEQUENCE_TRAIN_DEFAULTS.patience, describe: 'epochs without a better validation loss before stopping' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the initialisers and the batch order' })
      .option('learning-rate', { type: 'number', default: SEQUENCE_TRAIN_DEFAULTS.learningRate, describe: "Adam's step size" })
      .option('batch-size', { type: 'number', default: SEQUENCE_TRAIN_DEFAULTS.batchSize })
      .option('units', { type: 'number', default: SEQUENCE_ARCHITECTURE_DEFAULTS.units, describe: 'GRU units or convolution filters' })
      .option('l2', { type: 'number', default: SEQUENCE_TRAIN_DEFAULTS.l2, describe: 'L2 penalty on every kernel' })
      .option('act-every-hours', { type: 'number', describe: "the policy's pace (default: the admin's mean interval between a market's records in the training period)" })
      .option('include-outliers', { type: 'boolean', default: false, describe: 'keep the events outliers.ts flags (LUNA launch top-up, k or peg jumps)' })
      .option('synthetic-days', { type: 'number', default: 0, describe: 'add this many days of drift-vamm-v0 under a paced formulaic admin to the training split' })
      .option('out', { type: 'string', describe: 'run directory (default runs/sequence-<model>)' }),
    async (argv) => {
      const args = argv as unknown as FitSequenceArgs;
      const result = await fitSequence(args);
      if (args.json) process.stdout.write(`${toJson(jsonReport(result))}\n`);
      else printReport(result);
    },
  );
}
