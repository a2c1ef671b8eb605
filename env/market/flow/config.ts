/**
 * `TraderFlowConfig`: the JSON-able description of the trader population, its defaults and its
 * validation. Defaults are a plausible 1-minute-step market; the sizes follow the one real trade
 * window we have (SOL-PERP, 2022-01-06: median notional $1,220, log-σ 1.5, ~5 trades/min), scaled
 * down to ~1 arrival per step so the env stays fast. The data issue will calibrate them.
 */
import { checkChoice, checkObject, numberField, booleanField } from '../validate.js';
import { MarketConfigError } from '../errors.js';

/**
 * How many uninformed traders arrive per step, as a function of the curve (the source's "volume is
 * a function of price and liquidity depth", damm-parameter-optimization.md §2.2.2).
 *
 * - `elastic`: λu = baseArrivalsPerStep·min((k/k0)^elasticity, maxMultiple), k = sqrt_k², k0 = k at
 *   `reset`. Scale-free, so it fits any market preset; ε = 0.5 makes volume proportional to √k
 *   (depth). Demand is finite: depth attracts flow up to `maxMultiple` times the base rate (default
 *   4: with ε = 0.5, until √k has quadrupled), after which more k only costs. Without the
 *   ceiling the fee-pool reward grows without bound in k and a policy learns to raise k forever.
 * - `linear`: expected uninformed USD volume per step V = beta0 + beta1·price + beta2·K, clamped at
 *   ≥ 0, with price the mark in USD and K = √k in base-asset units (sqrt_k/1e13, `kUnits: 'sqrtK'`,
 *   the default) or k in base units² ((sqrt_k/1e13)², `kUnits: 'k'`); λu = V / E[notional], where
 *   E[notional] = uninformedMedianUsd·exp(σ²/2).
 */
export type VolumeModelConfig =
  | {
      readonly kind: 'elastic';
      readonly baseArrivalsPerStep: number;
      readonly elasticity: number;
      /** Ceiling on (k/k0)^ε, > 0. Default 4. */
      readonly maxMultiple?: number;
    }
  | {
      readonly kind: 'linear';
      /** USD per step. Default 0. */
      readonly beta0?: number;
      /** USD per step per USD of mark price. Default 0. */
      readonly beta1?: number;
      /** USD per step per unit of K. Default 0.12 (with kUnits 'sqrtK'). */
      readonly beta2?: number;
      /** Default 'sqrtK'. */
      readonly kUnits?: 'sqrtK' | 'k';
    };

export interface TraderFlowConfig {
  /** λi: probability that an arrival is informed; in [0, 1). Default 0.2. */
  readonly informedShare: number;
  /** Largest informed notional, USD. Default 50,000. */
  readonly informedMaxUsd: number;
  /** Informed traders abstain when the expected profit (at the oracle, net of fee) is below this, USD. Default 1. */
  readonly informedMinProfitUsd: number;
  /** Median uninformed notional, USD (lognormal). Default 1,000. */
  readonly uninformedMedianUsd: number;
  /** σ of the log uninformed notional. Default 1.5. */
  readonly uninformedSigma: number;
  /** Mean holding time in steps (geometric, ≥ 1). Default 60. */
  readonly meanHoldingSteps: number;
  /** Default `{ kind: 'elastic', baseArrivalsPerStep: 0.8, elasticity: 0.5, maxMultiple: 4 }` (with λi = 0.2: 1 arrival per step at k0). */
  readonly volumeModel: VolumeModelConfig;
  /**
   * Pass the oracle to every trade, as the program does: trades update the oracle TWAP and the
   * mark/oracle divergence guard can reject them (counted in `rejected`). Default true.
   */
  readonly oracleGuards: boolean;
  /**
   * Ceiling on the expected arrivals per step (informed + uninformed). An elastic or linear model
   * grows without bound as k grows; the ceiling keeps a runaway k from stalling a rollout. Default 1,000.
   */
  readonly maxArrivalsPerStep: number;
}

export const DEFAULT_VOLUME_MODEL: VolumeModelConfig = Object.freeze({ kind: 'elastic', baseArrivalsPerStep: 0.8, elasticity: 0.5, maxMultiple: 4 });

/**
 * Linear model defaults: V = 0.12 USD per step per base unit of √k, so SOL-PERP's first recorded
 * curve (√k ≈ 20,081 SOL, the drift-vamm default market) sees V ≈ $2.4k per step, i.e. ≈ 0.8
 * uninformed arrivals like the elastic default. Per-market calibration is the data issue's job
 * (SOL's √k was ~8× larger by 2022-01-06, and BTC's is ~92 BTC).
 */
export const DEFAULT_LINEAR_VOLUME_MODEL = Object.freeze({ kind: 'linear', beta0: 0, beta1: 0, beta2: 0.12, kUnits: 'sqrtK' } as const);

export const DEFAULT_TRADER_FLOW_CONFIG: TraderFlowConfig = Object.freeze({
  informedShare: 0.2,
  informedMaxUsd: 50_000,
  informedMinProfitUsd: 1,
  uninformedMedianUsd: 1_000,
  uninformedSigma: 1.5,
  meanHoldingSteps: 60,
  volumeModel: DEFAULT_VOLUME_MODEL,
  oracleGuards: true,
  maxArrivalsPerStep: 1_000,
});

const FLOW_KEYS = Object.keys(DEFAULT_TRADER_FLOW_CONFIG);

export const VOLUME_MODEL_KINDS = ['elastic', 'linear'] as const;

function resolveVolumeModel(value: unknown, where: string): VolumeModelConfig {
  if (value === undefined) return DEFAULT_VOLUME_MODEL;
  if (value === null || typeof value !== 'object') {
    throw new MarketConfigError(where, value, `an object with kind ${VOLUME_MODEL_KINDS.map((k) => `'${k}'`).join(' | ')}`);
  }
  const kind = checkChoice(`${where}.kind`, (value as { kind?: unknown }).kind, VOLUME_MODEL_KINDS);
  if (kind === 'elastic') {
    const c = checkObject(value, where, ['kind', 'baseArrivalsPerStep', 'elasticity', 'maxMultiple']);
    return Object.freeze({
      kind,
      baseArrivalsPerStep: numberField(c, 'baseArrivalsPerStep', where, 0.8, { min: 0 }),
      elasticity: numberField(c, 'elasticity', where, 0.5),
      maxMultiple: numberField(c, 'maxMultiple', where, 4, { above: 0 }),
    });
  }
  const c = checkObject(value, where, ['kind', 'beta0', 'beta1', 'beta2', 'kUnits']);
  const kUnits = (c as { kUnits?: unknown }).kUnits;
  return Object.freeze({
    kind,
    beta0: numberField(c, 'beta0', where, DEFAULT_LINEAR_VOLUME_MODEL.beta0),
    beta1: numberField(c, 'beta1', where, DEFAULT_LINEAR_VOLUME_MODEL.beta1),
    beta2: numberField(c, 'beta2', where, DEFAULT_LINEAR_VOLUME_MODEL.beta2),
    kUnits: kUnits === undefined ? DEFAULT_LINEAR_VOLUME_MODEL.kUnits : checkChoice(`${where}.kUnits`, kUnits, ['sqrtK', 'k'] as const),
  });
}

/** Defaults filled in and every field checked; throws `MarketConfigError` naming the field. */
export function resolveTraderFlowConfig(config: Partial<TraderFlowConfig> = {}, where = 'traderFlow'): TraderFlowConfig {
  const c = checkObject(config, where, FLOW_KEYS);
  const d = DEFAULT_TRADER_FLOW_CONFIG;
  return Object.freeze({
    informedShare: numberField(c, 'informedShare', where, d.informedShare, { min: 0, below: 1 }),
    informedMaxUsd: numberField(c, 'informedMaxUsd', where, d.informedMaxUsd, { above: 0 }),
    informedMinProfitUsd: numberField(c, 'informedMinProfitUsd', where, d.informedMinProfitUsd, { min: 0 }),
    uninformedMedianUsd: numberField(c, 'uninformedMedianUsd', where, d.uninformedMedianUsd, { above: 0 }),
    uninformedSigma: numberField(c, 'uninformedSigma', where, d.uninformedSigma, { min: 0 }),
    meanHoldingSteps: numberField(c, 'meanHoldingSteps', where, d.meanHoldingSteps, { min: 1 }),
    volumeModel: resolveVolumeModel((c as { volumeModel?: unknown }).volumeModel, `${where}.volumeModel`),
    oracleGuards: booleanField(c, 'oracleGuards', where, d.oracleGuards),
    maxArrivalsPerStep: numberField(c, 'maxArrivalsPerStep', where, d.maxArrivalsPerStep, { above: 0 }),
  });
}
