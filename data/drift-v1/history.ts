import { join } from 'node:path';
import { DRIFT_V1_FILES } from '../dataDir.js';
import { loadCurveHistory, type CurveHistory } from './curveHistory.js';
import { loadFundingHistory, type FundingHistory } from './fundingHistory.js';
import { loadMarketsState, type MarketsState } from './marketsState.js';
import {
  DEFAULT_OUTLIER_THRESHOLDS, flagCurveOutliers, flagFundingOutliers, flagTradeOutliers, type OutlierFlag, type OutlierThresholds,
} from './outliers.js';
import { loadTradeSnapshot, type TradeSnapshot } from './tradeSnapshot.js';

/** The whole bundled Drift v1 data set, loaded and checked, with outliers flagged (never dropped). */
export interface DriftHistory {
  readonly dataDir: string;
  readonly curve: CurveHistory;
  readonly funding: FundingHistory;
  readonly trades: TradeSnapshot;
  readonly markets: MarketsState;
  readonly outliers: {
    readonly curve: OutlierFlag[];
    readonly funding: OutlierFlag[];
    readonly trades: OutlierFlag[];
  };
}

/**
 * Load the four Drift v1 files of a data directory (file names as DRIFT_V1_FILES; resolve the
 * directory with resolveDataDir). Any missing or malformed file fails the whole load with its typed
 * error, so callers never work on a partial data set.
 */
export async function loadDriftHistory(dataDir: string, thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS): Promise<DriftHistory> {
  const [curve, funding, trades, markets] = await Promise.all([
    loadCurveHistory(join(dataDir, DRIFT_V1_FILES.curveHistory)),
    loadFundingHistory(join(dataDir, DRIFT_V1_FILES.fundingRateHistory)),
    loadTradeSnapshot(join(dataDir, DRIFT_V1_FILES.tradeSnapshot)),
    loadMarketsState(join(dataDir, DRIFT_V1_FILES.marketsState)),
  ]);
  return {
    dataDir, curve, funding, trades, markets,
    outliers: {
      curve: flagCurveOutliers(curve.records, thresholds),
      funding: flagFundingOutliers(funding.records, thresholds),
      trades: flagTradeOutliers(trades.records, thresholds),
    },
  };
}
