import { InvalidArgumentError } from '../env/core/errors.js';
import type { ReplaySeries } from '../env/tasks/drift-replay/series.js';
import { loadReplaySeries } from '../data/drift-v1/replaySeries.js';

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

/** The `--market` flag of train, evaluate and compare. */
export const MARKET_OPTION = {
  type: 'string',
  describe: 'Drift market (SOL, BTC, …): drift-vamm-v0\'s preset, or the history drift-replay-v0 replays (default SOL)',
} as const;

/** Whether an env id replays recorded history (and so needs a `series`). */
export function isReplayEnv(envId: string): boolean {
  return envId.startsWith('drift-replay');
}

/**
 * The `--market` flag in make() kwargs: drift-vamm-v0's preset, or the loaded history of
 * drift-replay-v0 (which cannot be made without one).
 */
export function withMarket(envId: string, kwargs: Record<string, unknown>, market: string | undefined, series: ReplaySeries | undefined): Record<string, unknown> {
  if (isReplayEnv(envId)) {
    if (series === undefined) throw new InvalidArgumentError(`--env ${envId}: needs a market history (--market SYMBOL)`);
    return { ...kwargs, series };
  }
  return market === undefined ? kwargs : { ...kwargs, market };
}

/** The history a replay env needs, loaded from the data directory (undefined for other envs). */
export async function loadSeriesFor(envId: string, market: string | undefined, dataDir: string | undefined): Promise<ReplaySeries | undefined> {
  return isReplayEnv(envId) ? loadReplaySeries({ market: market ?? 'SOL', dataDir }) : undefined;
}

/** What results files record about a replayed history (not the series itself, which can be large). */
export function describeSeries(s: ReplaySeries): Record<string, string | number> {
  return {
    market: s.market, startRecordId: s.start.recordId, start: new Date(s.start.ts * 1000).toISOString(),
    end: new Date(s.endTs * 1000).toISOString(), oracleRecords: s.oracleTs.length, adminEvents: s.events.length,
  };
}

/** make() kwargs fit for a results file: a replay's series replaced by its description. */
export function recordableKwargs(kwargs: Record<string, unknown>): Record<string, unknown> {
  const { series, ...rest } = kwargs;
  return series === undefined ? rest : { ...rest, series: describeSeries(series as ReplaySeries) };
}
