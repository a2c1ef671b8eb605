/**
 * Time-ordered cross-validation: expanding-window folds over time-sorted samples (no shuffling), with
 * purging, features standardised on each training fold only, and predictions pooled over test folds.
 *
 * Folds follow scikit-learn's `TimeSeriesSplit`: n samples make k + 1 blocks of ⌊n/(k+1)⌋ (the first
 * block takes the remainder); fold i tests block i + 1 and trains on everything before it. A label
 * that is read at a later time (here: the window end after an event) is only known then, so a
 * training sample whose `labelEnds` lies after the first test sample's time is purged from that fold.
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';
import { createClassifier, type BinaryClassifier, type ClassifierName, type ClassifierOptions } from './classifiers.js';
import { binaryMetrics, rocAuc, type BinaryMetrics } from './metrics.js';

export interface TimeSeriesSplitOptions {
  /** Number of test folds (≥ 2). */
  readonly folds: number;
  /** When each sample's label became known (same unit as `times`); omitted: at the sample's own time. */
  readonly labelEnds?: readonly number[];
}

export interface TimeSeriesFold {
  /** Indices into the time-sorted samples. Every train index is below every test index. */
  readonly train: number[];
  readonly test: number[];
  /** Earlier samples left out of training because their label was not known by the test start. */
  readonly purged: number;
}

/** Expanding-window folds over samples whose `times` are non-decreasing. */
export function expandingWindowFolds(times: readonly number[], options: TimeSeriesSplitOptions): TimeSeriesFold[] {
  const { folds, labelEnds } = options;
  const n = times.length;
  if (!(Number.isInteger(folds) && folds >= 2)) throw new InvalidArgumentError(`time-series split: folds ${describeValue(folds)} is not allowed; allowed: an integer ≥ 2`);
  for (let i = 1; i < n; i++) {
    if (!(times[i] >= times[i - 1])) {
      throw new InvalidArgumentError(`time-series split: times must be sorted (non-decreasing); times[${i}] = ${times[i]} < times[${i - 1}] = ${times[i - 1]}`);
    }
  }
  if (labelEnds !== undefined && labelEnds.length !== n) {
    throw new InvalidArgumentError(`time-series split: ${labelEnds.length} label end times for ${n} samples; they must match`);
  }
  const testSize = Math.floor(n / (folds + 1));
  if (testSize < 1) {
    throw new InvalidArgumentError(`time-series split: ${n} samples cannot make ${folds} folds; need at least ${folds + 1} samples (or fewer folds)`);
  }
  const out: TimeSeriesFold[] = [];
  for (let f = 0; f < folds; f++) {
    const testStart = n - (folds - f) * testSize;
    const train: number[] = [];
    for (let j = 0; j < testStart; j++) if (labelEnds === undefined || labelEnds[j] <= times[testStart]) train.push(j);
    if (train.length === 0) {
      throw new InvalidArgumentError(
        `time-series split: fold ${f + 1} of ${folds} has no training sample whose label is known by its first test sample (time ${times[testStart]}); use fewer folds or a shorter label window`,
      );
    }
    out.push({ train, test: Array.from({ length: testSize }, (_, i) => testStart + i), purged: testStart - train.length });
  }
  return out;
}

export interface Standardizer {
  readonly mean: number[];
  /** Population standard deviation per column; a constant column gets 1 (it is only centred). */
  readonly scale: number[];
}

export function fitStandardizer(X: readonly (readonly number[])[]): Standardizer {
  if (X.length === 0) throw new InvalidArgumentError('standardizer: cannot fit on zero rows');
  const width = X[0].length;
  const mean = Array.from({ length: width }, (_, j) => X.reduce((s, r) => s + r[j], 0) / X.length);
  const scale = mean.map((m, j) => {
    const sd = Math.sqrt(X.reduce((s, r) => s + (r[j] - m) ** 2, 0) / X.length);
    return sd > 0 ? sd : 1;
  });
  return { mean, scale };
}

export function standardize(X: readonly (readonly number[])[], s: Standardizer): number[][] {
  return X.map((r) => r.map((v, j) => (v - s.mean[j]) / s.scale[j]));
}

export interface FoldSummary {
  readonly trainSize: number;
  readonly testSize: number;
  readonly purged: number;
  readonly trainPositives: number;
  readonly testPositives: number;
}

export interface CrossValidationResult {
  readonly folds: FoldSummary[];
  /** Pooled over the test folds, in time order. */
  readonly testIndices: number[];
  readonly yTrue: number[];
  readonly probabilities: number[];
}

/**
 * Fit a fresh classifier on each fold's (standardised) training rows and score its test rows.
 * `X`, `y`, `times` (and `labelEnds`) are aligned and sorted by time.
 */
export function crossValidateTimeOrdered(
  X: readonly (readonly number[])[],
  y: readonly number[],
  times: readonly number[],
  makeClassifier: () => BinaryClassifier,
  options: TimeSeriesSplitOptions & { readonly onFold?: () => void },
): CrossValidationResult {
  if (X.length !== y.length || X.length !== times.length) {
    throw new InvalidArgumentError(`cross-validation: ${X.length} rows, ${y.length} labels and ${times.length} times; they must match`);
  }
  const folds = expandingWindowFolds(times, options);
  const summaries: FoldSummary[] = [];
  const testIndices: number[] = [];
  const yTrue: number[] = [];
  const probabilities: number[] = [];
  for (const fold of folds) {
    const trainX = fold.train.map((i) => X[i]);
    const scaler = fitStandardizer(trainX);
    const model = makeClassifier();
    model.fit(standardize(trainX, scaler), fold.train.map((i) => y[i]));
    const p = model.predictProba(standardize(fold.test.map((i) => X[i]), scaler));
    testIndices.push(...fold.test);
    yTrue.push(...fold.test.map((i) => y[i]));
    probabilities.push(...p);
    summaries.push({
      trainSize: fold.train.length,
      testSize: fold.test.length,
      purged: fold.purged,
      trainPositives: fold.train.filter((i) => y[i] === 1).length,
      testPositives: fold.test.filter((i) => y[i] === 1).length,
    });
    options.onFold?.();
  }
  return { folds: summaries, testIndices, yTrue, probabilities };
}

export interface ClassifierCvReport {
  readonly model: ClassifierName;
  /** Metrics of the predictions pooled over all test folds (threshold ½). */
  readonly metrics: BinaryMetrics;
  /** ROC AUC within each test fold (null where a fold holds one class). */
  readonly foldAuc: (number | null)[];
  /** Mean of the defined fold AUCs: unlike the pooled AUC it is not moved by class balance drifting between folds. */
  readonly foldAucMean: number | null;
  /** The pooled test labels and predicted probabilities, in time order (what an ROC curve is drawn from). */
  readonly yTrue: number[];
  readonly scores: number[];
}

/** Cross-validate each named model on the same time-ordered folds. */
export function compareClassifiersTimeOrdered(
  X: readonly (readonly number[])[],
  y: readonly number[],
  times: readonly number[],
  models: readonly ClassifierName[],
  options: TimeSeriesSplitOptions & { readonly classifier?: Partial<ClassifierOptions>; readonly onFold?: () => void },
): { folds: FoldSummary[]; reports: ClassifierCvReport[] } {
  let folds: FoldSummary[] = [];
  const reports = models.map((model): ClassifierCvReport => {
    const cv = crossValidateTimeOrdered(X, y, times, () => createClassifier(model, options.classifier), options);
    folds = cv.folds;
    const foldAuc: (number | null)[] = [];
    let offset = 0;
    for (const f of cv.folds) {
      foldAuc.push(rocAuc(cv.yTrue.slice(offset, offset + f.testSize), cv.probabilities.slice(offset, offset + f.testSize)));
      offset += f.testSize;
    }
    const defined = foldAuc.filter((a): a is number => a !== null);
    return {
      model,
      metrics: binaryMetrics(cv.yTrue, cv.probabilities),
      foldAuc,
      foldAucMean: defined.length === 0 ? null : defined.reduce((s, a) => s + a, 0) / defined.length,
      yTrue: cv.yTrue,
      scores: cv.probabilities,
    };
  });
  return { folds, reports };
}
