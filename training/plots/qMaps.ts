/**
 * Q-value and greedy-action maps of a tabular policy over two observation coordinates (drift-vamm:
 * imbalance × mark/oracle gap), the other coordinates held at one bin each. Reads the Q table of a
 * saved q-learning policy (agents/persistence: data.q is row-major [state][action]; the state is
 * DiscretizeObservation's flat index ((i0·b1 + i1)·b2 + i2)…).
 */
import { InvalidArgumentError } from '../../env/core/errors.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface QTable {
  readonly q: ArrayLike<number>;
  /** Visits per (state, action); cells whose state was never visited are marked. */
  readonly visits?: ArrayLike<number>;
  readonly nActions: number;
  readonly bins: readonly number[];
  readonly low: readonly number[];
  readonly high: readonly number[];
}

export interface QMapOptions {
  /** Coordinate on the x axis (default 0: imbalance). */
  readonly xDim?: number;
  /** Coordinate on the y axis (default 1: mark/oracle gap). */
  readonly yDim?: number;
  /** Bin of every other coordinate (default: the bin holding 0, clipped into the range). */
  readonly fixedBins?: readonly number[];
  readonly actionNames?: readonly string[];
  readonly dimNames?: readonly string[];
  readonly title?: string;
}

export interface QCell {
  readonly xBin: string;
  readonly yBin: string;
  readonly maxQ: number | null;
  readonly greedy: string;
  readonly visited: boolean;
}

/** Drift-vamm's observation names, with units, for axis titles. */
export const DRIFT_VAMM_DIMS = ['imbalance (net base / sqrt k)', 'mark/oracle gap (mark/oracle − 1)', 'spendable fee pool (share of total fee)', 'liquidity ln(sqrt k / sqrt k₀)', 'episode time (step / horizon)'];

function binOf(value: number, low: number, high: number, bins: number): number {
  const b = Math.floor(((value - low) / (high - low)) * bins);
  return Math.min(bins - 1, Math.max(0, b));
}

function binLabel(b: number, low: number, high: number, bins: number): string {
  const w = (high - low) / bins;
  const f = (v: number) => Number(v.toPrecision(2)).toString();
  return `${f(low + b * w)}…${f(low + (b + 1) * w)}`;
}

export function qCells(table: QTable, options: QMapOptions = {}): QCell[] {
  const { bins, low, high, nActions } = table;
  const xDim = options.xDim ?? 0;
  const yDim = options.yDim ?? 1;
  const nStates = bins.reduce((a, b) => a * b, 1);
  if (table.q.length !== nStates * nActions) {
    throw new InvalidArgumentError(`Q table: ${table.q.length} values, expected ${nStates} states × ${nActions} actions from bins [${bins.join(', ')}]`);
  }
  for (const [name, d] of [['xDim', xDim], ['yDim', yDim]] as const) {
    if (!Number.isInteger(d) || d < 0 || d >= bins.length) throw new InvalidArgumentError(`Q map ${name}: ${d} is not a coordinate 0..${bins.length - 1}`);
  }
  const fixed = bins.map((b, i) => options.fixedBins?.[i] ?? binOf(0, low[i]!, high[i]!, b));
  const cells: QCell[] = [];
  const index = new Array<number>(bins.length);
  for (let yb = 0; yb < bins[yDim]!; yb++) {
    for (let xb = 0; xb < bins[xDim]!; xb++) {
      for (let i = 0; i < bins.length; i++) index[i] = i === xDim ? xb : i === yDim ? yb : fixed[i]!;
      const state = index.reduce((s, v, i) => s * bins[i]! + v, 0);
      let best = 0;
      let visits = 0;
      for (let a = 0; a < nActions; a++) {
        if (table.q[state * nActions + a]! > table.q[state * nActions + best]!) best = a;
        visits += table.visits?.[state * nActions + a] ?? 1;
      }
      cells.push({
        xBin: binLabel(xb, low[xDim]!, high[xDim]!, bins[xDim]!),
        yBin: binLabel(yb, low[yDim]!, high[yDim]!, bins[yDim]!),
        maxQ: visits > 0 ? table.q[state * nActions + best]! : null,
        greedy: visits > 0 ? (options.actionNames?.[best] ?? `action ${best}`) : 'unvisited',
        visited: visits > 0,
      });
    }
  }
  return cells;
}

function axes(table: QTable, options: QMapOptions) {
  const xDim = options.xDim ?? 0;
  const yDim = options.yDim ?? 1;
  const names = options.dimNames ?? DRIFT_VAMM_DIMS;
  const order = (d: number) => Array.from({ length: table.bins[d]! }, (_, b) => binLabel(b, table.low[d]!, table.high[d]!, table.bins[d]!));
  return {
    x: { field: 'xBin', type: 'ordinal', title: names[xDim] ?? `observation ${xDim}`, sort: order(xDim), axis: { labelAngle: -30 } },
    y: { field: 'yBin', type: 'ordinal', title: names[yDim] ?? `observation ${yDim}`, sort: [...order(yDim)].reverse() },
  } as const;
}

function fixedNote(table: QTable, options: QMapOptions): string {
  const xDim = options.xDim ?? 0;
  const yDim = options.yDim ?? 1;
  const names = options.dimNames ?? DRIFT_VAMM_DIMS;
  const held = table.bins.map((b, i) => ({ i, b })).filter(({ i, b }) => i !== xDim && i !== yDim && b > 1)
    .map(({ i, b }) => `${(names[i] ?? `obs ${i}`).split(' (')[0]} in ${binLabel(options.fixedBins?.[i] ?? binOf(0, table.low[i]!, table.high[i]!, b), table.low[i]!, table.high[i]!, b)}`);
  return held.length ? `held: ${held.join('; ')}` : 'no other binned coordinate';
}

export function qValueMapSpec(table: QTable, options: QMapOptions = {}): VegaLiteSpec {
  return {
    title: { text: options.title ?? 'Greedy value max_a Q(s, a)', subtitle: `${fixedNote(table, options)}; blank: state never visited` },
    width: { step: 64 }, height: { step: 40 },
    data: { values: qCells(table, options) },
    layer: [
      { mark: 'rect', encoding: { ...axes(table, options), color: { field: 'maxQ', type: 'quantitative', title: 'max Q (USD)', scale: { scheme: 'viridis' } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { ...axes(table, options), text: { field: 'maxQ', type: 'quantitative', format: '.3~s' }, color: { value: 'white' } } },
    ],
  } as VegaLiteSpec;
}

export function greedyActionMapSpec(table: QTable, options: QMapOptions = {}): VegaLiteSpec {
  return {
    title: { text: options.title ?? 'Greedy action argmax_a Q(s, a)', subtitle: fixedNote(table, options) },
    width: { step: 64 }, height: { step: 40 },
    data: { values: qCells(table, options) },
    mark: 'rect',
    encoding: { ...axes(table, options), color: { field: 'greedy', type: 'nominal', title: 'greedy action', scale: { scheme: 'tableau10' } } },
  } as VegaLiteSpec;
}

export function plotQValueMap(table: QTable, options: QMapOptions = {}): Promise<RenderedPlot> {
  return renderSpec(qValueMapSpec(table, options));
}

export function plotGreedyActionMap(table: QTable, options: QMapOptions = {}): Promise<RenderedPlot> {
  return renderSpec(greedyActionMapSpec(table, options));
}
