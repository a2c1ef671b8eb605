/**
 * The empirical MDP (source §2.2.2): transitions from curve records, the estimated model and its
 * prior, value iteration at the Bellman fixed point, Q-learning on the model agreeing with it, and
 * the 'empirical-q' policy's mapping onto drift-vamm's actions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Rng } from '../env/core/rng.js';
import { InvalidObservationError } from '../env/core/errors.js';
import { make } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import type { CurveRecord } from '../data/drift-v1/curveHistory.js';
import { UnexpectedCurveRecordError } from '../data/errors.js';
import {
  CURVE_ACTION_CLASSES, curveActionClass, curveTransitions, defaultExcludedRecords, transitionReward,
} from '../data/drift-v1/transitions.js';
import { AgentConfigError, PolicyFileError, loadPolicy, savePolicy } from '../agents/index.js';
import {
  EMPIRICAL_ACTION_CLASSES, EmpiricalQPolicy, ImbalanceBins, bellmanQ, estimateModel, greedyPolicy, modelQLearning,
  policyValue, valueIteration, type TabularMdp, type TransitionSample,
} from '../agents/empirical/index.js';

const E13 = 10_000_000_000_000n;

/** A curve record in raw units; `peg`/`k` are before→after, tfmd is the value after the adjustment. */
function record(id: number, o: {
  market?: number; ts?: number; peg?: [number, number]; k?: [number, number]; d?: number;
  totalFee?: number; tfmd?: number; cost?: number;
}): CurveRecord {
  const [p0, p1] = o.peg ?? [100_000, 100_000];
  const [k0, k1] = o.k ?? [1000, 1000];
  return {
    ts: o.ts ?? 1_640_000_000 + id * 3600, recordId: BigInt(id), marketIndex: o.market ?? 0,
    pegMultiplierBefore: BigInt(p0), pegMultiplierAfter: BigInt(p1),
    baseAssetReserveBefore: BigInt(k0) * E13, quoteAssetReserveBefore: BigInt(k0) * E13, sqrtKBefore: BigInt(k0) * E13,
    baseAssetReserveAfter: BigInt(k1) * E13, quoteAssetReserveAfter: BigInt(k1) * E13, sqrtKAfter: BigInt(k1) * E13,
    baseAssetAmountLong: 0n, baseAssetAmountShort: 0n, baseAssetAmount: BigInt(Math.round((o.d ?? 0) * 1e13)),
    openInterest: 1n, totalFee: BigInt(o.totalFee ?? 0), totalFeeMinusDistributions: BigInt(o.tfmd ?? 0),
    adjustmentCost: BigInt(o.cost ?? 0), scrapedAt: null,
  };
}

describe('curve transitions', () => {
  it('classify each record by what changed, in the order the agents use', () => {
    assert.deepEqual([...CURVE_ACTION_CLASSES], [...EMPIRICAL_ACTION_CLASSES]);
    assert.equal(curveActionClass(record(1, { peg: [100, 101] })), 'repeg-up');
    assert.equal(curveActionClass(record(1, { peg: [100, 99] })), 'repeg-down');
    assert.equal(curveActionClass(record(1, { k: [100, 110] })), 'k-up');
    assert.equal(curveActionClass(record(1, { k: [100, 90] })), 'k-down');
    assert.equal(curveActionClass(record(1, {})), 'hold');
  });

  it('reward is tfmd before the next action minus tfmd before this one, split into fees, cost and the rest', () => {
    // record 1 pays 2 USD for k 1000→1100; until record 2 fees bring 10 USD and funding costs 3 USD
    const r1 = record(1, { k: [1000, 1100], d: 50, totalFee: 100e6, tfmd: 80e6 - 2e6, cost: 2e6, ts: 1000 });
    const r2 = record(2, { k: [1100, 1100], d: -22, totalFee: 110e6, tfmd: 80e6 - 2e6 + 10e6 - 3e6, cost: 0, ts: 1000 + 5400 });
    const { transitions, dropped } = curveTransitions([r2, r1]);
    assert.equal(transitions.length, 1);
    const t = transitions[0]!;
    assert.equal(t.action, 'k-up');
    assert.equal(t.rewardUsd, 10 - 2 - 3);
    assert.equal(t.feesUsd, 10);
    assert.equal(t.adjustmentCostUsd, 2);
    assert.equal(t.otherUsd, -3);
    assert.equal(t.dtHours, 1.5);
    assert.equal(t.imbalance, 50 / 1000);
    assert.equal(t.nextImbalance, -22 / 1100);
    assert.equal(t.depthUsd, 1000 * 100); // sqrt_k 1000 base × peg 100 USD
    assert.ok(Math.abs(t.rewardDepthBps - (5 / 100_000) * 1e4) < 1e-12);
    assert.equal(transitionReward(t, 'usd'), 5);
    assert.ok(Math.abs(transitionReward(t, 'depth-bps-per-hour') - t.rewardDepthBps / 1.5) < 1e-12);
    assert.deepEqual(dropped, [{ recordId: 2n, marketIndex: 0, reason: 'last-of-market' }]);
  });

  it('pair records within a market only, drop excluded records both ways and report gaps', () => {
    const records = [
      record(95, { market: 3 }), record(96, { market: 3, k: [1000, 100] }), record(97, { market: 3, k: [100, 100] }),
      record(101, { market: 0, k: [1000, 1010] }), record(102, { market: 1 }), record(103, { market: 0, k: [1010, 1020] }),
      record(104, { market: 0, k: [1030, 1040] }), // before-k 1030 ≠ 1020: a record is missing in between
    ];
    const { transitions, dropped } = curveTransitions(records);
    assert.deepEqual(transitions.map((t) => [t.recordId, t.nextRecordId]), [[101n, 103n]]);
    const reasons = Object.fromEntries(dropped.map((d) => [String(d.recordId), d.reason]));
    assert.deepEqual(reasons, { 95: 'excluded', 96: 'excluded', 97: 'last-of-market', 102: 'last-of-market', 103: 'gap', 104: 'last-of-market' });
    assert.deepEqual(defaultExcludedRecords(records), [96n]); // the 10× k cut (outliers.ts: large-k-change)
    const kept = curveTransitions(records, { excludeRecordIds: [], markets: [3] });
    assert.deepEqual(kept.transitions.map((t) => t.recordId), [95n, 96n]);
  });

  it('a record with sqrt_k or peg 0 is an error naming it', () => {
    assert.throws(() => curveTransitions([record(7, { k: [0, 0] }), record(8, { k: [0, 0] })]), (e: unknown) =>
      e instanceof UnexpectedCurveRecordError && /curve record 7 \(market 0\): sqrt_k_before 0/.test(e.message));
  });
});

describe('imbalance bins', () => {
  it('are equal-width over [-range, range] with edge bins catching the rest', () => {
    const b = new ImbalanceBins({ bins: 4, range: 0.1 });
    assert.deepEqual([-5, -0.1, -0.06, -0.04, 0, 0.049, 0.05, 0.1, 3].map((x) => b.index(x)), [0, 0, 0, 1, 2, 2, 3, 3, 3]);
    assert.deepEqual(b.interval(0), [-Infinity, -0.05]);
    assert.equal(b.label(2), '[0.000, 0.050)');
    assert.throws(() => b.index(NaN), InvalidObservationError);
    assert.throws(() => new ImbalanceBins({ bins: 0 }), AgentConfigError);
    assert.throws(() => new ImbalanceBins({ range: -1 }), AgentConfigError);
  });
});

/** A random MDP with every action available. */
function randomMdp(rng: Rng, S: number, A: number): TabularMdp {
  const transition = new Float64Array(S * A * S);
  const reward = new Float64Array(S * A);
  for (let i = 0; i < S * A; i++) {
    let total = 0;
    for (let s2 = 0; s2 < S; s2++) total += transition[i * S + s2] = rng.random() ** 3;
    for (let s2 = 0; s2 < S; s2++) transition[i * S + s2]! /= total;
    reward[i] = rng.normal(0, 1);
  }
  return { nStates: S, nActions: A, transition, reward, available: new Array<boolean>(S * A).fill(true) };
}

function sampleFrom(mdp: TabularMdp, rewardStd: number, n: number, rng: Rng): TransitionSample[] {
  const { nStates: S, nActions: A } = mdp;
  const out: TransitionSample[] = [];
  for (let k = 0; k < n; k++) {
    const state = rng.integers(S);
    const action = rng.integers(A);
    const i = state * A + action;
    let u = rng.random();
    let nextState = 0;
    while (nextState < S - 1 && u >= mdp.transition[i * S + nextState]!) u -= mdp.transition[i * S + nextState++]!;
    out.push({ state, action, reward: rng.normal(mdp.reward[i]!, rewardStd), nextState });
  }
  return out;
}

describe('estimated model', () => {
  it('recovers a known P and R from samples drawn from it, and the same optimal policy', () => {
    const rng = new Rng(7);
    const truth = randomMdp(rng, 4, 3);
    const samples = sampleFrom(truth, 0.5, 60_000, rng);
    const model = estimateModel(samples, { nStates: 4, nActions: 3, priorStrength: 0 });
    let maxP = 0;
    let maxR = 0;
    for (let i = 0; i < truth.transition.length; i++) maxP = Math.max(maxP, Math.abs(model.transition[i]! - truth.transition[i]!));
    for (let i = 0; i < truth.reward.length; i++) maxR = Math.max(maxR, Math.abs(model.reward[i]! - truth.reward[i]!));
    assert.ok(maxP < 0.03, `max |P̂ − P| ${maxP}`);
    assert.ok(maxR < 0.05, `max |R̂ − R| ${maxR}`);
    assert.ok(model.sampleVariance.every((v) => Math.abs(v - 0.25) < 0.05), 'reward variance ≈ 0.5²');
    assert.equal(model.counts.reduce((a, b) => a + b, 0), 60_000);
    // the greedy policy of the estimate is the true one wherever the true optimum is clear, and near-optimal everywhere
    const best = valueIteration(truth, { gamma: 0.9 });
    const hat = valueIteration(model, { gamma: 0.9 });
    let clear = 0;
    for (let s = 0; s < 4; s++) {
      const row = [...best.q.subarray(s * 3, s * 3 + 3)].sort((x, y) => y - x);
      if (row[0]! - row[1]! < 0.2) continue;
      clear++;
      assert.equal(hat.policy[s], best.policy[s], `state ${s}`);
    }
    assert.ok(clear >= 2, `only ${clear} states with a clear optimum`);
    policyValue(truth, hat.policy, 0.9).forEach((v, s) => assert.ok(v >= best.values[s]! - 0.2, `state ${s}: ${v} vs V* ${best.values[s]}`));
  });

  it('fills thin pairs from the state-pooled transitions and the action-pooled reward', () => {
    // state 0: action 0 three times to state 1 (r = 3); action 1 once at state 1 to state 0 (r = -1)
    const samples: TransitionSample[] = [
      { state: 0, action: 0, reward: 3, nextState: 1 }, { state: 0, action: 0, reward: 3, nextState: 1 },
      { state: 0, action: 0, reward: 3, nextState: 1 }, { state: 1, action: 1, reward: -1, nextState: 0, dtHours: 2 },
    ];
    const m = estimateModel(samples, { nStates: 2, nActions: 3, priorStrength: 1 });
    // global: N(s'=0) = 1, N(s'=1) = 3 → ((1 + .5)/5, (3 + .5)/5); state 0 pooled = (0 + .3)/4, (3 + .7)/4
    const g = [1.5 / 5, 3.5 / 5];
    const p0 = [(0 + g[0]!) / 4, (3 + g[1]!) / 4];
    assert.ok(Math.abs(m.transition[(0 * 3 + 1) * 2 + 0]! - p0[0]!) < 1e-12, 'unseen (0, 1) takes state 0’s pooled row');
    assert.ok(Math.abs(m.transition[(0 * 3 + 0) * 2 + 1]! - (3 + p0[1]!) / 4) < 1e-12);
    assert.equal(m.reward[0 * 3 + 1], -1, 'unseen (0, 1) takes action 1’s mean');
    assert.equal(m.reward[0 * 3 + 0], (9 + 3) / 4);
    assert.equal(m.meanDtHours[1 * 3 + 1], 2);
    assert.ok(Number.isNaN(m.sampleMean[1 * 3 + 0]!));
    // action 2 never observed: never available; observed support: a state offers what was seen in it
    assert.deepEqual(m.available, [true, false, false, false, true, false]);
    const any = estimateModel(samples, { nStates: 2, nActions: 3, support: 'any' });
    assert.deepEqual(any.available, [true, true, false, true, true, false]);
    const mle = estimateModel(samples, { nStates: 2, nActions: 3, priorStrength: 0 });
    assert.deepEqual(Array.from(mle.transition.subarray(0, 2)), [0, 1]);
    assert.throws(() => estimateModel([{ state: 2, action: 0, reward: 0, nextState: 0 }], { nStates: 2, nActions: 1 }), /samples\[0\]\.state/);
    assert.throws(() => estimateModel(samples, { nStates: 2, nActions: 3, priorStrength: -1 }), AgentConfigError);
  });
});

/**
 * Two states, γ 0.9. In state 0 'stay' earns 1 forever (V 10) while 'go' earns 0 now and reaches
 * state 1, where 'stay' earns 2 forever (V 20): go is worth 0.9·20 = 18 > 10. Optimum: [go, stay],
 * V* = [18, 20].
 */
function twoStateMdp(): TabularMdp {
  return {
    nStates: 2, nActions: 2,
    transition: Float64Array.of(1, 0, 0, 1, 0, 1, 1, 0), // (0,stay)→0, (0,go)→1, (1,stay)→1, (1,go)→0
    reward: Float64Array.of(1, 0, 2, 0),
    rewardStd: Float64Array.of(1, 1, 1, 1),
    available: [true, true, true, true],
  };
}

describe('value iteration', () => {
  it('finds the known optimum of a two-state chain', () => {
    const vi = valueIteration(twoStateMdp(), { gamma: 0.9 });
    assert.deepEqual(vi.policy, [1, 0]);
    assert.ok(vi.converged);
    assert.ok(Math.abs(vi.values[0]! - 18) < 1e-8 && Math.abs(vi.values[1]! - 20) < 1e-8, String(vi.values));
  });

  it('converges to the Bellman fixed point, which is the exact value of its greedy policy and beats every other policy', () => {
    const mdp = randomMdp(new Rng(11), 5, 3);
    const gamma = 0.95;
    const vi = valueIteration(mdp, { gamma, tolerance: 1e-12 });
    assert.ok(vi.converged && vi.residual < 1e-10, `residual ${vi.residual}`);
    const backed = bellmanQ(mdp, vi.values, gamma);
    for (let s = 0; s < 5; s++) assert.ok(Math.abs(Math.max(...backed.subarray(s * 3, s * 3 + 3)) - vi.values[s]!) < 1e-10);
    const exact = policyValue(mdp, vi.policy, gamma);
    exact.forEach((v, s) => assert.ok(Math.abs(v - vi.values[s]!) < 1e-8, `state ${s}: ${v} vs ${vi.values[s]}`));
    for (let code = 0; code < 3 ** 5; code++) {
      const policy = Array.from({ length: 5 }, (_, s) => Math.floor(code / 3 ** s) % 3);
      const v = policyValue(mdp, policy, gamma);
      v.forEach((x, s) => assert.ok(x <= vi.values[s]! + 1e-8, `policy ${policy} beats VI in state ${s}`));
    }
  });

  it('never picks an unavailable pair, and rejects γ ≥ 1 and states without actions', () => {
    const mdp = { ...twoStateMdp(), available: [true, false, true, true] };
    const vi = valueIteration(mdp, { gamma: 0.9 });
    assert.deepEqual(vi.policy, [0, 0]);
    assert.equal(vi.q[1], -Infinity);
    assert.throws(() => valueIteration(mdp, { gamma: 1 }), /gamma/);
    assert.throws(() => valueIteration({ ...mdp, available: [false, false, true, true] }, { gamma: 0.5 }), /state 0/);
    assert.deepEqual(greedyPolicy([1, 1, 0, 2], 2, 2), [0, 1]);
  });
});

describe('Q-learning on the model', () => {
  it('agrees with value iteration on the two-state chain despite noisy rewards, and repeats bit for bit', () => {
    const a = modelQLearning(twoStateMdp(), { gamma: 0.9, sweeps: 20_000, rng: new Rng(3) });
    assert.deepEqual(a.policy, [1, 0]);
    assert.ok(Math.abs(a.q[1]! - 18) < 0.5 && Math.abs(a.q[2]! - 20) < 0.5, String(a.q));
    const b = modelQLearning(twoStateMdp(), { gamma: 0.9, sweeps: 20_000, rng: new Rng(3) });
    assert.deepEqual(Array.from(b.q), Array.from(a.q));
    assert.equal(a.updates, 20_000 * 4);
  });

  it('matches value iteration on random models wherever the best action leads by more than the noise', () => {
    const rng = new Rng(5);
    let compared = 0;
    for (let k = 0; k < 5; k++) {
      const mdp = { ...randomMdp(rng, 6, 3), rewardStd: new Float64Array(18).fill(0.3) };
      const vi = valueIteration(mdp, { gamma: 0.8 });
      const q = modelQLearning(mdp, { gamma: 0.8, sweeps: 20_000, rng: rng.spawn(1)[0]! });
      for (let s = 0; s < 6; s++) {
        const row = [...vi.q.subarray(s * 3, s * 3 + 3)].sort((x, y) => y - x);
        if (row[0]! - row[1]! < 0.1) continue;
        compared++;
        assert.equal(q.policy[s], vi.policy[s], `model ${k} state ${s}`);
      }
    }
    assert.ok(compared >= 20, `only ${compared} states had a clear optimum`);
  });
});

const MEANINGS = ['hold', 'repeg-oracle', 'repeg-half', 'k up 1%', 'k down 1%', 'formulaic'];

describe("the 'empirical-q' policy", () => {
  const classes = ['k-down', 'repeg-up', 'hold', 'repeg-down', 'k-up'] as const;
  const policy = new EmpiricalQPolicy({ bins: { bins: 5, range: 0.1 }, classes: [...classes] }, { actionMeanings: MEANINGS });

  it('maps each class to drift-vamm actions, repegging only toward the oracle', () => {
    const obs = (imb: number, gap: number) => Float32Array.of(imb, gap, 0, 0, 0);
    assert.equal(policy.act(obs(-0.5, 0)), 4); // k-down → 'k down 1%'
    assert.equal(policy.act(obs(-0.05, -0.01)), 1); // repeg-up with mark below oracle → repeg-oracle
    assert.equal(policy.act(obs(-0.05, 0.01)), 0); // repeg-up with mark above oracle → hold
    assert.equal(policy.act(obs(-0.05, 0)), 0);
    assert.equal(policy.act(obs(0, 0.3)), 0); // hold
    assert.equal(policy.act(obs(0.05, 0.01)), 1); // repeg-down with mark above oracle → repeg-oracle
    assert.equal(policy.act(obs(0.05, -0.01)), 0);
    assert.equal(policy.act(obs(0.9, 0)), 3); // k-up → 'k up 1%'
    assert.equal(policy.classOf(obs(0.9, 0)), 'k-up');
  });

  it('finds the first k action by name in an env built with other k steps, and acts there', () => {
    const env = make('drift-vamm-v0', { kDeltas: [0.02, 0.05] });
    const meanings = (env.unwrapped as unknown as { actionMeanings: string[] }).actionMeanings;
    assert.deepEqual(meanings, ['hold', 'repeg-oracle', 'repeg-half', 'k up 2%', 'k up 5%', 'k down 2%', 'k down 5%', 'formulaic']);
    const bound = policy.bindActionMeanings(meanings);
    assert.equal(bound.act(Float32Array.of(-0.5, 0)), 5);
    assert.equal(bound.act(Float32Array.of(0.5, 0)), 3);
    let [obs] = env.reset({ seed: 1 });
    for (let t = 0; t < 5; t++) [obs] = env.step(bound.act(obs as Float32Array));
    env.close();
    assert.throws(() => policy.bindActionMeanings(['left', 'right']), AgentConfigError);
  });

  it('paces itself: acts on the first step after reset and every n-th step, holds in between', () => {
    const paced = new EmpiricalQPolicy({ bins: { bins: 1, range: 0.1 }, classes: ['k-up'], actEvery: 3 }, { actionMeanings: MEANINGS });
    const o = Float32Array.of(0, 0);
    assert.deepEqual(Array.from({ length: 7 }, () => paced.act(o)), [3, 0, 0, 3, 0, 0, 3]);
    paced.reset();
    assert.equal(paced.act(o), 3);
    assert.throws(() => new EmpiricalQPolicy({ bins: { bins: 1, range: 0.1 }, classes: ['k-up'], actEvery: 0 }, { actionMeanings: MEANINGS }), /actEvery/);
  });

  it('rejects observations that are not drift-vamm’s and class lists that do not fit the bins', () => {
    assert.throws(() => policy.act(Float32Array.of(0.1)), InvalidObservationError);
    assert.throws(() => policy.act(Float32Array.of(NaN, 0)), InvalidObservationError);
    assert.throws(() => new EmpiricalQPolicy({ bins: { bins: 3, range: 0.1 }, classes: ['hold'] }, { actionMeanings: MEANINGS }), /classes/);
    assert.throws(() => new EmpiricalQPolicy({ bins: { bins: 1, range: 0.1 }, classes: ['sell' as never] }, { actionMeanings: MEANINGS }), /classes\[0\]/);
  });

  describe('saved and loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'damm-gym-empirical-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('round-trips through savePolicy/loadPolicy and acts the same', () => {
      const saved = new EmpiricalQPolicy(
        { bins: { bins: 5, range: 0.1 }, classes: [...classes], q: [1, null, 2, 3, 4], stateCounts: [1, 0, 2, 0, 3], actEvery: 2 },
        { actionMeanings: MEANINGS, name: 'empirical-q-TEST', config: { market: 'TEST' } },
      );
      const path = join(dir, 'policy.json');
      savePolicy(path, saved, { envId: null, envSpec: {} });
      const loaded = loadPolicy(path);
      assert.ok(loaded instanceof EmpiricalQPolicy);
      assert.equal(loaded.name, 'empirical-q-TEST');
      assert.equal(loaded.actEvery, 2);
      assert.deepEqual(loaded.config, { market: 'TEST', actionMeanings: MEANINGS });
      for (const imb of [-0.5, -0.05, 0, 0.05, 0.5]) {
        for (const gap of [-0.01, 0.01]) {
          saved.reset();
          loaded.reset();
          assert.equal(loaded.act(Float32Array.of(imb, gap)), saved.act(Float32Array.of(imb, gap)));
        }
      }
    });

    it('a corrupted file names the field and what is expected', () => {
      const path = join(dir, 'policy.json');
      const file = JSON.parse(readFileSync(path, 'utf8')) as { data: { classes: string[] }; config: { actionMeanings: unknown } };
      file.data.classes[1] = 'buy';
      writeFileSync(join(dir, 'bad-class.json'), JSON.stringify(file));
      assert.throws(() => loadPolicy(join(dir, 'bad-class.json')), (e: unknown) => e instanceof PolicyFileError && /data\.classes\[1\]/.test(e.message) && /"buy"/.test(e.message));
      file.data.classes[1] = 'hold';
      file.config.actionMeanings = ['left', 'right'];
      writeFileSync(join(dir, 'bad-meanings.json'), JSON.stringify(file));
      assert.throws(() => loadPolicy(join(dir, 'bad-meanings.json')), (e: unknown) => e instanceof PolicyFileError && /config\.actionMeanings/.test(e.message));
    });
  });
});
