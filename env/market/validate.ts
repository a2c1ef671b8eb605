/**
 * Config validation shared by the price processes and the trader flow: every rule names the field,
 * the value and what is allowed (`MarketConfigError`). Configs are plain JSON objects, so unknown
 * keys are rejected too (a typo would otherwise silently fall back to a default).
 */
import { MarketConfigError } from './errors.js';

export interface NumberRule {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  readonly integer?: boolean;
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = [rule.integer === true ? 'a finite integer' : 'a finite number'];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ');
}

/** Throws unless `value` is a number satisfying `rule`; returns it. */
export function checkNumber(field: string, value: unknown, rule: NumberRule = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) throw new MarketConfigError(field, value, describeRule(rule));
  return value as number;
}

/** `obj[key]` checked by `rule`, or `fallback` when absent (undefined). */
export function numberField(obj: object, key: string, where: string, fallback: number | undefined, rule: NumberRule = {}): number {
  const value = (obj as Record<string, unknown>)[key];
  if (value === undefined) {
    if (fallback === undefined) throw new MarketConfigError(`${where}.${key}`, undefined, `${describeRule(rule)} (required)`);
    return fallback;
  }
  return checkNumber(`${where}.${key}`, value, rule);
}

export function booleanField(obj: object, key: string, where: string, fallback: boolean): boolean {
  const value = (obj as Record<string, unknown>)[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new MarketConfigError(`${where}.${key}`, value, 'true or false');
  return value;
}

/** Throws unless `obj` is a plain object whose keys are all in `allowed`. */
export function checkObject(value: unknown, where: string, allowed: readonly string[]): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MarketConfigError(where, value, `an object with keys ${allowed.join(', ')}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new MarketConfigError(`${where}.${key}`, (value as Record<string, unknown>)[key], `no such field; allowed fields are ${allowed.join(', ')}`);
  }
  return value;
}

/** Throws unless `value` is one of `choices`. */
export function checkChoice<T extends string>(field: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new MarketConfigError(field, value, `one of ${choices.map((c) => `'${c}'`).join(', ')}`);
  }
  return value as T;
}
