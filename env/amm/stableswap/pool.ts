/**
 * `StableSwapPool`: the stateful Curve StableSwap pool in bigint (amm-curves.md §3.4–3.6), with
 * the contract's order of operations and floors. Two variants:
 *
 * - 'template' (default): the pool template with A_PRECISION = 100 (A ramps in steps of 0.01; get_dy
 *   takes the fee in 18-decimal units before converting; Newton non-convergence raises);
 * - 'legacy': the 3pool (amp = A(); get_dy converts to native units first, then takes the fee; Newton
 *   returns its last iterate).
 * exchange, add/remove liquidity, calc_withdraw_one_coin, ramps and fee governance are the same in both.
 *
 * Every method checks everything first and writes state last, so a revert (`StableSwapRevert`)
 * leaves the pool untouched. Time is the block timestamp `now` (seconds), moved by `advanceTime`.
 * Admin fees are tracked explicitly in `adminBalances` (the contract keeps them implicitly as the
 * coin balance above `balances`).
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { A_PRECISION, FEE_DENOMINATOR, MAX_A, PRECISION, UINT256_LIMIT } from './constants.js';
import { StableSwapRevert } from './errors.js';
import { applyNewFee, commitNewFee, initialFeeState, revertNewParameters, type FeeState } from './feeAdmin.js';
import { getDUnchecked, getYDUnchecked, getYUnchecked } from './math.js';
import { ampAt, constantRamp, isRamping, rampA, stopRampA, type AmpRamp } from './ramp.js';
import { ratesFromDecimals, toXp } from './units.js';

export type StableSwapVariant = 'legacy' | 'template';

export interface StableSwapPoolConfig {
  /** 'template' (A_PRECISION = 100; default) or 'legacy' (3pool, A stored as is). */
  variant?: StableSwapVariant;
  /** A() as the contract reports it (whitepaper A·n^(n−1)), an integer in (0, 1e6). */
  A: bigint;
  /** Coin decimals (each 0–18); default 18 for every coin. Sets the number of coins unless `rates` does. */
  decimals?: readonly number[];
  /** `RATES` (1e18·10^(18 − decimals), times an exchange rate for lending pools); overrides `decimals`. */
  rates?: readonly bigint[];
  /** Number of coins when neither `decimals` nor `rates` is given (2–8). Default 3. */
  nCoins?: number;
  /** fee ×1e10; default 4,000,000 (0.04 %). */
  fee?: bigint;
  /** admin_fee ×1e10 of the fee; default 5e9 (half). */
  adminFee?: bigint;
  /** Block timestamp at creation, seconds. Default 0n. */
  nowSec?: bigint;
}

export interface ExchangeResult {
  /** Coins j sent to the trader, native units. */
  readonly dy: bigint;
  /** The whole fee, 18-decimal (xp) units of coin j. */
  readonly dyFee: bigint;
  /** The admin share of the fee taken out of the pool, native units of coin j. */
  readonly dyAdminFee: bigint;
}

export interface LiquidityResult {
  /** LP tokens minted (add) or burnt (remove_liquidity_imbalance). */
  readonly tokenAmount: bigint;
  /** Imbalance fee per coin, native units (0 for the first deposit). */
  readonly fees: bigint[];
}

export interface WithdrawOneResult {
  /** Coins i paid out, native units. */
  readonly dy: bigint;
  /** The fee, native units of coin i (`dy_0 − dy`: what a fee-free withdrawal would have paid more). */
  readonly fee: bigint;
}

/** A full copy of a pool's state (JSON-able after bigint conversion; `StableSwapPool.fromState`). */
export interface StableSwapPoolState {
  readonly variant: StableSwapVariant;
  readonly rates: readonly bigint[];
  readonly balances: readonly bigint[];
  readonly adminBalances: readonly bigint[];
  readonly totalSupply: bigint;
  readonly ramp: AmpRamp;
  readonly fees: FeeState;
  readonly nowSec: bigint;
}

function checkAmount(value: unknown, name: string, where: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= UINT256_LIMIT) {
    throw new InvalidArgumentError(`${where}: ${name} must be a bigint in [0, 2^256) (native units), got ${describeValue(value)}`);
  }
  return value;
}

function checkAmounts(values: readonly bigint[], n: number, where: string): void {
  if (!Array.isArray(values) || values.length !== n) {
    throw new InvalidArgumentError(`${where}: amounts must be an array of ${n} bigints (native units), got ${describeValue(values)}`);
  }
  values.forEach((v, k) => checkAmount(v, `amounts[${k}]`, where));
}

function sub(a: bigint, b: bigint, check: string, what: string): bigint {
  if (a < b) throw new StableSwapRevert(check, `uint256 underflow in ${what}: ${a} − ${b} < 0`);
  return a - b;
}

export class StableSwapPool {
  readonly variant: StableSwapVariant;
  /** A_PRECISION of the variant: 100n (template) or 1n (legacy). */
  readonly aPrecision: bigint;
  readonly nCoins: number;
  /** `RATES`, per coin. */
  readonly rates: readonly bigint[];

  private bal: bigint[];
  private admin: bigint[];
  private supply = 0n;
  private rampState: AmpRamp;
  private feeState: FeeState;
  private now: bigint;
  // Cache of xp and D for the current balances and amp: quoting many sizes costs one get_D.
  private xpCache: bigint[] | null = null;
  private dCache = 0n;
  private dCacheAmp = -1n;

  constructor(config: StableSwapPoolConfig) {
    if (config === null || typeof config !== 'object') throw new InvalidArgumentError(`StableSwapPool: config must be an object, got ${describeValue(config)}`);
    const variant = config.variant ?? 'template';
    if (variant !== 'template' && variant !== 'legacy') {
      throw new InvalidArgumentError(`StableSwapPool: variant must be 'template' or 'legacy', got ${describeValue(variant)}`);
    }
    this.variant = variant;
    this.aPrecision = variant === 'template' ? A_PRECISION : 1n;
    let rates: bigint[];
    if (config.rates !== undefined) {
      if (!Array.isArray(config.rates) || !config.rates.every((r) => typeof r === 'bigint' && r > 0n)) {
        throw new InvalidArgumentError(`StableSwapPool: rates must be an array of positive bigints, got ${describeValue(config.rates)}`);
      }
      rates = [...config.rates];
    } else if (config.decimals !== undefined) {
      rates = ratesFromDecimals(config.decimals);
    } else {
      const n = config.nCoins ?? 3;
      if (!Number.isInteger(n) || n < 2 || n > 8) throw new InvalidArgumentError(`StableSwapPool: nCoins must be an integer in [2, 8], got ${describeValue(n)}`);
      rates = new Array<bigint>(n).fill(PRECISION);
    }
    if (rates.length < 2 || rates.length > 8) throw new InvalidArgumentError(`StableSwapPool: a pool has 2 to 8 coins, got ${rates.length}`);
    this.rates = Object.freeze(rates);
    this.nCoins = rates.length;
    const A = config.A;
    if (typeof A !== 'bigint' || A <= 0n || A >= MAX_A) {
      throw new InvalidArgumentError(`StableSwapPool: A must be a bigint in (0, ${MAX_A}) (the contract's A(), e.g. 100n), got ${describeValue(A)}`);
    }
    this.now = config.nowSec ?? 0n;
    if (typeof this.now !== 'bigint' || this.now < 0n) throw new InvalidArgumentError(`StableSwapPool: nowSec must be a bigint ≥ 0n, got ${describeValue(config.nowSec)}`);
    this.rampState = constantRamp(A * this.aPrecision);
    this.feeState = initialFeeState(config.fee ?? 4_000_000n, config.adminFee ?? 5_000_000_000n);
    this.bal = new Array<bigint>(this.nCoins).fill(0n);
    this.admin = new Array<bigint>(this.nCoins).fill(0n);
  }

  /** A pool with given balances and LP supply (e.g. a snapshot of a live pool), no admin fees accrued. */
  static withBalances(config: StableSwapPoolConfig, balances: readonly bigint[], totalSupply: bigint): StableSwapPool {
    const pool = new StableSwapPool(config);
    checkAmounts(balances, pool.nCoins, 'StableSwapPool.withBalances');
    pool.bal = [...balances];
    pool.supply = checkAmount(totalSupply, 'totalSupply', 'StableSwapPool.withBalances');
    return pool;
  }

  /** Rebuilds a pool from `state()`. */
  static fromState(s: StableSwapPoolState): StableSwapPool {
    const pool = new StableSwapPool({ variant: s.variant, A: 1n, rates: s.rates, nowSec: s.nowSec, fee: s.fees.fee, adminFee: s.fees.adminFee });
    checkAmounts(s.balances, pool.nCoins, 'StableSwapPool.fromState balances');
    checkAmounts(s.adminBalances, pool.nCoins, 'StableSwapPool.fromState adminBalances');
    pool.bal = [...s.balances];
    pool.admin = [...s.adminBalances];
    pool.supply = checkAmount(s.totalSupply, 'totalSupply', 'StableSwapPool.fromState');
    pool.rampState = { ...s.ramp };
    pool.feeState = { ...s.fees };
    return pool;
  }

  state(): StableSwapPoolState {
    return {
      variant: this.variant, rates: [...this.rates], balances: [...this.bal], adminBalances: [...this.admin],
      totalSupply: this.supply, ramp: { ...this.rampState }, fees: { ...this.feeState }, nowSec: this.now,
    };
  }

  clone(): StableSwapPool {
    return StableSwapPool.fromState(this.state());
  }

  // ---- state --------------------------------------------------------------------------------------

  /** Pool balances, native units (admin fees excluded). */
  get balances(): readonly bigint[] {
    return this.bal;
  }

  /** Admin fees accrued and not withdrawn, native units per coin. */
  get adminBalances(): readonly bigint[] {
    return this.admin;
  }

  get totalSupply(): bigint {
    return this.supply;
  }

  get nowSec(): bigint {
    return this.now;
  }

  get ramp(): AmpRamp {
    return this.rampState;
  }

  get fees(): FeeState {
    return this.feeState;
  }

  get fee(): bigint {
    return this.feeState.fee;
  }

  get adminFee(): bigint {
    return this.feeState.adminFee;
  }

  /** Moves the block timestamp forward (A ramps and the fee deadline depend on it). */
  advanceTime(nowSec: bigint): void {
    if (typeof nowSec !== 'bigint' || nowSec < this.now) {
      throw new InvalidArgumentError(`StableSwapPool.advanceTime: nowSec must be a bigint ≥ the current time ${this.now}, got ${describeValue(nowSec)}`);
    }
    this.now = nowSec;
  }

  /** `A_precise()`: the stored amp now (A()·aPrecision). */
  ampPrecise(): bigint {
    return ampAt(this.rampState, this.now);
  }

  /** `A()`: the amplification now, floored to an integer. */
  A(): bigint {
    return ampAt(this.rampState, this.now) / this.aPrecision;
  }

  isRamping(): boolean {
    return isRamping(this.rampState, this.now);
  }

  /** `_xp()`: balances in 18-decimal units (a fresh array). */
  xp(): bigint[] {
    return [...this.xpNow()];
  }

  private xpNow(): bigint[] {
    if (this.xpCache === null) this.xpCache = toXp(this.bal, this.rates);
    return this.xpCache;
  }

  private setBalances(balances: bigint[]): void {
    this.bal = balances;
    this.xpCache = null;
    this.dCacheAmp = -1n;
  }

  /** get_D of the current balances at the current amp (cached until either changes). */
  D(): bigint {
    const amp = this.ampPrecise();
    if (amp !== this.dCacheAmp) {
      this.dCache = getDUnchecked(this.xpNow(), amp, this.aPrecision);
      this.dCacheAmp = amp;
    }
    return this.dCache;
  }

  private dOf(balances: readonly bigint[], amp: bigint): bigint {
    return getDUnchecked(toXp(balances, this.rates), amp, this.aPrecision);
  }

  /** `get_virtual_price()`: D·1e18/supply. Reverts on an empty pool. */
  getVirtualPrice(): bigint {
    if (this.supply === 0n) throw new StableSwapRevert('get_virtual_price', 'division by zero: total supply is 0');
    return (this.D() * PRECISION) / this.supply;
  }

  private checkPair(i: number, j: number, where: string): void {
    for (const [name, k] of [['i', i], ['j', j]] as const) {
      if (typeof k !== 'number' || !Number.isInteger(k)) throw new InvalidArgumentError(`${where}: coin index ${name} must be an integer, got ${describeValue(k)}`);
      if (k < 0 || k >= this.nCoins) throw new StableSwapRevert(where, `coin index ${name} = ${k} is outside [0, ${this.nCoins - 1}]`);
    }
    if (i === j) throw new StableSwapRevert('get_y', `same coin: i = j = ${i}`);
  }

  /** (new y, dy before fee in xp units) of swapping `dx` native coins i into the pool for coin j. */
  private swapCore(i: number, j: number, dx: bigint): { y: bigint; dyXp: bigint } {
    const xp = this.xpNow();
    const amp = this.ampPrecise();
    const D = this.D();
    const x = xp[i]! + (this.rates[i]! * dx) / PRECISION;
    if (x >= UINT256_LIMIT) throw new StableSwapRevert('exchange', `uint256 overflow: new balance ${x}`);
    const y = getYUnchecked(i, j, x, xp, amp, this.aPrecision, D);
    // dy = xp[j] − y − 1: the −1 rounds against the trader.
    const dyXp = sub(sub(xp[j]!, y, 'exchange', 'xp[j] − y'), 1n, 'exchange', 'xp[j] − y − 1');
    return { y, dyXp };
  }

  /** `get_dy(i, j, dx)`: coins j (native) that exchanging `dx` native coins i would pay, after the fee. */
  getDy(i: number, j: number, dx: bigint): bigint {
    this.checkPair(i, j, 'get_dy');
    checkAmount(dx, 'dx', 'get_dy');
    const { dyXp } = this.swapCore(i, j, dx);
    const fee = this.feeState.fee;
    const rj = this.rates[j]!;
    if (this.variant === 'legacy') {
      // 3pool: convert to native units, then take the fee
      const dy = (dyXp * PRECISION) / rj;
      return dy - (fee * dy) / FEE_DENOMINATOR;
    }
    return ((dyXp - (fee * dyXp) / FEE_DENOMINATOR) * PRECISION) / rj;
  }

  /**
   * `exchange(i, j, dx, min_dy)`: the trader pays `dx` native coins i and receives `dy` coins j; the fee
   * is taken on the output, its LP share stays in the pool and its admin share leaves `balances`.
   */
  exchange(i: number, j: number, dx: bigint, minDy = 0n): ExchangeResult {
    this.checkPair(i, j, 'exchange');
    checkAmount(dx, 'dx', 'exchange');
    checkAmount(minDy, 'minDy', 'exchange');
    const { dyXp } = this.swapCore(i, j, dx);
    const rj = this.rates[j]!;
    const dyFee = (dyXp * this.feeState.fee) / FEE_DENOMINATOR;
    const dy = ((dyXp - dyFee) * PRECISION) / rj;
    if (dy < minDy) throw new StableSwapRevert('exchange: min_dy', `Exchange resulted in fewer coins than expected: dy = ${dy} < min_dy = ${minDy}`);
    const dyAdminFee = (((dyFee * this.feeState.adminFee) / FEE_DENOMINATOR) * PRECISION) / rj;
    const next = [...this.bal];
    next[i] = next[i]! + dx;
    next[j] = sub(sub(next[j]!, dy, 'exchange', 'balances[j] − dy'), dyAdminFee, 'exchange', 'balances[j] − dy − dy_admin_fee');
    this.admin[j] = this.admin[j]! + dyAdminFee;
    this.setBalances(next);
    return { dy, dyFee, dyAdminFee };
  }

  /** fee·n/(4(n−1)), floored: the per-coin imbalance fee rate of add/remove (×1e10). */
  private imbalanceFeeRaw(): bigint {
    const n = BigInt(this.nCoins);
    return (this.feeState.fee * n) / (4n * (n - 1n));
  }

  /**
   * Imbalance fees on moving from `old` to `next` balances (invariants D0 → D1): each coin pays
   * fee·n/(4(n−1)) on its distance from the proportional balance D1·old/D0. Returns the fees, the
   * balances to store (less the admin share) and the balances to mint or burn against (less the fee).
   */
  private imbalanceFees(old: readonly bigint[], next: readonly bigint[], D0: bigint, D1: bigint) {
    const rate = this.imbalanceFeeRaw();
    const adminFee = this.feeState.adminFee;
    const fees: bigint[] = [];
    const stored: bigint[] = [];
    const reduced: bigint[] = [];
    for (let k = 0; k < this.nCoins; k++) {
      const ideal = (D1 * old[k]!) / D0;
      const diff = ideal > next[k]! ? ideal - next[k]! : next[k]! - ideal;
      const f = (rate * diff) / FEE_DENOMINATOR;
      fees.push(f);
      stored.push(sub(next[k]!, (f * adminFee) / FEE_DENOMINATOR, 'imbalance fee', `balance[${k}] − admin fee`));
      reduced.push(sub(next[k]!, f, 'imbalance fee', `balance[${k}] − fee`));
    }
    return { fees, stored, reduced };
  }

  /** `add_liquidity(amounts, min_mint_amount)`: deposit native amounts; an imbalanced deposit pays the imbalance fee. */
  addLiquidity(amounts: readonly bigint[], minMintAmount = 0n): LiquidityResult {
    checkAmounts(amounts, this.nCoins, 'add_liquidity');
    checkAmount(minMintAmount, 'minMintAmount', 'add_liquidity');
    const amp = this.ampPrecise();
    const supply = this.supply;
    const old = this.bal;
    const D0 = supply > 0n ? this.D() : 0n;
    const next = old.map((b, k) => {
      if (supply === 0n && amounts[k]! === 0n) throw new StableSwapRevert('add_liquidity: initial deposit', `the first deposit needs every coin; amounts[${k}] = 0`);
      return b + amounts[k]!;
    });
    const D1 = this.dOf(next, amp);
    if (!(D1 > D0)) throw new StableSwapRevert('add_liquidity: D1 > D0', `the deposit does not raise D (D0 = ${D0}, D1 = ${D1})`);
    let stored = next;
    let fees: bigint[] = new Array<bigint>(this.nCoins).fill(0n);
    let mint: bigint;
    if (supply > 0n) {
      const f = this.imbalanceFees(old, next, D0, D1);
      fees = f.fees;
      stored = f.stored;
      const D2 = this.dOf(f.reduced, amp);
      mint = (supply * (D2 - D0)) / D0;
    } else {
      mint = D1; // the first depositor takes any dust
    }
    if (mint < minMintAmount) throw new StableSwapRevert('add_liquidity: min_mint_amount', `Slippage screwed you: mint ${mint} < min_mint_amount ${minMintAmount}`);
    for (let k = 0; k < this.nCoins; k++) this.admin[k] = this.admin[k]! + (next[k]! - stored[k]!);
    this.setBalances(stored);
    this.supply = supply + mint;
    return { tokenAmount: mint, fees };
  }

  /** `remove_liquidity(amount, min_amounts)`: burn LP tokens for a proportional share of every coin (no fee). */
  removeLiquidity(amount: bigint, minAmounts?: readonly bigint[]): bigint[] {
    checkAmount(amount, 'amount', 'remove_liquidity');
    if (minAmounts !== undefined) checkAmounts(minAmounts, this.nCoins, 'remove_liquidity min_amounts');
    if (this.supply === 0n) throw new StableSwapRevert('remove_liquidity', 'division by zero: total supply is 0');
    if (amount > this.supply) throw new StableSwapRevert('remove_liquidity: burn', `insufficient funds: amount ${amount} > total supply ${this.supply}`);
    const out = this.bal.map((b, k) => {
      const v = (b * amount) / this.supply;
      if (minAmounts !== undefined && v < minAmounts[k]!) {
        throw new StableSwapRevert('remove_liquidity: min_amounts', `Withdrawal resulted in fewer coins than expected: coin ${k} gives ${v} < ${minAmounts[k]}`);
      }
      return v;
    });
    this.setBalances(this.bal.map((b, k) => b - out[k]!));
    this.supply -= amount;
    return out;
  }

  /** `remove_liquidity_imbalance(amounts, max_burn_amount)`: withdraw exact amounts, paying the imbalance fee in burnt LP tokens. */
  removeLiquidityImbalance(amounts: readonly bigint[], maxBurnAmount: bigint = UINT256_LIMIT - 1n): LiquidityResult {
    checkAmounts(amounts, this.nCoins, 'remove_liquidity_imbalance');
    checkAmount(maxBurnAmount, 'maxBurnAmount', 'remove_liquidity_imbalance');
    const supply = this.supply;
    if (supply === 0n) throw new StableSwapRevert('remove_liquidity_imbalance: zero total supply', 'the pool has no LP tokens');
    const amp = this.ampPrecise();
    const old = this.bal;
    const D0 = this.D();
    const next = old.map((b, k) => sub(b, amounts[k]!, 'remove_liquidity_imbalance', `balances[${k}] − amounts[${k}]`));
    const D1 = this.dOf(next, amp);
    const f = this.imbalanceFees(old, next, D0, D1);
    const D2 = this.dOf(f.reduced, amp);
    let burn = (sub(D0, D2, 'remove_liquidity_imbalance', 'D0 − D2') * supply) / D0;
    if (burn === 0n) throw new StableSwapRevert('remove_liquidity_imbalance: zero tokens burned', 'the withdrawal is too small to burn any LP token');
    burn += 1n; // rounding against the withdrawer
    if (burn > maxBurnAmount) throw new StableSwapRevert('remove_liquidity_imbalance: max_burn_amount', `Slippage screwed you: burn ${burn} > max_burn_amount ${maxBurnAmount}`);
    if (burn > supply) throw new StableSwapRevert('remove_liquidity_imbalance: burn', `insufficient funds: burn ${burn} > total supply ${supply}`);
    for (let k = 0; k < this.nCoins; k++) this.admin[k] = this.admin[k]! + (next[k]! - f.stored[k]!);
    this.setBalances(f.stored);
    this.supply = supply - burn;
    return { tokenAmount: burn, fees: f.fees };
  }

  /** `calc_withdraw_one_coin(token_amount, i)`: coins i paid for burning `tokenAmount` LP tokens, and the fee. */
  calcWithdrawOneCoin(tokenAmount: bigint, i: number): WithdrawOneResult {
    checkAmount(tokenAmount, 'tokenAmount', 'calc_withdraw_one_coin');
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new InvalidArgumentError(`calc_withdraw_one_coin: coin index i must be an integer, got ${describeValue(i)}`);
    if (i < 0 || i >= this.nCoins) throw new StableSwapRevert('get_y_D', `coin index i = ${i} is outside [0, ${this.nCoins - 1}]`);
    const supply = this.supply;
    if (supply === 0n) throw new StableSwapRevert('calc_withdraw_one_coin', 'division by zero: total supply is 0');
    const amp = this.ampPrecise();
    const P = this.aPrecision;
    const xp = this.xpNow();
    const D0 = this.D();
    const D1 = sub(D0, (tokenAmount * D0) / supply, 'calc_withdraw_one_coin', 'D0 − token_amount·D0/supply');
    const newY = getYDUnchecked(amp, i, xp, D1, P);
    const rate = this.imbalanceFeeRaw();
    const reduced: bigint[] = new Array<bigint>(this.nCoins);
    for (let k = 0; k < this.nCoins; k++) {
      const xk = xp[k]!;
      const scaled = (xk * D1) / D0;
      const expected = k === i ? sub(scaled, newY, 'calc_withdraw_one_coin', 'xp[i]·D1/D0 − new_y') : xk - scaled;
      reduced[k] = sub(xk, (rate * expected) / FEE_DENOMINATOR, 'calc_withdraw_one_coin', `xp_reduced[${k}]`);
    }
    const dyXp = sub(reduced[i]!, getYDUnchecked(amp, i, reduced, D1, P), 'calc_withdraw_one_coin', 'xp_reduced[i] − get_y_D');
    const ri = this.rates[i]!;
    const dy0 = (sub(xp[i]!, newY, 'calc_withdraw_one_coin', 'xp[i] − new_y') * PRECISION) / ri;
    // −1: withdraw less to absorb rounding
    const dy = (sub(dyXp, 1n, 'calc_withdraw_one_coin', 'dy − 1') * PRECISION) / ri;
    return { dy, fee: sub(dy0, dy, 'calc_withdraw_one_coin', 'dy_0 − dy') };
  }

  /** `remove_liquidity_one_coin(token_amount, i, min_amount)`: burn LP tokens for coin i alone. */
  removeLiquidityOneCoin(tokenAmount: bigint, i: number, minAmount = 0n): WithdrawOneResult {
    checkAmount(minAmount, 'minAmount', 'remove_liquidity_one_coin');
    const r = this.calcWithdrawOneCoin(tokenAmount, i);
    if (r.dy < minAmount) throw new StableSwapRevert('remove_liquidity_one_coin: min_amount', `Not enough coins removed: dy ${r.dy} < min_amount ${minAmount}`);
    const adminPart = (r.fee * this.feeState.adminFee) / FEE_DENOMINATOR;
    const next = [...this.bal];
    next[i] = sub(next[i]!, r.dy + adminPart, 'remove_liquidity_one_coin', 'balances[i] − dy − admin fee');
    this.admin[i] = this.admin[i]! + adminPart;
    this.setBalances(next);
    this.supply -= tokenAmount;
    return r;
  }

  /**
   * `calc_token_amount(amounts, is_deposit)`: LP tokens a deposit would mint or a withdrawal burn,
   * without fees (the contract's estimate for slippage limits).
   */
  calcTokenAmount(amounts: readonly bigint[], isDeposit: boolean): bigint {
    checkAmounts(amounts, this.nCoins, 'calc_token_amount');
    const amp = this.ampPrecise();
    const D0 = this.D();
    const next = this.bal.map((b, k) => (isDeposit ? b + amounts[k]! : sub(b, amounts[k]!, 'calc_token_amount', `balances[${k}] − amounts[${k}]`)));
    const D1 = this.dOf(next, amp);
    const diff = isDeposit ? sub(D1, D0, 'calc_token_amount', 'D1 − D0') : sub(D0, D1, 'calc_token_amount', 'D0 − D1');
    if (D0 === 0n) throw new StableSwapRevert('calc_token_amount', 'division by zero: D0 = 0');
    return (diff * this.supply) / D0;
  }

  /** Pays out the accrued admin fees (native units per coin) and zeroes them. */
  withdrawAdminFees(): bigint[] {
    const out = this.admin;
    this.admin = new Array<bigint>(this.nCoins).fill(0n);
    return out;
  }

  // ---- governance -----------------------------------------------------------------------------------

  /** `ramp_A(future_A, future_time)`; `futureA` is A() (not ×A_PRECISION). */
  rampA(futureA: bigint, futureTime: bigint): void {
    this.rampState = rampA(this.rampState, futureA, futureTime, this.now, this.aPrecision);
  }

  /** `stop_ramp_A()`: freeze A where it is now. */
  stopRampA(): void {
    this.rampState = stopRampA(this.rampState, this.now);
  }

  /** `commit_new_fee(new_fee, new_admin_fee)` (raw ×1e10); applicable ADMIN_ACTIONS_DELAY later. */
  commitNewFee(newFee: bigint, newAdminFee: bigint): void {
    this.feeState = commitNewFee(this.feeState, newFee, newAdminFee, this.now);
  }

  /** `apply_new_fee()`. */
  applyNewFee(): void {
    this.feeState = applyNewFee(this.feeState, this.now);
  }

  /** `revert_new_parameters()`. */
  revertNewParameters(): void {
    this.feeState = revertNewParameters(this.feeState);
  }

  // ---- prices (float64, for display and arbitrage targets) -------------------------------------------

  /**
   * Marginal price of coin i in coin j without the fee (−dx_j/dx_i along the curve, curvesim's
   * `_dydx`), in 18-decimal units: x_j(x_i·A·n^(n+1)·Πx + D^(n+1)) / (x_i(x_j·A·n^(n+1)·Πx + D^(n+1))).
   */
  spotPrice(i: number, j: number): number {
    this.checkPair(i, j, 'spotPrice');
    const n = this.nCoins;
    const xp = this.xpNow();
    // Scale by D so the powers stay in float range; the ratio is homogeneous of degree 0.
    const D = Number(this.D());
    const A = Number(this.ampPrecise()) / Number(this.aPrecision);
    let prod = 1;
    for (let k = 0; k < n; k++) prod *= Number(xp[k]!) / D;
    const xi = Number(xp[i]!) / D;
    const xj = Number(xp[j]!) / D;
    const ann1 = A * Math.pow(n, n + 1) * prod;
    return (xj * (xi * ann1 + 1)) / (xi * (xj * ann1 + 1));
  }

  /** The fee-inclusive marginal price (1 − fee)·spotPrice(i, j): what one more unit of i fetches in j. */
  feeInclusivePrice(i: number, j: number): number {
    return this.spotPrice(i, j) * (1 - Number(this.feeState.fee) / Number(FEE_DENOMINATOR));
  }
}
