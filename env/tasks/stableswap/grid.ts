/**
 * A curvesim-style parameter grid (amm-curves.md §7.1): every (A, fee) pair runs the same external
 * price path, arbitrageurs trading the pool to the no-arbitrage band at each step, and reports the
 * LPs' fees, the LVR, arbitrage volume and the virtual price. Deterministic given the path: the
 * randomness is in whoever made `pricesUsd`.
 *
 * Settlement 'exact' (default) keeps the pool in bigint (`StableSwapPool`, the contract's floors)
 * and uses the float twin only to size each trade, as curvesim's integer pool does; 'float' runs
 * everything on the float twin. curvesim caps trades by market volume; this grid does not.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { PRECISION } from '../../amm/stableswap/constants.js';
import { StableSwapPool, type StableSwapVariant } from '../../amm/stableswap/pool.js';
import {
  arbitrage, arbitrageInput, getDUnchecked, mostMispricedPair, newArbitrageStats,
} from '../../amm/stableswap/float/index.js';

export interface ParameterGridConfig {
  /** A() values (integers in (0, 1e6)). */
  readonly A: readonly number[];
  /** Fees, basis points (0–5000). */
  readonly feeBps: readonly number[];
  /** The price path: one array of USD prices (one per coin) per step. Sets the number of coins. */
  readonly pricesUsd: readonly ArrayLike<number>[];
  /** Pool value at the start, USD, split evenly. Default 1e8. */
  readonly tvlUsd?: number;
  /** Admin share of the fee, a fraction. Default 0.5. */
  readonly adminFee?: number;
  /** 'exact' (bigint pool, float sizing; default) or 'float'. */
  readonly settlement?: 'exact' | 'float';
  /** Governance arithmetic of the exact pool. Default 'template'. */
  readonly variant?: StableSwapVariant;
}

export interface GridCell {
  readonly A: number;
  readonly feeBps: number;
  readonly trades: number;
  readonly volumeUsd: number;
  /** LP share of the fees, USD. */
  readonly feesLpUsd: number;
  /** Loss-versus-rebalancing of the arbitrage trades, fees excluded, USD. */
  readonly lvrUsd: number;
  /** feesLpUsd − lvrUsd: the LPs' P&L against rebalancing. */
  readonly pnlUsd: number;
  /** D at the end / D at the start (virtual price with a fixed supply). */
  readonly virtualPrice: number;
}

export interface ParameterGridResult {
  readonly cells: GridCell[];
  /** Steps per cell. */
  readonly steps: number;
  readonly settlement: 'exact' | 'float';
}

const E18 = Number(PRECISION);

function check(cond: boolean, what: string, value: unknown, allowed: string): void {
  if (!cond) throw new InvalidArgumentError(`runParameterGrid: ${what} = ${describeValue(value)}; allowed: ${allowed}`);
}

/** Runs every (A, fee) cell over the price path; cells in A-major order. */
export function runParameterGrid(config: ParameterGridConfig): ParameterGridResult {
  const { A: As, feeBps: fees, pricesUsd } = config;
  check(Array.isArray(As) && As.length > 0 && As.every((a) => Number.isInteger(a) && a > 0 && a < 1e6), 'A', As, 'a non-empty array of integers in (0, 1e6)');
  check(Array.isArray(fees) && fees.length > 0 && fees.every((f) => f >= 0 && f <= 5000), 'feeBps', fees, 'a non-empty array of numbers in [0, 5000]');
  check(Array.isArray(pricesUsd) && pricesUsd.length > 0, 'pricesUsd', pricesUsd, 'a non-empty array of per-step price arrays');
  const n = pricesUsd[0]!.length;
  check(n >= 2 && n <= 8, 'pricesUsd[0].length', n, '2 to 8 coins');
  pricesUsd.forEach((p, t) => check(p.length === n && Array.from(p).every((x) => x > 0 && Number.isFinite(x)), `pricesUsd[${t}]`, p, `${n} finite prices > 0`));
  const tvl = config.tvlUsd ?? 1e8;
  check(tvl > 0 && Number.isFinite(tvl), 'tvlUsd', tvl, 'a finite number > 0');
  const adminFee = config.adminFee ?? 0.5;
  check(adminFee >= 0 && adminFee <= 1, 'adminFee', adminFee, 'a fraction in [0, 1]');
  const settlement = config.settlement ?? 'exact';
  check(settlement === 'exact' || settlement === 'float', 'settlement', settlement, "'exact' or 'float'");
  const cells: GridCell[] = [];
  for (const A of As) {
    for (const feeBps of fees) {
      cells.push(settlement === 'exact'
        ? exactCell(A, feeBps, pricesUsd, n, tvl, adminFee, config.variant ?? 'template')
        : floatCell(A, feeBps, pricesUsd, n, tvl, adminFee));
    }
  }
  return { cells, steps: pricesUsd.length, settlement };
}

function floatCell(A: number, feeBps: number, path: readonly ArrayLike<number>[], n: number, tvl: number, adminFee: number): GridCell {
  const xp = new Float64Array(n).fill(tvl / n);
  const fee = feeBps / 1e4;
  const D0 = getDUnchecked(xp, A);
  const s = newArbitrageStats();
  for (const prices of path) arbitrage(xp, A, fee, adminFee, prices, s);
  return {
    A, feeBps, trades: s.trades, volumeUsd: s.volumeUsd, feesLpUsd: s.feesLpUsd, lvrUsd: s.lvrUsd,
    pnlUsd: s.feesLpUsd - s.lvrUsd, virtualPrice: getDUnchecked(xp, A) / D0,
  };
}

function exactCell(
  A: number, feeBps: number, path: readonly ArrayLike<number>[], n: number, tvl: number, adminFee: number, variant: StableSwapVariant,
): GridCell {
  const feeRaw = BigInt(Math.round(feeBps * 1e6));
  const adminRaw = BigInt(Math.round(adminFee * 1e10));
  const pool = new StableSwapPool({ variant, A: BigInt(A), fee: feeRaw, adminFee: adminRaw, nCoins: n });
  const each = BigInt(Math.round(tvl / n)) * PRECISION;
  pool.addLiquidity(new Array<bigint>(n).fill(each));
  const D0 = pool.D();
  const fee = feeBps / 1e4;
  const xf = new Float64Array(n);
  const maxTrades = 8 * n * (n - 1);
  let trades = 0;
  let volumeUsd = 0;
  let feesLpUsd = 0;
  let lvrUsd = 0;
  for (const prices of path) {
    let blocked = 0;
    for (let round = 0; round < maxTrades; round++) {
      const xp = pool.xp();
      for (let k = 0; k < n; k++) xf[k] = Number(xp[k]!) / E18;
      const D = getDUnchecked(xf, A);
      const pair = mostMispricedPair(xf, A, fee, prices, D, 1e-9, blocked);
      if (pair < 0) break;
      const i = Math.floor(pair / n);
      const j = pair % n;
      const dx = BigInt(Math.floor(arbitrageInput(xf, i, j, A, fee, prices[i]! / prices[j]!, adminFee, D) * E18));
      const dy = dx > 0n ? pool.getDy(i, j, dx) : 0n;
      // the arbitrageur trades only at a profit, valued at the external prices
      if (dy === 0n || Number(dy) * prices[j]! <= Number(dx) * prices[i]!) {
        blocked |= 1 << pair;
        continue;
      }
      const r = pool.exchange(i, j, dx);
      const gross = Number(r.dy) + Number(r.dyFee);
      const lpFee = Number(r.dyFee) - Number(r.dyAdminFee);
      trades++;
      volumeUsd += (Number(dx) / E18) * prices[i]!;
      feesLpUsd += (lpFee / E18) * prices[j]!;
      lvrUsd += (gross / E18) * prices[j]! - (Number(dx) / E18) * prices[i]!;
    }
  }
  return { A, feeBps, trades, volumeUsd, feesLpUsd, lvrUsd, pnlUsd: feesLpUsd - lvrUsd, virtualPrice: Number(pool.D()) / Number(D0) };
}
