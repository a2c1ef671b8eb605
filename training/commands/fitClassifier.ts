import { join } from 'node:path';
import type { Argv } from 'yargs';
import { DRIFT_V1_FILES, resolveDataDir } from '../../data/dataDir.js';
import { loadCurveHistory } from '../../data/drift-v1/curveHistory.js';
import { buildSuccessDataset, type SuccessDataset } from '../../data/drift-v1/eventFeatures.js';
import { SUCCESS_LABEL_DEFAULTS, type OpenInterestMeasure } from '../../data/drift-v1/successLabels.js';
import { loadFundingHistory } from '../../data/drift-v1/fundingHistory.js';
import { type ClassifierName } from '../../agents/supervised/classifiers.js';
import { compareClassifiersTimeOrdered, type ClassifierCvReport, type FoldSummary } from '../../agents/supervised/timeSeriesSplit.js';
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { formatTable, toJson } from '../output.js';
import { progressBar } from '../progress.js';
import { writeFileAtomic } from '../files.js';

const MODEL_CHOICES = ['knn', 'nb', 'tree', 'logreg', 'all'] as const;
const ALL_MODELS: readonly ClassifierName[] = ['knn', 'nb', 'tree', 'logreg'];

export interface FitClassifierArgs {
  model: (typeof MODEL_CHOICES)[number];
  windowHours: number;
  folds: number;
  openInterest: OpenInterestMeasure;
  minOiChange: number;
  maxCostToFees: number;
  maxElapsedFactor: number;
  includeOutliers: boolean;
  dataDir?: string;
  /** Run directory for config.json and classifiers.json (default runs/fit-classifier). */
  out?: string;
  json: boolean;
}

export interface FitClassifierResult {
  readonly dataset: SuccessDataset;
  readonly folds: FoldSummary[];
  /** The requested models, then the majority-class baseline. */
  readonly reports: ClassifierCvReport[];
  readonly files: { readonly curveHistory: string; readonly fundingHistory: string };
  readonly seconds: number;
}

function checkFlag(flag: string, value: number, ok: boolean, allowed: string): void {
  if (!ok) throw new InvalidArgumentError(`--${flag} ${describeValue(value)} is not allowed; ${allowed}`);
}

/** Label the curve history, build features and cross-validate the chosen classifiers in time order. */
export async function fitClassifiers(args: FitClassifierArgs): Promise<FitClassifierResult> {
  checkFlag('window-hours', args.windowHours, Number.isFinite(args.windowHours) && args.windowHours > 0, 'allowed: hours > 0');
  checkFlag('folds', args.folds, Number.isInteger(args.folds) && args.folds >= 2, 'allowed: an integer ≥ 2');
  checkFlag('min-oi-change', args.minOiChange, Number.isFinite(args.minOiChange) && args.minOiChange >= -1, 'allowed: a relative change ≥ −1');
  checkFlag('max-cost-to-fees', args.maxCostToFees, Number.isFinite(args.maxCostToFees) && args.maxCostToFees >= 0, 'allowed: a ratio ≥ 0');
  checkFlag('max-elapsed-factor', args.maxElapsedFactor, args.maxElapsedFactor >= 1, 'allowed: ≥ 1');
  const dir = resolveDataDir(args.dataDir).dir;
  const files = { curveHistory: join(dir, DRIFT_V1_FILES.curveHistory), fundingHistory: join(dir, DRIFT_V1_FILES.fundingRateHistory) };
  const started = performance.now();
  const [curve, funding] = await Promise.all([loadCurveHistory(files.curveHistory), loadFundingHistory(files.fundingHistory)]);
  const dataset = buildSuccessDataset(curve.records, funding.records, {
    windowHours: args.windowHours,
    openInterest: args.openInterest,
    minOpenInterestChange: args.minOiChange,
    maxCostToFees: args.maxCostToFees,
    maxElapsedFactor: args.maxElapsedFactor,
    excludeOutliers: !args.includeOutliers,
  });
  const models: ClassifierName[] = [...(args.model === 'all' ? ALL_MODELS : [args.model]), 'majority'];
  const bar = progressBar('fit classifier', models.length * args.folds, args.json);
  const { folds, reports } = compareClassifiersTimeOrdered(dataset.X, dataset.y, dataset.times, models, {
    folds: args.folds, labelEnds: dataset.labelEnds, onFold: () => bar.tick(),
  });
  bar.stop();
  return { dataset, folds, reports, files, seconds: (performance.now() - started) / 1000 };
}

const fmt = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));

function jsonReport(r: FitClassifierResult): unknown {
  const { dataset: d } = r;
  const o = d.labels.options;
  return {
    models: r.reports.map((m) => ({
      model: m.model,
      accuracy: m.metrics.accuracy,
      precision: m.metrics.precision,
      recall: m.metrics.recall,
      f1: m.metrics.f1,
      auc: m.metrics.auc,
      foldAuc: m.foldAuc,
      foldAucMean: m.foldAucMean,
      confusion: m.metrics.confusion,
      tested: m.metrics.positives + m.metrics.negatives,
    })),
    positives: d.labels.balance.positives,
    negatives: d.labels.balance.negatives,
    byKind: d.labels.byKind,
    unlabelled: d.labels.unlabelled,
    missingFeatures: d.missingFeatures,
    samples: d.X.length,
    tested: { positives: r.reports[0].metrics.positives, negatives: r.reports[0].metrics.negatives },
    labels: {
      windowHours: o.windowHours, openInterest: o.openInterest, minOpenInterestChange: o.minOpenInterestChange,
      maxCostToFees: o.maxCostToFees, maxElapsedFactor: o.maxElapsedFactor, excludeOutliers: o.excludeOutliers, outlierRules: o.outlierRules,
    },
    features: d.names,
    folds: r.folds,
    files: r.files,
    seconds: r.seconds,
  };
}

/**
 * The run directory: config.json (the command and the label options) and classifiers.json (the
 * metrics of every model, and its pooled test labels and scores for ROC curves), each atomic.
 */
function writeClassifierRun(r: FitClassifierResult, runDir: string): string {
  const summary = jsonReport(r) as { labels: unknown; folds: unknown; files: unknown };
  writeFileAtomic(join(runDir, 'config.json'), toJson({
    command: ['damm-gym', ...process.argv.slice(2)], algorithm: 'fit-classifier', labels: summary.labels, files: summary.files,
  }));
  writeFileAtomic(join(runDir, 'classifiers.json'), toJson({
    ...(jsonReport(r) as object),
    roc: r.reports.map((m) => ({ model: m.model, yTrue: m.yTrue, scores: m.scores })),
  }));
  return runDir;
}

function printReport(r: FitClassifierResult): void {
  const { dataset: d } = r;
  const o = d.labels.options;
  const u = d.labels.unlabelled;
  const { repeg, k } = d.labels.byKind;
  console.log(`labels: window ${o.windowHours} h, open interest (${o.openInterest}) change ≥ ${o.minOpenInterestChange}, `
    + `cost ≤ ${o.maxCostToFees} × fees in window, window end ≤ ${o.maxElapsedFactor} windows after the event`);
  console.log(`class balance: ${d.labels.balance.positives} successes / ${d.labels.balance.negatives} failures `
    + `(repeg ${repeg.positives}/${repeg.negatives}, k ${k.positives}/${k.negatives}); unlabelled: ${u['no-change']} no-change records, `
    + `${u.outlier} outliers, ${u['no-later-record']} without a later record, ${u.stale} stale`
    + (d.missingFeatures['no-funding-before'] + d.missingFeatures['short-oracle-history'] > 0
      ? `; ${d.missingFeatures['no-funding-before'] + d.missingFeatures['short-oracle-history']} without enough funding history for features` : ''));
  const tested = r.reports[0].metrics;
  console.log(`time-ordered CV: ${r.folds.length} expanding-window folds of ${r.folds[0].testSize} events; `
    + `${tested.positives + tested.negatives} tested (${tested.positives} successes / ${tested.negatives} failures); `
    + `${r.folds.reduce((s, f) => s + f.purged, 0)} training rows purged (label read after the test start)\n`);
  console.log(formatTable(
    ['model', 'accuracy', 'precision', 'recall', 'f1', 'auc', 'fold auc', 'tp', 'fp', 'tn', 'fn'],
    r.reports.map((m) => [
      m.model, fmt(m.metrics.accuracy), fmt(m.metrics.precision), fmt(m.metrics.recall), fmt(m.metrics.f1), fmt(m.metrics.auc),
      fmt(m.foldAucMean), String(m.metrics.confusion.tp), String(m.metrics.confusion.fp), String(m.metrics.confusion.tn), String(m.metrics.confusion.fn),
    ]),
  ));
  console.log(`\nfit classifier: ${d.X.length} labelled events, ${r.reports.length} models × ${r.folds.length} folds in ${r.seconds.toFixed(1)} s `
    + '(auc pooled over test folds; fold auc = mean within-fold auc; majority = class-share baseline)');
}

export function fitClassifierCommand(y: Argv): Argv {
  return y.command(
    'classifier',
    'Label historical repeg / k events success or failure (source §3.1) and cross-validate classifiers in time order',
    (c) => c
      .option('model', { choices: MODEL_CHOICES, default: 'all' as const, describe: 'classifier to evaluate (the majority baseline is always added)' })
      .option('window-hours', { type: 'number', default: SUCCESS_LABEL_DEFAULTS.windowHours, describe: 'hours after an event at which its outcome is read' })
      .option('folds', { type: 'number', default: 5, describe: 'expanding-window test folds' })
      .option('open-interest', { choices: ['base', 'users'] as const, default: SUCCESS_LABEL_DEFAULTS.openInterest, describe: 'open interest as long+short base, or the user count' })
      .option('min-oi-change', { type: 'number', default: SUCCESS_LABEL_DEFAULTS.minOpenInterestChange, describe: 'success needs relative open-interest change ≥ this' })
      .option('max-cost-to-fees', { type: 'number', default: SUCCESS_LABEL_DEFAULTS.maxCostToFees, describe: 'success needs adjustment cost ≤ this × fees collected in the window' })
      .option('max-elapsed-factor', { type: 'number', default: SUCCESS_LABEL_DEFAULTS.maxElapsedFactor, describe: 'leave an event unlabelled when its first later record comes after this many windows' })
      .option('include-outliers', { type: 'boolean', default: false, describe: 'also label the events outliers.ts flags (fee pool above total fees, as after the LUNA launch top-up; k or peg jumps)' })
      .option('out', { type: 'string', describe: 'run directory for config.json and classifiers.json (default runs/fit-classifier; `damm-gym report` draws its ROC curves)' }),
    async (argv) => {
      const args = argv as unknown as FitClassifierArgs;
      const result = await fitClassifiers(args);
      const runDir = writeClassifierRun(result, args.out ?? join('runs', 'fit-classifier'));
      if (args.json) process.stdout.write(`${toJson({ ...(jsonReport(result) as object), runDir })}\n`);
      else {
        printReport(result);
        console.log(`fit classifier: results in ${runDir}`);
      }
    },
  );
}
