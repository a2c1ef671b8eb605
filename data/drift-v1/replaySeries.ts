import { join } from 'node:path';
import { markRawToUsd, quoteRawToUsd } from '../../env/amm/drift-v1/units.js';
import type { ReplayAdminEvent, ReplaySeries } from '../../env/tasks/drift-replay/series.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import { DRIFT_V1_FILES, resolveDataDir } from '../dataDir.js';
import { DataNotFoundError } from '../errors.js';
import { loadCurveHistory, type CurveRecord } from './curveHistory.js';
import { loadFundingHistory, type FundingRecord } from './fundingHistory.js';
import { marketIndexOf, marketSymbol } from './markets.js';
import { protocolAt } from './protocolAt.js';

export interface ReplaySeriesOptions {
  /** Symbol or index (SOL, BTC, … or 0–7). */
  readonly market: string | number;
  /** The curve record whose before-state starts the episode (default: the market's first). */
  readonly startRecordId?: number;
}

/** Which kind of admin instruction wrote a curve record. */
export function curveEventKind(r: CurveRecord): ReplayAdminEvent['kind'] {
  if (r.sqrtKAfter !== r.sqrtKBefore) return 'k';
  return r.pegMultiplierAfter !== r.pegMultiplierBefore ? 'repeg' : 'none';
}

/**
 * One market's replay series from the curve and funding histories. The start is a curve record's
 * before-state; its fee pool is taken before that record's own cost (the record stores the pool
 * after it), because the record's action is replayed in the episode's first step.
 */
export function buildReplaySeries(curve: readonly CurveRecord[], funding: readonly FundingRecord[], options: ReplaySeriesOptions): ReplaySeries {
  const marketIndex = marketIndexOf(options.market);
  const symbol = marketSymbol(marketIndex);
  const records = curve.filter((r) => r.marketIndex === marketIndex);
  const hourly = funding.filter((f) => f.marketIndex === marketIndex);
  if (records.length === 0 || hourly.length === 0) {
    throw new DataNotFoundError(`market ${symbol}: the history has ${records.length} curve records and ${hourly.length} funding records; a replay needs both`);
  }
  const startIdx = options.startRecordId === undefined ? 0 : records.findIndex((r) => r.recordId === BigInt(options.startRecordId!));
  if (startIdx < 0) {
    throw new InvalidArgumentError(
      `startRecordId ${options.startRecordId}: not a curve record of ${symbol}; its records are ${records[0]!.recordId}…${records[records.length - 1]!.recordId}`,
    );
  }
  const first = records[startIdx]!;
  const oracle = hourly.filter((f) => f.ts <= first.ts);
  if (oracle.length === 0) {
    throw new DataNotFoundError(`market ${symbol}: no oracle TWAP at or before record ${first.recordId} (${new Date(first.ts * 1000).toISOString()}); start later`);
  }
  // Only the last TWAP at or before the start is needed from the past; the rest follows it.
  const used = hourly.slice(oracle.length - 1);
  const num = (v: bigint) => Number(v);
  const endTs = Math.max(used[used.length - 1]!.ts, records[records.length - 1]!.ts);
  return {
    market: symbol,
    marketIndex,
    protocol: protocolAt(first.ts),
    start: {
      recordId: num(first.recordId),
      ts: first.ts,
      baseAssetReserve: num(first.baseAssetReserveBefore),
      quoteAssetReserve: num(first.quoteAssetReserveBefore),
      sqrtK: num(first.sqrtKBefore),
      pegMultiplier: num(first.pegMultiplierBefore),
      totalFee: num(first.totalFee),
      totalFeeMinusDistributions: num(first.totalFeeMinusDistributions + first.adjustmentCost),
      baseAssetAmountLong: num(first.baseAssetAmountLong),
      baseAssetAmountShort: num(first.baseAssetAmountShort),
    },
    oracleTs: used.map((f) => f.ts),
    oracleUsd: used.map((f) => markRawToUsd(f.oraclePriceTwap)),
    markTwapUsd: used.map((f) => markRawToUsd(f.markPriceTwap)),
    events: records.slice(startIdx).map((r) => ({
      ts: r.ts,
      recordId: num(r.recordId),
      kind: curveEventKind(r),
      pegMultiplierAfter: num(r.pegMultiplierAfter),
      sqrtKAfter: num(r.sqrtKAfter),
      adjustmentCostUsd: quoteRawToUsd(r.adjustmentCost),
    })),
    endTs,
  };
}

/** Load the histories from the data directory (`--data-dir` resolution order) and build one market's series. */
export async function loadReplaySeries(options: ReplaySeriesOptions & { readonly dataDir?: string }): Promise<ReplaySeries> {
  const dir = resolveDataDir(options.dataDir).dir;
  const [curve, funding] = await Promise.all([
    loadCurveHistory(join(dir, DRIFT_V1_FILES.curveHistory)),
    loadFundingHistory(join(dir, DRIFT_V1_FILES.fundingRateHistory)),
  ]);
  return buildReplaySeries(curve.records, funding.records, options);
}
