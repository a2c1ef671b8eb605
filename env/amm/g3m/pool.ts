/**
 * The checked G3M API (amm-curves.md §4.1–4.2): a pool is reserves, weights, the exponent p ∈ [0, 1]
 * and a fee taken on the input (γ = 1 − fee multiplies what enters the curve; the fee stays in the
 * pool, as in Balancer and Uniswap). Assets are indices; a swap i → j holds every other reserve
 * fixed. Functions are pure: they never mutate the pool they are given.
 */
import { InadmissibleTradeError, UnreachablePriceError } from './errors.js';
import { inGivenOutKernel, inToSpotKernel, maxInKernel, outGivenInKernel, spotPriceKernel } from './kernel.js';
import { logPowerMeanUnchecked } from './powerMean.js';
import { checkAmount, checkFee, checkP, checkPair, checkPositive, checkReserves, checkWeights } from './validate.js';

export interface G3mPool {
  /** Reserves in token units, each finite and > 0. */
  readonly reserves: ArrayLike<number>;
  /** Weights, each > 0, summing to 1. */
  readonly weights: ArrayLike<number>;
  /** Power-mean exponent p ∈ [0, 1]: 0 weighted geometric mean (Balancer), 1 weighted arithmetic mean (constant sum). */
  readonly p: number;
  /** Fee on the input, a fraction in [0, 1) (0.003 = 30 bp). */
  readonly fee: number;
}

export interface SwapResult {
  /** Asset i paid in, fee included, token units. */
  readonly amountIn: number;
  /** Asset j paid out, token units. */
  readonly amountOut: number;
  /** The part of `amountIn` that is fee (fee·amountIn); it stays in the pool. */
  readonly feeAmount: number;
  /** Reserves after the swap (a new array). */
  readonly reserves: Float64Array;
}

/** Throws `G3mParameterError` naming the first bad field of `pool`. */
export function checkPool(pool: G3mPool, where = 'pool'): void {
  checkWeights(pool.weights, `${where}.weights`);
  checkReserves(pool.reserves, pool.weights.length, `${where}.reserves`);
  checkP(pool.p, `${where}.p`);
  checkFee(pool.fee, `${where}.fee`);
}

function checked(pool: G3mPool, i: number, j: number, where: string): void {
  checkPool(pool, `${where} pool`);
  checkPair(i, j, pool.weights.length, where);
}

/** The trading function Φ_p(reserves) (1-homogeneous: LP shares are proportional to it). */
export function invariant(pool: G3mPool): number {
  checkPool(pool, 'invariant pool');
  return Math.exp(logPowerMeanUnchecked(pool.reserves, pool.weights, pool.p));
}

/** Spot price of asset i in units of asset j, fee-free: (w_i/w_j)·(x_j/x_i)^(1−p). */
export function spotPrice(pool: G3mPool, i: number, j: number): number {
  checked(pool, i, j, 'spotPrice');
  const { reserves: x, weights: w } = pool;
  return spotPriceKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p);
}

/** Supremum (exclusive) of admissible inputs of asset i for asset j; Infinity at p = 0. */
export function maxAmountIn(pool: G3mPool, i: number, j: number): number {
  checked(pool, i, j, 'maxAmountIn');
  const { reserves: x, weights: w } = pool;
  return maxInKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p, 1 - pool.fee);
}

/** Asset j received for `amountIn` of asset i; throws `InadmissibleTradeError` at or above `maxAmountIn`. */
export function outGivenIn(pool: G3mPool, i: number, j: number, amountIn: number): number {
  checked(pool, i, j, 'outGivenIn');
  checkAmount(amountIn, 'outGivenIn amountIn');
  const { reserves: x, weights: w } = pool;
  const out = outGivenInKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p, 1 - pool.fee, amountIn);
  if (!(out < x[j]!)) throw new InadmissibleTradeError('outGivenIn', amountIn, maxInKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p, 1 - pool.fee));
  return out;
}

/** Asset i to pay (fee included) for exactly `amountOut` of asset j; requires amountOut < x_j. */
export function inGivenOut(pool: G3mPool, i: number, j: number, amountOut: number): number {
  checked(pool, i, j, 'inGivenOut');
  checkAmount(amountOut, 'inGivenOut amountOut');
  const { reserves: x, weights: w } = pool;
  if (!(amountOut < x[j]!)) throw new InadmissibleTradeError('inGivenOut', amountOut, x[j]!);
  const amountIn = inGivenOutKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p, 1 - pool.fee, amountOut);
  if (!Number.isFinite(amountIn)) throw new InadmissibleTradeError('inGivenOut', amountOut, x[j]!);
  return amountIn;
}

function settle(pool: G3mPool, i: number, j: number, amountIn: number, amountOut: number): SwapResult {
  const reserves = Float64Array.from(pool.reserves);
  reserves[i] = reserves[i]! + amountIn;
  reserves[j] = reserves[j]! - amountOut;
  return { amountIn, amountOut, feeAmount: pool.fee * amountIn, reserves };
}

/** Swap `amountIn` of asset i for asset j: the amounts and the reserves after. */
export function swapGivenIn(pool: G3mPool, i: number, j: number, amountIn: number): SwapResult {
  return settle(pool, i, j, amountIn, outGivenIn(pool, i, j, amountIn));
}

/** Swap asset i for exactly `amountOut` of asset j: the amounts and the reserves after. */
export function swapGivenOut(pool: G3mPool, i: number, j: number, amountOut: number): SwapResult {
  return settle(pool, i, j, inGivenOut(pool, i, j, amountOut), amountOut);
}

/**
 * The arbitrage trade (amm-curves.md §2.4): the input Δ of asset i (fee included) whose curve point
 * (x_i + γΔ, x_j − out) has spot price `targetSpot` for i in j. There the trade's last unit earns
 * γ·targetSpot, so against an external price m of i in j the single trade with the most profit,
 * out − m·Δ, is `amountInToSpot(pool, i, j, m/γ)`. The fee stays in the pool, so the spot at the
 * reserves after the trade is a little below the target (equal to it when fee = 0). 0 when the
 * spot is already at or below the target; throws `UnreachablePriceError` when no trade reaches it
 * (p = 1: the price is fixed).
 */
export function amountInToSpot(pool: G3mPool, i: number, j: number, targetSpot: number): number {
  checked(pool, i, j, 'amountInToSpot');
  checkPositive(targetSpot, 'amountInToSpot targetSpot');
  const { reserves: x, weights: w } = pool;
  const amount = inToSpotKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p, 1 - pool.fee, targetSpot);
  if (amount === Infinity) throw new UnreachablePriceError('amountInToSpot', targetSpot, spotPriceKernel(x[i]!, x[j]!, w[i]!, w[j]!, pool.p), pool.p);
  return amount;
}
