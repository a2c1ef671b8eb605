/**
 * The struct-of-arrays step of drift-vamm-v0: N sub-envs in one loop, each step exactly the scalar
 * `DriftVammEnv.step` with the default float engine under jan2022 semantics (admin action, oracle
 * GBM move, trader flow, hourly funding, reward, termination, observation, TimeLimit truncation).
 *
 * Hot path: the per-trade code of `TraderFlow` and the float twin's `tryOpenPosition` /
 * `tryClosePosition` (a fresh position per trader, no spread, jan2022 rounding) is inlined on
 * locals; the RNG (xoshiro128** and the Box–Muller spare of `Rng`) lives in locals for the whole
 * sub-env step, so every draw is the scalar env's draw. A trade the protocol rejects computes into
 * temporaries and never commits, which is what the twin's snapshot/restore amounts to. The admin
 * action (admin.ts: the twin's guards inlined on the columns) and the hourly funding (funding.ts:
 * the twin itself through a scratch market) run at most once per step. Nothing is allocated per
 * step, except when a trader book outgrows its segment (amortised doubling).
 *
 * Each `random()` / `standardNormal()` of `Rng` is written out inline where it is drawn, under a
 * `// <var> = random()` / `// <var> = standardNormal()` comment: two xoshiro128** outputs → 53 bits;
 * Box–Muller with the second value kept as the spare. Keep them in step with env/core/rng.ts.
 */
import { InvalidActionError, InvalidArgumentError, ResetNeeded, describeValue } from '../../../core/errors.js';
import { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import {
  DEFAULT_FLOAT_FEE_PARAMS, DEFAULT_FLOAT_GUARD_RAILS, markPrice, resolveFloatProtocol, toFloatMarket, type FloatMarket,
} from '../../../amm/drift-v1/float/index.js';
import { createMarket } from '../../../amm/drift-v1/state.js';
import { SECONDS_PER_YEAR, resolveTraderFlowConfig } from '../../../market/index.js';
import { discreteActions } from '../actions.js';
import { AdminActions } from './admin.js';
import { DriftVammColumns, type RowRange } from './columns.js';
import { privateColumns, type ColumnAlloc } from '../../../core/vector/columnAlloc.js';
import { FundingUpdate } from './funding.js';
import {
  InfoColumns, TERMINATION_DIVERGENCE, TERMINATION_FLOOR, TERMINATION_INVALID,
} from './infoColumns.js';
import type { ResolvedVectorOptions } from './options.js';
import { ColumnDraws } from '../../../core/vector/rngColumns.js';
import { scratchMarket } from './scratchMarket.js';

const TWO_53 = 9007199254740992;
const QUOTE = 1e6;
const RESERVE = 1e13;
const PRICE = 1e10;
/** The scalar env's episode start (2022-01-01T00:00:00Z). */
const T0 = 1_640_995_200;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * The flow's oracle read is valid (`isOracleValid`, jan2022): its TWAP is the price itself and its
 * confidence 0, so for a finite price > 0 the volatility test compares 1 (or trunc(price) = 0 below
 * 1) with `tooVolatileRatio` ≥ 1, and the confidence test is floor(price/1) < `confidenceIntervalMaxSize`:
 * valid ⟺ price ≥ confidenceIntervalMaxSize (an integer). The kernel checks the ratio at construction.
 */
const FLOW_ORACLE_MIN_PRICE = DEFAULT_FLOAT_GUARD_RAILS.confidenceIntervalMaxSize;

/** Other threads that step the rows this kernel's thread does not (shards.ts). */
export interface RowWorkers {
  /** Hands them the step's (checked) actions; they start stepping their rows. */
  start(actions: ArrayLike<number>): void;
  /** Returns when they are done; rethrows what one of them threw. */
  finish(): void;
  /** Ends the threads. */
  close(): void;
}

/** Where a kernel's columns and outputs live and which rows its thread steps (default: private arrays, all rows). */
export interface KernelLayout {
  readonly alloc: ColumnAlloc;
  readonly rows: RowRange;
}

export class DriftVammKernel {
  readonly numEnvs: number;
  readonly cols: DriftVammColumns;
  readonly obsSize: number;
  readonly discrete: boolean;
  readonly numActions: number;
  readonly autoresetMode: AutoresetMode;
  readonly admin: AdminActions;
  /** The market every episode starts from (the scalar env's template through the float twin). */
  readonly template: FloatMarket;

  // outputs, overwritten by every step
  readonly observations: Float32Array;
  readonly rewards: Float64Array;
  readonly terminations: Uint8Array;
  readonly truncations: Uint8Array;
  readonly info: InfoColumns;
  // same-step mode: what ended this step
  readonly finalObservations: Float32Array;
  readonly finalInfo: InfoColumns;
  readonly finalMask: Uint8Array;

  readonly funding: FundingUpdate;
  /** The rows `step` steps on this thread. */
  readonly rows: RowRange;
  /** Set by the vector env when worker threads step the other rows. */
  workers: RowWorkers | null = null;
  private readonly draws = new ColumnDraws();
  // episode constants
  private readonly mark0: number;
  private readonly sqrtK0: number;
  private readonly floorSlackRaw: number;
  private readonly fundingPeriodSec: number;
  private readonly minQuoteReserve: number;
  private readonly feeNumerator: number;
  private readonly feeDenominator: number;
  private readonly maxSpreadPct: number;
  private readonly spreadPrecision: number;
  private readonly stepSec: number;
  private readonly gbmMeanLog: number;
  private readonly gbmStdLog: number;
  private readonly horizon: number;
  private readonly maxEpisodeSteps: number;
  private readonly maxDivergence: number;
  private readonly penaltyUsd: number;
  private readonly seedReward: boolean;
  private readonly imbalanceObs: boolean;
  // trader flow constants (TraderFlow's)
  private readonly oracleGuards: boolean;
  private readonly informedShare: number;
  private readonly arrivalsPerUninformed: number;
  private readonly logMedian: number;
  private readonly sigma: number;
  private readonly invLogStay: number;
  private readonly maxQuoteRaw: number;
  private readonly minProfitRaw: number;
  private readonly oneMinusFee: number;
  private readonly onePlusFee: number;
  private readonly maxArrivals: number;
  private readonly elastic: boolean;
  private readonly baseArrivals: number;
  private readonly twoElasticity: number;
  private readonly maxMultiple: number;
  private readonly beta0: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly kUnitsK: boolean;
  private readonly meanNotionalUsd: number;

  constructor(options: ResolvedVectorOptions, layout?: KernelLayout) {
    const o = options.scalar;
    const n = options.numEnvs;
    const alloc = layout?.alloc ?? privateColumns;
    this.numEnvs = n;
    this.rows = layout?.rows ?? { lo: 0, hi: n };
    this.cols = new DriftVammColumns(n, { alloc, bookRows: this.rows });
    this.autoresetMode = options.autoresetMode;
    this.imbalanceObs = o.observation === 'imbalance';
    this.obsSize = this.imbalanceObs ? 1 : 5;
    this.discrete = o.actionSpace === 'discrete';
    const actions = this.discrete ? discreteActions(o.kDeltas, false) : [];
    this.numActions = actions.length;

    const m = o.market;
    this.template = toFloatMarket(createMarket({
      baseAssetReserve: BigInt(m.baseAssetReserve), quoteAssetReserve: BigInt(m.quoteAssetReserve),
      sqrtK: BigInt(m.sqrtK), pegMultiplier: BigInt(m.pegMultiplier),
    }, {
      totalFee: BigInt(m.totalFee), totalFeeMinusDistributions: BigInt(m.totalFeeMinusDistributions),
      lastFundingRateTs: BigInt(T0), lastOraclePriceTwapTs: BigInt(T0), lastMarkPriceTwapTs: BigInt(T0),
    }));
    const t = this.template;
    this.mark0 = markPrice(t.curve);
    this.sqrtK0 = t.curve.sqrtK;
    this.floorSlackRaw = Math.max(0, Math.floor(t.totalFee / 2) - t.totalFeeMinusDistributions);
    this.fundingPeriodSec = t.fundingPeriodSec;
    this.minQuoteReserve = t.minimumQuoteAssetTradeSize;
    this.feeNumerator = DEFAULT_FLOAT_FEE_PARAMS.feeNumerator;
    this.feeDenominator = DEFAULT_FLOAT_FEE_PARAMS.feeDenominator;
    const fs = resolveFloatProtocol('jan2022');
    this.spreadPrecision = fs.oracleSpreadPctPrecision;
    const rails = DEFAULT_FLOAT_GUARD_RAILS;
    if (!(rails.tooVolatileRatio >= 1 && Number.isInteger(rails.confidenceIntervalMaxSize) && rails.slotsBeforeStale >= 0)) {
      throw new RangeError('DriftVammKernel: the flow oracle validity shortcut needs tooVolatileRatio ≥ 1, an integer confidence bound and slotsBeforeStale ≥ 0');
    }
    this.maxSpreadPct = Math.floor((rails.markOracleDivergenceNumerator * fs.oracleSpreadPctPrecision) / rails.markOracleDivergenceDenominator);

    this.stepSec = o.stepSec;
    const dt = o.stepSec / SECONDS_PER_YEAR;
    this.gbmMeanLog = (options.gbmDrift - 0.5 * options.gbmVolatility * options.gbmVolatility) * dt;
    this.gbmStdLog = options.gbmVolatility * Math.sqrt(dt);
    this.horizon = o.horizon;
    this.maxEpisodeSteps = options.maxEpisodeSteps;
    this.maxDivergence = o.maxDivergence;
    this.penaltyUsd = o.rejectionPenaltyUsd;
    this.seedReward = o.reward === 'seed';

    const c = resolveTraderFlowConfig(o.traders);
    this.oracleGuards = c.oracleGuards;
    this.informedShare = c.informedShare;
    this.arrivalsPerUninformed = 1 / (1 - c.informedShare);
    this.logMedian = Math.log(c.uninformedMedianUsd);
    this.sigma = c.uninformedSigma;
    this.meanNotionalUsd = c.uninformedMedianUsd * Math.exp(0.5 * c.uninformedSigma * c.uninformedSigma);
    const p = 1 / c.meanHoldingSteps;
    this.invLogStay = p >= 1 ? 0 : 1 / Math.log1p(-p);
    this.maxQuoteRaw = Math.floor(c.informedMaxUsd * QUOTE);
    this.minProfitRaw = c.informedMinProfitUsd * QUOTE;
    const feeRate = DEFAULT_FLOAT_FEE_PARAMS.feeNumerator / DEFAULT_FLOAT_FEE_PARAMS.feeDenominator;
    this.oneMinusFee = 1 - feeRate;
    this.onePlusFee = 1 + feeRate;
    this.maxArrivals = c.maxArrivalsPerStep;
    const vm = c.volumeModel;
    this.elastic = vm.kind === 'elastic';
    this.baseArrivals = vm.kind === 'elastic' ? vm.baseArrivalsPerStep : 0;
    this.twoElasticity = vm.kind === 'elastic' ? 2 * vm.elasticity : 0;
    this.maxMultiple = vm.kind === 'elastic' ? vm.maxMultiple ?? Infinity : Infinity;
    this.beta0 = vm.kind === 'linear' ? vm.beta0 ?? 0 : 0;
    this.beta1 = vm.kind === 'linear' ? vm.beta1 ?? 0 : 0;
    this.beta2 = vm.kind === 'linear' ? vm.beta2 ?? 0 : 0;
    this.kUnitsK = vm.kind === 'linear' && vm.kUnits === 'k';

    this.admin = new AdminActions(this.cols, scratchMarket(t), {
      actions, sqrtK0: this.sqrtK0, kRange: o.kRange, kDeltaMax: o.kDeltaMax,
      oracleConfidenceBps: o.oracleConfidenceBps, totalFeeWithdrawn: t.totalFeeWithdrawn,
    });
    this.funding = new FundingUpdate(scratchMarket(t), o.oracleConfidenceBps);

    this.observations = alloc.f32(n * this.obsSize);
    this.rewards = alloc.f64(n);
    this.terminations = alloc.u8(n);
    this.truncations = alloc.u8(n);
    this.info = new InfoColumns(n, alloc);
    this.finalObservations = alloc.f32(n * this.obsSize);
    this.finalInfo = new InfoColumns(n, alloc);
    this.finalMask = alloc.u8(n);
  }

  /**
   * Starts a new episode in sub-env i (the scalar `reset` after its reseed): the template market,
   * the oracle at the mark, an empty book, step 0. Writes its observation and reset info rows.
   */
  resetSubEnv(i: number): void {
    const c = this.cols;
    const t = this.template;
    c.baseReserve[i] = t.curve.baseAssetReserve;
    c.quoteReserve[i] = t.curve.quoteAssetReserve;
    c.sqrtK[i] = t.curve.sqrtK;
    c.peg[i] = t.curve.pegMultiplier;
    c.baseAmount[i] = t.baseAssetAmount;
    c.baseLong[i] = t.baseAssetAmountLong;
    c.baseShort[i] = t.baseAssetAmountShort;
    c.openInterest[i] = t.openInterest;
    c.totalFee[i] = t.totalFee;
    c.tfmd[i] = t.totalFeeMinusDistributions;
    c.cumFundingLong[i] = t.cumulativeFundingRateLong;
    c.cumFundingShort[i] = t.cumulativeFundingRateShort;
    c.lastFundingRate[i] = t.lastFundingRate;
    c.lastFundingRateTs[i] = t.lastFundingRateTs;
    c.oracleTwap[i] = t.lastOraclePriceTwap;
    c.oracleTwapTs[i] = t.lastOraclePriceTwapTs;
    c.markTwap[i] = t.lastMarkPriceTwap;
    c.markTwapTs[i] = t.lastMarkPriceTwapTs;
    c.lastOraclePrice[i] = t.lastOraclePrice;
    const mark = this.mark0;
    c.oracleUsd[i] = mark / PRICE;
    c.oraclePriceRaw[i] = mark;
    c.stepCount[i] = 0;
    c.nowTs[i] = T0;
    c.fundingEpoch[i] = Math.floor(T0 / this.fundingPeriodSec);
    c.fundingSinceKRaw[i] = 0;
    c.rateSqrtK[i] = NaN;
    c.logKSqrtK[i] = NaN;
    c.bookSize[i] = 0;
    c.ended[i] = 0;
    c.started[i] = 1;
    this.writeObservation(i, mark, mark, 0);
    const info = this.info;
    info.step[i] = 0;
    info.volumeUsd[i] = 0;
    info.trades[i] = 0;
    info.feesUsd[i] = 0;
    info.adjustmentCostUsd[i] = 0;
    info.fundingUsd[i] = 0;
    info.rejectedCode[i] = 0;
    info.terminationCode[i] = 0;
    info.fundingBlocked[i] = 0;
    this.writeStateInfo(i, mark, mark);
  }

  private writeObservation(i: number, mark: number, oraclePriceRaw: number, step: number): void {
    const c = this.cols;
    if (this.imbalanceObs) {
      this.observations[i] = (c.baseLong[i]! + c.baseShort[i]!) / RESERVE;
      return;
    }
    const s = c.sqrtK[i]!;
    const tf = c.totalFee[i]!;
    const j = i * 5;
    const obs = this.observations;
    obs[j] = clip(c.baseAmount[i]! / s, -1, 1);
    obs[j + 1] = clip(mark / oraclePriceRaw - 1, -1, 1);
    obs[j + 2] = tf > 0 ? clip((c.tfmd[i]! - Math.floor(tf / 2)) / tf, -1, 1) : 0;
    if (s !== c.logKSqrtK[i]) {
      c.logKSqrtK[i] = s;
      c.logK[i] = Math.log(s / this.sqrtK0);
    }
    obs[j + 3] = clip(c.logK[i]!, -5, 5);
    obs[j + 4] = clip(step / this.horizon, 0, 1);
  }

  private writeStateInfo(i: number, mark: number, oraclePriceRaw: number): void {
    const c = this.cols;
    const info = this.info;
    info.markUsd[i] = mark / PRICE;
    info.oracleUsd[i] = oraclePriceRaw / PRICE;
    info.pegUsd[i] = c.peg[i]! / 1e3;
    info.sqrtK[i] = c.sqrtK[i]!;
    info.longOiBase[i] = c.baseLong[i]! / RESERVE;
    info.shortOiBase[i] = Math.abs(c.baseShort[i]!) / RESERVE;
    info.tfmdUsd[i] = c.tfmd[i]! / QUOTE;
    info.totalFeeUsd[i] = c.totalFee[i]! / QUOTE;
  }

  /** Throws `InvalidActionError` naming the first sub-env (not resetting this step) whose action is outside the space. */
  private validateActions(actions: ArrayLike<number>, envId: string): void {
    const ended = this.cols.ended;
    for (let i = 0; i < this.numEnvs; i++) {
      if (ended[i] !== 0) continue; // reset this step, the action is ignored
      if (this.discrete) {
        const a = actions[i]!;
        if (!(typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < this.numActions)) {
          throw new InvalidActionError(a, `Discrete(${this.numActions})`, envId, `sub-env ${i}`);
        }
      } else {
        const a0 = actions[2 * i]!;
        const a1 = actions[2 * i + 1]!;
        // the Box is float32: the action is what a Float32Array would hold
        if (!(typeof a0 === 'number' && typeof a1 === 'number' && Math.abs(Math.fround(a0)) <= 1 && Math.abs(Math.fround(a1)) <= 1)) {
          throw new InvalidActionError([a0, a1], 'Box(-1.0, 1.0, (2,), float32)', envId, `sub-env ${i}`);
        }
      }
    }
  }

  /** Applies sub-env i's (validated) action; returns the rejection index. */
  private applyAction(i: number, actions: ArrayLike<number>): number {
    if (this.discrete) {
      const a = actions[i]!;
      return a === 0 ? 0 : this.admin.applyDiscrete(i, a);
    }
    return this.admin.applyContinuous(i, Math.fround(actions[2 * i]!), Math.fround(actions[2 * i + 1]!));
  }

  /**
   * One step of every sub-env (see the module comment); results in the output columns. With
   * worker threads the checks run here for all rows, the workers step their rows while this thread
   * steps its own, and the call returns when all are done.
   */
  step(actions: ArrayLike<number>, envId: string): void {
    const n = this.numEnvs;
    const expected = this.discrete ? n : 2 * n;
    if (actions === null || typeof actions !== 'object' || actions.length !== expected) {
      throw new InvalidActionError(actions, this.discrete ? `Discrete(${this.numActions}) × ${n}` : `Box(2) × ${n} (flat, ${expected} numbers)`, envId, `expected ${expected} numbers`);
    }
    const cols = this.cols;
    const mode = this.autoresetMode;
    for (let i = 0; i < n; i++) {
      if (cols.started[i] === 0) throw new ResetNeeded(`${envId}: sub-env ${i} was never reset; call reset() before step()`);
      if (cols.ended[i] !== 0 && mode === AutoresetMode.DISABLED) {
        throw new ResetNeeded(`${envId}: sub-env ${i} ended its episode; with autoresetMode 'disabled' reset it first with reset({ options: { resetMask } })`);
      }
    }
    this.validateActions(actions, envId);
    if (mode === AutoresetMode.SAME_STEP) this.finalMask.fill(0);
    const workers = this.workers;
    if (workers === null) {
      this.stepRows(actions, this.rows.lo, this.rows.hi);
      return;
    }
    workers.start(actions);
    try {
      this.stepRows(actions, this.rows.lo, this.rows.hi);
    } finally {
      workers.finish();
    }
  }

  /** Steps sub-envs first ≤ i < end on checked actions (this thread's share of `step`). */
  stepRows(actions: ArrayLike<number>, first: number, end: number): void {
    const ended = this.cols.ended;
    for (let i = first; i < end; i++) {
      if (ended[i] !== 0) {
        // next-step autoreset: this step resets the sub-env; its action is ignored
        this.resetSubEnv(i);
        this.rewards[i] = 0;
        this.terminations[i] = 0;
        this.truncations[i] = 0;
      } else this.stepSubEnv(i, actions);
    }
  }

  /**
   * One step of sub-env i. A function of its own, not the body of stepRows' loop: with one sub-env
   * per call (the scalar env) a loop body gets optimised on-stack only, and after one deoptimisation
   * V8 could leave it interpreted for good (about 1 process in 15 ran 9× slower).
   */
  private stepSubEnv(i: number, actions: ArrayLike<number>): void {
    const cols = this.cols;
    const sameStep = this.autoresetMode === AutoresetMode.SAME_STEP;
    const bookLo = cols.bookRows.lo;
    const baseReserve = cols.baseReserve;
    const quoteReserve = cols.quoteReserve;
    const sqrtKCol = cols.sqrtK;
    const pegCol = cols.peg;
    const baseAmount = cols.baseAmount;
    const baseLong = cols.baseLong;
    const baseShort = cols.baseShort;
    const openInterest = cols.openInterest;
    const totalFee = cols.totalFee;
    const tfmdCol = cols.tfmd;
    const oracleTwap = cols.oracleTwap;
    const oracleTwapTs = cols.oracleTwapTs;
    const markTwap = cols.markTwap;
    const markTwapTs = cols.markTwapTs;
    const stepCount = cols.stepCount;
    const nowTsCol = cols.nowTs;
    const oracleUsdCol = cols.oracleUsd;
    const oraclePriceRawCol = cols.oraclePriceRaw;
    const fundingSinceK = cols.fundingSinceKRaw;
    const fundingEpoch = cols.fundingEpoch;
    const rateSqrtK = cols.rateSqrtK;
    const arrivalRate = cols.arrivalRate;
    const expMinusRate = cols.expMinusRate;
    const rng0 = cols.rng0;
    const rng1 = cols.rng1;
    const rng2 = cols.rng2;
    const rng3 = cols.rng3;
    const spareCol = cols.spare;
    const hasSpareCol = cols.hasSpare;
    const bookSize = cols.bookSize;
    let book = cols.book;
    let cap = cols.bookCapacity;
    const rewards = this.rewards;
    const terminations = this.terminations;
    const truncations = this.truncations;
    const info = this.info;

    const stepSec = this.stepSec;
    const period = this.fundingPeriodSec;
    const meanLog = this.gbmMeanLog;
    const stdLog = this.gbmStdLog;
    const guards = this.oracleGuards;
    const informedShare = this.informedShare;
    const logMedian = this.logMedian;
    const sigma = this.sigma;
    const invLogStay = this.invLogStay;
    const maxQuoteRaw = this.maxQuoteRaw;
    const minProfitRaw = this.minProfitRaw;
    const oneMinusFee = this.oneMinusFee;
    const onePlusFee = this.onePlusFee;
    const minQ = this.minQuoteReserve;
    const feeNum = this.feeNumerator;
    const feeDen = this.feeDenominator;
    const spreadPrecision = this.spreadPrecision;
    const maxSpreadPct = this.maxSpreadPct;
    const sqrtK0 = this.sqrtK0;
    const elastic = this.elastic;

    // xoshiro128** state and scratch (the RNG macros expand over these)
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let m5 = 0;
    let hi = 0;
    let lo = 0;
    let t9 = 0;
    let n2 = 0;
    let n3 = 0;
    let spareV = 0;
    let hasSp = 0;
    let bmU = 0;
    let bmV = 0;
    let bmR = 0;
    let bmT = 0;
    let u = 0;
    let z = 0;

    // 1. the admin's adjustment, against the oracle as it stands
    const tfmdStart = tfmdCol[i]!;
    const rejected = this.applyAction(i, actions);
    const tfmdAfterAdmin = tfmdCol[i]!;

    let x = baseReserve[i]!;
    let y = quoteReserve[i]!;
    const s = sqrtKCol[i]!;
    const P = pegCol[i]!;
    let d = baseAmount[i]!;
    let lg = baseLong[i]!;
    let sh = baseShort[i]!;
    let oi = openInterest[i]!;
    let tf = totalFee[i]!;
    let tfmd = tfmdAfterAdmin;
    let oTw = oracleTwap[i]!;
    let oTwTs = oracleTwapTs[i]!;
    let mTw = markTwap[i]!;
    let mTwTs = markTwapTs[i]!;
    r0 = rng0[i]!;
    r1 = rng1[i]!;
    r2 = rng2[i]!;
    r3 = rng3[i]!;
    spareV = spareCol[i]!;
    hasSp = hasSpareCol[i]!;

    // 2. the oracle moves (GBM, exact log-normal transition)
    const t = stepCount[i]!;
    const stepNo = t + 1;
    const prevTs = nowTsCol[i]!;
    const now = prevTs + stepSec;
    // z = standardNormal(): Box–Muller, the pair's second value kept for the next call
    if (hasSp !== 0) {
      z = spareV;
      hasSp = 0;
    } else {
      do {
        // bmU = random(): two xoshiro128** outputs, 53 bits (Rng.random)
        m5 = Math.imul(r1, 5);
        hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        m5 = Math.imul(r1, 5);
        lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        bmU = (hi * 67108864 + lo) / TWO_53;
      } while (bmU === 0);
      // bmV = random(): two xoshiro128** outputs, 53 bits (Rng.random)
      m5 = Math.imul(r1, 5);
      hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      m5 = Math.imul(r1, 5);
      lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      bmV = (hi * 67108864 + lo) / TWO_53;
      bmR = Math.sqrt(-2 * Math.log(bmU));
      bmT = 2 * Math.PI * bmV;
      spareV = bmR * Math.sin(bmT);
      hasSp = 1;
      z = bmR * Math.cos(bmT);
    }
    const oUsd = oracleUsdCol[i]! * Math.exp(meanLog + stdLog * z);
    const o = oUsd * PRICE;
    if (!(o > 0) || o === Infinity) {
      throw new InvalidArgumentError(`TraderFlow.step: oraclePriceRaw must be finite and > 0 (MARK_PRICE_PRECISION), got ${describeValue(o)} (sub-env ${i})`);
    }
    const valid = guards && o >= FLOW_ORACLE_MIN_PRICE;

    // 3. traders: due positions close, then Poisson arrivals open
    let vol = 0;
    let trades = 0;
    let size = bookSize[i]!;
    let off = (i - bookLo) * cap * 3;
    while (size > 0 && book[off]! <= t) {
      const cb = book[off + 1]!;
      const cq = book[off + 2]!;
      // pop the heap's root: the last element sifts down from the root
      const last = --size;
      if (last > 0) {
        const dd = book[off + 3 * last]!;
        const db = book[off + 3 * last + 1]!;
        const dq = book[off + 3 * last + 2]!;
        let j = 0;
        for (;;) {
          let ch = 2 * j + 1;
          if (ch >= last) break;
          if (ch + 1 < last && book[off + 3 * ch + 3]! < book[off + 3 * ch]!) ch++;
          if (book[off + 3 * ch]! >= dd) break;
          book[off + 3 * j] = book[off + 3 * ch]!;
          book[off + 3 * j + 1] = book[off + 3 * ch + 1]!;
          book[off + 3 * j + 2] = book[off + 3 * ch + 2]!;
          j = ch;
        }
        book[off + 3 * j] = dd;
        book[off + 3 * j + 1] = db;
        book[off + 3 * j + 2] = dq;
      }
      // close_position of a position of base cb (its entry notional does not enter the market)
      let quoteOut = 0;
      let closed = true;
      if (cb !== 0) {
        const markB = Math.floor((y * P * 1e7) / x);
        const add = cb > 0;
        const ab = add ? cb : -cb;
        let nb = 0;
        if (add) nb = x + ab;
        else if (ab > x || x - ab === 0) closed = false; // u128 underflow / division by zero: MathError
        else nb = x - ab;
        if (closed) {
          const nq = Math.floor((s * s) / nb);
          let change = add ? y - nq : nq - y;
          if (change < 0) {
            if (change >= -(y > nq ? y : nq) * 2 ** -50) change = 0;
            else closed = false;
          }
          if (closed) {
            quoteOut = Math.floor((change * P) / 1e10);
            const since = Math.max(1, now - mTwTs);
            const rest = Math.max(1, period - since);
            mTw = Math.trunc((markB * since + mTw * rest) / (since + rest));
            mTwTs = now;
            x = nb;
            y = nq;
            oi -= 1;
            d -= cb;
            if (cb > 0) lg += -cb;
            else sh += -cb;
          }
        }
      }
      if (!closed) {
        // rejected: the trader tries again next step
        const dueStep = t + 1;
        if (size === cap) {
          bookSize[i] = size;
          cols.growBook();
          book = cols.book;
          cap = cols.bookCapacity;
          off = (i - bookLo) * cap * 3;
        }
        let h = size++;
        while (h > 0) {
          const parent = (h - 1) >> 1;
          if (book[off + 3 * parent]! <= dueStep) break;
          book[off + 3 * h] = book[off + 3 * parent]!;
          book[off + 3 * h + 1] = book[off + 3 * parent + 1]!;
          book[off + 3 * h + 2] = book[off + 3 * parent + 2]!;
          h = parent;
        }
        book[off + 3 * h] = dueStep;
        book[off + 3 * h + 1] = cb;
        book[off + 3 * h + 2] = cq;
        continue;
      }
      const fee = Math.floor((quoteOut * feeNum) / feeDen);
      tf += fee;
      tfmd += fee;
      if (valid) {
        const since = Math.max(1, now - oTwTs);
        const rest = Math.max(1, period - since);
        oTw = Math.trunc((o * since + oTw * rest) / (since + rest));
        oTwTs = now;
      }
      trades++;
      vol += quoteOut / QUOTE;
    }

    // arrivals: λ = λu/(1 − λi), cached per sqrt_k for the elastic model
    let lam = 0;
    if (elastic) {
      if (s !== rateSqrtK[i]) {
        rateSqrtK[i] = s;
        lam = Math.min(this.maxArrivals, this.baseArrivals * Math.min(Math.pow(s / sqrtK0, this.twoElasticity), this.maxMultiple) * this.arrivalsPerUninformed);
        if (lam !== arrivalRate[i]) {
          arrivalRate[i] = lam;
          expMinusRate[i] = Math.exp(-lam);
        }
      } else lam = arrivalRate[i]!;
    } else {
      const sqrtKBase = s / RESERVE;
      const kTerm = this.kUnitsK ? sqrtKBase * sqrtKBase : sqrtKBase;
      const volumeUsd = this.beta0 + this.beta1 * (Math.floor((y * P * 1e7) / x) / PRICE) + this.beta2 * kTerm;
      const lamU = volumeUsd > 0 ? volumeUsd / this.meanNotionalUsd : 0;
      lam = Math.min(this.maxArrivals, lamU * this.arrivalsPerUninformed);
      if (lam !== arrivalRate[i]) {
        arrivalRate[i] = lam;
        expMinusRate[i] = Math.exp(-lam);
      }
    }
    let arrivals = 0;
    if (lam === 0) arrivals = 0;
    else if (lam >= 10) {
      rng0[i] = r0;
      rng1[i] = r1;
      rng2[i] = r2;
      rng3[i] = r3;
      arrivals = this.draws.poisson(cols, i, lam);
      r0 = rng0[i]!;
      r1 = rng1[i]!;
      r2 = rng2[i]!;
      r3 = rng3[i]!;
    } else {
      const limit = expMinusRate[i]!;
      // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
      m5 = Math.imul(r1, 5);
      hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      m5 = Math.imul(r1, 5);
      lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      u = (hi * 67108864 + lo) / TWO_53;
      let prod = u;
      while (prod > limit) {
        arrivals++;
        // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
        m5 = Math.imul(r1, 5);
        hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        m5 = Math.imul(r1, 5);
        lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        u = (hi * 67108864 + lo) / TWO_53;
        prod *= u;
      }
    }

    for (let k = 0; k < arrivals; k++) {
      // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
      m5 = Math.imul(r1, 5);
      hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      m5 = Math.imul(r1, 5);
      lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      u = (hi * 67108864 + lo) / TWO_53;
      let isLong = false;
      let q = 0;
      if (u < informedShare) {
        // informed: trade the mark to the fee-adjusted oracle if it pays (informed.ts)
        const markNow = Math.floor((y * P * 1e7) / x);
        const lower = o * oneMinusFee;
        const upper = o / oneMinusFee;
        let target = 0;
        if (markNow < lower) {
          isLong = true;
          target = lower;
        } else if (markNow > upper) {
          isLong = false;
          target = upper;
        } else continue;
        const yTarget = s * Math.sqrt(target / (P * 1e7));
        const dy = isLong ? yTarget - y : y - yTarget;
        if (!(dy > 0)) continue;
        let a = Math.floor((dy * P) / 1e10);
        if (a > maxQuoteRaw) a = Math.floor(maxQuoteRaw);
        if (a <= 0) continue;
        const rr = (a * 1e10) / P;
        const y1 = isLong ? y + rr : y - rr;
        const dx = Math.abs(x - (s * s) / y1);
        const baseValue = (dx * o) / 1e17;
        const profit = isLong ? baseValue - a * onePlusFee : a * oneMinusFee - baseValue;
        if (!(profit >= minProfitRaw)) continue;
        q = a;
      } else {
        // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
        m5 = Math.imul(r1, 5);
        hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        m5 = Math.imul(r1, 5);
        lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
        t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
        u = (hi * 67108864 + lo) / TWO_53;
        isLong = u < 0.5;
        // z = standardNormal(): Box–Muller, the pair's second value kept for the next call
        if (hasSp !== 0) {
          z = spareV;
          hasSp = 0;
        } else {
          do {
            // bmU = random(): two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            bmU = (hi * 67108864 + lo) / TWO_53;
          } while (bmU === 0);
          // bmV = random(): two xoshiro128** outputs, 53 bits (Rng.random)
          m5 = Math.imul(r1, 5);
          hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          m5 = Math.imul(r1, 5);
          lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          bmV = (hi * 67108864 + lo) / TWO_53;
          bmR = Math.sqrt(-2 * Math.log(bmU));
          bmT = 2 * Math.PI * bmV;
          spareV = bmR * Math.sin(bmT);
          hasSp = 1;
          z = bmR * Math.cos(bmT);
        }
        q = Math.floor(Math.exp(logMedian + sigma * z) * QUOTE);
      }

      // open_position of a fresh account, long or short, notional q (all tentative until accepted)
      const markB = Math.floor((y * P * 1e7) / x);
      let pctB = 0;
      let nOTw = oTw;
      let nOTwTs = oTwTs;
      if (guards) {
        pctB = Math.trunc(((markB - o) * spreadPrecision) / o);
        if (valid) {
          const since = Math.max(1, now - oTwTs);
          const rest = Math.max(1, period - since);
          nOTw = Math.trunc((o * since + oTw * rest) / (since + rest));
          nOTwTs = now;
        }
      }
      let nx = x;
      let ny = y;
      let nMTw = mTw;
      let nMTwTs = mTwTs;
      let acquired = 0;
      if (q !== 0) {
        const r = Math.floor((q * 1e10) / P);
        if (r < minQ) continue; // TradeSizeTooSmall
        const since = Math.max(1, now - mTwTs);
        const rest = Math.max(1, period - since);
        nMTw = Math.trunc((markB * since + mTw * rest) / (since + rest));
        nMTwTs = now;
        let nq = 0;
        if (isLong) nq = y + r;
        else if (r > y || y - r === 0) continue; // MathError (u128 underflow / division by zero)
        else nq = y - r;
        const nb = Math.floor((s * s) / nq);
        acquired = x - nb;
        nx = nb;
        ny = nq;
      }
      const fee = Math.floor((q * feeNum) / feeDen);
      if (guards && valid) {
        const markA = Math.floor((ny * P * 1e7) / nx);
        const pctA = Math.trunc(((markA - o) * spreadPrecision) / o);
        // a fresh position only ever increases risk: the divergence guard applies
        if (Math.abs(pctA) > maxSpreadPct && Math.abs(pctA) >= Math.abs(pctB)) continue; // OracleMarkSpreadLimit
      }
      x = nx;
      y = ny;
      mTw = nMTw;
      mTwTs = nMTwTs;
      oTw = nOTw;
      oTwTs = nOTwTs;
      let positionBase = 0;
      let positionQuote = 0;
      if (q !== 0) {
        oi += 1;
        positionQuote = q;
        positionBase = 0 + acquired;
        d += acquired;
        if (positionBase > 0) lg += acquired;
        else sh += acquired;
      }
      tf += fee;
      tfmd += fee;
      trades++;
      vol += q / QUOTE;
      // geometric holding time H ≥ 1: H = 1 + floor(ln U / ln(1 − p))
      // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
      m5 = Math.imul(r1, 5);
      hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      m5 = Math.imul(r1, 5);
      lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
      t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
      u = (hi * 67108864 + lo) / TWO_53;
      const dueStep = t + (1 + Math.floor(Math.log(1 - u) * invLogStay));
      if (size === cap) {
        bookSize[i] = size;
        cols.growBook();
        book = cols.book;
        cap = cols.bookCapacity;
        off = (i - bookLo) * cap * 3;
      }
      let h = size++;
      while (h > 0) {
        const parent = (h - 1) >> 1;
        if (book[off + 3 * parent]! <= dueStep) break;
        book[off + 3 * h] = book[off + 3 * parent]!;
        book[off + 3 * h + 1] = book[off + 3 * parent + 1]!;
        book[off + 3 * h + 2] = book[off + 3 * parent + 2]!;
        h = parent;
      }
      book[off + 3 * h] = dueStep;
      book[off + 3 * h + 1] = positionBase;
      book[off + 3 * h + 2] = positionQuote;
    }

    // write the sub-env back
    baseReserve[i] = x;
    quoteReserve[i] = y;
    baseAmount[i] = d;
    baseLong[i] = lg;
    baseShort[i] = sh;
    openInterest[i] = oi;
    totalFee[i] = tf;
    tfmdCol[i] = tfmd;
    oracleTwap[i] = oTw;
    oracleTwapTs[i] = oTwTs;
    markTwap[i] = mTw;
    markTwapTs[i] = mTwTs;
    rng0[i] = r0;
    rng1[i] = r1;
    rng2[i] = r2;
    rng3[i] = r3;
    spareCol[i] = spareV;
    hasSpareCol[i] = hasSp;
    bookSize[i] = size;
    stepCount[i] = stepNo;
    nowTsCol[i] = now;
    oracleUsdCol[i] = oUsd;
    oraclePriceRawCol[i] = o;
    const feesRaw = tfmd - tfmdAfterAdmin;

    // 4. funding on the hour (fundingEpoch[i] is floor(prevTs / period), kept from the last step)
    let fundingRaw = 0;
    let fundingBlocked = 0;
    const epoch = Math.floor(now / period);
    if (epoch !== fundingEpoch[i]) {
      fundingEpoch[i] = epoch;
      if (!this.funding.apply(cols, i, now)) fundingBlocked = 1;
      fundingRaw = tfmdCol[i]! - tfmd;
      tfmd = tfmdCol[i]!;
    }
    fundingSinceK[i] = fundingSinceK[i]! + fundingRaw;

    // 5. reward, termination, observation, info
    const penalty = rejected === 0 ? 0 : this.penaltyUsd;
    rewards[i] = (this.seedReward ? vol * 0.001 * 0.5 : (tfmd - tfmdStart) / QUOTE) - penalty;
    const mark = Math.floor((y * P * 1e7) / x);
    let termination = 0;
    if (!(x > 0 && y > 0 && s > 0 && P > 0 && mark > 0 && Number.isFinite(mark))) termination = TERMINATION_INVALID;
    else if (tfmd < Math.floor(tf / 2) - this.floorSlackRaw) termination = TERMINATION_FLOOR;
    else if (Math.abs(mark / o - 1) > this.maxDivergence) termination = TERMINATION_DIVERGENCE;
    const truncated = stepNo >= this.maxEpisodeSteps;
    terminations[i] = termination !== 0 ? 1 : 0;
    truncations[i] = truncated ? 1 : 0;
    this.writeObservation(i, mark, o, stepNo);
    info.step[i] = stepNo;
    info.volumeUsd[i] = vol;
    info.trades[i] = trades;
    info.feesUsd[i] = feesRaw / QUOTE;
    info.adjustmentCostUsd[i] = (tfmdStart - tfmdAfterAdmin) / QUOTE;
    info.fundingUsd[i] = fundingRaw / QUOTE;
    info.rejectedCode[i] = rejected;
    info.terminationCode[i] = termination;
    info.fundingBlocked[i] = fundingBlocked;
    this.writeStateInfo(i, mark, o);

    if (termination !== 0 || truncated) {
      if (sameStep) {
        const k = this.obsSize;
        for (let j = i * k; j < (i + 1) * k; j++) this.finalObservations[j] = this.observations[j]!;
        this.finalInfo.copyRow(info, i);
        this.finalMask[i] = 1;
        this.resetSubEnv(i);
      } else cols.ended[i] = 1;
    }
  }
}
