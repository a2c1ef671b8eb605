/**
 * drift-vamm-v0: the dAMM MDP of damm-parameter-optimization.md §2 around Drift v1's vAMM, on the
 * float64 twin (or the exact bigint engine). The agent is the protocol admin; traders (informed and uninformed) trade against
 * the curve; the reward is the fee pool the protocol keeps.
 */
import { Env, type Info, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { ResetNeeded } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { createMarket, type Market } from '../../amm/drift-v1/state.js';
import { markPrice, newAdjustOut, type FloatMarket, type FloatOracle } from '../../amm/drift-v1/float/index.js';
import { makeEngine, type DriftEngine } from '../../amm/drift-v1/engine.js';
import { InvalidFundingProfitability } from '../../amm/drift-v1/errors.js';
import {
  makePriceProcess, newFlowStepStats, TraderFlow, type FlowStepStats, type PriceProcess,
} from '../../market/index.js';
import {
  actionMeaning, budgetedPegRaw, discreteActions, feePoolFloorRaw, formulaicSqrtK, oraclePegRaw, type DiscreteAction,
} from './actions.js';
import { resolveOptions, type DriftVammOptions, type ResolvedOptions } from './options.js';
import { kernelUnsupported } from './vector/options.js';
import { ScalarKernel } from './vector/scalarKernel.js';

const QUOTE = 1e6;
const RESERVE = 1e13;
const PRICE = 1e10;
/** 2022-01-01T00:00:00Z: episodes start on an hour, so funding updates fall every hour of market time. */
const T0 = 1_640_995_200;
const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4 });

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Why an episode terminated (info.termination). */
export type TerminationReason = 'fee-pool-floor' | 'divergence' | 'invalid-market';

/** A recorded admin action the 'historical' discrete action replays (absolute targets, raw units). */
export interface ScenarioAdminEvent {
  readonly ts: number;
  readonly pegMultiplierAfter: number;
  readonly sqrtKAfter: number;
}

/**
 * What a replay puts in place of the simulator's defaults (drift-replay-v0): the recorded starting
 * market, the clock, the oracle path, the episode length (the env truncates itself there) and the
 * admin's recorded actions behind an extra 'historical' discrete action.
 */
export interface DriftScenario {
  readonly template: Market;
  readonly startTs: number;
  /** The oracle path; `reset()` rewinds it and its `price` is the starting oracle (it is not restarted at the mark). */
  readonly oracle: PriceProcess;
  readonly horizonSteps: number;
  readonly adminEvents: readonly ScenarioAdminEvent[];
  /** Whether a fee pool below its floor ends the episode (a replay keeps going, as the market did). */
  readonly floorTerminates: boolean;
}

/**
 * ## Description
 *
 * Drift Protocol v1's virtual AMM (x·y = k with a peg multiplier) as an MDP (damm-parameter-
 * optimization.md §2). Each step is `stepSec` seconds of market time: the agent (the protocol admin)
 * may repeg or change k; the oracle moves; traders arrive (Poisson), each informed with probability
 * λi (long when mark < oracle, short when mark > oracle, sized to close the gap net of the 0.1 % fee,
 * abstaining inside the no-arbitrage band) or uninformed (50/50 long/short, lognormal size); open
 * positions close after a random holding time; funding settles every hour, capped by the fee pool.
 * All protocol arithmetic is the float64 twin of the exact Drift v1 code (`driftV1.float`), or with
 * `engine: 'exact'` the bigint program math itself (positions kept in bigint; rewards agree with the
 * twin to fractions of a cent per step until a guard decision lands on the other side of its threshold).
 *
 * ## Action Space
 *
 * Default `Discrete(3 + 2·|kDeltas| + 1)`; with the default `kDeltas: [0.01]`, `Discrete(6)`:
 * - 0 hold;
 * - 1 repeg to the oracle-implied peg (oracle·x/y);
 * - 2 repeg half-way to it;
 * - 3 k up by δ (sqrt_k × (1 + δ)) for each δ, then 4 k down by δ (sqrt_k × (1 − δ)) for each δ;
 * - last: formulaic — Drift's budgeted repeg toward the oracle peg, plus the funding-imbalance k rule
 *   (half the funding earned or paid since the last k move, at most ±0.1 % per move).
 * `env.actionMeanings` names them. `actionSpace: 'continuous'` gives `Box([-1, -1], [1, 1], (2,), float32)`:
 * a[0] → the fraction (a[0] + 1)/2 of the way to the oracle peg (−1: no repeg), a[1] → sqrt_k × exp(a[1]·kDeltaMax).
 * An action the protocol rejects (any guard of `repeg` / `update_k`, a redundant repeg included)
 * changes nothing; `info.rejected` names the error and guard, and `rejectionPenaltyUsd` is subtracted.
 * So does an update_k that would take sqrt_k outside [s0/kRange, s0·kRange] of its value at reset
 * (`'KOutOfRange [kRange]'`, default kRange 10): the env's bound on the admin, since the program's
 * update_k rounding pays the protocol amounts that grow with k, which a policy would otherwise farm.
 *
 * ## Observation Space
 *
 * Default `Box(5,)` float32:
 *
 * | Num | Observation                                            | Min | Max |
 * |-----|--------------------------------------------------------|-----|-----|
 * | 0   | imbalance: net user base d / sqrt_k                    | -1  | 1   |
 * | 1   | mark/oracle gap: mark/oracle − 1                       | -1  | 1   |
 * | 2   | spendable fee pool: (tfmd − floor(total_fee/2))/total_fee | -1 | 1 |
 * | 3   | liquidity: ln(sqrt_k / sqrt_k at reset)                | -5  | 5   |
 * | 4   | time of episode: step / horizon                        | 0   | 1   |
 *
 * Values are clipped to the bounds. `observation: 'imbalance'` gives the source's one-dimensional
 * state `Box(1,)`: IMB_t = long OI − short OI in base units (unbounded; give DiscretizeObservation bounds).
 *
 * ## Rewards
 *
 * Default (`reward: 'fee-pool'`): the change of `total_fee_minus_distributions` over the step in USD —
 * fees kept, minus adjustment costs, minus funding the protocol pays, plus funding it receives —
 * minus the rejection penalty. `reward: 'seed'`: trading volume × 0.001 × 0.5 (the source's capped
 * fee-pool reward), minus the penalty.
 *
 * ## Starting State
 *
 * A market preset's curve and fee pool (the first curve_history record of SOL, BTC, ETH, LUNA,
 * AVAX, BNB, MATIC or ATOM) or an explicit curve; no open positions; the oracle starts at the mark.
 *
 * ## Episode End
 *
 * Terminated when the fee pool falls below its floor floor(total_fee/2) (less any shortfall the
 * market started with), when |mark/oracle − 1| > `maxDivergence`, or when the market becomes
 * invalid (non-finite or non-positive reserves or prices). Truncated by `maxEpisodeSteps` (1440 in
 * the registered spec: one day of one-minute steps).
 *
 * ## Arguments
 *
 * `make('drift-vamm-v0', { market, protocol, engine, stepSec, horizon, observation, actionSpace, kDeltas,
 * kDeltaMax, kRange, reward, rejectionPenaltyUsd, oracleConfidenceBps, maxDivergence, oracle, traders, implementation })`;
 * see `DriftVammOptions` for each default. With the float engine, jan2022 and a GBM oracle (the defaults) a step runs on
 * the struct-of-arrays kernel for one sub-env (vector/kernel.ts), 2.5× faster and bit-identical to the engine + flow
 * objects that run every other option (and `implementation: 'reference'`).
 *
 * ## Version History
 *
 * - v0: initial version (float64 twin by default, exact bigint engine as an option, jan2022 semantics by default).
 */
export class DriftVammEnv extends Env<Float32Array, number | Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete | Box;
  readonly options: ResolvedOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  private readonly actions: readonly DiscreteAction[];
  private readonly template: Market;
  private readonly engine: DriftEngine;
  /** The engine's view of the market (the float twin itself, or the exact state's float image). */
  private readonly market: FloatMarket;
  private readonly oracleProcess: PriceProcess;
  private readonly flow: TraderFlow;
  private readonly flowStats: FlowStepStats = newFlowStepStats();
  private readonly adjustOut = newAdjustOut();
  private readonly oracle: FloatOracle = {
    priceRaw: 0, confidenceRaw: 0, delaySlots: 0, twapRaw: NaN, twapConfidenceRaw: 0, hasSufficientDataPoints: true,
  };
  private readonly scenario: DriftScenario | null;
  private step_ = 0;
  private nowTs = T0;
  /** Next admin event not yet due (scenario only). */
  private eventCursor = 0;
  /** This step's due admin events, [start, end) in the scenario's list; reused so a step allocates nothing for it. */
  private readonly due = { start: 0, end: 0 };
  private sqrtK0 = 1;
  private floorSlackRaw = 0;
  private fundingSinceKRaw = 0;
  private started = false;
  private lastInfo: Info = {};
  /** The struct-of-arrays kernel for one sub-env when it implements the options (see `implementation`), else null. */
  private readonly kernel: ScalarKernel | null;

  constructor(options: DriftVammOptions = {}, scenario: DriftScenario | null = null) {
    super();
    this.scenario = scenario;
    this.options = resolveOptions(options);
    const o = this.options;
    this.metadata = METADATA;
    this.renderMode = o.renderMode;
    this.observationSpace = o.observation === 'imbalance'
      ? new Box(-Infinity, Infinity, [1], 'float32')
      : new Box([-1, -1, -1, -5, 0], [1, 1, 1, 5, 1], [5], 'float32');
    this.actions = o.actionSpace === 'discrete' ? discreteActions(o.kDeltas, scenario !== null) : [];
    this.actionMeanings = this.actions.map(actionMeaning);
    this.actionSpace = o.actionSpace === 'discrete' ? new Discrete(this.actions.length) : new Box(-1, 1, [2], 'float32');
    const m = o.market;
    this.template = scenario?.template ?? createMarket({
      baseAssetReserve: BigInt(m.baseAssetReserve), quoteAssetReserve: BigInt(m.quoteAssetReserve),
      sqrtK: BigInt(m.sqrtK), pegMultiplier: BigInt(m.pegMultiplier),
    }, {
      totalFee: BigInt(m.totalFee), totalFeeMinusDistributions: BigInt(m.totalFeeMinusDistributions),
      lastFundingRateTs: BigInt(T0), lastOraclePriceTwapTs: BigInt(T0), lastMarkPriceTwapTs: BigInt(T0),
    });
    this.engine = makeEngine(o.engine, o.protocol);
    this.market = this.engine.view;
    this.oracleProcess = scenario?.oracle ?? makePriceProcess(o.oracle);
    this.flow = new TraderFlow(o.traders, o.protocol);
    this.kernel = scenario === null && o.implementation === 'auto' && kernelUnsupported(o) === null ? new ScalarKernel(o) : null;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    if (this.kernel !== null) {
      this.kernel.reset(this.npRandom);
      this.step_ = 0;
      this.started = true;
      this.lastInfo = this.kernel.info('reset');
      return [this.kernel.observation(), this.lastInfo];
    }
    this.engine.load(this.template);
    const mark = markPrice(this.market.curve);
    this.oracleProcess.reset(mark / PRICE);
    this.setOracle(this.scenario === null ? mark : this.oracleProcess.price * PRICE);
    this.flow.reset(this.engine);
    this.step_ = 0;
    this.nowTs = this.scenario?.startTs ?? T0;
    this.eventCursor = 0;
    this.sqrtK0 = this.market.curve.sqrtK;
    this.floorSlackRaw = Math.max(0, feePoolFloorRaw(this.market) - this.market.totalFeeMinusDistributions);
    this.fundingSinceKRaw = 0;
    this.started = true;
    this.lastInfo = this.info(mark, 0, 0, 0, null, null, 'reset');
    return [this.observe(mark), this.lastInfo];
  }

  step(action: number | Float32Array): StepResult<Float32Array> {
    const envId = this.spec?.id ?? 'drift-vamm-v0';
    assertAction(this.actionSpace, action, envId);
    if (!this.started) throw new ResetNeeded(`${envId}: call reset() before step()`);
    const rng: Rng = this.npRandom;
    if (this.kernel !== null) {
      const k = this.kernel;
      k.step(action, rng);
      this.step_++;
      this.lastInfo = k.info(typeof action === 'number' ? this.actionMeanings[action]! : 'continuous');
      return [k.observation(), k.reward, k.terminated, false, this.lastInfo];
    }
    const m = this.market;
    const tfmdStart = m.totalFeeMinusDistributions;
    const due = this.dueAdminEvents();

    // 1. the admin's adjustment, against the oracle as it stands
    const rejected = typeof action === 'number' ? this.applyDiscrete(this.actions[action]!, due) : this.applyContinuous(action);
    const adjustmentCostRaw = tfmdStart - m.totalFeeMinusDistributions;

    // 2. the oracle moves, 3. traders trade
    this.step_++;
    const prevTs = this.nowTs;
    this.nowTs += this.options.stepSec;
    const oracleUsd = this.oracleProcess.step(rng, this.options.stepSec);
    this.setOracle(oracleUsd * PRICE);
    const tfmdBeforeTrades = m.totalFeeMinusDistributions;
    this.flow.step(rng, this.engine, this.oracle.priceRaw, this.nowTs, this.flowStats);
    const feesRaw = m.totalFeeMinusDistributions - tfmdBeforeTrades;

    // 4. funding on the hour (capped by the fee pool; jan2022 refuses it below the floor)
    const tfmdBeforeFunding = m.totalFeeMinusDistributions;
    let fundingBlocked: string | null = null;
    if (Math.floor(this.nowTs / m.fundingPeriodSec) !== Math.floor(prevTs / m.fundingPeriodSec)) {
      try {
        this.engine.updateFunding(this.oracle, this.nowTs);
      } catch (err) {
        if (!(err instanceof InvalidFundingProfitability)) throw err;
        fundingBlocked = err.message;
      }
    }
    const fundingRaw = m.totalFeeMinusDistributions - tfmdBeforeFunding;
    this.fundingSinceKRaw += fundingRaw;

    // 5. reward, termination, observation
    const penalty = rejected === null ? 0 : this.options.rejectionPenaltyUsd;
    const reward = (this.options.reward === 'seed'
      ? this.flowStats.volumeUsd * 0.001 * 0.5
      : (m.totalFeeMinusDistributions - tfmdStart) / QUOTE) - penalty;
    const mark = markPrice(m.curve);
    const termination = this.termination(mark);
    this.lastInfo = this.info(mark, feesRaw, adjustmentCostRaw, fundingRaw, rejected, termination, typeof action === 'number' ? this.actionMeanings[action]! : 'continuous');
    if (fundingBlocked !== null) this.lastInfo.fundingBlocked = fundingBlocked;
    if (this.scenario !== null) this.lastInfo.adminEvents = due.end - due.start;
    const truncated = this.scenario !== null && termination === null && this.step_ >= this.scenario.horizonSteps;
    return [this.observe(mark), reward, termination !== null, truncated, this.lastInfo];
  }

  override render(): RenderFrame | null {
    if (this.renderMode !== 'ansi') return null;
    const i = this.lastInfo;
    const f = (v: unknown, d = 2) => (typeof v === 'number' ? v.toFixed(d) : String(v));
    return `t=${this.step_} mark=${f(i.markUsd, 4)} oracle=${f(i.oracleUsd, 4)} peg=${f(i.pegUsd, 3)} `
      + `long=${f(i.longOiBase, 3)} short=${f(i.shortOiBase, 3)} feePool=${f(i.tfmdUsd)} USD${i.rejected ? ` rejected: ${String(i.rejected)}` : ''}`;
  }

  /** Which implementation steps this env: 'kernel' (one-sub-env struct-of-arrays kernel) or 'reference' (engine + flow objects). */
  get implementationInUse(): 'kernel' | 'reference' {
    return this.kernel === null ? 'reference' : 'kernel';
  }

  /** The market state (float twin, raw units). Read-only by contract: baselines and tests inspect it. */
  get state(): Readonly<FloatMarket> {
    return this.kernel === null ? this.market : this.kernel.market();
  }

  private setOracle(priceRaw: number): void {
    this.oracle.priceRaw = priceRaw;
    this.oracle.confidenceRaw = (priceRaw * this.options.oracleConfidenceBps) / 1e4;
    this.oracle.twapConfidenceRaw = this.oracle.confidenceRaw;
  }

  /**
   * The scenario's admin events that fall in this step, [now, now + stepSec): the 'historical'
   * action applies them; the cursor moves past them whatever the action, so none is replayed late.
   */
  private dueAdminEvents(): { start: number; end: number } {
    const due = this.due;
    due.start = due.end = this.eventCursor;
    const events = this.scenario?.adminEvents;
    if (events === undefined) return due;
    const until = this.nowTs + this.options.stepSec;
    while (this.eventCursor < events.length && events[this.eventCursor]!.ts < until) this.eventCursor++;
    due.end = this.eventCursor;
    return due;
  }

  /** The recorded admin actions in order: each sets the recorded peg, then the recorded sqrt_k. First rejection wins the report. */
  private applyHistorical(due: { start: number; end: number }): string | null {
    const events = this.scenario!.adminEvents;
    let rejected: string | null = null;
    for (let i = due.start; i < due.end; i++) {
      const e = events[i]!;
      const c = this.market.curve;
      const r1 = e.pegMultiplierAfter === c.pegMultiplier ? null : this.repeg(e.pegMultiplierAfter);
      const r2 = e.sqrtKAfter === this.market.curve.sqrtK ? null : this.updateK(e.sqrtKAfter);
      rejected ??= r1 ?? r2;
    }
    return rejected;
  }

  /** Returns the rejection ("Code [guard]"), or null when the action was applied (or asked for nothing). */
  private applyDiscrete(a: DiscreteAction, due: { start: number; end: number }): string | null {
    const m = this.market;
    const P = m.curve.pegMultiplier;
    switch (a.kind) {
      case 'hold': return null;
      case 'repeg-oracle': return this.repeg(oraclePegRaw(m.curve, this.oracle.priceRaw));
      case 'repeg-half': return this.repeg(Math.round(P + (oraclePegRaw(m.curve, this.oracle.priceRaw) - P) / 2));
      case 'k-up': return this.updateK(Math.round(m.curve.sqrtK * (1 + a.delta)));
      case 'k-down': return this.updateK(Math.round(m.curve.sqrtK * (1 - a.delta)));
      case 'formulaic': {
        const peg = budgetedPegRaw(m, oraclePegRaw(m.curve, this.oracle.priceRaw));
        const repegRejected = peg === P ? null : this.repeg(peg);
        const s = formulaicSqrtK(m, this.fundingSinceKRaw);
        if (s === m.curve.sqrtK) return repegRejected;
        const kRejected = this.updateK(s);
        if (kRejected === null) this.fundingSinceKRaw = 0;
        return repegRejected ?? kRejected;
      }
      case 'historical': return this.applyHistorical(due);
    }
  }

  private applyContinuous(a: Float32Array): string | null {
    const m = this.market;
    const P = m.curve.pegMultiplier;
    // the Box is float32: an action given as plain numbers counts as the float32 it stands for
    const a0 = Math.fround(a[0]!);
    const a1 = Math.fround(a[1]!);
    const peg = Math.round(P + ((a0 + 1) / 2) * (oraclePegRaw(m.curve, this.oracle.priceRaw) - P));
    const repegRejected = peg === P ? null : this.repeg(peg);
    const s = Math.round(m.curve.sqrtK * Math.exp(a1 * this.options.kDeltaMax));
    const kRejected = s === m.curve.sqrtK ? null : this.updateK(s);
    return repegRejected ?? kRejected;
  }

  private repeg(pegRaw: number): string | null {
    const code = this.engine.tryRepeg(pegRaw, this.oracle, this.adjustOut);
    return code === null ? null : `${code} [${this.adjustOut.check}]`;
  }

  private updateK(sqrtK: number): string | null {
    const range = this.options.kRange;
    if (sqrtK > this.sqrtK0 * range || sqrtK * range < this.sqrtK0) return 'KOutOfRange [kRange]';
    const code = this.engine.tryUpdateK(sqrtK, this.adjustOut);
    return code === null ? null : `${code} [${this.adjustOut.check}]`;
  }

  private termination(mark: number): TerminationReason | null {
    const m = this.market;
    const c = m.curve;
    if (!(c.baseAssetReserve > 0 && c.quoteAssetReserve > 0 && c.sqrtK > 0 && c.pegMultiplier > 0 && mark > 0 && Number.isFinite(mark))) {
      return 'invalid-market';
    }
    if ((this.scenario?.floorTerminates ?? true) && m.totalFeeMinusDistributions < feePoolFloorRaw(m) - this.floorSlackRaw) return 'fee-pool-floor';
    if (Math.abs(mark / this.oracle.priceRaw - 1) > this.options.maxDivergence) return 'divergence';
    return null;
  }

  private observe(mark: number): Float32Array {
    const m = this.market;
    const c = m.curve;
    if (this.options.observation === 'imbalance') {
      return Float32Array.of((m.baseAssetAmountLong + m.baseAssetAmountShort) / RESERVE);
    }
    const tf = m.totalFee;
    // new + stores: Float32Array.of goes through the generic iterable path (several times slower)
    const obs = new Float32Array(5);
    obs[0] = clip(m.baseAssetAmount / c.sqrtK, -1, 1);
    obs[1] = clip(mark / this.oracle.priceRaw - 1, -1, 1);
    obs[2] = tf > 0 ? clip((m.totalFeeMinusDistributions - feePoolFloorRaw(m)) / tf, -1, 1) : 0;
    obs[3] = clip(Math.log(c.sqrtK / this.sqrtK0), -5, 5);
    obs[4] = clip(this.step_ / this.options.horizon, 0, 1);
    return obs;
  }

  private info(mark: number, feesRaw: number, adjustmentCostRaw: number, fundingRaw: number, rejected: string | null, termination: TerminationReason | null, action: string): Info {
    const m = this.market;
    const s = this.flowStats;
    return {
      step: this.step_,
      action,
      rejected,
      termination,
      volumeUsd: action === 'reset' ? 0 : s.volumeUsd,
      trades: action === 'reset' ? 0 : s.trades,
      feesUsd: feesRaw / QUOTE,
      adjustmentCostUsd: adjustmentCostRaw / QUOTE,
      fundingUsd: fundingRaw / QUOTE,
      markUsd: mark / PRICE,
      oracleUsd: this.oracle.priceRaw / PRICE,
      pegUsd: m.curve.pegMultiplier / 1e3,
      sqrtK: m.curve.sqrtK,
      longOiBase: m.baseAssetAmountLong / RESERVE,
      shortOiBase: Math.abs(m.baseAssetAmountShort) / RESERVE,
      tfmdUsd: m.totalFeeMinusDistributions / QUOTE,
      totalFeeUsd: m.totalFee / QUOTE,
    };
  }
}
