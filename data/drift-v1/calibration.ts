/**
 * Trader-flow statistics from Drift v1 history, per market: what the simulator's `TraderFlowConfig`
 * needs (damm-parameter-optimization.md §2.2.2's informed/uninformed traders).
 *
 * From the trade snapshot (one 32-minute window of 1,024 trades, markets 0–5, 2022-01-06):
 * - arrival rate: trades per minute over the snapshot's window (the ring holds every trade of every
 *   market in that window, so the window is common to all markets), with a 95 % Poisson interval;
 * - trade notional: a lognormal fit (median = exp(mean ln notional), σ = sd of ln notional);
 * - long share, and the fee/notional ratio (a check of the 10 bps fee the volume series relies on);
 * - informed share λi: an informed trader goes long when mark < oracle and short when mark > oracle,
 *   an uninformed one either way with probability 1/2, so P(direction agrees with the gap) =
 *   λi + (1 − λi)/2, i.e. λi = 2P − 1 (clipped to [0, 1]). Trades of one wallet are not independent
 *   (41 wallets made the 1,024 trades), so P's standard error is clustered by wallet.
 *
 * From the volume series (seven weeks of fee accounting): the mean volume rate and, by Little's law,
 * the mean holding time: open interest (USD) = opening rate (USD/h) × mean holding time (h), where
 * the opening rate is half the traded volume because every position is opened and closed once.
 */
import { quoteRawToUsd } from '../../env/amm/drift-v1/units.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import type { TradeRecord } from './tradeSnapshot.js';
import type { VolumeInterval } from './volumeSeries.js';
import { marketSymbol } from './markets.js';

/** Two-sided 95 % standard-normal quantile. */
const Z95 = 1.959963984540054;

export interface InformedShareEstimate {
  /** Trades whose mark before the trade differs from the oracle (the gap has a sign). */
  readonly decided: number;
  /** Of those, trades in the direction an informed trader would take. */
  readonly consistent: number;
  /** consistent / decided. */
  readonly pConsistent: number;
  /** 2P − 1 clipped to [0, 1]. */
  readonly share: number;
  /** 95 % interval of the share (from P ± 1.96·se, se clustered by wallet), clipped to [0, 1]. */
  readonly ci: readonly [number, number];
  /** Wallets (clusters) among the decided trades. */
  readonly wallets: number;
}

export interface TradeCalibration {
  /** Market index, or -1 for the pooled row. */
  readonly marketIndex: number;
  readonly symbol: string;
  readonly trades: number;
  readonly windowMinutes: number;
  readonly arrivalsPerMinute: number;
  /** 95 % interval (Byar's approximation to the exact Poisson interval). */
  readonly arrivalsPerMinuteCi: readonly [number, number];
  /** Σ notional / window, USD per hour. */
  readonly volumeUsdPerHour: number;
  /** Σ fee / Σ notional. */
  readonly feeRate: number;
  readonly notional: {
    readonly medianUsd: number;
    /** sd of ln notional (n − 1). */
    readonly sigma: number;
    /** Lognormal mean, median·exp(σ²/2), USD. */
    readonly meanUsd: number;
    readonly maxUsd: number;
  };
  readonly longShare: number;
  readonly informed: InformedShareEstimate;
}

export interface TradeSnapshotCalibration {
  /** The snapshot's window, unix seconds (first and last trade). */
  readonly fromTs: number;
  readonly toTs: number;
  /** One row per market with trades, by market index. */
  readonly markets: TradeCalibration[];
  /** All markets together (what a market without trades falls back to). */
  readonly pooled: TradeCalibration;
}

/** Byar's approximation of the exact 95 % Poisson interval for a count n. */
function poissonInterval(n: number): [number, number] {
  const lo = n === 0 ? 0 : n * (1 - 1 / (9 * n) - Z95 / (3 * Math.sqrt(n))) ** 3;
  const m = n + 1;
  const hi = m * (1 - 1 / (9 * m) + Z95 / (3 * Math.sqrt(m))) ** 3;
  return [lo, hi];
}

function clip01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * P(consistent) with a wallet-clustered (sandwich) standard error:
 * Var(P) = G/(G − 1) · Σ_g (Σ_{i∈g} (c_i − P))² / n².
 */
function informedShare(records: readonly TradeRecord[]): InformedShareEstimate {
  const byWallet = new Map<string, { n: number; c: number }>();
  let decided = 0;
  let consistent = 0;
  for (const r of records) {
    if (r.markPriceBefore === r.oraclePrice) continue;
    const c = (r.direction === 'long') === (r.markPriceBefore < r.oraclePrice) ? 1 : 0;
    decided++;
    consistent += c;
    const g = byWallet.get(r.userAuthority) ?? { n: 0, c: 0 };
    g.n++;
    g.c += c;
    byWallet.set(r.userAuthority, g);
  }
  if (decided === 0) return { decided, consistent, pConsistent: NaN, share: NaN, ci: [NaN, NaN], wallets: 0 };
  const p = consistent / decided;
  const G = byWallet.size;
  let s = 0;
  for (const g of byWallet.values()) s += (g.c - p * g.n) ** 2;
  const se = G > 1 ? Math.sqrt((G / (G - 1)) * s) / decided : NaN;
  return {
    decided,
    consistent,
    pConsistent: p,
    share: clip01(2 * p - 1),
    ci: [clip01(2 * (p - Z95 * se) - 1), clip01(2 * (p + Z95 * se) - 1)],
    wallets: G,
  };
}

function calibrateGroup(marketIndex: number, symbol: string, records: readonly TradeRecord[], windowSec: number): TradeCalibration {
  const n = records.length;
  const minutes = windowSec / 60;
  let logSum = 0;
  let notionalSum = 0;
  let feeSum = 0;
  let maxUsd = 0;
  let longs = 0;
  for (const r of records) {
    const usd = quoteRawToUsd(r.quoteAssetAmount);
    if (!(usd > 0)) throw new InvalidArgumentError(`trade ${r.recordId} (${symbol}) has notional ${usd} USD; every taker trade must be > 0`);
    logSum += Math.log(usd);
    notionalSum += usd;
    feeSum += quoteRawToUsd(r.fee);
    if (usd > maxUsd) maxUsd = usd;
    if (r.direction === 'long') longs++;
  }
  const mu = logSum / n;
  let ss = 0;
  for (const r of records) ss += (Math.log(quoteRawToUsd(r.quoteAssetAmount)) - mu) ** 2;
  const sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const [lo, hi] = poissonInterval(n);
  return {
    marketIndex,
    symbol,
    trades: n,
    windowMinutes: minutes,
    arrivalsPerMinute: n / minutes,
    arrivalsPerMinuteCi: [lo / minutes, hi / minutes],
    volumeUsdPerHour: notionalSum / (windowSec / 3600),
    feeRate: feeSum / notionalSum,
    notional: { medianUsd: Math.exp(mu), sigma, meanUsd: Math.exp(mu + (sigma * sigma) / 2), maxUsd },
    longShare: longs / n,
    informed: informedShare(records),
  };
}

/** Per-market and pooled trader statistics of a trade snapshot (records as `loadTradeSnapshot` returns them). */
export function calibrateTrades(records: readonly TradeRecord[]): TradeSnapshotCalibration {
  if (records.length < 2) throw new InvalidArgumentError(`calibrateTrades: needs at least 2 trades to span a window, got ${records.length}`);
  let fromTs = Infinity;
  let toTs = -Infinity;
  for (const r of records) {
    if (r.ts < fromTs) fromTs = r.ts;
    if (r.ts > toTs) toTs = r.ts;
  }
  if (!(toTs > fromTs)) throw new InvalidArgumentError(`calibrateTrades: all ${records.length} trades carry the same second (${fromTs}); no window to measure a rate over`);
  const windowSec = toTs - fromTs;
  const markets = [...new Set(records.map((r) => r.marketIndex))].sort((a, b) => a - b)
    .map((m) => calibrateGroup(m, marketSymbol(m), records.filter((r) => r.marketIndex === m), windowSec));
  return { fromTs, toTs, markets, pooled: calibrateGroup(-1, 'pooled', records, windowSec) };
}

export interface VolumeSummary {
  readonly marketIndex: number;
  readonly symbol: string;
  /** Unflagged intervals with a positive length. */
  readonly intervals: number;
  readonly hours: number;
  readonly volumeUsd: number;
  /** volumeUsd / hours. */
  readonly volumeUsdPerHour: number;
  /** Hour-weighted mean of (long + short open interest) × mark at the interval's start, USD. */
  readonly openInterestUsd: number;
  /** Little's law: openInterestUsd / (volumeUsdPerHour / 2). */
  readonly meanHoldingHours: number;
  /** Smallest and largest sqrt_k seen, base units. */
  readonly sqrtKMin: number;
  readonly sqrtKMax: number;
}

/** Per-market totals of a volume series, flagged and zero-length intervals left out. */
export function summarizeVolume(intervals: readonly VolumeInterval[]): VolumeSummary[] {
  const markets = [...new Set(intervals.map((i) => i.marketIndex))].sort((a, b) => a - b);
  return markets.map((m) => {
    const own = intervals.filter((i) => i.marketIndex === m && i.flag === null && i.hours > 0);
    let hours = 0;
    let volumeUsd = 0;
    let oiHours = 0;
    let sqrtKMin = Infinity;
    let sqrtKMax = 0;
    for (const i of own) {
      hours += i.hours;
      volumeUsd += i.volumeUsd;
      oiHours += i.hours * i.openInterestBase * i.markUsd;
      sqrtKMin = Math.min(sqrtKMin, i.sqrtKBase);
      sqrtKMax = Math.max(sqrtKMax, i.sqrtKBase);
    }
    const volumeUsdPerHour = hours > 0 ? volumeUsd / hours : NaN;
    const openInterestUsd = hours > 0 ? oiHours / hours : NaN;
    return {
      marketIndex: m,
      symbol: marketSymbol(m),
      intervals: own.length,
      hours,
      volumeUsd,
      volumeUsdPerHour,
      openInterestUsd,
      meanHoldingHours: openInterestUsd / (volumeUsdPerHour / 2),
      sqrtKMin,
      sqrtKMax,
    };
  });
}

