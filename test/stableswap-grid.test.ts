/**
 * The curvesim-style A × fee grid: exact (bigint) and float settlement agree, fees and LVR respond
 * to the parameters as the theory says, results are deterministic, bad configs are named.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, Rng } from '../env/core/index.js';
import { DepegPriceProcess } from '../env/tasks/stableswap/depegPrice.js';
import { runParameterGrid } from '../env/tasks/stableswap/grid.js';

function path(steps: number, seed: number, nCoins = 3, depegsPerYear = 2): Float64Array[] {
  const p = new DepegPriceProcess(nCoins, { depegsPerYear });
  p.reset();
  const rng = new Rng(seed);
  return Array.from({ length: steps }, () => Float64Array.from(p.step(rng, 3600)));
}

describe('runParameterGrid', () => {
  const prices = path(240, 3);
  const A = [20, 200, 2000];
  const feeBps = [1, 4, 16];

  it('exact and float settlement agree (same trades, fees and LVR within 1e-7)', () => {
    const exact = runParameterGrid({ A, feeBps, pricesUsd: prices });
    const flt = runParameterGrid({ A, feeBps, pricesUsd: prices, settlement: 'float' });
    assert.equal(exact.settlement, 'exact');
    assert.equal(exact.steps, 240);
    exact.cells.forEach((e, k) => {
      const f = flt.cells[k]!;
      assert.equal(e.trades, f.trades, `A ${e.A} fee ${e.feeBps}: trades`);
      for (const key of ['feesLpUsd', 'lvrUsd', 'volumeUsd', 'virtualPrice'] as const) {
        assert.ok(Math.abs(e[key] - f[key]) <= 1e-7 * Math.abs(f[key]) + 1e-6, `A ${e.A} fee ${e.feeBps}: ${key} ${e[key]} vs ${f[key]}`);
      }
    });
  });

  it('a wider fee band means fewer trades and less LVR; a higher A more LVR; fees keep the virtual price ≥ 1', () => {
    const { cells } = runParameterGrid({ A, feeBps, pricesUsd: prices, settlement: 'float' });
    const at = (a: number, f: number) => cells.find((c) => c.A === a && c.feeBps === f)!;
    for (const a of A) {
      assert.ok(at(a, 1).trades > at(a, 4).trades && at(a, 4).trades > at(a, 16).trades, `A ${a}: trades fall with the fee`);
      assert.ok(at(a, 1).lvrUsd >= at(a, 16).lvrUsd, `A ${a}: LVR falls with the fee`);
    }
    for (const f of feeBps) assert.ok(at(20, f).lvrUsd < at(200, f).lvrUsd && at(200, f).lvrUsd < at(2000, f).lvrUsd, `fee ${f}: LVR grows with A`);
    for (const c of cells) {
      assert.ok(c.virtualPrice >= 1, `A ${c.A} fee ${c.feeBps}: virtual price ${c.virtualPrice}`);
      assert.ok(Math.abs(c.pnlUsd - (c.feesLpUsd - c.lvrUsd)) < 1e-9 * Math.max(1, c.lvrUsd), 'pnl = fees − LVR');
    }
  });

  it('is deterministic and runs two-coin pools', () => {
    const two = path(100, 5, 2, 20);
    const a = runParameterGrid({ A: [100], feeBps: [4], pricesUsd: two });
    assert.deepEqual(runParameterGrid({ A: [100], feeBps: [4], pricesUsd: two }), a);
    assert.ok(a.cells[0]!.trades > 0, 'some arbitrage happened');
  });

  it('names bad configs', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => runParameterGrid({ A: [], feeBps: [4], pricesUsd: prices }), /A = \[\]/],
      [() => runParameterGrid({ A: [1.5], feeBps: [4], pricesUsd: prices }), /A = \[1.5\]/],
      [() => runParameterGrid({ A: [100], feeBps: [-1], pricesUsd: prices }), /feeBps/],
      [() => runParameterGrid({ A: [100], feeBps: [4], pricesUsd: [[1, 1], [1, NaN]] }), /pricesUsd\[1\]/],
      [() => runParameterGrid({ A: [100], feeBps: [4], pricesUsd: prices, settlement: 'fast' as never }), /settlement/],
    ];
    for (const [fn, pattern] of cases) assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), String(pattern));
  });
});
