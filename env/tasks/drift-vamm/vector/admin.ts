/**
 * The admin's action of one sub-env, on the columns: `DriftVammEnv.applyDiscrete` /
 * `applyContinuous` with the float twin's guarded `tryRepeg` / `tryUpdateK` (jan2022) inlined — the
 * same targets, guards in the same order, the same kRange bound, and what the twin throws deeper
 * down (reserve underflow: MathError, negative oracle: CastingFailure) as the same rejection.
 * Inlining lets the repeg compute the terminal quote reserve once (the twin computes it three
 * times) and skips the copy through a market struct; test/vector-drift-vamm.test.ts checks every
 * outcome against the twin on random markets. The formulaic action's targets (closed forms) still
 * come from `budgetedPegRaw` / `formulaicSqrtK` on a scratch market.
 *
 * Rejections come back as an index into `RejectionTable` (0: applied, or nothing asked), so a step
 * allocates no string.
 */
import type { FloatMarket } from '../../../amm/drift-v1/float/index.js';
import { DEFAULT_FLOAT_GUARD_RAILS, resolveFloatProtocol } from '../../../amm/drift-v1/float/index.js';
import { budgetedPegRaw, formulaicSqrtK, oraclePegRaw, type DiscreteAction } from '../actions.js';
import type { DriftVammColumns } from './columns.js';
import { loadAdmin } from './scratchMarket.js';

/**
 * The rejection strings a step can report ("Code [check]", as the scalar env's `info.rejected`),
 * interned: index 0 is "none", new (code, check) pairs get the next index the first time they occur.
 */
export class RejectionTable {
  private readonly names: string[] = [''];
  private readonly byCode = new Map<string, Map<string, number>>();

  /** The index of "code [check]". */
  intern(code: string, check: string): number {
    let checks = this.byCode.get(code);
    if (checks === undefined) {
      checks = new Map();
      this.byCode.set(code, checks);
    }
    let index = checks.get(check);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(`${code} [${check}]`);
      checks.set(check, index);
    }
    return index;
  }

  /** The scalar env's `info.rejected` for an index: null for 0. */
  name(index: number): string | null {
    return index === 0 ? null : this.names[index] ?? null;
  }

  /** Every name, by index ('' at 0). */
  get all(): readonly string[] {
    return this.names;
  }
}

const KIND_HOLD = 0;
const KIND_REPEG_ORACLE = 1;
const KIND_REPEG_HALF = 2;
const KIND_K_UP = 3;
const KIND_K_DOWN = 4;
const KIND_FORMULAIC = 5;

export interface AdminParams {
  readonly actions: readonly DiscreteAction[];
  readonly sqrtK0: number;
  readonly kRange: number;
  readonly kDeltaMax: number;
  readonly oracleConfidenceBps: number;
  /** The template's total_fee_withdrawn (nothing in an episode changes it). */
  readonly totalFeeWithdrawn: number;
}

export class AdminActions {
  readonly rejections = new RejectionTable();
  private readonly kinds: Int32Array;
  private readonly deltas: Float64Array;
  private readonly sqrtK0: number;
  private readonly kRange: number;
  private readonly kDeltaMax: number;
  private readonly bps: number;
  private readonly withdrawn: number;
  // jan2022 semantics the inlined code reads
  private readonly shortPnlMinusOne: number;
  private readonly kMinRatio: number;
  private readonly allowedPriceChange: number;
  private readonly tooVolatileRatio: number;
  private readonly confidenceMax: number;
  // rejection indices, interned once
  private readonly rRedundant: number;
  private readonly rDirection: number;
  private readonly rTerminalBand: number;
  private readonly rMarkBand: number;
  private readonly rTranche: number;
  private readonly rSwapOutput: number;
  private readonly rQuoteSwapped: number;
  private readonly rCastPrice: number;
  private readonly rCastTwap: number;
  private readonly rKRange: number;
  private readonly rKDecrease: number;
  private readonly rBudgetUnderflow: number;
  private readonly rBudget: number;
  private readonly rPriceChange: number;

  constructor(private readonly cols: DriftVammColumns, private readonly scratch: FloatMarket, params: AdminParams) {
    const fs = resolveFloatProtocol('jan2022');
    // the inlined arithmetic is jan2022's: direct quote conversions, k-scaled quote reserve, no k_err check
    if (fs.quoteViaQuotePrecision || fs.removeSwapPlusOne || !fs.kScaledQuote || fs.kErrMax !== Infinity || !fs.oracleValidityTwapFromAccount) {
      throw new RangeError('AdminActions: the inlined repeg/update_k implement jan2022 semantics only');
    }
    this.kinds = Int32Array.from(params.actions, (a) => {
      switch (a.kind) {
        case 'hold': return KIND_HOLD;
        case 'repeg-oracle': return KIND_REPEG_ORACLE;
        case 'repeg-half': return KIND_REPEG_HALF;
        case 'k-up': return KIND_K_UP;
        case 'k-down': return KIND_K_DOWN;
        case 'formulaic': return KIND_FORMULAIC;
        case 'historical': throw new RangeError('drift-vamm-v0 vector env: the historical action exists only in replays');
      }
    });
    this.deltas = Float64Array.from(params.actions, (a) => (a.kind === 'k-up' || a.kind === 'k-down' ? a.delta : 0));
    this.sqrtK0 = params.sqrtK0;
    this.kRange = params.kRange;
    this.kDeltaMax = params.kDeltaMax;
    this.bps = params.oracleConfidenceBps;
    this.withdrawn = params.totalFeeWithdrawn;
    this.shortPnlMinusOne = fs.shortPnlMinusOne ? 1 : 0;
    this.kMinRatio = fs.kMinRatio;
    this.allowedPriceChange = fs.updateKAllowedPriceChange;
    this.tooVolatileRatio = DEFAULT_FLOAT_GUARD_RAILS.tooVolatileRatio;
    this.confidenceMax = DEFAULT_FLOAT_GUARD_RAILS.confidenceIntervalMaxSize;
    const t = this.rejections;
    this.rKRange = t.intern('KOutOfRange', 'kRange');
    this.rRedundant = t.intern('InvalidRepegRedundant', 'redundant');
    this.rDirection = t.intern('InvalidRepegDirection', 'direction');
    this.rTerminalBand = t.intern('InvalidRepegProfitability', 'terminalBand');
    this.rMarkBand = t.intern('InvalidRepegProfitability', 'markBand');
    this.rTranche = t.intern('InvalidRepegProfitability', 'feePoolTranche');
    this.rKDecrease = t.intern('InvalidUpdateK', 'kDecreaseLimit');
    this.rBudgetUnderflow = t.intern('MathError', 'updateK.budget');
    this.rBudget = t.intern('InvalidUpdateK', 'budget');
    this.rPriceChange = t.intern('InvalidUpdateK', 'priceChange');
    this.rSwapOutput = t.intern('MathError', 'calculateSwapOutput');
    this.rQuoteSwapped = t.intern('MathError', 'calculateQuoteAssetAmountSwapped');
    this.rCastPrice = t.intern('CastingFailure', 'isOracleValid.price');
    this.rCastTwap = t.intern('CastingFailure', 'isOracleValid.twap');
  }

  /** Discrete action `a` on sub-env i; returns the rejection index. */
  applyDiscrete(i: number, a: number): number {
    const c = this.cols;
    switch (this.kinds[a]) {
      case KIND_REPEG_ORACLE:
        return this.repeg(i, this.oraclePeg(i));
      case KIND_REPEG_HALF: {
        const P = c.peg[i]!;
        return this.repeg(i, Math.round(P + (this.oraclePeg(i) - P) / 2));
      }
      case KIND_K_UP:
        return this.updateK(i, Math.round(c.sqrtK[i]! * (1 + this.deltas[a]!)));
      case KIND_K_DOWN:
        return this.updateK(i, Math.round(c.sqrtK[i]! * (1 - this.deltas[a]!)));
      case KIND_FORMULAIC:
        return this.formulaic(i);
      default:
        return 0;
    }
  }

  /** Continuous action (a0, a1) on sub-env i (see `DriftVammEnv.applyContinuous`). */
  applyContinuous(i: number, a0: number, a1: number): number {
    const c = this.cols;
    const P = c.peg[i]!;
    const peg = Math.round(P + ((a0 + 1) / 2) * (this.oraclePeg(i) - P));
    const repegRejected = peg === P ? 0 : this.repeg(i, peg);
    const s0 = c.sqrtK[i]!;
    const s = Math.round(s0 * Math.exp(a1 * this.kDeltaMax));
    const kRejected = s === s0 ? 0 : this.updateK(i, s);
    return repegRejected !== 0 ? repegRejected : kRejected;
  }

  /** `oraclePegRaw` of sub-env i's curve and env oracle. */
  private oraclePeg(i: number): number {
    const c = this.cols;
    return Math.max(1, Math.round((c.oraclePriceRaw[i]! * c.baseReserve[i]!) / (c.quoteReserve[i]! * 1e7)));
  }

  private formulaic(i: number): number {
    const c = this.cols;
    const m = this.scratch;
    loadAdmin(m, c, i);
    const peg = budgetedPegRaw(m, oraclePegRaw(m.curve, c.oraclePriceRaw[i]!));
    const repegRejected = peg === c.peg[i] ? 0 : this.repeg(i, peg);
    loadAdmin(m, c, i);
    const s = formulaicSqrtK(m, c.fundingSinceKRaw[i]!);
    if (s === c.sqrtK[i]) return repegRejected;
    const kRejected = this.updateK(i, s);
    if (kRejected === 0) c.fundingSinceKRaw[i] = 0;
    return repegRejected !== 0 ? repegRejected : kRejected;
  }

  /** `tryRepeg` against the env's oracle (price, confidence bps of it, no TWAP of its own). */
  repeg(i: number, newPeg: number): number {
    const c = this.cols;
    const P = c.peg[i]!;
    if (newPeg === P) return this.rRedundant;
    const x = c.baseReserve[i]!;
    const y = c.quoteReserve[i]!;
    const s = c.sqrtK[i]!;
    const d = c.baseAmount[i]!;
    // terminal quote reserve y_t = floor(s²/(x + d)), shared by both terminal prices and the cost
    let xt: number;
    if (d > 0) xt = x + d;
    else {
      const a = -d;
      if (a > x) return this.rSwapOutput;
      xt = x - a;
      if (xt === 0) return this.rSwapOutput;
    }
    const yt = Math.floor((s * s) / xt);
    const xd = x + d;
    const terminalBefore = Math.floor((yt * P * 1e7) / xd);
    let cost = 0;
    if (d !== 0) {
      let dq = d > 0 ? y - yt : yt - y;
      if (dq < 0) {
        if (dq >= -y * 2 ** -50) dq = 0;
        else return this.rQuoteSwapped;
      }
      const vb = Math.floor((dq * P) / 1e10);
      const va = Math.floor((dq * newPeg) / 1e10);
      cost = d > 0 ? va - vb : vb - va - this.shortPnlMinusOne;
    }
    // isOracleValid: the market's oracle TWAP stands in for the oracle's own
    const o = c.oraclePriceRaw[i]!;
    const conf = (o * this.bps) / 1e4;
    const twap = c.oracleTwap[i]!;
    const nonPositive = twap <= 0 || o <= 0;
    const tooVolatile = Math.trunc(o / Math.max(1, twap)) > this.tooVolatileRatio || Math.trunc(twap / Math.max(1, o)) > this.tooVolatileRatio;
    if (o < 0) return this.rCastPrice;
    let confTooLarge = Math.floor(o / Math.max(1, conf)) < this.confidenceMax;
    if (twap < 0) return this.rCastTwap;
    confTooLarge ||= Math.floor(twap / Math.max(1, conf)) < this.confidenceMax;
    if (!(confTooLarge || nonPositive || tooVolatile)) {
      const terminalAfter = Math.floor((yt * newPeg * 1e7) / xd);
      const markAfter = Math.floor((y * newPeg * 1e7) / x);
      const top = o + conf;
      const bottom = o - conf;
      if (o > terminalAfter) {
        if (terminalAfter < terminalBefore) return this.rDirection;
        if (bottom < terminalAfter) return this.rTerminalBand;
        if (markAfter > top) return this.rMarkBand;
      }
      if (o < terminalAfter) {
        if (terminalAfter > terminalBefore) return this.rDirection;
        if (top > terminalAfter) return this.rTerminalBand;
        if (markAfter < bottom) return this.rMarkBand;
      }
    }
    let tfmd = c.tfmd[i]!;
    if (cost > 0) {
      tfmd = tfmd > cost ? tfmd - cost : 0;
      if (tfmd < Math.floor(c.totalFee[i]! / 2)) return this.rTranche;
    } else tfmd -= cost;
    c.peg[i] = newPeg;
    c.tfmd[i] = tfmd;
    return 0;
  }

  /** The env's kRange bound, then `tryUpdateK`. */
  updateK(i: number, newS: number): number {
    if (newS > this.sqrtK0 * this.kRange || newS * this.kRange < this.sqrtK0) return this.rKRange;
    const c = this.cols;
    const x = c.baseReserve[i]!;
    const y = c.quoteReserve[i]!;
    const s = c.sqrtK[i]!;
    const P = c.peg[i]!;
    const d = c.baseAmount[i]!;
    const priceBefore = Math.floor((y * P * 1e7) / x);
    const ratio = Math.floor((newS * 1e10) / s);
    if (ratio < this.kMinRatio) return this.rKDecrease;
    const xa = Math.floor((x * ratio) / 1e10);
    const ya = Math.floor((y * ratio) / 1e10);
    let cost = 0;
    if (d !== 0) {
      const vb = this.netValue(x, y, s, P, d);
      if (vb < 0) return -vb;
      const va = this.netValue(xa, ya, newS, P, d);
      if (va < 0) return -va;
      cost = d > 0 ? va - vb : vb - va - this.shortPnlMinusOne;
    }
    let tfmd = c.tfmd[i]!;
    if (cost > 0) {
      if (this.withdrawn > tfmd) return this.rBudgetUnderflow;
      if (cost > tfmd - this.withdrawn) return this.rBudget;
      tfmd -= cost;
    } else tfmd -= cost;
    if (Math.abs(priceBefore - Math.floor((ya * P * 1e7) / xa)) > this.allowedPriceChange) return this.rPriceChange;
    c.baseReserve[i] = xa;
    c.quoteReserve[i] = ya;
    c.sqrtK[i] = newS;
    c.tfmd[i] = tfmd;
    return 0;
  }

  /** `netUserPositionValue` (d ≠ 0) of a curve, or −(rejection index) where the twin throws. */
  private netValue(x: number, y: number, s: number, P: number, d: number): number {
    let xt: number;
    if (d > 0) xt = x + d;
    else {
      const a = -d;
      if (a > x) return -this.rSwapOutput;
      xt = x - a;
      if (xt === 0) return -this.rSwapOutput;
    }
    const yt = Math.floor((s * s) / xt);
    let dq = d > 0 ? y - yt : yt - y;
    if (dq < 0) {
      if (dq >= -y * 2 ** -50) dq = 0;
      else return -this.rQuoteSwapped;
    }
    return Math.floor((dq * P) / 1e10);
  }
}
