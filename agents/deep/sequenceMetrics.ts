/**
 * Metrics for the next-adjustment predictors: multi-class accuracy, macro-F1 and the confusion
 * matrix for the type, MAE and RMSE for the magnitude. Macro-F1 averages over the classes that occur
 * in the labels or the predictions (scikit-learn's default label set); a class with no predicted or
 * no actual members scores 0 on the ratio that has no denominator (scikit-learn's zero_division=0).
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Actual members. */
  readonly support: number;
}

export interface MulticlassMetrics {
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** confusion[true][predicted] counts. */
  readonly confusion: number[][];
  readonly perClass: ClassMetrics[];
}

export interface RegressionMetrics {
  readonly n: number;
  /** null when n = 0. */
  readonly mae: number | null;
  readonly rmse: number | null;
}

function checkIndices(values: readonly number[], classes: number, what: string): void {
  values.forEach((v, i) => {
    if (!(Number.isSafeInteger(v) && v >= 0 && v < classes)) {
      throw new InvalidArgumentError(`metrics: ${what}[${i}] is ${describeValue(v)}; allowed: a class index in [0, ${classes})`);
    }
  });
}

export function multiclassMetrics(yTrue: readonly number[], yPred: readonly number[], classes: number): MulticlassMetrics {
  if (yTrue.length !== yPred.length) {
    throw new InvalidArgumentError(`metrics: ${yTrue.length} labels but ${yPred.length} predictions; they must have the same length`);
  }
  checkIndices(yTrue, classes, 'label');
  checkIndices(yPred, classes, 'prediction');
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  yTrue.forEach((t, i) => { confusion[t]![yPred[i]!]! += 1; });
  const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
  const perClass = confusion.map((row, c): ClassMetrics => {
    const tp = row[c]!;
    const support = row.reduce((s, x) => s + x, 0);
    const predicted = confusion.reduce((s, r) => s + r[c]!, 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const present = perClass.filter((m, c) => m.support > 0 || confusion.some((r) => r[c]! > 0));
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0);
  return {
    n: yTrue.length,
    accuracy: ratio(correct, yTrue.length),
    macroF1: ratio(present.reduce((s, m) => s + m.f1, 0), present.length),
    confusion,
    perClass,
  };
}

export function regressionMetrics(yTrue: readonly number[], yPred: readonly number[]): RegressionMetrics {
  if (yTrue.length !== yPred.length) {
    throw new InvalidArgumentError(`metrics: ${yTrue.length} targets but ${yPred.length} predictions; they must have the same length`);
  }
  const n = yTrue.length;
  if (n === 0) return { n, mae: null, rmse: null };
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const e = yPred[i]! - yTrue[i]!;
    if (!Number.isFinite(e)) throw new InvalidArgumentError(`metrics: target or prediction ${i} is not finite (${describeValue(yTrue[i])}, ${describeValue(yPred[i])})`);
    abs += Math.abs(e);
    sq += e * e;
  }
  return { n, mae: abs / n, rmse: Math.sqrt(sq / n) };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new InvalidArgumentError('median: no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
