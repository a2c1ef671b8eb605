import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkEnv, InvalidActionError, InvalidArgumentError, make, register, registeredSpecs, Rng, type Env,
} from '../env/core/index.js';
import { MarketConfigError } from '../env/market/index.js';
import {
  DepegPriceProcess, STABLESWAP_SPECS, StableSwapEnv, type StableSwapEnvOptions,
} from '../env/tasks/stableswap/index.js';
import { rollout } from './env-rollout.js';

for (const spec of STABLESWAP_SPECS) if (!registeredSpecs().has(spec.id)) register(spec);

const ID = 'stableswap-v0';
const HOLD = 0;
const A_UP = 1;
const A_DOWN = 2;
const FEE_UP = 3;
const FEE_DOWN = 4;
const STOP = 5;


function runSteps(env: StableSwapEnv, actions: readonly number[]) {
  return actions.map((a) => env.step(a));
}

describe('stableswap-v0', () => {
  it('passes checkEnv for 2 and 3 coins, both action spaces, both governance variants', () => {
    for (const nCoins of [2, 3]) {
      for (const actionSpace of ['discrete', 'continuous'] as const) {
        for (const variant of ['template', 'legacy'] as const) {
          const env = make(ID, { nCoins, actionSpace, variant });
          checkEnv(env.unwrapped);
          env.close();
        }
      }
    }
  });

  it('gives bit-identical episodes for the same seed, different ones for another seed', () => {
    const pick = (t: number) => (t * 7) % 6;
    const a = rollout(make(ID), 11, 200, pick);
    const b = rollout(make(ID), 11, 200, pick);
    assert.deepEqual(a, b);
    const c = rollout(make(ID), 12, 200, pick);
    assert.notDeepEqual(a.map((s) => s.reward), c.map((s) => s.reward));
    const cont = (t: number) => Float32Array.of(Math.sin(t), Math.cos(t));
    assert.deepEqual(rollout(make(ID, { actionSpace: 'continuous', nCoins: 2 }), 3, 100, cont), rollout(make(ID, { actionSpace: 'continuous', nCoins: 2 }), 3, 100, cont));
  });

  it('truncates after 720 steps through make(); the reward is LP fees minus LVR minus the penalty', () => {
    const env = make(ID, { rejectionPenaltyUsd: 3 }) as unknown as Env<Float32Array, number>;
    env.reset({ seed: 4 });
    let steps = 0;
    for (;;) {
      const [obs, reward, terminated, truncated, info] = env.step(steps % 6);
      steps++;
      const expected = (info.feesLpUsd as number) - (info.lvrUsd as number) - (info.noiseLossUsd as number) - (info.rejected === null ? 0 : 3);
      assert.ok(Math.abs(reward - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `step ${steps}: reward ${reward} vs ${expected}`);
      assert.ok((info.lvrUsd as number) >= 0, `LVR ${info.lvrUsd as number} < 0`);
      assert.equal(obs.length, 7);
      assert.ok(!terminated);
      if (truncated) break;
    }
    assert.equal(steps, 720);
  });

  it('ramps A over a day within the contract rules: one ramp start per day, ×aStep, bounds', () => {
    const env = new StableSwapEnv();
    env.reset({ seed: 1 });
    const [[obs, , , , info]] = runSteps(env, [A_UP]);
    assert.equal(info.rejected, null);
    assert.equal(info.rampTargetA, 200);
    assert.ok((info.A as number) > 100 && (info.A as number) < 110, `A after one hour: ${info.A}`);
    assert.ok(Math.abs(obs[3]! - Math.log10(200 / (info.A as number))) < 1e-6, `ramp feature ${obs[3]}`);
    // a second ramp within a day of the first one's start is refused by ramp_A
    const [[, , , , again]] = runSteps(env, [A_DOWN]);
    assert.equal(again.rejected, 'ramp_A: too early');
    const after = runSteps(env, new Array<number>(22).fill(HOLD));
    assert.equal(after.at(-1)![4].A, 200);
    assert.equal(after.at(-1)![0][3], 0);
    const [[, , , , up2]] = runSteps(env, [A_UP]);
    assert.equal(up2.rejected, null, 'a day after the previous start, a new ramp is allowed');
    assert.equal(up2.rampTargetA, 400);
    // the bound: aMax
    const capped = new StableSwapEnv({ initialA: 10_000 });
    capped.reset({ seed: 1 });
    assert.equal(capped.step(A_UP)[4].rejected, 'A at its bound (10000)');
  });

  it('stop_ramp_A freezes A where it is', () => {
    const env = new StableSwapEnv();
    env.reset({ seed: 2 });
    runSteps(env, [A_DOWN, HOLD, HOLD]);
    const [[, , , , info]] = runSteps(env, [STOP]);
    assert.equal(info.rejected, null);
    const frozen = info.A as number;
    assert.ok(frozen < 100 && frozen > 50, `A ${frozen}`);
    const later = runSteps(env, new Array<number>(30).fill(HOLD));
    assert.equal(later.at(-1)![4].A, frozen);
  });

  it('commits fee changes and applies them after the 3-day admin delay, one at a time', () => {
    const env = new StableSwapEnv();
    env.reset({ seed: 3 });
    const [[obs, , , , info]] = runSteps(env, [FEE_UP]);
    assert.equal(info.rejected, null);
    assert.equal(info.pendingFeeBps, 8);
    assert.equal(info.feeBps, 4);
    assert.equal(obs[5], 1);
    assert.equal(runSteps(env, [FEE_DOWN])[0][4].rejected, 'commit_new_fee: active action');
    const wait = runSteps(env, new Array<number>(69).fill(HOLD)); // 71 hours after the commit
    assert.equal(wait.at(-1)![4].feeBps, 4);
    const [[o2, , , , applied]] = runSteps(env, [HOLD]); // the 72nd hour ends at the deadline
    assert.equal(applied.feeBps, 8);
    assert.equal(applied.pendingFeeBps, null);
    assert.equal(o2[4], 8);
    // the bound: feeMinBps
    const low = new StableSwapEnv({ feeBps: 1 });
    low.reset({ seed: 3 });
    assert.match(String(low.step(FEE_DOWN)[4].rejected), /fee at its bound/);
  });

  it('continuous actions ramp to A·aStep^a0 and commit fee·feeStep^a1; inside the deadband nothing happens', () => {
    const env = new StableSwapEnv({ actionSpace: 'continuous' });
    env.reset({ seed: 5 });
    const [, , , , held] = env.step(Float32Array.of(0.05, -0.05));
    assert.equal(held.rejected, null);
    assert.equal(held.rampTargetA, held.A);
    assert.equal(held.pendingFeeBps, null);
    const [, , , , moved] = env.step(Float32Array.of(-1, 1));
    assert.equal(moved.rampTargetA, 50);
    assert.equal(moved.pendingFeeBps, 8);
  });

  it('legacy governance ramps in integer steps of A', () => {
    const env = new StableSwapEnv({ variant: 'legacy' });
    env.reset({ seed: 1 });
    const infos = runSteps(env, [A_UP, HOLD, HOLD]).map((r) => r[4].A as number);
    for (const A of infos) assert.ok(Number.isInteger(A), `A ${A}`);
    assert.deepEqual(infos, [104, 108, 112]);
  });

  it('subtracts the rejection penalty and changes nothing else', () => {
    const held = new StableSwapEnv({ initialA: 10_000, rejectionPenaltyUsd: 7 });
    const refused = new StableSwapEnv({ initialA: 10_000, rejectionPenaltyUsd: 7 });
    held.reset({ seed: 9 });
    refused.reset({ seed: 9 });
    const [oh, rh, , , ih] = held.step(HOLD);
    const [or, rr, , , ir] = refused.step(A_UP);
    assert.ok(ir.rejected !== null);
    assert.deepEqual(or, oh);
    assert.equal(rr, rh - 7);
    assert.deepEqual(ir.balances, ih.balances);
  });

  it('a depeg costs the LPs more LVR at higher A (same price path)', () => {
    // one coin depegs in the first hour in every episode with this seed and rate
    const lvr = (initialA: number) => {
      const env = new StableSwapEnv({ initialA, prices: { depegsPerYear: 500 }, noise: { arrivalsPerHour: 0 }, nCoins: 2 });
      env.reset({ seed: 21 });
      let total = 0;
      let depegs = 0;
      for (let t = 0; t < 24; t++) {
        const [, , , , info] = env.step(HOLD);
        total += info.lvrUsd as number;
        depegs |= info.depegs as number;
      }
      assert.ok(depegs !== 0, 'a depeg happened');
      return total;
    };
    const [l10, l100, l1000] = [lvr(10), lvr(100), lvr(1000)];
    assert.ok(l10 < l100 && l100 < l1000, `LVR ${l10} < ${l100} < ${l1000}`);
  });

  it('noise traders trade less when the fee is higher (same seed)', () => {
    const volume = (feeBps: number) => {
      const env = new StableSwapEnv({ feeBps, feeMaxBps: 50 });
      env.reset({ seed: 8 });
      let v = 0;
      for (let t = 0; t < 48; t++) v += env.step(HOLD)[4].noiseVolumeUsd as number;
      return v;
    };
    assert.ok(volume(1) > volume(4) && volume(4) > volume(16), 'volume falls with the fee');
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
    const cases: [StableSwapEnvOptions, RegExp][] = [
      [{ nCoins: 4 }, /nCoins.*4.*\[2, 3\]/],
      [{ initialA: 5 }, /initialA.*5.*\[10, 10000\]/],
      [{ aStep: 11 }, /aStep.*11/],
      [{ rampSec: 3600 }, /rampSec.*3600.*86400/],
      [{ feeBps: 60 }, /feeBps.*60/],
      [{ variant: 'ng' as never }, /variant.*"template" \| "legacy"/],
      [{ colour: 'red' } as never, /colour.*no such option/],
    ];
    for (const [options, pattern] of cases) {
      assert.throws(() => new StableSwapEnv(options), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), JSON.stringify(options));
    }
    assert.throws(() => new StableSwapEnv({ prices: { depegLevel: 1.2 } }), (e: unknown) => e instanceof MarketConfigError && /prices\.depegLevel/.test(e.message));
    assert.throws(() => new StableSwapEnv({ noise: { arrivals: 3 } as never }), (e: unknown) => e instanceof MarketConfigError && /noise\.arrivals/.test(e.message));
  });
});

describe('DepegPriceProcess', () => {
  it('reverts to the peg with the configured half-life and jumps to the depeg level', () => {
    const p = new DepegPriceProcess(1, { volatility: 0, depegsPerYear: 0, halfLifeHours: 10 });
    const jumpy = new DepegPriceProcess(1, { volatility: 0, depegsPerYear: 1e9, depegLevel: 0.9, depegLevelStd: 0 });
    jumpy.reset();
    assert.ok(Math.abs(jumpy.step(new Rng(1), 60)[0]! - 0.9) < 1e-12, 'jumped to 0.9');
    const rng = new Rng(2);
    p.reset([0.9]);
    p.step(rng, 10 * 3600);
    assert.ok(Math.abs(Math.log(p.pricesUsd[0]!) - Math.log(0.9) / 2) < 1e-12, `half-way after one half-life: ${p.pricesUsd[0]}`);
  });

  it('draws only from the Rng passed in (same seed, same path)', () => {
    const path = (seed: number) => {
      const p = new DepegPriceProcess(3);
      p.reset();
      const rng = new Rng(seed);
      return Array.from({ length: 200 }, () => Array.from(p.step(rng, 300)));
    };
    assert.deepEqual(path(5), path(5));
    assert.notDeepEqual(path(5), path(6));
    assert.throws(() => new DepegPriceProcess(2).reset([1, -1]), InvalidArgumentError);
  });
});
