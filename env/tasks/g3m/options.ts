/**
 * g3m-v0's arguments: one JSON-able object with documented defaults, validated in one place so a
 * bad value fails at construction with the option's name, the value and what is allowed.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import type { PriceProcessConfig } from '../../market/price/config.js';

export type G3mActionMode = 'discrete' | 'continuous';

/** Uninformed ("noise") order flow: Poisson arrivals, lognormal sizes, a random tolerance for execution cost. */
export interface NoiseFlowConfig {
  /** Expected arrivals per block (Poisson). Default 0.05 (360 a day with 12 s blocks). */
  readonly arrivalsPerBlock: number;
  /** Median order size, numeraire units (lognormal). Default 2000. */
  readonly sizeMedian: number;
  /** σ of the log order size. Default 1. */
  readonly sizeSigma: number;
  /**
   * Mean of each trader's exponential tolerance for the all-in execution cost (fee + slippage +
   * mispricing, as a fraction of the value paid, at the external price); a trader whose cost
   * exceeds the tolerance goes elsewhere. Default 0.005 (50 bp). This is what makes flow respond to fee and p.
   */
  readonly costToleranceMean: number;
}

export interface G3mEnvOptions {
  /** External price of the risky asset at reset, numeraire per token; also the curve's reference price. Default 100. */
  initialPrice?: number;
  /** Pool value at reset, numeraire units. Default 1 000 000. */
  poolValue?: number;
  /** Weight of the risky asset, in (0, 1) (the numeraire has 1 − weight). Default 0.5. */
  weight?: number;
  /** Values of p the discrete actions step through, strictly increasing, each in [0, 1). Default [0, 0.25, 0.5, 0.75, 0.9]. */
  pGrid?: readonly number[];
  /** Fees (fractions of the input) the discrete actions step through, strictly increasing, each in [0, 0.1]. Default [0.001, 0.003, 0.005, 0.01]. */
  feeGrid?: readonly number[];
  /** p at reset; must be in pGrid. Default 0 (the geometric mean: Balancer, Uniswap v2 at weight ½). */
  initialP?: number;
  /** Fee at reset; must be in feeGrid. Default 0.003 (30 bp, Uniswap v2's). */
  initialFee?: number;
  /** Seconds per block (one external-price move, one arbitrage opportunity). Default 12. */
  blockSec?: number;
  /** Blocks per env step. Default 25 (5 minutes). */
  blocksPerStep?: number;
  /** Steps per episode used to scale the time-of-episode feature (make() truncates with maxEpisodeSteps). Default 288 (one day). */
  horizon?: number;
  /** External price process (starts at initialPrice). Default GBM, 80 % annual volatility, no drift. */
  price?: PriceProcessConfig;
  /** Noise flow; missing fields take their defaults. */
  noise?: Partial<NoiseFlowConfig>;
  actionSpace?: G3mActionMode;
  /** 'ansi' (a text line per render) or null. Default null. */
  renderMode?: 'ansi' | null;
}

export interface ResolvedG3mOptions {
  readonly initialPrice: number;
  readonly poolValue: number;
  readonly weight: number;
  readonly pGrid: readonly number[];
  readonly feeGrid: readonly number[];
  readonly initialP: number;
  readonly initialFee: number;
  readonly blockSec: number;
  readonly blocksPerStep: number;
  readonly horizon: number;
  readonly price: PriceProcessConfig;
  readonly noise: NoiseFlowConfig;
  readonly actionSpace: G3mActionMode;
  readonly renderMode: 'ansi' | null;
}

export const DEFAULT_G3M_PRICE: PriceProcessConfig = Object.freeze({ kind: 'gbm', drift: 0, volatility: 0.8 });
export const DEFAULT_NOISE_FLOW: NoiseFlowConfig = Object.freeze({
  arrivalsPerBlock: 0.05, sizeMedian: 2000, sizeSigma: 1, costToleranceMean: 0.005,
});
export const DEFAULT_P_GRID: readonly number[] = Object.freeze([0, 0.25, 0.5, 0.75, 0.9]);
export const DEFAULT_FEE_GRID: readonly number[] = Object.freeze([0.001, 0.003, 0.005, 0.01]);

const KEYS = new Set([
  'initialPrice', 'poolValue', 'weight', 'pGrid', 'feeGrid', 'initialP', 'initialFee', 'blockSec', 'blocksPerStep',
  'horizon', 'price', 'noise', 'actionSpace', 'renderMode',
]);
const NOISE_KEYS = Object.keys(DEFAULT_NOISE_FLOW) as (keyof NoiseFlowConfig)[];

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`g3m-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function number(name: string, value: unknown, fallback: number, ok: (v: number) => boolean, allowed: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) return bad(name, value, allowed);
  return value;
}

function integer(name: string, value: unknown, fallback: number): number {
  return number(name, value, fallback, (v) => Number.isInteger(v) && v >= 1 && v <= 1e6, 'an integer in [1, 1e6]');
}

function grid(name: string, value: unknown, fallback: readonly number[], lo: number, hi: number, hiOpen: boolean): number[] {
  if (value === undefined) return [...fallback];
  const allowed = `a non-empty, strictly increasing array of numbers in [${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  if (!Array.isArray(value) || value.length === 0) return bad(name, value, allowed);
  value.forEach((v, k) => {
    const inRange = typeof v === 'number' && Number.isFinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi);
    if (!inRange || (k > 0 && !(v > value[k - 1]))) bad(`${name}[${k}]`, v, allowed);
  });
  return [...(value as number[])];
}

function resolveNoise(value: unknown): NoiseFlowConfig {
  if (value === undefined) return DEFAULT_NOISE_FLOW;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('noise', value, `an object with fields ${NOISE_KEYS.join(', ')}`);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (!(NOISE_KEYS as string[]).includes(key)) bad(`noise.${key}`, v[key], `no such field; known fields are ${NOISE_KEYS.join(', ')}`);
  const d = DEFAULT_NOISE_FLOW;
  return {
    arrivalsPerBlock: number('noise.arrivalsPerBlock', v.arrivalsPerBlock, d.arrivalsPerBlock, (x) => x >= 0 && x <= 1000, 'a number in [0, 1000]'),
    sizeMedian: number('noise.sizeMedian', v.sizeMedian, d.sizeMedian, (x) => x > 0, 'a number > 0 (numeraire)'),
    sizeSigma: number('noise.sizeSigma', v.sizeSigma, d.sizeSigma, (x) => x >= 0 && x <= 5, 'a number in [0, 5]'),
    costToleranceMean: number('noise.costToleranceMean', v.costToleranceMean, d.costToleranceMean, (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
  };
}

export function resolveG3mOptions(options: G3mEnvOptions = {}): ResolvedG3mOptions {
  if (typeof options !== 'object' || options === null) bad('(options)', options, 'an object of g3m-v0 options');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) bad(key, (options as Record<string, unknown>)[key], `no such option; known options are ${[...KEYS].join(', ')}`);
  }
  const pGrid = grid('pGrid', options.pGrid, DEFAULT_P_GRID, 0, 1, true);
  const feeGrid = grid('feeGrid', options.feeGrid, DEFAULT_FEE_GRID, 0, 0.1, false);
  const initialP = number('initialP', options.initialP, pGrid.includes(0) ? 0 : pGrid[0]!, (v) => pGrid.includes(v), `one of pGrid: ${pGrid.join(', ')}`);
  const initialFee = number('initialFee', options.initialFee, feeGrid.includes(0.003) ? 0.003 : feeGrid[0]!, (v) => feeGrid.includes(v), `one of feeGrid: ${feeGrid.join(', ')}`);
  const price = options.price ?? DEFAULT_G3M_PRICE;
  if (typeof price !== 'object' || price === null) bad('price', price, "a price-process config, e.g. { kind: 'gbm', volatility: 0.8 }");
  return {
    initialPrice: number('initialPrice', options.initialPrice, 100, (v) => v > 0, 'a number > 0 (numeraire per token)'),
    poolValue: number('poolValue', options.poolValue, 1_000_000, (v) => v > 0, 'a number > 0 (numeraire)'),
    weight: number('weight', options.weight, 0.5, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    pGrid,
    feeGrid,
    initialP,
    initialFee,
    blockSec: number('blockSec', options.blockSec, 12, (v) => v > 0 && v <= 86_400, 'a number in (0, 86400] (seconds)'),
    blocksPerStep: integer('blocksPerStep', options.blocksPerStep, 25),
    horizon: integer('horizon', options.horizon, 288),
    price,
    noise: resolveNoise(options.noise),
    actionSpace: options.actionSpace === undefined ? 'discrete'
      : options.actionSpace === 'discrete' || options.actionSpace === 'continuous' ? options.actionSpace
        : bad('actionSpace', options.actionSpace, "'discrete' | 'continuous'"),
    renderMode: options.renderMode === undefined || options.renderMode === null ? null
      : options.renderMode === 'ansi' ? 'ansi' : bad('renderMode', options.renderMode, "'ansi' or null"),
  };
}
