/**
 * Slippage of a given-in trade i → j. The paper (Zanger, §3, eq. (30)) defines slippage "following
 * [9]" (Xu et al., SoK: DEX with AMM protocols), but the stored source lost its formulas, so these
 * are amm-curves.md §4.2's reconstructed definitions, which reproduce its §4.4 tables:
 * - relative: S(Δ) = 1 − (out/Δ)/P_ij, the shortfall of the execution rate against the spot rate;
 * - absolute: P_ij·Δ − out, the same shortfall in units of asset j.
 * The SoK form E/SX − 1 (input paid per unit received over the spot rate, minus 1) equals
 * S/(1 − S): a monotone transform, so every ordering in p or Δ is the same under both. Its p = 0
 * value is exactly Δ/x_i at equal weights without fee (the paper's remark that the geometric
 * mean's slippage grows linearly in the trade size).
 *
 * `out` includes the pool's fee, so with a fee S(Δ) → fee as Δ → 0; with fee 0 it → 0.
 */
import { outGivenIn, spotPrice, type G3mPool } from './pool.js';

/** 1 − (out/Δ)/P_ij; at Δ = 0 its limit, the fee. */
export function relativeSlippage(pool: G3mPool, i: number, j: number, amountIn: number): number {
  const spot = spotPrice(pool, i, j);
  const out = outGivenIn(pool, i, j, amountIn);
  return amountIn === 0 ? pool.fee : 1 - out / (amountIn * spot);
}

/** P_ij·Δ − out, in units of asset j. */
export function absoluteSlippage(pool: G3mPool, i: number, j: number, amountIn: number): number {
  const spot = spotPrice(pool, i, j);
  return spot * amountIn - outGivenIn(pool, i, j, amountIn);
}

/** The SoK form E/SX − 1 = (Δ·P_ij)/out − 1 = S/(1 − S); at Δ = 0 its limit fee/(1 − fee). */
export function sokSlippage(pool: G3mPool, i: number, j: number, amountIn: number): number {
  const spot = spotPrice(pool, i, j);
  const out = outGivenIn(pool, i, j, amountIn);
  return amountIn === 0 ? pool.fee / (1 - pool.fee) : (amountIn * spot) / out - 1;
}
