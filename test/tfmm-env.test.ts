/**
 * tfmm-v0: registration and checkEnv in every variant, determinism, the reward's accounting
 * (sums to V_T − H_T; equals portfolio-vs-hold minus arbitrage loss), schedules followed point by
 * point, the KL identity inside the env at constant prices, the no-arbitrage band after each step,
 * the continuous action, and typed errors for bad actions and options.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  checkEnv, InvalidActionError, InvalidArgumentError, make, register, registeredSpecs, ResetNeeded, type Env,
} from '../env/core/index.js';
import { interpolationLoss, interpolationPath, spotPrice, slerp } from '../env/amm/weighted/index.js';
import { TFMM_SPECS, TfmmEnv, targetWeights, type TfmmOptions } from '../env/tasks/tfmm/index.js';
import { rollout } from './env-rollout.js';

for (const spec of TFMM_SPECS) if (!registeredSpecs().has(spec.id)) register(spec);

const ID = 'tfmm-v0';


describe('tfmm-v0 registration and Gymnasium contract', () => {
  it('is registered with a 30-step (30-day) time limit and passes checkEnv in every variant', () => {
    const env = make(ID);
    assert.equal(env.spec?.maxEpisodeSteps, 30);
    checkEnv(env.unwrapped);
    env.close();
    const variants: TfmmOptions[] = [];
    for (const actionSpace of ['discrete', 'continuous'] as const) {
      for (const interpolation of ['slerp', 'linear', 'amgm'] as const) {
        for (const price of [{ kind: 'gbm', volatility: 0.8 }, { kind: 'merton', volatility: 0.6, jumpIntensity: 20, jumpStd: 0.05 }] as const) {
          variants.push({ actionSpace, interpolation, price });
        }
      }
    }
    variants.push(
      { assets: 2 }, { assets: 5, targets: ['equal', 'momentum'], interpolationSteps: [2, 4] },
      { initialWeights: [0.5, 0.3, 0.2], volatilities: [0.9, 0.6, 0] }, { blocksPerStep: 1, blockSec: 12 },
    );
    for (const kwargs of variants) {
      const e = make(ID, kwargs as Record<string, unknown>);
      checkEnv(e.unwrapped);
      e.close();
    }
  });

  it('truncates at 30 steps (720 blocks) and never terminates', () => {
    const env = make(ID) as unknown as Env<Float32Array, number>;
    env.reset({ seed: 1 });
    let t = 0;
    for (;;) {
      const [, , terminated, truncated] = env.step(t % 10);
      t++;
      assert.equal(terminated, false);
      if (truncated) break;
    }
    assert.equal(t, 30);
  });

  it('names its actions: hold, then target × step count', () => {
    const env = new TfmmEnv();
    assert.deepEqual(env.actionMeanings, [
      'hold', 'initial in 1 step', 'initial in 16 steps', 'initial in 128 steps', 'momentum in 1 step', 'momentum in 16 steps',
      'momentum in 128 steps', 'anti-momentum in 1 step', 'anti-momentum in 16 steps', 'anti-momentum in 128 steps',
    ]);
    assert.equal((env.actionSpace as { n: number }).n, 10);
  });
});

describe('tfmm-v0 dynamics', () => {
  it('gives bit-identical episodes for the same seed (GBM and Merton), different ones for another seed', () => {
    for (const price of [undefined, { kind: 'merton', volatility: 0.6, jumpIntensity: 50, jumpStd: 0.04 }]) {
      const kwargs = price === undefined ? {} : { price };
      const pick = (t: number) => [0, 5, 0, 0, 9, 6, 0, 3][t % 8];
      const a = rollout(make(ID, kwargs), 11, 30, pick);
      const b = rollout(make(ID, kwargs), 11, 30, pick);
      assert.equal(a.length, 30);
      assert.deepEqual(a, b);
      const c = rollout(make(ID, kwargs), 12, 30, pick);
      assert.notDeepEqual(a.map((s) => s.reward), c.map((s) => s.reward));
    }
  });

  it('sums rewards to V_T − H_T, and each reward is portfolio-vs-hold minus the arbitrage loss', () => {
    const env = new TfmmEnv();
    const [, info0] = env.reset({ seed: 3 });
    assert.equal(info0.valueVsHold, 0);
    let sum = 0;
    let last = info0;
    for (let t = 0; t < 60; t++) {
      const [, r, , , info] = env.step([0, 6, 0, 2, 5, 9, 0, 0][t % 8]!);
      const v = info.poolValue as number;
      assert.ok(Math.abs(r - ((info.portfolioVsHold as number) - (info.arbitrageLoss as number))) < 1e-9 * v, `step ${t}`);
      sum += r;
      last = info;
    }
    const vh = last.valueVsHold as number;
    assert.ok(Math.abs(sum - vh) < 1e-7 * (last.poolValue as number), `Σ rewards ${sum} vs V_T − H_T ${vh}`);
    assert.ok(Math.abs(vh - ((last.poolValue as number) - (last.holdValue as number))) < 1e-6, 'valueVsHold = poolValue − holdValue');
  });

  it('hold keeps the initial weights exactly: no weight step, no KL', () => {
    const env = new TfmmEnv({ initialWeights: [0.5, 0.3, 0.2] });
    env.reset({ seed: 4 });
    for (let t = 0; t < 30; t++) {
      const [obs, , , , info] = env.step(0);
      assert.deepEqual(info.weights, [0.5, 0.3, 0.2]);
      assert.equal(info.weightKl, 0);
      assert.equal(obs[6], 0);
    }
  });

  it('follows the chosen schedule block by block (SLERP by default), then rests at the target', () => {
    const env = new TfmmEnv({ blocksPerStep: 1 });
    env.reset({ seed: 5 });
    for (let t = 0; t < 10; t++) env.step(0);
    const w0 = Array.from(env.state.weights);
    const target = Array.from(targetWeights('momentum', env.options.initialWeights, env.state.momentum, env.options.tilt, env.options.minWeight, new Float64Array(3)));
    const path = interpolationPath(w0, target, 16, 'slerp');
    for (let k = 1; k <= 16; k++) {
      // action 5 = momentum in 16 steps: repeating it continues the running schedule
      const [obs, , , , info] = env.step(5);
      assert.deepEqual(info.weights, path[k], `step ${k}`);
      assert.deepEqual(info.target, target);
      assert.equal(info.stepsLeft, 16 - k);
      assert.ok(Math.abs(obs[6]! - (16 - k) / 128) < 1e-7, `steps-left feature ${obs[6]}`);
    }
    const [, , , , info] = env.step(0);
    assert.deepEqual(info.weights, target);
    assert.equal(info.weightKl, 0);
  });

  it("'amgm' and 'slerp' walk the same dyadic points; 'linear' walks a different path", () => {
    const weightsOf = (interpolation: 'slerp' | 'amgm' | 'linear') => rollout(new TfmmEnv({ interpolation, blocksPerStep: 1 }) as Env<unknown, unknown>, 21, 40, (t) => (t === 0 ? 5 : 0)).map((s) => s.info.weights as number[]);
    const s = weightsOf('slerp');
    const a = weightsOf('amgm');
    const l = weightsOf('linear');
    s.forEach((w, t) => w.forEach((x, i) => assert.ok(Math.abs(x - a[t]![i]!) <= 1e-15, `t=${t}`)));
    assert.ok(s.some((w, t) => w.some((x, i) => Math.abs(x - l[t]![i]!) > 1e-4)), 'linear should differ from SLERP');
  });

  it('at constant prices without fees, a schedule costs exactly exp(−interpolationLoss) of the pool (the KL identity)', () => {
    for (const interpolation of ['slerp', 'linear', 'amgm'] as const) {
      const env = new TfmmEnv({
        initialWeights: [0.5, 0.3, 0.2], volatilities: [0, 0, 0], driftStd: 0, feeRate: 0, targets: ['equal'], interpolationSteps: [4], interpolation,
        blocksPerStep: 1,
      });
      env.reset({ seed: 1 });
      let value = 0;
      for (let k = 0; k < 4; k++) value = env.step(1)[4].poolValue as number;
      const expected = 1e6 * Math.exp(-interpolationLoss([0.5, 0.3, 0.2], [1 / 3, 1 / 3, 1 / 3], 4, interpolation));
      assert.ok(Math.abs(value - expected) < 1e-6, `${interpolation}: ${value} vs ${expected}`);
    }
  });

  it('leaves every token pair inside the no-arbitrage band [γp, p/γ] after each step', () => {
    const env = new TfmmEnv({ feeRate: 0.01, blocksPerStep: 1 });
    env.reset({ seed: 8 });
    for (let t = 0; t < 300; t++) {
      env.step([4, 0, 8, 0, 0, 1][t % 6]!);
      const { balances, weights, prices } = env.state;
      const b = Array.from(balances);
      const w = Array.from(weights);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          if (i !== j) assert.ok(0.99 * spotPrice(b, w, i, j) <= (prices[i]! / prices[j]!) * (1 + 1e-9), `t=${t} pair ${i},${j}`);
        }
      }
    }
  });

  it('charges the f = 1 jump far more than the 128-step walk to the same target (the 2θ²/f law)', () => {
    const loss = (action: number) => {
      const env = new TfmmEnv({ volatilities: [0, 0, 0], driftStd: 0, feeRate: 0, initialWeights: [0.6, 0.3, 0.1], targets: ['equal'], blocksPerStep: 1 });
      env.reset({ seed: 2 });
      let total = 0;
      for (let t = 0; t < 128; t++) total += env.step(action)[1];
      return -total;
    };
    const fast = loss(1);
    const slow = loss(3);
    assert.ok(fast > 100 * slow, `f=1 loses ${fast}, f=128 loses ${slow}`);
  });

  it('continuous action: zeros hold the initial weights; repeating an action continues its schedule', () => {
    const env = new TfmmEnv({ actionSpace: 'continuous', initialWeights: [0.5, 0.3, 0.2], blocksPerStep: 1 });
    env.reset({ seed: 6 });
    const zeros = new Float32Array(4);
    for (let t = 0; t < 5; t++) assert.deepEqual(env.step(zeros)[4].weights, [0.5, 0.3, 0.2]);
    const a = Float32Array.of(1, 0, -1, 0); // f = 2^round(7·0.5) = 16
    env.step(a);
    assert.equal(env.weightSchedule.steps, 16);
    for (let k = 2; k <= 5; k++) {
      env.step(Float32Array.from(a));
      assert.equal(env.weightSchedule.taken, k);
    }
    const w = env.weightSchedule.to;
    assert.ok(w[0]! > 0.5 && w[2]! < 0.2, `target ${w}`);
    env.step(Float32Array.of(1, 0, -1, -1)); // a new f (1): a new schedule
    assert.equal(env.weightSchedule.steps, 1);
  });

  it('starts every episode from the reset weights and value, the signal warmed up', () => {
    const env = new TfmmEnv();
    const [obs, info] = env.reset({ seed: 9 });
    assert.deepEqual(Array.from(obs.slice(0, 3)), Array.from(Float32Array.of(1 / 3, 1 / 3, 1 / 3)));
    assert.ok(Math.abs((info.poolValue as number) - 1e6) < 1e-6, `pool value ${info.poolValue}`);
    assert.ok(Array.from(obs.slice(3, 6)).some((z) => z !== 0), 'momentum signal warmed up');
    assert.equal(obs[6], 0);
  });
});

describe('tfmm-v0 render', () => {
  it("renders one text line per step in 'ansi' mode and nothing otherwise", () => {
    const env = new TfmmEnv({ renderMode: 'ansi' });
    env.reset({ seed: 1 });
    env.step(6);
    const line = env.render();
    assert.equal(typeof line, 'string');
    assert.match(String(line), /^day=1 w=0\.\d{3}\/0\.\d{3}\/0\.\d{3} target=.* left=\d+ p=.* V=\d+ V-H=-?\d+\.\d{2} action=momentum in 128 steps$/);
    assert.equal(new TfmmEnv().render(), null);
  });
});

describe('tfmm-v0 errors', () => {
  it('rejects out-of-space actions with InvalidActionError naming the env', () => {
    const env = make(ID);
    env.reset({ seed: 1 });
    for (const bad of [10, -1, 1.5, NaN, '3']) assert.throws(() => env.step(bad), (e: unknown) => e instanceof InvalidActionError && /tfmm-v0/.test((e as Error).message));
    const c = make(ID, { actionSpace: 'continuous' });
    c.reset({ seed: 1 });
    assert.throws(() => c.step(Float32Array.of(2, 0, 0, 0)), InvalidActionError);
    assert.throws(() => c.step(Float32Array.of(0, 0, 0)), InvalidActionError);
  });

  it('throws ResetNeeded when stepped before reset', () => {
    assert.throws(() => new TfmmEnv().step(0), ResetNeeded);
  });

  it('rejects bad options with the option name, the value and what is allowed', () => {
    const bad = (kwargs: Record<string, unknown>, pattern: RegExp) =>
      assert.throws(() => new TfmmEnv(kwargs as TfmmOptions), (e: unknown) => e instanceof InvalidArgumentError && pattern.test((e as Error).message), JSON.stringify(kwargs));
    bad({ assets: 9 }, /option assets: got 9; allowed: an integer in \[2, 8\]/);
    bad({ interpolation: 'amgm', interpolationSteps: [1, 12] }, /interpolationSteps\[1\]: got 12; allowed: a power of two/);
    bad({ interpolation: 'cubic' }, /option interpolation: got "cubic"/);
    bad({ initialWeights: [0.5, 0.5, 0.1] }, /initialWeights: .*summing to 1/);
    bad({ initialWeights: [0.96, 0.02, 0.02] }, /initialWeights\[1\]: got 0.02; allowed: a weight ≥ minWeight/);
    bad({ price: { kind: 'replay', prices: [1, 2] } }, /option price: .*'gbm' or 'merton'/);
    bad({ price: { kind: 'gbm', volatility: -1 } }, /volatility = -1/);
    bad({ feeRate: NaN }, /option feeRate: got NaN/);
    bad({ targets: ['momentum', 'trend'] }, /targets\[1\]: got "trend"/);
    bad({ volatilitys: [1, 1, 1] }, /option volatilitys: .*no such option/);
    bad({ minWeight: 0.4 }, /option minWeight: got 0.4/);
    bad({ blocksPerStep: 2.5 }, /option blocksPerStep: got 2.5; allowed: an integer/);
  });
});

describe('tfmm-v0 target weights', () => {
  it('momentum tilts toward the tokens with the higher signal, anti-momentum away, both floored', () => {
    const init = [1 / 3, 1 / 3, 1 / 3];
    const z = Float64Array.of(1, 0, -1);
    const m = targetWeights('momentum', init, z, 1, 0.05, new Float64Array(3));
    const a = targetWeights('anti-momentum', init, z, 1, 0.05, new Float64Array(3));
    assert.ok(m[0]! > m[1]! && m[1]! > m[2]!, `momentum ${m}`);
    assert.ok(a[0]! < a[1]! && a[1]! < a[2]!, `anti-momentum ${a}`);
    for (const w of [m, a]) {
      assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 1) < 1e-12, `sum of ${w}`);
      w.forEach((x) => assert.ok(x >= 0.05 - 1e-15, `${x} under the floor`));
    }
    // a strong signal pins the losers at the floor
    const pinned = targetWeights('anti-momentum', init, Float64Array.of(2, 0, -3), 1, 0.05, new Float64Array(3));
    assert.ok(Math.abs(pinned[2]! - 0.9) < 1e-15 && pinned[0] === 0.05 && pinned[1] === 0.05, `pinned ${pinned}`);
    assert.deepEqual(Array.from(targetWeights('equal', [0.5, 0.3, 0.2], z, 1, 0.05, new Float64Array(3))), [1 / 3, 1 / 3, 1 / 3]);
    // SLERP between targets stays on the simplex
    const mid = slerp(Array.from(m), Array.from(a), 0.5);
    assert.ok(Math.abs(mid.reduce((s, x) => s + x, 0) - 1) < 1e-14, `sum of ${mid}`);
  });
});
