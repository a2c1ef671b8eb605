export { DriftReplayEnv, type DriftReplayOptions } from './driftReplayEnv.js';
export { validateReplaySeries, type ReplaySeries, type ReplayStart, type ReplayAdminEvent } from './series.js';
export { syntheticReplaySeries, type SyntheticReplayOptions } from './synthetic.js';
