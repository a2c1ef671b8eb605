/**
 * Loss-versus-rebalancing of a weighted pool under GBM prices, and the step-count trade-off of a
 * weight change (amm-curves.md §2.6, §6.5).
 *
 * LVR: for V(p) = K·Π (p_i/w_i)^(w_i) and dp_i = p_i σ_i dW_i (correlations ρ),
 *   ℓ = −½ tr(Σ_p ∇²V) = (V/2)·(Σ_i w_i σ_i² − Σ_ij w_i w_j ρ_ij σ_i σ_j)   (numeraire per year);
 * two assets with a riskless numeraire give §2.6's σ²·w(1−w)·V/2.
 *
 * Step count f: moving w0 → w1 in f steps costs the rebalancing loss V·(1 − e^{−L(f)}) (L from
 * `interpolationLoss`, ≈ 2θ²/f) plus, for each step the weights are still in transit, the LVR gap
 * ℓ(w_k) − ℓ(w1) (the extra exposure of not yet holding the target) and any fixed cost per update.
 * The first falls like 1/f, the second grows like f, so when the target carries less LVR than the
 * path (de-risking) or updates cost something, there is a finite optimum
 * f* ≈ θ·√(2V/c) with c the mean per-step transit cost (§6.5's placeholder, now with c defined).
 * `stepCountTradeOff` evaluates the exact cost for every f and returns the argmin; the env
 * measures the same trade-off by simulation.
 */
import { interpolationPath, pathStepLosses, type InterpolationScheme, INTERPOLATION_SCHEMES } from './interpolation.js';
import { bhattacharyyaCoefficient } from './simplex.js';
import { checkFinite, checkPositiveInteger, checkWeightPair, checkWeights, fail, type NumberVector } from './validate.js';

/** Years per 365-day year, for converting step lengths (matches env/market's SECONDS_PER_YEAR). */
const SECONDS_PER_YEAR = 365 * 86_400;

function checkVolatilities(where: string, vols: unknown, n: number): NumberVector {
  if (!Array.isArray(vols) || vols.length !== n) fail(where, vols, `${n} annualised volatilities, one per token`);
  vols.forEach((s, i) => checkFinite(`${where}[${i}]`, s, { min: 0 }));
  return vols as number[];
}

function checkCorrelations(where: string, rho: unknown, n: number): void {
  if (!Array.isArray(rho) || rho.length !== n) fail(where, rho, `an ${n}×${n} correlation matrix`);
  for (let i = 0; i < n; i++) {
    const row = (rho as unknown[])[i];
    if (!Array.isArray(row) || row.length !== n) fail(`${where}[${i}]`, row, `a row of ${n} correlations`);
    for (let j = 0; j < n; j++) {
      checkFinite(`${where}[${i}][${j}]`, row[j], { min: -1, max: 1 });
      if (i === j && row[j] !== 1) fail(`${where}[${i}][${i}]`, row[j], '1 on the diagonal');
      if (row[j] !== (rho as number[][])[j]![i]) fail(`${where}[${i}][${j}]`, row[j], `a symmetric matrix (ρ[${j}][${i}] = ${(rho as number[][])[j]![i]})`);
    }
  }
}

/** ℓ without checks: (V/2)(Σ w σ² − Σ_ij w_i w_j ρ_ij σ_i σ_j), ρ = I when omitted. */
export function lvrRateUnchecked(weights: NumberVector, vols: NumberVector, value: number, rho?: readonly (readonly number[])[]): number {
  let first = 0;
  let second = 0;
  for (let i = 0; i < weights.length; i++) {
    const wi = weights[i]!;
    const si = vols[i]!;
    first += wi * si * si;
    if (rho === undefined) second += wi * wi * si * si;
    else for (let j = 0; j < weights.length; j++) second += wi * weights[j]! * rho[i]![j]! * si * vols[j]!;
  }
  return 0.5 * value * (first - second);
}

/**
 * Instantaneous LVR of a weighted pool worth `value` (numeraire), in numeraire per year, for GBM
 * prices with annualised `volatilities` (0 for the numeraire or a stable asset) and optional
 * correlations (default independent).
 */
export function lvrRate(weights: number[], volatilities: number[], value: number, correlations?: number[][]): number {
  const w = checkWeights('lvrRate weights', weights);
  checkVolatilities('lvrRate volatilities', volatilities, w.length);
  checkFinite('lvrRate value', value, { min: 0 });
  if (correlations !== undefined) checkCorrelations('lvrRate correlations', correlations, w.length);
  return lvrRateUnchecked(w, volatilities, value, correlations);
}

export interface StepCountTradeOffOptions {
  /** Interpolation scheme of the path; default 'slerp'. */
  scheme?: InterpolationScheme;
  /** Annualised GBM volatility of each token. */
  volatilities: number[];
  correlations?: number[][];
  /** Pool value, numeraire. */
  value: number;
  /** Seconds between weight updates (one interpolation step). */
  stepSec: number;
  /** Fixed cost of each weight update, numeraire (gas, keeper fee); default 0. */
  costPerUpdate?: number;
  /** Largest f evaluated; default 256. */
  maxSteps?: number;
}

export interface StepCountCost {
  readonly steps: number;
  /** V·(1 − e^{−L(f)}), numeraire. */
  readonly rebalancingLoss: number;
  /** Σ_{k<f} (ℓ(w_k) − ℓ(w1))·Δt, numeraire (negative when the path carries less LVR than the target). */
  readonly transitLvr: number;
  /** f × costPerUpdate, numeraire. */
  readonly updateCost: number;
  readonly total: number;
}

export interface StepCountTradeOff {
  /** Costs for f = 1 … maxSteps (f = 1 … maxSteps powers of two only for 'amgm'). */
  readonly costs: StepCountCost[];
  /** The f with the smallest total. */
  readonly optimalSteps: number;
  /** θ·√(2V/c̄), with c̄ the average per-step transit cost (LVR gap along the path plus costPerUpdate); Infinity when c̄ ≤ 0. */
  readonly leadingOrderOptimalSteps: number;
}

/**
 * Cost of moving w0 → w1 for every step count f (see the module comment), the exact argmin and the
 * leading-order f* ≈ θ√(2V/c̄). Units: numeraire.
 */
export function stepCountTradeOff(w0: number[], w1: number[], options: StepCountTradeOffOptions): StepCountTradeOff {
  checkWeightPair('stepCountTradeOff', w0, w1, true);
  const n = w0.length;
  const scheme = options.scheme ?? 'slerp';
  if (!INTERPOLATION_SCHEMES.includes(scheme)) fail('stepCountTradeOff scheme', scheme, INTERPOLATION_SCHEMES.map((s) => `'${s}'`).join(' | '));
  const vols = checkVolatilities('stepCountTradeOff volatilities', options.volatilities, n);
  if (options.correlations !== undefined) checkCorrelations('stepCountTradeOff correlations', options.correlations, n);
  const value = checkFinite('stepCountTradeOff value', options.value, { above: 0 });
  const dtYears = checkFinite('stepCountTradeOff stepSec', options.stepSec, { above: 0 }) / SECONDS_PER_YEAR;
  const perUpdate = checkFinite('stepCountTradeOff costPerUpdate', options.costPerUpdate ?? 0, { min: 0 });
  const maxSteps = checkPositiveInteger('stepCountTradeOff maxSteps', options.maxSteps ?? 256, 4096);
  const rho = options.correlations;
  const lvrTarget = lvrRateUnchecked(w1, vols, value, rho);

  const costs: StepCountCost[] = [];
  for (let f = 1; f <= maxSteps; f = scheme === 'amgm' ? f * 2 : f + 1) {
    const path = interpolationPath(w0, w1, f, scheme);
    const loss = pathStepLosses(path).reduce((s, x) => s + x, 0);
    let transit = 0;
    for (let k = 0; k < f; k++) transit += (lvrRateUnchecked(path[k]!, vols, value, rho) - lvrTarget) * dtYears;
    const rebalancingLoss = -value * Math.expm1(-loss);
    const updateCost = f * perUpdate;
    costs.push({ steps: f, rebalancingLoss, transitLvr: transit, updateCost, total: rebalancingLoss + transit + updateCost });
  }
  let best = costs[0]!;
  for (const c of costs) if (c.total < best.total) best = c;

  // c̄: the transit LVR gap averaged over the continuous geodesic (midpoint rule), plus the update cost
  const theta = Math.acos(bhattacharyyaCoefficient(w0, w1));
  const fine = interpolationPath(w0, w1, 256, scheme === 'amgm' ? 'amgm' : scheme);
  let gap = 0;
  for (let k = 0; k < 256; k++) gap += lvrRateUnchecked(fine[k]!, vols, value, rho) + lvrRateUnchecked(fine[k + 1]!, vols, value, rho);
  const cBar = (gap / 512 - lvrTarget) * dtYears + perUpdate;
  const leadingOrderOptimalSteps = cBar > 0 ? theta * Math.sqrt((2 * value) / cBar) : Infinity;
  return { costs, optimalSteps: best.steps, leadingOrderOptimalSteps };
}
