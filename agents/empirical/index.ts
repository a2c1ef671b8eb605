/**
 * The empirical MDP of damm-parameter-optimization.md §2.2.2, estimated from Drift history: the
 * model P̂(s', r | s, a) over imbalance states and five admin action classes, its solvers (value
 * iteration, Q-learning on samples from the model) and the policy that acts in drift-vamm-v0.
 */
export {
  EMPIRICAL_ACTION_CLASSES, driftActionIndices, driftActionFor, type EmpiricalActionClass, type DriftActionIndices,
} from './actionClasses.js';
export { ImbalanceBins, DEFAULT_IMBALANCE_BINS, type ImbalanceBinsConfig } from './imbalanceBins.js';
export { estimateModel, validateMdp, type TransitionSample, type TabularMdp, type EmpiricalModel, type EstimateOptions, type ModelSupport } from './model.js';
export {
  valueIteration, policyValue, bellmanQ, greedyPolicy, type ValueIterationOptions, type ValueIterationResult,
} from './valueIteration.js';
export { modelQLearning, type ModelQLearningOptions, type ModelQLearningResult } from './modelQLearning.js';
export { EmpiricalQPolicy, type EmpiricalQPolicyData, type EmpiricalQPolicyOptions } from './policy.js';
