/**
 * Binary classifiers behind one small interface, wrapping the mljs packages. Labels are 0/1; every
 * model returns the probability of class 1. A training set holding one class only yields that class's
 * constant probability (the libraries assume both classes are present).
 *
 * How each model scores:
 * - knn: share of the k nearest training points (Euclidean, ml-knn's k-d tree) that are positive.
 * - nb: ml-naivebayes' GaussianNB fits per-class means and standard deviations; it exposes only hard
 *   predictions, so the posterior is computed here from its fitted terms (log-sum-exp), with
 *   scikit-learn-style variance smoothing so a feature constant within a class does not zero a class.
 * - tree: ml-cart's CART (gini); the probability is the positive share of the leaf the row falls in.
 * - logreg: ml-logistic-regression on [1, x] (the package has no intercept); the one-vs-all model of
 *   class 0 is trained with target 1 for every other class, so its `testScores` is P(class 1).
 * - majority: the training set's positive share for every row (a reference baseline).
 */
import KNN from 'ml-knn';
import { GaussianNB } from 'ml-naivebayes';
import { DecisionTreeClassifier } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { describeValue, InvalidArgumentError } from '../../env/core/errors.js';

export interface BinaryClassifier {
  readonly name: ClassifierName;
  /** X: one row per sample (finite numbers, same width); y: 0 or 1 per row. */
  fit(X: readonly (readonly number[])[], y: readonly number[]): void;
  /** Probability of class 1 for each row. */
  predictProba(X: readonly (readonly number[])[]): number[];
}

export const CLASSIFIER_NAMES = ['knn', 'nb', 'tree', 'logreg', 'majority'] as const;
export type ClassifierName = (typeof CLASSIFIER_NAMES)[number];

export interface ClassifierOptions {
  /** knn: neighbours voting (capped at the training size). */
  readonly k: number;
  /** nb: variance added to every feature, as a fraction of the largest feature variance (sklearn's `var_smoothing`). */
  readonly varSmoothing: number;
  /** tree: maximum depth. */
  readonly maxDepth: number;
  /** tree: a node with at most this many samples becomes a leaf. */
  readonly minLeafSamples: number;
  /** logreg: gradient-ascent steps. */
  readonly logregSteps: number;
  /** logreg: step on the mean gradient (passed to the package divided by the sample count, since it sums). */
  readonly logregStepSize: number;
}

/**
 * Defaults for a few hundred standardised rows: k = 5; variance smoothing 1e-2 (larger than sklearn's
 * 1e-9 because 0/1 features are often constant within a class in small folds); depth 4 and leaves of
 * at least 5 so the tree cannot memorise; 5,000 logistic steps of 0.1 (converged on standardised
 * features, ~10× faster than the package's 50,000 default).
 */
export const CLASSIFIER_DEFAULTS: ClassifierOptions = Object.freeze({
  k: 5,
  varSmoothing: 1e-2,
  maxDepth: 4,
  minLeafSamples: 5,
  logregSteps: 5000,
  logregStepSize: 0.1,
});

function checkFit(name: string, X: readonly (readonly number[])[], y: readonly number[]): number {
  if (X.length === 0) throw new InvalidArgumentError(`${name}.fit: empty training set; need at least one row`);
  if (X.length !== y.length) throw new InvalidArgumentError(`${name}.fit: ${X.length} rows but ${y.length} labels; they must match`);
  y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new InvalidArgumentError(`${name}.fit: label[${i}] is ${describeValue(v)}; allowed: 0 or 1`);
  });
  return checkRows(`${name}.fit`, X, X[0].length);
}

function checkRows(where: string, X: readonly (readonly number[])[], width: number): number {
  X.forEach((row, i) => {
    if (row.length !== width) throw new InvalidArgumentError(`${where}: row ${i} has ${row.length} features; expected ${width}`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`${where}: X[${i}][${j}] is ${v}; features must be finite numbers`);
    });
  });
  return width;
}

/** Shared bookkeeping: input checks, the one-class shortcut, and predicting before fitting. */
abstract class BaseClassifier implements BinaryClassifier {
  abstract readonly name: ClassifierName;
  private width = -1;
  /** Set when the training set held a single class: that class's probability. */
  private constant: number | null = null;

  fit(X: readonly (readonly number[])[], y: readonly number[]): void {
    this.width = checkFit(this.name, X, y);
    const positives = y.filter((v) => v === 1).length;
    this.constant = positives === 0 ? 0 : positives === y.length ? 1 : null;
    if (this.constant === null) this.fitBoth(X.map((r) => [...r]), [...y]);
  }

  predictProba(X: readonly (readonly number[])[]): number[] {
    if (this.width < 0) throw new InvalidArgumentError(`${this.name}.predictProba: called before fit`);
    checkRows(`${this.name}.predictProba`, X, this.width);
    if (this.constant !== null) return X.map(() => this.constant!);
    return this.scoreBoth(X.map((r) => [...r]));
  }

  /** Fit on a training set that holds both classes. */
  protected abstract fitBoth(X: number[][], y: number[]): void;
  protected abstract scoreBoth(X: number[][]): number[];
}

export class KnnClassifier extends BaseClassifier {
  readonly name = 'knn' as const;
  private model: KNN | null = null;
  private k = 0;
  constructor(private readonly options: Pick<ClassifierOptions, 'k'> = CLASSIFIER_DEFAULTS) {
    super();
    if (!(Number.isInteger(options.k) && options.k >= 1)) throw new InvalidArgumentError(`knn: k ${describeValue(options.k)} is not allowed; allowed: an integer ≥ 1`);
  }
  protected fitBoth(X: number[][], y: number[]): void {
    this.k = Math.min(this.options.k, X.length);
    this.model = new KNN(X, y, { k: this.k });
  }
  protected scoreBoth(X: number[][]): number[] {
    const tree = this.model!.kdTree;
    return X.map((row) => {
      const nearest = tree.nearest(row, this.k);
      // the label sits after the features in each stored point
      return nearest.filter(([point]) => point[row.length] === 1).length / nearest.length;
    });
  }
}

export class GaussianNbClassifier extends BaseClassifier {
  readonly name = 'nb' as const;
  private model: GaussianNB | null = null;
  private epsilon = 0;
  constructor(private readonly options: Pick<ClassifierOptions, 'varSmoothing'> = CLASSIFIER_DEFAULTS) {
    super();
    if (!(Number.isFinite(options.varSmoothing) && options.varSmoothing >= 0)) {
      throw new InvalidArgumentError(`nb: varSmoothing ${describeValue(options.varSmoothing)} is not allowed; allowed: a finite number ≥ 0`);
    }
  }
  protected fitBoth(X: number[][], y: number[]): void {
    this.model = new GaussianNB();
    this.model.train(X, y);
    const width = X[0].length;
    let maxVariance = 0;
    for (let j = 0; j < width; j++) {
      const mean = X.reduce((s, r) => s + r[j], 0) / X.length;
      maxVariance = Math.max(maxVariance, X.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / X.length);
    }
    // sklearn's floor; a training set whose features are all constant still needs a positive variance
    this.epsilon = Math.max(this.options.varSmoothing * maxVariance, Number.MIN_VALUE);
  }
  protected scoreBoth(X: number[][]): number[] {
    const { means, calculateProbabilities } = this.model!;
    return X.map((row) => {
      const logJoint = calculateProbabilities.map(([logPrior, ...terms], c) =>
        terms.reduce((s, [, minusTwoVar], j) => {
          // a class with one sample has an undefined (NaN) sample variance: treat it as 0 before smoothing
          const fitted = -minusTwoVar / 2;
          const variance = (Number.isFinite(fitted) ? fitted : 0) + this.epsilon;
          return s - 0.5 * Math.log(2 * Math.PI * variance) - (row[j] - means[c][j]) ** 2 / (2 * variance);
        }, logPrior));
      const top = Math.max(...logJoint);
      const weights = logJoint.map((l) => Math.exp(l - top));
      return weights[1] / (weights[0] + weights[1]);
    });
  }
}

export class DecisionTreeModel extends BaseClassifier {
  readonly name = 'tree' as const;
  private model: DecisionTreeClassifier | null = null;
  constructor(private readonly options: Pick<ClassifierOptions, 'maxDepth' | 'minLeafSamples'> = CLASSIFIER_DEFAULTS) {
    super();
    if (!(Number.isInteger(options.maxDepth) && options.maxDepth >= 1)) throw new InvalidArgumentError(`tree: maxDepth ${describeValue(options.maxDepth)} is not allowed; allowed: an integer ≥ 1`);
    if (!(Number.isInteger(options.minLeafSamples) && options.minLeafSamples >= 1)) {
      throw new InvalidArgumentError(`tree: minLeafSamples ${describeValue(options.minLeafSamples)} is not allowed; allowed: an integer ≥ 1`);
    }
  }
  protected fitBoth(X: number[][], y: number[]): void {
    this.model = new DecisionTreeClassifier({ maxDepth: this.options.maxDepth, minNumSamples: this.options.minLeafSamples });
    this.model.train(X, y);
  }
  protected scoreBoth(X: number[][]): number[] {
    return X.map((row) => {
      const distribution = this.model!.root.classify(row);
      // a leaf holding only class 0 has a one-column distribution
      return distribution.columns > 1 ? distribution.get(0, 1) : 0;
    });
  }
}

export class LogisticRegressionModel extends BaseClassifier {
  readonly name = 'logreg' as const;
  private model: LogisticRegression | null = null;
  constructor(private readonly options: Pick<ClassifierOptions, 'logregSteps' | 'logregStepSize'> = CLASSIFIER_DEFAULTS) {
    super();
    if (!(Number.isInteger(options.logregSteps) && options.logregSteps >= 1)) {
      throw new InvalidArgumentError(`logreg: logregSteps ${describeValue(options.logregSteps)} is not allowed; allowed: an integer ≥ 1`);
    }
    if (!(Number.isFinite(options.logregStepSize) && options.logregStepSize > 0)) {
      throw new InvalidArgumentError(`logreg: logregStepSize ${describeValue(options.logregStepSize)} is not allowed; allowed: a finite number > 0`);
    }
  }
  protected fitBoth(X: number[][], y: number[]): void {
    this.model = new LogisticRegression({ numSteps: this.options.logregSteps, learningRate: this.options.logregStepSize / X.length });
    this.model.train(withIntercept(X), Matrix.columnVector(y));
  }
  protected scoreBoth(X: number[][]): number[] {
    return this.model!.classifiers[0].testScores(withIntercept(X));
  }
}

function withIntercept(X: number[][]): Matrix {
  return new Matrix(X.map((r) => [1, ...r]));
}

export class MajorityClassifier extends BaseClassifier {
  readonly name = 'majority' as const;
  private share = 0;
  protected fitBoth(_X: number[][], y: number[]): void {
    this.share = y.filter((v) => v === 1).length / y.length;
  }
  protected scoreBoth(X: number[][]): number[] {
    return X.map(() => this.share);
  }
}

/** A fresh, unfitted classifier by name. */
export function createClassifier(name: ClassifierName, options: Partial<ClassifierOptions> = {}): BinaryClassifier {
  const o = { ...CLASSIFIER_DEFAULTS, ...options };
  switch (name) {
    case 'knn': return new KnnClassifier(o);
    case 'nb': return new GaussianNbClassifier(o);
    case 'tree': return new DecisionTreeModel(o);
    case 'logreg': return new LogisticRegressionModel(o);
    case 'majority': return new MajorityClassifier();
    default: throw new InvalidArgumentError(`unknown classifier ${describeValue(name)}; allowed: ${CLASSIFIER_NAMES.join(', ')}`);
  }
}
