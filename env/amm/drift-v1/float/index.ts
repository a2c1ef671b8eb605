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
 * Tolerance against the exact bigint path. float64 has a 2^-52 relative unit, so reserves near
 * 1e18–1e20 carry ~1e3–1e4 raw units of error, and a protocol floor can land one unit apart. Bounds
 * asserted by test/drift-v1-properties.test.ts on random reachable markets (reserves 1e15–1e20, peg
 * 1 USD–1e6 USD, trade sequences, k and peg moves). Y = y·P/1e10 is the quote value of the quote
 * reserve; "one quote unit" in reserves is 1e10/P.
 *
 * | quantity                               | |float − exact| ≤                                         |
 * |----------------------------------------|------------------------------------------------------------|
 * | mark, terminal price, TWAPs            | 2 + 1e-12·value (+ the price effect of the reserve term)   |
 * | reserves, base amounts after trades    | 1e-12·reserve + 3 quote units' worth of reserve/base       |
 * | trade quote amounts, fees, pnl         | 4 + 1e-14·Y + 1e-12·notional (+ entry·reserve·2^-50/|base| |
 * |                                        | for partial reduces)                                       |
 * | V (net position value)                 | 8 + 1e-9·V + 1e-12·Y                                       |
 * | adjustPegCost, repeg cost              | 2 + 1e-9·|cost| + 1e-12·Y                                  |
 * | adjustKCost, update_k cost             | 2 + 5e-10·Y; reserves 2e-10 relative. ρ = floor(s′·1e10/s) |
 * |                                        | can land one unit apart because s′ = s·p is within float   |
 * |                                        | error of a multiple of s/1e10 (row 385: float gives the    |
 * |                                        | closed-form 443,547,645, exact 443,545,634)                |
 * | funding rate, payments                 | 1 unit + 1e-12 relative                                    |
 * | guard decisions                        | identical unless the guarded quantity is within the bounds |
 * |                                        | above of its threshold. k_err (may2022) is evaluated from  |
 * |                                        | its exact bound −(x′/(2s)+1) for y′ = s²/x′, since float   |
 * |                                        | cannot resolve x′·y′ − s² to 100 units.                    |
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
