import { InvalidArgumentError } from '../env/core/errors.js';

/** `--env-options '{"market":"BTC"}'`: the env's make() kwargs as a JSON object. */
export function parseEnvOptions(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`--env-options: not valid JSON (${(err as Error).message}); expected an object such as '{"market":"BTC"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`--env-options: expected a JSON object such as '{"market":"BTC"}', got ${text}`);
  }
  return value as Record<string, unknown>;
}
