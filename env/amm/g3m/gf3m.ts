/**
 * Generalized f-Mean Market Makers (Gf3Ms; Zanger §2.2, amm-curves.md §4.5): the trading function
 * is the quasi-arithmetic mean M_f(x) = f⁻¹(Σ w_k·f(x_k)) for a continuous, strictly monotone
 * (hence injective) f, and a swap i → j keeps Σ w_k·f(x_k) fixed:
 *   x_j' = f⁻¹(f(x_j) − (w_i/w_j)·(f(x_i + γΔ) − f(x_i))),   spot price P_ij = w_i f′(x_i) / (w_j f′(x_j)).
 * G3M is the member f(x) = x^p (ln x at p = 0). Level sets are convex when Σ w f is quasi-concave;
 * f concave and increasing is enough.
 *
 * A generator is f plus, optionally, what makes it exact and fast: its inverse, its derivative,
 * and the two difference forms `difference(a, s) = f(a + s) − f(a)` and `shift(a, d) = f⁻¹(f(a) + d) − a`.
 * Without them the code falls back to f(a + s) − f(a), a bracketing bisection for f⁻¹ (to adjacent
 * floats), and a central difference for f′ (≈ 1e-10 relative). The difference forms matter for
 * accuracy: f(x_i + γΔ) − f(x_i) cancels when f is flat (x^p at small p), and so does x' − x for
 * small trades; the built-in generators supply both in log1p/expm1 form.
 */
import { G3mParameterError, InadmissibleTradeError } from './errors.js';
import { SERIES_P } from './kernel.js';
import { checkAmount, checkFee, checkPair, checkReserves, checkWeights } from './validate.js';

export interface MeanGenerator {
  /** Short name for messages, e.g. 'x^0.5' or 'ln(x + 1000)'. */
  readonly name: string;
  /** f: continuous and strictly monotone on [0, ∞); f(0) may be ±Infinity (e.g. ln). */
  readonly f: (x: number) => number;
  /** f⁻¹ on f's range; NaN outside it. Default: bisection. */
  readonly inverse?: (y: number) => number;
  /** f′(x) for x > 0. Default: central difference. */
  readonly derivative?: (x: number) => number;
  /** f(a + s) − f(a) for a change s ≥ −a, computed without cancellation. Default: f(a + s) − f(a). */
  readonly difference?: (a: number, s: number) => number;
  /** The change s with f(a + s) = f(a) + d; NaN (or s ≤ −a) when a + s would not be > 0. Default: via `inverse`. */
  readonly shift?: (a: number, d: number) => number;
}

export interface Gf3mPool {
  /** Reserves in token units, each finite and > 0. */
  readonly reserves: ArrayLike<number>;
  /** Weights, each > 0, summing to 1. */
  readonly weights: ArrayLike<number>;
  readonly generator: MeanGenerator;
  /** Fee on the input, a fraction in [0, 1). */
  readonly fee: number;
}

function checkGenerator(g: MeanGenerator, where: string): void {
  if (g === null || typeof g !== 'object' || typeof g.f !== 'function') {
    throw new G3mParameterError(where, g, 'a MeanGenerator { name, f, inverse?, derivative?, difference?, shift? }');
  }
  for (const key of ['inverse', 'derivative', 'difference', 'shift'] as const) {
    if (g[key] !== undefined && typeof g[key] !== 'function') throw new G3mParameterError(`${where}.${key}`, g[key], 'a function or undefined');
  }
}

function checkGfPool(pool: Gf3mPool, i: number, j: number, where: string): void {
  checkWeights(pool.weights, `${where} pool.weights`);
  checkReserves(pool.reserves, pool.weights.length, `${where} pool.reserves`);
  checkFee(pool.fee, `${where} pool.fee`);
  checkGenerator(pool.generator, `${where} pool.generator`);
  checkPair(i, j, pool.weights.length, where);
}

/** +1 if f increases, −1 if it decreases (read off f(1) and f(2)). */
export function monotoneDirection(g: MeanGenerator): 1 | -1 {
  const a = g.f(1);
  const b = g.f(2);
  if (!(Number.isFinite(a) && Number.isFinite(b)) || a === b) {
    throw new G3mParameterError(`generator '${g.name}' f`, `f(1) = ${a}, f(2) = ${b}`, 'a strictly monotone f, finite at 1 and 2');
  }
  return b > a ? 1 : -1;
}

/**
 * The x in [lo, hi] with f(x) = y for f monotone there, by bisection down to adjacent floats
 * (geometric midpoints while the bracket spans more than a factor 4). `hi` may be Infinity: the
 * bracket then grows by doubling from max(lo, 1). NaN when y is outside f's range on the interval.
 */
export function invertMonotone(f: (x: number) => number, y: number, lo: number, hi: number): number {
  const start = Math.max(lo, 1);
  const dir = f(2 * start) > f(start) ? 1 : -1;
  const g = (x: number) => dir * (f(x) - y); // increasing in x
  if (hi === Infinity) {
    hi = start;
    while (g(hi) < 0) {
      hi *= 2;
      if (hi === Infinity) return NaN;
    }
  }
  const gLo = g(lo);
  const gHi = g(hi);
  if (!(gLo <= 0 && gHi >= 0)) return NaN;
  if (gLo === 0) return lo;
  for (;;) {
    const mid = lo > 0 && hi / lo > 4 ? Math.sqrt(lo) * Math.sqrt(hi) : lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return -g(lo) <= g(hi) ? lo : hi;
}

function inverseOf(g: MeanGenerator, y: number, lo: number, hi: number): number {
  return g.inverse !== undefined ? g.inverse(y) : invertMonotone(g.f, y, lo, hi);
}

function differenceOf(g: MeanGenerator, a: number, s: number): number {
  return g.difference !== undefined ? g.difference(a, s) : g.f(a + s) - g.f(a);
}

/** f⁻¹(f(a) + d) − a; the bracket is [a, ∞) or [0, a] by the sign of d and f's direction. */
function shiftOf(g: MeanGenerator, a: number, d: number, dir: 1 | -1): number {
  if (g.shift !== undefined) return g.shift(a, d);
  if (d === 0) return 0;
  const y = g.f(a) + d;
  return (dir * d > 0 ? inverseOf(g, y, a, Infinity) : inverseOf(g, y, 0, a)) - a;
}

function derivativeOf(g: MeanGenerator, x: number): number {
  if (g.derivative !== undefined) return g.derivative(x);
  const h = 1e-6 * x;
  return (g.f(x + h) - g.f(x - h)) / (2 * h);
}

/** M_f(x) = f⁻¹(Σ w_k f(x_k)): lies between min x and max x. */
export function quasiArithmeticMean(reserves: ArrayLike<number>, weights: ArrayLike<number>, generator: MeanGenerator): number {
  checkWeights(weights, 'quasiArithmeticMean weights');
  checkReserves(reserves, weights.length, 'quasiArithmeticMean reserves');
  checkGenerator(generator, 'quasiArithmeticMean generator');
  let lo = Infinity;
  let hi = 0;
  for (let k = 0; k < reserves.length; k++) {
    lo = Math.min(lo, reserves[k]!);
    hi = Math.max(hi, reserves[k]!);
  }
  if (lo === hi) return lo;
  // Σ w (f(x_k) − f(lo)) keeps the differences exact where the generator provides them.
  let d = 0;
  for (let k = 0; k < reserves.length; k++) d += weights[k]! * differenceOf(generator, lo, reserves[k]! - lo);
  return lo + shiftOf(generator, lo, d, monotoneDirection(generator));
}

/** Spot price of asset i in units of asset j: w_i f′(x_i) / (w_j f′(x_j)). */
export function gfSpotPrice(pool: Gf3mPool, i: number, j: number): number {
  checkGfPool(pool, i, j, 'gfSpotPrice');
  const { reserves: x, weights: w, generator: g } = pool;
  return (w[i]! * derivativeOf(g, x[i]!)) / (w[j]! * derivativeOf(g, x[j]!));
}

/** Supremum (exclusive) of admissible inputs of asset i: the input that takes x_j to 0 (Infinity if f(0) is infinite). */
export function gfMaxAmountIn(pool: Gf3mPool, i: number, j: number): number {
  checkGfPool(pool, i, j, 'gfMaxAmountIn');
  return maxInUnchecked(pool, i, j);
}

function maxInUnchecked(pool: Gf3mPool, i: number, j: number): number {
  const { reserves: x, weights: w, generator: g } = pool;
  const drain = differenceOf(g, x[j]!, -x[j]!); // f(0) − f(x_j)
  if (!Number.isFinite(drain)) return Infinity;
  const grow = shiftOf(g, x[i]!, (-w[j]! / w[i]!) * drain, monotoneDirection(g));
  return Number.isFinite(grow) ? grow / (1 - pool.fee) : Infinity;
}

/** Asset j received for `amountIn` of asset i; throws `InadmissibleTradeError` when it would drain x_j. */
export function gfOutGivenIn(pool: Gf3mPool, i: number, j: number, amountIn: number): number {
  checkGfPool(pool, i, j, 'gfOutGivenIn');
  checkAmount(amountIn, 'gfOutGivenIn amountIn');
  const { reserves: x, weights: w, generator: g } = pool;
  const out = -shiftOf(g, x[j]!, (-w[i]! / w[j]!) * differenceOf(g, x[i]!, (1 - pool.fee) * amountIn), monotoneDirection(g));
  if (!(out < x[j]!)) throw new InadmissibleTradeError('gfOutGivenIn', amountIn, maxInUnchecked(pool, i, j));
  return out;
}

/** Asset i to pay (fee included) for exactly `amountOut` of asset j; requires amountOut < x_j. */
export function gfInGivenOut(pool: Gf3mPool, i: number, j: number, amountOut: number): number {
  checkGfPool(pool, i, j, 'gfInGivenOut');
  checkAmount(amountOut, 'gfInGivenOut amountOut');
  const { reserves: x, weights: w, generator: g } = pool;
  if (!(amountOut < x[j]!)) throw new InadmissibleTradeError('gfInGivenOut', amountOut, x[j]!);
  const grow = shiftOf(g, x[i]!, (-w[j]! / w[i]!) * differenceOf(g, x[j]!, -amountOut), monotoneDirection(g));
  if (!Number.isFinite(grow)) throw new InadmissibleTradeError('gfInGivenOut', amountOut, x[j]!);
  return grow / (1 - pool.fee);
}

/**
 * f(x) = x^p for p ≤ 1 (p = 0: ln x, the geometric mean; p < 0 gives the harmonic mean at −1).
 * Differences and moves are in the stable expm1/log1p form of the G3M kernels.
 */
export function powerGenerator(p: number): MeanGenerator {
  if (typeof p !== 'number' || !Number.isFinite(p) || p > 1) throw new G3mParameterError('powerGenerator p', p, 'a finite number ≤ 1');
  if (Math.abs(p) < SERIES_P) {
    return {
      name: 'ln x',
      f: Math.log,
      inverse: Math.exp,
      derivative: (x) => 1 / x,
      difference: (a, s) => Math.log1p(s / a),
      shift: (a, d) => a * Math.expm1(d),
    };
  }
  return {
    name: `x^${p}`,
    f: (x) => Math.pow(x, p),
    inverse: (y) => (y >= 0 ? Math.pow(y, 1 / p) : NaN),
    derivative: (x) => p * Math.pow(x, p - 1),
    // (a + s)^p − a^p = a^p·expm1(p·ln(1 + s/a)); at s = −a it is −a^p (p > 0) or +∞ (p < 0)
    difference: (a, s) => Math.pow(a, p) * Math.expm1(p * Math.log1p(s / a)),
    // (a^p + d)^(1/p) − a = a·expm1(ln(1 + d/a^p)/p); NaN when a^p + d ≤ 0 has no positive root
    shift: (a, d) => {
      const r = d / Math.pow(a, p);
      return r <= -1 ? NaN : a * Math.expm1(Math.log1p(r) / p);
    },
  };
}

/**
 * f(x) = ln(x + c), c ≥ 0: constant product on virtual reserves (x + c)(y + c) (one Uniswap-v3-style
 * range; c = 0 is the geometric mean). The real reserve x_j drains at a finite input when c > 0.
 */
export function shiftedLogGenerator(c: number): MeanGenerator {
  checkAmount(c, 'shiftedLogGenerator c');
  return {
    name: `ln(x + ${c})`,
    f: (x) => Math.log(x + c),
    inverse: (y) => Math.exp(y) - c,
    derivative: (x) => 1 / (x + c),
    difference: (a, s) => Math.log1p(s / (a + c)),
    shift: (a, d) => (a + c) * Math.expm1(d),
  };
}
