/**
 * The struct-of-arrays step of g3m-v0: N sub-envs in one loop, each step exactly the scalar
 * `G3mEnv.step` under `make` (the manager's p/fee move, then `blocksPerStep` blocks of GBM move,
 * arbitrage and Poisson noise flow, the depletion check, reward, observation, TimeLimit truncation).
 *
 * What is inlined and why. The scalar step spends its time in per-block calls through objects: the
 * price process and `Rng` methods (state in fields), `arbitrage` / `noiseTrade` mutating a pool
 * object and a totals object, and a `Math.pow` for the pool's spot in every block. Here a sub-env's
 * pool, price, totals and RNG (xoshiro128** words and the Box–Muller spare of `Rng`) live in locals
 * for its whole step, so every draw is the scalar env's draw; `trading.ts`'s `arbitrage`,
 * `noiseTrade` and `book` are written out on those locals, with the same expressions in the same
 * order; and the spot, which only changes when a trade or the action moves the reserves or p, is
 * computed once per step and after each trade instead of in every block (the same expression on
 * the same inputs, so the same double). The curve math itself is env/amm/g3m/kernel.ts's pure
 * functions, called as they are. Nothing is allocated per step.
 *
 * Each `random()` / `standardNormal()` of `Rng` is written out inline where it is drawn, under a
 * `// <var> = random()` / `// <var> = standardNormal()` comment: two xoshiro128** outputs → 53 bits;
 * Box–Muller with the second value kept as the spare. Keep them in step with env/core/rng.ts.
 */
import { InvalidActionError, ResetNeeded } from '../../../core/errors.js';
import { AutoresetMode } from '../../../core/vector/autoreset-mode.js';
import { maxInKernel, outGivenInKernel } from '../../../amm/g3m/kernel.js';
import { SECONDS_PER_YEAR } from '../../../market/price/process.js';
import { DEPLETED_SHARE } from '../g3mEnv.js';
import { arbitrageTrade } from './arbitrageTrade.js';
import { G3mColumns } from './columns.js';
import { G3mInfoColumns, TERMINATION_DEPLETED } from './infoColumns.js';
import type { ResolvedG3mVectorOptions } from './options.js';
import { ColumnDraws } from '../../../core/vector/rngColumns.js';

const TWO_53 = 9007199254740992;
const OBS_SIZE = 6;
const NUM_ACTIONS = 5;

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export class G3mKernel {
  readonly numEnvs: number;
  readonly cols: G3mColumns;
  readonly obsSize = OBS_SIZE;
  readonly discrete: boolean;
  readonly numActions = NUM_ACTIONS;
  readonly autoresetMode: AutoresetMode;

  // outputs, overwritten by every step
  readonly observations: Float32Array;
  readonly rewards: Float64Array;
  readonly terminations: Uint8Array;
  readonly truncations: Uint8Array;
  readonly info: G3mInfoColumns;
  // same-step mode: what ended this step
  readonly finalObservations: Float32Array;
  readonly finalInfo: G3mInfoColumns;
  readonly finalMask: Uint8Array;

  private readonly draws = new ColumnDraws();
  /** The trade totals of a reset row (all zero). */
  private readonly zeroTotals = new Float64Array(9);
  /** Scratch for one sub-env's trade totals on their way into the info row (fees, arbLoss, …, noiseInadmissible). */
  private readonly stepTotals = new Float64Array(9);
  /** `arbitrageTrade`'s result: input, output. */
  private readonly arbScratch = new Float64Array(2);
  // episode constants
  private readonly pGrid: Float64Array;
  private readonly feeGrid: Float64Array;
  private readonly pIndex0: number;
  private readonly feeIndex0: number;
  private readonly p0: number;
  private readonly fee0: number;
  private readonly a0: number;
  private readonly b0: number;
  private readonly ref: number;
  private readonly w0: number;
  private readonly w1: number;
  /** w0/w1, the factor of `spotPriceKernel(a, b, w0, w1, p)`. */
  private readonly wk: number;
  /** w1/w0, the factor of `spotPriceKernel(b, a, w1, w0, p)`. */
  private readonly wkInv: number;
  private readonly blocks: number;
  private readonly stepYears: number;
  private readonly horizon: number;
  private readonly maxEpisodeSteps: number;
  private readonly gbmMeanLog: number;
  private readonly gbmStdLog: number;
  // noise flow
  private readonly lam: number;
  private readonly expMinusLam: number;
  private readonly logSizeMedian: number;
  private readonly sizeSigma: number;
  private readonly toleranceMean: number;

  constructor(options: ResolvedG3mVectorOptions) {
    const o = options.scalar;
    const n = options.numEnvs;
    this.numEnvs = n;
    this.cols = new G3mColumns(n);
    this.autoresetMode = options.autoresetMode;
    this.discrete = o.actionSpace === 'discrete';

    this.pGrid = Float64Array.from(o.pGrid);
    this.feeGrid = Float64Array.from(o.feeGrid);
    this.pIndex0 = o.pGrid.indexOf(o.initialP);
    this.feeIndex0 = o.feeGrid.indexOf(o.initialFee);
    this.p0 = o.initialP;
    this.fee0 = o.initialFee;
    // G3mEnv.reset: spot (w/(1−w))·(b/a)^(1−p) = 1 at the reference price
    const ratio = Math.pow((1 - o.weight) / o.weight, 1 / (1 - o.initialP));
    this.a0 = o.poolValue / (1 + ratio);
    this.b0 = o.poolValue - this.a0;
    this.ref = o.initialPrice;
    this.w0 = o.weight;
    this.w1 = 1 - o.weight;
    this.wk = this.w0 / this.w1;
    this.wkInv = this.w1 / this.w0;
    this.blocks = o.blocksPerStep;
    this.stepYears = (o.blocksPerStep * o.blockSec) / SECONDS_PER_YEAR;
    this.horizon = o.horizon;
    this.maxEpisodeSteps = options.maxEpisodeSteps;
    // GeometricBrownianMotion.setDt
    const dt = o.blockSec / SECONDS_PER_YEAR;
    this.gbmMeanLog = (options.gbmDrift - 0.5 * options.gbmVolatility * options.gbmVolatility) * dt;
    this.gbmStdLog = options.gbmVolatility * Math.sqrt(dt);
    this.lam = o.noise.arrivalsPerBlock;
    this.expMinusLam = Math.exp(-o.noise.arrivalsPerBlock);
    this.logSizeMedian = Math.log(o.noise.sizeMedian);
    this.sizeSigma = o.noise.sizeSigma;
    this.toleranceMean = o.noise.costToleranceMean;

    this.observations = new Float32Array(n * OBS_SIZE);
    this.rewards = new Float64Array(n);
    this.terminations = new Uint8Array(n);
    this.truncations = new Uint8Array(n);
    this.info = new G3mInfoColumns(n);
    this.finalObservations = new Float32Array(n * OBS_SIZE);
    this.finalInfo = new G3mInfoColumns(n);
    this.finalMask = new Uint8Array(n);
  }

  /** Starts a new episode in sub-env i (the scalar `reset` after its reseed); writes its observation and reset info rows. */
  resetSubEnv(i: number): void {
    const c = this.cols;
    c.pIndex[i] = this.pIndex0;
    c.feeIndex[i] = this.feeIndex0;
    c.p[i] = this.p0;
    c.fee[i] = this.fee0;
    c.a[i] = this.a0;
    c.b[i] = this.b0;
    c.price[i] = this.ref;
    c.s[i] = 1;
    c.vol[i] = 0;
    c.stepCount[i] = 0;
    c.ended[i] = 0;
    c.started[i] = 1;
    const spot = this.wk * Math.pow(this.b0 / this.a0, 1 - this.p0);
    this.writeRow(i, this.a0, this.b0, this.p0, this.fee0, 1, spot, 0, 0, 0, 0, this.zeroTotals);
  }

  /** Observation and info row of sub-env i; `t` holds the step's trade totals. */
  private writeRow(i: number, a: number, b: number, p: number, fee: number, s: number, spot: number, vol: number, step: number, reward: number, clamped: number, t: Float64Array): void {
    const obs = this.observations;
    const j = i * OBS_SIZE;
    const va = a * s;
    obs[j] = clip(Math.log(s), -1, 1);
    obs[j + 1] = clip(va / (va + b), 0, 1);
    obs[j + 2] = p;
    obs[j + 3] = clip(fee, 0, 0.1);
    obs[j + 4] = clip(vol, 0, 5);
    obs[j + 5] = clip(step / this.horizon, 0, 1);
    const info = this.info;
    const ref = this.ref;
    info.step[i] = step;
    info.reward[i] = reward;
    info.p[i] = p;
    info.fee[i] = fee;
    info.priceNumeraire[i] = s * ref;
    info.poolPriceNumeraire[i] = spot * ref;
    info.riskyTokens[i] = a / ref;
    info.numeraire[i] = b;
    info.poolValueNumeraire[i] = a * s + b;
    info.realizedVol[i] = vol;
    info.feesNumeraire[i] = t[0]!;
    info.arbLossNumeraire[i] = t[1]!;
    info.noiseMarkoutNumeraire[i] = t[2]!;
    info.arbVolumeNumeraire[i] = t[3]!;
    info.noiseVolumeNumeraire[i] = t[4]!;
    info.arbTrades[i] = t[5]!;
    info.noiseTrades[i] = t[6]!;
    info.noiseDeclined[i] = t[7]!;
    info.noiseInadmissible[i] = t[8]!;
    info.clamped[i] = clamped;
    info.terminationCode[i] = 0;
  }

  /** Throws `InvalidActionError` naming the first sub-env (not resetting this step) whose action is outside the space. */
  private validateActions(actions: ArrayLike<number>, envId: string): void {
    const ended = this.cols.ended;
    for (let i = 0; i < this.numEnvs; i++) {
      if (ended[i] !== 0) continue; // reset this step, the action is ignored
      if (this.discrete) {
        const a = actions[i]!;
        if (!(typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < NUM_ACTIONS)) {
          throw new InvalidActionError(a, `Discrete(${NUM_ACTIONS})`, envId, `sub-env ${i}`);
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

  /** One step of every sub-env (see the module comment); results in the output columns. */
  step(actions: ArrayLike<number>, envId: string): void {
    const n = this.numEnvs;
    const discrete = this.discrete;
    const expected = discrete ? n : 2 * n;
    if (actions === null || typeof actions !== 'object' || actions.length !== expected) {
      throw new InvalidActionError(actions, discrete ? `Discrete(${NUM_ACTIONS}) × ${n}` : `Box(2) × ${n} (flat, ${expected} numbers)`, envId, `expected ${expected} numbers`);
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

    const aCol = cols.a;
    const bCol = cols.b;
    const pCol = cols.p;
    const feeCol = cols.fee;
    const pIndexCol = cols.pIndex;
    const feeIndexCol = cols.feeIndex;
    const priceCol = cols.price;
    const sCol = cols.s;
    const volCol = cols.vol;
    const stepCol = cols.stepCount;
    const rng0 = cols.rng0;
    const rng1 = cols.rng1;
    const rng2 = cols.rng2;
    const rng3 = cols.rng3;
    const spareCol = cols.spare;
    const hasSpareCol = cols.hasSpare;
    const rewards = this.rewards;
    const terminations = this.terminations;
    const truncations = this.truncations;
    const totals = this.stepTotals;

    const pGrid = this.pGrid;
    const feeGrid = this.feeGrid;
    const nP = pGrid.length;
    const nFee = feeGrid.length;
    const pLo = pGrid[0]!;
    const pHi = pGrid[nP - 1]!;
    const fLo = feeGrid[0]!;
    const fHi = feeGrid[nFee - 1]!;
    const ref = this.ref;
    const w0 = this.w0;
    const w1 = this.w1;
    const wk = this.wk;
    const wkInv = this.wkInv;
    const arb = this.arbScratch;
    const blocks = this.blocks;
    const meanLog = this.gbmMeanLog;
    const stdLog = this.gbmStdLog;
    const lam = this.lam;
    const expMinusLam = this.expMinusLam;
    const logSizeMedian = this.logSizeMedian;
    const sizeSigma = this.sizeSigma;
    const toleranceMean = this.toleranceMean;

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

    for (let i = 0; i < n; i++) {
      if (cols.ended[i] !== 0) {
        // next-step autoreset: this step resets the sub-env; its action is ignored
        this.resetSubEnv(i);
        rewards[i] = 0;
        terminations[i] = 0;
        truncations[i] = 0;
        continue;
      }
      // 1. the manager's move (G3mEnv.applyDiscrete / applyContinuous); reserves are kept
      let p = pCol[i]!;
      let fee = feeCol[i]!;
      let clamped = 0;
      if (discrete) {
        const act = actions[i]!;
        if (act === 1 || act === 2) {
          const k = pIndexCol[i]! + (act === 1 ? 1 : -1);
          if (k < 0 || k >= nP) clamped = 1;
          else {
            pIndexCol[i] = k;
            p = pGrid[k]!;
          }
        } else if (act === 3 || act === 4) {
          const k = feeIndexCol[i]! + (act === 3 ? 1 : -1);
          if (k < 0 || k >= nFee) clamped = 1;
          else {
            feeIndexCol[i] = k;
            fee = feeGrid[k]!;
          }
        }
      } else {
        const u0 = (Math.fround(actions[2 * i]!) + 1) / 2;
        const u1 = (Math.fround(actions[2 * i + 1]!) + 1) / 2;
        p = pLo + u0 * (pHi - pLo);
        fee = fLo > 0 ? fLo * Math.pow(fHi / fLo, u1) : fLo + u1 * (fHi - fLo);
      }

      let a = aCol[i]!;
      let b = bCol[i]!;
      let price = priceCol[i]!;
      let s = sCol[i]!;
      r0 = rng0[i]!;
      r1 = rng1[i]!;
      r2 = rng2[i]!;
      r3 = rng3[i]!;
      spareV = spareCol[i]!;
      hasSp = hasSpareCol[i]!;
      const gamma = 1 - fee;
      const oneMinusP = 1 - p;
      // spotPriceKernel(a, b, w0, w1, p), recomputed whenever a trade moves a or b
      let spot = wk * Math.pow(b / a, oneMinusP);
      let fees = 0;
      let arbLoss = 0;
      let noiseMarkout = 0;
      let arbVolume = 0;
      let noiseVolume = 0;
      let arbTrades = 0;
      let noiseTrades = 0;
      let noiseDeclined = 0;
      let noiseInadmissible = 0;
      let gain = 0;
      let sumSq = 0;
      let depleted = false;

      // 2. blocks: price move, arbitrage, noise flow
      for (let blk = 0; blk < blocks; blk++) {
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
        // GeometricBrownianMotion.step, then the env's s = price / reference price
        price *= Math.exp(meanLog + stdLog * z);
        const prevS = s;
        s = price / ref;
        const r = Math.log(s / prevS);
        sumSq += r * r;

        // arbitrage (trading.ts `arbitrage`): back into the band [γs, s/γ] when outside it
        if (spot * gamma > s) {
          // the pool overprices the risky asset: sell it to the pool
          arbitrageTrade(a, b, wk, p, gamma, spot, s / gamma, arb);
          let dA = arb[0]!;
          let out = arb[1]!;
          let drained = false;
          let traded = true;
          if (!(out < b)) {
            dA = Math.min(dA, maxInKernel(a, b, w0, w1, p, gamma));
            out = b;
            drained = true;
            if (!Number.isFinite(dA)) traded = false;
          }
          if (traded && dA > 0 && out > 0) {
            a += dA;
            b -= out;
            const valueIn = dA * s;
            fees += fee * valueIn;
            arbLoss += out - (1 - fee) * valueIn;
            arbVolume += valueIn;
            arbTrades++;
            gain += valueIn - out;
            spot = wk * Math.pow(b / a, oneMinusP);
          }
          if (drained) {
            depleted = true;
            break;
          }
        } else if (spot < gamma * s) {
          // the pool underprices the risky asset: buy it with numeraire
          // spotPriceKernel(b, a, w1, w0, p): the numeraire's spot in a-units
          arbitrageTrade(b, a, wkInv, p, gamma, wkInv * Math.pow(a / b, oneMinusP), 1 / (gamma * s), arb);
          let dB = arb[0]!;
          let out = arb[1]!;
          let drained = false;
          let traded = true;
          if (!(out < a)) {
            dB = Math.min(dB, maxInKernel(b, a, w1, w0, p, gamma));
            out = a;
            drained = true;
            if (!Number.isFinite(dB)) traded = false;
          }
          if (traded && dB > 0 && out > 0) {
            b += dB;
            a -= out;
            const valueOut = out * s;
            fees += fee * dB;
            arbLoss += valueOut - (1 - fee) * dB;
            arbVolume += dB;
            arbTrades++;
            gain += dB - valueOut;
            spot = wk * Math.pow(b / a, oneMinusP);
          }
          if (drained) {
            depleted = true;
            break;
          }
        }

        // noise flow: Poisson(λ) arrivals (poissonCached: Knuth below 10, Rng.poisson's PTRS above)
        let arrivals = 0;
        if (lam === 0) arrivals = 0;
        else if (lam >= 10) {
          rng0[i] = r0;
          rng1[i] = r1;
          rng2[i] = r2;
          rng3[i] = r3;
          arrivals = this.draws.poisson(this.cols, i, lam);
          r0 = rng0[i]!;
          r1 = rng1[i]!;
          r2 = rng2[i]!;
          r3 = rng3[i]!;
        } else {
          // u = random(): two xoshiro128** outputs, 53 bits (Rng.random)
          m5 = Math.imul(r1, 5);
          hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          m5 = Math.imul(r1, 5);
          lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          u = (hi * 67108864 + lo) / TWO_53;
          let prod = u;
          while (prod > expMinusLam) {
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
          // u = random(): two xoshiro128** outputs, 53 bits (Rng.random); sell = u < 0.5
          m5 = Math.imul(r1, 5);
          hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          m5 = Math.imul(r1, 5);
          lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          u = (hi * 67108864 + lo) / TWO_53;
          const sell = u < 0.5;
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
          // Rng.lognormal(logMedian, sigma)
          const value = Math.exp(logSizeMedian + sizeSigma * z);
          // u = random(): two xoshiro128** outputs, 53 bits (Rng.random); Rng.exponential(mean)
          m5 = Math.imul(r1, 5);
          hi = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 5;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          m5 = Math.imul(r1, 5);
          lo = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 6;
          t9 = r1 << 9; n2 = r2 ^ r0; n3 = r3 ^ r1; r1 ^= n2; r0 ^= n3; r2 = n2 ^ t9; r3 = (n3 << 11) | (n3 >>> 21);
          u = (hi * 67108864 + lo) / TWO_53;
          const tolerance = -toleranceMean * Math.log(1 - u);

          // trading.ts `noiseTrade`
          if (sell) {
            const dA = value / s;
            const out = outGivenInKernel(a, b, w0, w1, p, gamma, dA);
            if (!(out < b)) noiseInadmissible++; // NaN: beyond the admissible size
            else if (1 - out / value > tolerance) noiseDeclined++;
            else {
              a += dA;
              b -= out;
              fees += fee * value;
              noiseMarkout += out - (1 - fee) * value;
              noiseVolume += value;
              noiseTrades++;
              gain += value - out;
              spot = wk * Math.pow(b / a, oneMinusP);
            }
          } else {
            const out = outGivenInKernel(b, a, w1, w0, p, gamma, value);
            if (!(out < a)) noiseInadmissible++;
            else if (1 - (out * s) / value > tolerance) noiseDeclined++;
            else {
              b += value;
              a -= out;
              const valueOut = out * s;
              fees += fee * value;
              noiseMarkout += valueOut - (1 - fee) * value;
              noiseVolume += value;
              noiseTrades++;
              gain += value - valueOut;
              spot = wk * Math.pow(b / a, oneMinusP);
            }
          }
        }

        // G3mEnv.isDepleted
        const va = a * s;
        const share = va / (va + b);
        if (!(Number.isFinite(share) && share >= DEPLETED_SHARE && 1 - share >= DEPLETED_SHARE)) {
          depleted = true;
          break;
        }
      }
      const vol = Math.sqrt(sumSq / this.stepYears);
      const stepNo = stepCol[i]! + 1;

      // write the sub-env back
      aCol[i] = a;
      bCol[i] = b;
      pCol[i] = p;
      feeCol[i] = fee;
      priceCol[i] = price;
      sCol[i] = s;
      volCol[i] = vol;
      stepCol[i] = stepNo;
      rng0[i] = r0;
      rng1[i] = r1;
      rng2[i] = r2;
      rng3[i] = r3;
      spareCol[i] = spareV;
      hasSpareCol[i] = hasSp;

      // 3. reward, termination, observation, info
      rewards[i] = gain;
      const truncated = stepNo >= this.maxEpisodeSteps;
      terminations[i] = depleted ? 1 : 0;
      truncations[i] = truncated ? 1 : 0;
      totals[0] = fees;
      totals[1] = arbLoss;
      totals[2] = noiseMarkout;
      totals[3] = arbVolume;
      totals[4] = noiseVolume;
      totals[5] = arbTrades;
      totals[6] = noiseTrades;
      totals[7] = noiseDeclined;
      totals[8] = noiseInadmissible;
      this.writeRow(i, a, b, p, fee, s, spot, vol, stepNo, gain, clamped, totals);
      if (depleted) this.info.terminationCode[i] = TERMINATION_DEPLETED;

      if (depleted || truncated) {
        if (sameStep) {
          const j = i * OBS_SIZE;
          for (let q = j; q < j + OBS_SIZE; q++) this.finalObservations[q] = this.observations[q]!;
          this.finalInfo.copyRow(this.info, i);
          this.finalMask[i] = 1;
          this.resetSubEnv(i);
        } else cols.ended[i] = 1;
      }
    }
  }
}
