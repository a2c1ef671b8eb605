/**
 * damm-gym's public API: everything a user script or notebook imports.
 *
 * - Gymnasium 1.x core: Env, wrappers, spaces, seeded RNG, vector envs, registry (`make`), `checkEnv`.
 * - Reference env CartPole-v1 (registered on import, like every built-in env).
 * - `driftV1`: Drift Protocol v1's vAMM, exact in bigint, with its float64 twin under `driftV1.float`.
 * - Drift v1 history: the curve history loader and the cost verification behind `damm-gym data verify-costs`.
 * - The dAMM MDP `drift-vamm-v0` and its replay of real history `drift-replay-v0` (registered), its market models (oracle processes, trader flow),
 *   agents (tabular Q-learning, baselines, policy files) and the evaluation statistics (IQM, bootstrap CIs).
 */
export * from './env/core/index.js';
export { CartPoleEnv, type CartPoleOptions } from './env/tasks/cartpole/index.js';
export { registerBuiltinEnvs, BUILTIN_SPECS } from './env/tasks/builtin.js';
export * as driftV1 from './env/amm/drift-v1/index.js';
export { readTypedCsv, type CsvColumn, type CsvColumnType, type CsvLayout, type TypedCsv } from './data/csv.js';
export { CsvFormatError, ConflictingDuplicateError, DataNotFoundError, DownloadError } from './data/errors.js';
export { readCsvHeader } from './data/csv.js';
export { loadTradeSnapshot, TRADE_SNAPSHOT_LAYOUTS, POSITION_DIRECTIONS, type TradeRecord, type TradeSnapshot } from './data/drift-v1/tradeSnapshot.js';
export { loadMarketsState, type MarketState, type MarketsState } from './data/drift-v1/marketsState.js';
export {
  flagCurveOutliers, flagFundingOutliers, flagTradeOutliers, countByRule, OUTLIER_RULES, DEFAULT_OUTLIER_THRESHOLDS,
  type OutlierFlag, type OutlierRule, type OutlierThresholds,
} from './data/drift-v1/outliers.js';
export { loadDriftHistory, type DriftHistory } from './data/drift-v1/history.js';
export { inspectDriftData, inspectHistory, type InspectReport, type FileInspection, type MarketCoverage } from './data/inspect.js';
export {
  fetchDriftData, gitBlobSha1, upstreamUrl, DRIFT_V1_UPSTREAM, DEFAULT_UPSTREAM_BASE_URL,
  type FetchOptions, type FetchReport, type FetchedFile, type UpstreamFile,
} from './data/fetch.js';
export { resolveDataDir, DRIFT_V1_FILES, type DataDirSource } from './data/dataDir.js';
export { loadCurveHistory, type CurveHistory, type CurveRecord } from './data/drift-v1/curveHistory.js';
export {
  verifyCosts, checkRecord, adjustmentKind,
  type AdjustmentKind, type ProtocolChoice, type RecordCheck, type VerifyCostsReport,
} from './data/drift-v1/verifyCosts.js';
export { protocolAt } from './data/drift-v1/protocolAt.js';
export * from './env/market/index.js';
export {
  DriftVammEnv, MARKET_PRESETS, MARKET_SYMBOLS, resolveOptions as resolveDriftVammOptions, discreteActions, oraclePegRaw,
  budgetedPegRaw, formulaicSqrtK, CALIBRATED_MARKETS, CALIBRATED_SYMBOLS, calibratedTraderFlow, UncalibratedMarketError,
  type DriftVammOptions, type MarketPreset, type DiscreteAction, type TerminationReason, type CalibratedMarket,
} from './env/tasks/drift-vamm/index.js';
export {
  DriftReplayEnv, syntheticReplaySeries, validateReplaySeries,
  type DriftReplayOptions, type ReplaySeries, type ReplayStart, type ReplayAdminEvent, type SyntheticReplayOptions,
} from './env/tasks/drift-replay/index.js';
export { loadReplaySeries, buildReplaySeries, curveEventKind, type ReplaySeriesOptions } from './data/drift-v1/replaySeries.js';
export { loadFundingHistory, type FundingHistory, type FundingRecord } from './data/drift-v1/fundingHistory.js';
export { buildVolumeSeries, DRIFT_V1_FEE_RATE, type VolumeInterval, type VolumeIntervalFlag, type VolumeSeries, type VolumeSeriesOptions } from './data/drift-v1/volumeSeries.js';
export { calibrateTrades, summarizeVolume, type TradeCalibration, type TradeSnapshotCalibration, type InformedShareEstimate, type VolumeSummary } from './data/drift-v1/calibration.js';
export { DRIFT_V1_MARKETS, marketIndexOf, marketSymbol, type DriftV1MarketInfo } from './data/drift-v1/markets.js';
export {
  DriftVammVectorEnv, resolveVectorOptions, VECTOR_SUPPORT,
  TERMINATION_REASONS as DRIFT_VAMM_TERMINATION_REASONS, INFO_NUMBER_KEYS as DRIFT_VAMM_INFO_KEYS,
  type DriftVammVectorOptions, type ResolvedVectorOptions,
} from './env/tasks/drift-vamm/vector/index.js';
export * from './agents/index.js';
export * from './agents/supervised/index.js';
export * from './agents/empirical/index.js';
export * from './agents/deep/index.js';
export {
  buildSequenceDataset, timeOrderedSplit, classBalance, hourlyFeatures, curveStateFeatures, sequenceClassOf, SEQUENCE_CLASSES,
  SEQUENCE_STEP_FEATURES, SEQUENCE_STATIC_FEATURES, SEQUENCE_DATASET_DEFAULTS, DEFAULT_SPLIT_FRACTIONS, type SequenceClass,
  type SequenceExample, type SequenceDataset, type SequenceDatasetOptions, type TimeOrderedSplit, type CurveStateSample,
} from './data/drift-v1/sequenceDataset.js';
export {
  buildSequenceModel, trainSequenceModel, predictSequence, fitSequenceScaling, toSequenceBatch, unscaleMagnitude, balancedClassWeights,
  TimeWindowUnfold, SEQUENCE_MODEL_KINDS, SEQUENCE_TRAIN_DEFAULTS, SEQUENCE_ARCHITECTURE_DEFAULTS, type SequenceArchitecture,
  type SequenceTrainConfig, type SequenceBatch, type SequenceSample, type SequenceScaling, type SequenceTrainResult,
} from './agents/deep/sequenceModels.js';
export { multiclassMetrics, regressionMetrics, type MulticlassMetrics, type RegressionMetrics } from './agents/deep/sequenceMetrics.js';
export { SequencePolicy, actionForPrediction, sequenceActionIndices, SEQUENCE_POLICY_KIND, type SequencePolicySpec, type NextAdjustment } from './agents/deep/sequencePolicy.js';
export { InfoFeatureTracker, hourlyRow, staticRow, SEQUENCE_POLICY_CLASSES } from './agents/deep/sequenceFeatureTracker.js';
export { labelSimulatedAdjustments, type SimulatedAdjustment, type SimulatedAdjustmentOptions } from './agents/deep/sequenceSimulatedLabels.js';
export {
  curveTransitions, curveActionClass, curveImbalance, transitionReward, defaultExcludedRecords, CURVE_ACTION_CLASSES, TRANSITION_REWARD_UNITS,
  type CurveTransition, type CurveTransitions, type CurveActionClass, type TransitionRewardUnit, type DroppedRecord, type CurveTransitionOptions,
} from './data/drift-v1/transitions.js';
export {
  labelCurveEvents, resolveSuccessLabelOptions, openInterestOf, SUCCESS_LABEL_DEFAULTS, DEFAULT_LABEL_OUTLIER_RULES,
  type SuccessLabelOptions, type SuccessLabelSet, type LabelledEvent, type EventOutcome, type ClassBalance, type CurveEventKind,
  type OpenInterestMeasure, type UnlabelledReason, type CurveOutlierRule,
} from './data/drift-v1/successLabels.js';
export {
  eventFeatures, buildSuccessDataset, EVENT_FEATURE_NAMES, EVENT_FEATURE_DEFAULTS, type EventFeatureOptions,
  type EventFeatureRow, type EventFeatureSet, type MissingFeatureReason, type SuccessDataset,
} from './data/drift-v1/eventFeatures.js';
export * from './training/stats.js';
export * from './training/evaluate.js';
export * as g3m from './env/amm/g3m/index.js';
export { G3mEnv, G3M_SPECS, G3M_ACTION_MEANINGS, resolveG3mOptions, type G3mEnvOptions, type NoiseFlowConfig } from './env/tasks/g3m/index.js';
export { G3mVectorEnv } from './env/tasks/g3m/vector/index.js';
export { PredictionMarketVectorEnv } from './env/tasks/prediction-market/vector/index.js';
export * as probabilitySpace from './env/amm/probability-space/index.js';
export {
  PredictionMarketEnv, PREDICTION_MARKET_SPECS, PREDICTION_MARKET_ACTIONS, PREDICTION_MARKET_HOLD_ACTION, PREDICTION_MARKET_DEFAULTS,
  PREDICTION_MARKET_TRADERS, resolvePredictionMarketOptions, type PredictionMarketOptions, type PredictionMarketRewardMode,
  type PredictionMarketActionMode, type TraderConfig as PredictionMarketTraderConfig,
} from './env/tasks/prediction-market/index.js';
export * as stableswap from './env/amm/stableswap/index.js';
export {
  StableSwapEnv, STABLESWAP_SPECS, STABLESWAP_ACTIONS, resolveStableSwapOptions, runParameterGrid, DepegPriceProcess,
  type StableSwapEnvOptions, type ParameterGridConfig, type ParameterGridResult,
} from './env/tasks/stableswap/index.js';
export * as tfmm from './env/amm/weighted/index.js';
export { TfmmEnv, TFMM_SPECS, tfmmDiscreteActions, tfmmActionMeaning } from './env/tasks/tfmm/index.js';
export { loadSweepConfig, parseSweepConfig, TRIAL_KINDS, ROLLOUT_POLICIES, type SweepConfig, type TrialSettings, type GridParameter } from './training/sweep/config.js';
export { planSweep, type SweepPlan, type TrialSpec, type Column } from './training/sweep/plan.js';
export { runSweep, type RunSweepOptions, type SweepSummary } from './training/sweep/runner.js';
export { runTrial, metricColumns, TIMING_COLUMNS, type TrialTask, type TrialPlan } from './training/sweep/trials.js';
export { SweepConfigError, SweepJournalError, SweepTrialError } from './training/sweep/errors.js';
export { renderSpec, specToSvg, svgToPng, PLOT_CONFIG, type RenderedPlot, type VegaLiteSpec } from './training/plots/render.js';
export { plotLearningCurve, learningCurveSpec, curveBand, type CurveRun } from './training/plots/learningCurve.js';
export { plotEvaluation, evaluationSpec, type PolicyScore } from './training/plots/evaluationComparison.js';
export { plotQValueMap, plotGreedyActionMap, qValueMapSpec, greedyActionMapSpec, qCells, type QTable } from './training/plots/qMaps.js';
export { recordEpisode, plotMarkOracle, plotFeePool, markOracleSpec, feePoolSpec, type EpisodeTrace } from './training/plots/episodeTrace.js';
export { buildReport, writeReport } from './training/report/report.js';
export { ReportInputError } from './training/report/errors.js';
export {
  rocPoints, rocSpec, plotRoc, confusionCells, confusionSpec, plotConfusionMatrices,
  type RocInput, type RocPoint, type ConfusionInput, type ConfusionCell, type ClassifierPlotOptions,
} from './training/plots/classifierPlots.js';
export {
  g3mCurve, probabilitySpaceCurve, stableSwapCurve, constantProductCurve, curveShapeSpec, plotG3mCurves, plotProbabilitySpaceCurves,
  plotStableSwapCurves, DEFAULT_G3M_P, DEFAULT_PROBABILITY_SPACE_T, DEFAULT_STABLESWAP_A, type CurvePoint, type CurveShapeOptions,
} from './training/plots/curveShapes.js';
export { interpolationLossRows, slerpLossSpec, plotSlerpLoss, DEFAULT_WEIGHT_MOVE, DEFAULT_STEP_COUNTS, type InterpolationLossRow } from './training/plots/slerpLoss.js';
