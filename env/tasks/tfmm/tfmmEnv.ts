/**
 * tfmm-v0: a dynamic-weight geometric pool (TFMM / QuantAMM) whose weight schedule the agent sets,
 * under GBM or Merton external prices, with arbitrageurs trading the pool back to those prices every
 * step (amm-curves.md §6). Composes env/amm/weighted (pure math) and env/market/price (randomness
 * from the env RNG).
 */
import { Env, type Info, type RenderFrame, type ResetArgs, type ResetResult, type StepResult } from '../../core/env.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { assertAction } from '../../core/assert-action.js';
import { ResetNeeded } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { WeightSchedule, WeightedArbitrageur, klUnchecked, lvrRateUnchecked } from '../../amm/weighted/index.js';
import { GeometricBrownianMotion, MertonJumpDiffusion, SECONDS_PER_YEAR, type PriceProcess } from '../../market/index.js';
import { continuousTarget, targetWeights, tfmmActionMeaning, tfmmDiscreteActions, type TfmmDiscreteAction } from './actions.js';
import { resolveTfmmOptions, type ResolvedTfmmOptions, type TfmmOptions } from './options.js';

const METADATA = Object.freeze({ renderModes: Object.freeze(['ansi']), renderFps: 4 });
/** Bound of the momentum observation (a standardised signal: |z| > 5 is rare without drift). */
const Z_BOUND = 5;

/**
 * ## Description
 *
 * A temporal-function market maker (TFMM, QuantAMM): a Balancer-style weighted pool with invariant
 * Π x_i^(w_i) whose weights move over time. The agent is the pool's strategy: once per step (a day
 * of 24 hourly blocks by default) it picks target weights and how many blocks f the pool takes to
 * reach them; the pool then walks there one interpolation step per block along the chosen scheme
 * (SLERP in Hellinger coordinates by default: the Fisher–Rao geodesic, which minimises the KL cost
 * of re-weighting). The n tokens' external prices follow independent GBMs (or Merton jump
 * diffusions) in a numeraire, each with a drift drawn once per episode, so trends persist and a
 * momentum signal carries information. Every block: the prices move, the weights take their
 * interpolation step, and an arbitrageur trades the pool back to the external prices with the
 * optimal basket trade (fee on input; the pool ends inside the fee band). Re-weighting fast loses
 * ≈ 2θ²/f of the value to arbitrage (θ the Bhattacharyya angle of the move), re-weighting slowly
 * leaves the pool on its old weights longer: that is the trade-off.
 *
 * ## Action Space
 *
 * Default `Discrete(1 + |targets|·|interpolationSteps|)`, with the defaults `Discrete(10)`:
 * - 0 hold: keep the running schedule (if any) going, start nothing;
 * - then, for each target (default initial, momentum, anti-momentum) and each f in blocks (default
 *   1, 16, 128): move to that target in f blocks. Targets: `initial` (the reset weights), `equal`
 *   (1/n), `momentum` (w_init·exp(tilt·(z − mean z)) normalised), `anti-momentum` (sign flipped);
 *   all floored at `minWeight`.
 * Choosing the action whose schedule is running continues it; any other target action, or the same
 * one after its schedule finished, starts a new schedule from the current weights (the target
 * computed from the signal at that moment). `env.actionMeanings` names the actions.
 * `actionSpace: 'continuous'`: `Box(-1, 1, (n + 1,), float32)`; a[0..n−1] → target
 * w_init·exp(2a) (normalised, floored; equal a_i keep the initial weights), a[n] → f =
 * 2^round(log2(maxContinuousSteps)·(a[n] + 1)/2) blocks. Repeating the running schedule's action
 * continues it.
 *
 * ## Observation Space
 *
 * `Box(2n + 1,)` float32:
 *
 * | Num        | Observation                                                        | Min | Max |
 * |------------|--------------------------------------------------------------------|-----|-----|
 * | 0 … n−1    | current weights w_i                                                | 0   | 1   |
 * | n … 2n−1   | momentum z_i: EWMA (half-life `momentumHalfLife` blocks) of log returns / (σ_i√Δt), scaled to unit variance without drift | -5 | 5 |
 * | 2n         | blocks left in the running schedule / largest f                    | 0   | 1   |
 *
 * ## Rewards
 *
 * Per step, in numeraire units: the change of (pool value − value of holding the reset balances),
 * both at the external prices. Equivalently, summed over the step's blocks, Σ_i (x_i − h_i)·Δp_i −
 * arbitrage loss: the return of the pool's portfolio over buy-and-hold, net of what arbitrageurs
 * took (the re-weighting loss ≈ KL of each weight step, and LVR, less the fees they paid). The
 * return of an episode is V_T − H_T. `info` splits the step: `portfolioVsHold`, `arbitrageLoss`,
 * `feesEarned`, `weightKl` (Σ KL of the weight steps, nats) and `lvr` (Σ ℓ·Δt, the theoretical LVR
 * at the weights of each block).
 *
 * ## Starting State
 *
 * Drifts μ_i = price.drift + driftStd·N(0, 1) are drawn, the prices run `warmupSteps` blocks from
 * `initialPrices` (warming the momentum signal), then the pool opens at `initialWeights` worth
 * `initialValue` at the current prices, in equilibrium; no schedule is running.
 *
 * ## Episode End
 *
 * Never terminates; truncated by `maxEpisodeSteps` (30 in the registered spec: 30 days of 24
 * hourly blocks).
 *
 * ## Arguments
 *
 * `make('tfmm-v0', { assets, initialWeights, initialValue, initialPrices, feeRate, blockSec,
 * blocksPerStep, price, volatilities, driftStd, momentumHalfLife, warmupSteps, tilt, minWeight,
 * interpolation, interpolationSteps, targets, actionSpace, maxContinuousSteps, renderMode })`; see
 * `TfmmOptions` for each default.
 *
 * ## Version History
 *
 * - v0: initial version.
 */
export class TfmmEnv extends Env<Float32Array, number | Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete | Box;
  readonly options: ResolvedTfmmOptions;
  /** Names of the discrete actions, by index (empty for the continuous action space). */
  readonly actionMeanings: readonly string[];

  private readonly n: number;
  private readonly actions: readonly TfmmDiscreteAction[];
  private readonly maxSteps: number;
  private readonly dtYears: number;
  private readonly lambda: number;
  private readonly zScale: number;
  private readonly schedule: WeightSchedule;
  private readonly arbitrageur: WeightedArbitrageur;
  private processes: PriceProcess[] = [];
  private readonly drifts: Float64Array;
  private readonly prices: Float64Array;
  private readonly prevPrices: Float64Array;
  private readonly balances: Float64Array;
  private readonly held: Float64Array;
  private readonly weights: Float64Array;
  private readonly prevWeights: Float64Array;
  private readonly ewma: Float64Array;
  private readonly z: Float64Array;
  private readonly target: Float64Array;
  /** The discrete index, or the continuous vector, that started the running schedule. */
  private scheduleAction: number | Float32Array | null = null;
  private step_ = 0;
  private started = false;
  private lastInfo: Info = {};

  constructor(options: TfmmOptions = {}) {
    super();
    this.options = resolveTfmmOptions(options);
    const o = this.options;
    const n = o.assets;
    this.n = n;
    this.metadata = METADATA;
    this.renderMode = o.renderMode;
    this.actions = o.actionSpace === 'discrete' ? tfmmDiscreteActions(o.targets, o.interpolationSteps) : [];
    this.actionMeanings = this.actions.map(tfmmActionMeaning);
    this.actionSpace = o.actionSpace === 'discrete' ? new Discrete(this.actions.length) : new Box(-1, 1, [n + 1], 'float32');
    const low = [...new Array<number>(n).fill(0), ...new Array<number>(n).fill(-Z_BOUND), 0];
    const high = [...new Array<number>(n).fill(1), ...new Array<number>(n).fill(Z_BOUND), 1];
    this.observationSpace = new Box(low, high, [2 * n + 1], 'float32');
    this.maxSteps = o.actionSpace === 'discrete' ? Math.max(...o.interpolationSteps) : o.maxContinuousSteps;
    this.dtYears = o.blockSec / SECONDS_PER_YEAR;
    this.lambda = 1 - Math.pow(2, -1 / o.momentumHalfLife);
    // Var of an EWMA of unit-variance white noise is λ/(2 − λ): rescale to unit variance
    this.zScale = Math.sqrt((2 - this.lambda) / this.lambda);
    this.schedule = new WeightSchedule(n, this.maxSteps);
    this.arbitrageur = new WeightedArbitrageur(n);
    this.drifts = new Float64Array(n);
    this.prices = new Float64Array(n);
    this.prevPrices = new Float64Array(n);
    this.balances = new Float64Array(n);
    this.held = new Float64Array(n);
    this.weights = new Float64Array(n);
    this.prevWeights = new Float64Array(n);
    this.ewma = new Float64Array(n);
    this.z = new Float64Array(n);
    this.target = new Float64Array(n);
  }

  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    const o = this.options;
    const n = this.n;
    const rng = this.npRandom;
    for (let i = 0; i < n; i++) this.drifts[i] = o.volatilities[i]! > 0 ? (o.price.drift ?? 0) + o.driftStd * rng.standardNormal() : 0;
    this.processes = Array.from({ length: n }, (_, i) => this.makeProcess(i));
    for (let i = 0; i < n; i++) {
      this.processes[i]!.reset(o.initialPrices[i]!);
      this.prices[i] = o.initialPrices[i]!;
    }
    this.ewma.fill(0);
    for (let t = 0; t < o.warmupSteps; t++) this.movePrices(rng);
    for (let i = 0; i < n; i++) {
      this.weights[i] = o.initialWeights[i]!;
      this.balances[i] = (o.initialWeights[i]! * o.initialValue) / this.prices[i]!;
      this.held[i] = this.balances[i]!;
    }
    this.schedule.clear();
    this.scheduleAction = null;
    this.step_ = 0;
    this.started = true;
    this.lastInfo = this.info('reset', 0, 0, 0, 0, 0);
    return [this.observe(), this.lastInfo];
  }

  step(action: number | Float32Array): StepResult<Float32Array> {
    const envId = this.spec?.id ?? 'tfmm-v0';
    assertAction(this.actionSpace, action, envId);
    if (!this.started) throw new ResetNeeded(`${envId}: call reset() before step()`);
    const o = this.options;
    const n = this.n;
    const rng: Rng = this.npRandom;

    // 1. the strategy's decision, on the signal as it stands
    const meaning = typeof action === 'number' ? this.applyDiscrete(action) : this.applyContinuous(action);

    // 2. for each block: prices move, the weights take their step, the arbitrageur trades
    let valueBefore = 0;
    let holdBefore = 0;
    for (let i = 0; i < n; i++) {
      valueBefore += this.balances[i]! * this.prices[i]!;
      holdBefore += this.held[i]! * this.prices[i]!;
    }
    let portfolioVsHold = 0;
    let arbitrageLoss = 0;
    let feesEarned = 0;
    let weightKl = 0;
    let lvr = 0;
    for (let b = 0; b < o.blocksPerStep; b++) {
      this.movePrices(rng);
      this.prevWeights.set(this.weights);
      if (this.schedule.advance(this.weights)) weightKl += klUnchecked(this.weights, this.prevWeights);
      let value = 0;
      for (let i = 0; i < n; i++) {
        portfolioVsHold += (this.balances[i]! - this.held[i]!) * (this.prices[i]! - this.prevPrices[i]!);
        value += this.balances[i]! * this.prices[i]!;
      }
      lvr += lvrRateUnchecked(this.weights, o.volatilities, value) * this.dtYears;
      const arb = this.arbitrageur.run(this.balances, this.weights, this.prices, o.feeRate);
      arbitrageLoss += arb.profit;
      feesEarned += arb.fees;
    }
    this.step_++;

    // 3. reward: the change of (pool value − hold value)
    let value = 0;
    let hold = 0;
    for (let i = 0; i < n; i++) {
      value += this.balances[i]! * this.prices[i]!;
      hold += this.held[i]! * this.prices[i]!;
    }
    const reward = value - hold - (valueBefore - holdBefore);
    this.lastInfo = this.info(meaning, portfolioVsHold, arbitrageLoss, feesEarned, weightKl, lvr);
    return [this.observe(), reward, false, false, this.lastInfo];
  }

  override render(): RenderFrame | null {
    if (this.renderMode !== 'ansi') return null;
    const i = this.lastInfo;
    const list = (v: unknown, d: number) => (Array.isArray(v) ? v.map((x: number) => x.toFixed(d)).join('/') : String(v));
    return `day=${this.step_} w=${list(i.weights, 3)} target=${list(i.target, 3)} left=${String(i.stepsLeft)} `
      + `p=${list(i.prices, 3)} V=${Number(i.poolValue).toFixed(0)} V-H=${Number(i.valueVsHold).toFixed(2)} action=${String(i.action)}`;
  }

  /** Balances, weights and prices (read-only by contract: tests and baselines inspect them). */
  get state(): { readonly balances: Float64Array; readonly weights: Float64Array; readonly prices: Float64Array; readonly held: Float64Array; readonly momentum: Float64Array } {
    return { balances: this.balances, weights: this.weights, prices: this.prices, held: this.held, momentum: this.z };
  }

  /** The schedule the pool is following. */
  get weightSchedule(): WeightSchedule {
    return this.schedule;
  }

  private makeProcess(i: number): PriceProcess {
    const p = this.options.price;
    const volatility = this.options.volatilities[i]!;
    if (p.kind === 'gbm') return new GeometricBrownianMotion({ drift: this.drifts[i]!, volatility });
    return new MertonJumpDiffusion({ drift: this.drifts[i]!, volatility, jumpIntensity: p.jumpIntensity, jumpMean: p.jumpMean, jumpStd: p.jumpStd });
  }

  /** One step of every price process, and the momentum signal's update. */
  private movePrices(rng: Rng): void {
    const o = this.options;
    const sqrtDt = Math.sqrt(this.dtYears);
    for (let i = 0; i < this.n; i++) {
      const before = this.prices[i]!;
      this.prevPrices[i] = before;
      const after = this.processes[i]!.step(rng, o.blockSec);
      this.prices[i] = after;
      const sd = o.volatilities[i]! * sqrtDt;
      const standardised = sd > 0 ? Math.log(after / before) / sd : 0;
      this.ewma[i] = this.ewma[i]! + this.lambda * (standardised - this.ewma[i]!);
      this.z[i] = this.ewma[i]! * this.zScale;
    }
  }

  private startSchedule(steps: number): void {
    this.schedule.startUnchecked(this.weights, this.target, steps, this.options.interpolation);
  }

  private applyDiscrete(index: number): string {
    const a = this.actions[index]!;
    if (a.kind === 'hold') return 'hold';
    if (this.scheduleAction === index && this.schedule.active) return tfmmActionMeaning(a);
    const o = this.options;
    targetWeights(a.target, o.initialWeights, this.z, o.tilt, o.minWeight, this.target);
    this.startSchedule(a.steps);
    this.scheduleAction = index;
    return tfmmActionMeaning(a);
  }

  private applyContinuous(a: Float32Array): string {
    const running = this.scheduleAction;
    if (running instanceof Float32Array && this.schedule.active && running.every((x, i) => x === a[i])) return 'continuous';
    const o = this.options;
    const steps = continuousTarget(a, o.initialWeights, o.minWeight, o.maxContinuousSteps, this.target);
    this.startSchedule(steps);
    this.scheduleAction = Float32Array.from(a);
    return 'continuous';
  }

  private observe(): Float32Array {
    const n = this.n;
    const obs = new Float32Array(2 * n + 1);
    for (let i = 0; i < n; i++) {
      obs[i] = this.weights[i]!;
      const z = this.z[i]!;
      obs[n + i] = z < -Z_BOUND ? -Z_BOUND : z > Z_BOUND ? Z_BOUND : z;
    }
    obs[2 * n] = this.schedule.remaining / this.maxSteps;
    return obs;
  }

  private info(action: string, portfolioVsHold: number, arbitrageLoss: number, feesEarned: number, weightKl: number, lvr: number): Info {
    let value = 0;
    let hold = 0;
    for (let i = 0; i < this.n; i++) {
      value += this.balances[i]! * this.prices[i]!;
      hold += this.held[i]! * this.prices[i]!;
    }
    return {
      step: this.step_,
      blocks: this.step_ * this.options.blocksPerStep,
      action,
      weights: Array.from(this.weights),
      target: this.schedule.steps > 0 ? Array.from(this.schedule.to) : Array.from(this.weights),
      stepsLeft: this.schedule.remaining,
      prices: Array.from(this.prices),
      poolValue: value,
      holdValue: hold,
      valueVsHold: value - hold,
      portfolioVsHold,
      arbitrageLoss,
      feesEarned,
      weightKl,
      lvr,
    };
  }
}
