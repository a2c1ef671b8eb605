/**
 * Float twin of the guarded admin adjustments (`../repeg.ts` `repeg`, `../updateK.ts` `updateK`).
 *
 * `tryRepeg` / `tryUpdateK` are the hot-loop forms: no throw, no allocation. On success they mutate
 * the market (curve and tfmd), write the cost to `out.cost` and return null; on rejection they leave
 * the market untouched, write the failing guard to `out.check` and return the protocol error code.
 * `repeg` / `updateK` wrap them and throw the same typed errors as the exact code.
 */
import type { DriftErrorCode } from '../errors.js';
import {
  DriftProtocolError,
  MathError,
  InvalidRepegDirection,
  InvalidRepegProfitability,
  InvalidRepegRedundant,
  InvalidUpdateK,
} from '../errors.js';
import { adjustKCurveInto, adjustPegCost, calculatePrice, curveChangeCost, markPrice, terminalQuoteReserve } from './curve.js';
import { isOracleValid } from './oracle.js';
import type { FloatProtocol } from './semantics.js';
import { resolveFloatProtocol } from './semantics.js';
import type { FloatCurve, FloatGuardRails, FloatMarket, FloatOracle } from './state.js';
import { DEFAULT_FLOAT_GUARD_RAILS } from './state.js';

/** Output slot of the try* functions (reuse one per loop). */
export interface FloatAdjustOut {
  /** QUOTE_PRECISION, protocol pays > 0. Valid when the call returned null. */
  cost: number;
  /** The guard that rejected ('' on success): same strings as the exact errors' `check`. */
  check: string;
}

export function newAdjustOut(): FloatAdjustOut {
  return { cost: 0, check: '' };
}

const scratchCurve: FloatCurve = { baseAssetReserve: 0, quoteAssetReserve: 0, sqrtK: 0, pegMultiplier: 0 };

function terminalPriceAt(x: number, y: number, s: number, peg: number, d: number, fs: ReturnType<typeof resolveFloatProtocol>): number {
  scratchCurve.baseAssetReserve = x;
  scratchCurve.quoteAssetReserve = y;
  scratchCurve.sqrtK = s;
  scratchCurve.pegMultiplier = peg;
  return calculatePrice(terminalQuoteReserve(scratchCurve, d, fs), x + d, peg);
}

/**
 * Repeg with every guard of the exact `repeg` (redundant, oracle direction and bands when the oracle
 * is valid, fee-pool tranche). `oracle` null = no valid oracle (band checks skipped).
 */
export function tryRepeg(
  m: FloatMarket,
  newPegRaw: number,
  oracle: FloatOracle | null,
  protocol: FloatProtocol,
  out: FloatAdjustOut,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
): DriftErrorCode | null {
  const fs = resolveFloatProtocol(protocol);
  const c = m.curve;
  const d = m.baseAssetAmount;
  out.check = '';
  if (newPegRaw === c.pegMultiplier) {
    out.check = 'redundant';
    return 'InvalidRepegRedundant';
  }
  const x = c.baseAssetReserve;
  const y = c.quoteAssetReserve;
  const s = c.sqrtK;
  const terminalBefore = terminalPriceAt(x, y, s, c.pegMultiplier, d, fs);
  const cost = adjustPegCost(c, d, newPegRaw, fs);
  if (oracle !== null && isOracleValid(m, oracle, fs, rails)) {
    const terminalAfter = terminalPriceAt(x, y, s, newPegRaw, d, fs);
    const markAfter = calculatePrice(y, x, newPegRaw);
    const o = oracle.priceRaw;
    const top = o + oracle.confidenceRaw;
    const bottom = o - oracle.confidenceRaw;
    if (o > terminalAfter) {
      if (terminalAfter < terminalBefore) return reject(out, 'direction', 'InvalidRepegDirection');
      if (bottom < terminalAfter) return reject(out, 'terminalBand', 'InvalidRepegProfitability');
      if (markAfter > top) return reject(out, 'markBand', 'InvalidRepegProfitability');
    }
    if (o < terminalAfter) {
      if (terminalAfter > terminalBefore) return reject(out, 'direction', 'InvalidRepegDirection');
      if (top > terminalAfter) return reject(out, 'terminalBand', 'InvalidRepegProfitability');
      if (markAfter < bottom) return reject(out, 'markBand', 'InvalidRepegProfitability');
    }
  }
  let tfmd = m.totalFeeMinusDistributions;
  if (cost > 0) {
    tfmd = tfmd > cost ? tfmd - cost : 0;
    if (tfmd < Math.floor(m.totalFee / 2)) return reject(out, 'feePoolTranche', 'InvalidRepegProfitability');
  } else {
    tfmd -= cost;
  }
  c.pegMultiplier = newPegRaw;
  m.totalFeeMinusDistributions = tfmd;
  out.cost = cost;
  return null;
}

function reject(out: FloatAdjustOut, check: string, code: DriftErrorCode): DriftErrorCode {
  out.check = check;
  return code;
}

const before: FloatCurve = { baseAssetReserve: 0, quoteAssetReserve: 0, sqrtK: 0, pegMultiplier: 0 };
const after: FloatCurve = { baseAssetReserve: 0, quoteAssetReserve: 0, sqrtK: 0, pegMultiplier: 0 };

/** update_k with every guard of the exact `updateK` (k-decrease limit, budget, price change, k_err). */
export function tryUpdateK(m: FloatMarket, newSqrtK: number, protocol: FloatProtocol, out: FloatAdjustOut): DriftErrorCode | null {
  const fs = resolveFloatProtocol(protocol);
  const c = m.curve;
  out.check = '';
  const priceBefore = markPrice(c);
  if (!adjustKCurveInto(c, newSqrtK, fs, after)) return reject(out, 'kDecreaseLimit', 'InvalidUpdateK');
  before.baseAssetReserve = c.baseAssetReserve;
  before.quoteAssetReserve = c.quoteAssetReserve;
  before.sqrtK = c.sqrtK;
  before.pegMultiplier = c.pegMultiplier;
  const cost = curveChangeCost(before, after, m.baseAssetAmount, fs);
  let tfmd = m.totalFeeMinusDistributions;
  if (cost > 0) {
    // exact: subU(tfmd, withdrawn) underflows (MathError) before the budget comparison
    if (m.totalFeeWithdrawn > tfmd) return reject(out, 'updateK.budget', 'MathError');
    if (cost > tfmd - m.totalFeeWithdrawn) return reject(out, 'budget', 'InvalidUpdateK');
    tfmd -= cost;
  } else {
    tfmd -= cost;
  }
  if (Math.abs(priceBefore - markPrice(after)) > fs.updateKAllowedPriceChange) {
    return reject(out, 'priceChange', 'InvalidUpdateK');
  }
  if (fs.kErrMax !== Infinity) {
    // k_err = isqrt(x'·y') − s is a few raw units against reserves up to ~1e20, below float64
    // resolution. With y' = floor(s²/x') (invariant) the exact value lies in [−(x'/(2s) + 1), 0], so
    // use that bound; with a scaled y' use (x'·y' − s²)/(2s), noisy by ~s·2^-51 (fine for the large
    // errors a scaled update produces, e.g. −19,275,992 on row 385).
    const xa = after.baseAssetReserve;
    const kErr = fs.kScaledQuote
      ? (xa * after.quoteAssetReserve - newSqrtK * newSqrtK) / (2 * newSqrtK)
      : -(xa / (2 * newSqrtK));
    if (Math.abs(kErr) > fs.kErrMax) return reject(out, 'kErr', 'InvalidUpdateK');
  }
  c.baseAssetReserve = after.baseAssetReserve;
  c.quoteAssetReserve = after.quoteAssetReserve;
  c.sqrtK = after.sqrtK;
  m.totalFeeMinusDistributions = tfmd;
  out.cost = cost;
  return null;
}

const throwOut = newAdjustOut();

function toError(code: DriftErrorCode, check: string, what: string): DriftProtocolError {
  const msg = `float twin: ${what} rejected by the '${check}' guard`;
  switch (code) {
    case 'InvalidRepegRedundant':
      return new InvalidRepegRedundant(check, msg);
    case 'InvalidRepegDirection':
      return new InvalidRepegDirection(check, msg);
    case 'InvalidRepegProfitability':
      return new InvalidRepegProfitability(check, msg);
    case 'InvalidUpdateK':
      return new InvalidUpdateK(check, msg);
    case 'MathError':
      return new MathError(check, msg);
    default:
      return new DriftProtocolError(code, check, msg);
  }
}

/** Mutates on success and returns the cost; throws the exact code's error class on rejection. */
export function repeg(
  m: FloatMarket,
  newPegRaw: number,
  oracle: FloatOracle | null,
  protocol: FloatProtocol,
  rails: FloatGuardRails = DEFAULT_FLOAT_GUARD_RAILS,
): number {
  const code = tryRepeg(m, newPegRaw, oracle, protocol, throwOut, rails);
  if (code !== null) {
    throw toError(code, throwOut.check, `repeg ${m.curve.pegMultiplier} → ${newPegRaw} (tfmd ${m.totalFeeMinusDistributions}, total_fee ${m.totalFee})`);
  }
  return throwOut.cost;
}

/** Mutates on success and returns the cost; throws InvalidUpdateK on rejection. */
export function updateK(m: FloatMarket, newSqrtK: number, protocol: FloatProtocol): number {
  const code = tryUpdateK(m, newSqrtK, protocol, throwOut);
  if (code !== null) {
    throw toError(code, throwOut.check, `update_k ${m.curve.sqrtK} → ${newSqrtK} (tfmd ${m.totalFeeMinusDistributions}, withdrawn ${m.totalFeeWithdrawn})`);
  }
  return throwOut.cost;
}
