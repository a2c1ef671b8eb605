/**
 * stableswap-v0's arguments: one JSON-able object with documented defaults, validated in one place
 * so a bad value fails at construction with the option's name, the value and what is allowed.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { MAX_A, MAX_FEE, MIN_RAMP_TIME } from '../../amm/stableswap/constants.js';
import type { StableSwapVariant } from '../../amm/stableswap/pool.js';
import type { DepegPriceConfig } from './depegPrice.js';
import type { NoiseTraderConfig } from './noiseTraders.js';

export type StableSwapActionMode = 'discrete' | 'continuous';

export interface StableSwapEnvOptions {
  /** Coins in the pool, 2 or 3. Default 3. */
  nCoins?: number;
  /** Governance arithmetic: 'template' (A_PRECISION = 100, A ramps in 0.01 steps) or 'legacy' (3pool, integer A). Default 'template'. */
  variant?: StableSwapVariant;
  /** Pool value at the start, USD (split evenly, every coin at 1 USD). Default 1e8. */
  tvlUsd?: number;
  /** A() at the start, an integer in [aMin, aMax]. Default 100. */
  initialA?: number;
  /** Fee at the start, basis points, in [feeMinBps, feeMaxBps]. Default 4 (0.04 %, 3pool's). */
  feeBps?: number;
  /** Admin share of the fee, a fraction in [0, 1] (the LPs keep the rest). Default 0.5. */
  adminFee?: number;
  /** Seconds of market time per step. Default 3600. */
  stepSec?: number;
  /** Blocks of arbitrage and noise trading per step (each stepSec/substeps long). Default 12. */
  substeps?: number;
  /** Steps per episode used to scale the time-of-episode feature (make() truncates with maxEpisodeSteps). Default 720 (30 days). */
  horizon?: number;
  /** 'discrete' (default) or 'continuous'. */
  actionSpace?: StableSwapActionMode;
  /** A up/down multiplies or divides A() by this, in (1, 10] (MAX_A_CHANGE). Default 2. */
  aStep?: number;
  /** Bounds the agent may ramp A() within, integers in [1, 1e6). Default 10 and 10,000. */
  aMin?: number;
  aMax?: number;
  /** Duration of every ramp, seconds, ≥ 86,400 (MIN_RAMP_TIME). Default 86,400. */
  rampSec?: number;
  /** Fee up/down multiplies or divides the fee by this, > 1. Default 2. */
  feeStep?: number;
  /** Bounds of the fee the agent may commit, basis points in [0, 5000]. Default 1 and 50. */
  feeMinBps?: number;
  feeMaxBps?: number;
  /** USD subtracted from the reward when the protocol (or a bound) rejects the action. Default 0. */
  rejectionPenaltyUsd?: number;
  /** Smallest arbitrage profit (USD, net of fee) worth a trade, e.g. gas. Default 0. */
  arbMinProfitUsd?: number;
  /** The stablecoin price process (see DepegPriceConfig). */
  prices?: DepegPriceConfig;
  /** The noise traders (see NoiseTraderConfig). */
  noise?: NoiseTraderConfig;
  /** 'ansi' (a text line per render) or null. Default null. */
  renderMode?: 'ansi' | null;
}

export interface ResolvedStableSwapOptions {
  readonly nCoins: number;
  readonly variant: StableSwapVariant;
  readonly tvlUsd: number;
  readonly initialA: number;
  readonly feeBps: number;
  readonly adminFee: number;
  readonly stepSec: number;
  readonly substeps: number;
  readonly horizon: number;
  readonly actionSpace: StableSwapActionMode;
  readonly aStep: number;
  readonly aMin: number;
  readonly aMax: number;
  readonly rampSec: number;
  readonly feeStep: number;
  readonly feeMinBps: number;
  readonly feeMaxBps: number;
  readonly rejectionPenaltyUsd: number;
  readonly arbMinProfitUsd: number;
  readonly prices: DepegPriceConfig;
  readonly noise: NoiseTraderConfig;
  readonly renderMode: 'ansi' | null;
}

const KEYS = new Set([
  'nCoins', 'variant', 'tvlUsd', 'initialA', 'feeBps', 'adminFee', 'stepSec', 'substeps', 'horizon', 'actionSpace', 'aStep',
  'aMin', 'aMax', 'rampSec', 'feeStep', 'feeMinBps', 'feeMaxBps', 'rejectionPenaltyUsd', 'arbMinProfitUsd', 'prices', 'noise',
  'renderMode',
]);

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`stableswap-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function num(name: string, value: unknown, fallback: number, lo: number, hi: number, opts: { integer?: boolean; openLow?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (opts.openLow ? value > lo : value >= lo) && value <= hi
    && (!opts.integer || Number.isInteger(value));
  if (!ok) bad(name, value, `${opts.integer ? 'an integer' : 'a finite number'} in ${opts.openLow ? '(' : '['}${lo}, ${hi}]`);
  return value as number;
}

function choice<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) return bad(name, value, allowed.map((a) => JSON.stringify(a)).join(' | '));
  return value as T;
}

function plainObject<T>(name: string, value: unknown): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(name, value, 'an object of its documented fields');
  return value as T;
}

export function resolveStableSwapOptions(options: StableSwapEnvOptions = {}): ResolvedStableSwapOptions {
  if (options === null || typeof options !== 'object') bad('options', options, 'an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) bad(key, (options as Record<string, unknown>)[key], `no such option; known options are ${[...KEYS].join(', ')}`);
  }
  const maxA = Number(MAX_A) - 1;
  const aMin = num('aMin', options.aMin, 10, 1, maxA, { integer: true });
  const aMax = num('aMax', options.aMax, 10_000, aMin, maxA, { integer: true });
  const feeMaxBpsLimit = Number(MAX_FEE) / 1e6;
  const feeMinBps = num('feeMinBps', options.feeMinBps, 1, 0, feeMaxBpsLimit);
  const feeMaxBps = num('feeMaxBps', options.feeMaxBps, 50, feeMinBps, feeMaxBpsLimit);
  return {
    nCoins: num('nCoins', options.nCoins, 3, 2, 3, { integer: true }),
    variant: choice('variant', options.variant, ['template', 'legacy'] as const, 'template'),
    tvlUsd: num('tvlUsd', options.tvlUsd, 1e8, 1e3, 1e12),
    initialA: num('initialA', options.initialA, 100, aMin, aMax, { integer: true }),
    feeBps: num('feeBps', options.feeBps, 4, feeMinBps, feeMaxBps),
    adminFee: num('adminFee', options.adminFee, 0.5, 0, 1),
    stepSec: num('stepSec', options.stepSec, 3600, 0, 86_400, { openLow: true }),
    substeps: num('substeps', options.substeps, 12, 1, 1000, { integer: true }),
    horizon: num('horizon', options.horizon, 720, 1, 1e9, { integer: true }),
    actionSpace: choice('actionSpace', options.actionSpace, ['discrete', 'continuous'] as const, 'discrete'),
    aStep: num('aStep', options.aStep, 2, 1, 10, { openLow: true }),
    aMin,
    aMax,
    rampSec: num('rampSec', options.rampSec, 86_400, Number(MIN_RAMP_TIME), 365 * 86_400, { integer: true }),
    feeStep: num('feeStep', options.feeStep, 2, 1, 100, { openLow: true }),
    feeMinBps,
    feeMaxBps,
    rejectionPenaltyUsd: num('rejectionPenaltyUsd', options.rejectionPenaltyUsd, 0, 0, Infinity),
    arbMinProfitUsd: num('arbMinProfitUsd', options.arbMinProfitUsd, 0, 0, Infinity),
    prices: plainObject<DepegPriceConfig>('prices', options.prices),
    noise: plainObject<NoiseTraderConfig>('noise', options.noise),
    renderMode: options.renderMode === undefined || options.renderMode === null ? null : choice('renderMode', options.renderMode, ['ansi'] as const, 'ansi'),
  };
}
