/**
 * Supervised models on plain arrays (ARCHITECTURE.md: `data/` builds the training sets, these models
 * never read files or envs): success classifiers, their metrics and time-ordered cross-validation.
 */
export {
  CLASSIFIER_DEFAULTS,
  CLASSIFIER_NAMES,
  DecisionTreeModel,
  GaussianNbClassifier,
  KnnClassifier,
  LogisticRegressionModel,
  MajorityClassifier,
  createClassifier,
  type BinaryClassifier,
  type ClassifierName,
  type ClassifierOptions,
} from './classifiers.js';
export { binaryMetrics, confusionMatrix, rocAuc, type BinaryMetrics, type ConfusionMatrix } from './metrics.js';
export {
  compareClassifiersTimeOrdered,
  crossValidateTimeOrdered,
  expandingWindowFolds,
  fitStandardizer,
  standardize,
  type ClassifierCvReport,
  type CrossValidationResult,
  type FoldSummary,
  type Standardizer,
  type TimeSeriesFold,
  type TimeSeriesSplitOptions,
} from './timeSeriesSplit.js';
export { crossValidateVolumeModel, expandingWindowSplits, fitLeastSquares, fitVolumeModel, predictLinear, predictVolumeRate, RegressionDesignError, VOLUME_MODEL_VARIANTS, type ExpandingWindowSplit, type LeastSquaresFit, type LeastSquaresOptions, type VolumeCvOptions, type VolumeCvResult, type VolumeModel, type VolumeModelOptions, type VolumeModelVariant, type VolumeSample } from './volumeRegression.js';
