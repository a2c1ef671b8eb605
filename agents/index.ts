/**
 * Agents and baselines. They see only the Env API and spaces (ARCHITECTURE.md); evaluation and the
 * CLI live in `training/`, which this folder never imports.
 */
export { type Policy, type PersistablePolicy, type PolicyData, type JsonObject, isPersistable } from './policy.js';
export { NoopPolicy, RandomPolicy, type NoopPolicyOptions, type RandomPolicyOptions } from './baselines.js';
export { epsilonAt, validateEpsilon, type EpsilonScheduleKind } from './schedules.js';
export {
  QLearningAgent,
  Q_LEARNING_DEFAULTS,
  resolveQLearningConfig,
  trainQLearning,
  type QLearningConfig,
  type QTableShape,
  type QCoverage,
  type QEpisodeStats,
  type TrainQLearningOptions,
  type QLearningResult,
} from './tabular/qLearning.js';
export {
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  savePolicy,
  loadPolicy,
  readPolicyFile,
  policyToJSON,
  policyFromJSON,
  policyMetaFromEnv,
  registerPolicyKind,
  registeredPolicyKinds,
  PolicyFileReader,
  type PolicyFile,
  type PolicyMeta,
  type PolicyDecoder,
} from './persistence.js';
export { UnsupportedSpaceError, AgentConfigError, PolicyStateError, PolicyFileError, TableIndexError } from './errors.js';
export { RepegToOraclePolicy, FormulaicPolicy, type RepegToOracleOptions } from './driftBaselines.js';
export { HistoricalPolicy } from './driftBaselines.js';
export { EnsemblePolicy, ENSEMBLE_RULES, type EnsembleMember, type EnsembleOptions, type EnsembleRule } from './ensemble.js';
export { trainQLearningBatched, qLearningGrid, type BatchedQLearningOptions, type BatchedQLearningResult } from './tabular/batchedQLearning.js';
