/**
 * Balancer-style weighted geometric pool, float64 (amm-curves.md §6.1): invariant Π x_i^(w_i),
 * spot price (w_i/w_o)(x_o/x_i), swaps with the fee on the amount tendered (it stays in the pool).
 *
 * Amounts are token units, prices are numeraire per token. `log1p`/`expm1` keep small trades
 * accurate (1 − (x/(x+Δ))^r loses every digit to cancellation when Δ ≪ x).
 */
import { checkFeeRate, checkFinite, checkIndex, checkPositiveVector, checkWeights, fail } from './validate.js';

/** Π x_i^(w_i) (units: a weighted geometric mean of the balances). */
export function invariant(balances: number[], weights: number[]): number {
  const w = checkWeights('invariant weights', weights);
  checkPositiveVector('invariant balances', balances, w.length);
  let log = 0;
  for (let i = 0; i < w.length; i++) log += w[i]! * Math.log(balances[i]!);
  return Math.exp(log);
}

/**
 * Marginal price of `base` in units of `quote` (quote tokens per base token, fee excluded):
 * (w_base/w_quote)·(x_quote/x_base).
 */
export function spotPrice(balances: number[], weights: number[], base: number, quote: number): number {
  const w = checkWeights('spotPrice weights', weights);
  checkPositiveVector('spotPrice balances', balances, w.length);
  checkIndex('spotPrice base', base, w.length);
  checkIndex('spotPrice quote', quote, w.length);
  return (w[base]! / w[quote]!) * (balances[quote]! / balances[base]!);
}

/** Σ x_i p_i: the pool's value in numeraire units at prices p. */
export function poolValue(balances: number[], prices: number[]): number {
  checkPositiveVector('poolValue balances', balances);
  checkPositiveVector('poolValue prices', prices, balances.length);
  return balances.reduce((s, x, i) => s + x * prices[i]!, 0);
}

function checkSide(where: string, balance: number, weight: number): void {
  checkFinite(`${where} balance`, balance, { above: 0 });
  checkFinite(`${where} weight`, weight, { above: 0, below: 1 });
}

/**
 * Tokens out for `amountIn` tendered: x_o·(1 − (x_i/(x_i + γΔ))^(w_i/w_o)), γ = 1 − feeRate.
 * Always < x_o, so balances stay positive.
 */
export function outGivenIn(balanceIn: number, weightIn: number, balanceOut: number, weightOut: number, amountIn: number, feeRate: number): number {
  checkSide('outGivenIn in', balanceIn, weightIn);
  checkSide('outGivenIn out', balanceOut, weightOut);
  checkFinite('outGivenIn amountIn', amountIn, { min: 0 });
  const gamma = 1 - checkFeeRate('outGivenIn feeRate', feeRate);
  return -balanceOut * Math.expm1(-(weightIn / weightOut) * Math.log1p((gamma * amountIn) / balanceIn));
}

/**
 * Tokens to tender for `amountOut`: x_i·((x_o/(x_o − Λ))^(w_o/w_i) − 1)/γ. Needs Λ < x_o.
 * The /γ is Balancer v3's GivenOut fee, amountIn·fee/(1 − fee) on top of the fee-free amount.
 */
export function inGivenOut(balanceIn: number, weightIn: number, balanceOut: number, weightOut: number, amountOut: number, feeRate: number): number {
  checkSide('inGivenOut in', balanceIn, weightIn);
  checkSide('inGivenOut out', balanceOut, weightOut);
  checkFinite('inGivenOut amountOut', amountOut, { min: 0, below: balanceOut });
  const gamma = 1 - checkFeeRate('inGivenOut feeRate', feeRate);
  return (balanceIn * Math.expm1(-(weightOut / weightIn) * Math.log1p(-amountOut / balanceOut))) / gamma;
}

export interface SwapResult {
  /** Tokens tendered (fee included). */
  readonly amountIn: number;
  readonly amountOut: number;
  /** Fee kept by the pool, in tokenIn units: feeRate × amountIn. */
  readonly feeAmount: number;
  /** Balances after the swap (a new array; the output side in product form, so it stays > 0). */
  readonly balances: number[];
}

function checkPair(where: string, balances: number[], weights: number[], tokenIn: number, tokenOut: number): void {
  const w = checkWeights(`${where} weights`, weights);
  checkPositiveVector(`${where} balances`, balances, w.length);
  checkIndex(`${where} tokenIn`, tokenIn, w.length);
  checkIndex(`${where} tokenOut`, tokenOut, w.length);
  if (tokenIn === tokenOut) fail(`${where} tokenOut`, tokenOut, `a token other than tokenIn (${tokenIn})`);
}

/** Swap an exact `amountIn` of `tokenIn` for `tokenOut`. */
export function swapGivenIn(balances: number[], weights: number[], tokenIn: number, tokenOut: number, amountIn: number, feeRate: number): SwapResult {
  checkPair('swapGivenIn', balances, weights, tokenIn, tokenOut);
  const amountOut = outGivenIn(balances[tokenIn]!, weights[tokenIn]!, balances[tokenOut]!, weights[tokenOut]!, amountIn, feeRate);
  const next = balances.slice();
  next[tokenIn] = next[tokenIn]! + amountIn;
  // x_o·(x_i/(x_i + γΔ))^(w_i/w_o) directly: x_o − amountOut would cancel (even to 0) when the trade
  // takes nearly all of x_o; this form stays positive and accurate to a few ulps
  next[tokenOut] = balances[tokenOut]! * Math.exp(-(weights[tokenIn]! / weights[tokenOut]!) * Math.log1p(((1 - feeRate) * amountIn) / balances[tokenIn]!));
  return { amountIn, amountOut, feeAmount: feeRate * amountIn, balances: next };
}

/** Swap `tokenIn` for an exact `amountOut` of `tokenOut`. */
export function swapGivenOut(balances: number[], weights: number[], tokenIn: number, tokenOut: number, amountOut: number, feeRate: number): SwapResult {
  checkPair('swapGivenOut', balances, weights, tokenIn, tokenOut);
  const amountIn = inGivenOut(balances[tokenIn]!, weights[tokenIn]!, balances[tokenOut]!, weights[tokenOut]!, amountOut, feeRate);
  const next = balances.slice();
  next[tokenIn] = next[tokenIn]! + amountIn;
  next[tokenOut] = next[tokenOut]! - amountOut;
  return { amountIn, amountOut, feeAmount: feeRate * amountIn, balances: next };
}

/** Balances of a pool worth `value` (numeraire) at `prices` with weights w: x_i = w_i·value/p_i. */
export function balancesForValue(weights: number[], prices: number[], value: number): number[] {
  const w = checkWeights('balancesForValue weights', weights);
  checkPositiveVector('balancesForValue prices', prices, w.length);
  checkFinite('balancesForValue value', value, { above: 0 });
  return Array.from(w, (wi, i) => (wi * value) / prices[i]!);
}
