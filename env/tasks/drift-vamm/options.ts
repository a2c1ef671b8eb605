/**
 * drift-vamm-v0's arguments: one JSON-able object with documented defaults, validated in one place
 * so a bad value fails at construction with the option's name, the value and what is allowed.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../amm/drift-v1/protocol.js';
import { ENGINE_KINDS, type EngineKind } from '../../amm/drift-v1/engine.js';
import type { PriceProcessConfig, TraderFlowConfig } from '../../market/index.js';
import { MARKET_PRESETS, MARKET_SYMBOLS, type MarketPreset } from './presets.js';
import { calibratedTraderFlow } from './calibration.js';

export type ObservationMode = 'default' | 'imbalance';
export type ActionMode = 'discrete' | 'continuous';
export type RewardMode = 'fee-pool' | 'seed';

/** An explicit starting curve and fee pool, raw protocol units (as in `MarketPreset`). */
export type CustomMarket = Omit<MarketPreset, 'symbol' | 'marketIndex' | 'recordId' | 'recordTs'>;

export interface DriftVammOptions {
  /** Starting state: a preset symbol (SOL, BTC, ETH, LUNA, AVAX, BNB, MATIC, ATOM) or an explicit curve. Default 'SOL'. */
  market?: string | CustomMarket;
  /** Program semantics (drift-v1 protocol table). Default 'jan2022'. */
  protocol?: ProtocolVersion;
  /**
   * 'float' (default): the float64 twin, for training speed. 'exact': the bigint program math for
   * every trade, adjustment and funding update (~100× slower; for checking results to the unit).
   */
  engine?: EngineKind;
  /** Seconds of market time per step. Default 60. */
  stepSec?: number;
  /** Steps per episode used to scale the time-of-episode feature (make() truncates with maxEpisodeSteps). Default 1440. */
  horizon?: number;
  observation?: ObservationMode;
  actionSpace?: ActionMode;
  /** Relative sqrt_k moves of the discrete 'k up' / 'k down' actions, each in (0, 0.5). Default [0.01]. */
  kDeltas?: readonly number[];
  /** Largest |log k scale| of the continuous action. Default 0.02. */
  kDeltaMax?: number;
  /**
   * The env's reach for the admin (not a program guard): sqrt_k stays within [s0/kRange, s0·kRange]
   * of its value at reset; an update_k beyond is rejected ('KOutOfRange [kRange]'). Far outside, the
   * program's own update_k rounding pays the protocol sums that grow with k, and a policy learns to
   * farm them. Default 10.
   */
  kRange?: number;
  reward?: RewardMode;
  /** USD subtracted from the reward when the protocol rejects the action. Default 0.5. */
  rejectionPenaltyUsd?: number;
  /** Oracle confidence interval, basis points of the price. Default 5. */
  oracleConfidenceBps?: number;
  /** The episode terminates when |mark/oracle − 1| exceeds this. Default 0.5. */
  maxDivergence?: number;
  /** Oracle price process; the path starts at the market's mark price. Default GBM, 80 % annual volatility, no drift. */
  oracle?: PriceProcessConfig;
  /** Trader population (arrivals, informed share λi, sizes, holding times, volume model). */
  traders?: Partial<TraderFlowConfig>;
  /**
   * Start from the market's trader flow calibrated on Drift v1 history (calibration.ts:
   * CALIBRATED_MARKETS, scaled to `stepSec`); fields given in `traders` still override. Needs a
   * preset market. Default false.
   */
  calibrated?: boolean;
  /** 'ansi' (a text line per render) or null. Default null. */
  renderMode?: 'ansi' | null;
  /**
   * 'auto' (default): step on the struct-of-arrays kernel (vector/kernel.ts, one sub-env) when it
   * implements the options (float engine, jan2022, GBM oracle), else on the engine + trader-flow
   * objects. 'reference': always the objects (the kernel's differential tests compare against it).
   * Both give the same trajectories bit for bit.
   */
  implementation?: Implementation;
}

export type Implementation = 'auto' | 'reference';

export interface ResolvedOptions {
  readonly market: CustomMarket & { readonly symbol: string };
  readonly protocol: ProtocolVersion;
  readonly engine: EngineKind;
  readonly stepSec: number;
  readonly horizon: number;
  readonly observation: ObservationMode;
  readonly actionSpace: ActionMode;
  readonly kDeltas: readonly number[];
  readonly kDeltaMax: number;
  readonly kRange: number;
  readonly reward: RewardMode;
  readonly rejectionPenaltyUsd: number;
  readonly oracleConfidenceBps: number;
  readonly maxDivergence: number;
  readonly oracle: PriceProcessConfig;
  readonly traders: Partial<TraderFlowConfig>;
  readonly renderMode: 'ansi' | null;
  readonly calibrated: boolean;
  readonly implementation: Implementation;
}

export const DEFAULT_ORACLE: PriceProcessConfig = Object.freeze({ kind: 'gbm', drift: 0, volatility: 0.8 });

const KEYS = new Set([
  'market', 'protocol', 'engine', 'stepSec', 'horizon', 'observation', 'actionSpace', 'kDeltas', 'kDeltaMax', 'kRange', 'reward',
  'rejectionPenaltyUsd', 'oracleConfidenceBps', 'maxDivergence', 'oracle', 'traders', 'renderMode', 'calibrated',
  'implementation',
]);

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`drift-vamm-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function positive(name: string, value: unknown, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    return bad(name, value, `a finite number in (0, ${max}]`);
  }
  return value;
}

function choice<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) return bad(name, value, allowed.map((a) => JSON.stringify(a)).join(' | '));
  return value as T;
}

function resolveMarket(value: unknown): ResolvedOptions['market'] {
  if (value === undefined) return MARKET_PRESETS.SOL;
  if (typeof value === 'string') {
    const preset = MARKET_PRESETS[value.toUpperCase()];
    if (preset === undefined) return bad('market', value, `a preset (${MARKET_SYMBOLS.join(', ')}) or an explicit curve object`);
    return preset;
  }
  if (typeof value !== 'object' || value === null) return bad('market', value, `a preset (${MARKET_SYMBOLS.join(', ')}) or an explicit curve object`);
  const m = value as Record<string, unknown>;
  const field = (k: keyof CustomMarket, min: number) => {
    const v = m[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) bad(`market.${k}`, v, `a finite number ≥ ${min} (raw protocol units)`);
    return v as number;
  };
  return {
    symbol: 'custom',
    baseAssetReserve: field('baseAssetReserve', 1),
    quoteAssetReserve: field('quoteAssetReserve', 1),
    sqrtK: field('sqrtK', 1),
    pegMultiplier: field('pegMultiplier', 1),
    totalFee: field('totalFee', 0),
    totalFeeMinusDistributions: field('totalFeeMinusDistributions', 0),
  };
}

export function resolveOptions(options: DriftVammOptions = {}): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) bad(key, (options as Record<string, unknown>)[key], `no such option; known options are ${[...KEYS].join(', ')}`);
  }
  const kDeltas = options.kDeltas ?? [0.01];
  if (!Array.isArray(kDeltas) || kDeltas.length === 0 || !kDeltas.every((d) => typeof d === 'number' && d > 0 && d < 0.5)) {
    bad('kDeltas', kDeltas, 'a non-empty array of numbers in (0, 0.5)');
  }
  const horizon = positive('horizon', options.horizon, 1440);
  if (!Number.isInteger(horizon)) bad('horizon', horizon, 'a positive integer');
  const penalty = options.rejectionPenaltyUsd ?? 0.5;
  if (typeof penalty !== 'number' || !Number.isFinite(penalty) || penalty < 0) bad('rejectionPenaltyUsd', penalty, 'a finite number ≥ 0');
  if (options.traders !== undefined && (typeof options.traders !== 'object' || options.traders === null)) {
    bad('traders', options.traders, 'an object of TraderFlowConfig fields');
  }
  const calibrated = options.calibrated ?? false;
  if (typeof calibrated !== 'boolean') bad('calibrated', calibrated, 'true | false');
  const market = resolveMarket(options.market);
  const stepSec = positive('stepSec', options.stepSec, 60, 86_400);
  const traders = calibrated
    ? { ...calibratedTraderFlow(typeof options.market === 'object' ? 'an explicit curve' : market.symbol, stepSec), ...options.traders }
    : options.traders ?? {};
  return {
    market,
    protocol: choice('protocol', options.protocol, PROTOCOL_VERSIONS, 'jan2022'),
    engine: choice('engine', options.engine, ENGINE_KINDS, 'float'),
    stepSec,
    horizon,
    observation: choice('observation', options.observation, ['default', 'imbalance'] as const, 'default'),
    actionSpace: choice('actionSpace', options.actionSpace, ['discrete', 'continuous'] as const, 'discrete'),
    kDeltas: [...kDeltas],
    kDeltaMax: positive('kDeltaMax', options.kDeltaMax, 0.02, 0.5),
    kRange: positive('kRange', options.kRange, 10),
    reward: choice('reward', options.reward, ['fee-pool', 'seed'] as const, 'fee-pool'),
    rejectionPenaltyUsd: penalty,
    oracleConfidenceBps: positive('oracleConfidenceBps', options.oracleConfidenceBps, 5, 2_500),
    maxDivergence: positive('maxDivergence', options.maxDivergence, 0.5, 10),
    oracle: options.oracle ?? DEFAULT_ORACLE,
    traders,
    renderMode: options.renderMode === undefined || options.renderMode === null ? null : choice('renderMode', options.renderMode, ['ansi'] as const, 'ansi'),
    calibrated,
    implementation: choice('implementation', options.implementation, ['auto', 'reference'] as const, 'auto'),
  };
}
