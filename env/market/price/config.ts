/**
 * JSON-able price-process configs and their factory. Validation names the field, the value and what
 * is allowed; unknown fields are errors (a typo must not silently fall back to a default).
 */
import { MarketConfigError } from '../errors.js';
import { booleanField, checkChoice, checkObject, numberField } from '../validate.js';
import { GeometricBrownianMotion } from './gbm.js';
import { MertonJumpDiffusion } from './merton.js';
import type { PriceProcess } from './process.js';
import { ReplayPrice } from './replay.js';

export interface GbmConfig {
  readonly kind: 'gbm';
  /** Annualised expected return; default 0. */
  readonly drift?: number;
  /** Annualised volatility ≥ 0. */
  readonly volatility: number;
}

export interface MertonConfig {
  readonly kind: 'merton';
  /** Annualised total expected return (jumps compensated); default 0. */
  readonly drift?: number;
  readonly volatility: number;
  /** Jumps per year ≥ 0. */
  readonly jumpIntensity: number;
  /** Mean log jump; default 0. */
  readonly jumpMean?: number;
  /** Std of the log jump ≥ 0. */
  readonly jumpStd: number;
}

export interface ReplayConfig {
  readonly kind: 'replay';
  /** Prices in USD, one per step, each finite and > 0. */
  readonly prices: readonly number[];
  /** Default false. */
  readonly loop?: boolean;
  /** Default false. */
  readonly rescale?: boolean;
}

export type PriceProcessConfig = GbmConfig | MertonConfig | ReplayConfig;

export const PRICE_PROCESS_KINDS = ['gbm', 'merton', 'replay'] as const;

/** Builds a price process from a JSON config; throws `MarketConfigError` naming the bad field. */
export function makePriceProcess(config: PriceProcessConfig, where = 'priceProcess'): PriceProcess {
  if (config === null || typeof config !== 'object') {
    throw new MarketConfigError(where, config, `an object with kind ${PRICE_PROCESS_KINDS.map((k) => `'${k}'`).join(' | ')}`);
  }
  const kind = checkChoice(`${where}.kind`, (config as { kind?: unknown }).kind, PRICE_PROCESS_KINDS);
  switch (kind) {
    case 'gbm': {
      const c = checkObject(config, where, ['kind', 'drift', 'volatility']);
      return new GeometricBrownianMotion({
        drift: numberField(c, 'drift', where, 0),
        volatility: numberField(c, 'volatility', where, undefined, { min: 0 }),
      });
    }
    case 'merton': {
      const c = checkObject(config, where, ['kind', 'drift', 'volatility', 'jumpIntensity', 'jumpMean', 'jumpStd']);
      return new MertonJumpDiffusion({
        drift: numberField(c, 'drift', where, 0),
        volatility: numberField(c, 'volatility', where, undefined, { min: 0 }),
        jumpIntensity: numberField(c, 'jumpIntensity', where, undefined, { min: 0 }),
        jumpMean: numberField(c, 'jumpMean', where, 0),
        jumpStd: numberField(c, 'jumpStd', where, undefined, { min: 0 }),
      });
    }
    case 'replay': {
      const c = checkObject(config, where, ['kind', 'prices', 'loop', 'rescale']);
      const prices = (c as { prices?: unknown }).prices;
      if (!Array.isArray(prices) && !ArrayBuffer.isView(prices)) {
        throw new MarketConfigError(`${where}.prices`, prices, 'a non-empty array of finite prices > 0 (USD)');
      }
      return new ReplayPrice(prices as ArrayLike<number>, {
        loop: booleanField(c, 'loop', where, false),
        rescale: booleanField(c, 'rescale', where, false),
      });
    }
  }
}
