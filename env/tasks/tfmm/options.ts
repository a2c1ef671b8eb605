/**
 * tfmm-v0's arguments: one JSON-able object with documented defaults, validated in one place, so a
 * bad value fails at construction with the option's name, the value and what is allowed.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { INTERPOLATION_SCHEMES, isDyadicStepCount, type InterpolationScheme } from '../../amm/weighted/index.js';
import { makePriceProcess, type GbmConfig, type MertonConfig } from '../../market/index.js';

/** Where a discrete action moves the weights (see `targetWeights`). */
export type TargetKind = 'initial' | 'equal' | 'momentum' | 'anti-momentum';
export const TARGET_KINDS: readonly TargetKind[] = Object.freeze(['initial', 'equal', 'momentum', 'anti-momentum'] as const);

export type TfmmActionMode = 'discrete' | 'continuous';

export interface TfmmOptions {
  /** Number of tokens n, in [2, 8]. Default 3. */
  assets?: number;
  /** Weights at reset (each ≥ minWeight, summing to 1). Default equal, 1/n each. */
  initialWeights?: readonly number[];
  /** Pool value at reset, numeraire units. Default 1,000,000. */
  initialValue?: number;
  /** External prices at the start of the warm-up, numeraire per token. Default 1 each. */
  initialPrices?: readonly number[];
  /** Swap fee on the amount tendered, in [0, 0.1]. Default 0.003 (30 bp). */
  feeRate?: number;
  /** Seconds per block: one price move, one interpolation step of the weights, one arbitrage. Default 3600. */
  blockSec?: number;
  /**
   * Blocks per env step: the strategy decides once per step, the pool runs that many blocks in
   * between (QuantAMM: a daily strategy update, interpolated block by block). Default 24.
   */
  blocksPerStep?: number;
  /** External price process of every token (GBM or Merton). Default GBM, 80 % annual volatility, no drift. */
  price?: GbmConfig | MertonConfig;
  /** Per-token annualised volatility, overriding `price.volatility` (0 makes a stable token). */
  volatilities?: readonly number[];
  /**
   * Standard deviation of each token's annualised drift, drawn once per episode (from the env RNG)
   * and added to `price.drift`, so that momentum carries information. Tokens with volatility 0 get
   * none. Default 2.0 (trending regimes: ±16 % of drift over a 30-day episode at one σ).
   */
  driftStd?: number;
  /** Half-life of the momentum signal's exponential average, in blocks. Default 240 (10 days of hours). */
  momentumHalfLife?: number;
  /** Blocks of price history simulated before the episode starts (warms the signal up). Default 720. */
  warmupSteps?: number;
  /** Strength of the momentum tilt: target ∝ w_init·exp(±tilt·(z − mean z)). Default 1. */
  tilt?: number;
  /** Weight floor of every target (QuantAMM's absolute guard rail), in [0, 1/n). Default 0.05. */
  minWeight?: number;
  /** How the weights travel to a target. Default 'slerp'. */
  interpolation?: InterpolationScheme;
  /** The step counts f (in blocks) the discrete actions offer (powers of two for 'amgm'). Default [1, 16, 128]. */
  interpolationSteps?: readonly number[];
  /** The targets the discrete actions offer. Default ['initial', 'momentum', 'anti-momentum']. */
  targets?: readonly TargetKind[];
  actionSpace?: TfmmActionMode;
  /** Largest f (blocks) of the continuous action (a power of two). Default 128. */
  maxContinuousSteps?: number;
  /** 'ansi' (a text line per render) or null. Default null. */
  renderMode?: 'ansi' | null;
}

export interface ResolvedTfmmOptions {
  readonly assets: number;
  readonly initialWeights: readonly number[];
  readonly initialValue: number;
  readonly initialPrices: readonly number[];
  readonly feeRate: number;
  readonly blockSec: number;
  readonly blocksPerStep: number;
  readonly price: GbmConfig | MertonConfig;
  readonly volatilities: readonly number[];
  readonly driftStd: number;
  readonly momentumHalfLife: number;
  readonly warmupSteps: number;
  readonly tilt: number;
  readonly minWeight: number;
  readonly interpolation: InterpolationScheme;
  readonly interpolationSteps: readonly number[];
  readonly targets: readonly TargetKind[];
  readonly actionSpace: TfmmActionMode;
  readonly maxContinuousSteps: number;
  readonly renderMode: 'ansi' | null;
}

export const DEFAULT_TFMM_PRICE: GbmConfig = Object.freeze({ kind: 'gbm', drift: 0, volatility: 0.8 });

const KEYS: readonly (keyof TfmmOptions)[] = [
  'assets', 'initialWeights', 'initialValue', 'initialPrices', 'feeRate', 'blockSec', 'blocksPerStep', 'price', 'volatilities', 'driftStd',
  'momentumHalfLife', 'warmupSteps', 'tilt', 'minWeight', 'interpolation', 'interpolationSteps', 'targets', 'actionSpace',
  'maxContinuousSteps', 'renderMode',
];

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`tfmm-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function num(name: string, value: unknown, fallback: number, lo: number, hi: number, opts: { integer?: boolean; openLow?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (opts.openLow ? value > lo : value >= lo) && value <= hi
    && (opts.integer !== true || Number.isInteger(value));
  if (!ok) bad(name, value, `${opts.integer ? 'an integer' : 'a finite number'} in ${opts.openLow ? '(' : '['}${lo}, ${hi}]`);
  return value as number;
}

function vector(name: string, value: unknown, n: number, lo: number, openLow: boolean): number[] {
  if (!Array.isArray(value) || value.length !== n) bad(name, value, `an array of ${n} numbers (one per token)`);
  return (value as unknown[]).map((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || (openLow ? x <= lo : x < lo)) bad(`${name}[${i}]`, x, `a finite number ${openLow ? '>' : '≥'} ${lo}`);
    return x as number;
  });
}

export function resolveTfmmOptions(options: TfmmOptions = {}): ResolvedTfmmOptions {
  if (options === null || typeof options !== 'object') bad('(options)', options, 'an object of tfmm-v0 options');
  for (const key of Object.keys(options)) {
    if (!(KEYS as string[]).includes(key)) bad(key, (options as Record<string, unknown>)[key], `no such option; known options are ${KEYS.join(', ')}`);
  }
  const n = num('assets', options.assets, 3, 2, 8, { integer: true });
  const minWeight = num('minWeight', options.minWeight, 0.05, 0, 1 / n);
  if (minWeight >= 1 / n) bad('minWeight', minWeight, `a floor below 1/n = ${1 / n}`);

  let initialWeights = Array.from({ length: n }, () => 1 / n);
  if (options.initialWeights !== undefined) {
    initialWeights = vector('initialWeights', options.initialWeights, n, 0, true);
    const sum = initialWeights.reduce((s, x) => s + x, 0);
    if (Math.abs(sum - 1) > 1e-9) bad('initialWeights', options.initialWeights, `weights summing to 1 (got ${sum})`);
    initialWeights.forEach((w, i) => { if (w < minWeight) bad(`initialWeights[${i}]`, w, `a weight ≥ minWeight (${minWeight})`); });
  }
  const initialPrices = options.initialPrices === undefined ? new Array<number>(n).fill(1) : vector('initialPrices', options.initialPrices, n, 0, true);

  const price = options.price ?? DEFAULT_TFMM_PRICE;
  if (price === null || typeof price !== 'object' || (price.kind !== 'gbm' && price.kind !== 'merton')) {
    bad('price', price, "a price-process config with kind 'gbm' or 'merton' (replay has one series, not one per token)");
  }
  makePriceProcess(price, 'tfmm-v0 option price'); // validates every field, throws MarketConfigError naming it
  const volatilities = options.volatilities === undefined
    ? new Array<number>(n).fill(price.volatility)
    : vector('volatilities', options.volatilities, n, 0, false);
  if (volatilities.some((v) => v > 10)) bad('volatilities', options.volatilities, 'annualised volatilities ≤ 10');

  const interpolation = options.interpolation ?? 'slerp';
  if (!INTERPOLATION_SCHEMES.includes(interpolation)) bad('interpolation', interpolation, INTERPOLATION_SCHEMES.map((s) => `'${s}'`).join(' | '));
  const stepsGrid = options.interpolationSteps ?? [1, 16, 128];
  if (!Array.isArray(stepsGrid) || stepsGrid.length === 0) bad('interpolationSteps', stepsGrid, 'a non-empty array of step counts');
  stepsGrid.forEach((f, i) => {
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 1 || f > 4096) bad(`interpolationSteps[${i}]`, f, 'an integer in [1, 4096]');
    if (interpolation === 'amgm' && !isDyadicStepCount(f)) bad(`interpolationSteps[${i}]`, f, "a power of two with interpolation 'amgm' (bisection reaches only dyadic points)");
  });
  if (new Set(stepsGrid).size !== stepsGrid.length) bad('interpolationSteps', stepsGrid, 'distinct step counts');
  const targets = options.targets ?? ['initial', 'momentum', 'anti-momentum'];
  if (!Array.isArray(targets) || targets.length === 0) bad('targets', targets, `a non-empty array of ${TARGET_KINDS.map((t) => `'${t}'`).join(', ')}`);
  targets.forEach((t, i) => { if (!TARGET_KINDS.includes(t)) bad(`targets[${i}]`, t, TARGET_KINDS.map((k) => `'${k}'`).join(' | ')); });
  if (new Set(targets).size !== targets.length) bad('targets', targets, 'distinct targets');

  const actionSpace = options.actionSpace ?? 'discrete';
  if (actionSpace !== 'discrete' && actionSpace !== 'continuous') bad('actionSpace', actionSpace, "'discrete' | 'continuous'");
  const maxContinuousSteps = num('maxContinuousSteps', options.maxContinuousSteps, 128, 1, 4096, { integer: true });
  if (!isDyadicStepCount(maxContinuousSteps)) bad('maxContinuousSteps', maxContinuousSteps, 'a power of two in [1, 4096]');
  const renderMode = options.renderMode ?? null;
  if (renderMode !== null && renderMode !== 'ansi') bad('renderMode', renderMode, "'ansi' or null");

  return {
    assets: n,
    initialWeights,
    initialValue: num('initialValue', options.initialValue, 1_000_000, 0, 1e15, { openLow: true }),
    initialPrices,
    feeRate: num('feeRate', options.feeRate, 0.003, 0, 0.1),
    blockSec: num('blockSec', options.blockSec, 3600, 0, 86_400 * 7, { openLow: true }),
    blocksPerStep: num('blocksPerStep', options.blocksPerStep, 24, 1, 10_000, { integer: true }),
    price,
    volatilities,
    driftStd: num('driftStd', options.driftStd, 2, 0, 10),
    momentumHalfLife: num('momentumHalfLife', options.momentumHalfLife, 240, 0, 1e6, { openLow: true }),
    warmupSteps: num('warmupSteps', options.warmupSteps, 720, 0, 100_000, { integer: true }),
    tilt: num('tilt', options.tilt, 1, 0, 10, { openLow: true }),
    minWeight,
    interpolation,
    interpolationSteps: [...stepsGrid],
    targets: [...targets],
    actionSpace,
    maxContinuousSteps,
    renderMode,
  };
}
