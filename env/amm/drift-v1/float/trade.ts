/**
 * Float twin of the trade path (`../ammSwap.ts`, `../positionController.ts`, `../trade.ts`), mutating
 * the market and position structs in place. `openPosition` / `closePosition` are transactional: on a
 * thrown guard (TradeSizeTooSmall, OracleMarkSpreadLimit, …) market and position are restored, like
 * the program aborting the instruction. The lower-level swaps are not (they mutate before the error
 * can only come from reserve exhaustion).
 */
import { MathError, OracleMarkSpreadLimit, TradeSizeTooSmall } from '../errors.js';
import { checkedNewInput, markPrice, nonNegativeChange, PEG_QUOTE_RATIO, reserveChangeToQuote } from './curve.js';
import { isOracleMarkTooDivergent, isOracleValid, oracleMarkSpreadPct } from './oracle.js';
import type { FloatProtocol, FloatSemantics } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatFeeParams, FloatGuardRails, FloatMarket, FloatOracle, FloatPosition } from './state.js';
import { copyFloatMarketInto, DEFAULT_FLOAT_FEE_PARAMS, DEFAULT_FLOAT_GUARD_RAILS } from './state.js';
import { oraclePriceForTwap, updateMarkTwap, updateOracleTwap } from './twap.js';

/** Output slot of the trade functions (reuse one per loop; the default is a shared scratch). */
export interface FloatTradeOut {
  /** Realised pnl before fees, QUOTE_PRECISION. */
  pnl: number;
  fee: number;
  userFee: number;
  feeToMarket: number;
  /** |base| traded, AMM precision. */
  baseAssetAmount: number;
  /** Notional the fee was charged on. */
  quoteAssetAmount: number;
  quoteAssetAmountSurplus: number;
  potentiallyRiskIncreasing: boolean;
  markPriceBefore: number;
  markPriceAfter: number;
}

export function newTradeOut(): FloatTradeOut {
  return {
    pnl: 0,
    fee: 0,
    userFee: 0,
    feeToMarket: 0,
    baseAssetAmount: 0,
    quoteAssetAmount: 0,
    quoteAssetAmountSurplus: 0,
    potentiallyRiskIncreasing: false,
    markPriceBefore: 0,
    markPriceAfter: 0,
  };
}

const defaultOut = newTradeOut();
/** Surplus of the last swap (may2022 spread), read right after a swap call. */
let lastSurplus = 0;

/** `asset_to_reserve_amount`: floor(a·1e10/P). */
export function assetToReserveAmount(quoteRaw: number, pegRaw: number): number {
  return Math.floor((quoteRaw * PEG_QUOTE_RATIO) / pegRaw);
}

/** `reserve_to_asset_amount`: floor(r·P/1e10). */
export function reserveToAssetAmount(reserveRaw: number, pegRaw: number): number {
  return Math.floor((reserveRaw * pegRaw) / PEG_QUOTE_RATIO);
}

function spreadQuoteReserve(m: FloatMarket, long: boolean): number {
  const y = m.curve.quoteAssetReserve;
  const quarter = Math.floor(m.baseSpread / 4);
  if (quarter === 0) throw new MathError('calculateSpreadReserves', `base_spread ${m.baseSpread} < 4 divides by zero`);
  const delta = Math.floor(y / Math.floor(1e6 / quarter));
  return long ? y + delta : y - delta;
}

function swappedQuote(before: number, after: number, add: boolean, peg: number, fs: FloatSemantics): number {
  const change = nonNegativeChange(add ? before - after : after - before, before > after ? before : after, 'calculateQuoteAssetAmountSwapped');
  return reserveChangeToQuote(change, peg, !add, fs);
}

/**
 * Mutates: `swap_quote_asset` (mark TWAP first, then reserves). Returns the signed base acquired;
 * the may2022 spread surplus is available from `lastSwapSurplus()`.
 */
export function swapQuoteAsset(
  m: FloatMarket,
  quoteAssetAmount: number,
  add: boolean,
  nowTs: number,
  protocol: FloatProtocol,
  precomputedMarkPriceRaw: number = NaN,
  useSpread = true,
): number {
  const fs = resolveFloatProtocol(protocol);
  const c = m.curve;
  // dec2021 rounds a `Remove` (short) up by one unit (`ProtocolSemantics.quoteReserveConversion`)
  const r = assetToReserveAmount(quoteAssetAmount, c.pegMultiplier) + (!add && fs.quoteViaQuotePrecision ? 1 : 0);
  if (r < m.minimumQuoteAssetTradeSize) {
    throw new TradeSizeTooSmall('minimumTradeSize', `float twin: quote-reserve amount ${r} below minimum ${m.minimumQuoteAssetTradeSize}`);
  }
  updateMarkTwap(m, nowTs, precomputedMarkPriceRaw);
  const k = c.sqrtK * c.sqrtK;
  const newQuote = checkedNewInput(c.quoteAssetReserve, r, add, fs);
  const newBase = Math.floor(k / newQuote);
  let base = c.baseAssetReserve - newBase;
  lastSurplus = 0;
  if (fs.spreadEnabled && useSpread && m.baseSpread > 0) {
    const ys = spreadQuoteReserve(m, add);
    const xs = Math.floor(k / ys);
    base = xs - Math.floor(k / checkedNewInput(ys, r, add, fs));
    const yIfClosed = Math.floor(k / checkedNewInput(newBase, Math.abs(base), add, fs));
    const change = add ? newQuote - yIfClosed : yIfClosed - newQuote;
    if (change < 0) throw new MathError('quoteAssetAmountSurplus', `u128 underflow (${change})`);
    lastSurplus = Math.abs(reserveToAssetAmount(change, c.pegMultiplier) - quoteAssetAmount);
  }
  c.baseAssetReserve = newBase;
  c.quoteAssetReserve = newQuote;
  return base;
}

/** Mutates: `swap_base_asset`. Returns the quote received (add) or paid (remove). */
export function swapBaseAsset(
  m: FloatMarket,
  baseAssetSwapAmount: number,
  add: boolean,
  nowTs: number,
  protocol: FloatProtocol,
  precomputedMarkPriceRaw: number = NaN,
  useSpread = true,
): number {
  const fs = resolveFloatProtocol(protocol);
  const c = m.curve;
  const k = c.sqrtK * c.sqrtK;
  const newBase = checkedNewInput(c.baseAssetReserve, baseAssetSwapAmount, add, fs);
  const newQuote = Math.floor(k / newBase);
  let quote: number;
  lastSurplus = 0;
  if (fs.spreadEnabled && useSpread && m.baseSpread > 0) {
    const ys = spreadQuoteReserve(m, !add);
    const xs = Math.floor(k / ys);
    const newYs = Math.floor(k / checkedNewInput(xs, baseAssetSwapAmount, add, fs));
    quote = swappedQuote(ys, newYs, add, c.pegMultiplier, fs);
    // surplus against the plain swap, with the direction flipped and may2022's +1 compensated
    const change = add ? c.quoteAssetReserve - newQuote : newQuote - c.quoteAssetReserve;
    if (change < 0) throw new MathError('quoteAssetAmountSurplus', `u128 underflow (${change})`);
    const actual = reserveToAssetAmount(change, c.pegMultiplier) + (add ? 0 : 1);
    lastSurplus = Math.abs(actual - quote);
  } else {
    quote = swappedQuote(c.quoteAssetReserve, newQuote, add, c.pegMultiplier, fs);
  }
  updateMarkTwap(m, nowTs, precomputedMarkPriceRaw);
  c.baseAssetReserve = newBase;
  c.quoteAssetReserve = newQuote;
  return quote;
}

/** Spread surplus of the most recent swap, QUOTE_PRECISION. */
export function lastSwapSurplus(): number {
  return lastSurplus;
}

function addToBuckets(m: FloatMarket, positionAfter: number, delta: number): void {
  if (positionAfter > 0) m.baseAssetAmountLong += delta;
  else m.baseAssetAmountShort += delta;
}

/** Mutates: `increase`. Returns the signed base acquired (surplus in `lastSwapSurplus()`). */
export function increasePosition(
  m: FloatMarket,
  p: FloatPosition,
  long: boolean,
  quoteAssetAmount: number,
  nowTs: number,
  protocol: FloatProtocol,
  precomputedMarkPriceRaw: number = NaN,
): number {
  const fs = resolveFloatProtocol(protocol);
  if (quoteAssetAmount === 0) {
    lastSurplus = 0;
    return 0;
  }
  const acquired = swapQuoteAsset(m, quoteAssetAmount, long, nowTs, fs, precomputedMarkPriceRaw, true);
  if (p.baseAssetAmount === 0) {
    p.lastCumulativeFundingRate = long ? m.cumulativeFundingRateLong : m.cumulativeFundingRateShort;
    m.openInterest += 1;
  }
  p.quoteAssetAmount += quoteAssetAmount;
  p.baseAssetAmount += acquired;
  m.baseAssetAmount += acquired;
  addToBuckets(m, p.baseAssetAmount, acquired);
  return acquired;
}

/** Mutates: `reduce`. Returns realised pnl; base swapped written to `out.baseAssetAmount`. */
function reducePosition(
  m: FloatMarket,
  p: FloatPosition,
  long: boolean,
  quoteAssetAmount: number,
  nowTs: number,
  fs: FloatSemantics,
  precomputedMarkPriceRaw: number,
  out: FloatTradeOut,
): number {
  const swapped = swapQuoteAsset(m, quoteAssetAmount, long, nowTs, fs, precomputedMarkPriceRaw, true);
  const before = p.baseAssetAmount;
  const after = before + swapped;
  if (after === 0) m.openInterest -= 1;
  m.baseAssetAmount += swapped;
  addToBuckets(m, after, swapped);
  const closedEntry = Math.floor((p.quoteAssetAmount * Math.abs(before - after)) / Math.abs(before));
  p.baseAssetAmount = after;
  p.quoteAssetAmount -= closedEntry;
  out.baseAssetAmount = Math.abs(swapped);
  return after > 0 ? quoteAssetAmount - closedEntry : closedEntry - quoteAssetAmount;
}

/** Mutates: `close`. Returns realised pnl; exit value written to `out.quoteAssetAmount`, |base| to `out.baseAssetAmount`. */
function closePositionSwap(
  m: FloatMarket,
  p: FloatPosition,
  nowTs: number,
  fs: FloatSemantics,
  precomputedMarkPriceRaw: number,
  out: FloatTradeOut,
): number {
  const base = p.baseAssetAmount;
  if (base === 0) {
    lastSurplus = 0;
    out.quoteAssetAmount = 0;
    out.baseAssetAmount = 0;
    return 0;
  }
  const add = base > 0;
  const quote = swapBaseAsset(m, Math.abs(base), add, nowTs, fs, precomputedMarkPriceRaw, true);
  const pnl = add ? quote - p.quoteAssetAmount : p.quoteAssetAmount - quote - (fs.shortPnlMinusOne ? 1 : 0);
  m.openInterest -= 1;
  m.baseAssetAmount -= base;
  addToBuckets(m, base, -base);
  p.baseAssetAmount = 0;
  p.quoteAssetAmount = 0;
  p.lastCumulativeFundingRate = 0;
  p.lastFundingRateTs = 0;
  out.quoteAssetAmount = quote;
  out.baseAssetAmount = Math.abs(base);
  return pnl;
}

function chargeFee(m: FloatMarket, quote: number, surplus: number, fee: FloatFeeParams, out: FloatTradeOut): void {
  const f = Math.floor((quote * fee.feeNumerator) / fee.feeDenominator);
  const token = Math.floor((f * fee.tokenDiscountNumerator) / fee.tokenDiscountDenominator);
  const referee = Math.floor((f * fee.refereeDiscountNumerator) / fee.refereeDiscountDenominator);
  const referrer = Math.floor((f * fee.referrerRewardNumerator) / fee.referrerRewardDenominator);
  const userFee = f - token - referee;
  const toMarket = userFee - referrer + surplus;
  m.totalFee += toMarket;
  m.totalFeeMinusDistributions += toMarket;
  out.fee = f;
  out.userFee = userFee;
  out.feeToMarket = toMarket;
}

/** The divergence guard: the rejecting check ('enteringDivergence' | 'riskIncreasingDivergence'), or null. */
function divergenceRejection(
  fs: FloatSemantics,
  rails: FloatGuardRails,
  pctBefore: number,
  pctAfter: number,
  valid: boolean,
  riskIncreasing: boolean,
): string | null {
  if (!valid || !isOracleMarkTooDivergent(pctAfter, fs, rails)) return null;
  if (fs.blockTradeEnteringDivergence && !isOracleMarkTooDivergent(pctBefore, fs, rails)) return 'enteringDivergence';
  if (riskIncreasing && Math.abs(pctAfter) >= Math.abs(pctBefore)) return 'riskIncreasingDivergence';
  return null;
}

// Spread figures of the last divergence rejection, for the thrown error's message.
let rejectedPctBefore = 0;
let rejectedPctAfter = 0;

function divergenceError(check: string): OracleMarkSpreadLimit {
  return new OracleMarkSpreadLimit(check, `float twin: spread ${rejectedPctBefore} → ${rejectedPctAfter}`);
}

// rollback snapshots (allocated once)
let snapMarket: FloatMarket | null = null;
const snapPosition: FloatPosition = { baseAssetAmount: 0, quoteAssetAmount: 0, lastCumulativeFundingRate: 0, lastFundingRateTs: 0 };

function snapshot(m: FloatMarket, p: FloatPosition): void {
  if (snapMarket === null) snapMarket = { ...m, curve: { ...m.curve } };
  else copyFloatMarketInto(snapMarket, m);
  copyPosition(snapPosition, p);
}

function restore(m: FloatMarket, p: FloatPosition): void {
  if (snapMarket !== null) copyFloatMarketInto(m, snapMarket);
  copyPosition(p, snapPosition);
}

// field by field: Object.assign is several times slower on this per-trade path
function copyPosition(dst: FloatPosition, src: FloatPosition): void {
  dst.baseAssetAmount = src.baseAssetAmount;
  dst.quoteAssetAmount = src.quoteAssetAmount;
  dst.lastCumulativeFundingRate = src.lastCumulativeFundingRate;
  dst.lastFundingRateTs = src.lastFundingRateTs;
}

export interface FloatTradeOptions {
  readonly oracle?: FloatOracle | null;
  readonly rails?: FloatGuardRails;
  readonly fee?: FloatFeeParams;
}

const NO_OPTIONS: FloatTradeOptions = Object.freeze({});

/**
 * Mutates market and position: `open_position` by quote notional (increase, reduce, or close and
 * reverse). Transactional on throw. Returns `out` (default: a shared scratch object).
 */
export function openPosition(
  m: FloatMarket,
  p: FloatPosition,
  long: boolean,
  quoteAssetAmount: number,
  nowTs: number,
  protocol: FloatProtocol,
  options: FloatTradeOptions = NO_OPTIONS,
  out: FloatTradeOut = defaultOut,
): FloatTradeOut {
  const check = tryOpenPosition(m, p, long, quoteAssetAmount, nowTs, protocol, options, out);
  if (check !== null) throw divergenceError(check);
  return out;
}

/**
 * `openPosition` for hot loops: a mark/oracle divergence rejection (the common one when the oracle
 * runs away) comes back as the guard's name ('enteringDivergence' | 'riskIncreasingDivergence',
 * error code OracleMarkSpreadLimit) with the state untouched, instead of an exception; other
 * protocol errors still throw. Null: the trade happened.
 */
export function tryOpenPosition(
  m: FloatMarket,
  p: FloatPosition,
  long: boolean,
  quoteAssetAmount: number,
  nowTs: number,
  protocol: FloatProtocol,
  options: FloatTradeOptions = NO_OPTIONS,
  out: FloatTradeOut = defaultOut,
): string | null {
  const fs = resolveFloatProtocol(protocol);
  if (fs.rejectZeroQuoteOrder && quoteAssetAmount === 0) {
    throw new TradeSizeTooSmall('zeroQuote', 'open_position with quote_asset_amount 0');
  }
  snapshot(m, p);
  let check: string | null;
  try {
    check = openPositionUnsafe(m, p, long, quoteAssetAmount, nowTs, fs, options, out);
  } catch (e) {
    restore(m, p);
    throw e;
  }
  if (check !== null) restore(m, p);
  return check;
}

function openPositionUnsafe(
  m: FloatMarket,
  p: FloatPosition,
  long: boolean,
  quoteAssetAmount: number,
  nowTs: number,
  fs: FloatSemantics,
  options: FloatTradeOptions,
  out: FloatTradeOut,
): string | null {
  const rails = options.rails ?? DEFAULT_FLOAT_GUARD_RAILS;
  const oracle = options.oracle ?? null;
  const markBefore = markPrice(m.curve);
  let pctBefore = 0;
  let valid = false;
  if (oracle !== null) {
    pctBefore = oracleMarkSpreadPct(markBefore, oracle.priceRaw, fs);
    valid = isOracleValid(m, oracle, fs, rails);
    if (valid) updateOracleTwap(m, nowTs, oraclePriceForTwap(oracle, markBefore, fs), fs);
  }
  let quote = quoteAssetAmount;
  let pnl = 0;
  let surplus: number;
  let risk = true;
  const pb = p.baseAssetAmount;
  if (pb === 0 || (pb > 0 && long) || (pb < 0 && !long)) {
    out.baseAssetAmount = Math.abs(increasePosition(m, p, long, quote, nowTs, fs, markBefore));
    surplus = lastSurplus;
  } else {
    const c = m.curve;
    const k = c.sqrtK * c.sqrtK;
    const newBase = checkedNewInput(c.baseAssetReserve, Math.abs(pb), pb > 0, fs);
    const value = swappedQuote(c.quoteAssetReserve, Math.floor(k / newBase), pb > 0, c.pegMultiplier, fs);
    if (assetToReserveAmount(Math.abs(quote - value), c.pegMultiplier) < m.minimumQuoteAssetTradeSize) quote = value;
    if (value > quote) {
      pnl = reducePosition(m, p, long, quote, nowTs, fs, markBefore, out);
      surplus = lastSurplus;
      risk = false;
    } else {
      const after = quote - value;
      if (after < value) risk = false;
      pnl = closePositionSwap(m, p, nowTs, fs, markBefore, out);
      surplus = lastSurplus;
      const closedBase = out.baseAssetAmount;
      const opened = increasePosition(m, p, long, after, nowTs, fs, fs.reversalTwapUsesPreTradeMark ? markBefore : NaN);
      surplus += lastSurplus;
      out.baseAssetAmount = closedBase + Math.abs(opened);
    }
  }
  chargeFee(m, quote, surplus, options.fee ?? DEFAULT_FLOAT_FEE_PARAMS, out);
  const markAfter = markPrice(m.curve);
  if (oracle !== null) {
    const pctAfter = oracleMarkSpreadPct(markAfter, oracle.priceRaw, fs);
    const check = divergenceRejection(fs, rails, pctBefore, pctAfter, valid, risk);
    if (check !== null) {
      rejectedPctBefore = pctBefore;
      rejectedPctAfter = pctAfter;
      return check;
    }
  }
  out.pnl = pnl;
  out.quoteAssetAmount = quote;
  out.quoteAssetAmountSurplus = surplus;
  out.potentiallyRiskIncreasing = risk;
  out.markPriceBefore = markBefore;
  out.markPriceAfter = markAfter;
  return null;
}

/** Mutates market and position: `close_position`. Transactional on throw. Returns `out`. */
export function closePosition(
  m: FloatMarket,
  p: FloatPosition,
  nowTs: number,
  protocol: FloatProtocol,
  options: FloatTradeOptions = NO_OPTIONS,
  out: FloatTradeOut = defaultOut,
): FloatTradeOut {
  const check = tryClosePosition(m, p, nowTs, protocol, options, out);
  if (check !== null) throw divergenceError(check);
  return out;
}

/** `closePosition` for hot loops: a divergence rejection comes back as the guard's name (see `tryOpenPosition`). */
export function tryClosePosition(
  m: FloatMarket,
  p: FloatPosition,
  nowTs: number,
  protocol: FloatProtocol,
  options: FloatTradeOptions = NO_OPTIONS,
  out: FloatTradeOut = defaultOut,
): string | null {
  const fs = resolveFloatProtocol(protocol);
  const rails = options.rails ?? DEFAULT_FLOAT_GUARD_RAILS;
  snapshot(m, p);
  try {
    const markBefore = markPrice(m.curve);
    const pnl = closePositionSwap(m, p, nowTs, fs, markBefore, out);
    const surplus = lastSurplus;
    chargeFee(m, out.quoteAssetAmount, surplus, options.fee ?? DEFAULT_FLOAT_FEE_PARAMS, out);
    const markAfter = markPrice(m.curve);
    const oracle = options.oracle ?? null;
    if (oracle !== null) {
      const valid = isOracleValid(m, oracle, fs, rails);
      if (valid) updateOracleTwap(m, nowTs, oraclePriceForTwap(oracle, markBefore, fs), fs);
      if (fs.blockTradeEnteringDivergence) {
        const before = oracleMarkSpreadPct(markBefore, oracle.priceRaw, fs);
        const after = oracleMarkSpreadPct(markAfter, oracle.priceRaw, fs);
        const check = divergenceRejection(fs, rails, before, after, valid, false);
        if (check !== null) {
          rejectedPctBefore = before;
          rejectedPctAfter = after;
          restore(m, p);
          return check;
        }
      }
    }
    out.pnl = pnl;
    out.quoteAssetAmountSurplus = surplus;
    out.potentiallyRiskIncreasing = false;
    out.markPriceBefore = markBefore;
    out.markPriceAfter = markAfter;
  } catch (e) {
    restore(m, p);
    throw e;
  }
  return null;
}

/** Position value if closed now (QUOTE_PRECISION), float twin of `calculateBaseAssetValueAndPnl`'s value. */
export function positionValue(m: FloatMarket, baseAssetAmount: number, protocol: FloatProtocol): number {
  if (baseAssetAmount === 0) return 0;
  const fs = resolveFloatProtocol(protocol);
  const c = m.curve;
  const add = baseAssetAmount > 0;
  const newBase = checkedNewInput(c.baseAssetReserve, Math.abs(baseAssetAmount), add, fs);
  return swappedQuote(c.quoteAssetReserve, Math.floor((c.sqrtK * c.sqrtK) / newBase), add, c.pegMultiplier, fs);
}
