import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Discrete, Rng, TimeLimit, InvalidObservationError, DammGymError } from '../env/core/index.js';
import {
  QLearningAgent,
  Q_LEARNING_DEFAULTS,
  RandomPolicy,
  trainQLearning,
  epsilonAt,
  AgentConfigError,
  UnsupportedSpaceError,
  TableIndexError,
  type QEpisodeStats,
} from '../agents/index.js';
import { evaluatePolicies } from '../training/evaluate.js';
import { ChainEnv, LoopEnv, cartPole, discreteCartPole } from './agents-fixtures.js';

test('defaults are the documented CleanRL-style values', () => {
  assert.deepEqual({ ...Q_LEARNING_DEFAULTS }, {
    gamma: 0.99,
    learningRateSchedule: 'constant',
    learningRate: 0.1,
    visitCountOmega: 0.8,
    epsilonSchedule: 'linear',
    epsilonStart: 1,
    epsilonEnd: 0.05,
    explorationFraction: 0.5,
    initialValue: 0,
    seed: 1,
  });
  assert.ok(Object.isFrozen(Q_LEARNING_DEFAULTS));
});

test('the update is Q += α[r + γ·(terminated ? 0 : max Q(s′)) − Q]', () => {
  const agent = new QLearningAgent({ nStates: 2, nActions: 2 }, { gamma: 0.9, learningRate: 0.5 });
  agent.q.set([0, 0, 2, 3]);
  const td = agent.update(0, 1, 1, 1, false); // target 1 + 0.9·3 = 3.7
  assert.equal(td, 3.7);
  assert.equal(agent.qValue(0, 1), 1.85);
  agent.update(0, 0, 1, 1, true); // no bootstrap: target 1
  assert.equal(agent.qValue(0, 0), 0.5);
  assert.deepEqual(Array.from(agent.visits), [1, 1, 0, 0]);
});

test('visit-count step size α = 1/(1+n)^ω', () => {
  const agent = new QLearningAgent({ nStates: 1, nActions: 1 }, { learningRateSchedule: 'visit-count', visitCountOmega: 1, initialValue: 100 });
  assert.equal(agent.learningRate(0, 0), 1);
  agent.update(0, 0, 4, 0, true); // α = 1: the first target replaces the optimistic value
  assert.equal(agent.qValue(0, 0), 4);
  assert.equal(agent.learningRate(0, 0), 0.5);
  agent.update(0, 0, 8, 0, true);
  assert.equal(agent.qValue(0, 0), 6); // ω = 1: the running mean of the targets
  const w = new QLearningAgent({ nStates: 1, nActions: 1 }, { learningRateSchedule: 'visit-count', visitCountOmega: 0.8 });
  w.update(0, 0, 0, 0, true);
  w.update(0, 0, 0, 0, true);
  assert.equal(w.learningRate(0, 0), 3 ** -0.8);
});

test('training bootstraps on truncation and not on termination', () => {
  // Every step is cut by a 1-step time limit: Q → 1 + γQ → 1/(1−γ) = 2 with γ = 0.5.
  const truncating = trainQLearning(new TimeLimit(new LoopEnv(false), 1), { gamma: 0.5, learningRate: 0.5 }, { episodes: 200 });
  assert.ok(Math.abs(truncating.agent.qValue(0, 0) - 2) < 1e-9, String(truncating.agent.qValue(0, 0)));
  // The same rewards with a terminal step: Q → 1.
  const terminating = trainQLearning(new LoopEnv(true), { gamma: 0.5, learningRate: 0.5 }, { episodes: 200 });
  assert.ok(Math.abs(terminating.agent.qValue(0, 0) - 1) < 1e-9);
  // maxStepsPerEpisode is a truncation too.
  const capped = trainQLearning(new LoopEnv(false), { gamma: 0.5, learningRate: 0.5 }, { episodes: 20, maxStepsPerEpisode: 10 });
  assert.deepEqual(capped.lengths, new Array(20).fill(10));
  assert.ok(Math.abs(capped.agent.qValue(0, 0) - 2) < 1e-9);
});

test('Q converges to the known optimal values on a deterministic chain', () => {
  const env = new ChainEnv(5);
  const gamma = 0.9;
  for (const config of [
    { gamma, learningRate: 0.5, epsilonEnd: 0.3 },
    { gamma, learningRateSchedule: 'visit-count' as const, visitCountOmega: 0.6, epsilonEnd: 0.3, seed: 4 },
    { gamma, learningRate: 0.5, epsilonSchedule: 'exponential' as const, epsilonEnd: 0.2, initialValue: 2 },
  ]) {
    const { agent, returns } = trainQLearning(env, config, { episodes: 3000 });
    const tol = config.learningRateSchedule === 'visit-count' ? 1e-3 : 1e-9;
    for (let s = 0; s < 4; s++) {
      for (let a = 0; a < 2; a++) {
        const err = Math.abs(agent.qValue(s, a) - env.optimalQ(gamma, s, a));
        assert.ok(err < tol, `${JSON.stringify(config)}: Q(${s},${a}) = ${agent.qValue(s, a)}, Q* = ${env.optimalQ(gamma, s, a)}`);
      }
      assert.equal(agent.act(s), 1); // always move right
    }
    assert.equal(returns.length, 3000);
    assert.ok(returns.every((r) => r === 1));
    const cov = agent.coverage();
    // The terminal state is reached but never updated from.
    assert.equal(cov.visitedStates, 4);
    assert.equal(cov.visitedStateFraction, 0.8);
    assert.equal(cov.visitedPairs, 8);
    assert.equal(cov.visitedPairFraction, 0.8);
    assert.equal(cov.pairs, 10);
    assert.ok(cov.minVisits > 0 && cov.maxVisits >= cov.minVisits);
  }
});

test('greedy ties go to the lowest index; training ties are broken by the rng', () => {
  const agent = new QLearningAgent({ nStates: 1, nActions: 4 });
  assert.equal(agent.act(0), 0);
  agent.q.set([0, 5, 5, 1]);
  assert.equal(agent.greedyAction(0), 1);
  const rng = new Rng(0);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 2000; i++) counts[agent.selectAction(0, 0, rng)]!++;
  assert.equal(counts[0], 0);
  assert.equal(counts[3], 0);
  assert.ok(counts[1]! > 900 && counts[2]! > 900, String(counts));
  // ε = 1 is uniform over all actions.
  const all = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) all[agent.selectAction(0, 1, rng)]!++;
  assert.ok(all.every((c) => c > 850), String(all));
});

test('ε schedules: linear (CleanRL) and exponential reach epsilonEnd after explorationFraction of the episodes', () => {
  assert.equal(epsilonAt('linear', 1, 0.05, 50, 0), 1);
  assert.equal(epsilonAt('linear', 1, 0.05, 50, 25), 0.525);
  assert.equal(epsilonAt('linear', 1, 0.05, 50, 50), 0.05);
  assert.equal(epsilonAt('linear', 1, 0.05, 50, 99), 0.05);
  assert.ok(Math.abs(epsilonAt('exponential', 1, 0.05, 50, 25) - Math.sqrt(0.05)) < 1e-15);
  assert.equal(epsilonAt('exponential', 1, 0.05, 0, 0), 0.05);
  const seen: QEpisodeStats[] = [];
  trainQLearning(new ChainEnv(3), { explorationFraction: 0.5 }, { episodes: 10, onEpisode: (s) => seen.push(s) });
  assert.deepEqual(seen.map((s) => s.episode), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const expected = [1, 0.81, 0.62, 0.43, 0.24, 0.05, 0.05, 0.05, 0.05, 0.05];
  seen.forEach((s, i) => assert.ok(Math.abs(s.epsilon - expected[i]!) < 1e-12, `episode ${i}: ε = ${s.epsilon}`));
  assert.ok(seen.every((s) => s.terminated && !s.truncated));
});

test('config and spaces are validated with typed errors', () => {
  assert.throws(() => new QLearningAgent({ nStates: 2, nActions: 2 }, { gama: 0.9 } as never), (e: unknown) => e instanceof AgentConfigError && /gama: expected no such field; allowed: gamma/.test(e.message));
  assert.throws(() => new QLearningAgent({ nStates: 2, nActions: 2 }, { gamma: 1.5 }), /QLearningConfig\.gamma: expected a discount factor in \[0, 1\], got 1.5/);
  assert.throws(() => new QLearningAgent({ nStates: 2, nActions: 2 }, { epsilonSchedule: 'exponential', epsilonEnd: 0 }), /epsilonEnd/);
  assert.throws(() => new QLearningAgent({ nStates: 2, nActions: 2 }, { visitCountOmega: 0.5 }), /visitCountOmega/);
  assert.throws(() => new QLearningAgent({ nStates: 2, nActions: 2 }, { initialValue: Infinity }), /initialValue/);
  assert.throws(() => new QLearningAgent({ nStates: 0, nActions: 2 }), /nStates/);
  assert.throws(
    () => trainQLearning(cartPole(), {}, { episodes: 1 }),
    (e: unknown) =>
      e instanceof UnsupportedSpaceError && e instanceof DammGymError && e.which === 'observation' && /Box\(.*\).*expected Discrete\(n\).*DiscretizeObservation/.test(e.message),
  );
  assert.throws(() => QLearningAgent.forSpaces(new Discrete(3), new Box(-1, 1, [1])), /unsupported action space Box.*DiscretizeAction/);
  assert.throws(() => trainQLearning(new ChainEnv(), {}, { episodes: -1 }), /episodes/);
  const agent = new QLearningAgent({ nStates: 2, nActions: 2 });
  assert.throws(() => agent.act(2), InvalidObservationError);
  assert.throws(() => agent.act(0.5), /observation 0.5 is not in Discrete\(2\)/);
  assert.throws(() => agent.update(0, 7, 0, 0, false), TableIndexError);
});

test('Discrete spaces with a start offset', () => {
  class Shifted extends ChainEnv {
    override readonly observationSpace = new Discrete(4, 10);
    override readonly actionSpace = new Discrete(2, -1);
    override reset(args?: { seed?: number }): [number, Record<string, unknown>] {
      const [o, i] = super.reset(args);
      return [o + 10, i];
    }
    override step(action: number): [number, number, boolean, boolean, Record<string, unknown>] {
      const r = super.step(action + 1);
      return [r[0] + 10, r[1], r[2], r[3], r[4]];
    }
  }
  const { agent } = trainQLearning(new Shifted(4), { gamma: 0.9, learningRate: 0.5 }, { episodes: 500 });
  assert.equal(agent.act(10), 0); // "right" is action 0 in Discrete(2, start=-1)
  assert.ok(Math.abs(agent.qValue(12, 0) - 1) < 1e-9);
});

test('training is bit-reproducible given the seed', () => {
  const run = (seed: number) => trainQLearning(discreteCartPole(), { seed }, { episodes: 300 });
  const a = run(7);
  const b = run(7);
  assert.deepEqual(Buffer.from(a.agent.q.buffer), Buffer.from(b.agent.q.buffer));
  assert.deepEqual(a.agent.visits, b.agent.visits);
  assert.deepEqual(a.returns, b.returns);
  assert.deepEqual(a.lengths, b.lengths);
  const c = run(8);
  assert.notDeepEqual(c.returns, a.returns);
});

test('CartPole-v1 through DiscretizeObservation: the greedy policy clearly beats random', () => {
  const { agent, returns } = trainQLearning(discreteCartPole(), {}, { episodes: 3000 });
  const cov = agent.coverage();
  assert.ok(cov.visitedStateFraction > 0.3 && cov.visitedStateFraction <= 1, JSON.stringify(cov));
  assert.equal(cov.updates, returns.reduce((a, b) => a + b, 0)); // one update per step, reward 1 per step
  const env = discreteCartPole();
  const evaluation = evaluatePolicies(discreteCartPole, [agent, new RandomPolicy(env.actionSpace)], { seeds: Array.from({ length: 20 }, (_, i) => 10_000 + i) });
  const [q, random] = evaluation.policies;
  // Random balances ~22 steps; Q-learning reaches several hundred with these bins (500 on most seeds).
  assert.ok(random!.iqm < 40, `random IQM ${random!.iqm}`);
  assert.ok(q!.iqm > 150, `q-learning IQM ${q!.iqm}`);
  assert.ok(q!.ci95[0] > random!.ci95[1], `CIs overlap: ${q!.ci95} vs ${random!.ci95}`);
});
