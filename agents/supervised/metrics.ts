/**
 * Binary classification metrics. Labels are 0/1, 1 the positive class ("success"). Where a ratio has
 * a zero denominator (no predicted or no actual positives) it is 0, as scikit-learn's
 * `zero_division=0`; ROC AUC with one class absent is undefined and returned as null.
 */
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';

export interface ConfusionMatrix {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rank-based ROC AUC (ties count ½), null when the labels hold only one class. */
  readonly auc: number | null;
  readonly confusion: ConfusionMatrix;
  /** Actual class balance of the scored samples. */
  readonly positives: number;
  readonly negatives: number;
}

function checkLabels(yTrue: readonly number[], other: readonly number[], otherName: string): void {
  if (yTrue.length !== other.length) {
    throw new InvalidArgumentError(`metrics: ${yTrue.length} labels but ${other.length} ${otherName}; they must have the same length`);
  }
  yTrue.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new InvalidArgumentError(`metrics: label[${i}] is ${describeValue(y)}; allowed: 0 or 1`);
  });
}

export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[]): ConfusionMatrix {
  checkLabels(yTrue, yPred, 'predictions');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  yPred.forEach((p, i) => {
    if (p !== 0 && p !== 1) throw new InvalidArgumentError(`metrics: prediction[${i}] is ${describeValue(p)}; allowed: 0 or 1`);
    if (p === 1) {
      if (yTrue[i] === 1) tp++;
      else fp++;
    } else if (yTrue[i] === 1) fn++;
    else tn++;
  });
  return { tp, fp, tn, fn };
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/**
 * ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores above a random
 * negative, a tie counting ½ (average ranks over tied scores).
 */
export function rocAuc(yTrue: readonly number[], scores: readonly number[]): number | null {
  checkLabels(yTrue, scores, 'scores');
  scores.forEach((s, i) => {
    if (Number.isNaN(s)) throw new InvalidArgumentError(`metrics: score[${i}] is NaN; scores must be numbers`);
  });
  const positives = yTrue.filter((y) => y === 1).length;
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let j = start; j <= end; j++) if (yTrue[order[j]] === 1) positiveRankSum += averageRank;
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** All metrics from probabilities of the positive class; a sample is predicted positive at p ≥ threshold. */
export function binaryMetrics(yTrue: readonly number[], probabilities: readonly number[], threshold = 0.5): BinaryMetrics {
  const confusion = confusionMatrix(yTrue, probabilities.map((p) => (p >= threshold ? 1 : 0)));
  const { tp, fp, tn, fn } = confusion;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: ratio(tp + tn, yTrue.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    auc: rocAuc(yTrue, probabilities),
    confusion,
    positives: tp + fn,
    negatives: tn + fp,
  };
}
