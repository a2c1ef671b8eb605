/** Wrappers, one concept per module (Gymnasium's `gymnasium.wrappers`). */
export { TimeLimit } from './time-limit.js';
export { OrderEnforcing, type OrderEnforcingOptions } from './order-enforcing.js';
export { PassiveEnvChecker } from './passive-env-checker.js';
export {
  RecordEpisodeStatistics,
  BoundedQueue,
  type EpisodeStatistics,
  type RecordEpisodeStatisticsOptions,
} from './record-episode-statistics.js';
export { Autoreset } from './autoreset.js';
export { RunningMeanStd } from './running-mean-std.js';
export { NormalizeObservation, type NormalizeObservationOptions, type NumericObs } from './normalize-observation.js';
export { NormalizeReward, type NormalizeRewardOptions } from './normalize-reward.js';
export { ClipAction } from './clip-action.js';
export { RescaleAction } from './rescale-action.js';
export { FlattenObservation } from './flatten-observation.js';
export { DiscretizeObservation, type DiscretizeObservationOptions } from './discretize-observation.js';
export { DiscretizeAction, type DiscretizeActionOptions } from './discretize-action.js';
