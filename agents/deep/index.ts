/**
 * Deep RL on TensorFlow.js: backend selection, the model store, DQN (agent, replay buffer, Q
 * network, checkpoints) and its persistable greedy policy (kind 'dqn', registered on import).
 */
export { initTfjsBackend, TFJS_BACKENDS, TfjsBackendError, type TfjsBackend } from './backend.js';
export { saveModel, loadModel, modelFiles, writeDirAtomic, ModelFileError, type DirFiles } from './modelStore.js';
export {
  buildQNetwork, qValues, greedyActions, polyakUpdate, weightBytes, weightSpecs, setWeightsFromBytes, validateQNetworkSpec,
  ObservationNormalizer, WeightsFormatError, Q_NETWORK_ACTIVATIONS,
  type QNetworkSpec, type QNetworkActivation, type WeightSpec, type ObservationNormalizerState,
} from './qNetwork.js';
export { ReplayBuffer, ReplayBufferFormatError, type ReplayBatch } from './replayBuffer.js';
export {
  DqnAgent, trainDqn, resolveDqnConfig, DQN_DEFAULTS, DQN_PRESETS, DQN_PRESET_NAMES, DQN_EVAL_SEED_BASE,
  type DqnConfig, type DqnPreset, type DqnPresetName, type DqnEpisodeStats, type DqnEvaluation, type TrainDqnOptions, type DqnResult,
} from './dqn.js';
export { DqnPolicy, saveDqnPolicy, type DqnPolicyOptions } from './dqnPolicy.js';
export {
  writeDqnCheckpoint, readDqnCheckpoint, readDqnCheckpointState, isDqnCheckpoint, CheckpointError,
  DQN_CHECKPOINT_FORMAT, DQN_CHECKPOINT_VERSION, type DqnCheckpointState, type DqnSnapshot,
} from './checkpoint.js';
