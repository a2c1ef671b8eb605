/**
 * The source's volume regression (damm-parameter-optimization.md §2.2.2):
 *
 *   trading volume_t = β0 + β1·price_t + β2·k_t
 *
 * with the transformed variants it suggests ("square-rooting k or the price") and a log-log form
 * whose slopes are elasticities. Fitted by weighted least squares with ml-regression-multivariate-
 * linear, reported with standard errors, R², adjusted R², and an expanding-window (time-ordered)
 * cross-validated error next to a mean-only baseline.
 *
 * Plain arrays in, plain numbers out: this module knows nothing of CSV files or Drift records.
 */
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { Matrix, SVD } from 'ml-matrix';
import { DammGymError, InvalidArgumentError } from '../../env/core/errors.js';

/** A design the data cannot identify (a constant or collinear regressor, too few observations). */
export class RegressionDesignError extends DammGymError {}

export interface LeastSquaresFit {
  /** 'intercept' first, then one name per regressor. */
  readonly names: readonly string[];
  readonly coefficients: readonly number[];
  readonly stdErrors: readonly number[];
  /** coefficient / standard error. */
  readonly tStats: readonly number[];
  /** Observations with a positive weight. */
  readonly n: number;
  /** Regressors, the intercept not counted. */
  readonly p: number;
  /** Weighted R² (centred on the weighted mean). */
  readonly r2: number;
  readonly adjR2: number;
  /** √(Σ w·e² / (n − p − 1)). */
  readonly residualStdError: number;
}

export interface LeastSquaresOptions {
  /** Non-negative weights, one per row (default 1). Rows with weight 0 are left out. */
  readonly weights?: readonly number[];
  /** Regressor names (default x1, x2, …). */
  readonly names?: readonly string[];
}

/**
 * Weighted least squares with an intercept: minimise Σ w_i (y_i − β0 − x_i·β)². Columns are centred
 * and scaled before the library solves the normal equations (prices near 50,000 next to k near 1e9
 * would otherwise square an already large condition number), then coefficients and their covariance
 * are mapped back exactly: β = A·b, Cov(β) = A·Cov(b)·Aᵀ.
 */
export function fitLeastSquares(
  X: readonly (readonly number[])[],
  y: readonly number[],
  options: LeastSquaresOptions = {},
): LeastSquaresFit {
  if (X.length !== y.length) throw new InvalidArgumentError(`fitLeastSquares: X has ${X.length} rows but y has ${y.length}`);
  const p = X.length === 0 ? (options.names?.length ?? 0) : X[0].length;
  const names = options.names ?? Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new InvalidArgumentError(`fitLeastSquares: ${names.length} names for ${p} regressors`);
  const w = options.weights ?? y.map(() => 1);
  if (w.length !== y.length) throw new InvalidArgumentError(`fitLeastSquares: ${w.length} weights for ${y.length} rows`);
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) throw new InvalidArgumentError(`fitLeastSquares: weight ${i} is ${w[i]}; allowed: a finite number ≥ 0`);
    if (X[i].length !== p) throw new InvalidArgumentError(`fitLeastSquares: row ${i} has ${X[i].length} regressors, expected ${p}`);
    if (w[i] === 0) continue;
    if (!Number.isFinite(y[i]) || X[i].some((v) => !Number.isFinite(v))) {
      throw new InvalidArgumentError(`fitLeastSquares: row ${i} has a non-finite value (y ${y[i]}, x [${X[i].join(', ')}])`);
    }
    rows.push(i);
  }
  const n = rows.length;
  if (n < p + 2) {
    throw new RegressionDesignError(`least squares with ${p} regressors and an intercept needs at least ${p + 2} observations with positive weight, got ${n}`);
  }
  let wSum = 0;
  for (const i of rows) wSum += w[i];
  const centre = new Array<number>(p).fill(0);
  const scale = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    for (const i of rows) centre[j] += (w[i] * X[i][j]) / wSum;
    for (const i of rows) scale[j] += (w[i] * (X[i][j] - centre[j]) ** 2) / wSum;
    scale[j] = Math.sqrt(scale[j]);
    if (!(scale[j] > 0)) throw new RegressionDesignError(`regressor ${JSON.stringify(names[j])} is constant (${X[rows[0]][j]}) over the ${n} observations; it cannot be told apart from the intercept`);
  }
  const Z = rows.map((i) => {
    const s = Math.sqrt(w[i]);
    return [s, ...X[i].map((v, j) => (s * (v - centre[j])) / scale[j])];
  });
  const rank = new SVD(Z, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).rank;
  if (rank < p + 1) {
    throw new RegressionDesignError(`the regressors ${names.map((v) => JSON.stringify(v)).join(', ')} and the intercept are collinear over the ${n} observations (rank ${rank} < ${p + 1})`);
  }
  const model = new MultivariateLinearRegression(Z, rows.map((i) => [Math.sqrt(w[i]) * y[i]]), { intercept: false, statistics: true });
  // b → β: β_j = b_j/s_j, β0 = b0 − Σ b_j·c_j/s_j
  const A = Matrix.zeros(p + 1, p + 1);
  A.set(0, 0, 1);
  for (let j = 0; j < p; j++) {
    A.set(0, j + 1, -centre[j] / scale[j]);
    A.set(j + 1, j + 1, 1 / scale[j]);
  }
  const beta = A.mmul(new Matrix(model.weights)).getColumn(0);
  const cov = A.mmul(model.stdErrorMatrix).mmul(A.transpose());
  const stdErrors = beta.map((_, j) => Math.sqrt(Math.max(0, cov.get(j, j))));
  let yBar = 0;
  for (const i of rows) yBar += (w[i] * y[i]) / wSum;
  let rss = 0;
  let tss = 0;
  for (const i of rows) {
    const fitted = beta[0] + X[i].reduce((s, v, j) => s + v * beta[j + 1], 0);
    rss += w[i] * (y[i] - fitted) ** 2;
    tss += w[i] * (y[i] - yBar) ** 2;
  }
  const r2 = tss > 0 ? 1 - rss / tss : 0;
  return {
    names: ['intercept', ...names],
    coefficients: beta,
    stdErrors,
    tStats: beta.map((b, j) => (stdErrors[j] > 0 ? b / stdErrors[j] : 0)),
    n,
    p,
    r2,
    adjR2: 1 - ((1 - r2) * (n - 1)) / (n - p - 1),
    residualStdError: Math.sqrt(rss / (n - p - 1)),
  };
}

/** Linear predictor β0 + x·β of a fit. */
export function predictLinear(fit: LeastSquaresFit, x: readonly number[]): number {
  let s = fit.coefficients[0];
  for (let j = 0; j < fit.p; j++) s += fit.coefficients[j + 1] * x[j];
  return s;
}

// ---------------------------------------------------------------------------------------------
// The volume model

/** One observation: a volume rate over an interval of `hours`, and the state at its start. */
export interface VolumeSample {
  /** Start of the interval, unix seconds: the time order cross-validation respects. */
  readonly ts: number;
  readonly hours: number;
  /** Traded notional per hour, USD. */
  readonly volumeUsdPerHour: number;
  readonly priceUsd: number;
  /** sqrt_k in base-asset units (sqrt_k / 1e13); k = sqrtKBase². */
  readonly sqrtKBase: number;
  /** Market (or any group) for the fixed-effects variant. */
  readonly group?: string;
}

/**
 * - `linear`: V = β0 + β1·price + β2·k, k = sqrt_k² (base units²): the source's form as written;
 * - `sqrt-k`: V = β0 + β1·price + β2·√k (√k = sqrt_k, base units): the source's first suggested
 *   transform, and the simulator's `linear` volume model with kUnits 'sqrtK';
 * - `sqrt-price`: V = β0 + β1·√price + β2·√k: both square-rooted;
 * - `log-log`: ln V = β0 + β1·ln price + β2·ln √k: β2 is the elasticity of volume to depth √k (the
 *   simulator's elastic model uses (k/k0)^ε, so ε = β2/2). Intervals without volume have no
 *   logarithm and are left out of its fit (not of its cross-validated error).
 * V is USD per hour. All variants are fitted with the interval's hours as weight.
 */
export const VOLUME_MODEL_VARIANTS = ['linear', 'sqrt-k', 'sqrt-price', 'log-log'] as const;
export type VolumeModelVariant = (typeof VOLUME_MODEL_VARIANTS)[number];

interface VariantSpec {
  readonly names: readonly [string, string];
  regressors(s: VolumeSample): [number, number];
  /** The regression target, or null when the sample cannot be used (ln 0). */
  target(s: VolumeSample): number | null;
}

const SPECS: Record<VolumeModelVariant, VariantSpec> = {
  linear: { names: ['price', 'k'], regressors: (s) => [s.priceUsd, s.sqrtKBase * s.sqrtKBase], target: (s) => s.volumeUsdPerHour },
  'sqrt-k': { names: ['price', 'sqrtK'], regressors: (s) => [s.priceUsd, s.sqrtKBase], target: (s) => s.volumeUsdPerHour },
  'sqrt-price': { names: ['sqrtPrice', 'sqrtK'], regressors: (s) => [Math.sqrt(s.priceUsd), s.sqrtKBase], target: (s) => s.volumeUsdPerHour },
  'log-log': {
    names: ['lnPrice', 'lnSqrtK'],
    regressors: (s) => [Math.log(s.priceUsd), Math.log(s.sqrtKBase)],
    target: (s) => (s.volumeUsdPerHour > 0 ? Math.log(s.volumeUsdPerHour) : null),
  },
};

export interface VolumeModelOptions {
  /** Add one intercept shift per group beyond the first (pooled fit with market fixed effects). Default false. */
  readonly fixedEffects?: boolean;
}

export interface VolumeModel {
  readonly variant: VolumeModelVariant;
  readonly fit: LeastSquaresFit;
  /** Groups in the order of their dummy columns; the first is the baseline (empty without fixed effects). */
  readonly groups: readonly string[];
  /**
   * log-log only: Duan's smearing factor, the weighted mean of exp(residual), so exp(prediction) ×
   * smearing estimates the mean rate rather than the median. 1 for the other variants.
   */
  readonly smearing: number;
  /** Samples the fit could not use (ln 0 for log-log). */
  readonly excluded: number;
  /** Hours behind the fit (the sum of its weights). */
  readonly hours: number;
}

function designRow(spec: VariantSpec, s: VolumeSample, groups: readonly string[]): number[] {
  const row: number[] = spec.regressors(s);
  for (let g = 1; g < groups.length; g++) row.push(s.group === groups[g] ? 1 : 0);
  return row;
}

function checkSamples(samples: readonly VolumeSample[], who: string): void {
  for (const [i, s] of samples.entries()) {
    if (!(s.hours >= 0) || !Number.isFinite(s.hours)) throw new InvalidArgumentError(`${who}: sample ${i} has hours ${s.hours}; allowed: a finite number ≥ 0`);
    if (!(s.priceUsd > 0) || !(s.sqrtKBase > 0)) throw new InvalidArgumentError(`${who}: sample ${i} has price ${s.priceUsd} and sqrtK ${s.sqrtKBase}; both must be > 0`);
    if (s.hours > 0 && !(s.volumeUsdPerHour >= 0)) throw new InvalidArgumentError(`${who}: sample ${i} has volume rate ${s.volumeUsdPerHour}; allowed: ≥ 0`);
  }
}

/** Fit one variant of the volume model (hours as weights). */
export function fitVolumeModel(samples: readonly VolumeSample[], variant: VolumeModelVariant, options: VolumeModelOptions = {}): VolumeModel {
  const spec = SPECS[variant];
  if (spec === undefined) throw new InvalidArgumentError(`fitVolumeModel: unknown variant ${JSON.stringify(variant)}; allowed: ${VOLUME_MODEL_VARIANTS.join(', ')}`);
  checkSamples(samples, 'fitVolumeModel');
  const groups = options.fixedEffects ? [...new Set(samples.map((s) => s.group ?? ''))] : [];
  const X: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  let excluded = 0;
  for (const s of samples) {
    if (!(s.hours > 0)) continue;
    const t = spec.target(s);
    if (t === null) {
      excluded++;
      continue;
    }
    X.push(designRow(spec, s, groups));
    y.push(t);
    w.push(s.hours);
  }
  const names = [...spec.names, ...groups.slice(1).map((g) => `group[${g}]`)];
  const fit = fitLeastSquares(X, y, { weights: w, names });
  let smearing = 1;
  if (variant === 'log-log') {
    let num = 0;
    let den = 0;
    for (let i = 0; i < y.length; i++) {
      num += w[i] * Math.exp(y[i] - predictLinear(fit, X[i]));
      den += w[i];
    }
    smearing = num / den;
  }
  return { variant, fit, groups, smearing, excluded, hours: w.reduce((a, b) => a + b, 0) };
}

/** Predicted volume rate, USD per hour (log-log back-transformed with the smearing factor). */
export function predictVolumeRate(model: VolumeModel, sample: Pick<VolumeSample, 'priceUsd' | 'sqrtKBase' | 'group'>): number {
  const spec = SPECS[model.variant];
  if (model.groups.length > 0 && !model.groups.includes(sample.group ?? '')) {
    throw new InvalidArgumentError(`predictVolumeRate: group ${JSON.stringify(sample.group)} was not in the fit; fitted groups: ${model.groups.join(', ')}`);
  }
  const lin = predictLinear(model.fit, designRow(spec, sample as VolumeSample, model.groups));
  return model.variant === 'log-log' ? Math.exp(lin) * model.smearing : lin;
}

// ---------------------------------------------------------------------------------------------
// Time-ordered cross-validation

export interface ExpandingWindowSplit {
  /** Training rows are [0, trainEnd); test rows are [testStart, testEnd), testStart = trainEnd. */
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

/**
 * Expanding-window splits of n time-ordered rows: the first ⌈n·minTrainFraction⌉ rows only train;
 * the rest are cut into `folds` consecutive blocks, and each block is predicted by a model trained
 * on every row before it. No split ever trains on a row at or after its test block.
 */
export function expandingWindowSplits(n: number, folds: number, minTrainFraction: number): ExpandingWindowSplit[] {
  if (!Number.isInteger(folds) || folds < 1) throw new InvalidArgumentError(`expandingWindowSplits: folds must be an integer ≥ 1, got ${folds}`);
  if (!(minTrainFraction > 0 && minTrainFraction < 1)) throw new InvalidArgumentError(`expandingWindowSplits: minTrainFraction must be in (0, 1), got ${minTrainFraction}`);
  const first = Math.ceil(n * minTrainFraction);
  const rest = n - first;
  const k = Math.min(folds, rest);
  const splits: ExpandingWindowSplit[] = [];
  for (let f = 0; f < k; f++) {
    const testStart = first + Math.floor((f * rest) / k);
    const testEnd = first + Math.floor(((f + 1) * rest) / k);
    splits.push({ trainEnd: testStart, testStart, testEnd });
  }
  return splits;
}

export interface VolumeCvOptions {
  /** Test blocks. Default 5. */
  readonly folds?: number;
  /** Share of the (time-ordered) samples that only ever train. Default 0.5. */
  readonly minTrainFraction?: number;
  readonly fixedEffects?: boolean;
}

export interface VolumeCvResult {
  /** Per split: the test block's predictions (NaN where unscored), or the reason the training fit failed. */
  readonly folds: readonly (ExpandingWindowSplit & { readonly predictions: readonly number[] | null; readonly error: string | null })[];
  /** Test samples predicted (hours > 0, in a fold whose training fit succeeded). */
  readonly n: number;
  /** Test samples with hours > 0 left unpredicted: their group has no fixed effect in the training window yet. */
  readonly unscored: number;
  /** Hours of the predicted test samples. */
  readonly hours: number;
  /** Hour-weighted RMSE and MAE of the USD/hour rate. */
  readonly rmse: number;
  readonly mae: number;
  /** The same for the mean-only baseline: the training rows' total volume / total hours. */
  readonly baselineRmse: number;
  readonly baselineMae: number;
  /** 1 − rmse/baselineRmse: the share of the baseline's error the model removes (< 0: worse than the mean). */
  readonly skill: number;
}

/**
 * Expanding-window cross-validation of a variant. Samples must be in time order (ts
 * non-decreasing). Errors are on the USD/hour rate for every variant, hour-weighted like the fit,
 * so variants compare on one scale. A fold whose training window cannot identify the model (a
 * regressor constant so far) is reported with its error and predicts nothing.
 */
export function crossValidateVolumeModel(
  samples: readonly VolumeSample[],
  variant: VolumeModelVariant,
  options: VolumeCvOptions = {},
): VolumeCvResult {
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].ts < samples[i - 1].ts) {
      throw new InvalidArgumentError(`crossValidateVolumeModel: samples must be in time order; sample ${i} (ts ${samples[i].ts}) is before sample ${i - 1} (ts ${samples[i - 1].ts})`);
    }
  }
  const splits = expandingWindowSplits(samples.length, options.folds ?? 5, options.minTrainFraction ?? 0.5);
  let sw = 0;
  let se = 0;
  let ae = 0;
  let bse = 0;
  let bae = 0;
  let n = 0;
  let unscored = 0;
  const folds = splits.map((split) => {
    const train = samples.slice(0, split.trainEnd);
    const test = samples.slice(split.testStart, split.testEnd);
    let model: VolumeModel;
    try {
      model = fitVolumeModel(train, variant, { fixedEffects: options.fixedEffects });
    } catch (err) {
      if (!(err instanceof RegressionDesignError)) throw err;
      return { ...split, predictions: null, error: err.message };
    }
    let trainVolume = 0;
    let trainHours = 0;
    for (const s of train) {
      if (s.hours > 0) {
        trainVolume += s.volumeUsdPerHour * s.hours;
        trainHours += s.hours;
      }
    }
    const baseline = trainVolume / trainHours;
    // a group the training window has not seen has no fixed effect yet: not predicted, counted
    const unseen = (s: VolumeSample) => model.groups.length > 0 && !model.groups.includes(s.group ?? '');
    const predictions = test.map((s) => (unseen(s) ? NaN : predictVolumeRate(model, s)));
    test.forEach((s, i) => {
      if (!(s.hours > 0)) return;
      if (Number.isNaN(predictions[i])) {
        unscored++;
        return;
      }
      const e = s.volumeUsdPerHour - predictions[i];
      const b = s.volumeUsdPerHour - baseline;
      sw += s.hours;
      se += s.hours * e * e;
      ae += s.hours * Math.abs(e);
      bse += s.hours * b * b;
      bae += s.hours * Math.abs(b);
      n++;
    });
    return { ...split, predictions, error: null };
  });
  const rmse = sw > 0 ? Math.sqrt(se / sw) : NaN;
  const baselineRmse = sw > 0 ? Math.sqrt(bse / sw) : NaN;
  return {
    folds,
    n,
    unscored,
    hours: sw,
    rmse,
    mae: sw > 0 ? ae / sw : NaN,
    baselineRmse,
    baselineMae: sw > 0 ? bae / sw : NaN,
    skill: 1 - rmse / baselineRmse,
  };
}
