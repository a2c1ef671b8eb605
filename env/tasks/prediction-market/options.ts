/**
 * prediction-market-v0's arguments: one JSON-able object with documented defaults, validated in
 * one place so a bad value fails at construction with the option's name, the value and what is
 * allowed.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { resolveTraders, type TraderConfig } from './traders.js';

export type ActionMode = 'discrete' | 'continuous';
/**
 * - `trading`: the LP's step P&L at the true probability without the revaluation of the inventory
 *   it held while the probability moved (fees and spread from traders, minus what informed
 *   traders and time-decay arbitrage take). Same expected episode return as `pnl`, far less noise.
 * - `pnl`: the step change of the LP's wealth at the true probability; sums to the profit at resolution.
 * - `sparse`: 0 until resolution, then the LP's profit.
 */
export type RewardMode = 'trading' | 'pnl' | 'sparse';

export interface PredictionMarketOptions {
  /** Steps from the open (t = 1) to resolution (t = 0); the last step resolves. Integer in [2, 100000]. Default 50. */
  horizon?: number;
  /** Collateral of the LP's first deposit, which sets liquidity multiple 1. Default 100. */
  initialCollateral?: number;
  /** σ of the latent start B0 ~ N(0, σ²); the opening probability is Φ(B0). 0 opens at ½. Default 0.5. */
  initialSpread?: number;
  /** Liquidity multiples of the first deposit the LP moves between, increasing, > 0. Default [0.25, 0.5, 1, 2, 4, 8]. */
  liquidityLevels?: readonly number[];
  /** Index into liquidityLevels at the open (and the fixed baseline's level). Default 2 (multiple 1). */
  initialLiquidityLevel?: number;
  /** Fee rates on trader input the LP moves between, increasing, in [0, 1). Default [0.01, 0.02, 0.03, 0.04, 0.05, 0.06]. */
  feeLevels?: readonly number[];
  /** Index into feeLevels at the open (and the fixed baseline's fee). Default 2 (3 %). */
  initialFeeLevel?: number;
  actionSpace?: ActionMode;
  reward?: RewardMode;
  traders?: Partial<TraderConfig>;
  /** 'ansi' (a text line per render) or null. Default null. */
  renderMode?: 'ansi' | null;
}

export interface ResolvedOptions {
  readonly horizon: number;
  readonly initialCollateral: number;
  readonly initialSpread: number;
  readonly liquidityLevels: readonly number[];
  readonly initialLiquidityLevel: number;
  readonly feeLevels: readonly number[];
  readonly initialFeeLevel: number;
  readonly actionSpace: ActionMode;
  readonly reward: RewardMode;
  readonly traders: TraderConfig;
  readonly renderMode: 'ansi' | null;
}

export const DEFAULT_LIQUIDITY_LEVELS: readonly number[] = Object.freeze([0.25, 0.5, 1, 2, 4, 8]);
export const DEFAULT_FEE_LEVELS: readonly number[] = Object.freeze([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);

export const PREDICTION_MARKET_DEFAULTS = Object.freeze({
  horizon: 50,
  initialCollateral: 100,
  initialSpread: 0.5,
  initialLiquidityLevel: 2,
  initialFeeLevel: 2,
  actionSpace: 'discrete' as ActionMode,
  reward: 'trading' as RewardMode,
});

const KEYS = [
  'horizon', 'initialCollateral', 'initialSpread', 'liquidityLevels', 'initialLiquidityLevel', 'feeLevels',
  'initialFeeLevel', 'actionSpace', 'reward', 'traders', 'renderMode',
];

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`prediction-market-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function numberIn(name: string, value: unknown, fallback: number, min: number, max: number, minExclusive: boolean): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;
  if (!ok) bad(name, value, `a finite number in ${minExclusive ? '(' : '['}${min}, ${max}]`);
  return value as number;
}

function levels(name: string, value: unknown, fallback: readonly number[], ok: (v: number) => boolean, range: string): readonly number[] {
  if (value === undefined) return fallback;
  const list = value as readonly unknown[];
  const valid = Array.isArray(list) && list.length > 0
    && list.every((v, i) => typeof v === 'number' && Number.isFinite(v) && ok(v) && (i === 0 || v > (list[i - 1] as number)));
  if (!valid) bad(name, value, `a non-empty, strictly increasing array of numbers in ${range}`);
  return Object.freeze([...(list as number[])]);
}

function index(name: string, value: unknown, fallback: number, length: number, levelsName: string): number {
  const i = value === undefined ? Math.min(fallback, length - 1) : value;
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= length) bad(name, value, `an integer index into ${levelsName}, 0 … ${length - 1}`);
  return i as number;
}

function choice<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) bad(name, value, allowed.map((a) => JSON.stringify(a)).join(' | '));
  return value as T;
}

export function resolveOptions(options: PredictionMarketOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') bad('(options)', options, 'an object of options');
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key)) bad(key, (options as Record<string, unknown>)[key], `no such option; known options are ${KEYS.join(', ')}`);
  }
  const d = PREDICTION_MARKET_DEFAULTS;
  const horizon = numberIn('horizon', options.horizon, d.horizon, 2, 100_000, false);
  if (!Number.isInteger(horizon)) bad('horizon', horizon, 'an integer in [2, 100000]');
  const liquidityLevels = levels('liquidityLevels', options.liquidityLevels, DEFAULT_LIQUIDITY_LEVELS, (v) => v > 0 && v <= 1e6, '(0, 1e6]');
  const feeLevels = levels('feeLevels', options.feeLevels, DEFAULT_FEE_LEVELS, (v) => v >= 0 && v < 1, '[0, 1)');
  return {
    horizon,
    initialCollateral: numberIn('initialCollateral', options.initialCollateral, d.initialCollateral, 0, 1e12, true),
    initialSpread: numberIn('initialSpread', options.initialSpread, d.initialSpread, 0, 10, false),
    liquidityLevels,
    initialLiquidityLevel: index('initialLiquidityLevel', options.initialLiquidityLevel, d.initialLiquidityLevel, liquidityLevels.length, 'liquidityLevels'),
    feeLevels,
    initialFeeLevel: index('initialFeeLevel', options.initialFeeLevel, d.initialFeeLevel, feeLevels.length, 'feeLevels'),
    actionSpace: choice('actionSpace', options.actionSpace, ['discrete', 'continuous'] as const, d.actionSpace),
    reward: choice('reward', options.reward, ['trading', 'pnl', 'sparse'] as const, d.reward),
    traders: resolveTraders(options.traders),
    renderMode: options.renderMode === undefined || options.renderMode === null ? null : choice('renderMode', options.renderMode, ['ansi'] as const, 'ansi'),
  };
}
