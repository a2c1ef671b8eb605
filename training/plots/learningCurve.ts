/**
 * Learning curve across seeds: each run's episode returns smoothed by a trailing rolling mean, then
 * the mean over runs at each x with a 95 % t-interval band (a band needs two or more runs).
 */
import { meanCi95, rollingMean } from './stats.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface CurveRun {
  /** Legend name of the run (e.g. its seed or directory). */
  readonly label: string;
  /** x of each point (episode index or environment step). */
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface LearningCurveOptions {
  readonly title?: string;
  /** Rolling-mean window in points (default: 2 % of the longest run, at least 1). */
  readonly window?: number;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** What one curve is, for the subtitle (default 'runs'; e.g. 'evaluation episodes'). */
  readonly across?: string;
}

export interface CurvePoint { readonly x: number; readonly mean: number; readonly lo: number; readonly hi: number; readonly runs: number }

/** Mean ± 95 % CI across runs at each shared x (the runs' common prefix, so every point has all runs). */
export function curveBand(runs: readonly CurveRun[], window: number): CurvePoint[] {
  if (runs.length === 0) return [];
  const smoothed = runs.map((r) => rollingMean(r.y, window));
  const n = Math.min(...runs.map((r) => r.x.length));
  const out: CurvePoint[] = [];
  for (let i = 0; i < n; i++) {
    const { mean, lo, hi } = meanCi95(smoothed.map((s) => s[i]!));
    out.push({ x: runs[0]!.x[i]!, mean, lo, hi, runs: runs.length });
  }
  return out;
}

export function learningCurveSpec(runs: readonly CurveRun[], options: LearningCurveOptions = {}): VegaLiteSpec {
  const longest = Math.max(1, ...runs.map((r) => r.y.length));
  const window = options.window ?? Math.max(1, Math.round(longest * 0.02));
  const band = curveBand(runs, window);
  const perRun = runs.flatMap((r) => rollingMean(r.y, window).map((y, i) => ({ x: r.x[i]!, y, run: r.label })));
  const xTitle = options.xTitle ?? 'episode';
  const yTitle = options.yTitle ?? 'episode return (USD)';
  const what = runs.length > 1 ? `mean of ${runs.length} ${options.across ?? 'runs'} ± 95 % CI` : 'one run';
  return {
    title: { text: options.title ?? 'Learning curve', subtitle: `rolling mean over ${window} points; ${what}` },
    width: 560,
    height: 300,
    layer: [
      {
        data: { values: perRun },
        mark: { type: 'line', strokeWidth: 1, opacity: 0.45 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle },
          y: { field: 'y', type: 'quantitative', title: yTitle },
          color: { field: 'run', type: 'nominal', title: 'run', legend: { labelLimit: 320 } },
        },
      },
      {
        data: { values: band },
        layer: [
          { mark: { type: 'area', opacity: 0.25, color: '#555' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
          { mark: { type: 'line', color: 'black', strokeWidth: 2 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' } } },
        ],
      },
    ],
  } as VegaLiteSpec;
}

export function plotLearningCurve(runs: readonly CurveRun[], options: LearningCurveOptions = {}): Promise<RenderedPlot> {
  return renderSpec(learningCurveSpec(runs, options));
}
