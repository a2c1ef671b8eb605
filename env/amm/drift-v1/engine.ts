/**
 * One stateful interface over the two Drift v1 implementations, so the trader flow and the MDP can
 * run on either: `FloatEngine` (the float64 twin, mutated in place: the fast default) or
 * `ExactEngine` (the bigint program math, the reference). Both expose the state as a `FloatMarket`
 * `view` that callers read (mark, reserves, fee pool, open interest); the exact engine refreshes it
 * from its bigint state after every operation, so a reader never sees a stale or half-updated view.
 *
 * Operations return the protocol's rejection instead of throwing (hot loops reject often): `null`
 * when applied, else the error code, with the guard in `check`. A rejected operation changes
 * nothing. Positions are identified by a handle: the float engine keeps base and quote in the
 * caller's book (exact enough below 2^53), the exact engine keeps each bigint position by handle.
 */
import { DriftProtocolError, type DriftErrorCode } from './errors.js';
import { copyFloatMarketInto, toFloatMarket, writeFloatMarket, type FloatMarket, type FloatOracle, type FloatPosition } from './float/state.js';
import { tryRepeg as floatTryRepeg, tryUpdateK as floatTryUpdateK, type FloatAdjustOut } from './float/guards.js';
import { tryClosePosition, tryOpenPosition, type FloatTradeOut } from './float/trade.js';
import { updateFundingRate as floatUpdateFundingRate } from './float/funding.js';
import { resolveFloatProtocol, type FloatSemantics } from './float/semantics.js';
import { updateFundingRate } from './funding.js';
import { repeg } from './repeg.js';
import { closePosition, openPosition, type TradeResult } from './trade.js';
import { updateK } from './updateK.js';
import { resolveProtocol, type ProtocolSemantics, type ProtocolVersion } from './protocol.js';
import { createMarket, EMPTY_POSITION, type Market, type OracleReading, type UserPosition } from './state.js';

export type EngineKind = 'float' | 'exact';
export const ENGINE_KINDS: readonly EngineKind[] = Object.freeze(['float', 'exact']);

/** Where a trade's result lands: the notional and fee (as the float twin's trade out), the new position. */
export interface EngineTrade {
  readonly out: FloatTradeOut;
  /** The opened position (base signed, AMM precision; entry quote, QUOTE_PRECISION). */
  readonly position: FloatPosition;
}

export interface DriftEngine {
  readonly kind: EngineKind;
  /** The market state, read-only by contract. */
  readonly view: FloatMarket;
  /** Resets the state to `template` and forgets every position. */
  load(template: Market): void;
  /**
   * `open_position` of a fresh account. Returns a handle ≥ 0 (the position is in `trade.position`)
   * or −1 when the protocol rejects it (state untouched).
   */
  tryOpen(long: boolean, quoteRaw: number, nowTs: number, oracle: FloatOracle | null, trade: EngineTrade): number;
  /** `close_position` of the position opened under `handle` (base/quote as booked). False: rejected, kept. */
  tryClose(handle: number, baseRaw: number, quoteRaw: number, nowTs: number, oracle: FloatOracle | null, out: FloatTradeOut): boolean;
  tryRepeg(newPegRaw: number, oracle: FloatOracle | null, out: FloatAdjustOut): DriftErrorCode | null;
  tryUpdateK(newSqrtK: number, out: FloatAdjustOut): DriftErrorCode | null;
  /** `update_funding_rate`; throws `InvalidFundingProfitability` like the program (jan2022 below the floor). */
  updateFunding(oracle: FloatOracle, nowTs: number): boolean;
}

/**
 * The twin's guards return their rejections; what the exact code raises deeper down (a u128
 * underflow when a net position outgrows the reserves) arrives as a thrown protocol error, and is
 * a rejection too, as a failed transaction is on chain. The twin leaves the state untouched then.
 */
function floatAdjust(out: FloatAdjustOut, run: () => DriftErrorCode | null): DriftErrorCode | null {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof DriftProtocolError)) throw e;
    out.check = e.check;
    return e.code;
  }
}

/** The float64 twin: every operation mutates `view` in place. */
export class FloatEngine implements DriftEngine {
  readonly kind = 'float' as const;
  view: FloatMarket;
  private readonly fs: FloatSemantics;
  private readonly oracleOpts: { oracle: FloatOracle | null } = { oracle: null };
  private templateSource: Market | null = null;
  private template: FloatMarket | null = null;
  private readonly closing: FloatPosition = { baseAssetAmount: 0, quoteAssetAmount: 0, lastCumulativeFundingRate: 0, lastFundingRateTs: 0 };

  /** Runs on its own `view`, filled by `load`; the trader flow points `view` at a caller's struct instead. */
  constructor(readonly protocol: ProtocolVersion) {
    this.fs = resolveFloatProtocol(protocol);
    this.view = toFloatMarket(placeholderMarket());
  }

  load(template: Market): void {
    if (template !== this.templateSource) {
      this.templateSource = template;
      this.template = toFloatMarket(template);
    }
    copyFloatMarketInto(this.view, this.template!);
  }

  tryOpen(long: boolean, quoteRaw: number, nowTs: number, oracle: FloatOracle | null, trade: EngineTrade): number {
    const p = trade.position;
    p.baseAssetAmount = 0;
    p.quoteAssetAmount = 0;
    p.lastCumulativeFundingRate = 0;
    p.lastFundingRateTs = 0;
    this.oracleOpts.oracle = oracle;
    try {
      return tryOpenPosition(this.view, p, long, quoteRaw, nowTs, this.fs, this.oracleOpts, trade.out) === null ? 0 : -1;
    } catch (e) {
      if (e instanceof DriftProtocolError) return -1;
      throw e;
    }
  }

  tryClose(_handle: number, baseRaw: number, quoteRaw: number, nowTs: number, oracle: FloatOracle | null, out: FloatTradeOut): boolean {
    const p = this.closing;
    p.baseAssetAmount = baseRaw;
    p.quoteAssetAmount = quoteRaw;
    p.lastCumulativeFundingRate = 0;
    p.lastFundingRateTs = 0;
    this.oracleOpts.oracle = oracle;
    try {
      return tryClosePosition(this.view, p, nowTs, this.fs, this.oracleOpts, out) === null;
    } catch (e) {
      if (e instanceof DriftProtocolError) return false;
      throw e;
    }
  }

  tryRepeg(newPegRaw: number, oracle: FloatOracle | null, out: FloatAdjustOut): DriftErrorCode | null {
    return floatAdjust(out, () => floatTryRepeg(this.view, newPegRaw, oracle, this.fs, out));
  }

  tryUpdateK(newSqrtK: number, out: FloatAdjustOut): DriftErrorCode | null {
    return floatAdjust(out, () => floatTryUpdateK(this.view, newSqrtK, this.fs, out));
  }

  updateFunding(oracle: FloatOracle, nowTs: number): boolean {
    return floatUpdateFundingRate(this.view, oracle, nowTs, this.fs);
  }
}

/**
 * The bigint program math. Float inputs (quote notionals, pegs, sqrt_k proposals, oracle reads)
 * must be integers in raw units; they are converted with `BigInt` (non-integers are rounded to the
 * nearest unit first, as a keeper would submit them). Positions keep their exact bigint amounts.
 */
export class ExactEngine implements DriftEngine {
  readonly kind = 'exact' as const;
  readonly view: FloatMarket = toFloatMarket(placeholderMarket());
  private readonly sem: ProtocolSemantics;
  private state: Market = placeholderMarket();
  private readonly positions = new Map<number, UserPosition>();
  private nextHandle = 0;

  constructor(readonly protocol: ProtocolVersion) {
    this.sem = resolveProtocol(protocol);
  }

  /** The exact state (immutable; replaced by every operation). */
  get market(): Market {
    return this.state;
  }

  /** The exact position booked under `handle`, if open. */
  position(handle: number): UserPosition | undefined {
    return this.positions.get(handle);
  }

  load(template: Market): void {
    this.positions.clear();
    this.nextHandle = 0;
    this.set(template);
  }

  tryOpen(long: boolean, quoteRaw: number, nowTs: number, oracle: FloatOracle | null, trade: EngineTrade): number {
    try {
      const r = openPosition(this.state, EMPTY_POSITION, long ? 'long' : 'short', toBig(quoteRaw), BigInt(nowTs), this.sem, oracleOption(oracle));
      this.set(r.market);
      writeTradeOut(trade.out, r);
      const p = trade.position;
      p.baseAssetAmount = Number(r.position.baseAssetAmount);
      p.quoteAssetAmount = Number(r.position.quoteAssetAmount);
      p.lastCumulativeFundingRate = Number(r.position.lastCumulativeFundingRate);
      p.lastFundingRateTs = Number(r.position.lastFundingRateTs);
      const handle = this.nextHandle++;
      this.positions.set(handle, r.position);
      return handle;
    } catch (e) {
      if (e instanceof DriftProtocolError) return -1;
      throw e;
    }
  }

  tryClose(handle: number, _baseRaw: number, _quoteRaw: number, nowTs: number, oracle: FloatOracle | null, out: FloatTradeOut): boolean {
    const position = this.positions.get(handle);
    if (position === undefined) throw new RangeError(`ExactEngine.tryClose: no open position under handle ${handle}`);
    try {
      const r = closePosition(this.state, position, BigInt(nowTs), this.sem, oracleOption(oracle));
      this.set(r.market);
      writeTradeOut(out, r);
      this.positions.delete(handle);
      return true;
    } catch (e) {
      if (e instanceof DriftProtocolError) return false;
      throw e;
    }
  }

  tryRepeg(newPegRaw: number, oracle: FloatOracle | null, out: FloatAdjustOut): DriftErrorCode | null {
    return this.adjust(out, () => repeg(this.state, toBig(newPegRaw), oracle === null ? null : toReading(oracle), this.sem));
  }

  tryUpdateK(newSqrtK: number, out: FloatAdjustOut): DriftErrorCode | null {
    return this.adjust(out, () => updateK(this.state, toBig(newSqrtK), this.sem));
  }

  updateFunding(oracle: FloatOracle, nowTs: number): boolean {
    const r = updateFundingRate(this.state, toReading(oracle), BigInt(nowTs), this.sem);
    this.set(r.market);
    return r.updated;
  }

  private adjust(out: FloatAdjustOut, run: () => { market: Market; cost: bigint }): DriftErrorCode | null {
    out.check = '';
    try {
      const r = run();
      this.set(r.market);
      out.cost = Number(r.cost);
      return null;
    } catch (e) {
      if (!(e instanceof DriftProtocolError)) throw e;
      out.check = e.check;
      return e.code;
    }
  }

  private set(m: Market): void {
    this.state = m;
    writeFloatMarket(this.view, m);
  }
}

export function makeEngine(kind: EngineKind, protocol: ProtocolVersion): DriftEngine {
  return kind === 'exact' ? new ExactEngine(protocol) : new FloatEngine(protocol);
}

/** A 1-unit curve standing in until `load` (views are not read before it). */
function placeholderMarket(): Market {
  return createMarket({ baseAssetReserve: 1n, quoteAssetReserve: 1n, sqrtK: 1n, pegMultiplier: 1n });
}

function toBig(v: number): bigint {
  return BigInt(Number.isInteger(v) ? v : Math.round(v));
}

function toReading(o: FloatOracle): OracleReading {
  return {
    priceRaw: toBig(o.priceRaw),
    confidenceRaw: toBig(o.confidenceRaw),
    delaySlots: toBig(o.delaySlots),
    ...(Number.isNaN(o.twapRaw) ? {} : { twapRaw: toBig(o.twapRaw) }),
    twapConfidenceRaw: toBig(o.twapConfidenceRaw),
    hasSufficientDataPoints: o.hasSufficientDataPoints,
  };
}

function oracleOption(oracle: FloatOracle | null): { oracle?: OracleReading } {
  return oracle === null ? {} : { oracle: toReading(oracle) };
}

function writeTradeOut(out: FloatTradeOut, r: TradeResult): void {
  out.pnl = Number(r.pnl);
  out.fee = Number(r.fee.fee);
  out.userFee = Number(r.fee.userFee);
  out.feeToMarket = Number(r.fee.feeToMarket);
  out.baseAssetAmount = Number(r.baseAssetAmount);
  out.quoteAssetAmount = Number(r.quoteAssetAmount);
  out.quoteAssetAmountSurplus = Number(r.quoteAssetAmountSurplus);
  out.potentiallyRiskIncreasing = r.potentiallyRiskIncreasing;
  out.markPriceBefore = Number(r.markPriceBefore);
  out.markPriceAfter = Number(r.markPriceAfter);
}
