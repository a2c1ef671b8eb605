/**
 * The struct-of-arrays step of prediction-market-v0: N sub-envs in one loop, each step exactly the
 * scalar `PredictionMarketEnv.step` under make()'s TimeLimit (LP move, Brownian event move,
 * Poisson trader flow against the ProbabilitySpace pool, reward, resolution, observation, info).
 *
 * Hot path: `tradeStep` with `optimalBuy` and `buyGivenCollateralIn` inlined on locals (no
 * Reserves / Trade objects, and the curve's input checks dropped: the kernel only ever passes them
 * pools and amounts they accept); the pure log-domain helpers (`logMove`, `logPowerMean`,
 * `normalCdf`, `logGamma`) are the scalar env's own functions. The RNG (xoshiro128** and the
 * Box–Muller spare of `Rng`) lives in locals for the whole sub-env step, so every draw is the
 * scalar env's draw. Nothing is allocated per step.
 *
 * The step is dominated by transcendental functions (~12 per noise trader), so bit-exact inlining
 * alone buys little; what pays is doing fewer of them with the same results:
 * - ln(yes), ln(no) and the pool's price are computed once per pool state and reused by every
 *   trader until a trade moves the pool (the scalar env recomputes them per call);
 * - √τ, k(τ), γ = 1 − fee and the arrival-rate constants (per liquidity multiple) are hoisted;
 * - a noise trader whose cost tolerance is below the fee markup 1/γ − 1 declines whatever the
 *   trade's slippage (the average price of a buy is at least the marginal price p_side/γ), so
 *   the kernel counts the refusal without pricing the trade (see `declineWithoutPricing`). That is
 *   about half the noise traders at the default fee and tolerance.
 *
 * Each `random()` / `standardNormal()` of `Rng` is written out inline where it is drawn, under a
 * `// <var> = random()` / `// <var> = standardNormal()` comment: two xoshiro128** outputs → 53 bits;
 * Box–Muller with the second value kept as the spare. Keep them in step with env/core/rng.ts.
 */
import { InvalidActionError, ResetNeeded } from '../../../core/errors.js';
import { logGamma } from '../../../core/rng.js';
import { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import { logMove, logPowerMean, POOL_ROUNDING } from '../../../amm/probability-space/index.js';
import { DISCRETE_ACTIONS } from '../actions.js';
import { normalCdf } from '../event.js';
import { ACTION_CODE_CONTINUOUS, ACTION_CODE_RESET, InfoColumns } from './infoColumns.js';
import { PredictionMarketColumns } from './columns.js';
import type { ResolvedVectorOptions } from './options.js';
import { ColumnDraws } from '../../../core/vector/rngColumns.js';

const TWO_53 = 9007199254740992;
/** The scalar env's constants (predictionMarketEnv.ts, traders.ts). */
const OPEN_PRICE_EDGE = 1e-6;
const EXPOSURE_BOUND = 10;
const BELIEF_EDGE = 1e-9;

/**
 * The markup shortcut's safety margins. A buy's computed markup c/(Λ·p_side) − 1 is at least
 * (1/γ)(1 − 1e-10) − 1 whenever p_side is not in a far tail: the exact markup is ≥ 1/γ − 1, the
 * pool rounding only lowers Λ, and the float error of Λ and p_side is below 1e-10 relative (a few
 * ulps of ln(reserve)·|k| ≤ 710·316 ulps). MARKUP_MARGIN = 1e-9 leaves a factor 10 on top.
 * Tails are excluded by requiring the pool's price ratio within (1 + 6√τ)^{±1}, so |ln(no/yes)|/√τ
 * ≤ 6 and p_side ≥ 0.0024, where 1 − p_yes loses no relative accuracy.
 */
const MARKUP_MARGIN = 1e-9;
const TAIL_Z = 6;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export class PredictionMarketKernel {
  readonly numEnvs: number;
  readonly cols: PredictionMarketColumns;
  readonly obsSize = 5;
  readonly discrete: boolean;
  readonly numActions: number;
  readonly autoresetMode: AutoresetMode;

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

  private readonly draws = new ColumnDraws();
  // options
  private readonly horizon: number;
  private readonly maxEpisodeSteps: number;
  private readonly initialCollateral: number;
  private readonly initialSpread: number;
  private readonly liquidityLevels: Float64Array;
  private readonly feeLevels: Float64Array;
  private readonly initialLiquidityLevel: number;
  private readonly initialFeeLevel: number;
  private readonly liquidityMoves: Int32Array;
  private readonly feeMoves: Int32Array;
  private readonly rewardMode: 0 | 1 | 2;
  // trader config
  private readonly informedRate: number;
  private readonly noiseRate: number;
  private readonly noiseElasticity: number;
  private readonly noiseMaxMultiple: number;
  private readonly informedMaxCollateral: number;
  private readonly noiseMedian: number;
  private readonly noiseSigma: number;
  private readonly noiseMeanTolerance: number;
  /** median·e^{σz} > 0 for every Box–Muller z (|z| < 8.6, σ ≤ 10), so the trade's `c > 0` test always passes. */
  private readonly tradeAlwaysPositive: boolean;

  constructor(options: ResolvedVectorOptions) {
    const o = options.scalar;
    const n = options.numEnvs;
    this.numEnvs = n;
    this.cols = new PredictionMarketColumns(n);
    this.autoresetMode = options.autoresetMode;
    this.discrete = o.actionSpace === 'discrete';
    this.numActions = DISCRETE_ACTIONS.length;
    this.liquidityMoves = Int32Array.from(DISCRETE_ACTIONS, (a) => a.liquidity);
    this.feeMoves = Int32Array.from(DISCRETE_ACTIONS, (a) => a.fee);
    this.horizon = o.horizon;
    this.maxEpisodeSteps = options.maxEpisodeSteps;
    this.initialCollateral = o.initialCollateral;
    this.initialSpread = o.initialSpread;
    this.liquidityLevels = Float64Array.from(o.liquidityLevels);
    this.feeLevels = Float64Array.from(o.feeLevels);
    this.initialLiquidityLevel = o.initialLiquidityLevel;
    this.initialFeeLevel = o.initialFeeLevel;
    this.rewardMode = o.reward === 'trading' ? 0 : o.reward === 'pnl' ? 1 : 2;
    const t = o.traders;
    this.informedRate = t.informedRate;
    this.noiseRate = t.noiseRate;
    this.noiseElasticity = t.noiseElasticity;
    this.noiseMaxMultiple = t.noiseMaxMultiple;
    this.informedMaxCollateral = t.informedMaxCollateral;
    this.noiseMedian = t.noiseMedianCollateral;
    this.noiseSigma = t.noiseSigma;
    this.noiseMeanTolerance = t.noiseMeanTolerance;
    // e^{−86} > 1e-40 and multiplication is monotone, so median·1e-40 > 0 ⇒ median·e^{σz} > 0
    this.tradeAlwaysPositive = t.noiseSigma <= 10 && t.noiseMedianCollateral * 1e-40 > 0;

    this.observations = new Float32Array(n * this.obsSize);
    this.rewards = new Float64Array(n);
    this.terminations = new Uint8Array(n);
    this.truncations = new Uint8Array(n);
    this.info = new InfoColumns(n);
    this.finalObservations = new Float32Array(n * this.obsSize);
    this.finalInfo = new InfoColumns(n);
    this.finalMask = new Uint8Array(n);
  }

  /**
   * Starts a new market in sub-env i (the scalar `reset` after its reseed): B0 ~ N(0, spread²), the
   * levels at their initial index, the LP's first deposit at the opening price (`fundPool` and
   * `LpAccount.book`). Writes its observation and reset info rows.
   */
  resetSubEnv(i: number): void {
    const c = this.cols;
    let latent = 0;
    if (this.initialSpread > 0) {
      latent = this.initialSpread * this.draws.standardNormal(c, i);
    }
    const probability = normalCdf(latent / Math.sqrt(1));
    c.latent[i] = latent;
    c.timeToExpiry[i] = 1;
    c.probability[i] = probability;
    c.stepIndex[i] = 0;
    const level = this.initialLiquidityLevel;
    const multiple = this.liquidityLevels[level]!;
    c.liquidityLevel[i] = level;
    c.liquidityMultiple[i] = multiple;
    c.feeLevel[i] = this.initialFeeLevel;
    c.feeRate[i] = this.feeLevels[this.initialFeeLevel]!;
    // fundPool(initialCollateral·m, 1, clip(q)), then LpAccount.book on an empty account
    const p = clip(probability, OPEN_PRICE_EDGE, 1 - OPEN_PRICE_EDGE);
    const collateral = this.initialCollateral * multiple;
    const ratio = Math.exp(Math.sqrt(1) * (Math.log(p) - Math.log1p(-p)));
    const yes = ratio >= 1 ? collateral / ratio : collateral;
    const no = ratio >= 1 ? collateral : collateral * ratio;
    let cash = 0 - collateral;
    let outYes = 0 + (collateral - yes);
    let outNo = 0 + (collateral - no);
    const sets = Math.min(outYes, outNo);
    cash += sets;
    outYes -= sets;
    outNo -= sets;
    c.poolYes[i] = yes;
    c.poolNo[i] = no;
    c.lpCash[i] = cash;
    c.lpOutsideYes[i] = outYes;
    c.lpOutsideNo[i] = outNo;
    const wealth = cash + (yes + outYes) * probability + (no + outNo) * (1 - probability);
    c.wealth[i] = wealth;
    c.openingWealth[i] = wealth;
    c.ended[i] = 0;
    c.started[i] = 1;
    const info = this.info.columns;
    info.informedTrades[i] = 0;
    info.noiseTrades[i] = 0;
    info.noiseDeclined[i] = 0;
    info.volume[i] = 0;
    info.informedVolume[i] = 0;
    info.fees[i] = 0;
    info.revaluation[i] = 0;
    info.tradingPnl[i] = 0;
    this.info.actionCode[i] = ACTION_CODE_RESET;
    this.writeState(i, Math.log(yes), Math.log(no), false);
  }

  /** The observation and the state info of sub-env i (`observe` and `info` of the scalar env), from ln(yes), ln(no). */
  private writeState(i: number, lnYes: number, lnNo: number, resolved: boolean): void {
    const c = this.cols;
    const info = this.info.columns;
    const tau = c.timeToExpiry[i]!;
    const yes = c.poolYes[i]!;
    const no = c.poolNo[i]!;
    const multiple = c.liquidityMultiple[i]!;
    const fee = c.feeRate[i]!;
    // impliedProbability(yes, no, τ) = probabilityFromLogs
    const d = lnNo - lnYes;
    let pool = 0;
    if (tau === 0) pool = d > 0 ? 1 : d < 0 ? 0 : 0.5;
    else {
      const z = d / Math.sqrt(tau);
      if (z >= 0) pool = 1 / (1 + Math.exp(-z));
      else {
        const ez = Math.exp(z);
        pool = ez / (1 + ez);
      }
    }
    if (multiple !== c.rateMultiple[i]) this.cacheMultiple(i, multiple);
    const j = i * 5;
    const obs = this.observations;
    obs[j] = tau;
    obs[j + 1] = pool;
    obs[j + 2] = clip(c.logMultiple[i]!, -5, 5);
    obs[j + 3] = fee;
    obs[j + 4] = clip((yes + c.lpOutsideYes[i]! - no - c.lpOutsideNo[i]!) / this.initialCollateral, -EXPOSURE_BOUND, EXPOSURE_BOUND);
    const q = c.probability[i]!;
    const wealth = c.wealth[i]!;
    info.step[i] = c.stepIndex[i]!;
    info.timeToExpiry[i] = tau;
    info.trueProbability[i] = q;
    info.poolProbability[i] = pool;
    info.poolYes[i] = yes;
    info.poolNo[i] = no;
    // invariant(yes, no, τ) = exp(logPowerMean(ln yes, ln no, exponentAt(τ)))
    info.invariant[i] = Math.exp(logPowerMean(lnYes, lnNo, tau === 1 ? 0 : 1 - 1 / Math.sqrt(tau)));
    info.liquidityMultiple[i] = multiple;
    info.feeRate[i] = fee;
    info.lpCash[i] = c.lpCash[i]!;
    info.lpOutsideYes[i] = c.lpOutsideYes[i]!;
    info.lpOutsideNo[i] = c.lpOutsideNo[i]!;
    info.wealth[i] = wealth;
    this.info.outcomeCode[i] = resolved ? (q === 1 ? 1 : 2) : 0;
    info.profit[i] = resolved ? wealth - c.openingWealth[i]! : NaN;
  }

  /** Fills sub-env i's caches for liquidity multiple m: `tradeStep`'s arrival rate and informed share, `Rng.poisson`'s constants, ln m. */
  private cacheMultiple(i: number, m: number): void {
    const c = this.cols;
    const noiseRate = this.noiseRate * Math.min(this.noiseMaxMultiple, m ** this.noiseElasticity);
    const rate = this.informedRate + noiseRate;
    c.rateMultiple[i] = m;
    c.arrivalRate[i] = rate;
    c.informedShare[i] = rate > 0 ? this.informedRate / rate : 0;
    c.expMinusRate[i] = Math.exp(-rate);
    const slam = Math.sqrt(rate);
    const b = 0.931 + 2.53 * slam;
    c.ptrsSqrtLam[i] = slam;
    c.ptrsLogLam[i] = Math.log(rate);
    c.ptrsB[i] = b;
    c.ptrsA[i] = -0.059 + 0.02483 * b;
    c.ptrsInvAlpha[i] = 1.1239 + 1.1328 / (b - 3.4);
    c.ptrsVr[i] = 0.9277 - 3.6224 / (b - 2);
    c.logMultiple[i] = Math.log(m);
  }

  /** Throws `InvalidActionError` naming the first sub-env (not resetting this step) whose action is outside the space. */
  private validateActions(actions: ArrayLike<number>, envId: string): void {
    const ended = this.cols.ended;
    for (let i = 0; i < this.numEnvs; i++) {
      if (ended[i] !== 0) continue; // reset this step, the action is ignored
      if (this.discrete) {
        const a = actions[i]!;
        if (!(typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < this.numActions)) {
          throw new InvalidActionError(a, `Discrete(${this.numActions})`, envId, `sub-env ${i}: expected an integer in [0, ${this.numActions - 1}]`);
        }
      } else {
        const a0 = actions[2 * i]!;
        const a1 = actions[2 * i + 1]!;
        // the Box is float32: the action is what a Float32Array would hold
        if (!(typeof a0 === 'number' && typeof a1 === 'number' && Math.abs(Math.fround(a0)) <= 1 && Math.abs(Math.fround(a1)) <= 1)) {
          throw new InvalidActionError([a0, a1], 'Box(-1.0, 1.0, (2,), float32)', envId, `sub-env ${i}: both numbers must be in [-1, 1]`);
        }
      }
    }
  }

  /** One step of every sub-env (see the module comment); results in the output columns. */
  step(actions: ArrayLike<number>, envId: string): void {
    const n = this.numEnvs;
    const expected = this.discrete ? n : 2 * n;
    if (actions === null || typeof actions !== 'object' || actions.length !== expected) {
      throw new InvalidActionError(actions, this.discrete ? `Discrete(${this.numActions}) × ${n}` : `Box(2) × ${n} (flat, ${expected} numbers)`, envId, `expected ${expected} numbers`);
    }
    const cols = this.cols;
    const mode = this.autoresetMode;
    const sameStep = mode === AutoresetMode.SAME_STEP;
    for (let i = 0; i < n; i++) {
      if (cols.started[i] === 0) throw new ResetNeeded(`${envId}: sub-env ${i} was never reset; call reset() before step()`);
      if (cols.ended[i] !== 0 && mode === AutoresetMode.DISABLED) {
        throw new ResetNeeded(`${envId}: sub-env ${i} ended its episode; with autoresetMode 'disabled' reset it first with reset({ options: { resetMask } })`);
      }
    }
    this.validateActions(actions, envId);
    if (sameStep) this.finalMask.fill(0);

    const latentCol = cols.latent;
    const tauCol = cols.timeToExpiry;
    const probCol = cols.probability;
    const stepCol = cols.stepIndex;
    const levelCol = cols.liquidityLevel;
    const multipleCol = cols.liquidityMultiple;
    const feeLevelCol = cols.feeLevel;
    const feeCol = cols.feeRate;
    const yesCol = cols.poolYes;
    const noCol = cols.poolNo;
    const cashCol = cols.lpCash;
    const outYesCol = cols.lpOutsideYes;
    const outNoCol = cols.lpOutsideNo;
    const wealthCol = cols.wealth;
    const rateMultiple = cols.rateMultiple;
    const rng0 = cols.rng0;
    const rng1 = cols.rng1;
    const rng2 = cols.rng2;
    const rng3 = cols.rng3;
    const spareCol = cols.spare;
    const hasSpareCol = cols.hasSpare;
    const rewards = this.rewards;
    const terminations = this.terminations;
    const truncations = this.truncations;
    const info = this.info.columns;
    const infoInformed = info.informedTrades;
    const infoNoise = info.noiseTrades;
    const infoDeclined = info.noiseDeclined;
    const infoVolume = info.volume;
    const infoInformedVolume = info.informedVolume;
    const infoFees = info.fees;

    const horizon = this.horizon;
    const levels = this.liquidityLevels;
    const feeLevels = this.feeLevels;
    const nLevels = levels.length;
    const nFeeLevels = feeLevels.length;
    const discrete = this.discrete;
    const informedMax = this.informedMaxCollateral;
    const median = this.noiseMedian;
    const sigma = this.noiseSigma;
    const meanTolerance = this.noiseMeanTolerance;
    const tradeAlwaysPositive = this.tradeAlwaysPositive;
    const rewardMode = this.rewardMode;

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
    // lazy Box–Muller (noise trader sizes): the pending pair's spare is bmR·sin(bmT), not yet in spareV
    let spareLazy = false;
    let bmReady = false;

    for (let i = 0; i < n; i++) {
      if (cols.ended[i] !== 0) {
        // next-step autoreset: this step resets the sub-env; its action is ignored
        this.resetSubEnv(i);
        rewards[i] = 0;
        terminations[i] = 0;
        truncations[i] = 0;
        continue;
      }
      let yes = yesCol[i]!;
      let no = noCol[i]!;
      let cash = cashCol[i]!;
      let outYes = outYesCol[i]!;
      let outNo = outNoCol[i]!;
      let multiple = multipleCol[i]!;
      let fee = 0;
      let target = 0;

      // 1. the LP's move (applyDiscrete / applyContinuous, then setLiquidity)
      if (discrete) {
        const a = actions[i]!;
        const level = Math.min(nLevels - 1, Math.max(0, levelCol[i]! + this.liquidityMoves[a]!));
        const feeLevel = Math.min(nFeeLevels - 1, Math.max(0, feeLevelCol[i]! + this.feeMoves[a]!));
        levelCol[i] = level;
        feeLevelCol[i] = feeLevel;
        target = levels[level]!;
        fee = feeLevels[feeLevel]!;
        this.info.actionCode[i] = a;
      } else {
        const lowest = levels[0]!;
        const highest = levels[nLevels - 1]!;
        target = lowest * (highest / lowest) ** ((Math.fround(actions[2 * i]!) + 1) / 2);
        const fLo = feeLevels[0]!;
        const fHi = feeLevels[nFeeLevels - 1]!;
        fee = fLo + ((Math.fround(actions[2 * i + 1]!) + 1) / 2) * (fHi - fLo);
        this.info.actionCode[i] = ACTION_CODE_CONTINUOUS;
      }
      if (target !== multiple) {
        // LpAccount.scale: scaleLiquidity(pool, target/multiple), then book
        const factor = target / multiple;
        let collateralIn = 0;
        let yesToLp = 0;
        let noToLp = 0;
        if (factor >= 1) {
          const alpha = factor - 1;
          const sets = Math.max(yes, no);
          collateralIn = alpha * sets;
          yesToLp = alpha * (sets - yes);
          noToLp = alpha * (sets - no);
        } else {
          const beta = 1 - factor;
          const sets = Math.min(yes, no);
          collateralIn = -beta * sets;
          yesToLp = beta * (yes - sets);
          noToLp = beta * (no - sets);
        }
        yes *= factor;
        no *= factor;
        cash -= collateralIn;
        outYes += yesToLp;
        outNo += noToLp;
        const sets = Math.min(outYes, outNo);
        cash += sets;
        outYes -= sets;
        outNo -= sets;
        multiple = target;
        multipleCol[i] = multiple;
      }
      feeCol[i] = fee;
      if (multiple !== rateMultiple[i]) this.cacheMultiple(i, multiple);

      // 2. the clock and the true probability move (BinaryEvent.advance); the inventory rides the move
      const exposure = yes + outYes - no - outNo;
      const qBefore = probCol[i]!;
      const stepNo = stepCol[i]! + 1;
      const tau = (horizon - stepNo) / horizon;
      r0 = rng0[i]!;
      r1 = rng1[i]!;
      r2 = rng2[i]!;
      r3 = rng3[i]!;
      spareV = spareCol[i]!;
      hasSp = hasSpareCol[i]!;
      const dtSqrt = Math.sqrt(tauCol[i]! - tau);
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
      const latent = latentCol[i]! + dtSqrt * z;
      const q = tau <= 0 ? (latent > 0 ? 1 : 0) : normalCdf(latent / Math.sqrt(tau));
      latentCol[i] = latent;
      tauCol[i] = tau;
      probCol[i] = q;
      stepCol[i] = stepNo;
      const revaluation = exposure * (q - qBefore);

      // 3. traders (tradeStep), or the resolution; ln(yes), ln(no) and the pool price follow the pool
      let lnYes = Math.log(yes);
      let lnNo = Math.log(no);
      const resolved = !(tau > 0);
      if (!resolved) {
        let informedTrades = 0;
        let noiseTrades = 0;
        let declined = 0;
        let volume = 0;
        let informedVolume = 0;
        let fees = 0;
        const sqrtT = Math.sqrt(tau);
        const k = tau === 1 ? 0 : 1 - 1 / sqrtT;
        const gamma = 1 - fee;
        // declineWithoutPricing: a tolerance below this declines any buy (module comment, MARKUP_MARGIN)
        const declineBelow = (1 - MARKUP_MARGIN) / gamma - 1;
        const tailRatio = 1 + TAIL_Z * sqrtT;
        const belief = Math.min(1 - BELIEF_EDGE, Math.max(BELIEF_EDGE, q));
        const rate = cols.arrivalRate[i]!;
        const informedShare = cols.informedShare[i]!;
        // the pool's YES price, valid while priceFresh
        let pYes = 0;
        let priceFresh = false;

        // arrivals = poisson(rate) (Rng.poisson: Knuth below 10, PTRS from 10)
        let arrivals = 0;
        if (!(rate > 0)) arrivals = 0;
        else if (rate < 10) {
          const enlam = cols.expMinusRate[i]!;
          let prod = 1;
          for (;;) {
            // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            u = (hi * 67108864 + lo) / TWO_53;
            prod *= u;
            if (prod > enlam) arrivals++;
            else break;
          }
        } else {
          const pa = cols.ptrsA[i]!;
          const pb = cols.ptrsB[i]!;
          const vr = cols.ptrsVr[i]!;
          for (;;) {
            // U = random() − 0.5: two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            const U = (hi * 67108864 + lo) / TWO_53 - 0.5;
            // V = random(): two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            const V = (hi * 67108864 + lo) / TWO_53;
            const us = 0.5 - Math.abs(U);
            const kk = Math.floor(((2 * pa) / us + pb) * U + rate + 0.43);
            if (us >= 0.07 && V <= vr) {
              arrivals = kk;
              break;
            }
            if (kk < 0 || (us < 0.013 && V > us)) continue;
            if (Math.log(V) + Math.log(cols.ptrsInvAlpha[i]!) - Math.log(pa / (us * us) + pb) <= -rate + kk * cols.ptrsLogLam[i]! - logGamma(kk + 1)) {
              arrivals = kk;
              break;
            }
          }
        }

        for (let arrival = 0; arrival < arrivals; arrival++) {
          // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
          m5 = Math.imul(r1, 5);
          hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          m5 = Math.imul(r1, 5);
          lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          u = (hi * 67108864 + lo) / TWO_53;
          let buyYes = false;
          let c = 0;
          if (u < informedShare) {
            // informed: optimalBuy(pool, τ, belief, fee) — YES first, then NO; collateralForMarginalCost per side
            if (!priceFresh) {
              const zz = (lnNo - lnYes) / sqrtT;
              if (zz >= 0) pYes = 1 / (1 + Math.exp(-zz));
              else {
                const ez = Math.exp(zz);
                pYes = ez / (1 + ez);
              }
              priceFresh = true;
            }
            let targetSide = gamma * belief;
            if (!(pYes >= targetSide)) {
              buyYes = true;
              c = this.collateralToPrice(lnYes, lnNo, k, sqrtT, targetSide, true, no, gamma);
            }
            if (!(c > 0)) {
              targetSide = gamma * (1 - belief);
              buyYes = false;
              c = 1 - pYes >= targetSide ? 0 : this.collateralToPrice(lnYes, lnNo, k, sqrtT, 1 - targetSide, false, yes, gamma);
              if (!(c > 0)) continue; // inside the no-arbitrage band
            }
            c = Math.min(c, informedMax);
            if (!(c > 0)) continue;
          } else {
            // noise: side, size, tolerance
            // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            u = (hi * 67108864 + lo) / TWO_53;
            buyYes = u < 0.5;
            // z = standardNormal(), drawn now but evaluated lazily (only a priced trade needs its size):
            // Box–Muller's uniforms are taken from the stream here, its log/sqrt/sin/cos when z or the
            // spare is first used, with the same operations, so the values are Rng's bit for bit
            let zFromSpare = false;
            if (hasSp !== 0) {
              zFromSpare = true;
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
              bmReady = false;
              hasSp = 1;
              spareLazy = true;
            }
            // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
            m5 = Math.imul(r1, 5);
            hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            m5 = Math.imul(r1, 5);
            lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
            t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
            u = (hi * 67108864 + lo) / TWO_53;
            const tolerance = -meanTolerance * Math.log(1 - u);
            // declineWithoutPricing: the trade's markup is at least the fee's, so the trader walks away
            if (tradeAlwaysPositive && tolerance < declineBelow && no <= yes * tailRatio && yes <= no * tailRatio) {
              declined++;
              continue;
            }
            if (zFromSpare && !spareLazy) z = spareV;
            else {
              if (!bmReady) {
                bmR = Math.sqrt(-2 * Math.log(bmU));
                bmT = 2 * Math.PI * bmV;
                bmReady = true;
              }
              z = zFromSpare ? bmR * Math.sin(bmT) : bmR * Math.cos(bmT);
              if (zFromSpare) spareLazy = false; // consumed
            }
            c = median * Math.exp(sigma * z);
            if (!(c > 0)) continue;
            if (!priceFresh) {
              const zz = (lnNo - lnYes) / sqrtT;
              if (zz >= 0) pYes = 1 / (1 + Math.exp(-zz));
              else {
                const ez = Math.exp(zz);
                pYes = ez / (1 + ez);
              }
              priceFresh = true;
            }
            const pSide = buyYes ? pYes : 1 - pYes;
            // sharesOutGivenCollateralIn; the markup test of tradeStep
            const side = buyYes ? yes : no;
            const other = buyYes ? no : yes;
            const effective = gamma * c;
            const dLnSide = logMove(buyYes ? lnYes : lnNo, buyYes ? lnNo : lnYes, Math.log1p(effective / other), k);
            const shares = effective - side * Math.expm1(dLnSide) - POOL_ROUNDING * (side + effective);
            const amountOut = shares > 0 ? shares : 0;
            if (!(amountOut > 0) || c / (amountOut * pSide) - 1 > tolerance) {
              declined++;
              continue;
            }
            if (buyYes) {
              yes = side + c - amountOut;
              no = other + c;
            } else {
              no = side + c - amountOut;
              yes = other + c;
            }
            lnYes = Math.log(yes);
            lnNo = Math.log(no);
            priceFresh = false;
            noiseTrades++;
            volume += c;
            fees += fee * c;
            continue;
          }
          // the informed buy: buyGivenCollateralIn(pool, τ, side, c, fee)
          const side = buyYes ? yes : no;
          const other = buyYes ? no : yes;
          const effective = gamma * c;
          const dLnSide = logMove(buyYes ? lnYes : lnNo, buyYes ? lnNo : lnYes, Math.log1p(effective / other), k);
          const shares = effective - side * Math.expm1(dLnSide) - POOL_ROUNDING * (side + effective);
          const amountOut = shares > 0 ? shares : 0;
          if (buyYes) {
            yes = side + c - amountOut;
            no = other + c;
          } else {
            no = side + c - amountOut;
            yes = other + c;
          }
          lnYes = Math.log(yes);
          lnNo = Math.log(no);
          priceFresh = false;
          informedTrades++;
          informedVolume += c;
          volume += c;
          fees += fee * c;
        }
        infoInformed[i] = informedTrades;
        infoNoise[i] = noiseTrades;
        infoDeclined[i] = declined;
        infoVolume[i] = volume;
        infoInformedVolume[i] = informedVolume;
        infoFees[i] = fees;
      }
      // At resolution the scalar env does not call tradeStep, so its info repeats the previous
      // step's flow numbers: the flow columns are left as that step wrote them.

      if (hasSp !== 0 && spareLazy) {
        if (!bmReady) {
          bmR = Math.sqrt(-2 * Math.log(bmU));
          bmT = 2 * Math.PI * bmV;
        }
        spareV = bmR * Math.sin(bmT);
      }
      spareLazy = false;
      rng0[i] = r0;
      rng1[i] = r1;
      rng2[i] = r2;
      rng3[i] = r3;
      spareCol[i] = spareV;
      hasSpareCol[i] = hasSp;
      yesCol[i] = yes;
      noCol[i] = no;
      cashCol[i] = cash;
      outYesCol[i] = outYes;
      outNoCol[i] = outNo;

      // 4. reward (LpAccount.wealth at q), termination, truncation, observation, info
      const wealth = cash + (yes + outYes) * q + (no + outNo) * (1 - q);
      const change = wealth - wealthCol[i]!;
      wealthCol[i] = wealth;
      rewards[i] = rewardMode === 1 ? change
        : rewardMode === 0 ? change - revaluation
          : resolved ? wealth - cols.openingWealth[i]! : 0;
      const truncated = stepNo >= this.maxEpisodeSteps;
      terminations[i] = resolved ? 1 : 0;
      truncations[i] = truncated ? 1 : 0;
      info.revaluation[i] = revaluation;
      info.tradingPnl[i] = change - revaluation;
      this.writeState(i, lnYes, lnNo, resolved);

      if (resolved || truncated) {
        if (sameStep) {
          const size = this.obsSize;
          for (let j = i * size; j < (i + 1) * size; j++) this.finalObservations[j] = this.observations[j]!;
          this.finalInfo.copyRow(this.info, i);
          this.finalMask[i] = 1;
          this.resetSubEnv(i);
        } else cols.ended[i] = 1;
      }
    }
  }

  /**
   * `collateralForMarginalCost` past its early return: collateral that moves the pool's price of the
   * side bought to `p` (p_yes = p when buying YES, 1 − p_yes = 1 − p when buying NO) on the fee-free
   * curve, through `reservesAtProbability(s, τ, p)`; `otherReserve` is the reserve of the side not bought.
   */
  private collateralToPrice(lnYes: number, lnNo: number, k: number, sqrtT: number, p: number, buyYes: boolean, otherReserve: number, gamma: number): number {
    const s = Math.exp(logPowerMean(lnYes, lnNo, k));
    const lnRatio = sqrtT * (Math.log(p) - Math.log1p(-p));
    const lnS = Math.log(s);
    const lnX = k === 0 ? lnS - 0.5 * lnRatio : lnS - Math.log1p(0.5 * Math.expm1(k * lnRatio)) / k;
    // buying YES raises the NO reserve by γc at the fee-free point (and vice versa)
    const targetOther = buyYes ? Math.exp(lnX + lnRatio) : Math.exp(lnX);
    const c = (targetOther - otherReserve) / gamma;
    return c > 0 ? c : 0;
  }
}
