import { test } from 'node:test';
import assert from 'node:assert/strict';
import { make } from '../env/core/registration/registry.js';
import '../env/tasks/builtin.js';
import { NoopPolicy } from '../agents/baselines.js';
import { HistoricalPolicy } from '../agents/driftBaselines.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import type { Env } from '../env/core/env.js';
import type { Policy } from '../agents/policy.js';
import { syntheticReplaySeries } from '../env/tasks/drift-replay/synthetic.js';
import { curveBand, plotLearningCurve } from '../training/plots/learningCurve.js';
import { plotEvaluation } from '../training/plots/evaluationComparison.js';
import { plotGreedyActionMap, plotQValueMap, qCells } from '../training/plots/qMaps.js';
import { plotFeePool, plotMarkOracle, recordEpisode } from '../training/plots/episodeTrace.js';
import { meanCi95, rollingMean } from '../training/plots/stats.js';
import { assertRendered } from './plot-assertions.js';


test('rollingMean and meanCi95', () => {
  assert.deepEqual(rollingMean([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);
  const { mean, lo, hi } = meanCi95([1, 2, 3]);
  assert.equal(mean, 2);
  assert.ok(Math.abs(hi - mean - 4.303 / Math.sqrt(3)) < 1e-9 && Math.abs(mean - lo - (hi - mean)) < 1e-12);
  assert.deepEqual(meanCi95([5]), { mean: 5, lo: 5, hi: 5 });
});

test('learning curve: band across runs over their common prefix, title and axis titles in the SVG, PNG bytes', async () => {
  const runs = [
    { label: 'seed 1', x: [0, 1, 2, 3], y: [0, 2, 4, 6] },
    { label: 'seed 2', x: [0, 1, 2], y: [2, 4, 6] },
  ];
  const band = curveBand(runs, 1);
  assert.equal(band.length, 3);
  assert.equal(band[1]!.mean, 3);
  assert.ok(band[1]!.lo < 3 && band[1]!.hi > 3);
  assertRendered(await plotLearningCurve(runs, { title: 'Curve under test', window: 1 }), ['Curve under test', 'episode return (USD)', 'episode', 'seed 2']);
});

test('evaluation comparison shows every policy with its IQM axis', async () => {
  const plot = await plotEvaluation([
    { policy: 'q-learning', iqm: 40_000, ci95: [30_000, 60_000] },
    { policy: 'noop', iqm: 14_000, ci95: [13_000, 15_000] },
  ], { title: 'Eval under test' });
  assertRendered(plot, ['Eval under test', 'IQM of episode return (USD)', 'q-learning', 'noop']);
});

test('Q maps: greedy action and max Q per imbalance × gap cell, other coordinates at their bin', async () => {
  // bins [2, 2, 2]: state = (i0·2 + i1)·2 + i2; 2 actions
  const q = new Array<number>(16).fill(0);
  q[((1 * 2 + 0) * 2 + 1) * 2 + 1] = 7; // x bin 1, y bin 0, third coordinate bin 1 → action 1 worth 7
  const visits = new Array<number>(16).fill(1);
  visits[((0 * 2 + 1) * 2 + 1) * 2] = 0;
  visits[((0 * 2 + 1) * 2 + 1) * 2 + 1] = 0; // x bin 0, y bin 1 never visited
  const table = { q, visits, nActions: 2, bins: [2, 2, 2], low: [-1, -1, -1], high: [1, 1, 1] };
  const cells = qCells(table, { actionNames: ['hold', 'repeg'], fixedBins: [0, 0, 1] });
  assert.equal(cells.length, 4);
  const hot = cells.find((c) => c.xBin === '0…1' && c.yBin === '-1…0')!;
  assert.equal(hot.greedy, 'repeg');
  assert.equal(hot.maxQ, 7);
  assert.equal(cells.find((c) => c.xBin === '-1…0' && c.yBin === '0…1')!.greedy, 'unvisited');
  assert.throws(() => qCells({ ...table, q: [1, 2, 3] }), InvalidArgumentError);
  assertRendered(await plotQValueMap(table, { actionNames: ['hold', 'repeg'] }), ['Greedy value', 'imbalance (net base / sqrt k)', 'mark/oracle gap (mark/oracle − 1)', 'max Q (USD)']);
  assertRendered(await plotGreedyActionMap(table, { actionNames: ['hold', 'repeg'] }), ['Greedy action', 'greedy action', 'repeg']);
});

test('mark vs oracle and fee pool from a recorded drift-vamm-v0 episode; same seed, same trace', async () => {
  const env = make('drift-vamm-v0') as Env<unknown, unknown>;
  const meanings = (env.unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
  const repeg = meanings.indexOf('repeg-oracle');
  assert.ok(repeg > 0);
  // repeg to the oracle every 20 steps, hold otherwise
  let t = 0;
  const periodic: Policy<unknown, number> = { name: 'periodic-repeg', act: () => (++t % 20 === 0 ? repeg : 0) };
  const a = recordEpisode(env, periodic, 7, 200);
  t = 0;
  const b = recordEpisode(env, periodic, 7, 200);
  assert.deepEqual(a, b);
  assert.equal(a.steps.length, 201);
  assert.ok(a.steps.some((s) => s.event === 'repeg'), 'a repeg event was recorded');
  assert.ok(a.steps.every((s) => Number.isFinite(s.markUsd) && Number.isFinite(s.oracleUsd) && Number.isFinite(s.tfmdUsd)));
  const noop = recordEpisode(env, new NoopPolicy(0) as Policy<unknown, unknown>, 7, 200);
  assert.ok(noop.steps.every((s) => s.event === null));
  env.close();
  assertRendered(await plotMarkOracle(a), ['Mark vs oracle: periodic-repeg, seed 7', 'price (USD)', 'step', 'repeg']);
  assertRendered(await plotFeePool([a, noop]), ['Fee pool over time per policy', 'fee pool (USD)', 'noop', 'periodic-repeg']);
});

test('mark vs oracle of a replayed episode marks the historical k changes', async () => {
  const env = make('drift-replay-v0', { series: syntheticReplaySeries() }) as Env<unknown, unknown>;
  const meanings = (env.unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
  const trace = recordEpisode(env, new HistoricalPolicy(meanings) as Policy<unknown, unknown>, 1);
  env.close();
  assert.ok(trace.steps.length > 100);
  assert.ok(trace.steps.some((s) => s.event === 'k'), 'the synthetic history\'s k changes show as events');
  const plot = await plotMarkOracle(trace, { title: 'Replay under test' });
  assertRendered(plot, ['Replay under test', 'price (USD)']);
});
