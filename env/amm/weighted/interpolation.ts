/**
 * Weight interpolation schemes between a start w0 and a target w1 (amm-curves.md §6.3) and the
 * loss of a path (§6.2): moving the weights of an arbitraged pool along w_0 … w_f costs
 * L = Σ_k KL(w_{k+1}‖w_k) nats of log value; the pool keeps exp(−L) at constant prices.
 *
 * - linear:      w(τ) = w0 + τ(w1 − w0);
 * - slerp:       η = √w on the unit sphere, η(τ) = [sin((1−τ)θ)η0 + sin(τθ)η1]/sin θ, w = η²: the
 *                constant-speed Fisher–Rao geodesic, which minimises the leading-order loss 2θ²/f;
 * - amgm:        recursive bisection with mid(a, b) = normalise((a+b)/2 + √(a∘b)), no trigonometry;
 *                the midpoint is SLERP's, so 2^L steps land on the geodesic's dyadic points;
 * - quantammsim: normalise(lin(τ) + w0∘(w1/w0)^τ), quantammsim's "approximately optimal" rule,
 *                on the geodesic only at τ = ½ (kept as a comparison).
 */
import { bhattacharyyaCoefficient, klUnchecked } from './simplex.js';
import { checkFinite, checkPositiveInteger, checkWeightPair, checkWeights, fail, type NumberVector } from './validate.js';

/** The three schemes the env and `interpolationLoss` accept. */
export type InterpolationScheme = 'linear' | 'slerp' | 'amgm';
/** Every scheme with a path, including quantammsim's lin+geo rule. */
export type PathScheme = InterpolationScheme | 'quantammsim';

export const INTERPOLATION_SCHEMES: readonly InterpolationScheme[] = Object.freeze(['linear', 'slerp', 'amgm'] as const);
export const PATH_SCHEMES: readonly PathScheme[] = Object.freeze(['linear', 'slerp', 'amgm', 'quantammsim'] as const);

/** Below this angle (radians) SLERP's sin ratios are replaced by their limits 1 − τ and τ. */
const SMALL_ANGLE = 1e-9;

function checkTau(where: string, tau: number): void {
  checkFinite(`${where} tau`, tau, { min: 0, max: 1 });
}

/**
 * SLERP in Hellinger coordinates: w(τ) = η(τ)² with η on the great circle from √w0 to √w1, at
 * constant speed. Exact endpoints (τ = 0 and 1 return copies of w0 and w1); in between Σ w = 1 to
 * rounding. amm-curves.md §6.4: SLERP(¼) of (0.5, 0.3, 0.2) → (0.2, 0.3, 0.5) is
 * (0.422378550236, 0.307841834415, 0.269779615348).
 */
export function slerp(w0: number[], w1: number[], tau: number): number[] {
  checkWeightPair('slerp', w0, w1, false);
  checkTau('slerp', tau);
  if (tau === 0) return w0.slice();
  if (tau === 1) return w1.slice();
  const out = new Array<number>(w0.length);
  slerpInto(w0, w1, tau, out);
  return out;
}

/** SLERP without input checks, into `out` (hot paths). */
export function slerpInto(w0: NumberVector, w1: NumberVector, tau: number, out: { [i: number]: number }): void {
  const theta = Math.acos(bhattacharyyaCoefficient(w0, w1));
  let c0: number;
  let c1: number;
  if (theta < SMALL_ANGLE) {
    c0 = 1 - tau;
    c1 = tau;
  } else {
    const s = Math.sin(theta);
    c0 = Math.sin((1 - tau) * theta) / s;
    c1 = Math.sin(tau * theta) / s;
  }
  for (let i = 0; i < w0.length; i++) {
    const eta = c0 * Math.sqrt(w0[i]!) + c1 * Math.sqrt(w1[i]!);
    out[i] = eta * eta;
  }
}

/**
 * normalise((a + b)/2 + √(a∘b)): the arithmetic–geometric mean midpoint, equal to SLERP(½) for any
 * number of tokens (√a + √b is the great-circle midpoint direction; its square is 2·((a+b)/2 + √(ab))).
 */
export function amgmMidpoint(w0: number[], w1: number[]): number[] {
  checkWeightPair('amgmMidpoint', w0, w1, false);
  const out = new Array<number>(w0.length);
  amgmMidpointInto(w0, w1, out);
  return out;
}

/** `amgmMidpoint` without input checks, into `out` (which may alias neither input). */
export function amgmMidpointInto(a: NumberVector, b: NumberVector, out: { [i: number]: number }): void {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const m = 0.5 * (a[i]! + b[i]!) + Math.sqrt(a[i]! * b[i]!);
    out[i] = m;
    sum += m;
  }
  for (let i = 0; i < a.length; i++) out[i] = out[i]! / sum;
}

/** Linear interpolation w0 + τ(w1 − w0), exact at the endpoints. */
export function linearInterpolate(w0: number[], w1: number[], tau: number): number[] {
  checkWeightPair('linearInterpolate', w0, w1, false);
  checkTau('linearInterpolate', tau);
  if (tau === 1) return w1.slice();
  return w0.map((a, i) => a + tau * (w1[i]! - a));
}

/**
 * quantammsim's lin+geo rule, normalise(w0 + τ(w1 − w0) + w0∘(w1/w0)^τ) (amm-curves.md §6.3).
 * Needs strictly positive weights (the geometric term divides by w0).
 */
export function quantammsimInterpolate(w0: number[], w1: number[], tau: number): number[] {
  checkWeightPair('quantammsimInterpolate', w0, w1, true);
  checkTau('quantammsimInterpolate', tau);
  if (tau === 0) return w0.slice();
  if (tau === 1) return w1.slice();
  const v = w0.map((a, i) => a + tau * (w1[i]! - a) + a * Math.pow(w1[i]! / a, tau));
  const sum = v.reduce((s, x) => s + x, 0);
  return v.map((x) => x / sum);
}

/** Steps that AM-GM bisection can reach: powers of two (1 = the direct jump). */
export function isDyadicStepCount(steps: number): boolean {
  return Number.isInteger(steps) && steps >= 1 && (steps & (steps - 1)) === 0 && steps <= 2 ** 30;
}

/**
 * Recursive AM-GM bisection: 2^levels steps, each adjacent pair (a, b) replaced by
 * (a, mid(a, b), b) per level. Returns the 2^levels + 1 points, w0 and w1 included.
 */
export function amgmPath(w0: number[], w1: number[], levels: number): number[][] {
  checkWeightPair('amgmPath', w0, w1, false);
  if (!Number.isInteger(levels) || levels < 0 || levels > 20) fail('amgmPath levels', levels, 'an integer in [0, 20] (2^levels steps)');
  const f = 2 ** levels;
  const points = new Array<number[]>(f + 1);
  points[0] = w0.slice();
  points[f] = w1.slice();
  for (let half = f / 2; half >= 1; half /= 2) {
    for (let k = half; k < f; k += 2 * half) {
      const out = new Array<number>(w0.length);
      amgmMidpointInto(points[k - half]!, points[k + half]!, out);
      points[k] = out;
    }
  }
  return points;
}

/**
 * The f + 1 points w_0 = w0, …, w_f = w1 of `scheme` at τ = k/f. 'amgm' needs f a power of two
 * (bisection only reaches dyadic points).
 */
export function interpolationPath(w0: number[], w1: number[], steps: number, scheme: PathScheme): number[][] {
  checkWeightPair('interpolationPath', w0, w1, scheme === 'quantammsim');
  checkPositiveInteger('interpolationPath steps', steps, 1 << 20);
  switch (scheme) {
    case 'amgm':
      if (!isDyadicStepCount(steps)) fail('interpolationPath steps', steps, "a power of two for scheme 'amgm' (bisection reaches only dyadic points)");
      return amgmPath(w0, w1, Math.round(Math.log2(steps)));
    case 'linear':
      return Array.from({ length: steps + 1 }, (_, k) => linearInterpolate(w0, w1, k / steps));
    case 'slerp':
      return Array.from({ length: steps + 1 }, (_, k) => slerp(w0, w1, k / steps));
    case 'quantammsim':
      return Array.from({ length: steps + 1 }, (_, k) => quantammsimInterpolate(w0, w1, k / steps));
    default:
      return fail('interpolationPath scheme', scheme, PATH_SCHEMES.map((s) => `'${s}'`).join(' | '));
  }
}

/** KL(w_{k+1}‖w_k) of every step of a path, in nats. */
export function pathStepLosses(path: readonly number[][]): number[] {
  if (!Array.isArray(path) || path.length < 1) fail('pathStepLosses path', path, 'an array of at least one weight vector');
  path.forEach((w, k) => checkWeights(`pathStepLosses path[${k}]`, w, false));
  const out: number[] = [];
  for (let k = 0; k + 1 < path.length; k++) {
    if (path[k + 1]!.length !== path[k]!.length) fail(`pathStepLosses path[${k + 1}]`, path[k + 1], `${path[k]!.length} weights, like path[${k}]`);
    out.push(klUnchecked(path[k + 1]!, path[k]!));
  }
  return out;
}

/** Σ_k KL(w_{k+1}‖w_k), in nats: −ln of the value fraction the pool keeps along the path. */
export function pathLoss(path: readonly number[][]): number {
  return pathStepLosses(path).reduce((s, x) => s + x, 0);
}

/**
 * Total rebalancing loss of moving w0 → w1 in `steps` steps of `scheme`, in nats of log pool value
 * (dimensionless): at constant prices, no fees and full arbitrage after every step, the pool keeps
 * exp(−loss) of its value. amm-curves.md §6.4: (0.5, 0.3, 0.2) → (0.2, 0.3, 0.5) in 4 SLERP steps
 * loses 0.068353415227.
 */
export function interpolationLoss(w0: number[], w1: number[], steps: number, scheme: 'linear' | 'slerp' | 'amgm'): number {
  if (!(INTERPOLATION_SCHEMES as readonly string[]).includes(scheme)) {
    fail('interpolationLoss scheme', scheme, INTERPOLATION_SCHEMES.map((s) => `'${s}'`).join(' | '));
  }
  return pathLoss(interpolationPath(w0, w1, steps, scheme));
}

/**
 * Leading-order loss of the geodesic, 2θ²/f nats, with θ the Bhattacharyya angle (radians): the
 * Fisher–Rao metric makes KL ≈ 2‖Δη‖², and f equal steps of length θ/f cost 2θ²/f².
 */
export function leadingOrderLoss(theta: number, steps: number): number {
  checkFinite('leadingOrderLoss theta', theta, { min: 0, max: Math.PI / 2 });
  checkPositiveInteger('leadingOrderLoss steps', steps);
  return (2 * theta * theta) / steps;
}
