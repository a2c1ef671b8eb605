/**
 * DQN checkpoints: everything `trainDqn` needs to continue a run so that it ends with the same
 * weights, bit for bit, as a run that was never interrupted. One directory, written atomically by
 * modelStore's `writeDirAtomic` (a crash leaves the previous checkpoint, never half of one):
 *
 *     model.json + weights.bin   the online network (modelStore's layout; `loadModel` reads it)
 *     target-weights.bin         the target network, same manifest as weights.bin
 *     best-weights.bin           the best network so far by the evaluation callback (if any)
 *     adam.bin                   Adam's first and second moments, float32, in weight order
 *     replay.bin                 the replay buffer (ReplayBuffer.toBytes)
 *     state.json                 config, step counters, Adam's step, the agent's and the env's RNG
 *                                states, observation statistics, evaluation and episode history
 *
 * Checkpoints are taken at episode boundaries only: an env's mid-episode state (a market, a cart's
 * velocity) is not serialisable in general, but its RNG is, and each reset draws only from it.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DammGymError, describeValue } from '../../env/core/errors.js';
import type { RngState } from '../../env/core/rng.js';
import { loadModel, modelFiles, writeDirAtomic } from './modelStore.js';
import type { ObservationNormalizerState, QNetworkSpec } from './qNetwork.js';
import type { DqnConfig, DqnEpisodeStats, DqnEvaluation } from './dqn.js';

export const DQN_CHECKPOINT_FORMAT = 'damm-gym-dqn-checkpoint';
export const DQN_CHECKPOINT_VERSION = 1;

/** A checkpoint directory that is missing, incomplete or inconsistent. */
export class CheckpointError extends DammGymError {}

/** state.json of a checkpoint. */
export interface DqnCheckpointState {
  readonly format: typeof DQN_CHECKPOINT_FORMAT;
  readonly version: typeof DQN_CHECKPOINT_VERSION;
  readonly config: DqnConfig;
  readonly network: QNetworkSpec;
  /** `start` of the Discrete action space (network output i is action start + i). */
  readonly actionStart: number;
  readonly totalTimesteps: number;
  /** Env steps done; the checkpoint was taken right after the episode that ended at this step. */
  readonly step: number;
  readonly gradientUpdates: number;
  readonly adamStep: number;
  /** Exploration and replay sampling. */
  readonly agentRng: RngState;
  /** The training env's RNG, from which its next reset draws. */
  readonly envRng: RngState;
  readonly normalizer: ObservationNormalizerState | null;
  readonly evaluations: DqnEvaluation[];
  readonly best: { readonly step: number; readonly meanReturn: number } | null;
  readonly episodes: DqnEpisodeStats[];
  /** Where the next checkpoint is due (env steps). */
  readonly nextCheckpointAt: number;
  /** Training seconds spent before this checkpoint (all processes). */
  readonly seconds: number;
  /** The tfjs backend the run used when the checkpoint was written. */
  readonly backend: string;
}

/** A checkpoint in memory. */
export interface DqnSnapshot {
  readonly state: DqnCheckpointState;
  readonly online: tf.LayersModel;
  /** Layout of the online model's weights.bin. */
  readonly targetWeights: Uint8Array;
  readonly bestWeights: Uint8Array | null;
  readonly adam: Uint8Array;
  readonly replay: Uint8Array;
}

/** Writes `snapshot` as the whole content of `dir`, atomically. */
export async function writeDqnCheckpoint(dir: string, snapshot: DqnSnapshot): Promise<void> {
  writeDirAtomic(dir, {
    ...(await modelFiles(snapshot.online)),
    'target-weights.bin': snapshot.targetWeights,
    ...(snapshot.bestWeights === null ? {} : { 'best-weights.bin': snapshot.bestWeights }),
    'adam.bin': snapshot.adam,
    'replay.bin': snapshot.replay,
    'state.json': `${JSON.stringify(snapshot.state)}\n`,
  });
}

/** True when `dir` holds a checkpoint (its state.json). */
export function isDqnCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'state.json')) && existsSync(join(dir, 'model.json'));
}

function readBytes(dir: string, name: string, required: true): Uint8Array;
function readBytes(dir: string, name: string, required: false): Uint8Array | null;
function readBytes(dir: string, name: string, required: boolean): Uint8Array | null {
  const path = join(dir, name);
  if (!existsSync(path)) {
    if (!required) return null;
    throw new CheckpointError(`${dir}: checkpoint file ${name} is missing (a DQN checkpoint holds model.json, weights.bin, target-weights.bin, adam.bin, replay.bin, state.json)`);
  }
  return new Uint8Array(readFileSync(path));
}

/** Reads the state.json of a checkpoint and checks its envelope and counters. */
export function readDqnCheckpointState(dir: string): DqnCheckpointState {
  const path = join(dir, 'state.json');
  if (!existsSync(path)) throw new CheckpointError(`${dir}: not a DQN checkpoint (no state.json; write one with train dqn --checkpoint-every N)`);
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new CheckpointError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const fail = (field: string, expected: string): never => {
    throw new CheckpointError(`${path}: field "${field}": expected ${expected}, got ${describeValue(state[field])}`);
  };
  if (state === null || typeof state !== 'object') throw new CheckpointError(`${path}: expected a JSON object`);
  if (state['format'] !== DQN_CHECKPOINT_FORMAT) fail('format', JSON.stringify(DQN_CHECKPOINT_FORMAT));
  if (state['version'] !== DQN_CHECKPOINT_VERSION) fail('version', String(DQN_CHECKPOINT_VERSION));
  const count = (field: string) => {
    const v = state[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(field, 'a non-negative integer');
  };
  for (const f of ['totalTimesteps', 'step', 'gradientUpdates', 'adamStep', 'nextCheckpointAt', 'actionStart']) count(f);
  if ((state['step'] as number) > (state['totalTimesteps'] as number)) fail('step', `at most totalTimesteps (${String(state['totalTimesteps'])})`);
  for (const f of ['config', 'network', 'agentRng', 'envRng']) {
    if (state[f] === null || typeof state[f] !== 'object') fail(f, 'an object');
  }
  for (const f of ['evaluations', 'episodes']) if (!Array.isArray(state[f])) fail(f, 'an array');
  return state as unknown as DqnCheckpointState;
}

/** Loads a checkpoint written by `writeDqnCheckpoint`. */
export async function readDqnCheckpoint(dir: string): Promise<DqnSnapshot> {
  const state = readDqnCheckpointState(dir);
  const online = await loadModel(dir);
  return {
    state,
    online,
    targetWeights: readBytes(dir, 'target-weights.bin', true),
    bestWeights: readBytes(dir, 'best-weights.bin', false),
    adam: readBytes(dir, 'adam.bin', true),
    replay: readBytes(dir, 'replay.bin', true),
  };
}
