/**
 * Classifier plots: ROC curves (one line per model, chance diagonal, AUC in the legend) from
 * (label, score) arrays — `crossValidateTimeOrdered` gives them pooled over the test folds — and
 * confusion-matrix heatmaps from the counts `fit classifier` reports (`metrics.confusion`).
 */
import { InvalidArgumentError } from '../../env/core/errors.js';
import { rocAuc, type ConfusionMatrix } from '../../agents/supervised/metrics.js';
import { renderSpec, type RenderedPlot, type VegaLiteSpec } from './render.js';

export interface RocInput {
  readonly model: string;
  /** 0/1 labels, 1 the positive class. */
  readonly yTrue: readonly number[];
  /** Score of the positive class (higher = more likely positive), aligned with yTrue. */
  readonly scores: readonly number[];
}

export interface RocPoint {
  /** False-positive rate FP / negatives. */
  readonly fpr: number;
  /** True-positive rate TP / positives. */
  readonly tpr: number;
}

export interface ConfusionInput {
  readonly model: string;
  readonly confusion: ConfusionMatrix;
}

export interface ConfusionCell {
  readonly model: string;
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
  /** Count over the actual class's total (recall on the diagonal); 0 when the class is empty. */
  readonly rowShare: number;
}

export interface ClassifierPlotOptions {
  readonly title?: string;
  /** Names of the classes 1 and 0 (default "success", "failure": repeg / k outcomes). */
  readonly positiveName?: string;
  readonly negativeName?: string;
}

/**
 * ROC curve points, lowering the threshold one distinct score at a time (tied scores move together,
 * so a tie gives one diagonal segment). Starts at (0, 0), ends at (1, 1).
 */
export function rocPoints(yTrue: readonly number[], scores: readonly number[]): RocPoint[] {
  if (rocAuc(yTrue, scores) === null) {
    throw new InvalidArgumentError(`ROC curve: the ${yTrue.length} labels hold only one class; allowed: at least one 0 and one 1`);
  }
  const positives = yTrue.filter((y) => y === 1).length;
  const negatives = yTrue.length - positives;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    for (let j = start; j <= end; j++) {
      if (yTrue[order[j]!] === 1) tp++;
      else fp++;
    }
    points.push({ fpr: fp / negatives, tpr: tp / positives });
    start = end + 1;
  }
  return points;
}

const rocLabel = (m: RocInput): string => `${m.model} (AUC ${(rocAuc(m.yTrue, m.scores) ?? Number.NaN).toFixed(3)})`;

export function rocSpec(models: readonly RocInput[], options: ClassifierPlotOptions = {}): VegaLiteSpec {
  if (models.length === 0) throw new InvalidArgumentError('ROC plot: no models given; allowed: at least one { model, yTrue, scores }');
  const labels = models.map(rocLabel);
  const values = models.flatMap((m, k) => rocPoints(m.yTrue, m.scores).map((p, order) => ({ model: labels[k], order, ...p })));
  const positive = options.positiveName ?? 'success';
  const negative = options.negativeName ?? 'failure';
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1] } };
  return {
    title: { text: options.title ?? 'ROC curves', subtitle: `positive class: ${positive}; dashed diagonal: chance (AUC 0.5)` },
    width: 380,
    height: 380,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', strokeDash: [5, 4], color: 'gray' },
        encoding: { x: { field: 'fpr', ...unit }, y: { field: 'tpr', ...unit } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: { field: 'fpr', ...unit, title: `false-positive rate (share of actual ${negative} flagged)` },
          y: { field: 'tpr', ...unit, title: `true-positive rate (share of actual ${positive} found)` },
          color: { field: 'model', type: 'nominal', title: 'model', sort: labels, legend: { labelLimit: 320 } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  } as VegaLiteSpec;
}

export function plotRoc(models: readonly RocInput[], options: ClassifierPlotOptions = {}): Promise<RenderedPlot> {
  return renderSpec(rocSpec(models, options));
}

export function confusionCells(entries: readonly ConfusionInput[], options: ClassifierPlotOptions = {}): ConfusionCell[] {
  const pos = options.positiveName ?? 'success';
  const neg = options.negativeName ?? 'failure';
  return entries.flatMap(({ model, confusion: c }) => {
    for (const key of ['tp', 'fp', 'tn', 'fn'] as const) {
      if (!Number.isInteger(c[key]) || c[key] < 0) {
        throw new InvalidArgumentError(`confusion matrix of ${model}: ${key} = ${String(c[key])}; allowed: a count (integer ≥ 0)`);
      }
    }
    const actualPos = c.tp + c.fn;
    const actualNeg = c.tn + c.fp;
    const share = (n: number, total: number) => (total === 0 ? 0 : n / total);
    return [
      { model, actual: pos, predicted: pos, count: c.tp, rowShare: share(c.tp, actualPos) },
      { model, actual: pos, predicted: neg, count: c.fn, rowShare: share(c.fn, actualPos) },
      { model, actual: neg, predicted: pos, count: c.fp, rowShare: share(c.fp, actualNeg) },
      { model, actual: neg, predicted: neg, count: c.tn, rowShare: share(c.tn, actualNeg) },
    ];
  });
}

/** One 2 × 2 heatmap per model, coloured by the share of the actual class, annotated with counts. */
export function confusionSpec(entries: readonly ConfusionInput[], options: ClassifierPlotOptions = {}): VegaLiteSpec {
  if (entries.length === 0) throw new InvalidArgumentError('confusion plot: no models given; allowed: at least one { model, confusion }');
  const classes = [options.positiveName ?? 'success', options.negativeName ?? 'failure'];
  const axes = {
    x: { field: 'predicted', type: 'nominal', title: 'predicted class', sort: classes, axis: { labelAngle: 0 } },
    y: { field: 'actual', type: 'nominal', title: 'actual class', sort: classes },
  } as const;
  return {
    title: { text: options.title ?? 'Confusion matrices', subtitle: 'cell: count; colour: share of the actual class (row)' },
    data: { values: confusionCells(entries, options) },
    facet: { field: 'model', type: 'nominal', title: null, sort: entries.map((e) => e.model), header: { labelFontSize: 13 } },
    columns: Math.min(entries.length, 3),
    spec: {
      width: 150,
      height: 150,
      layer: [
        { mark: 'rect', encoding: { ...axes, color: { field: 'rowShare', type: 'quantitative', title: 'row share', scale: { domain: [0, 1], scheme: 'blues' } } } },
        {
          mark: { type: 'text', fontSize: 16, fontWeight: 'bold' },
          encoding: {
            ...axes,
            text: { field: 'count', type: 'quantitative', format: 'd' },
            color: { condition: { test: 'datum.rowShare > 0.5', value: 'white' }, value: 'black' },
          },
        },
      ],
    },
  } as VegaLiteSpec;
}

export function plotConfusionMatrices(entries: readonly ConfusionInput[], options: ClassifierPlotOptions = {}): Promise<RenderedPlot> {
  return renderSpec(confusionSpec(entries, options));
}
