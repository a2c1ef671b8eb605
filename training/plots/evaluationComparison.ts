/** Evaluation comparison: each policy's IQM of episode returns with its 95 % bootstrap CI as an error bar. */
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface PolicyScore {
  readonly policy: string;
  readonly iqm: number;
  readonly ci95: readonly [number, number];
}

export interface EvaluationPlotOptions {
  readonly title?: string;
  readonly xTitle?: string;
}

export function evaluationSpec(scores: readonly PolicyScore[], options: EvaluationPlotOptions = {}): VegaLiteSpec {
  const values = scores.map((s) => ({ policy: s.policy, iqm: s.iqm, lo: s.ci95[0], hi: s.ci95[1] }));
  const order = [...values].sort((a, b) => b.iqm - a.iqm).map((v) => v.policy);
  const y = { field: 'policy', type: 'nominal', title: 'policy', sort: order } as const;
  const xTitle = options.xTitle ?? 'IQM of episode return (USD)';
  return {
    title: { text: options.title ?? 'Evaluation: IQM per policy', subtitle: 'point: interquartile mean; bar: 95 % stratified bootstrap CI' },
    width: 480,
    height: { step: 32 },
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: xTitle, scale: { zero: false } }, x2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 80 }, encoding: { y, x: { field: 'iqm', type: 'quantitative' }, color: { field: 'policy', type: 'nominal', title: 'policy', sort: order } } },
    ],
  } as VegaLiteSpec;
}

export function plotEvaluation(scores: readonly PolicyScore[], options: EvaluationPlotOptions = {}): Promise<RenderedPlot> {
  return renderSpec(evaluationSpec(scores, options));
}
