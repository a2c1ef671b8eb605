/**
 * env/market price processes: GBM and Merton moments against their closed forms (tolerances from
 * the standard error), replay and config validation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ResetNeeded } from '../env/core/errors.js';
import { Rng } from '../env/core/rng.js';
import {
  GeometricBrownianMotion,
  MarketConfigError,
  MertonJumpDiffusion,
  ReplayExhaustedError,
  ReplayPrice,
  SECONDS_PER_YEAR,
  makePriceProcess,
  type PriceProcess,
  type PriceProcessConfig,
} from '../env/market/index.js';

/** Sample mean and variance of the one-step log returns (path reset every 1000 steps to stay in range). */
function logReturnMoments(proc: PriceProcess, rng: Rng, n: number, dtSec: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  proc.reset(100);
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) proc.reset(100);
    const before = proc.price;
    const r = Math.log(proc.step(rng, dtSec) / before);
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / n;
  return { mean, variance: (sumSq - n * mean * mean) / (n - 1) };
}

describe('GeometricBrownianMotion', () => {
  it('log returns have mean (μ − σ²/2)·dt and variance σ²·dt', () => {
    const mu = 0.3;
    const sigma = 0.8;
    const dtSec = 3600;
    const dt = dtSec / SECONDS_PER_YEAR;
    const n = 200_000;
    const { mean, variance } = logReturnMoments(new GeometricBrownianMotion({ drift: mu, volatility: sigma }), new Rng(7), n, dtSec);
    const v = sigma * sigma * dt;
    assert.ok(Math.abs(mean - (mu - 0.5 * sigma * sigma) * dt) < 4 * Math.sqrt(v / n), `mean ${mean}`);
    // the sample variance of normal data has standard error v·√(2/(n−1))
    assert.ok(Math.abs(variance - v) < 4 * v * Math.sqrt(2 / (n - 1)), `variance ${variance} vs ${v}`);
  });

  it('E[S′/S] = e^{μ·dt} (the −σ²/2 correction), prices stay positive, dt = 0 is the identity', () => {
    const mu = 2;
    const sigma = 0.5;
    const dtSec = 86_400 * 7;
    const dt = dtSec / SECONDS_PER_YEAR;
    const g = new GeometricBrownianMotion({ drift: mu, volatility: sigma });
    const rng = new Rng(3);
    const n = 100_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      g.reset(50);
      const ratio = g.step(rng, dtSec) / 50;
      assert.ok(ratio > 0);
      sum += ratio;
    }
    const expected = Math.exp(mu * dt);
    const sd = expected * Math.sqrt(Math.expm1(sigma * sigma * dt));
    assert.ok(Math.abs(sum / n - expected) < 4 * (sd / Math.sqrt(n)), `mean ratio ${sum / n} vs ${expected}`);
    g.reset(50);
    assert.equal(g.step(rng, 0), 50);
  });

  it('same seed → same path; step before reset and bad arguments throw', () => {
    const path = (seed: number) => {
      const g = new GeometricBrownianMotion({ volatility: 1 });
      const rng = new Rng(seed);
      g.reset(10);
      return Array.from({ length: 50 }, () => g.step(rng, 60));
    };
    assert.deepEqual(path(11), path(11));
    assert.notDeepEqual(path(11), path(12));
    assert.throws(() => new GeometricBrownianMotion({ volatility: 1 }).step(new Rng(0), 60), ResetNeeded);
    assert.throws(() => new GeometricBrownianMotion({ volatility: -0.1 }), /gbm\.volatility = -0\.1 is not allowed: expected a finite number >= 0/);
    const g = new GeometricBrownianMotion({ volatility: 1 });
    assert.throws(() => g.reset(0), /gbm\.reset\(priceUsd\) = 0 is not allowed: expected a finite number > 0/);
    g.reset(1);
    assert.throws(() => g.step(new Rng(0), -1), MarketConfigError);
  });
});

describe('MertonJumpDiffusion', () => {
  it('jump counts per step are Poisson(λ·dt): mean, variance and P(0)', () => {
    const lambda = 40;
    const dtSec = 86_400;
    const lam = (lambda * dtSec) / SECONDS_PER_YEAR;
    const p = new MertonJumpDiffusion({ volatility: 0.5, jumpIntensity: lambda, jumpMean: -0.02, jumpStd: 0.05 });
    const rng = new Rng(21);
    p.reset(100);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      if (i % 1000 === 0) p.reset(100);
      p.step(rng, dtSec);
      const k = p.lastJumpCount;
      assert.ok(Number.isInteger(k) && k >= 0);
      sum += k;
      sumSq += k * k;
      if (k === 0) zeros++;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    assert.ok(Math.abs(mean - lam) < 4 * Math.sqrt(lam / n), `mean ${mean} vs ${lam}`);
    assert.ok(Math.abs(variance - lam) < 0.05 * lam, `variance ${variance} vs ${lam}`);
    const p0 = Math.exp(-lam);
    assert.ok(Math.abs(zeros / n - p0) < 4 * Math.sqrt((p0 * (1 - p0)) / n), `P(0) ${zeros / n} vs ${p0}`);
  });

  it('is compensated: E[S′/S] = e^{μ·dt} even with large one-sided jumps', () => {
    const mu = 0.5;
    const dtSec = 86_400 * 3;
    const dt = dtSec / SECONDS_PER_YEAR;
    const p = new MertonJumpDiffusion({ drift: mu, volatility: 0.3, jumpIntensity: 30, jumpMean: -0.1, jumpStd: 0.05 });
    const rng = new Rng(5);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      p.reset(1);
      const r = p.step(rng, dtSec);
      sum += r;
      sumSq += r * r;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    // without the compensator the mean would be off by λκ·dt ≈ 0.0236 here, ~50 standard errors
    assert.ok(Math.abs(mean - Math.exp(mu * dt)) < 4 * se, `mean ${mean} vs ${Math.exp(mu * dt)} (se ${se})`);
  });

  it('with no jumps it is GBM, draw for draw', () => {
    const m = new MertonJumpDiffusion({ drift: 0.1, volatility: 0.6, jumpIntensity: 0, jumpStd: 0.1 });
    const g = new GeometricBrownianMotion({ drift: 0.1, volatility: 0.6 });
    const r1 = new Rng(9);
    const r2 = new Rng(9);
    m.reset(20);
    g.reset(20);
    for (let i = 0; i < 100; i++) assert.equal(m.step(r1, 300), g.step(r2, 300));
  });
});

describe('ReplayPrice', () => {
  it('returns the recorded series one record per step and errors past the end, naming index and length', () => {
    const r = new ReplayPrice([10, 11, 12.5]);
    r.reset(999);
    const rng = new Rng(0);
    assert.equal(r.price, 10);
    assert.deepEqual([r.step(rng, 60), r.step(rng, 1)], [11, 12.5]);
    assert.equal(r.index, 2);
    assert.throws(
      () => r.step(rng, 60),
      (e: unknown) => e instanceof ReplayExhaustedError && e.index === 3 && e.length === 3 && /index 3 of a series of length 3/.test(e.message),
    );
    r.reset(1);
    assert.equal(r.step(rng, 60), 11);
  });

  it('loops when asked and rescales to the reset price when asked', () => {
    const rng = new Rng(0);
    const loop = new ReplayPrice(new Float64Array([1, 2]), { loop: true });
    loop.reset(1);
    assert.deepEqual([loop.step(rng, 1), loop.step(rng, 1), loop.step(rng, 1)], [2, 1, 2]);
    const scaled = new ReplayPrice([4, 5, 2], { rescale: true });
    scaled.reset(8);
    assert.deepEqual([scaled.price, scaled.step(rng, 1), scaled.step(rng, 1)], [8, 10, 4]);
  });

  it('validates every price, naming the bad index', () => {
    assert.throws(() => new ReplayPrice([1, 2, NaN]), /replay\.prices\[2\] = NaN is not allowed: expected a finite number > 0/);
    assert.throws(() => new ReplayPrice([1, -3]), (e: unknown) => e instanceof MarketConfigError && e.field === 'replay.prices[1]' && e.value === -3);
    assert.throws(() => new ReplayPrice([]), MarketConfigError);
  });
});

describe('makePriceProcess', () => {
  it('builds each kind from JSON', () => {
    const configs: PriceProcessConfig[] = JSON.parse(
      '[{"kind":"gbm","volatility":0.8},{"kind":"merton","drift":0.1,"volatility":0.5,"jumpIntensity":10,"jumpMean":-0.05,"jumpStd":0.1},{"kind":"replay","prices":[1,2,3],"loop":true}]',
    );
    const procs = configs.map((c) => makePriceProcess(c));
    assert.ok(procs[0] instanceof GeometricBrownianMotion && procs[0].volatility === 0.8 && procs[0].drift === 0);
    assert.ok(procs[1] instanceof MertonJumpDiffusion && procs[1].jumpMean === -0.05);
    assert.ok(procs[2] instanceof ReplayPrice && procs[2].loop && procs[2].length === 3);
  });

  it('errors name the field, the value and what is allowed', () => {
    const bad = (c: unknown) => () => makePriceProcess(c as PriceProcessConfig);
    assert.throws(bad({ kind: 'heston' }), /priceProcess\.kind = "heston" is not allowed: expected one of 'gbm', 'merton', 'replay'/);
    assert.throws(bad({ kind: 'gbm' }), /priceProcess\.volatility = undefined is not allowed: expected a finite number >= 0 \(required\)/);
    assert.throws(bad({ kind: 'gbm', volatility: 0.5, vol: 1 }), /priceProcess\.vol = 1 is not allowed: expected no such field; allowed fields are kind, drift, volatility/);
    assert.throws(bad({ kind: 'merton', volatility: 0.5, jumpIntensity: -1, jumpStd: 0.1 }), /priceProcess\.jumpIntensity = -1/);
    assert.throws(bad({ kind: 'replay', prices: 'abc' }), /priceProcess\.prices = "abc" is not allowed/);
    assert.throws(bad({ kind: 'replay', prices: [1], loop: 'yes' }), /priceProcess\.loop = "yes" is not allowed: expected true or false/);
    assert.throws(bad(null), MarketConfigError);
  });
});
