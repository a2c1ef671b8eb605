/**
 * SLERP vs linear weight interpolation (env/amm/weighted, amm-curves.md §6.4): total rebalancing loss
 * of moving a pool's weights w0 → w1 in N steps (nats of log pool value at constant prices, full
 * arbitrage after every step) against N, on log–log axes, with the leading order 2θ²/N (θ the
 * Bhattacharyya angle) that SLERP — the Fisher–Rao geodesic — attains.
 */
import { InvalidArgumentError } from '../../env/core/errors.js';
import { bhattacharyyaAngle, interpolationLoss, leadingOrderLoss } from '../../env/amm/weighted/index.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface InterpolationLossRow {
  readonly steps: number;
  readonly scheme: string;
  /** Total loss in nats of log pool value (dimensionless). */
  readonly loss: number;
}

export interface SlerpLossOptions {
  readonly title?: string;
}

export const LEADING_ORDER_LABEL = 'leading order 2θ²/N';
/** w0 → w1 of the default plot: a 3-token pool tilting hard from equal weights. */
export const DEFAULT_WEIGHT_MOVE: { readonly w0: readonly number[]; readonly w1: readonly number[] } = { w0: [1 / 3, 1 / 3, 1 / 3], w1: [0.7, 0.2, 0.1] };
/** N = 1, 2, 4, …, 1024. */
export const DEFAULT_STEP_COUNTS: readonly number[] = Array.from({ length: 11 }, (_, i) => 2 ** i);

export function interpolationLossRows(w0: readonly number[], w1: readonly number[], stepCounts: readonly number[] = DEFAULT_STEP_COUNTS): InterpolationLossRow[] {
  if (stepCounts.length === 0) throw new InvalidArgumentError('interpolation loss plot: no step counts given; allowed: at least one integer ≥ 1');
  const theta = bhattacharyyaAngle([...w0], [...w1]);
  return stepCounts.flatMap((steps) => [
    { steps, scheme: 'linear', loss: interpolationLoss([...w0], [...w1], steps, 'linear') },
    { steps, scheme: 'SLERP', loss: interpolationLoss([...w0], [...w1], steps, 'slerp') },
    { steps, scheme: LEADING_ORDER_LABEL, loss: leadingOrderLoss(theta, steps) },
  ]);
}

const formatWeights = (w: readonly number[]): string => `(${w.map((x) => Number(x.toFixed(3))).join(', ')})`;

export function slerpLossSpec(w0: readonly number[], w1: readonly number[], stepCounts: readonly number[] = DEFAULT_STEP_COUNTS, options: SlerpLossOptions = {}): VegaLiteSpec {
  const rows = interpolationLossRows(w0, w1, stepCounts);
  const order = ['linear', 'SLERP', LEADING_ORDER_LABEL];
  const theta = bhattacharyyaAngle([...w0], [...w1]);
  const ratios = rows.filter((r) => r.scheme !== LEADING_ORDER_LABEL)
    .map((r) => ({ ...r, ratio: r.loss / leadingOrderLoss(theta, r.steps) }));
  const color = { field: 'scheme', type: 'nominal', title: 'scheme', sort: order, legend: { labelLimit: 260 } } as const;
  const stepsAxis = { field: 'steps', type: 'quantitative', title: 'number of interpolation steps N (log scale)', scale: { type: 'log', base: 2 }, axis: { format: 'd' } } as const;
  return {
    title: {
      text: options.title ?? 'SLERP vs linear interpolation: loss against the number of steps',
      subtitle: `weights ${formatWeights(w0)} → ${formatWeights(w1)}; θ = ${theta.toFixed(3)} rad (Bhattacharyya angle); right: loss relative to 2θ²/N`,
    },
    hconcat: [
      {
        width: 360,
        height: 300,
        data: { values: rows },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: stepsAxis,
          y: { field: 'loss', type: 'quantitative', title: 'total loss (nats of log pool value, log scale)', scale: { type: 'log' }, axis: { format: '.0e' } },
          color,
          strokeDash: { field: 'scheme', type: 'nominal', sort: order, scale: { domain: order, range: [[1, 0], [1, 0], [6, 4]] }, legend: null },
        },
      },
      {
        width: 360,
        height: 300,
        data: { values: ratios },
        layer: [
          { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x: stepsAxis, y: { field: 'ratio', type: 'quantitative', title: 'loss ÷ (2θ²/N)', scale: { zero: false } }, color } },
          { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [6, 4], color: 'gray' }, encoding: { y: { field: 'one', type: 'quantitative' } } },
        ],
      },
    ],
  } as VegaLiteSpec;
}

export function plotSlerpLoss(
  w0: readonly number[] = DEFAULT_WEIGHT_MOVE.w0,
  w1: readonly number[] = DEFAULT_WEIGHT_MOVE.w1,
  stepCounts: readonly number[] = DEFAULT_STEP_COUNTS,
  options: SlerpLossOptions = {},
): Promise<RenderedPlot> {
  return renderSpec(slerpLossSpec(w0, w1, stepCounts, options));
}
