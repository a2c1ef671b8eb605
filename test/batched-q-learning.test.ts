/**
 * Batched tabular Q-learning: B learners in one loop over a vector env give the Q tables, visit
 * counts, returns and lengths of B one-by-one `trainQLearning` runs, bit for bit — on drift-vamm-v0's
 * struct-of-arrays env (Box observations binned by the trainer) in both autoreset modes, with
 * terminations, with the maxStepsPerEpisode cap, and on a SyncVectorEnv of DiscretizeObservation envs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiscretizeObservation, make, makeVec, type Env } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { AgentConfigError, UnsupportedSpaceError } from '../agents/errors.js';
import { trainQLearning, type QEpisodeStats, type QLearningConfig } from '../agents/tabular/qLearning.js';
import { qLearningGrid, trainQLearningBatched, type BatchedQLearningResult } from '../agents/tabular/batchedQLearning.js';

const ID = 'drift-vamm-v0';
// DEFAULT_DISCRETIZATION['drift-vamm-v0'] (training/ is not imported from agents tests)
const BINS = { bins: [7, 7, 1, 3, 1], low: [-0.03, -0.02, 0, -0.3, 0], high: [0.03, 0.02, 1, 0.1, 1] };

function oneByOne(kwargs: Record<string, unknown>, config: Partial<QLearningConfig>, episodes: number, maxStepsPerEpisode?: number) {
  const env = new DiscretizeObservation(make(ID, kwargs) as unknown as Env<Float32Array, number>, BINS);
  const stats: QEpisodeStats[] = [];
  const result = trainQLearning(env, config, { episodes, maxStepsPerEpisode, onEpisode: (s) => stats.push(s) });
  return { ...result, stats };
}

function assertSameAsOneByOne(res: BatchedQLearningResult, stats: QEpisodeStats[][], kwargs: Record<string, unknown>, configs: Partial<QLearningConfig>[], episodes: number, maxStepsPerEpisode?: number): void {
  configs.forEach((config, b) => {
    const one = oneByOne(kwargs, config, episodes, maxStepsPerEpisode);
    assert.deepEqual(res.returns[b], one.returns, `learner ${b} returns`);
    assert.deepEqual(res.lengths[b], one.lengths, `learner ${b} lengths`);
    assert.deepEqual(stats[b], one.stats, `learner ${b} episode stats`);
    assert.deepEqual(res.agents[b]!.q, one.agent.q, `learner ${b} Q table`);
    assert.deepEqual(res.agents[b]!.visits, one.agent.visits, `learner ${b} visits`);
    assert.deepEqual(res.agents[b]!.config, one.agent.config, `learner ${b} config`);
  });
}

describe('trainQLearningBatched', () => {
  const configs = [
    ...qLearningGrid({ learningRate: [0.05, 0.2], epsilonSchedule: ['linear', 'exponential'] }, [1, 2], { gamma: 0.999 }),
    { seed: 9, learningRateSchedule: 'visit-count' as const, visitCountOmega: 0.7, initialValue: 5 },
    { seed: 10, gamma: 0.9, epsilonStart: 0.3, epsilonEnd: 0.3 },
  ];

  it('equals one-by-one trainQLearning on the struct-of-arrays env, next-step and same-step autoreset', () => {
    const kwargs = { maxEpisodeSteps: 150 };
    for (const autoresetMode of ['next-step', 'same-step'] as const) {
      const venv = make(ID, { ...kwargs, numEnvs: configs.length, autoresetMode });
      const stats: QEpisodeStats[][] = configs.map(() => []);
      const res = trainQLearningBatched(venv, configs, { episodes: 5, discretization: BINS, onEpisode: (b, s) => stats[b]!.push(s) });
      assert.equal(res.transitions, configs.length * 5 * 150);
      assert.equal(res.vectorSteps, autoresetMode === 'same-step' ? 5 * 150 : 5 * 150 + 4);
      assert.equal(res.q.length, configs.length * 49 * 3 * 6);
      assertSameAsOneByOne(res, stats, kwargs, configs, 5);
    }
  });

  it('equals one-by-one runs when episodes terminate at different times, and with the maxStepsPerEpisode cap', () => {
    const terminating = { oracle: { kind: 'gbm', volatility: 6 }, maxDivergence: 0.03, maxEpisodeSteps: 300 };
    const cs = configs.slice(0, 5);
    const stats: QEpisodeStats[][] = cs.map(() => []);
    const res = trainQLearningBatched(make(ID, { ...terminating, numEnvs: cs.length }), cs, { episodes: 6, discretization: BINS, onEpisode: (b, s) => stats[b]!.push(s) });
    assert.ok(stats.flat().some((s) => s.terminated), 'some episode terminated');
    assert.ok(new Set(res.lengths.flat()).size > 3, 'episode lengths differ');
    assertSameAsOneByOne(res, stats, terminating, cs, 6);

    const capStats: QEpisodeStats[][] = cs.map(() => []);
    const capped = trainQLearningBatched(make(ID, { numEnvs: cs.length }), cs, {
      episodes: 3, discretization: BINS, maxStepsPerEpisode: 77, onEpisode: (b, s) => capStats[b]!.push(s),
    });
    assert.deepEqual(capped.lengths, cs.map(() => [77, 77, 77]));
    assertSameAsOneByOne(capped, capStats, {}, cs, 3, 77);
  });

  it('takes Discrete observations from a SyncVectorEnv of DiscretizeObservation envs (both autoreset modes)', () => {
    const cs = configs.slice(3, 7);
    const kwargs = { maxEpisodeSteps: 80 };
    for (const autoresetMode of ['next-step', 'same-step'] as const) {
      const venv = makeVec(ID, cs.length, {
        ...kwargs, vectorizationMode: 'sync', autoresetMode,
        wrappers: [(e) => new DiscretizeObservation(e as unknown as Env<Float32Array, number>, BINS) as unknown as Env<unknown, unknown>],
      });
      const stats: QEpisodeStats[][] = cs.map(() => []);
      const res = trainQLearningBatched(venv as never, cs, { episodes: 4, onEpisode: (b, s) => stats[b]!.push(s) });
      assertSameAsOneByOne(res, stats, kwargs, cs, 4);
    }
  });

  it('returns untouched tables for zero episodes, and refuses what it cannot train with typed errors', () => {
    const zero = trainQLearningBatched(make(ID, { numEnvs: 2 }), [{ seed: 1, initialValue: 3 }, { seed: 2 }], { episodes: 0, discretization: BINS });
    assert.equal(zero.transitions, 0);
    assert.ok(zero.agents[0]!.q.every((v) => v === 3));
    const venv = make(ID, { numEnvs: 2 });
    assert.throws(() => trainQLearningBatched(venv, [{ seed: 1 }], { episodes: 1, discretization: BINS }), (e: unknown) => e instanceof AgentConfigError && /one learner per sub-env: 2 configs/.test(e.message));
    assert.throws(() => trainQLearningBatched(venv, [{}, {}], { episodes: 1 }), (e: unknown) => e instanceof UnsupportedSpaceError && /Box with options.discretization/.test(e.message));
    assert.throws(() => trainQLearningBatched(venv, [{ gamma: 2 }, {}], { episodes: 1, discretization: BINS }), /gamma: expected a discount factor/);
    assert.throws(() => trainQLearningBatched(venv, [{}, {}], { episodes: -1, discretization: BINS }), AgentConfigError);
    assert.throws(() => trainQLearningBatched(venv, [{}, {}], { episodes: 1, discretization: { bins: 0 } }), /bins must be positive integers/);
    assert.throws(() => trainQLearningBatched(make(ID, { numEnvs: 2, autoresetMode: 'disabled' }), [{}, {}], { episodes: 1, discretization: BINS }), /autoresetMode: expected 'next-step' or 'same-step'/);
    assert.throws(() => trainQLearningBatched(make(ID, { numEnvs: 1, actionSpace: 'continuous' }), [{}], { episodes: 1, discretization: BINS }), UnsupportedSpaceError);
  });

  it('qLearningGrid builds the cartesian product, seeds fastest', () => {
    const grid = qLearningGrid({ gamma: [0.9, 0.99], learningRate: [0.1] }, [1, 2, 3], { initialValue: 1 });
    assert.equal(grid.length, 6);
    assert.deepEqual(grid[0], { initialValue: 1, gamma: 0.9, learningRate: 0.1, seed: 1 });
    assert.deepEqual(grid[5], { initialValue: 1, gamma: 0.99, learningRate: 0.1, seed: 3 });
    assert.throws(() => qLearningGrid({ gamma: [] }, [1]), AgentConfigError);
    assert.throws(() => qLearningGrid({}, []), AgentConfigError);
  });
});
