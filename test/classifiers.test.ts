/**
 * Supervised success classifiers: metrics on hand-computed examples, the time-ordered split (never
 * trains on the future, purges labels read after the test start), per-fold standardisation, and each
 * classifier learning a separable set drawn from the seeded Rng.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CLASSIFIER_NAMES,
  createClassifier,
  GaussianNbClassifier,
  KnnClassifier,
  type BinaryClassifier,
  type ClassifierName,
} from '../agents/supervised/classifiers.js';
import { binaryMetrics, confusionMatrix, rocAuc } from '../agents/supervised/metrics.js';
import {
  compareClassifiersTimeOrdered,
  crossValidateTimeOrdered,
  expandingWindowFolds,
  fitStandardizer,
  standardize,
} from '../agents/supervised/timeSeriesSplit.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { Rng } from '../env/core/rng.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('metrics', () => {
  it('confusion matrix, accuracy, precision, recall and F1 by hand', () => {
    const y = [1, 1, 1, 0, 0, 0, 0, 1];
    const p = [0.9, 0.6, 0.2, 0.7, 0.1, 0.3, 0.5, 0.5];
    // predicted at ≥ 0.5: 1 1 0 1 0 0 1 1 → tp 3 (0,1,7), fn 1 (2), fp 2 (3,6), tn 2 (4,5)
    const m = binaryMetrics(y, p);
    assert.deepEqual(m.confusion, { tp: 3, fp: 2, tn: 2, fn: 1 });
    close(m.accuracy, 5 / 8);
    close(m.precision, 3 / 5);
    close(m.recall, 3 / 4);
    close(m.f1, (2 * (3 / 5) * (3 / 4)) / (3 / 5 + 3 / 4));
    assert.equal(m.positives, 4);
    assert.equal(m.negatives, 4);
  });

  it('F1, precision and recall are 0 (not NaN) with zero positives; AUC is then undefined', () => {
    const m = binaryMetrics([0, 0, 0], [0.1, 0.2, 0.3]);
    assert.deepEqual(m.confusion, { tp: 0, fp: 0, tn: 3, fn: 0 });
    assert.equal(m.accuracy, 1);
    assert.equal(m.precision, 0);
    assert.equal(m.recall, 0);
    assert.equal(m.f1, 0);
    assert.equal(m.auc, null);
    // positives present but none predicted
    const none = binaryMetrics([1, 0], [0.2, 0.1]);
    assert.equal(none.precision, 0);
    assert.equal(none.f1, 0);
  });

  it('rank-based ROC AUC counts ties as one half', () => {
    // pairs (pos, neg): (.5,.1)=1 (.5,.5)=½ (.9,.1)=1 (.9,.5)=1 → 3.5/4
    close(rocAuc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9])!, 0.875);
    close(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])!, 0.5);
    close(rocAuc([0, 0, 1], [0.1, 0.2, 0.9])!, 1);
    close(rocAuc([1, 1, 0], [0.1, 0.2, 0.9])!, 0);
    // three-way tie across classes plus clear pairs: pos {.4,.4,.8}, neg {.4,.2}
    // (.4,.4)=½ ×2, (.4,.2)=1 ×2, (.8,·)=1 ×2 → 5/6
    close(rocAuc([1, 1, 1, 0, 0], [0.4, 0.4, 0.8, 0.4, 0.2])!, 5 / 6);
  });

  it('AUC equals the pairwise definition on random scores with many ties', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 4 })), { minLength: 2, maxLength: 40 }), (rows) => {
      const y = rows.map((r) => r[0]);
      const s = rows.map((r) => r[1]);
      const pos = s.filter((_, i) => y[i] === 1);
      const neg = s.filter((_, i) => y[i] === 0);
      const auc = rocAuc(y, s);
      if (pos.length === 0 || neg.length === 0) return auc === null;
      let sum = 0;
      for (const a of pos) for (const b of neg) sum += a > b ? 1 : a === b ? 0.5 : 0;
      return Math.abs(auc! - sum / (pos.length * neg.length)) < 1e-12;
    }), { seed: 11, numRuns: 200 });
  });

  it('rejects labels other than 0/1 and mismatched lengths', () => {
    assert.throws(() => confusionMatrix([0, 2], [0, 1]), (e: unknown) => e instanceof InvalidArgumentError && /label\[1\] is 2/.test(e.message));
    assert.throws(() => rocAuc([0, 1], [0.5]), /2 labels but 1 scores/);
    assert.throws(() => rocAuc([0, 1], [0.5, Number.NaN]), /score\[1\] is NaN/);
  });
});

describe('time-ordered split', () => {
  it('makes scikit-learn TimeSeriesSplit folds', () => {
    const folds = expandingWindowFolds([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { folds: 3 });
    assert.deepEqual(folds.map((f) => f.train), [[0, 1, 2, 3], [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6, 7]]);
    assert.deepEqual(folds.map((f) => f.test), [[4, 5], [6, 7], [8, 9]]);
    // 11 samples, 2 folds: test blocks of 3, the first training block takes the remainder
    assert.deepEqual(expandingWindowFolds(Array.from({ length: 11 }, (_, i) => i), { folds: 2 }).map((f) => f.test), [[5, 6, 7], [8, 9, 10]]);
  });

  it('purges training samples whose label is read after the test start', () => {
    const times = [0, 1, 2, 3, 4, 5];
    const labelEnds = [0.5, 5, 2.5, 3, 4.5, 6];
    const folds = expandingWindowFolds(times, { folds: 2, labelEnds });
    // fold 1 tests [2,3] from time 2: sample 1's label (t=5) is not known yet
    assert.deepEqual(folds[0].train, [0]);
    assert.equal(folds[0].purged, 1);
    // fold 2 tests [4,5] from time 4: samples 0, 2, 3 known; 1 (t=5) still not
    assert.deepEqual(folds[1].train, [0, 2, 3]);
  });

  it('never trains on the future (property over random sorted times and label delays)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 50 })), { minLength: 12, maxLength: 80 }),
      fc.integer({ min: 2, max: 5 }),
      (rows, k) => {
        const sorted = [...rows].sort((a, b) => a[0] - b[0]);
        const times = sorted.map((r) => r[0]);
        const labelEnds = sorted.map((r) => r[0] + r[1]);
        let folds;
        try {
          folds = expandingWindowFolds(times, { folds: k, labelEnds });
        } catch (e) {
          return e instanceof InvalidArgumentError; // a fold left with no known label is refused, not run
        }
        return folds.every((f) => {
          const testStart = times[f.test[0]];
          return f.train.every((i) => i < f.test[0] && times[i] <= testStart && labelEnds[i] <= testStart);
        });
      },
    ), { seed: 5, numRuns: 200 });
  });

  it('refuses unsorted times, too few samples and fewer than 2 folds, naming the value', () => {
    assert.throws(() => expandingWindowFolds([0, 2, 1], { folds: 2 }), /times\[2\] = 1 < times\[1\] = 2/);
    assert.throws(() => expandingWindowFolds([0, 1], { folds: 2 }), /2 samples cannot make 2 folds/);
    assert.throws(() => expandingWindowFolds([0, 1, 2, 3], { folds: 1 }), /folds 1 is not allowed/);
    assert.throws(() => expandingWindowFolds([0, 1, 2], { folds: 2, labelEnds: [9, 9, 9] }), /fold 1 of 2 has no training sample/);
  });

  it('standardises each fold with its training rows only', () => {
    const X = [[1], [2], [3], [4], [100], [200]];
    const seen: { fit: number[][]; predict: number[][] }[] = [];
    const spy = (): BinaryClassifier => {
      const record = { fit: [] as number[][], predict: [] as number[][] };
      seen.push(record);
      return {
        name: 'majority',
        fit: (x) => { record.fit = x.map((r) => [...r]); },
        predictProba: (x) => { record.predict = x.map((r) => [...r]); return x.map(() => 0.5); },
      };
    };
    crossValidateTimeOrdered(X, [0, 1, 0, 1, 0, 1], [0, 1, 2, 3, 4, 5], spy, { folds: 2 });
    // fold 1 trains on [1, 2] (mean 1.5, sd 0.5) and tests [3, 4] → 3, 5
    assert.deepEqual(seen[0].fit, [[-1], [1]]);
    assert.deepEqual(seen[0].predict, [[3], [5]]);
    const s = fitStandardizer([[1, 5], [3, 5]]);
    assert.deepEqual(s, { mean: [2, 5], scale: [1, 1] }); // a constant column is only centred
    assert.deepEqual(standardize([[4, 6]], s), [[2, 1]]);
  });
});

/** Two well-separated Gaussian blobs in 2 informative dimensions plus 2 noise dimensions. */
function separable(rng: Rng, n: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng.random() < 0.4 ? 1 : 0;
    const c = label === 1 ? 3 : -3;
    X.push([c + rng.normal(0, 0.7), -c + rng.normal(0, 0.7), rng.normal(0, 1), rng.normal(0, 1)]);
    y.push(label);
  }
  return { X, y };
}

describe('classifiers', () => {
  const rng = new Rng(2024);
  const train = separable(rng, 200);
  const test = separable(rng, 100);

  for (const name of ['knn', 'nb', 'tree', 'logreg'] as ClassifierName[]) {
    it(`${name} learns a separable set drawn from the seeded Rng`, () => {
      const model = createClassifier(name);
      model.fit(train.X, train.y);
      const p = model.predictProba(test.X);
      assert.ok(p.every((v) => v >= 0 && v <= 1));
      const m = binaryMetrics(test.y, p);
      assert.ok(m.accuracy >= 0.97, `${name} accuracy ${m.accuracy}`);
      assert.ok(m.auc! >= 0.99, `${name} auc ${m.auc}`);
      // same data, same model: same probabilities
      const again = createClassifier(name);
      again.fit(train.X, train.y);
      assert.deepEqual(again.predictProba(test.X), p);
    });
  }

  it('the majority baseline scores every row with the training positive share (AUC ½)', () => {
    const model = createClassifier('majority');
    model.fit(train.X, train.y);
    const share = train.y.filter((v) => v === 1).length / train.y.length;
    assert.ok(model.predictProba(test.X).every((v) => v === share));
    assert.equal(binaryMetrics(test.y, model.predictProba(test.X)).auc, 0.5);
  });

  it('knn probability is the positive share of the k nearest points (brute force agrees)', () => {
    const model = new KnnClassifier({ k: 7 });
    model.fit(train.X, train.y);
    const noisy = separable(new Rng(9), 30).X.map((r) => r.map((v) => v * 0.3)); // near the boundary
    const p = model.predictProba(noisy);
    noisy.forEach((q, i) => {
      const nearest = train.X.map((x, j) => ({ d: Math.hypot(...x.map((v, k) => v - q[k])), y: train.y[j] }))
        .sort((a, b) => a.d - b.d).slice(0, 7);
      close(p[i], nearest.filter((n) => n.y === 1).length / 7);
    });
  });

  it('naive Bayes posterior matches the closed form (equal priors and variances)', () => {
    const model = new GaussianNbClassifier({ varSmoothing: 0.01 });
    model.fit([[-1], [1], [3], [5]], [0, 0, 1, 1]);
    // class means 0 and 4, sample variance 2 each; smoothing 0.01 × population variance 5 → 2.05
    const v = 2.05;
    const [atMid, atZero] = model.predictProba([[2], [0]]);
    close(atMid, 0.5, 1e-12);
    close(atZero, 1 / (1 + Math.exp((16 - 0) / (2 * v))), 1e-12);
  });

  it('a one-class training set gives that class probability; bad input is a typed error', () => {
    for (const name of CLASSIFIER_NAMES) {
      const model = createClassifier(name);
      model.fit([[0, 1], [1, 0]], [1, 1]);
      assert.deepEqual(model.predictProba([[5, 5]]), [1]);
      assert.throws(() => model.fit([[0, 1]], [2]), (e: unknown) => e instanceof InvalidArgumentError && /label\[0\] is 2/.test(e.message));
      assert.throws(() => model.fit([[0, Number.NaN]], [1]), /X\[0\]\[1\] is NaN/);
    }
    assert.throws(() => createClassifier('tree').predictProba([[1]]), /called before fit/);
    const fitted = createClassifier('knn');
    fitted.fit([[0], [1]], [0, 1]);
    assert.throws(() => fitted.predictProba([[0, 1]]), /row 0 has 2 features; expected 1/);
    assert.throws(() => createClassifier('knn', { k: 0 }), /k 0 is not allowed/);
  });

  it('compares models on shared time-ordered folds and reports per-fold AUC', () => {
    const d = separable(new Rng(1), 120);
    const times = d.X.map((_, i) => i);
    const { folds, reports } = compareClassifiersTimeOrdered(d.X, d.y, times, ['knn', 'majority'], { folds: 4 });
    assert.equal(folds.length, 4);
    assert.deepEqual(reports.map((r) => r.model), ['knn', 'majority']);
    assert.equal(reports[0].metrics.positives + reports[0].metrics.negatives, 4 * 24);
    assert.ok(reports[0].metrics.auc! > 0.99);
    assert.deepEqual(reports[1].foldAuc, [0.5, 0.5, 0.5, 0.5]);
  });
});
