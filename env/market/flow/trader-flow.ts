/**
 * `TraderFlow`: informed and uninformed traders against the Drift v1 float twin
 * (damm-parameter-optimization.md §2.2.2; mbt_gym's arrival model, rl-conventions.md §3.1).
 *
 * Each step:
 * 1. positions whose holding time is up are closed (close trades count toward volume and fees);
 * 2. N ~ Poisson(λ) traders arrive, λ = λu/(1 − λi) with λu the volume model's uninformed rate, and
 *    each is informed with probability λi (so λi is exactly the informed share of arrivals, and the
 *    two kinds are mutually exclusive as in the source). Types are drawn one by one, so the order of
 *    informed and uninformed trades within a step is random;
 * 3. informed traders trade toward the fee-adjusted oracle (`informed.ts`), uninformed ones go
 *    long/short 50/50 with a lognormal notional; every opened position gets a geometric holding time
 *    with mean `meanHoldingSteps` (≥ 1 step).
 *
 * Each trader is its own user account (a fresh position), so the book's long/short base sums equal
 * the market's `baseAssetAmountLong/Short` changes. A trade the protocol rejects (a
 * `DriftProtocolError`: TradeSizeTooSmall, OracleMarkSpreadLimit, …) is counted, not thrown; the
 * engine leaves the market as it was. A rejected close stays in the book and is retried next step.
 * Trades run through a `DriftEngine` (float twin or exact bigint); handed a bare `FloatMarket`, the
 * flow trades on it with the float twin.
 *
 * Hot path: no closures or objects per trade; one trade-out struct, one scratch position, one oracle
 * struct, a typed-array book. The same rng state gives bit-identical results.
 */
import { markPrice } from '../../amm/drift-v1/float/curve.js';
import { DEFAULT_FLOAT_FEE_PARAMS, emptyFloatPosition, type FloatMarket, type FloatOracle } from '../../amm/drift-v1/float/state.js';
import { newTradeOut } from '../../amm/drift-v1/float/trade.js';
import { FloatEngine, type DriftEngine, type EngineTrade } from '../../amm/drift-v1/engine.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../amm/drift-v1/protocol.js';
import { describeValue, InvalidArgumentError, ResetNeeded } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { MarketConfigError } from '../errors.js';
import { PositionBook } from './book.js';
import { poissonCached } from '../poisson.js';
import { resolveTraderFlowConfig, type TraderFlowConfig } from './config.js';
import { informedQuoteRaw } from './informed.js';
import type { FlowStepStats } from './stats.js';

const QUOTE_PER_USD = 1e6;
const PRICE_PER_USD = 1e10;
const RESERVE_PER_BASE = 1e13;

export class TraderFlow {
  /** The resolved config (defaults filled in, frozen). */
  readonly config: TraderFlowConfig;
  readonly protocol: ProtocolVersion;
  /** Fee rate the informed traders price in (the protocol's default 10/10000). */
  readonly feeRate: number;

  private readonly book = new PositionBook();
  private readonly trade: EngineTrade = { out: newTradeOut(), position: emptyFloatPosition() };
  /** Runs the trades when `step` is handed a bare FloatMarket. */
  private readonly floatEngine: FloatEngine;
  private readonly oracle: FloatOracle = {
    priceRaw: 0,
    confidenceRaw: 0,
    delaySlots: 0,
    twapRaw: 0,
    twapConfidenceRaw: 0,
    hasSufficientDataPoints: true,
  };
  /** The oracle passed to every trade (null: guards off). */
  private readonly tradeOracle: FloatOracle | null;
  // derived constants
  private readonly arrivalsPerUninformed: number;
  private readonly logMedian: number;
  private readonly meanNotionalUsd: number;
  private readonly invLogStay: number;
  private readonly maxQuoteRaw: number;
  private readonly minProfitRaw: number;
  // state
  private sqrtK0 = 0;
  private t = 0;
  private cachedSqrtK = NaN;
  private cachedRate = 0;
  private poissonLam = NaN;
  private poissonLimit = 1;

  constructor(config: Partial<TraderFlowConfig> = {}, protocol: ProtocolVersion = 'jan2022') {
    if (!PROTOCOL_VERSIONS.includes(protocol)) {
      throw new MarketConfigError('traderFlow protocol', protocol, PROTOCOL_VERSIONS.map((v) => `'${v}'`).join(', '));
    }
    this.config = resolveTraderFlowConfig(config);
    this.protocol = protocol;
    this.floatEngine = new FloatEngine(protocol);
    this.feeRate = DEFAULT_FLOAT_FEE_PARAMS.feeNumerator / DEFAULT_FLOAT_FEE_PARAMS.feeDenominator;
    const c = this.config;
    this.tradeOracle = c.oracleGuards ? this.oracle : null;
    this.arrivalsPerUninformed = 1 / (1 - c.informedShare);
    this.logMedian = Math.log(c.uninformedMedianUsd);
    this.meanNotionalUsd = c.uninformedMedianUsd * Math.exp(0.5 * c.uninformedSigma * c.uninformedSigma);
    // geometric holding time H ≥ 1 with P(H > h) = (1 − p)^h, p = 1/mean: H = 1 + floor(ln U / ln(1 − p))
    const p = 1 / c.meanHoldingSteps;
    this.invLogStay = p >= 1 ? 0 : 1 / Math.log1p(-p);
    this.maxQuoteRaw = Math.floor(c.informedMaxUsd * QUOTE_PER_USD);
    this.minProfitRaw = c.informedMinProfitUsd * QUOTE_PER_USD;
  }

  /**
   * Clears the book and records k0 = sqrt_k² of the market (the elastic model's reference).
   * `market` is the float twin's state, or an engine (exact or float) whose view is read.
   */
  reset(market: FloatMarket | DriftEngine): void {
    const s = viewOf(market).curve.sqrtK;
    if (!(s > 0) || !Number.isFinite(s)) throw new InvalidArgumentError(`TraderFlow.reset: market.curve.sqrtK must be finite and > 0, got ${describeValue(s)}`);
    this.sqrtK0 = s;
    this.t = 0;
    this.book.clear();
    this.cachedSqrtK = NaN;
  }

  /** k at the last reset (sqrt_k², AMM precision squared). */
  get k0(): number {
    return this.sqrtK0 * this.sqrtK0;
  }

  /** Steps taken since reset. */
  get stepIndex(): number {
    return this.t;
  }

  /** Open trader positions in the book. */
  get openPositions(): number {
    return this.book.size;
  }

  /** Sum of the book's long base amounts, AMM precision (1e13), ≥ 0. */
  get longOpenInterest(): number {
    return this.book.sumBase(true);
  }

  /** Sum of the book's short base amounts, AMM precision (1e13), ≤ 0 (the market's sign convention). */
  get shortOpenInterest(): number {
    return this.book.sumBase(false);
  }

  /** Expected uninformed arrivals per step on `market` under the volume model. */
  uninformedArrivalRate(market: FloatMarket): number {
    const vm = this.config.volumeModel;
    const s = market.curve.sqrtK;
    if (vm.kind === 'elastic') {
      if (s !== this.cachedSqrtK) {
        // (k/k0)^ε = (s/s0)^(2ε); cached because k only moves when the agent acts
        this.cachedSqrtK = s;
        this.cachedRate = vm.baseArrivalsPerStep * Math.min(Math.pow(s / this.sqrtK0, 2 * vm.elasticity), vm.maxMultiple ?? Infinity);
      }
      return this.cachedRate;
    }
    const sqrtKBase = s / RESERVE_PER_BASE;
    const kTerm = vm.kUnits === 'k' ? sqrtKBase * sqrtKBase : sqrtKBase;
    const volumeUsd = (vm.beta0 ?? 0) + (vm.beta1 ?? 0) * (markPrice(market.curve) / PRICE_PER_USD) + (vm.beta2 ?? 0) * kTerm;
    return volumeUsd > 0 ? volumeUsd / this.meanNotionalUsd : 0;
  }

  /** Expected arrivals per step, informed and uninformed: λu/(1 − λi), at most `maxArrivalsPerStep`. */
  arrivalRate(market: FloatMarket): number {
    return Math.min(this.config.maxArrivalsPerStep, this.uninformedArrivalRate(market) * this.arrivalsPerUninformed);
  }

  /**
   * Advances one step against `market` (mutated): closes due positions, then processes the
   * arrivals. `oraclePriceRaw` is the oracle price (MARK_PRICE_PRECISION, 1e10), `nowTs` unix
   * seconds. Overwrites and returns `out`.
   */
  step(rng: Rng, target: FloatMarket | DriftEngine, oraclePriceRaw: number, nowTs: number, out: FlowStepStats): FlowStepStats {
    if (this.sqrtK0 === 0) throw new ResetNeeded('TraderFlow.step called before reset(market)');
    if (!(oraclePriceRaw > 0) || oraclePriceRaw === Infinity) {
      throw new InvalidArgumentError(`TraderFlow.step: oraclePriceRaw must be finite and > 0 (MARK_PRICE_PRECISION), got ${describeValue(oraclePriceRaw)}`);
    }
    out.volumeUsd = 0;
    out.feesUsd = 0;
    out.trades = 0;
    out.informed = 0;
    out.uninformed = 0;
    out.closes = 0;
    out.rejected = 0;
    out.abstained = 0;
    out.informedVolumeUsd = 0;
    out.uninformedLongUsd = 0;
    out.uninformedShortUsd = 0;
    const oracle = this.oracle;
    oracle.priceRaw = oraclePriceRaw;
    oracle.twapRaw = oraclePriceRaw;
    const t = this.t;
    let engine: DriftEngine;
    if (isEngine(target)) {
      engine = target;
    } else {
      engine = this.floatEngine;
      this.floatEngine.view = target;
    }
    const market = engine.view;

    this.closeDue(engine, t, nowTs, out);

    const lam = this.arrivalRate(market);
    out.arrivalRate = lam;
    const n = this.poisson(rng, lam);
    const c = this.config;
    for (let i = 0; i < n; i++) {
      if (rng.random() < c.informedShare) {
        const q = informedQuoteRaw(market.curve, oraclePriceRaw, this.feeRate, this.maxQuoteRaw, this.minProfitRaw);
        if (q === 0) {
          out.abstained++;
          continue;
        }
        if (this.open(rng, engine, q > 0, q > 0 ? q : -q, nowTs, t, out)) {
          out.informed++;
          out.informedVolumeUsd += this.trade.out.quoteAssetAmount / QUOTE_PER_USD;
        }
      } else {
        const long = rng.random() < 0.5;
        const usd = Math.exp(this.logMedian + c.uninformedSigma * rng.standardNormal());
        if (this.open(rng, engine, long, Math.floor(usd * QUOTE_PER_USD), nowTs, t, out)) {
          out.uninformed++;
          const traded = this.trade.out.quoteAssetAmount / QUOTE_PER_USD;
          if (long) out.uninformedLongUsd += traded;
          else out.uninformedShortUsd += traded;
        }
      }
    }
    this.t = t + 1;
    return out;
  }

  private closeDue(engine: DriftEngine, t: number, nowTs: number, out: FlowStepStats): void {
    const book = this.book;
    const tr = this.trade.out;
    while (book.peekDue() <= t) {
      const base = book.peekBase();
      const quote = book.peekQuote();
      const handle = book.peekHandle();
      book.pop();
      if (!engine.tryClose(handle, base, quote, nowTs, this.tradeOracle, tr)) {
        out.rejected++;
        book.push(t + 1, base, quote, handle); // the trader tries again next step
        continue;
      }
      out.closes++;
      out.trades++;
      out.volumeUsd += tr.quoteAssetAmount / QUOTE_PER_USD;
      out.feesUsd += tr.feeToMarket / QUOTE_PER_USD;
    }
  }

  /** Opens a fresh position; books it with its holding time. False when the protocol rejects it. */
  private open(rng: Rng, engine: DriftEngine, long: boolean, quoteRaw: number, nowTs: number, t: number, out: FlowStepStats): boolean {
    const trade = this.trade;
    // divergence rejections are frequent once the oracle runs away: engines return them, not throw
    const handle = engine.tryOpen(long, quoteRaw, nowTs, this.tradeOracle, trade);
    if (handle < 0) {
      out.rejected++;
      return false;
    }
    const tr = trade.out;
    out.trades++;
    out.volumeUsd += tr.quoteAssetAmount / QUOTE_PER_USD;
    out.feesUsd += tr.feeToMarket / QUOTE_PER_USD;
    const hold = 1 + Math.floor(Math.log(1 - rng.random()) * this.invLogStay);
    this.book.push(t + hold, trade.position.baseAssetAmount, trade.position.quoteAssetAmount, handle);
    return true;
  }

  /** Poisson(λ) with e^{−λ} cached across steps (λ only changes when k does). */
  private poisson(rng: Rng, lam: number): number {
    if (lam !== this.poissonLam) {
      this.poissonLam = lam;
      this.poissonLimit = Math.exp(-lam);
    }
    return poissonCached(rng, lam, this.poissonLimit);
  }
}

function isEngine(x: FloatMarket | DriftEngine): x is DriftEngine {
  return (x as DriftEngine).view !== undefined;
}

function viewOf(x: FloatMarket | DriftEngine): FloatMarket {
  return isEngine(x) ? x.view : x;
}
