import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEnv, InvalidArgumentError, make, type Env } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { DriftReplayEnv, syntheticReplaySeries, type ReplaySeries } from '../env/tasks/drift-replay/index.js';
import { loadReplaySeries } from '../data/drift-v1/replaySeries.js';
import { rollout } from './env-rollout.js';
import { runCli } from './run-cli.js';
import { REAL_DATA_DIR, skipWithoutRealData } from './real-data.js';
import { DRIFT_V1_FILES } from '../data/dataDir.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ID = 'drift-replay-v0';
const SHARED = REAL_DATA_DIR ?? '';
const noData = skipWithoutRealData(DRIFT_V1_FILES.fundingRateHistory);
const series = syntheticReplaySeries({ seed: 3, hours: 24, eventEveryHours: 4 });

function replay(options: Record<string, unknown> = {}): Env<Float32Array, number> {
  return make(ID, { series, ...options }) as unknown as Env<Float32Array, number>;
}

/** Observations (reset included) and infos of a seeded episode under a fixed action schedule. */
function trace(env: Env<Float32Array, number>, seed: number, steps: number, pick: (t: number) => number) {
  const [obs0, info0] = env.reset({ seed });
  const obs = [Array.from(obs0)];
  const infos = [info0];
  for (let t = 0; t < steps; t++) {
    const [o, , terminated, truncated, info] = env.step(pick(t));
    obs.push(Array.from(o));
    infos.push(info);
    if (terminated || truncated) break;
  }
  return { obs, infos };
}

/** The series with every record published after `afterTs` changed (prices moved 30 %, events re-targeted). */
function perturbAfter(s: ReplaySeries, afterTs: number): ReplaySeries {
  return {
    ...s,
    oracleUsd: s.oracleUsd.map((p, i) => (s.oracleTs[i]! > afterTs ? p * 1.3 : p)),
    markTwapUsd: s.markTwapUsd.map((p, i) => (s.oracleTs[i]! > afterTs ? p * 0.7 : p)),
    events: s.events.map((e) => (e.ts > afterTs ? { ...e, pegMultiplierAfter: e.pegMultiplierAfter * 2, sqrtKAfter: Math.round(e.sqrtKAfter * 1.5) } : e)),
  };
}

describe('drift-replay-v0', () => {
  it('passes checkEnv in every observation and action variant and on the exact engine', () => {
    for (const observation of ['default', 'imbalance'] as const) {
      for (const actionSpace of ['discrete', 'continuous'] as const) {
        checkEnv(replay({ observation, actionSpace, hours: 3 }).unwrapped);
      }
    }
    checkEnv(replay({ engine: 'exact', hours: 2 }).unwrapped);
  });

  it('refuses to start without a series, with taken-over options, or with a malformed series, naming the field', () => {
    assert.throws(() => make(ID), (e: Error) => e instanceof InvalidArgumentError && /series/.test(e.message) && /loadReplaySeries/.test(e.message));
    assert.throws(() => replay({ market: 'BTC' }), /option market: got "BTC"; allowed: nothing/);
    assert.throws(() => replay({ oracle: { kind: 'gbm', drift: 0, volatility: 1 } }), /option oracle/);
    const broken = { ...series, oracleUsd: series.oracleUsd.map((p, i) => (i === 5 ? Number.NaN : p)) };
    assert.throws(() => make(ID, { series: broken }), /series\.oracleUsd\[5\]: got NaN/);
    const unordered = { ...series, oracleTs: [...series.oracleTs].reverse() };
    assert.throws(() => make(ID, { series: unordered }), /series\.oracleTs\[1\]/);
    assert.throws(() => replay({ hours: -1 }), /option hours/);
    assert.throws(() => replay({ stepSec: 7200 }), /option stepSec/);
  });

  it('offers drift-vamm-v0\'s actions plus historical, and runs to the end of the series', () => {
    const env = replay({ stepSec: 600 });
    const u = env.unwrapped as unknown as DriftReplayEnv;
    assert.deepEqual(u.actionMeanings, ['hold', 'repeg-oracle', 'repeg-half', 'k up 1%', 'k down 1%', 'formulaic', 'historical']);
    const steps = rollout(env, 1, 10_000, () => 0);
    assert.equal(steps.length, (24 * 3600) / 600);
  });

  it('holds the oracle at the last record published at or before each step (never interpolates)', () => {
    const { infos } = trace(replay(), 4, 24 * 60, () => 0);
    infos.forEach((info, t) => {
      const now = series.start.ts + t * 60;
      let i = 0;
      while (i + 1 < series.oracleTs.length && series.oracleTs[i + 1]! <= now) i++;
      assert.ok(Math.abs((info.oracleUsd as number) / series.oracleUsd[i]! - 1) < 1e-12, `step ${t}: ${String(info.oracleUsd)} vs ${series.oracleUsd[i]}`);
    });
  });

  it('no observation or info at step t depends on data published after t', () => {
    for (const policy of ['hold', 'historical', 'cycle'] as const) {
      const pick = policy === 'hold' ? () => 0 : policy === 'historical' ? () => 6 : (t: number) => t % 7;
      const base = trace(replay(), 9, 24 * 60, pick);
      for (const hour of [1, 5, 11, 17]) {
        const cutTs = series.start.ts + hour * 3600 + 1_234;
        const changed = trace(make(ID, { series: perturbAfter(series, cutTs) }) as unknown as Env<Float32Array, number>, 9, 24 * 60, pick);
        const k = Math.floor((cutTs - series.start.ts) / 60);
        assert.deepEqual(changed.obs.slice(0, k + 1), base.obs.slice(0, k + 1), `${policy}: observations up to step ${k} moved`);
        assert.deepEqual(changed.infos.slice(0, k + 1), base.infos.slice(0, k + 1), `${policy}: infos up to step ${k} moved`);
        // and the perturbation is seen later, so the test can fail
        assert.notDeepEqual(changed.obs, base.obs, `${policy}: the perturbation after hour ${hour} changed nothing`);
      }
    }
  });

  it('historical replays every recorded peg and sqrt_k at its step; hold keeps the start', () => {
    // k-only events pass every guard, so the end state is the last recorded target
    const kOnly: ReplaySeries = {
      ...series,
      events: series.events.filter((e) => e.kind === 'k').map((e) => ({ ...e, pegMultiplierAfter: series.start.pegMultiplier })),
    };
    const env = make(ID, { series: kOnly }) as unknown as Env<Float32Array, number>;
    const u = env.unwrapped as unknown as DriftReplayEnv;
    const steps = rollout(env, 2, 10_000, () => 6);
    const applied = steps.reduce((n, s) => n + (s.info.adminEvents as number), 0);
    const inEpisode = kOnly.events.filter((e) => e.ts < series.start.ts + steps.length * 60);
    assert.ok(inEpisode.length >= 4 && inEpisode.length < kOnly.events.length, 'the fixture has events inside and after the episode');
    assert.equal(applied, inEpisode.length);
    assert.ok(steps.every((s) => s.info.rejected === null), 'no recorded k change was rejected');
    const last = inEpisode[inEpisode.length - 1]!;
    assert.equal(u.state.curve.sqrtK, last.sqrtKAfter);
    // each event lands in the step whose minute contains it
    const firstStep = steps.findIndex((s) => (s.info.adminEvents as number) > 0);
    assert.equal(firstStep, Math.floor((inEpisode[0]!.ts - series.start.ts) / 60));
    rollout(env, 2, 10_000, () => 0);
    assert.equal(u.state.curve.pegMultiplier, series.start.pegMultiplier);
    assert.equal(u.state.curve.sqrtK, series.start.sqrtK);
  });

  it('puts a recorded action the program refuses through the same guards: rejected, named, state kept', () => {
    // the synthetic admin repegs from the starting reserves, which the traders have moved since
    const env = replay();
    const u = env.unwrapped as unknown as DriftReplayEnv;
    env.reset({ seed: 2 });
    let rejections = 0;
    for (let t = 0; t < 24 * 60; t++) {
      const before = { ...u.state.curve };
      const [, , , truncated, info] = env.step(6);
      if (typeof info.rejected === 'string') {
        rejections++;
        assert.match(info.rejected, /^\w+ \[\w+\]$/);
        if ((info.adminEvents as number) === 1) assert.equal(u.state.curve.pegMultiplier, before.pegMultiplier);
      }
      if (truncated) break;
    }
    assert.ok(rejections > 0, 'the fixture produces rejected repegs');
  });

  it('starts from the recorded state, users\' open interest included, and keeps going below the fee-pool floor', () => {
    const env = replay();
    const u = env.unwrapped as unknown as DriftReplayEnv;
    env.reset({ seed: 0 });
    assert.equal(u.state.baseAssetAmountLong, series.start.baseAssetAmountLong);
    assert.equal(u.state.baseAssetAmountShort, -series.start.baseAssetAmountShort);
    assert.equal(u.state.totalFeeMinusDistributions, series.start.totalFeeMinusDistributions);
    const poor = { ...series, start: { ...series.start, totalFeeMinusDistributions: Math.floor(series.start.totalFee * 0.3) } };
    const steps = rollout(make(ID, { series: poor }), 0, 10_000, () => 6);
    assert.equal(steps.length, 24 * 60, 'the episode runs to the end although the pool starts below its floor');
  });

  it('gives bit-identical episodes for the same seed', () => {
    const pick = (t: number) => (t * 5) % 7;
    assert.deepEqual(rollout(replay(), 8, 600, pick), rollout(replay(), 8, 600, pick));
  });

  it('builds SOL\'s series from the real history', { skip: noData }, async () => {
    const sol = await loadReplaySeries({ market: 'SOL', dataDir: SHARED });
    assert.equal(sol.start.recordId, 56);
    assert.equal(sol.protocol, 'dec2021');
    assert.equal(sol.events.length, 65);
    assert.equal(sol.events[0]!.recordId, 56);
    assert.ok(sol.oracleTs[0]! <= sol.start.ts && sol.oracleTs[1]! > sol.start.ts, 'the series starts at the last TWAP before the first record');
    assert.ok(sol.oracleUsd.every((p) => p > 100 && p < 300), 'SOL traded between 100 and 300 USD');
    const env = make(ID, { series: sol, hours: 24 });
    const steps = rollout(env, 0, 100_000, () => 6);
    assert.equal(steps.length, 24 * 60);
    await assert.rejects(loadReplaySeries({ market: 'DOGE', dataDir: SHARED }), /DOGE: the history has 0 curve records/);
    await assert.rejects(loadReplaySeries({ market: 'XYZ', dataDir: SHARED }), /unknown Drift v1 market "XYZ"/);
  });

  it('evaluate on a replayed market reports historical next to the policies asked for, with fees, costs, funding and tracking', { skip: noData }, () => {
    const out = mkdtempSync(join(tmpdir(), 'replay-eval-'));
    const r = runCli('evaluate', '--env', ID, '--market', 'ATOM', '--policy', 'formulaic,noop', '--seeds', '2', '--out', out, '--json', '--data-dir', SHARED);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { policies: { policy: string; meanLength: number; metrics: Record<string, number> }[] };
    assert.deepEqual(summary.policies.map((p) => p.policy), ['historical', 'formulaic', 'noop']);
    for (const p of summary.policies) {
      assert.deepEqual(Object.keys(p.metrics).sort(), ['adjustmentCostUsd', 'feesUsd', 'fundingUsd', 'rejections', 'trackingErrorBps']);
      assert.ok(p.meanLength > 6000, `${p.policy} played the whole ATOM history`);
    }
    assert.equal(summary.policies.find((p) => p.policy === 'noop')!.metrics.adjustmentCostUsd, 0);
    assert.ok(summary.policies[0]!.metrics.adjustmentCostUsd! > 0, 'the admin paid for its recorded actions');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { history: { market: string; startRecordId: number }; envOptions: Record<string, unknown> };
    assert.equal(results.history.market, 'ATOM');
    assert.equal(results.history.startRecordId, 367);
    assert.equal(results.envOptions.series, undefined, 'the series itself is not copied into results.json');
  });

  it('train q-learning trains on a replayed market and records the history it used, not a copy of it', { skip: noData }, () => {
    const out = mkdtempSync(join(tmpdir(), 'replay-train-'));
    const r = runCli('train', 'q-learning', '--env', ID, '--market', 'ATOM', '--episodes', '2', '--out', out, '--json', '--data-dir', SHARED);
    assert.equal(r.status, 0, r.stderr);
    const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as { envId: string; envSpec: { kwargs: { series: Record<string, unknown> } } };
    assert.equal(policy.envId, ID);
    assert.deepEqual(Object.keys(policy.envSpec.kwargs.series).sort(), ['adminEvents', 'end', 'market', 'oracleRecords', 'start', 'startRecordId']);
    assert.equal(policy.envSpec.kwargs.series.market, 'ATOM');
    const ev = runCli('evaluate', '--env', ID, '--market', 'ATOM', '--policy', out, '--seeds', '1', '--out', join(out, 'eval'), '--json', '--data-dir', SHARED);
    assert.equal(ev.status, 0, ev.stderr);
    assert.deepEqual((JSON.parse(ev.stdout) as { policies: { policy: string }[] }).policies.map((p) => p.policy), ['historical', 'q-learning']);
  });
});
