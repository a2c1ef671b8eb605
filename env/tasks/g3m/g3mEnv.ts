/**
 * g3m-v0: tune the exponent p and the fee of a two-asset Generalized Mean Market Maker (Zanger's
 * G3M; amm-curves.md §4) against arbitrageurs and noise traders, rewarded with fees minus
 * loss-versus-rebalancing in numeraire units.
 */
import { Env, type Info, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { ResetNeeded } from '../../core/errors.js';
import { makePriceProcess } from '../../market/price/config.js';
import { SECONDS_PER_YEAR, type PriceProcess } from '../../market/price/process.js';
import { poissonCached } from '../../market/poisson.js';
import { resolveG3mOptions, type G3mEnvOptions, type ResolvedG3mOptions } from './options.js';
import { arbitrage, newTradeTotals, noiseTrade, poolSpot, poolValue, resetTradeTotals, type TwoAssetPool } from './trading.js';

const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4 });

/** Names of the discrete actions, by index. */
export const G3M_ACTION_MEANINGS: readonly string[] = Object.freeze(['hold', 'p up', 'p down', 'fee up', 'fee down']);

/** A reserve whose value share falls below this ends the episode (`termination: 'depleted'`). */
export const DEPLETED_SHARE = 1e-9;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * ## Description
 *
 * A two-asset G3M pool (risky asset and numeraire) with trading function
 * (w·x̂^p + (1 − w)·y^p)^(1/p) (the weighted geometric mean at p = 0), where x̂ is the risky reserve
 * valued at the reference price (the external price at reset, fixed for the episode). At equal weights a balanced pool
 * therefore quotes the reference price for every p, and p sets how flat the curve is around it:
 * p → 1 approaches constant sum (little slippage, a nearly fixed price, a finite admissible trade
 * size), p = 0 is constant product. The agent, the pool's manager, picks p and the fee.
 *
 * Each step is `blocksPerStep` blocks of `blockSec` seconds. In every block the external price
 * moves (GBM by default, or Merton / replay from env/market), an arbitrageur trades the pool back
 * into the no-arbitrage band [γ·S, S/γ] with the single most profitable trade when it is outside
 * (γ = 1 − fee; amm-curves.md §2.4), then Poisson(λ) noise traders arrive, each buying or selling
 * (50/50) a lognormal value, and trading only if the pool can fill the order and its all-in cost
 * at the external price (fee + slippage + mispricing) is within the trader's exponential
 * tolerance. So the fee and p move both the fee income and how much flow the pool gets.
 *
 * Changing p keeps the reserves, so it moves the pool's price whenever the pool is not balanced
 * ((y/x̂)^(1−p) at equal weights). Nothing is repaired by hand: the next block's arbitrageur
 * realigns the price, and what that costs is part of that step's arbitrage loss. Fee changes do not
 * move the price.
 *
 * ## Action Space
 *
 * Default `Discrete(5)`: 0 hold, 1 p up, 2 p down (one step along `pGrid`, default
 * [0, 0.25, 0.5, 0.75, 0.9]), 3 fee up, 4 fee down (one step along `feeGrid`, default
 * [10, 30, 50, 100] bp); a move past either end of a grid does nothing (`info.clamped`). p = 1 is
 * left out on purpose: the constant-sum curve has a fixed price, so any price move beyond the fee
 * drains it.
 * `actionSpace: 'continuous'` gives `Box([-1, -1], [1, 1], (2,), float32)`: a[0] maps linearly to
 * p ∈ [min pGrid, max pGrid], a[1] to the fee, log-uniformly on [min feeGrid, max feeGrid] (linearly
 * when the smallest fee is 0).
 *
 * ## Observation Space
 *
 * `Box(6,)` float32, clipped to the bounds:
 *
 * | Num | Observation                                                     | Min | Max |
 * |-----|-----------------------------------------------------------------|-----|-----|
 * | 0   | ln(external price / reference price)                            | -1  | 1   |
 * | 1   | risky share of pool value at the external price                 | 0   | 1   |
 * | 2   | p                                                               | 0   | 1   |
 * | 3   | fee (fraction)                                                  | 0   | 0.1 |
 * | 4   | realised annualised volatility of the external price, last step | 0   | 5   |
 * | 5   | time of episode: step / horizon                                 | 0   | 1   |
 *
 * ## Rewards
 *
 * Per step, in numeraire units: fees − LVR, where LVR sums the traders' fee-free edge
 * (value received − γ·value paid, at the block's external price) over the step's trades. The
 * arbitrageurs' part (`info.arbLossNumeraire`) is ≥ 0; the noise traders' part
 * (`info.noiseMarkoutNumeraire`) is usually negative (they pay slippage). Near balance the curve's
 * liquidity is V/(4(1 − p)), so fee-free arbitrage costs σ²V/(8(1 − p)) per unit time: flatter
 * curves earn more flow and lose more to arbitrage. Equivalently the reward is the pool's value change minus
 * that of a portfolio holding the pool's reserves and rebalancing at external prices: over an
 * episode, Σ reward = V_pool(T) − V_pool(0) − Σ_blocks risky tokens held × price change.
 *
 * ## Starting State
 *
 * External price `initialPrice` (100; also the reference price), a pool worth `poolValue`
 * (1 000 000) whose spot equals it (equal values at weight ½), p = `initialP`, fee = `initialFee`:
 * by default p = 0 and 30 bp, i.e. a Uniswap-v2-style constant-product pool, which is also the
 * fixed-parameter baseline (hold).
 *
 * ## Episode End
 *
 * Terminated when a reserve's share of pool value falls below 1e-9 (`info.termination =
 * 'depleted'`: with p near 1 and a large price move the curve can run out of one asset).
 * Truncated by `maxEpisodeSteps` (288 in the registered spec: one day of 5-minute steps).
 *
 * ## Arguments
 *
 * `make('g3m-v0', { initialPrice, poolValue, weight, pGrid, feeGrid, initialP, initialFee,
 * blockSec, blocksPerStep, horizon, price, noise: { arrivalsPerBlock, sizeMedian, sizeSigma,
 * costToleranceMean }, actionSpace, renderMode })`; see `G3mEnvOptions` for each default.
 *
 * ## Version History
 *
 * - v0: initial version.
 */
export class G3mEnv extends Env<Float32Array, number | Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete | Box;
  readonly options: ResolvedG3mOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  private readonly pool: TwoAssetPool = { a: 1, b: 1, w: 0.5, p: 0, fee: 0 };
  private readonly totals = newTradeTotals();
  private readonly price: PriceProcess;
  private readonly expMinusArrivals: number;
  private readonly logSizeMedian: number;
  private readonly stepYears: number;
  private pIndex = 0;
  private feeIndex = 0;
  private s = 1;
  private vol = 0;
  private step_ = 0;
  private started = false;
  private lastInfo: Info = {};

  constructor(options: G3mEnvOptions = {}) {
    super();
    this.options = resolveG3mOptions(options);
    const o = this.options;
    this.metadata = METADATA;
    this.renderMode = o.renderMode;
    this.observationSpace = new Box([-1, 0, 0, 0, 0, 0], [1, 1, 1, 0.1, 5, 1], [6], 'float32');
    this.actionMeanings = o.actionSpace === 'discrete' ? G3M_ACTION_MEANINGS : [];
    this.actionSpace = o.actionSpace === 'discrete' ? new Discrete(5) : new Box(-1, 1, [2], 'float32');
    this.price = makePriceProcess(o.price, 'g3m-v0 option price');
    this.expMinusArrivals = Math.exp(-o.noise.arrivalsPerBlock);
    this.logSizeMedian = Math.log(o.noise.sizeMedian);
    this.stepYears = (o.blocksPerStep * o.blockSec) / SECONDS_PER_YEAR;
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    const o = this.options;
    this.pIndex = o.pGrid.indexOf(o.initialP);
    this.feeIndex = o.feeGrid.indexOf(o.initialFee);
    const pool = this.pool;
    pool.w = o.weight;
    pool.p = o.initialP;
    pool.fee = o.initialFee;
    // spot (w/(1−w))·(b/a)^(1−p) = 1 at the reference price: b/a = ((1−w)/w)^(1/(1−p))
    const ratio = Math.pow((1 - o.weight) / o.weight, 1 / (1 - o.initialP));
    pool.a = o.poolValue / (1 + ratio);
    pool.b = o.poolValue - pool.a;
    this.price.reset(o.initialPrice);
    this.s = 1;
    this.vol = 0;
    this.step_ = 0;
    resetTradeTotals(this.totals);
    this.started = true;
    this.lastInfo = this.info(0, 'reset', false, null);
    return [this.observe(), this.lastInfo];
  }

  step(action: number | Float32Array): StepResult<Float32Array> {
    const envId = this.spec?.id ?? 'g3m-v0';
    assertAction(this.actionSpace, action, envId);
    if (!this.started) throw new ResetNeeded(`${envId}: call reset() before step()`);
    const o = this.options;
    const pool = this.pool;
    const rng = this.npRandom;

    // 1. the manager's move; reserves are kept, so a p change can move the price (arbitrage fixes it below)
    const clamped = typeof action === 'number' ? this.applyDiscrete(action) : this.applyContinuous(action);

    // 2. blocks: price move, arbitrage, noise flow
    const t = this.totals;
    resetTradeTotals(t);
    const noise = o.noise;
    const ref = o.initialPrice;
    let gain = 0;
    let sumSq = 0;
    let depleted = false;
    for (let blk = 0; blk < o.blocksPerStep && !depleted; blk++) {
      const prevS = this.s;
      this.s = this.price.step(rng, o.blockSec) / ref;
      const r = Math.log(this.s / prevS);
      sumSq += r * r;
      gain += arbitrage(pool, this.s, t);
      if (t.drained) {
        depleted = true;
        break;
      }
      const arrivals = poissonCached(rng, noise.arrivalsPerBlock, this.expMinusArrivals);
      for (let k = 0; k < arrivals; k++) {
        const sell = rng.random() < 0.5;
        const value = rng.lognormal(this.logSizeMedian, noise.sizeSigma);
        const tolerance = rng.exponential(noise.costToleranceMean);
        gain += noiseTrade(pool, this.s, sell, value, tolerance, t);
      }
      depleted = this.isDepleted();
    }
    if (!depleted) depleted = this.isDepleted();
    this.vol = Math.sqrt(sumSq / this.stepYears);
    this.step_++;

    const reward = gain;
    const termination = depleted ? 'depleted' : null;
    const meaning = typeof action === 'number' ? G3M_ACTION_MEANINGS[action]! : 'continuous';
    this.lastInfo = this.info(reward, meaning, clamped, termination);
    return [this.observe(), reward, depleted, false, this.lastInfo];
  }

  override render(): RenderFrame | null {
    if (this.renderMode !== 'ansi') return null;
    const i = this.lastInfo;
    const f = (v: unknown, d = 2) => (typeof v === 'number' ? v.toFixed(d) : String(v));
    return `t=${this.step_} price=${f(i.priceNumeraire, 4)} pool=${f(i.poolPriceNumeraire, 4)} p=${f(i.p, 2)} fee=${f(10_000 * (i.fee as number), 1)}bp `
      + `value=${f(i.poolValueNumeraire)} fees=${f(i.feesNumeraire)} arbLoss=${f(i.arbLossNumeraire)} reward=${f(i.reward)}`;
  }

  /** The pool (reference-value units for the risky reserve). Read-only by contract: baselines and tests inspect it. */
  get state(): Readonly<TwoAssetPool> {
    return this.pool;
  }

  /** External price of the risky asset, numeraire per token. */
  get externalPrice(): number {
    return this.s * this.options.initialPrice;
  }

  /** Applies a discrete action; true when it asked to move past the end of a grid (nothing changes). */
  private applyDiscrete(action: number): boolean {
    switch (action) {
      case 1: return this.setPIndex(this.pIndex + 1);
      case 2: return this.setPIndex(this.pIndex - 1);
      case 3: return this.setFeeIndex(this.feeIndex + 1);
      case 4: return this.setFeeIndex(this.feeIndex - 1);
      default: return false;
    }
  }

  private setPIndex(k: number): boolean {
    const grid = this.options.pGrid;
    if (k < 0 || k >= grid.length) return true;
    this.pIndex = k;
    this.pool.p = grid[k]!;
    return false;
  }

  private setFeeIndex(k: number): boolean {
    const grid = this.options.feeGrid;
    if (k < 0 || k >= grid.length) return true;
    this.feeIndex = k;
    this.pool.fee = grid[k]!;
    return false;
  }

  private applyContinuous(a: Float32Array): boolean {
    const { pGrid, feeGrid } = this.options;
    const u0 = (a[0]! + 1) / 2;
    const u1 = (a[1]! + 1) / 2;
    const pLo = pGrid[0]!;
    const pHi = pGrid[pGrid.length - 1]!;
    const fLo = feeGrid[0]!;
    const fHi = feeGrid[feeGrid.length - 1]!;
    this.pool.p = pLo + u0 * (pHi - pLo);
    this.pool.fee = fLo > 0 ? fLo * Math.pow(fHi / fLo, u1) : fLo + u1 * (fHi - fLo);
    return false;
  }

  private isDepleted(): boolean {
    const { a, b } = this.pool;
    const va = a * this.s;
    const share = va / (va + b);
    return !(Number.isFinite(share) && share >= DEPLETED_SHARE && 1 - share >= DEPLETED_SHARE);
  }

  private observe(): Float32Array {
    const pool = this.pool;
    const va = pool.a * this.s;
    return Float32Array.of(
      clip(Math.log(this.s), -1, 1),
      clip(va / (va + pool.b), 0, 1),
      pool.p,
      clip(pool.fee, 0, 0.1),
      clip(this.vol, 0, 5),
      clip(this.step_ / this.options.horizon, 0, 1),
    );
  }

  private info(reward: number, action: string, clamped: boolean, termination: 'depleted' | null): Info {
    const pool = this.pool;
    const t = this.totals;
    const ref = this.options.initialPrice;
    return {
      step: this.step_,
      action,
      clamped,
      termination,
      reward,
      p: pool.p,
      fee: pool.fee,
      priceNumeraire: this.s * ref,
      poolPriceNumeraire: poolSpot(pool) * ref,
      riskyTokens: pool.a / ref,
      numeraire: pool.b,
      poolValueNumeraire: poolValue(pool, this.s),
      realizedVol: this.vol,
      feesNumeraire: t.fees,
      arbLossNumeraire: t.arbLoss,
      noiseMarkoutNumeraire: t.noiseMarkout,
      arbVolumeNumeraire: t.arbVolume,
      noiseVolumeNumeraire: t.noiseVolume,
      arbTrades: t.arbTrades,
      noiseTrades: t.noiseTrades,
      noiseDeclined: t.noiseDeclined,
      noiseInadmissible: t.noiseInadmissible,
    };
  }
}
