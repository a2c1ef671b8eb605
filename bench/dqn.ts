/**
 * DQN benchmarks on the tfjs backend `initTfjsBackend()` picks (wasm here; TFJS_BACKEND=cpu to
 * compare), rates as in measure.ts (best of 5 rounds of ≥ 300 ms after a warm-up):
 * - dqn.updatesPerSec: one gradient update of the SB3 network (8 → 64 → 64 → 5, ReLU), batch 64:
 *   replay sampling, target network forward, Huber loss, gradients, global-norm clipping at 10 and
 *   an Adam step (target ≥ 500/s on wasm; rl-conventions.md §0 measured 578/s for the same shape);
 * - dqn.updatesPerSec.256x256: the same with the RL Zoo CartPole network [256, 256];
 * - dqn.actionsPerSec: greedy actions of 256 observations per network call, counted per observation;
 * - dqn.batch1ActionsPerSec: greedy action of one observation per call (what ε-greedy collection
 *   and evaluation do each env step);
 * - dqn.cartpole.trainStepsPerSec: a whole `trainDqn` run on CartPole-v1 with SB3's defaults
 *   (5000 env steps, training from step 100 every 4 steps), env steps per second.
 */
import { initTfjsBackend } from '../agents/deep/backend.js';
import { DqnAgent, trainDqn } from '../agents/deep/dqn.js';
import { Box } from '../env/core/spaces/box.js';
import { Discrete } from '../env/core/spaces/discrete.js';
import { Rng } from '../env/core/rng.js';
import { make } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { opsPerSecond, sig3 } from './measure.js';

/** An agent whose replay buffer holds `n` random transitions of 8-dim observations and 5 actions. */
function filledAgent(netArch: number[], n: number): DqnAgent {
  const agent = DqnAgent.create(new Box(-1, 1, [8]), new Discrete(5), { netArch, batchSize: 64, seed: 0 }, n);
  const rng = new Rng(1);
  const obs = new Float32Array(8);
  const next = new Float32Array(8);
  for (let i = 0; i < n; i++) {
    rng.fillUniform(obs, -1, 1);
    rng.fillUniform(next, -1, 1);
    agent.buffer.add(obs, next, rng.integers(0, 5), rng.normal(), rng.random() < 0.01, rng.random() < 0.01);
  }
  return agent;
}

export async function benchDqn(): Promise<Record<string, number>> {
  await initTfjsBackend();
  const out: Record<string, number> = {};

  const agent = filledAgent([64, 64], 10_000);
  out['dqn.updatesPerSec'] = sig3(opsPerSecond(() => agent.train(10), 10));
  const policy = agent.policy();
  const rng = new Rng(2);
  const batch = rng.fillUniform(new Float32Array(256 * 8), -1, 1);
  out['dqn.actionsPerSec'] = sig3(opsPerSecond(() => policy.actBatch(batch, 256), 256));
  const one = batch.subarray(0, 8);
  out['dqn.batch1ActionsPerSec'] = sig3(opsPerSecond(() => agent.greedyAction(one), 1));
  agent.dispose();

  const wide = filledAgent([256, 256], 10_000);
  out['dqn.updatesPerSec.256x256'] = sig3(opsPerSecond(() => wide.train(2), 2));
  wide.dispose();

  const steps = 5000;
  const run = await trainDqn(make('CartPole-v1') as never, { seed: 0 }, { totalTimesteps: steps });
  out['dqn.cartpole.trainStepsPerSec'] = sig3(steps / run.seconds);
  run.agent.dispose();
  return out;
}
