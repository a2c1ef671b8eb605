/**
 * prediction-market-v0: an LP runs a ProbabilitySpace pool (amm-curves.md §5) for a binary event
 * and tunes its liquidity and fee until the event resolves.
 */
import { Env, type Info, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { ResetNeeded } from '../../core/errors.js';
import { fundPool, impliedProbability, invariant, type Reserves } from '../../amm/probability-space/index.js';
import { DISCRETE_ACTIONS, actionMeaning, stepLevel } from './actions.js';
import { BinaryEvent } from './event.js';
import { LpAccount } from './lp.js';
import { resolveOptions, type PredictionMarketOptions, type ResolvedOptions } from './options.js';
import { newFlowStats, tradeStep, type FlowStats } from './traders.js';

const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4 });
/** The opening price is kept this far from 0 and 1 so the first deposit has two positive reserves. */
const OPEN_PRICE_EDGE = 1e-6;
const EXPOSURE_BOUND = 10;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * ## Description
 *
 * A binary event resolves after `horizon` steps. Its true probability follows the source's
 * binary-option model: a latent Brownian motion B on the market clock, YES iff B > 0 at expiry,
 * so q = Φ(B/√τ) with τ the time to expiry (a martingale pulled to 0 or 1 near expiry). One LP owns
 * a ProbabilitySpace pool of YES/NO shares (x^k + y^k = 2·s^k, k = 1 − 1/√τ), funded at the
 * opening probability. Each step the LP may change its liquidity (scale both reserves: deposits
 * mint complete sets, withdrawals merge them) and its fee; then the clock and q move, the curve is
 * re-evaluated at the new τ (its price drifts toward the edges at fixed reserves) and traders
 * arrive (Poisson): informed ones buy whatever the pool underprices at q up to the no-arbitrage
 * band; noise ones, more of them the deeper the pool (rate ∝ liquidity^ε), buy a random side if
 * the markup (fee + slippage) is within their tolerance.
 * Fees stay in the pool as complete sets. At expiry the event resolves and the LP redeems.
 *
 * ## Action Space
 *
 * Default `Discrete(9)`, each moving the liquidity multiple (`liquidityLevels`, × the first
 * deposit) and the fee (`feeLevels`) by at most one level (clamped at the ends): 0 hold both,
 * 1 liquidity up, 2 liquidity down, 3 fee up, 4 fee down, 5 both up, 6 liquidity up and fee down,
 * 7 liquidity down and fee up, 8 both down. `env.actionMeanings` names them. `actionSpace: 'continuous'` gives
 * `Box([-1, -1], [1, 1], (2,), float32)`: a[0] sets the liquidity multiple log-uniformly between
 * the first and last level, a[1] the fee linearly between the first and last fee level.
 *
 * ## Observation Space
 *
 * `Box(5,)` float32 (the true probability is hidden; it is in `info.trueProbability`):
 *
 * | Num | Observation                                                  | Min  | Max |
 * |-----|--------------------------------------------------------------|------|-----|
 * | 0   | time to expiry τ (1 at the open, 0 at resolution)            | 0    | 1   |
 * | 1   | the pool's implied YES probability                           | 0    | 1   |
 * | 2   | ln(liquidity multiple)                                       | -5   | 5   |
 * | 3   | fee rate                                                     | 0    | 1   |
 * | 4   | LP net YES exposure (YES − NO held, pool included) / deposit | -10  | 10  |
 *
 * ## Rewards
 *
 * In collateral units. Default `reward: 'trading'`: the step change of the LP's wealth at the true
 * probability (collateral + shares × their probability) minus the revaluation of the inventory it
 * held while q moved, i.e. fees and spread earned minus what informed traders and time-decay
 * arbitrage take. The revaluation term is a martingale increment (the inventory is fixed before q
 * moves), so every policy's expected return equals its expected profit, with the inventory noise
 * removed; that noise dominates `pnl` and is what makes tabular Q-learning slow on it. `pnl`: the
 * step change of wealth, summing exactly to the profit at resolution. `sparse`: 0, then the profit
 * at resolution. `info.profit` always reports the profit at resolution.
 *
 * ## Starting State
 *
 * B0 ~ N(0, initialSpread²), so q0 = Φ(B0); the pool is the LP's first deposit of
 * `initialCollateral` × the initial liquidity level at price q0 (FPMM funding: the larger reserve
 * equals the deposit, the surplus shares of the other side go to the LP); fee at `initialFeeLevel`.
 *
 * ## Episode End
 *
 * Terminated at resolution, after `horizon` steps (τ = 0). The registered spec's TimeLimit equals
 * the default horizon (50); pass `maxEpisodeSteps` with a larger `horizon`.
 *
 * ## Arguments
 *
 * `make('prediction-market-v0', { horizon, initialCollateral, initialSpread, liquidityLevels,
 * initialLiquidityLevel, feeLevels, initialFeeLevel, actionSpace, reward, traders, renderMode })`;
 * see `PredictionMarketOptions` and `TraderConfig` for each default.
 *
 * ## Version History
 *
 * - v0: initial version.
 */
export class PredictionMarketEnv extends Env<Float32Array, number | Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete | Box;
  readonly options: ResolvedOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  private readonly event = new BinaryEvent();
  private readonly lp = new LpAccount();
  private readonly flow: FlowStats = newFlowStats();
  private pool: Reserves = { yes: 1, no: 1 };
  private stepIndex = 0;
  private liquidityLevel = 0;
  private liquidityMultiple = 1;
  private feeLevel = 0;
  private feeRate = 0;
  private probability = 0.5;
  private wealth = 0;
  private openingWealth = 0;
  private started = false;
  private resolved = false;
  private lastInfo: Info = {};

  constructor(options: PredictionMarketOptions = {}) {
    super();
    this.options = resolveOptions(options);
    this.metadata = METADATA;
    this.renderMode = this.options.renderMode;
    this.observationSpace = new Box([0, 0, -5, 0, -EXPOSURE_BOUND], [1, 1, 5, 1, EXPOSURE_BOUND], [5], 'float32');
    const discrete = this.options.actionSpace === 'discrete';
    this.actionSpace = discrete ? new Discrete(DISCRETE_ACTIONS.length) : new Box(-1, 1, [2], 'float32');
    this.actionMeanings = discrete ? DISCRETE_ACTIONS.map(actionMeaning) : [];
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    const o = this.options;
    this.event.reset(this.npRandom, o.initialSpread);
    this.probability = this.event.probability;
    this.stepIndex = 0;
    this.liquidityLevel = o.initialLiquidityLevel;
    this.liquidityMultiple = o.liquidityLevels[this.liquidityLevel]!;
    this.feeLevel = o.initialFeeLevel;
    this.feeRate = o.feeLevels[this.feeLevel]!;
    this.lp.reset();
    const openPrice = clip(this.probability, OPEN_PRICE_EDGE, 1 - OPEN_PRICE_EDGE);
    const funding = fundPool(o.initialCollateral * this.liquidityMultiple, 1, openPrice);
    this.lp.book(funding);
    this.pool = funding.reserves;
    this.wealth = this.lp.wealth(this.pool, this.probability);
    this.openingWealth = this.wealth;
    this.started = true;
    this.resolved = false;
    this.lastInfo = this.info('reset', 0, 0);
    return [this.observe(), this.lastInfo];
  }

  step(action: number | Float32Array): StepResult<Float32Array> {
    const envId = this.spec?.id ?? 'prediction-market-v0';
    assertAction(this.actionSpace, action, envId);
    if (!this.started) throw new ResetNeeded(`${envId}: call reset() before step()`);
    if (this.resolved) throw new ResetNeeded(`${envId}: the market resolved at the last step; call reset() to open a new one`);
    const o = this.options;
    const rng = this.npRandom;

    // 1. the LP's move, at the pool's current price (wealth-neutral: sets are worth 1)
    const name = typeof action === 'number' ? this.applyDiscrete(action) : this.applyContinuous(action);

    // 2. the clock and the true probability move; the LP's inventory rides the move
    const exposure = this.lp.exposure(this.pool);
    const qBefore = this.probability;
    this.stepIndex++;
    const tau = (o.horizon - this.stepIndex) / o.horizon;
    this.event.advance(rng, tau);
    this.probability = this.event.probability;
    const revaluation = exposure * (this.probability - qBefore);

    // 3. traders trade against the curve at the new time, or the event resolves
    if (tau > 0) this.pool = tradeStep(rng, this.pool, tau, this.probability, this.feeRate, this.liquidityMultiple, o.traders, this.flow);
    else this.resolved = true;

    // 4. reward
    const wealth = this.lp.wealth(this.pool, this.probability);
    const change = wealth - this.wealth;
    this.wealth = wealth;
    const reward = o.reward === 'pnl' ? change
      : o.reward === 'trading' ? change - revaluation
        : this.resolved ? wealth - this.openingWealth : 0;
    this.lastInfo = this.info(name, revaluation, change - revaluation);
    return [this.observe(), reward, this.resolved, false, this.lastInfo];
  }

  override render(): RenderFrame | null {
    if (this.renderMode !== 'ansi') return null;
    const i = this.lastInfo;
    const f = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : String(v));
    return `step=${this.stepIndex} τ=${f(i.timeToExpiry)} q=${f(i.trueProbability)} pool p=${f(i.poolProbability)} `
      + `YES=${f(i.poolYes, 2)} NO=${f(i.poolNo, 2)} liquidity×${f(i.liquidityMultiple, 2)} fee=${f(i.feeRate, 4)} `
      + `wealth=${f(i.wealth)}${i.outcome ? ` resolved ${String(i.outcome).toUpperCase()}, profit ${f(i.profit)}` : ''}`;
  }

  /** The pool's reserves. Read-only by contract: baselines and tests inspect them. */
  get reserves(): Reserves {
    return this.pool;
  }

  private applyDiscrete(action: number): string {
    const a = DISCRETE_ACTIONS[action]!;
    const o = this.options;
    this.liquidityLevel = stepLevel(this.liquidityLevel, a.liquidity, o.liquidityLevels.length);
    this.feeLevel = stepLevel(this.feeLevel, a.fee, o.feeLevels.length);
    this.setLiquidity(o.liquidityLevels[this.liquidityLevel]!);
    this.feeRate = o.feeLevels[this.feeLevel]!;
    return this.actionMeanings[action]!;
  }

  private applyContinuous(a: Float32Array): string {
    const o = this.options;
    const lo = o.liquidityLevels[0]!;
    const hi = o.liquidityLevels[o.liquidityLevels.length - 1]!;
    this.setLiquidity(lo * (hi / lo) ** ((a[0]! + 1) / 2));
    const fLo = o.feeLevels[0]!;
    const fHi = o.feeLevels[o.feeLevels.length - 1]!;
    this.feeRate = fLo + ((a[1]! + 1) / 2) * (fHi - fLo);
    return 'continuous';
  }

  private setLiquidity(multiple: number): void {
    if (multiple === this.liquidityMultiple) return;
    this.pool = this.lp.scale(this.pool, multiple / this.liquidityMultiple);
    this.liquidityMultiple = multiple;
  }

  private observe(): Float32Array {
    const tau = this.event.timeToExpiry;
    return Float32Array.of(
      tau,
      impliedProbability(this.pool.yes, this.pool.no, tau),
      clip(Math.log(this.liquidityMultiple), -5, 5),
      this.feeRate,
      clip(this.lp.exposure(this.pool) / this.options.initialCollateral, -EXPOSURE_BOUND, EXPOSURE_BOUND),
    );
  }

  private info(action: string, revaluation: number, tradingPnl: number): Info {
    const tau = this.event.timeToExpiry;
    const f = this.flow;
    const fresh = action === 'reset';
    const info: Info = {
      step: this.stepIndex,
      action,
      timeToExpiry: tau,
      trueProbability: this.probability,
      poolProbability: impliedProbability(this.pool.yes, this.pool.no, tau),
      poolYes: this.pool.yes,
      poolNo: this.pool.no,
      invariant: invariant(this.pool.yes, this.pool.no, tau),
      liquidityMultiple: this.liquidityMultiple,
      feeRate: this.feeRate,
      informedTrades: fresh ? 0 : f.informedTrades,
      noiseTrades: fresh ? 0 : f.noiseTrades,
      noiseDeclined: fresh ? 0 : f.noiseDeclined,
      volume: fresh ? 0 : f.volume,
      informedVolume: fresh ? 0 : f.informedVolume,
      fees: fresh ? 0 : f.fees,
      lpCash: this.lp.cash,
      lpOutsideYes: this.lp.outsideYes,
      lpOutsideNo: this.lp.outsideNo,
      wealth: this.wealth,
      revaluation,
      tradingPnl,
      outcome: null,
      profit: null,
    };
    if (this.resolved) {
      info.outcome = this.probability === 1 ? 'yes' : 'no';
      info.profit = this.wealth - this.openingWealth;
    }
    return info;
  }
}
