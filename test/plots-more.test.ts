import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../env/core/errors.js';
import { invariant as g3mInvariant } from '../env/amm/g3m/index.js';
import { invariant as psInvariant } from '../env/amm/probability-space/index.js';
import { float as stableFloat } from '../env/amm/stableswap/index.js';
import { bhattacharyyaAngle } from '../env/amm/weighted/index.js';
import { rocAuc } from '../agents/supervised/metrics.js';
import { confusionCells, plotConfusionMatrices, plotRoc, rocPoints } from '../training/plots/classifierPlots.js';
import {
  constantProductCurve, g3mCurve, plotG3mCurves, plotProbabilitySpaceCurves, plotStableSwapCurves, probabilitySpaceCurve, stableSwapCurve,
} from '../training/plots/curveShapes.js';
import { interpolationLossRows, LEADING_ORDER_LABEL, plotSlerpLoss } from '../training/plots/slerpLoss.js';
import { assertRendered } from './plot-assertions.js';


const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('rocPoints: from (0, 0) to (1, 1), monotone, its area equals the rank AUC (ties as one diagonal step)', () => {
  const y = [1, 0, 1, 1, 0, 0, 1, 0];
  const s = [0.9, 0.8, 0.8, 0.6, 0.5, 0.3, 0.3, 0.1];
  const pts = rocPoints(y, s);
  assert.deepEqual(pts[0], { fpr: 0, tpr: 0 });
  assert.deepEqual(pts.at(-1), { fpr: 1, tpr: 1 });
  assert.equal(pts.length, 7, 'one point per distinct score, plus the origin');
  let area = 0;
  for (let i = 1; i < pts.length; i++) {
    assert.ok(pts[i]!.fpr >= pts[i - 1]!.fpr && pts[i]!.tpr >= pts[i - 1]!.tpr);
    area += (pts[i]!.fpr - pts[i - 1]!.fpr) * (pts[i]!.tpr + pts[i - 1]!.tpr) / 2;
  }
  close(area, rocAuc(y, s)!, 1e-12, 'trapezoid area vs Mann–Whitney AUC');
  assert.throws(() => rocPoints([1, 1], [0.2, 0.3]), InvalidArgumentError);
});

test('ROC plot: one line per model with its AUC in the legend, axis titles', async () => {
  const y = [1, 0, 1, 0, 1, 0];
  const plot = await plotRoc([
    { model: 'logreg', yTrue: y, scores: [0.9, 0.1, 0.8, 0.3, 0.7, 0.2] },
    { model: 'knn', yTrue: y, scores: [0.5, 0.6, 0.4, 0.3, 0.9, 0.8] },
  ], { title: 'ROC under test' });
  assertRendered(plot, ['ROC under test', 'logreg (AUC 1.000)', `knn (AUC ${rocAuc(y, [0.5, 0.6, 0.4, 0.3, 0.9, 0.8])!.toFixed(3)})`, 'false-positive rate', 'true-positive rate']);
});

test('confusion matrices: row shares, counts annotated, bad counts rejected', async () => {
  const entries = [{ model: 'tree', confusion: { tp: 30, fp: 10, tn: 40, fn: 5 } }, { model: 'majority', confusion: { tp: 35, fp: 50, tn: 0, fn: 0 } }];
  const cells = confusionCells(entries);
  const cell = (model: string, actual: string, predicted: string) => cells.find((c) => c.model === model && c.actual === actual && c.predicted === predicted)!;
  close(cell('tree', 'success', 'success').rowShare, 30 / 35, 1e-15, 'recall');
  assert.equal(cell('tree', 'failure', 'success').count, 10);
  assert.equal(cell('majority', 'failure', 'failure').rowShare, 0);
  const plot = await plotConfusionMatrices(entries);
  assertRendered(plot, ['Confusion matrices', 'predicted class', 'actual class', 'tree', 'majority', '>30<', '>40<', '>50<']);
  assert.throws(() => confusionCells([{ model: 'x', confusion: { tp: 1.5, fp: 0, tn: 0, fn: 0 } }]), /tp = 1.5/);
});

test('G3M curves keep the invariant of the reference point (1, 1), pass through it, and end on y = 0 for p > 0', async () => {
  for (const p of [0, 0.1, 0.5, 0.9]) {
    const pts = g3mCurve(p);
    assert.ok(pts.some((q) => q.x === 1 && q.y === 1), `p = ${p} passes through (1, 1)`);
    for (const q of pts.filter((r) => r.x > 0 && r.y > 0)) {
      close(g3mInvariant({ reserves: [q.x, q.y], weights: [0.5, 0.5], p, fee: 0 }), 1, 1e-9, `p = ${p} invariant at (${q.x}, ${q.y})`);
    }
  }
  const p9 = g3mCurve(0.9);
  const end = p9.filter((q) => q.y === 0)[0]!;
  close(end.x, 2 ** (1 / 0.9), 1e-9, 'p = 0.9 meets y = 0 at x = 2^(1/p)');
  assertRendered(await plotG3mCurves(), ['G3M trading curves for several p', 'reserve x (token units)', 'reserve y (token units)', 'p = 0.9']);
});

test('ProbabilitySpace curves keep x^k + y^k = 2 and fold into the corner as t → 0', async () => {
  const minY = (t: number) => Math.min(...probabilitySpaceCurve(t).map((q) => q.y));
  for (const t of [1, 0.5, 0.05]) {
    for (const q of probabilitySpaceCurve(t)) close(psInvariant(q.x, q.y, t), 1, 1e-9, `t = ${t} invariant at (${q.x}, ${q.y})`);
  }
  assert.ok(minY(1) < minY(0.25) && minY(0.25) < minY(0.05), 'the curve flattens towards y = 1 as t falls');
  assertRendered(await plotProbabilitySpaceCurves(), ['ProbabilitySpace curves as t → 0', 'reserve x (token units)', 't = 0.05']);
});

test('StableSwap curves keep D of (1, 1) and lie between constant sum and constant product', async () => {
  for (const A of [10, 100]) {
    for (const q of stableSwapCurve(A).filter((r) => r.y > 1e-6)) {
      close(stableFloat.getD([q.x, q.y], A), 2, 1e-9, `A = ${A} D at (${q.x}, ${q.y})`);
      assert.ok(q.x * q.y <= 1 + 1e-9 && q.x + q.y >= 2 - 1e-9, `A = ${A}: (${q.x}, ${q.y}) between x + y = 2 and x·y = 1`);
    }
  }
  // The three curves are sampled on the same x grid, so compare them at the grid point nearest 1.5.
  const x = constantProductCurve().reduce((best, q) => (Math.abs(q.x - 1.5) < Math.abs(best - 1.5) ? q.x : best), 0);
  const at = (pts: ReturnType<typeof constantProductCurve>, at: number) => pts.find((q) => q.x === at)!.y;
  assert.ok(at(stableSwapCurve(100), x) < at(stableSwapCurve(10), x) && at(stableSwapCurve(10), x) < at(constantProductCurve(), x), 'higher A sits closer to constant sum');
  assertRendered(await plotStableSwapCurves(), ['StableSwap against constant product', 'StableSwap A = 100', 'constant product x·y = 1', 'reserve y (token units)']);
});

test('SLERP vs linear loss: equal at N = 1, linear above SLERP after, SLERP × N → 2θ²', async () => {
  const w0 = [1 / 3, 1 / 3, 1 / 3];
  const w1 = [0.7, 0.2, 0.1];
  const rows = interpolationLossRows(w0, w1, [1, 4, 64, 1024]);
  const loss = (scheme: string, steps: number) => rows.find((r) => r.scheme === scheme && r.steps === steps)!.loss;
  close(loss('linear', 1), loss('SLERP', 1), 1e-15, 'one step: both jump to w1');
  for (const n of [4, 64, 1024]) assert.ok(loss('linear', n) > loss('SLERP', n), `N = ${n}: linear loses more`);
  const theta = bhattacharyyaAngle(w0, w1);
  close(loss('SLERP', 1024) * 1024, 2 * theta * theta, 1e-4 * 2 * theta * theta, 'SLERP reaches the leading order');
  close(loss(LEADING_ORDER_LABEL, 64) * 64, 2 * theta * theta, 1e-15, 'leading order row');
  assertRendered(await plotSlerpLoss(w0, w1), ['SLERP vs linear interpolation', 'number of interpolation steps N', 'total loss (nats of log pool value', 'SLERP', 'linear']);
});
