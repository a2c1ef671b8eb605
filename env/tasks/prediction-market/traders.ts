/**
 * Who trades against the pool in prediction-market-v0. Each step Poisson(λi + λn) traders arrive,
 * each informed with probability λi/(λi + λn), where λi = `informedRate` and
 * λn = `noiseRate`·min(m^ε, `noiseMaxMultiple`) grows with the LP's liquidity multiple m up to a ceiling.
 *
 * - Informed traders know the true probability q and make the profit-maximising buy at q
 *   (`optimalBuy`): they buy the side the pool underprices until the last share costs what it is
 *   worth, and abstain inside the no-arbitrage band γ·q ≤ p ≤ 1 − γ·(1 − q). Their gains are the
 *   LP's adverse-selection and time-decay losses.
 * - Noise traders buy YES or NO at random with a lognormal collateral amount, but only if the
 *   trade's cost markup over the pool's price, avg price/p_side − 1 (fee plus slippage), is within
 *   a tolerance drawn from an exponential distribution. So demand falls with the fee and with
 *   thin liquidity: the LP's fee and depth trade off volume against adverse selection.
 */
import type { Rng } from '../../core/rng.js';
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { buyGivenCollateralIn, impliedProbability, optimalBuy, type Outcome, type Reserves } from '../../amm/probability-space/index.js';

export interface TraderConfig {
  /** Expected informed arrivals per step (Poisson). Default 1. */
  readonly informedRate: number;
  /** Expected noise arrivals per step at liquidity multiple 1 (Poisson). Default 20. */
  readonly noiseRate: number;
  /**
   * ε: noise arrivals scale with the liquidity multiple m as noiseRate·m^ε (depth attracts flow,
   * with diminishing returns for ε < 1). 0 makes noise demand blind to depth. Default 0.5.
   */
  readonly noiseElasticity: number;
  /**
   * Ceiling on m^ε: demand is finite, so beyond it more depth only adds adverse selection (as
   * drift-vamm-v0's elastic volume model; without it profit grows without bound in m). Default 2.
   */
  readonly noiseMaxMultiple: number;
  /** Largest collateral an informed trader spends in one trade. Default Infinity (trades to the band edge). */
  readonly informedMaxCollateral: number;
  /** Median noise trade, collateral units (lognormal). Default 2. */
  readonly noiseMedianCollateral: number;
  /** σ of the log noise trade size. Default 1. */
  readonly noiseSigma: number;
  /** Mean of the exponential cost tolerance of a noise trader (0.05 = a 5 % markup). Default 0.05. */
  readonly noiseMeanTolerance: number;
}

export const DEFAULT_TRADERS: Readonly<TraderConfig> = Object.freeze({
  informedRate: 1,
  noiseRate: 20,
  noiseElasticity: 0.5,
  noiseMaxMultiple: 2,
  informedMaxCollateral: Infinity,
  noiseMedianCollateral: 2,
  noiseSigma: 1,
  noiseMeanTolerance: 0.05,
});

const RULES: Record<keyof TraderConfig, [min: number, max: number, allowInfinity: boolean]> = {
  informedRate: [0, 1000, false],
  noiseRate: [0, 1000, false],
  noiseElasticity: [0, 2, false],
  noiseMaxMultiple: [1, 1e6, false],
  informedMaxCollateral: [0, Infinity, true],
  noiseMedianCollateral: [0, Infinity, false],
  noiseSigma: [0, 10, false],
  noiseMeanTolerance: [0, Infinity, false],
};

/** Defaults filled in; unknown keys and out-of-range values throw, naming the field. */
export function resolveTraders(value: unknown, where = 'prediction-market-v0 option traders'): TraderConfig {
  if (value === undefined) return DEFAULT_TRADERS;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`${where}: got ${describeValue(value)}; allowed: an object with fields ${Object.keys(RULES).join(', ')}`);
  }
  const out: Record<string, number> = { ...DEFAULT_TRADERS };
  for (const [key, v] of Object.entries(value)) {
    const rule = RULES[key as keyof TraderConfig];
    if (rule === undefined) throw new InvalidArgumentError(`${where}.${key}: got ${describeValue(v)}; no such field; allowed fields are ${Object.keys(RULES).join(', ')}`);
    const [min, max, allowInfinity] = rule;
    const ok = typeof v === 'number' && v >= min && v <= max && (allowInfinity || Number.isFinite(v));
    if (!ok) throw new InvalidArgumentError(`${where}.${key}: got ${describeValue(v)}; allowed: a number in [${min}, ${max}]${allowInfinity ? ' (Infinity allowed)' : ''}`);
    out[key] = v as number;
  }
  return out as unknown as TraderConfig;
}

/** What the traders did in one step (reset by `tradeStep`). */
export interface FlowStats {
  informedTrades: number;
  noiseTrades: number;
  /** Noise traders who walked away because the markup exceeded their tolerance. */
  noiseDeclined: number;
  /** Collateral paid in by all traders. */
  volume: number;
  /** Collateral paid in by informed traders. */
  informedVolume: number;
  /** Fees kept by the pool (fee·collateral, as complete sets). */
  fees: number;
}

export function newFlowStats(): FlowStats {
  return { informedTrades: 0, noiseTrades: 0, noiseDeclined: 0, volume: 0, informedVolume: 0, fees: 0 };
}

/** Beliefs are clamped away from 0 and 1 so an informed trader facing q = 1 still trades to a finite price. */
const BELIEF_EDGE = 1e-9;

/**
 * One step of trading at time to expiry `t` (> 0), true probability `q` and the LP's liquidity
 * multiple (which sets the noise arrival rate); returns the pool
 * afterwards. Draw order (fixed, so episodes replay bit for bit): the arrival count, then per
 * arrival the informed coin, and for noise traders the side, the size and the tolerance.
 */
export function tradeStep(rng: Rng, pool: Reserves, t: number, q: number, feeRate: number, liquidityMultiple: number, cfg: TraderConfig, stats: FlowStats): Reserves {
  stats.informedTrades = 0;
  stats.noiseTrades = 0;
  stats.noiseDeclined = 0;
  stats.volume = 0;
  stats.informedVolume = 0;
  stats.fees = 0;
  const noiseRate = cfg.noiseRate * Math.min(cfg.noiseMaxMultiple, liquidityMultiple ** cfg.noiseElasticity);
  const rate = cfg.informedRate + noiseRate;
  const informedShare = rate > 0 ? cfg.informedRate / rate : 0;
  const arrivals = rate > 0 ? rng.poisson(rate) : 0;
  const belief = Math.min(1 - BELIEF_EDGE, Math.max(BELIEF_EDGE, q));
  let r = pool;
  for (let i = 0; i < arrivals; i++) {
    if (rng.random() < informedShare) {
      const buy = optimalBuy(r, t, belief, feeRate);
      if (buy === null) continue;
      const c = Math.min(buy.collateralIn, cfg.informedMaxCollateral);
      if (!(c > 0)) continue;
      r = buyGivenCollateralIn(r, t, buy.side, c, feeRate).reserves;
      stats.informedTrades++;
      stats.informedVolume += c;
      stats.volume += c;
      stats.fees += feeRate * c;
      continue;
    }
    const side: Outcome = rng.random() < 0.5 ? 'yes' : 'no';
    const c = cfg.noiseMedianCollateral * Math.exp(cfg.noiseSigma * rng.standardNormal());
    const tolerance = rng.exponential(cfg.noiseMeanTolerance);
    if (!(c > 0)) continue;
    const pYes = impliedProbability(r.yes, r.no, t);
    const pSide = side === 'yes' ? pYes : 1 - pYes;
    const trade = buyGivenCollateralIn(r, t, side, c, feeRate);
    // markup of the average price over the pool's price; a zero fill is an infinite markup
    if (!(trade.amountOut > 0) || c / (trade.amountOut * pSide) - 1 > tolerance) {
      stats.noiseDeclined++;
      continue;
    }
    r = trade.reserves;
    stats.noiseTrades++;
    stats.volume += c;
    stats.fees += feeRate * c;
  }
  return r;
}
