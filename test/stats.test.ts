import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, InvalidArgumentError } from '../env/core/index.js';
import {
  mean,
  iqm,
  trimMean,
  percentile,
  aggregateIqm,
  aggregateMean,
  bootstrapCI,
  stratifiedBootstrapCI,
  probabilityOfImprovement,
  averageProbabilityOfImprovement,
  probabilityOfImprovementCI,
} from '../training/stats.js';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

test('mean and IQM match scipy.stats.trim_mean(x, 0.25) (cut floor(n/4) from each end)', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.equal(iqm(range(1, 11)), 5.5); // n=10: cut 2 each end → 3..8
  assert.equal(iqm([1, 2, 3, 4, 100]), 3); // n=5: cut 1 → 2, 3, 4
  assert.equal(iqm([5, 1, 9, 3]), 4); // sorted 1 3 5 9 → 3, 5
  assert.equal(iqm([10, 1, 2, 3, 4, 5, 6]), 4); // n=7: cut 1 → 2..6
  assert.equal(iqm([0, 0, 1, 2, 3, 4, 100, 100]), 2.5); // n=8: cut 2 → 1..4
  assert.equal(iqm([7]), 7);
  assert.equal(iqm([1, 2]), 1.5); // n<4 cuts nothing
  assert.equal(iqm([3, 1, 2]), 2);
  assert.equal(trimMean(range(0, 20), 0.1), 9.5); // scipy's docstring example
  assert.equal(trimMean([1, 2, 3, 1000], 0), 251.5);
  assert.equal(iqm(new Float64Array([4, 3, 2, 1])), 2.5);
});

test('percentile uses numpy linear interpolation', () => {
  assert.equal(percentile([1, 2, 3, 4], 25), 1.75);
  assert.equal(percentile([4, 3, 2, 1], 50), 2.5);
  assert.equal(percentile([3, 1, 2], 100), 3);
  assert.equal(percentile([3, 1, 2], 0), 1);
  assert.equal(percentile([5], 97.5), 5);
});

test('aggregate statistics pool all runs of all strata', () => {
  assert.equal(aggregateIqm([[1, 2], [3, 4, 5, 6]]), 3.5);
  assert.equal(aggregateMean([[1], [2, 3, 6]]), 3);
});

test('empty or invalid input raises InvalidArgumentError', () => {
  assert.throws(() => mean([]), InvalidArgumentError);
  assert.throws(() => iqm([]), InvalidArgumentError);
  assert.throws(() => trimMean([1, 2], 0.5), /proportionToCut/);
  assert.throws(() => bootstrapCI([], iqm), InvalidArgumentError);
  assert.throws(() => bootstrapCI([1, NaN]), /score 1 is NaN/);
  assert.throws(() => bootstrapCI([1, 2], iqm, { reps: 0 }), /reps/);
  assert.throws(() => bootstrapCI([1, 2], iqm, { confidence: 1 }), /confidence/);
  assert.throws(() => stratifiedBootstrapCI([]), /at least one stratum/);
  assert.throws(() => averageProbabilityOfImprovement([[1]], [[1], [2]]), /same positive number of tasks/);
});

test('probability of improvement is Mann–Whitney U / (n·m) with ties counted ½', () => {
  assert.equal(probabilityOfImprovement([1, 2, 3], [2, 2]), 0.5);
  assert.equal(probabilityOfImprovement([3, 4], [1, 2]), 1);
  assert.equal(probabilityOfImprovement([1, 2], [3, 4]), 0);
  assert.equal(probabilityOfImprovement([1, 1], [1, 1, 1]), 0.5);
  assert.equal(probabilityOfImprovement([2, 3], [1, 2, 3]), 4 / 6); // 2: 1 + ½, 3: 2 + ½
  assert.equal(averageProbabilityOfImprovement([[3, 4], [1, 1]], [[1, 2], [1, 1]]), 0.75);
  // Brute force on ragged random data with many ties.
  const rng = new Rng(3);
  const x = Array.from({ length: 37 }, () => rng.integers(0, 10));
  const y = Array.from({ length: 23 }, () => rng.integers(0, 10));
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  assert.equal(probabilityOfImprovement(x, y), u / (x.length * y.length));
  assert.equal(probabilityOfImprovement(x, y) + probabilityOfImprovement(y, x), 1);
});

test('bootstrap CI: contains the point, degenerate on constant data, reproducible by seed', () => {
  const rng = new Rng(11);
  const xs = Array.from({ length: 40 }, () => rng.normal(10, 2));
  const ci = bootstrapCI(xs, iqm, { seed: 5 });
  assert.equal(ci.point, iqm(xs));
  assert.ok(ci.lo <= ci.point && ci.point <= ci.hi, JSON.stringify(ci));
  assert.deepEqual(bootstrapCI(xs, iqm, { seed: 5 }), ci);
  assert.notDeepEqual(bootstrapCI(xs, iqm, { seed: 6 }), ci);
  assert.deepEqual(bootstrapCI(xs, iqm, { rng: new Rng(5) }), ci);
  assert.deepEqual(bootstrapCI([3, 3, 3, 3], mean), { point: 3, lo: 3, hi: 3 });
  // A wider confidence level gives a wider interval from the same replications.
  const ci99 = bootstrapCI(xs, iqm, { seed: 5, confidence: 0.99 });
  assert.ok(ci99.lo <= ci.lo && ci99.hi >= ci.hi);
});

test('bootstrap CI shrinks with more data (about 1/sqrt(n))', () => {
  const rng = new Rng(1);
  const small = Array.from({ length: 25 }, () => rng.normal(0, 1));
  const large = Array.from({ length: 400 }, () => rng.normal(0, 1));
  const w = (c: { lo: number; hi: number }) => c.hi - c.lo;
  const ws = w(bootstrapCI(small, iqm));
  const wl = w(bootstrapCI(large, iqm));
  assert.ok(ws > 2.5 * wl, `width n=25 ${ws} vs n=400 ${wl}`);
  assert.ok(wl > 0);
});

test('the 95 % CI of the mean covers the true mean in most repetitions', () => {
  const rng = new Rng(2024);
  let covered = 0;
  const trials = 60;
  for (let t = 0; t < trials; t++) {
    const xs = Array.from({ length: 30 }, () => rng.normal(1, 1));
    const ci = bootstrapCI(xs, mean, { reps: 500, seed: t });
    if (ci.lo <= 1 && 1 <= ci.hi) covered++;
  }
  assert.ok(covered >= 50, `covered ${covered}/${trials}`);
});

test('stratified bootstrap resamples within strata (task composition is kept)', () => {
  const strata = [[0, 0, 0], [10, 10, 10]];
  // Each stratum is constant, so every stratified resample has mean exactly 5.
  assert.deepEqual(stratifiedBootstrapCI(strata, aggregateMean), { point: 5, lo: 5, hi: 5 });
  // Pooling the same scores into one stratum lets the mix vary.
  const pooled = bootstrapCI(strata.flat(), mean);
  assert.ok(pooled.hi - pooled.lo > 3, JSON.stringify(pooled));
  // Ragged strata are allowed.
  const ragged = stratifiedBootstrapCI([[1, 2, 3, 4, 5], [100]], aggregateIqm, { reps: 200 });
  assert.equal(ragged.point, aggregateIqm([[1, 2, 3, 4, 5], [100]]));
});

test('probability of improvement CI resamples x and y independently', () => {
  const rng = new Rng(8);
  const x = [Array.from({ length: 30 }, () => rng.normal(1, 1))];
  const y = [Array.from({ length: 30 }, () => rng.normal(0, 1))];
  const ci = probabilityOfImprovementCI(x, y, { reps: 500 });
  assert.equal(ci.point, averageProbabilityOfImprovement(x, y));
  assert.ok(ci.lo > 0.5 && ci.hi <= 1 && ci.lo <= ci.point && ci.point <= ci.hi, JSON.stringify(ci));
  assert.deepEqual(probabilityOfImprovementCI([[2, 2]], [[1, 1]]), { point: 1, lo: 1, hi: 1 });
});
