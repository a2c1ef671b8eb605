/**
 * Ambient typings for the untyped mljs classifiers, covering only what agents/supervised uses. Shapes
 * follow the packages' sources (ml-knn 3.0.0, ml-naivebayes 4.0.0, ml-cart 2.1.1,
 * ml-logistic-regression 2.0.0).
 */

declare module 'ml-knn' {
  /** A k-d tree point is the feature vector with the class label appended. */
  export interface KnnKdTree {
    /** The `count` nearest stored points with their distances (unordered). */
    nearest(point: number[], count: number): [number[], number][];
  }
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number });
    readonly k: number;
    readonly kdTree: KnnKdTree;
    predict(dataset: number[][]): number[];
  }
}

declare module 'ml-naivebayes' {
  /** Per class: [log prior, ...per feature [1/(√(2π)·σ), −2σ²]]. */
  export type GaussianNbTerms = [number, ...[number, number][]];
  export class GaussianNB {
    constructor();
    /** Labels must be 0 … n−1. */
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(dataset: number[][]): number[];
    /** Per class, the per-feature means. */
    means: number[][];
    calculateProbabilities: GaussianNbTerms[];
  }
}

declare module 'ml-cart' {
  /** The leaf's class distribution, a 1 × (largest label in the leaf + 1) row of shares. */
  export interface CartDistribution {
    readonly columns: number;
    get(row: number, column: number): number;
  }
  export interface CartNode {
    classify(row: number[]): CartDistribution;
  }
  export interface DecisionTreeClassifierOptions {
    gainFunction?: 'gini';
    splitFunction?: 'mean';
    /** A node with at most this many samples becomes a leaf. */
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeClassifierOptions);
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
    root: CartNode;
  }
}

declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  /** One one-vs-all model: `testScores` is σ(X·w), the probability of "not this class". */
  export interface LogisticRegressionTwoClasses {
    testScores(features: Matrix): number[];
    readonly weights: Matrix;
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** Gradient ascent with the summed (not averaged) gradient; no intercept, no regularisation. */
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    classifiers: LogisticRegressionTwoClasses[];
  }
}
