/**
 * Evaluation statistics after rliable (Agarwal et al., NeurIPS 2021; rl-conventions.md §4.3): the
 * interquartile mean, stratified-bootstrap percentile confidence intervals and the probability of
 * improvement. Pure functions; randomness only from the seeded `Rng` passed in (or built from
 * `seed`).
 *
 * Scores are given as strata: one array of run scores per task (rliable's runs × tasks matrix,
 * transposed, and allowed to be ragged). A single task is one stratum.
 */
import { Rng } from '../env/core/rng.js';
import { InvalidArgumentError } from '../env/core/errors.js';

/** Scores grouped by stratum (task): `strata[task][run]`. */
export type Strata = readonly ArrayLike<number>[];

/** A statistic of (resampled) strata, e.g. `aggregateIqm`. */
export type StrataStatistic = (strata: Strata) => number;

export interface IntervalEstimate {
  /** The statistic on the data itself. */
  readonly point: number;
  readonly lo: number;
  readonly hi: number;
}

export interface BootstrapOptions {
  /** Bootstrap replications (rliable uses 50 000 for papers; 2 000 keeps CI runs fast). */
  reps?: number;
  /** Coverage of the interval (0.95). */
  confidence?: number;
  /** Seed of the resampling RNG when no `rng` is given (default 0). */
  seed?: number;
  rng?: Rng;
}

function checkNonEmpty(xs: ArrayLike<number>, who: string): void {
  if (xs.length === 0) throw new InvalidArgumentError(`${who}: needs at least one score, got an empty array`);
}

function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

export function mean(xs: ArrayLike<number>): number {
  checkNonEmpty(xs, 'mean');
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/**
 * scipy.stats.trim_mean(x, proportiontocut): cut `floor(p·n)` scores from each end of the sorted
 * scores and average the rest.
 */
export function trimMean(xs: ArrayLike<number>, proportionToCut: number): number {
  checkNonEmpty(xs, 'trimMean');
  if (!(proportionToCut >= 0 && proportionToCut < 0.5)) {
    throw new InvalidArgumentError(`trimMean: proportionToCut must be in [0, 0.5), got ${proportionToCut}`);
  }
  return trimmedMeanOfSorted(sortedCopy(xs), proportionToCut);
}

function trimmedMeanOfSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const cut = Math.floor(p * n);
  let s = 0;
  for (let i = cut; i < n - cut; i++) s += sorted[i]!;
  return s / (n - 2 * cut);
}

/** Interquartile mean: the mean of the middle 50 % (rliable's IQM, `trim_mean(x, 0.25)`). */
export function iqm(xs: ArrayLike<number>): number {
  return trimMean(xs, 0.25);
}

/** numpy.percentile(xs, q) with the default linear interpolation; q in [0, 100]. */
export function percentile(xs: ArrayLike<number>, q: number): number {
  checkNonEmpty(xs, 'percentile');
  if (!(q >= 0 && q <= 100)) throw new InvalidArgumentError(`percentile: q must be in [0, 100], got ${q}`);
  return percentileOfSorted(sortedCopy(xs), q);
}

function percentileOfSorted(sorted: Float64Array, q: number): number {
  const h = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** IQM over all runs of all tasks (rliable's `aggregate_iqm`). */
export function aggregateIqm(strata: Strata): number {
  return iqm(flattenStrata(strata));
}

/** Mean over all runs of all tasks. */
export function aggregateMean(strata: Strata): number {
  return mean(flattenStrata(strata));
}

function flattenStrata(strata: Strata): Float64Array {
  let n = 0;
  for (const s of strata) n += s.length;
  const out = new Float64Array(n);
  let k = 0;
  for (const s of strata) for (let i = 0; i < s.length; i++) out[k++] = s[i]!;
  return out;
}

function resolveBootstrap(options: BootstrapOptions, who: string): { reps: number; confidence: number; rng: Rng } {
  const reps = options.reps ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isSafeInteger(reps) || reps < 1) throw new InvalidArgumentError(`${who}: reps must be a positive integer, got ${reps}`);
  if (!(confidence > 0 && confidence < 1)) throw new InvalidArgumentError(`${who}: confidence must be in (0, 1), got ${confidence}`);
  return { reps, confidence, rng: options.rng ?? new Rng(options.seed ?? 0) };
}

function checkStrata(strata: Strata, who: string): void {
  if (strata.length === 0) throw new InvalidArgumentError(`${who}: needs at least one stratum (task), got none`);
  strata.forEach((s, t) => {
    if (s.length === 0) throw new InvalidArgumentError(`${who}: stratum ${t} has no scores`);
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i])) throw new InvalidArgumentError(`${who}: stratum ${t} score ${i} is ${s[i]} (scores must be finite)`);
    }
  });
}

/** Resamples each stratum with replacement into `into` (same sizes). */
function resampleInto(strata: Strata, into: Float64Array[], rng: Rng): void {
  for (let t = 0; t < strata.length; t++) {
    const src = strata[t]!;
    const dst = into[t]!;
    const n = src.length;
    for (let i = 0; i < n; i++) dst[i] = src[rng.integers(0, n)]!;
  }
}

function percentileInterval(point: number, stats: Float64Array, confidence: number): IntervalEstimate {
  stats.sort();
  const tail = ((1 - confidence) / 2) * 100;
  return { point, lo: percentileOfSorted(stats, tail), hi: percentileOfSorted(stats, 100 - tail) };
}

/**
 * Stratified-bootstrap percentile CI of `statistic` (rliable's `get_interval_estimates` with
 * `StratifiedBootstrap`, method 'percentile'): each replication resamples the runs within every
 * stratum with replacement, so each task keeps its number of runs.
 */
export function stratifiedBootstrapCI(strata: Strata, statistic: StrataStatistic = aggregateIqm, options: BootstrapOptions = {}): IntervalEstimate {
  checkStrata(strata, 'stratifiedBootstrapCI');
  const { reps, confidence, rng } = resolveBootstrap(options, 'stratifiedBootstrapCI');
  const buffers = strata.map((s) => new Float64Array(s.length));
  const stats = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    resampleInto(strata, buffers, rng);
    stats[r] = statistic(buffers);
  }
  return percentileInterval(statistic(strata), stats, confidence);
}

/** Bootstrap CI of a statistic of one sample (a single stratum); IQM by default. */
export function bootstrapCI(
  values: ArrayLike<number>,
  statistic: (xs: ArrayLike<number>) => number = iqm,
  options: BootstrapOptions = {},
): IntervalEstimate {
  return stratifiedBootstrapCI([values], (s) => statistic(s[0]!), options);
}

/**
 * P(X > Y) for one task: the Mann–Whitney U statistic of x over y divided by |x|·|y|, ties
 * counting ½ (rliable's `probability_of_improvement`). O((n + m) log m).
 */
export function probabilityOfImprovement(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkNonEmpty(x, 'probabilityOfImprovement (x)');
  checkNonEmpty(y, 'probabilityOfImprovement (y)');
  const ys = sortedCopy(y);
  let u = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const below = lowerBound(ys, v);
    const notAbove = upperBound(ys, v);
    u += below + 0.5 * (notAbove - below);
  }
  return u / (x.length * ys.length);
}

/** P(X > Y) averaged over tasks (rliable's aggregate): `x[t]` and `y[t]` are the runs of task t. */
export function averageProbabilityOfImprovement(x: Strata, y: Strata): number {
  if (x.length !== y.length || x.length === 0) {
    throw new InvalidArgumentError(`averageProbabilityOfImprovement: x and y need the same positive number of tasks, got ${x.length} and ${y.length}`);
  }
  let s = 0;
  for (let t = 0; t < x.length; t++) s += probabilityOfImprovement(x[t]!, y[t]!);
  return s / x.length;
}

/**
 * Bootstrap CI of the average probability of improvement: x and y are resampled independently,
 * each within its strata (rliable's `StratifiedIndependentBootstrap`).
 */
export function probabilityOfImprovementCI(x: Strata, y: Strata, options: BootstrapOptions = {}): IntervalEstimate {
  checkStrata(x, 'probabilityOfImprovementCI (x)');
  checkStrata(y, 'probabilityOfImprovementCI (y)');
  const { reps, confidence, rng } = resolveBootstrap(options, 'probabilityOfImprovementCI');
  const bx = x.map((s) => new Float64Array(s.length));
  const by = y.map((s) => new Float64Array(s.length));
  const stats = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    resampleInto(x, bx, rng);
    resampleInto(y, by, rng);
    stats[r] = averageProbabilityOfImprovement(bx, by);
  }
  return percentileInterval(averageProbabilityOfImprovement(x, y), stats, confidence);
}

/** First index with sorted[i] >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
