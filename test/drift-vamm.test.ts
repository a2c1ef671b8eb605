import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkEnv, InvalidActionError, InvalidArgumentError, make, type Env,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { DriftVammEnv, MARKET_PRESETS, type DriftVammOptions } from '../env/tasks/drift-vamm/index.js';
import { rollout } from './env-rollout.js';

const ID = 'drift-vamm-v0';


describe('drift-vamm-v0', () => {
  it('passes checkEnv in every observation, action and reward variant', () => {
    for (const observation of ['default', 'imbalance'] as const) {
      for (const actionSpace of ['discrete', 'continuous'] as const) {
        for (const reward of ['fee-pool', 'seed'] as const) {
          const env = make(ID, { observation, actionSpace, reward });
          checkEnv(env.unwrapped);
          env.close();
        }
      }
    }
  });

  it('keeps sqrt_k within kRange of its value at reset, rejecting the update_k that would leave it', () => {
    for (const [action, kRange] of [[3, 10], [4, 10], [3, 2]] as const) {
      const env = make(ID, { kRange, rejectionPenaltyUsd: 0 }) as unknown as Env<Float32Array, number>;
      const u = env.unwrapped as unknown as DriftVammEnv;
      env.reset({ seed: 1 });
      const s0 = u.state.curve.sqrtK;
      let firstRejected = -1;
      for (let t = 0; t < 600 && firstRejected < 0; t++) {
        const [, , terminated, , info] = env.step(action);
        if (info.rejected === 'KOutOfRange [kRange]') firstRejected = t;
        if (terminated) break;
      }
      const ratio = u.state.curve.sqrtK / s0;
      assert.ok(firstRejected > 0, `k ${action === 3 ? 'up' : 'down'} with kRange ${kRange} was never stopped`);
      assert.ok(ratio <= kRange && ratio >= 1 / kRange, `sqrt_k left the range: ×${ratio}`);
      // one more 1 % step would have left it
      assert.ok(action === 3 ? ratio * 1.01 > kRange : ratio * 0.99 < 1 / kRange, `stopped early at ×${ratio}`);
    }
    assert.throws(() => make(ID, { kRange: 0 }), /option kRange: got 0/);
  });

  it('gives bit-identical episodes for the same seed, different ones for another seed', () => {
    const pick = (t: number) => (t * 7) % 6;
    const a = rollout(make(ID), 11, 300, pick);
    const b = rollout(make(ID), 11, 300, pick);
    assert.deepEqual(a, b);
    const c = rollout(make(ID), 12, 300, pick);
    assert.notDeepEqual(a.map((s) => s.reward), c.map((s) => s.reward));
  });

  it('sums step rewards to the change of the fee pool over the episode (no penalty), on both engines', () => {
    for (const engine of ['float', 'exact'] as const) for (const protocol of ['dec2021', 'jan2022', 'may2022'] as const) {
      const env = make(ID, { protocol, engine, rejectionPenaltyUsd: 0 }) as unknown as Env<Float32Array, number>;
      const [, info0] = env.reset({ seed: 5 });
      let sum = 0;
      let last = info0;
      for (let t = 0; t < 600; t++) {
        const [, r, term, trunc, info] = env.step([0, 1, 3, 4, 5, 2][t % 6]!);
        sum += r;
        last = info;
        if (term || trunc) break;
      }
      const delta = (last.tfmdUsd as number) - (info0.tfmdUsd as number);
      assert.ok(Math.abs(sum - delta) <= 1e-6 * Math.max(1, Math.abs(delta)), `${engine} ${protocol}: rewards ${sum} vs fee pool change ${delta}`);
    }
  });

  it('runs on the exact bigint engine: checkEnv passes and episodes track the float twin', () => {
    for (const actionSpace of ['discrete', 'continuous'] as const) checkEnv(make(ID, { engine: 'exact', actionSpace }).unwrapped);
    const pick = (t: number) => [0, 0, 1, 3, 5, 4][(t * 7) % 6];
    for (const protocol of ['jan2022', 'may2022'] as const) {
      const float = rollout(make(ID, { protocol }), 7, 1440, pick);
      const exact = rollout(make(ID, { protocol, engine: 'exact' }), 7, 1440, pick);
      assert.equal(exact.length, float.length, `${protocol}: episode length`);
      let sumF = 0;
      let sumE = 0;
      for (let t = 0; t < float.length; t++) {
        // float64 rounding moves fees and costs by fractions of a cent (float/index.ts's tolerance table)
        assert.ok(Math.abs(float[t]!.reward - exact[t]!.reward) < 0.01, `${protocol} step ${t}: ${float[t]!.reward} vs ${exact[t]!.reward}`);
        sumF += float[t]!.reward;
        sumE += exact[t]!.reward;
      }
      assert.ok(Math.abs(sumF - sumE) < 1, `${protocol}: episode return ${sumF} (float) vs ${sumE} (exact)`);
    }
    assert.throws(() => make(ID, { engine: 'bigint' as never }), /option engine: got "bigint"; allowed: "float" \| "exact"/);
  });

  it('leaves the market unchanged by a rejected action, apart from the penalty', () => {
    // a redundant repeg (the peg already matches the oracle at reset) is rejected by the protocol
    const held = make(ID, { rejectionPenaltyUsd: 2 });
    const rejected = make(ID, { rejectionPenaltyUsd: 2 });
    held.reset({ seed: 3 });
    rejected.reset({ seed: 3 });
    const [oh, rh, , , ih] = held.step(0);
    const [or, rr, , , ir] = rejected.step(1);
    assert.match(String(ir.rejected), /^InvalidRepegRedundant/);
    assert.equal(ih.rejected, null);
    assert.deepEqual(or, oh);
    assert.equal(rr, rh - 2);
    for (const k of ['tfmdUsd', 'markUsd', 'pegUsd', 'sqrtK', 'longOiBase', 'shortOiBase', 'volumeUsd']) assert.equal(ir[k], ih[k], k);
  });

  it('applies repeg and k actions through the protocol: costs move the fee pool, k moves sqrt_k', () => {
    const env = new DriftVammEnv({ rejectionPenaltyUsd: 0 });
    env.reset({ seed: 1 });
    for (let t = 0; t < 200; t++) env.step(0); // let the oracle drift and a book build up
    const sBefore = env.state.curve.sqrtK;
    const [, , , , info] = env.step(3); // k up 1 %
    if (info.rejected === null) {
      assert.ok(Math.abs(env.state.curve.sqrtK / sBefore - 1.01) < 1e-9);
      if (env.state.baseAssetAmount !== 0) assert.ok((info.adjustmentCostUsd as number) > 0, 'raising k costs the protocol');
    }
    const pegBefore = env.state.curve.pegMultiplier;
    const [, , , , info2] = env.step(1);
    if (info2.rejected === null) assert.notEqual(env.state.curve.pegMultiplier, pegBefore);
  });

  it('rejects invalid actions with a typed error naming the value and the space', () => {
    const env = make(ID);
    env.reset({ seed: 0 });
    for (const bad of [NaN, 6, -1, 1.5, 'hold']) {
      assert.throws(() => env.step(bad), (e: unknown) => e instanceof InvalidActionError && /Discrete\(6\)/.test(e.message));
    }
    const cont = make(ID, { actionSpace: 'continuous' });
    cont.reset({ seed: 0 });
    assert.throws(() => cont.step(Float32Array.of(2, 0)), InvalidActionError);
    assert.throws(() => cont.step(Float32Array.of(NaN, 0)), InvalidActionError);
  });

  it('validates options, naming the option, the value and what is allowed', () => {
    const cases: [DriftVammOptions, RegExp][] = [
      [{ market: 'DOGE' }, /market.*"DOGE".*SOL, BTC/],
      [{ protocol: 'jun2022' as never }, /protocol.*jun2022.*"dec2021"/],
      [{ kDeltas: [0.7] }, /kDeltas/],
      [{ stepSec: -1 }, /stepSec/],
      [{ observation: 'full' as never }, /observation.*"default" \| "imbalance"/],
      [{ colour: 'red' } as never, /colour.*no such option/],
    ];
    for (const [options, pattern] of cases) {
      assert.throws(() => new DriftVammEnv(options), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), JSON.stringify(options));
    }
  });

  it('terminates when k increases drain the fee pool below its floor', () => {
    // SOL's curve with a fee pool only $50 above floor(total_fee/2)
    const sol = MARKET_PRESETS.SOL!;
    const market = { ...sol, totalFee: 2 * (sol.totalFeeMinusDistributions - 50e6) };
    // large, long-held uninformed trades build an imbalance; volume does not respond to k
    const traders = {
      informedShare: 0, uninformedMedianUsd: 50_000, meanHoldingSteps: 10_000,
      volumeModel: { kind: 'elastic', baseArrivalsPerStep: 1, elasticity: 0 },
    } as const;
    const env = new DriftVammEnv({ market, traders, kDeltas: [0.4], rejectionPenaltyUsd: 0 });
    env.reset({ seed: 2 });
    let reason: unknown = null;
    for (let t = 0; t < 1440 && reason === null; t++) {
      const [, , terminated, , info] = env.step(t < 10 ? 0 : 3);
      if (terminated) reason = info.termination;
    }
    assert.equal(reason, 'fee-pool-floor');
  });

  it('offers every market preset and the source\'s one-dimensional imbalance state', () => {
    for (const market of ['SOL', 'BTC', 'ETH', 'LUNA', 'AVAX', 'BNB', 'MATIC', 'ATOM']) {
      const env = make(ID, { market });
      const [obs] = env.reset({ seed: 0 });
      assert.equal((obs as Float32Array).length, 5, market);
      env.step(0);
    }
    const env = make(ID, { observation: 'imbalance' }) as unknown as Env<Float32Array, number>;
    env.reset({ seed: 4 });
    let info: Record<string, unknown> = {};
    let obs: Float32Array = new Float32Array(1);
    for (let t = 0; t < 120; t++) [obs, , , , info] = env.step(0);
    assert.ok(Math.abs(obs[0]! - ((info.longOiBase as number) - (info.shortOiBase as number))) <= 1e-3 * Math.max(1, Math.abs(obs[0]!)));
  });
});
