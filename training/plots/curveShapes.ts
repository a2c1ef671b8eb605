/**
 * Trading-curve shapes of the other market makers, traced with their own math (env/amm/*): reserve y
 * against reserve x at a constant invariant, all through the reference point (1, 1).
 * - G3M (power mean Φ_p, equal weights) for several p: p = 0 is the geometric mean (x·y = 1), p → 1
 *   tends to constant sum; for p > 0 the curve reaches y = 0 at a finite x (`maxAmountIn`).
 * - ProbabilitySpace x^k + y^k = 2 s^k, k = 1 − 1/√t: t = 1 is x·y = s², and as t → 0 the curve
 *   folds into the corner min(x, y) = s (the minimum reserve rises towards s).
 * - StableSwap (float twin) for several A against constant product: flat around the peg, then bends.
 * Every curve here is symmetric in x and y (equal weights / two coins), so the branch x ≥ 1 is traced
 * and mirrored.
 */
import { InvalidArgumentError } from '../../env/core/errors.js';
import { maxAmountIn, outGivenIn, type G3mPool } from '../../env/amm/g3m/index.js';
import { exponentAt, logOtherReserve } from '../../env/amm/probability-space/index.js';
import { float as stableFloat } from '../../env/amm/stableswap/index.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface CurvePoint {
  /** Legend entry, e.g. "p = 0.5". */
  readonly curve: string;
  /** Reserve of token X (token units; the reference point is (1, 1)). */
  readonly x: number;
  readonly y: number;
}

export interface CurveShapeOptions {
  readonly title?: string;
  readonly subtitle?: string;
  /** Largest reserve drawn on either axis (default 3). */
  readonly maxReserve?: number;
  /** Points per branch (default 200). */
  readonly samples?: number;
}

const DEFAULT_MAX_RESERVE = 3;
const DEFAULT_SAMPLES = 200;

function checkOptions(options: CurveShapeOptions): { maxReserve: number; samples: number } {
  const maxReserve = options.maxReserve ?? DEFAULT_MAX_RESERVE;
  const samples = options.samples ?? DEFAULT_SAMPLES;
  if (!(maxReserve > 1 && Number.isFinite(maxReserve))) throw new InvalidArgumentError(`curve shapes: maxReserve ${String(maxReserve)} is not allowed; allowed: a finite number > 1`);
  if (!(Number.isInteger(samples) && samples >= 2)) throw new InvalidArgumentError(`curve shapes: samples ${String(samples)} is not allowed; allowed: an integer ≥ 2`);
  return { maxReserve, samples };
}

/**
 * The branch x ∈ [1, maxReserve] from `yOf` (null past the end of the curve; `end` adds its last point),
 * mirrored to x ≤ 1, ordered by x. Points with y above maxReserve are dropped (off the chart).
 */
function symmetricCurve(curve: string, yOf: (x: number) => number | null, options: CurveShapeOptions, end?: { x: number; y: number }): CurvePoint[] {
  const { maxReserve, samples } = checkOptions(options);
  const branch: { x: number; y: number }[] = [];
  for (let i = 0; i < samples; i++) {
    const x = 1 + ((maxReserve - 1) * i) / (samples - 1);
    const y = yOf(x);
    if (y === null) break;
    branch.push({ x, y });
  }
  if (end !== undefined && end.x <= maxReserve) branch.push(end);
  const mirrored = branch.slice(1).reverse().map((p) => ({ x: p.y, y: p.x }));
  return [...mirrored, ...branch].filter((p) => p.y <= maxReserve && p.x <= maxReserve).map((p) => ({ curve, ...p }));
}

const G3M_REFERENCE = (p: number): G3mPool => ({ reserves: [1, 1], weights: [0.5, 0.5], p, fee: 0 });

export const G3M_LABEL = (p: number): string => (p === 0 ? 'p = 0 (geometric, x·y = 1)' : `p = ${p}`);

/** G3M with equal weights and no fee: y after selling x − 1 of X into the pool at (1, 1). */
export function g3mCurve(p: number, options: CurveShapeOptions = {}): CurvePoint[] {
  const pool = G3M_REFERENCE(p);
  const maxIn = maxAmountIn(pool, 0, 1);
  const yOf = (x: number): number | null => (x - 1 < maxIn ? 1 - outGivenIn(pool, 0, 1, x - 1) : null);
  return symmetricCurve(G3M_LABEL(p), yOf, options, Number.isFinite(maxIn) ? { x: 1 + maxIn, y: 0 } : undefined);
}

export const PROBABILITY_SPACE_LABEL = (t: number): string => `t = ${t} (k = ${Number(exponentAt(t).toFixed(2))})`;

/** ProbabilitySpace with s = 1: the NO reserve y that keeps x^k + y^k = 2 at time to expiry t. */
export function probabilitySpaceCurve(t: number, options: CurveShapeOptions = {}): CurvePoint[] {
  const k = exponentAt(t);
  return symmetricCurve(PROBABILITY_SPACE_LABEL(t), (x) => Math.exp(logOtherReserve(Math.log(x), 0, k)), options);
}

export const STABLESWAP_LABEL = (A: number): string => `StableSwap A = ${A}`;
export const CONSTANT_PRODUCT_LABEL = 'constant product x·y = 1';

/** Two-coin StableSwap from balances (1, 1): coin 1's balance once coin 0's becomes x. */
export function stableSwapCurve(A: number, options: CurveShapeOptions = {}): CurvePoint[] {
  return symmetricCurve(STABLESWAP_LABEL(A), (x) => stableFloat.getY(0, 1, x, [1, 1], A), options);
}

export function constantProductCurve(options: CurveShapeOptions = {}): CurvePoint[] {
  return symmetricCurve(CONSTANT_PRODUCT_LABEL, (x) => 1 / x, options);
}

/** Lines of y against x with equal axes, one colour per curve, the reference point (1, 1) marked. */
export function curveShapeSpec(points: readonly CurvePoint[], options: CurveShapeOptions & { readonly dashed?: readonly string[] } = {}): VegaLiteSpec {
  const { maxReserve } = checkOptions(options);
  const order = [...new Set(points.map((p) => p.curve))];
  const axis = (title: string) => ({ type: 'quantitative', title, scale: { domain: [0, maxReserve], nice: false } }) as const;
  const dashed = options.dashed ?? [];
  return {
    title: { text: options.title ?? 'Trading curves', subtitle: options.subtitle ?? 'reserve y against reserve x at a constant invariant; dot: reference point (1, 1)' },
    width: 380,
    height: 380,
    layer: [
      {
        data: { values: points.map((p, i) => ({ ...p, i })) },
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: {
          x: { field: 'x', ...axis('reserve x (token units)') },
          y: { field: 'y', ...axis('reserve y (token units)') },
          color: { field: 'curve', type: 'nominal', title: 'curve', sort: order, legend: { labelLimit: 320 } },
          strokeDash: { condition: { test: `indexof(${JSON.stringify(dashed)}, datum.curve) >= 0`, value: [6, 4] }, value: [1, 0] },
          order: { field: 'i', type: 'quantitative' },
        },
      },
      { data: { values: [{ x: 1, y: 1 }] }, mark: { type: 'point', filled: true, size: 70, color: 'black' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    ],
  } as VegaLiteSpec;
}

export const DEFAULT_G3M_P: readonly number[] = [0, 0.1, 0.5, 0.9];
export const DEFAULT_PROBABILITY_SPACE_T: readonly number[] = [1, 0.5, 0.25, 0.05];
export const DEFAULT_STABLESWAP_A: readonly number[] = [10, 100];

export function plotG3mCurves(ps: readonly number[] = DEFAULT_G3M_P, options: CurveShapeOptions = {}): Promise<RenderedPlot> {
  return renderSpec(curveShapeSpec(ps.flatMap((p) => g3mCurve(p, options)), {
    title: 'G3M trading curves for several p', subtitle: 'equal weights, power mean Φ_p(x, y) = 1; dot: reference point (1, 1)', ...options,
  }));
}

export function plotProbabilitySpaceCurves(ts: readonly number[] = DEFAULT_PROBABILITY_SPACE_T, options: CurveShapeOptions = {}): Promise<RenderedPlot> {
  return renderSpec(curveShapeSpec(ts.flatMap((t) => probabilitySpaceCurve(t, options)), {
    title: 'ProbabilitySpace curves as t → 0', subtitle: 'x^k + y^k = 2, k = 1 − 1/√t (t: time to expiry); x: YES, y: NO reserve', ...options,
  }));
}

export function plotStableSwapCurves(As: readonly number[] = DEFAULT_STABLESWAP_A, options: CurveShapeOptions = {}): Promise<RenderedPlot> {
  return renderSpec(curveShapeSpec([...As.flatMap((A) => stableSwapCurve(A, options)), ...constantProductCurve(options)], {
    title: 'StableSwap against constant product', subtitle: 'two coins from balances (1, 1); dot: reference point', dashed: [CONSTANT_PRODUCT_LABEL], ...options,
  }));
}
