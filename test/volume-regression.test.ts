/**
 * The volume regression: weighted least squares against textbook formulas, the volume-model
 * variants on synthetic data with known coefficients, and time-ordered cross-validation that never
 * trains on the future.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../env/core/rng.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import {
  crossValidateVolumeModel, expandingWindowSplits, fitLeastSquares, fitVolumeModel, predictVolumeRate, RegressionDesignError,
  type VolumeSample,
} from '../agents/supervised/volumeRegression.js';

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('fitLeastSquares', () => {
  it('matches the textbook simple-regression estimates and standard errors', () => {
    const rng = new Rng(7);
    const x = Array.from({ length: 60 }, () => rng.uniform(0, 10));
    const y = x.map((v) => 3 + 2 * v + rng.normal(0, 1.5));
    const fit = fitLeastSquares(x.map((v) => [v]), y);
    const n = x.length;
    const xBar = x.reduce((a, b) => a + b) / n;
    const yBar = y.reduce((a, b) => a + b) / n;
    const sxx = x.reduce((a, v) => a + (v - xBar) ** 2, 0);
    const sxy = x.reduce((a, v, i) => a + (v - xBar) * (y[i] - yBar), 0);
    const b1 = sxy / sxx;
    const b0 = yBar - b1 * xBar;
    const rss = x.reduce((a, v, i) => a + (y[i] - b0 - b1 * v) ** 2, 0);
    const tss = y.reduce((a, v) => a + (v - yBar) ** 2, 0);
    const s = Math.sqrt(rss / (n - 2));
    close(fit.coefficients[0], b0, 1e-9, 'β0');
    close(fit.coefficients[1], b1, 1e-9, 'β1');
    close(fit.stdErrors[1], s / Math.sqrt(sxx), 1e-9, 'se(β1)');
    close(fit.stdErrors[0], s * Math.sqrt(1 / n + (xBar * xBar) / sxx), 1e-9, 'se(β0)');
    close(fit.r2, 1 - rss / tss, 1e-9, 'R²');
    close(fit.adjR2, 1 - ((rss / (n - 2)) / (tss / (n - 1))), 1e-9, 'adjusted R²');
    close(fit.residualStdError, s, 1e-9, 'residual se');
    assert.deepEqual(fit.names, ['intercept', 'x1']);
    assert.equal(fit.n, 60);
    assert.equal(fit.p, 1);
  });

  it('recovers known coefficients within their standard errors, and the errors shrink like 1/√n', () => {
    const draw = (n: number, seed: number) => {
      const rng = new Rng(seed);
      const X = Array.from({ length: n }, () => [rng.uniform(-1, 1), rng.uniform(0, 5)]);
      return { X, y: X.map(([a, b]) => 1.5 - 4 * a + 0.25 * b + rng.normal(0, 0.5)) };
    };
    const small = draw(400, 1);
    const big = draw(6400, 2);
    const f = fitLeastSquares(big.X, big.y, { names: ['a', 'b'] });
    [1.5, -4, 0.25].forEach((truth, j) => assert.ok(Math.abs(f.coefficients[j] - truth) < 4 * f.stdErrors[j], `β${j} ${f.coefficients[j]} ± ${f.stdErrors[j]}`));
    const g = fitLeastSquares(small.X, small.y);
    for (let j = 0; j < 3; j++) close(g.stdErrors[j] / f.stdErrors[j], 4, 0.1, `se ratio of β${j}`);
  });

  it('solves badly scaled regressors (price ~5e4 next to k ~1e9) exactly', () => {
    const X = Array.from({ length: 30 }, (_, i) => [40_000 + 500 * Math.sin(i), 1e9 + 3e7 * i]);
    const y = X.map(([p, k]) => 1000 + 0.8 * p + 2e-4 * k);
    const fit = fitLeastSquares(X, y);
    close(fit.coefficients[0], 1000, 1e-6, 'β0');
    close(fit.coefficients[1], 0.8, 1e-6, 'β1');
    close(fit.coefficients[2] * 1e4, 2, 1e-6, 'β2·1e4');
    close(fit.r2, 1, 1e-9, 'R²');
  });

  it('weights act as row repetitions', () => {
    const rng = new Rng(3);
    const X = Array.from({ length: 20 }, () => [rng.uniform(0, 1)]);
    const y = X.map(([v]) => 2 - v + rng.normal(0, 0.2));
    const w = X.map((_, i) => 1 + (i % 3));
    const weighted = fitLeastSquares(X, y, { weights: w });
    const Xr = X.flatMap((row, i) => Array.from({ length: w[i] }, () => row));
    const yr = y.flatMap((v, i) => Array.from({ length: w[i] }, () => v));
    const repeated = fitLeastSquares(Xr, yr);
    weighted.coefficients.forEach((b, j) => close(b, repeated.coefficients[j], 1e-9, `β${j}`));
    close(weighted.r2, repeated.r2, 1e-9, 'R²');
  });

  it('rows with weight 0 are left out of n', () => {
    const X = [[0], [1], [2], [3], [100]];
    const y = [1, 3, 5, 7, -1000];
    const fit = fitLeastSquares(X, y, { weights: [1, 1, 1, 1, 0] });
    assert.equal(fit.n, 4);
    close(fit.coefficients[1], 2, 1e-9, 'slope');
  });

  it('names a constant regressor, collinear ones and too few rows; rejects bad weights', () => {
    assert.throws(() => fitLeastSquares([[1, 5], [2, 5], [3, 5], [4, 5]], [1, 2, 3, 4], { names: ['price', 'k'] }), (e: Error) => e instanceof RegressionDesignError && /"k" is constant \(5\)/.test(e.message));
    assert.throws(() => fitLeastSquares([[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]], [1, 2, 3, 4, 5]), RegressionDesignError);
    assert.throws(() => fitLeastSquares([[1], [2]], [1, 2]), (e: Error) => e instanceof RegressionDesignError && /at least 3 observations/.test(e.message));
    assert.throws(() => fitLeastSquares([[1], [2], [3]], [1, 2, 3], { weights: [1, -1, 1] }), (e: Error) => e instanceof InvalidArgumentError && /weight 1 is -1/.test(e.message));
    assert.throws(() => fitLeastSquares([[1], [2], [NaN]], [1, 2, 3]), /non-finite/);
  });
});

/** Samples from a known log-log model: V = e^a · price^b1 · sqrtK^b2 · noise, one per hour-ish. */
function logLogSamples(n: number, seed: number, coef: [number, number, number], group = 'A', noise = 0.05): VolumeSample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const priceUsd = 50 + 100 * rng.random();
    const sqrtKBase = 1e4 * (1 + 9 * rng.random());
    const v = Math.exp(coef[0] + coef[1] * Math.log(priceUsd) + coef[2] * Math.log(sqrtKBase) + rng.normal(0, noise));
    return { ts: 3600 * i, hours: 0.5 + rng.random(), volumeUsdPerHour: v, priceUsd, sqrtKBase, group };
  });
}

describe('fitVolumeModel', () => {
  it('log-log recovers the elasticities and excludes intervals without volume', () => {
    const samples = logLogSamples(300, 11, [2, -0.5, 0.9]);
    samples[5] = { ...samples[5], volumeUsdPerHour: 0 };
    const m = fitVolumeModel(samples, 'log-log');
    assert.equal(m.excluded, 1);
    assert.equal(m.fit.n, 299);
    assert.deepEqual(m.fit.names, ['intercept', 'lnPrice', 'lnSqrtK']);
    [2, -0.5, 0.9].forEach((truth, j) => assert.ok(Math.abs(m.fit.coefficients[j] - truth) < 4 * m.fit.stdErrors[j], `β${j}`));
    // the smearing factor turns exp(E ln V) into E V: exp(σ²/2) for lognormal noise
    close(m.smearing, Math.exp(0.05 ** 2 / 2), 2e-3, 'smearing');
  });

  it('the linear variants fit the source form exactly on noiseless data', () => {
    const rng = new Rng(5);
    const base = Array.from({ length: 40 }, (_, i) => ({ ts: i, hours: 1 + rng.random(), priceUsd: 100 + 50 * rng.random(), sqrtKBase: 2e4 + 1e4 * rng.random() }));
    const linear = base.map((s) => ({ ...s, volumeUsdPerHour: 5e4 + 200 * s.priceUsd + 1e-4 * s.sqrtKBase ** 2 }));
    const sqrtK = base.map((s) => ({ ...s, volumeUsdPerHour: 5e4 - 30 * s.priceUsd + 3 * s.sqrtKBase }));
    const a = fitVolumeModel(linear, 'linear').fit.coefficients;
    const b = fitVolumeModel(sqrtK, 'sqrt-k').fit.coefficients;
    [5e4, 200, 1e-4].forEach((v, j) => close(a[j] / v, 1, 1e-7, `linear β${j}`));
    [5e4, -30, 3].forEach((v, j) => close(b[j] / v, 1, 1e-7, `sqrt-k β${j}`));
    const c = fitVolumeModel(base.map((s) => ({ ...s, volumeUsdPerHour: 1e4 + 800 * Math.sqrt(s.priceUsd) + 2 * s.sqrtKBase })), 'sqrt-price');
    assert.deepEqual(c.fit.names, ['intercept', 'sqrtPrice', 'sqrtK']);
    close(c.fit.coefficients[1] / 800, 1, 1e-7, 'sqrt-price β1');
    close(predictVolumeRate(c, { priceUsd: 144, sqrtKBase: 1000 }), 1e4 + 800 * 12 + 2000, 1e-9, 'prediction');
  });

  it('fixed effects give each group its own intercept and share the slopes', () => {
    const a = logLogSamples(200, 1, [1, -0.3, 0.8], 'A');
    const b = logLogSamples(200, 2, [3, -0.3, 0.8], 'B');
    const m = fitVolumeModel([...a, ...b], 'log-log', { fixedEffects: true });
    assert.deepEqual(m.groups, ['A', 'B']);
    assert.deepEqual(m.fit.names, ['intercept', 'lnPrice', 'lnSqrtK', 'group[B]']);
    close(m.fit.coefficients[3], 2, 0.05, 'B − A intercept');
    close(m.fit.coefficients[2], 0.8, 0.05, 'shared elasticity');
    assert.throws(() => predictVolumeRate(m, { priceUsd: 1, sqrtKBase: 1, group: 'C' }), /group "C" was not in the fit; fitted groups: A, B/);
  });

  it('rejects samples with a non-positive price or negative hours', () => {
    const s = logLogSamples(10, 1, [1, 0, 0]);
    assert.throws(() => fitVolumeModel([...s, { ...s[0], priceUsd: 0 }], 'linear'), InvalidArgumentError);
    assert.throws(() => fitVolumeModel([...s, { ...s[0], hours: -1 }], 'linear'), InvalidArgumentError);
  });
});

describe('time-ordered cross-validation', () => {
  it('expanding windows: the first half only trains, blocks are contiguous and each trains only on what came before', () => {
    const splits = expandingWindowSplits(103, 5, 0.5);
    assert.equal(splits.length, 5);
    assert.equal(splits[0].testStart, 52);
    assert.equal(splits.at(-1)!.testEnd, 103);
    splits.forEach((s, i) => {
      assert.equal(s.trainEnd, s.testStart);
      assert.ok(s.testEnd > s.testStart);
      if (i > 0) assert.equal(s.testStart, splits[i - 1].testEnd);
    });
    assert.equal(expandingWindowSplits(4, 5, 0.5).length, 2);
    assert.throws(() => expandingWindowSplits(10, 0, 0.5), InvalidArgumentError);
  });

  it('never trains on the future: rewriting the test block and everything after it leaves a fold\'s predictions unchanged', () => {
    const samples = logLogSamples(120, 21, [2, 0.2, 0.7], 'A', 0.3);
    const cv = crossValidateVolumeModel(samples, 'sqrt-k', { folds: 4 });
    for (const fold of cv.folds) {
      const future = samples.map((s, i) => (i >= fold.testStart ? { ...s, volumeUsdPerHour: s.volumeUsdPerHour * 50 + 1e6 } : s));
      const again = crossValidateVolumeModel(future, 'sqrt-k', { folds: 4 }).folds.find((f) => f.testStart === fold.testStart)!;
      assert.deepEqual(again.predictions, fold.predictions);
    }
    // ... while rewriting the past does change them (the check above can fail)
    const past = samples.map((s, i) => (i < 10 ? { ...s, volumeUsdPerHour: s.volumeUsdPerHour * 50 } : s));
    assert.notDeepEqual(crossValidateVolumeModel(past, 'sqrt-k', { folds: 4 }).folds[0].predictions, cv.folds[0].predictions);
  });

  it('scores a model that knows the truth better than the mean, and a useless one no better', () => {
    const samples = logLogSamples(200, 8, [0, 0, 1.2], 'A', 0.05);
    const good = crossValidateVolumeModel(samples, 'log-log');
    assert.ok(good.skill > 0.8, `skill ${good.skill}`);
    assert.equal(good.n, 100);
    const noise = new Rng(9);
    const useless = samples.map((s) => ({ ...s, volumeUsdPerHour: 1000 * (1 + noise.random()) }));
    assert.ok(crossValidateVolumeModel(useless, 'sqrt-k').skill < 0.1);
  });

  it('a fold whose training window cannot identify the model reports why; unseen groups are not scored', () => {
    const samples = logLogSamples(40, 4, [1, 0, 1]);
    const flat = samples.map((s, i) => (i < 20 ? { ...s, sqrtKBase: 5e4 } : s));
    const cv = crossValidateVolumeModel(flat, 'sqrt-k', { folds: 2 });
    assert.match(cv.folds[0].error ?? '', /"sqrtK" is constant/);
    assert.equal(cv.folds[0].predictions, null);
    const late = logLogSamples(20, 5, [1, 0, 1], 'B').map((s) => ({ ...s, ts: s.ts + 1e9 }));
    const fe = crossValidateVolumeModel([...samples, ...late], 'log-log', { fixedEffects: true, folds: 3, minTrainFraction: 0.5 });
    // blocks [30, 40) A, [40, 50) B, [50, 60) B: the first B block trains on A alone
    assert.equal(fe.unscored, 10);
    assert.equal(fe.n, 20);
  });

  it('refuses samples out of time order', () => {
    const s = logLogSamples(10, 1, [1, 0, 0]);
    assert.throws(() => crossValidateVolumeModel([s[1], s[0], ...s.slice(2)], 'linear'), /time order; sample 1/);
  });
});
