/**
 * A replay series made by our own simulator instead of Drift's files: for tests, checkEnv and users
 * without the data. The oracle is a seeded GBM sampled hourly; the "admin" repegs to the oracle-
 * implied peg and nudges k every `eventEveryHours`. Recorded costs are 0 (nothing was paid).
 */
import { Rng } from '../../core/rng.js';
import { GeometricBrownianMotion } from '../../market/price/gbm.js';
import { MARKET_PRESETS } from '../drift-vamm/presets.js';
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import type { ReplayAdminEvent, ReplaySeries } from './series.js';

export interface SyntheticReplayOptions {
  /** Preset whose first recorded curve starts the series. Default 'SOL'. */
  market?: string;
  seed?: number;
  /** Hours of oracle history after the start. Default 48. */
  hours?: number;
  /** Annual volatility of the oracle. Default 0.8. */
  volatility?: number;
  /** Hours between admin events. Default 6. */
  eventEveryHours?: number;
}

const HOUR = 3600;
/** 2022-01-01T00:00:00Z, like drift-vamm-v0's clock. */
const T0 = 1_640_995_200;

export function syntheticReplaySeries(options: SyntheticReplayOptions = {}): ReplaySeries {
  const preset = MARKET_PRESETS[(options.market ?? 'SOL').toUpperCase()];
  if (preset === undefined) throw new InvalidArgumentError(`syntheticReplaySeries market: got ${describeValue(options.market)}; allowed: ${Object.keys(MARKET_PRESETS).join(', ')}`);
  const hours = options.hours ?? 48;
  const every = options.eventEveryHours ?? 6;
  if (!Number.isInteger(hours) || hours < 1) throw new InvalidArgumentError(`syntheticReplaySeries hours: got ${describeValue(hours)}; allowed: an integer ≥ 1`);
  if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError(`syntheticReplaySeries eventEveryHours: got ${describeValue(every)}; allowed: an integer ≥ 1`);
  const rng = new Rng(options.seed ?? 0);
  const x = preset.baseAssetReserve;
  const y = preset.quoteAssetReserve;
  const mark = (y * preset.pegMultiplier) / x / 1e3;
  const gbm = new GeometricBrownianMotion({ drift: 0, volatility: options.volatility ?? 0.8 });
  gbm.reset(mark);
  const oracleTs: number[] = [];
  const oracleUsd: number[] = [];
  const markTwapUsd: number[] = [];
  const events: ReplayAdminEvent[] = [];
  let sqrtK = preset.sqrtK;
  for (let h = 0; h <= hours; h++) {
    const price = h === 0 ? mark : gbm.step(rng, HOUR);
    oracleTs.push(T0 + h * HOUR);
    oracleUsd.push(price);
    markTwapUsd.push(price * (1 + rng.normal(0, 0.001)));
    if (h > 0 && h % every === 0) {
      const ts = T0 + h * HOUR + 120;
      const peg = Math.max(1, Math.round((price * 1e3 * x) / y));
      events.push({ ts, recordId: events.length, kind: 'repeg', pegMultiplierAfter: peg, sqrtKAfter: sqrtK, adjustmentCostUsd: 0 });
      sqrtK = Math.round(sqrtK * ((h / every) % 2 === 0 ? 0.99 : 1.01));
      events.push({ ts: ts + 60, recordId: events.length, kind: 'k', pegMultiplierAfter: peg, sqrtKAfter: sqrtK, adjustmentCostUsd: 0 });
    }
  }
  return {
    market: preset.symbol,
    marketIndex: preset.marketIndex,
    protocol: 'jan2022',
    start: {
      recordId: -1, ts: T0,
      baseAssetReserve: x, quoteAssetReserve: y, sqrtK: preset.sqrtK, pegMultiplier: preset.pegMultiplier,
      totalFee: preset.totalFee, totalFeeMinusDistributions: preset.totalFeeMinusDistributions,
      // users hold 1 % of √k long and 0.5 % short at the start
      baseAssetAmountLong: Math.round(preset.sqrtK * 0.01), baseAssetAmountShort: Math.round(preset.sqrtK * 0.005),
    },
    oracleTs, oracleUsd, markTwapUsd, events,
    endTs: T0 + hours * HOUR,
  };
}
