/**
 * Float64 twin of the exact Drift v1 vAMM, for fast simulation (the RL hot loop).
 *
 * Same functions, same field names and the SAME raw units as the bigint code (reserves 1e13, peg
 * 1e3, prices 1e10, quote 1e6, funding 1e14), as plain `number`s, so exact and float results are
 * directly comparable. Every protocol floor is applied with Math.floor / Math.trunc.
 *
 * Allocation: state structs are mutable and the hot-path functions (`swap*`, `openPosition`,
 * `closePosition`, `tryRepeg`, `tryUpdateK`, `update*Twap`, `updateFundingRate`) mutate them in
 * place and write results into caller-owned (or shared scratch) output objects. `openPosition` /
 * `closePosition` / `try*` leave the state untouched when they reject.
 *
 * Tolerance against the exact bigint path (float64 has a 2^-53 ≈ 1.1e-16 relative unit; reserves
 * near 1e18–1e19 are therefore exact only to ~1e3 raw units), measured by test/drift-v1-float.test.ts
 * on random markets (reserves 1e15–1e20, |d| ≤ 30 % of x, peg 1–1e6 USD):
 *
 * | quantity                                  | bound                                                 |
 * |-------------------------------------------|-------------------------------------------------------|
 * | reserves, sqrt_k, mark/terminal price     | relative 1e-12                                        |
 * | V, trade quote amounts, fees, pnl         | absolute 2 + 1e-12·value (floors may differ by one)   |
 * | adjustPegCost                             | absolute 2 + 1e-9·|cost| + 1e-12·V                   |
 * | adjustKCost                               | absolute 2 + 1e-9·V (V: net position value)           |
 * | funding rate / payment                    | absolute 1 unit + relative 1e-12                      |
 * | guards (accept/reject)                    | same decision unless the guarded quantity is within    |
 * |                                           | the bounds above of its threshold; k_err (may2022) is |
 * |                                           | computed with Math.sqrt (~±30 units of noise vs 100)  |
 */
export * from './semantics.js';
export * from './state.js';
export * from './curve.js';
export * from './closedForm.js';
export * from './oracle.js';
export * from './twap.js';
export * from './guards.js';
export * from './funding.js';
export * from './trade.js';
