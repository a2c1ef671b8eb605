/**
 * prediction-market-v0: registry + checkEnv in every variant, seed determinism, reward accounting
 * (pnl sums to the profit, trading + revaluation = pnl, sparse pays once), the LP's actions, the
 * traders (informed close the gap, noise demand falls with the fee), the event process, resolution
 * and the typed errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkEnv, InvalidActionError, InvalidArgumentError, make, register, registeredSpecs, ResetNeeded, Rng, type Env,
} from '../env/core/index.js';
import {
  BinaryEvent, LpAccount, normalCdf, PredictionMarketEnv, PREDICTION_MARKET_ACTIONS, PREDICTION_MARKET_HOLD_ACTION,
  PREDICTION_MARKET_SPECS, newFlowStats, resolveTraders, tradeStep, type PredictionMarketOptions,
} from '../env/tasks/prediction-market/index.js';
import { impliedProbability, invariant } from '../env/amm/probability-space/index.js';

const ID = 'prediction-market-v0';
for (const init of PREDICTION_MARKET_SPECS) if (!registeredSpecs().has(init.id)) register(init);

type PmEnv = Env<Float32Array, number | Float32Array>;
interface Step { obs: number[]; reward: number; terminated: boolean; info: Record<string, unknown> }

function episode(env: PmEnv, seed: number, pick: (t: number) => number | Float32Array): Step[] {
  const out: Step[] = [];
  env.reset({ seed });
  for (let t = 0; ; t++) {
    const [obs, reward, terminated, truncated, info] = env.step(pick(t));
    out.push({ obs: Array.from(obs), reward, terminated, info });
    if (terminated || truncated) break;
  }
  return out;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pattern = (t: number) => [0, 1, 3, 2, 4, 5, 8, 0, 6, 7][t % 10]!;

describe('prediction-market-v0', () => {
  it('passes checkEnv without warnings in every action-space and reward variant', () => {
    for (const actionSpace of ['discrete', 'continuous'] as const) {
      for (const reward of ['trading', 'pnl', 'sparse'] as const) {
        const env = make(ID, { actionSpace, reward });
        assert.deepEqual(checkEnv(env.unwrapped), [], `${actionSpace}/${reward}: checkEnv warnings`);
        env.close();
      }
    }
  });

  it('gives bit-identical episodes for the same seed and different ones for another seed', () => {
    const a = episode(make(ID) as PmEnv, 21, pattern);
    const b = episode(make(ID) as PmEnv, 21, pattern);
    assert.deepEqual(a, b);
    const c = episode(make(ID) as PmEnv, 22, pattern);
    assert.notDeepEqual(a.map((s) => s.reward), c.map((s) => s.reward));
    // the reward mode changes what is paid, never what happens
    const pnl = episode(new PredictionMarketEnv({ reward: 'pnl' }), 21, pattern);
    assert.deepEqual(pnl.map((s) => s.obs), a.map((s) => s.obs));
  });

  it('runs `horizon` steps and terminates at resolution with the outcome the path gives', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const steps = episode(new PredictionMarketEnv({ horizon: 20 }), seed, () => PREDICTION_MARKET_HOLD_ACTION);
      assert.equal(steps.length, 20);
      assert.ok(steps.slice(0, -1).every((s) => !s.terminated && s.info.outcome === null && s.info.profit === null), 'no step before the last terminates or reports an outcome');
      const last = steps.at(-1)!;
      assert.equal(last.terminated, true);
      assert.equal(last.info.timeToExpiry, 0);
      assert.equal(last.info.outcome, last.info.trueProbability === 1 ? 'yes' : 'no');
      assert.ok(last.info.trueProbability === 0 || last.info.trueProbability === 1, 'the final probability is the outcome, 0 or 1');
    }
  });

  it('pnl rewards sum to the profit, trading + revaluation is pnl, sparse pays the profit once', () => {
    for (const seed of [3, 4, 5]) {
      const pnl = episode(new PredictionMarketEnv({ reward: 'pnl' }), seed, pattern);
      const trading = episode(new PredictionMarketEnv({ reward: 'trading' }), seed, pattern);
      const sparse = episode(new PredictionMarketEnv({ reward: 'sparse' }), seed, pattern);
      const profit = pnl.at(-1)!.info.profit as number;
      assert.ok(Math.abs(sum(pnl.map((s) => s.reward)) - profit) < 1e-9 * Math.max(1, Math.abs(profit)), 'pnl rewards sum to the profit');
      trading.forEach((s, i) => {
        assert.ok(Math.abs(s.reward + (s.info.revaluation as number) - pnl[i]!.reward) < 1e-9, 'trading reward + revaluation = pnl reward');
        assert.equal(s.reward, s.info.tradingPnl);
      });
      assert.ok(sparse.slice(0, -1).every((s) => s.reward === 0), 'sparse pays nothing before resolution');
      assert.equal(sparse.at(-1)!.reward, profit);
      // the profit is what the LP redeems plus its collateral, against a zero start
      const last = pnl.at(-1)!.info;
      const yes = last.outcome === 'yes';
      const redeemed = (last.lpCash as number) + (yes ? (last.poolYes as number) + (last.lpOutsideYes as number) : (last.poolNo as number) + (last.lpOutsideNo as number));
      assert.ok(Math.abs(redeemed - profit) < 1e-9, 'profit = collateral + redeemed shares');
    }
  });

  it('the trading reward has the same mean as the profit over many episodes (the revaluation is a martingale term)', () => {
    const env = new PredictionMarketEnv({ horizon: 10, traders: { noiseRate: 5 } });
    let revaluation = 0;
    let sq = 0;
    const n = 1500;
    for (let e = 0; e < n; e++) {
      const steps = episode(env, 100 + e, () => PREDICTION_MARKET_HOLD_ACTION);
      const r = sum(steps.map((s) => s.info.revaluation as number));
      revaluation += r;
      sq += r * r;
    }
    const m = revaluation / n;
    const se = Math.sqrt((sq / n - m * m) / n);
    assert.ok(Math.abs(m) < 4 * se, `mean revaluation ${m} vs standard error ${se}`);
  });

  it('discrete actions move liquidity and fee one level at a time, clamped at the ends', () => {
    const env = new PredictionMarketEnv({ traders: { informedRate: 0, noiseRate: 0 } });
    assert.equal(PREDICTION_MARKET_HOLD_ACTION, 0);
    assert.equal(env.actionMeanings[0], 'liquidity hold, fee hold');
    assert.deepEqual(env.actionMeanings.slice(1, 5), ['liquidity up, fee hold', 'liquidity down, fee hold', 'liquidity hold, fee up', 'liquidity hold, fee down']);
    assert.equal(PREDICTION_MARKET_ACTIONS.length, 9);
    env.reset({ seed: 0 });
    const levels = env.options.liquidityLevels;
    let info = env.step(1)[4]; // liquidity up
    assert.equal(info.liquidityMultiple, levels[3]);
    assert.equal(info.feeRate, env.options.feeLevels[2]);
    info = env.step(3)[4]; // fee up
    assert.equal(info.feeRate, env.options.feeLevels[3]);
    for (let i = 0; i < 8; i++) info = env.step(8)[4]; // both down, past the bottom
    assert.equal(info.liquidityMultiple, levels[0]);
    assert.equal(info.feeRate, env.options.feeLevels[0]);
    const [obs] = env.step(0);
    assert.ok(Math.abs(obs[2]! - Math.log(levels[0]!)) < 1e-6 && Math.abs(obs[3]! - env.options.feeLevels[0]!) < 1e-9, 'the observation shows the bottom levels');
  });

  it('liquidity changes scale the pool at its price and leave the LP wealth unchanged', () => {
    const env = new PredictionMarketEnv({ initialSpread: 1, traders: { informedRate: 0, noiseRate: 0 } });
    const [, info0] = env.reset({ seed: 9 });
    const before = env.reserves;
    const [, , , , info] = env.step(1);
    // no traders: only the clock moved; reserves doubled and the wealth moved only by the revaluation
    assert.ok(Math.abs(env.reserves.yes / before.yes - 2) < 1e-12 && Math.abs(env.reserves.no / before.no - 2) < 1e-12, 'liquidity up doubles both reserves');
    assert.ok(Math.abs((info.wealth as number) - (info0.wealth as number) - (info.revaluation as number)) < 1e-9, 'the liquidity change itself does not move wealth');
    const lp = new LpAccount();
    const pool = { yes: 30, no: 90 };
    for (const q of [0.1, 0.5, 0.9]) {
      const w0 = lp.wealth(pool, q);
      const scaled = lp.scale(pool, 0.4);
      assert.ok(Math.abs(lp.wealth(scaled, q) - w0) < 1e-9, `q=${q}`);
      assert.ok(lp.outsideYes === 0 || lp.outsideNo === 0, 'complete sets outside the pool are merged');
      lp.scale(scaled, 2.5);
    }
  });

  it('starts at the opening probability with a neutral LP (zero wealth, zero exposure)', () => {
    for (const seed of [1, 2, 3]) {
      const env = new PredictionMarketEnv({ initialSpread: 1 });
      const [obs, info] = env.reset({ seed });
      assert.ok(Math.abs((info.poolProbability as number) - (info.trueProbability as number)) < 1e-12, 'the pool opens at the true probability');
      assert.ok(Math.abs(info.wealth as number) < 1e-12, 'the LP opens with zero wealth');
      assert.equal(obs[0], 1);
      assert.ok(Math.abs(obs[4]!) < 1e-12, 'the LP opens with zero exposure');
      assert.equal(Math.max(info.poolYes as number, info.poolNo as number), 100);
    }
  });

  it('without traders the curve alone pushes the pool price toward the favoured edge as expiry nears', () => {
    const env = new PredictionMarketEnv({ initialSpread: 1, traders: { informedRate: 0, noiseRate: 0 } });
    const [, info0] = env.reset({ seed: 5 });
    const p0 = info0.poolProbability as number;
    const reserves = env.reserves;
    let p = p0;
    for (let t = 0; t < 40; t++) {
      const info = env.step(PREDICTION_MARKET_HOLD_ACTION)[4];
      const next = info.poolProbability as number;
      assert.ok(p0 > 0.5 ? next >= p : next <= p, `step ${t}: ${p} → ${next}`);
      p = next;
    }
    assert.deepEqual(env.reserves, reserves);
    assert.ok(Math.abs(p - p0) > 0.1, `${p0} → ${p}`);
  });

  it('renders an ansi line and reports its action meanings', () => {
    const env = make(ID, { renderMode: 'ansi' }) as PmEnv;
    env.reset({ seed: 1 });
    env.step(0);
    assert.match(String(env.render()), /^step=1 τ=0\.980 q=\d\.\d{3} pool p=/);
  });

  it('throws InvalidActionError for actions outside the space and ResetNeeded out of order', () => {
    const env = new PredictionMarketEnv();
    assert.throws(() => env.step(0), ResetNeeded);
    env.reset({ seed: 0 });
    for (const bad of [9, -1, 1.5, Number.NaN]) assert.throws(() => env.step(bad), (e: unknown) => e instanceof InvalidActionError && /prediction-market-v0/.test(e.message));
    const box = new PredictionMarketEnv({ actionSpace: 'continuous' });
    box.reset({ seed: 0 });
    assert.throws(() => box.step(Float32Array.of(0, 2)), InvalidActionError);
    const short = new PredictionMarketEnv({ horizon: 2 });
    short.reset({ seed: 0 });
    short.step(0);
    assert.equal(short.step(0)[2], true);
    assert.throws(() => short.step(0), (e: unknown) => e instanceof ResetNeeded && /resolved/.test(e.message));
  });

  it('rejects bad options with the option name, the value and what is allowed', () => {
    const cases: [PredictionMarketOptions, RegExp][] = [
      [{ horizon: 1 }, /option horizon: got 1; allowed: a finite number in \[2, 100000\]/],
      [{ horizon: 2.5 }, /option horizon: got 2.5; allowed: an integer/],
      [{ feeLevels: [0.02, 0.01] }, /option feeLevels: got \[0.02, 0.01\]; allowed: a non-empty, strictly increasing/],
      [{ feeLevels: [1] }, /option feeLevels/],
      [{ initialFeeLevel: 10 }, /option initialFeeLevel: got 10; allowed: an integer index into feeLevels, 0 … 5/],
      [{ reward: 'profit' as never }, /option reward: got "profit"; allowed: "trading" \| "pnl" \| "sparse"/],
      [{ traders: { bogus: 1 } as never }, /option traders.bogus: got 1; no such field/],
      [{ traders: { noiseRate: -1 } }, /option traders.noiseRate: got -1; allowed: a number in \[0, 1000\]/],
      [{ initialCollateral: Number.NaN }, /option initialCollateral: got NaN/],
      [{ colour: 'red' } as never, /option colour: got "red"; allowed: no such option/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => new PredictionMarketEnv(options), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message), String(message));
    }
  });
});

describe('prediction-market-v0 traders and event', () => {
  it('an informed trader at fee 0 moves the pool exactly to the true probability', () => {
    const cfg = resolveTraders({ informedRate: 50, noiseRate: 0 });
    const stats = newFlowStats();
    for (const [q, t] of [[0.8, 0.5], [0.1, 0.9], [0.55, 0.05]] as const) {
      const pool = tradeStep(new Rng(1), { yes: 100, no: 100 }, t, q, 0, 1, cfg, stats);
      assert.ok(Math.abs(impliedProbability(pool.yes, pool.no, t) - q) < 1e-9, `q=${q}`);
      assert.ok(stats.informedTrades >= 1 && stats.noiseTrades === 0, 'only informed traders traded');
    }
  });

  it('with a fee, informed traders stop at the no-arbitrage band and the invariant grows by the fee sets', () => {
    const cfg = resolveTraders({ informedRate: 50, noiseRate: 0 });
    const stats = newFlowStats();
    const fee = 0.03;
    const t = 0.4;
    const pool = tradeStep(new Rng(2), { yes: 100, no: 100 }, t, 0.8, fee, 1, cfg, stats);
    const p = impliedProbability(pool.yes, pool.no, t);
    assert.ok(p < 0.8 && p >= (1 - fee) * 0.8 - 0.01, `p=${p}`);
    assert.ok(invariant(pool.yes, pool.no, t) > invariant(100, 100, t) + 0.9 * stats.fees, 'the fee sets raised the invariant');
    assert.ok(Math.abs(stats.fees - fee * stats.informedVolume) < 1e-12, 'fees = fee rate × informed collateral');
  });

  it('noise demand falls as the fee rises and rises with depth', () => {
    const filled = (fee: number, multiple: number) => {
      const cfg = resolveTraders({ informedRate: 0 });
      const stats = newFlowStats();
      const rng = new Rng(5);
      let volume = 0;
      for (let i = 0; i < 300; i++) {
        const pool = { yes: 100 * multiple, no: 100 * multiple };
        tradeStep(rng, pool, 0.5, 0.5, fee, multiple, cfg, stats);
        volume += stats.volume;
      }
      return volume;
    };
    assert.ok(filled(0.01, 1) > 1.5 * filled(0.06, 1), 'a 6 % fee fills far less noise volume than 1 %');
    assert.ok(filled(0.03, 4) > 1.5 * filled(0.03, 1), 'a 4× deeper pool fills far more noise volume');
  });

  it('normalCdf matches reference values in the body and both tails', () => {
    const ref: [number, number][] = [[0, 0.5], [1, 0.8413447460685429], [-1, 0.15865525393145705], [1.96, 0.9750021048517795],
      [-3, 0.0013498980316300957], [-6, 9.865876450377012e-10], [-10, 7.619853024160593e-24]];
    for (const [z, v] of ref) assert.ok(Math.abs(normalCdf(z) / v - 1) < 1e-12, `Φ(${z}) = ${normalCdf(z)}`);
  });

  it('the event probability is a martingale that resolves to the sign of the latent path', () => {
    const rng = new Rng(11);
    const ev = new BinaryEvent();
    let q0 = 0;
    let wins = 0;
    const n = 4000;
    for (let e = 0; e < n; e++) {
      ev.reset(rng, 0.7);
      q0 += ev.probability;
      for (let i = 1; i <= 10; i++) ev.advance(rng, (10 - i) / 10);
      assert.ok(ev.probability === (ev.latent > 0 ? 1 : 0), 'the event resolves to the sign of the latent path');
      wins += ev.probability;
    }
    // E[outcome] = E[q0]: binomial standard error below 0.008 at n = 4000
    assert.ok(Math.abs(wins / n - q0 / n) < 0.03, `${wins / n} vs ${q0 / n}`);
  });
});
