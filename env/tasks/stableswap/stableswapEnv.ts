/**
 * stableswap-v0: tuning a Curve StableSwap pool's A and fee (amm-curves.md §3, §7.1) as an MDP.
 * The agent is the pool admin; arbitrageurs and noise traders trade against the float64 twin of
 * the curve; governance (ramps, fee commits and their delays) runs on the exact contract rules.
 */
import { Env, type Info, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { ResetNeeded } from '../../core/errors.js';
import { A_PRECISION, FEE_DENOMINATOR } from '../../amm/stableswap/constants.js';
import { StableSwapRevert } from '../../amm/stableswap/errors.js';
import { applyNewFee, commitNewFee, initialFeeState, type FeeState } from '../../amm/stableswap/feeAdmin.js';
import { ampAt, constantRamp, isRamping, rampA, stopRampA, type AmpRamp } from '../../amm/stableswap/ramp.js';
import {
  arbitrage, getDFrom, getDUnchecked, newArbitrageStats, resetArbitrageStats, spotPriceUnchecked, type ArbitrageStats,
} from '../../amm/stableswap/float/index.js';
import { actionMeaning, DISCRETE_ACTIONS, type StableSwapAction } from './actions.js';
import { DepegPriceProcess } from './depegPrice.js';
import { newNoiseStepStats, NoiseTraders, type NoiseStepStats } from './noiseTraders.js';
import { resolveStableSwapOptions, type ResolvedStableSwapOptions, type StableSwapEnvOptions } from './options.js';

/** 2023-11-14T22:13:20Z: episodes start here; the pool was created at time 0, so the first ramp is allowed at once. */
const T0 = 1_700_000_000;
const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4 });
/** Continuous actions inside ±DEADBAND change nothing (so a policy can hold without hitting 0 exactly). */
const DEADBAND = 0.1;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * ## Description
 *
 * A Curve StableSwap pool of `nCoins` (2 or 3) stablecoins whose admin tunes A and the fee. Each
 * step is `stepSec` seconds (default one hour) in `substeps` blocks. In each block the coins' USD
 * prices move (mean-reverting around the peg, with Poisson jumps to a depeg level; see
 * `DepegPriceProcess`), arbitrageurs trade the pool back to the no-arbitrage band of the external
 * prices where that is profitable net of the fee (most mispriced pair first), and noise traders
 * arrive (Poisson, lognormal USD sizes, random pair) and trade when the all-in cost is within their
 * tolerance, so volume falls when the fee or the price impact rises. Trades run on the float64 twin
 * (`stableswap.float`); ramps, fee commits and their delays follow the contract (`ramp_A`,
 * `commit_new_fee`, `apply_new_fee`) in exact integer arithmetic.
 *
 * ## Action Space
 *
 * Default `Discrete(6)`; `env.actionMeanings` names them:
 * - 0 hold;
 * - 1 A up: `ramp_A(A()·aStep, now + rampSec)` (capped at aMax);
 * - 2 A down: `ramp_A(A()/aStep, now + rampSec)` (floored at aMin);
 * - 3 fee up: `commit_new_fee(fee·feeStep)` (capped at feeMaxBps), applied 3 days later;
 * - 4 fee down: `commit_new_fee(fee/feeStep)` (floored at feeMinBps), applied 3 days later;
 * - 5 stop ramp: `stop_ramp_A()`.
 * The contract's rules hold: a ramp changes A at most ×10, lasts ≥ 1 day and cannot start within a
 * day of the previous ramp's start (so a ramp spans ≥ 24 one-hour steps); one fee change may be
 * pending at a time. An action the contract (or a bound) rejects changes nothing; `info.rejected`
 * names the check and `rejectionPenaltyUsd` is subtracted. A committed fee is applied in the first
 * block at or after its deadline.
 * `actionSpace: 'continuous'` gives `Box([-1, -1], [1, 1], (2,), float32)`: a[0] asks for a ramp to
 * A()·aStep^a[0], a[1] commits fee·feeStep^a[1] (each within the bounds; |a| < 0.1 asks for nothing).
 *
 * ## Observation Space
 *
 * `Box(7,)` float32, clipped to the bounds:
 *
 * | Num | Observation                                                          | Min | Max  |
 * |-----|----------------------------------------------------------------------|-----|------|
 * | 0   | imbalance: 1 − curvesim's PoolBalance, Σ|x_i/Σx − 1/n|·n/(2(n−1))     | 0   | 1    |
 * | 1   | depeg: 1 − min price / max price of the coins                        | 0   | 1    |
 * | 2   | log10 A() now (fractional during a ramp)                             | 0   | 6    |
 * | 3   | ramp in progress: log10(future A / A now), 0 when none               | -1  | 1    |
 * | 4   | fee, basis points                                                    | 0   | 5000 |
 * | 5   | pending fee change: log2(future fee / fee), 0 when none              | -8  | 8    |
 * | 6   | time of episode: step / horizon                                      | 0   | 1    |
 *
 * ## Rewards
 *
 * USD per step: the LPs' share of the fees (arbitrage and noise trades) minus loss-versus-
 * rebalancing (amm-curves.md §2.6), measured trade by trade as what the pool gave away against
 * trading the same amounts at the external prices, fees excluded: Σ (gross output·p_out − input·p_in).
 * Arbitrage makes it positive (the LVR proper, `info.lvrUsd`); noise traders who pay price impact
 * make it negative (`info.noiseLossUsd`). So the reward is the LPs' P&L against a portfolio that
 * rebalances at market prices. Minus `rejectionPenaltyUsd` for a rejected action.
 *
 * ## Starting State
 *
 * A balanced pool worth `tvlUsd` (every coin at 1 USD), A() = `initialA`, fee `feeBps`, no ramp
 * and no pending fee change; all coins on the peg.
 *
 * ## Episode End
 *
 * Terminated only if the pool state becomes invalid (a balance not finite or ≤ 0; not reachable
 * with valid options). Truncated by `maxEpisodeSteps` (720 in the registered spec: 30 days of
 * one-hour steps).
 *
 * ## Arguments
 *
 * `make('stableswap-v0', { nCoins, variant, tvlUsd, initialA, feeBps, adminFee, stepSec, substeps,
 * horizon, actionSpace, aStep, aMin, aMax, rampSec, feeStep, feeMinBps, feeMaxBps,
 * rejectionPenaltyUsd, arbMinProfitUsd, prices, noise })`; see `StableSwapEnvOptions` for each default.
 *
 * ## Version History
 *
 * - v0: initial version.
 */
export class StableSwapEnv extends Env<Float32Array, number | Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete | Box;
  readonly options: ResolvedStableSwapOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  private readonly aPrecision: bigint;
  private readonly xp: Float64Array;
  private readonly prices: DepegPriceProcess;
  private readonly noise: NoiseTraders;
  private readonly arbStats: ArbitrageStats = newArbitrageStats();
  private readonly noiseStats: NoiseStepStats = newNoiseStepStats();
  private ramp: AmpRamp;
  private fees: FeeState;
  private D = 0;
  private D0 = 1;
  private nowSec = T0;
  private step_ = 0;
  private started = false;
  private lastInfo: Info = {};

  constructor(options: StableSwapEnvOptions = {}) {
    super();
    this.options = resolveStableSwapOptions(options);
    const o = this.options;
    this.metadata = METADATA;
    this.renderMode = o.renderMode;
    this.aPrecision = o.variant === 'template' ? A_PRECISION : 1n;
    this.observationSpace = new Box([0, 0, 0, -1, 0, -8, 0], [1, 1, 6, 1, 5000, 8, 1], [7], 'float32');
    this.actionSpace = o.actionSpace === 'discrete' ? new Discrete(DISCRETE_ACTIONS.length) : new Box(-1, 1, [2], 'float32');
    this.actionMeanings = o.actionSpace === 'discrete' ? DISCRETE_ACTIONS.map((a) => actionMeaning(a, o)) : [];
    this.xp = new Float64Array(o.nCoins);
    this.prices = new DepegPriceProcess(o.nCoins, o.prices, 'prices');
    this.noise = new NoiseTraders(o.noise, 'noise');
    this.ramp = constantRamp(BigInt(o.initialA) * this.aPrecision);
    this.fees = initialFeeState(BigInt(Math.round(o.feeBps * 1e6)), BigInt(Math.round(o.adminFee * 1e10)));
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    const o = this.options;
    this.xp.fill(o.tvlUsd / o.nCoins);
    this.prices.reset();
    this.ramp = constantRamp(BigInt(o.initialA) * this.aPrecision);
    this.fees = initialFeeState(BigInt(Math.round(o.feeBps * 1e6)), BigInt(Math.round(o.adminFee * 1e10)));
    this.nowSec = T0;
    this.D = getDUnchecked(this.xp, this.ampNow());
    this.D0 = this.D;
    this.step_ = 0;
    this.started = true;
    resetArbitrageStats(this.arbStats);
    this.lastInfo = this.info('reset', null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    return [this.observe(), this.lastInfo];
  }

  step(action: number | Float32Array): StepResult<Float32Array> {
    const envId = this.spec?.id ?? 'stableswap-v0';
    assertAction(this.actionSpace, action, envId);
    if (!this.started) throw new ResetNeeded(`${envId}: call reset() before step()`);
    const o = this.options;
    const rng = this.npRandom;

    // 1. the admin's action, at the start of the step
    const rejected = typeof action === 'number' ? this.applyDiscrete(DISCRETE_ACTIONS[action]!) : this.applyContinuous(action);

    // 2. blocks: prices move, arbitrageurs trade to the band, noise traders arrive
    const dt = o.stepSec / o.substeps;
    const adminFee = Number(this.fees.adminFee) / Number(FEE_DENOMINATOR);
    resetArbitrageStats(this.arbStats);
    let noiseFees = 0;
    let noiseAdmin = 0;
    let noiseLoss = 0;
    let noiseVolume = 0;
    let noiseTrades = 0;
    let depegs = 0;
    const xp = this.xp;
    for (let s = 1; s <= o.substeps; s++) {
      this.nowSec = T0 + this.step_ * o.stepSec + s * dt;
      const now = BigInt(Math.floor(this.nowSec));
      // the admin applies a committed fee as soon as the contract allows
      if (this.fees.adminActionsDeadline !== 0n && now >= this.fees.adminActionsDeadline) this.fees = applyNewFee(this.fees, now);
      const A = this.ampNow();
      const fee = Number(this.fees.fee) / Number(FEE_DENOMINATOR);
      const prices = this.prices.step(rng, dt);
      depegs |= this.prices.lastJumps;
      arbitrage(xp, A, fee, adminFee, prices, this.arbStats, { minProfitUsd: o.arbMinProfitUsd });
      const D = getDFrom(xp, A, this.D);
      this.D = this.noise.step(rng, dt, xp, A, fee, adminFee, D, prices, this.noiseStats);
      noiseFees += this.noiseStats.feesLpUsd;
      noiseAdmin += this.noiseStats.feesAdminUsd;
      noiseLoss += this.noiseStats.lossUsd;
      noiseVolume += this.noiseStats.volumeUsd;
      noiseTrades += this.noiseStats.trades;
    }
    this.step_++;

    // 3. reward: LP fees minus the pool's loss against rebalancing, fees excluded
    const a = this.arbStats;
    const feesLpUsd = a.feesLpUsd + noiseFees;
    const lossUsd = a.lvrUsd + noiseLoss;
    const penalty = rejected === null ? 0 : o.rejectionPenaltyUsd;
    const reward = feesLpUsd - lossUsd - penalty;
    const invalid = !xp.every((x) => x > 0 && Number.isFinite(x));
    const label = typeof action === 'number' ? this.actionMeanings[action]! : 'continuous';
    this.lastInfo = this.info(label, rejected, feesLpUsd, a.feesAdminUsd + noiseAdmin, a.lvrUsd, noiseLoss, a.volumeUsd, noiseVolume, a.trades, noiseTrades, depegs);
    if (invalid) this.lastInfo.termination = 'invalid-pool';
    return [this.observe(), reward, invalid, false, this.lastInfo];
  }

  override render(): RenderFrame | null {
    if (this.renderMode !== 'ansi') return null;
    const i = this.lastInfo;
    const f = (v: unknown, d = 2) => (typeof v === 'number' ? v.toFixed(d) : String(v));
    const prices = Array.from(this.prices.pricesUsd, (p) => p.toFixed(4)).join('/');
    return `t=${this.step_} A=${f(i.A, 2)} fee=${f(i.feeBps, 1)}bp prices=${prices} imbalance=${f(this.observe()[0], 4)} `
      + `fees=${f(i.feesLpUsd)} lvr=${f(i.lvrUsd)} noise=${f(i.noiseLossUsd)} USD${i.rejected ? ` rejected: ${String(i.rejected)}` : ''}`;
  }

  /** Balances in whole tokens (float twin). Read-only by contract: baselines and tests inspect it. */
  get balances(): Readonly<Float64Array> {
    return this.xp;
  }

  /** Current USD price of each coin. */
  get pricesUsd(): Readonly<Float64Array> {
    return this.prices.pricesUsd;
  }

  /** The ramp and fee governance state (exact contract units). */
  get governance(): { readonly ramp: AmpRamp; readonly fees: FeeState; readonly nowSec: number } {
    return { ramp: this.ramp, fees: this.fees, nowSec: this.nowSec };
  }

  /** A() now as a number (A_precise / A_PRECISION: fractional during a template ramp). */
  private ampNow(): number {
    return Number(ampAt(this.ramp, BigInt(Math.floor(this.nowSec)))) / Number(this.aPrecision);
  }

  private now(): bigint {
    return BigInt(Math.floor(this.nowSec));
  }

  /** Runs a governance call; returns the rejection (the failed check), or null when it went through. */
  private govern(call: () => void): string | null {
    try {
      call();
      return null;
    } catch (err) {
      if (err instanceof StableSwapRevert) return err.check;
      throw err;
    }
  }

  private rampTo(targetA: number): string | null {
    const o = this.options;
    const target = clip(Math.round(targetA), o.aMin, o.aMax);
    const current = Number(ampAt(this.ramp, this.now()) / this.aPrecision);
    if (target === current) return `A at its bound (${current})`;
    return this.govern(() => {
      this.ramp = rampA(this.ramp, BigInt(target), this.now() + BigInt(o.rampSec), this.now(), this.aPrecision);
    });
  }

  private commitFee(targetBps: number): string | null {
    const o = this.options;
    const raw = BigInt(Math.round(clip(targetBps, o.feeMinBps, o.feeMaxBps) * 1e6));
    if (raw === this.fees.fee) return `fee at its bound (${Number(raw) / 1e6} bp)`;
    return this.govern(() => {
      this.fees = commitNewFee(this.fees, raw, this.fees.adminFee, this.now());
    });
  }

  private applyDiscrete(a: StableSwapAction): string | null {
    const o = this.options;
    const A = Number(ampAt(this.ramp, this.now()) / this.aPrecision);
    const feeBps = Number(this.fees.fee) / 1e6;
    switch (a.kind) {
      case 'hold': return null;
      case 'a-up': return this.rampTo(A * o.aStep);
      case 'a-down': return this.rampTo(A / o.aStep);
      case 'fee-up': return this.commitFee(feeBps * o.feeStep);
      case 'fee-down': return this.commitFee(feeBps / o.feeStep);
      case 'stop-ramp': return this.govern(() => {
        this.ramp = stopRampA(this.ramp, this.now());
      });
    }
  }

  private applyContinuous(a: Float32Array): string | null {
    const o = this.options;
    let rejected: string | null = null;
    if (Math.abs(a[0]!) >= DEADBAND) {
      const A = Number(ampAt(this.ramp, this.now()) / this.aPrecision);
      const target = clip(Math.round(A * Math.pow(o.aStep, a[0]!)), o.aMin, o.aMax);
      if (target !== A) rejected = this.rampTo(target);
    }
    if (Math.abs(a[1]!) >= DEADBAND) {
      const feeBps = Number(this.fees.fee) / 1e6;
      const target = clip(feeBps * Math.pow(o.feeStep, a[1]!), o.feeMinBps, o.feeMaxBps);
      if (Math.round(target * 1e6) !== Math.round(feeBps * 1e6)) rejected = this.commitFee(target) ?? rejected;
    }
    return rejected;
  }

  private observe(): Float32Array {
    const o = this.options;
    const xp = this.xp;
    const n = xp.length;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += xp[k]!;
    let dev = 0;
    for (let k = 0; k < n; k++) dev += Math.abs(xp[k]! / sum - 1 / n);
    const p = this.prices.pricesUsd;
    let pMin = Infinity;
    let pMax = 0;
    for (let k = 0; k < n; k++) {
      pMin = Math.min(pMin, p[k]!);
      pMax = Math.max(pMax, p[k]!);
    }
    const now = this.now();
    const ampP = Number(ampAt(this.ramp, now));
    const ramp = isRamping(this.ramp, now) ? Math.log10(Number(this.ramp.futureA) / ampP) : 0;
    const fee = Number(this.fees.fee);
    const pending = this.fees.adminActionsDeadline === 0n ? 0 : fee > 0 ? Math.log2(Number(this.fees.futureFee) / fee) : 8;
    return Float32Array.of(
      clip((dev * n) / (2 * (n - 1)), 0, 1),
      clip(1 - pMin / pMax, 0, 1),
      clip(Math.log10(ampP / Number(this.aPrecision)), 0, 6),
      clip(ramp, -1, 1),
      clip(fee / 1e6, 0, 5000),
      clip(Number.isFinite(pending) ? pending : -8, -8, 8),
      clip(this.step_ / o.horizon, 0, 1),
    );
  }

  private info(
    action: string, rejected: string | null, feesLpUsd: number, feesAdminUsd: number, lvrUsd: number, noiseLossUsd: number,
    arbVolumeUsd: number, noiseVolumeUsd: number, arbTrades: number, noiseTrades: number, depegs: number,
  ): Info {
    const now = this.now();
    const n = this.xp.length;
    const A = this.ampNow();
    const D = getDUnchecked(this.xp, A);
    let worst = 1;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) worst = Math.min(worst, spotPriceUnchecked(i, j, this.xp, A, D));
    return {
      step: this.step_,
      action,
      rejected,
      termination: null,
      feesLpUsd,
      feesAdminUsd,
      lvrUsd,
      noiseLossUsd,
      arbVolumeUsd,
      noiseVolumeUsd,
      arbTrades,
      noiseTrades,
      /** Bit k set: coin k jumped to a depeg level during the step. */
      depegs,
      A,
      rampTargetA: isRamping(this.ramp, now) ? Number(this.ramp.futureA) / Number(this.aPrecision) : A,
      feeBps: Number(this.fees.fee) / 1e6,
      pendingFeeBps: this.fees.adminActionsDeadline === 0n ? null : Number(this.fees.futureFee) / 1e6,
      pricesUsd: Array.from(this.prices.pricesUsd),
      balances: Array.from(this.xp),
      /** D now / D at reset: the LP share's value index in pool units (no deposits or withdrawals happen). */
      virtualPrice: D / this.D0,
      /** Lowest marginal price between any two coins in the pool (fee-free): how far the pool itself is off 1:1. */
      minPoolPrice: worst,
    };
  }
}
