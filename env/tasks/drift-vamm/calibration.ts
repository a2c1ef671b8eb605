/**
 * Trader flow calibrated on Drift v1 history, per market: what `make('drift-vamm-v0', { market,
 * calibrated: true })` uses. The numbers are fitted parameters, committed as a table because make()
 * is synchronous and the data is read asynchronously (DuckDB).
 *
 * The block between the GENERATED markers is written by
 *   damm-gym fit volume --write-calibration
 * from ../shared/data/drift-v1/curve_history_hist.csv, funding_rate_history_hist.csv and
 * trade_history_snapshot_2022-01-06.csv; test/calibration.test.ts recomputes it from the data and
 * fails when it is stale. Do not edit the block by hand.
 *
 * How each field is estimated (training/commands/fitVolume.ts, data/drift-v1/calibration.ts):
 * - volumeUsdPerHour: traded notional per hour at the preset's starting state (its mark price and
 *   sqrt_k), predicted by the log-log volume regression pooled over markets 0–7 with market fixed
 *   effects, fitted on the fee-accounting volume series (Δtotal_fee / 0.001 between curve records);
 * - elasticity: ε of the elastic volume model, (k/k0)^ε = (√k/√k0)^β, with β the pooled fit's
 *   coefficient of ln √k (so ε = β/2);
 * - maxMultiple: (largest √k the market ever had / preset √k)^β, at least 1: the fit says nothing
 *   about depth beyond what the market saw, so volume stops growing there;
 * - informedShare, uninformedMedianUsd, uninformedSigma, informedMaxUsd: the trade snapshot
 *   (λi = 2·P(direction agrees with the mark/oracle gap) − 1; lognormal notional; largest notional).
 *   MATIC and ATOM have no trades in the snapshot and take the pooled values of markets 0–5
 *   (`tradeSource: 'pooled'`);
 * - meanHoldingHours: Little's law on the volume series, open interest (USD) / (volume per hour / 2).
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { TraderFlowConfig } from '../../market/index.js';

export interface CalibratedMarket {
  readonly symbol: string;
  readonly marketIndex: number;
  /** 'snapshot': the market's own trades; 'pooled': all snapshot trades (the market had none). */
  readonly tradeSource: 'snapshot' | 'pooled';
  /** Expected traded notional per hour at the preset's starting state, USD. */
  readonly volumeUsdPerHour: number;
  /** The market's mean traded notional per hour over its history (for reference), USD. */
  readonly historicalVolumeUsdPerHour: number;
  readonly elasticity: number;
  readonly maxMultiple: number;
  readonly informedShare: number;
  readonly informedMaxUsd: number;
  readonly uninformedMedianUsd: number;
  readonly uninformedSigma: number;
  readonly meanHoldingHours: number;
}

// BEGIN GENERATED (damm-gym fit volume --write-calibration)
export const CALIBRATED_MARKETS: Readonly<Record<string, CalibratedMarket>> = Object.freeze({
  SOL: { symbol: 'SOL', marketIndex: 0, tradeSource: 'snapshot', volumeUsdPerHour: 145700, historicalVolumeUsdPerHour: 223400, elasticity: 0.2162, maxMultiple: 2.463, informedShare: 0.2791, informedMaxUsd: 14820, uninformedMedianUsd: 742.1, uninformedSigma: 1.506, meanHoldingHours: 12.5 },
  BTC: { symbol: 'BTC', marketIndex: 1, tradeSource: 'snapshot', volumeUsdPerHour: 68230, historicalVolumeUsdPerHour: 125500, elasticity: 0.2162, maxMultiple: 1.711, informedShare: 0.1429, informedMaxUsd: 8564, uninformedMedianUsd: 360.6, uninformedSigma: 1.236, meanHoldingHours: 32.33 },
  ETH: { symbol: 'ETH', marketIndex: 2, tradeSource: 'snapshot', volumeUsdPerHour: 45390, historicalVolumeUsdPerHour: 72010, elasticity: 0.2162, maxMultiple: 1.544, informedShare: 0, informedMaxUsd: 1733, uninformedMedianUsd: 225, uninformedSigma: 1.05, meanHoldingHours: 25.2 },
  LUNA: { symbol: 'LUNA', marketIndex: 3, tradeSource: 'snapshot', volumeUsdPerHour: 123900, historicalVolumeUsdPerHour: 186000, elasticity: 0.2162, maxMultiple: 2.161, informedShare: 0.003436, informedMaxUsd: 2609, uninformedMedianUsd: 250.9, uninformedSigma: 1.515, meanHoldingHours: 12.73 },
  AVAX: { symbol: 'AVAX', marketIndex: 4, tradeSource: 'snapshot', volumeUsdPerHour: 162800, historicalVolumeUsdPerHour: 188600, elasticity: 0.2162, maxMultiple: 1.679, informedShare: 0.36, informedMaxUsd: 2739, uninformedMedianUsd: 311.5, uninformedSigma: 0.9588, meanHoldingHours: 4.331 },
  BNB: { symbol: 'BNB', marketIndex: 5, tradeSource: 'snapshot', volumeUsdPerHour: 86680, historicalVolumeUsdPerHour: 91860, elasticity: 0.2162, maxMultiple: 1.213, informedShare: 0.2131, informedMaxUsd: 23140, uninformedMedianUsd: 646.7, uninformedSigma: 1.274, meanHoldingHours: 3.196 },
  MATIC: { symbol: 'MATIC', marketIndex: 6, tradeSource: 'pooled', volumeUsdPerHour: 250700, historicalVolumeUsdPerHour: 284600, elasticity: 0.2162, maxMultiple: 1.149, informedShare: 0.1523, informedMaxUsd: 23140, uninformedMedianUsd: 342.6, uninformedSigma: 1.351, meanHoldingHours: 2.547 },
  ATOM: { symbol: 'ATOM', marketIndex: 7, tradeSource: 'pooled', volumeUsdPerHour: 286600, historicalVolumeUsdPerHour: 283300, elasticity: 0.2162, maxMultiple: 1.098, informedShare: 0.1523, informedMaxUsd: 23140, uninformedMedianUsd: 342.6, uninformedSigma: 1.351, meanHoldingHours: 1.742 },
});
// END GENERATED

export const CALIBRATED_SYMBOLS: readonly string[] = Object.freeze(Object.keys(CALIBRATED_MARKETS));

/** `calibrated: true` for a market the table has no entry for. */
export class UncalibratedMarketError extends InvalidArgumentError {}

/**
 * The TraderFlowConfig fields of a calibrated market for steps of `stepSec` seconds. Each position
 * is opened and later closed and both trades pay the fee, so positions open at half the traded
 * volume: arrivals per step = volume/2 / E[notional] × stepSec/3600, of which (1 − λi) uninformed
 * (the elastic model's base rate). E[notional] is the lognormal mean median·exp(σ²/2).
 */
export function calibratedTraderFlow(symbol: string, stepSec: number): Partial<TraderFlowConfig> {
  const c = CALIBRATED_MARKETS[symbol.toUpperCase()];
  if (c === undefined) {
    throw new UncalibratedMarketError(
      `drift-vamm-v0 option calibrated: market ${JSON.stringify(symbol)} has no calibration; calibrated markets: ${CALIBRATED_SYMBOLS.join(', ') || '(none)'}`,
    );
  }
  if (!(stepSec > 0)) throw new InvalidArgumentError(`calibratedTraderFlow: stepSec must be > 0, got ${stepSec}`);
  const meanNotionalUsd = c.uninformedMedianUsd * Math.exp((c.uninformedSigma * c.uninformedSigma) / 2);
  const opensPerStep = ((c.volumeUsdPerHour / 2) / meanNotionalUsd) * (stepSec / 3600);
  return {
    informedShare: c.informedShare,
    informedMaxUsd: c.informedMaxUsd,
    uninformedMedianUsd: c.uninformedMedianUsd,
    uninformedSigma: c.uninformedSigma,
    meanHoldingSteps: Math.max(1, (c.meanHoldingHours * 3600) / stepSec),
    volumeModel: {
      kind: 'elastic',
      baseArrivalsPerStep: opensPerStep * (1 - c.informedShare),
      elasticity: c.elasticity,
      maxMultiple: c.maxMultiple,
    },
  };
}
