/**
 * One recorded episode of a Drift env (drift-vamm-v0 or drift-replay-v0) and the plots drawn from
 * it: mark vs oracle with the repeg and k events marked, and the fee pool over time per policy.
 * Events are read from the curve itself (peg or sqrt k changed over the step), so the historical
 * admin's actions in a replay show the same way as a policy's.
 */
import type { Env } from '../../env/core/env.js';
import type { Policy } from '../../agents/policy.js';
import { policyRng } from '../evaluate.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface TraceStep {
  readonly step: number;
  readonly markUsd: number;
  readonly oracleUsd: number;
  readonly pegUsd: number;
  readonly sqrtK: number;
  readonly tfmdUsd: number;
  /** 'repeg', 'k' or 'repeg+k' when the curve changed over this step, else null. */
  readonly event: string | null;
}

export interface EpisodeTrace {
  readonly policy: string;
  readonly seed: number;
  readonly steps: readonly TraceStep[];
}

function num(info: Readonly<Record<string, unknown>>, key: string): number {
  const v = info[key];
  return typeof v === 'number' ? v : Number.NaN;
}

function traceStep(step: number, info: Readonly<Record<string, unknown>>, prev: TraceStep | null): TraceStep {
  const pegUsd = num(info, 'pegUsd');
  const sqrtK = num(info, 'sqrtK');
  const repeg = prev !== null && pegUsd !== prev.pegUsd;
  const k = prev !== null && sqrtK !== prev.sqrtK;
  return {
    step, markUsd: num(info, 'markUsd'), oracleUsd: num(info, 'oracleUsd'), pegUsd, sqrtK, tfmdUsd: num(info, 'tfmdUsd'),
    event: repeg && k ? 'repeg+k' : repeg ? 'repeg' : k ? 'k' : null,
  };
}

/**
 * Play one episode of `policy` in `env` (reset with `seed`, the policy's RNG seeded as in
 * evaluation) and record the Drift info fields at reset and after every step, up to `maxSteps`.
 */
export function recordEpisode<O, A>(env: Env<O, A>, policy: Policy<O, A>, seed: number, maxSteps = Number.POSITIVE_INFINITY): EpisodeTrace {
  let [obs, info] = env.reset({ seed });
  policy.reset?.(policyRng(seed));
  const steps: TraceStep[] = [traceStep(0, info, null)];
  for (let t = 1; t <= maxSteps; t++) {
    const [next, , terminated, truncated, nextInfo] = env.step(policy.act(obs, info));
    steps.push(traceStep(t, nextInfo, steps[steps.length - 1]!));
    obs = next;
    info = nextInfo;
    if (terminated || truncated) break;
  }
  return { policy: policy.name, seed, steps };
}

export interface TracePlotOptions {
  readonly title?: string;
  /** Plotted every `stride` steps (events always kept), so long episodes stay small in a report. */
  readonly stride?: number;
}

function thin(steps: readonly TraceStep[], stride: number): TraceStep[] {
  return steps.filter((s, i) => i % stride === 0 || i === steps.length - 1);
}

/** One colour scale shared by the price lines and the event points, so the chart has one legend. */
const COLORS = { domain: ['mark', 'oracle', 'repeg', 'k', 'repeg+k'], range: ['#1f77b4', '#ff7f0e', '#d62728', '#2ca02c', '#9467bd'] };

export function markOracleSpec(trace: EpisodeTrace, options: TracePlotOptions = {}): VegaLiteSpec {
  const stride = Math.max(1, options.stride ?? Math.ceil(trace.steps.length / 600));
  const lines = thin(trace.steps, stride).flatMap((s) => [
    { step: s.step, series: 'mark', priceUsd: s.markUsd },
    { step: s.step, series: 'oracle', priceUsd: s.oracleUsd },
  ]);
  const events = trace.steps.filter((s) => s.event !== null).map((s) => ({ step: s.step, priceUsd: s.markUsd, event: s.event }));
  const x = { field: 'step', type: 'quantitative', title: 'step (one step = stepSec of market time)', scale: { nice: false } } as const;
  const counts = ['repeg', 'k', 'repeg+k'].map((e) => `${events.filter((v) => v.event === e).length} ${e}`).join(', ');
  return {
    title: { text: options.title ?? `Mark vs oracle: ${trace.policy}, seed ${trace.seed}`, subtitle: `events: ${counts}` },
    width: 600, height: 300,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x, y: { field: 'priceUsd', type: 'quantitative', title: 'price (USD)', scale: { zero: false } },
          color: { field: 'series', type: 'nominal', title: 'line / event', scale: COLORS },
          strokeDash: { field: 'series', type: 'nominal', legend: null, scale: { domain: ['mark', 'oracle'], range: [[1, 0], [4, 3]] } },
        },
      },
      {
        data: { values: events },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.9 },
        encoding: {
          x, y: { field: 'priceUsd', type: 'quantitative' },
          shape: { field: 'event', type: 'nominal', legend: null, scale: { domain: ['repeg', 'k', 'repeg+k'], range: ['triangle-up', 'square', 'diamond'] } },
          color: { field: 'event', type: 'nominal', scale: COLORS },
        },
      },
    ],
  } as VegaLiteSpec;
}

export function feePoolSpec(traces: readonly EpisodeTrace[], options: TracePlotOptions = {}): VegaLiteSpec {
  const longest = Math.max(1, ...traces.map((t) => t.steps.length));
  const stride = Math.max(1, options.stride ?? Math.ceil(longest / 600));
  const values = traces.flatMap((t) => thin(t.steps, stride).map((s) => ({ step: s.step, policy: t.policy, tfmdUsd: s.tfmdUsd })));
  const seeds = [...new Set(traces.map((t) => t.seed))];
  return {
    title: { text: options.title ?? 'Fee pool over time per policy', subtitle: `total fee minus distributions; env seed${seeds.length > 1 ? 's' : ''} ${seeds.join(', ')}` },
    width: 600, height: 300,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
      y: { field: 'tfmdUsd', type: 'quantitative', title: 'fee pool (USD)', scale: { zero: false } },
      color: { field: 'policy', type: 'nominal', title: 'policy' },
    },
  } as VegaLiteSpec;
}

export function plotMarkOracle(trace: EpisodeTrace, options: TracePlotOptions = {}): Promise<RenderedPlot> {
  return renderSpec(markOracleSpec(trace, options));
}

export function plotFeePool(traces: readonly EpisodeTrace[], options: TracePlotOptions = {}): Promise<RenderedPlot> {
  return renderSpec(feePoolSpec(traces, options));
}
