/**
 * The history a drift-replay-v0 episode replays, as plain JSON-able data (built from Drift v1's
 * curve and funding histories by `data/drift-v1/replaySeries.ts`, or by hand / a simulator in
 * tests). Raw protocol units as in the presets: reserves and sqrt_k 1e13, peg 1e3, fees 1e6.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../amm/drift-v1/protocol.js';

/** The AMM as recorded at the episode's start (a curve record's before-state). */
export interface ReplayStart {
  /** The curve record the state comes from (−1 when not from a record). */
  readonly recordId: number;
  /** Its time, unix seconds: the episode's first step starts here. */
  readonly ts: number;
  readonly baseAssetReserve: number;
  readonly quoteAssetReserve: number;
  readonly sqrtK: number;
  readonly pegMultiplier: number;
  readonly totalFee: number;
  readonly totalFeeMinusDistributions: number;
  /** Open interest held by users at the start, base raw (1e13), both ≥ 0 (the short side as its absolute value). */
  readonly baseAssetAmountLong: number;
  readonly baseAssetAmountShort: number;
}

/** One recorded admin action (a curve record): the peg and sqrt_k it set, and what it cost then. */
export interface ReplayAdminEvent {
  readonly ts: number;
  readonly recordId: number;
  readonly kind: 'repeg' | 'k' | 'none';
  readonly pegMultiplierAfter: number;
  readonly sqrtKAfter: number;
  /** The recorded adjustment cost, USD (positive: the protocol paid). */
  readonly adjustmentCostUsd: number;
}

export interface ReplaySeries {
  /** Market symbol (SOL, BTC, …). */
  readonly market: string;
  readonly marketIndex: number;
  /** The program version deployed at the start (the env's default semantics). */
  readonly protocol?: ProtocolVersion;
  readonly start: ReplayStart;
  /** The market's hourly oracle TWAPs (funding records): times (unix s, non-decreasing) and prices (USD). */
  readonly oracleTs: readonly number[];
  readonly oracleUsd: readonly number[];
  /** The recorded mark TWAPs at the same times (USD), kept for comparison; the simulation never reads them. */
  readonly markTwapUsd: readonly number[];
  /** The admin's recorded actions in time order, from `start.ts` on. */
  readonly events: readonly ReplayAdminEvent[];
  /** The last time the series covers, unix seconds. */
  readonly endTs: number;
}

function fail(field: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`drift-replay-v0 option series.${field}: got ${describeValue(value)}; allowed: ${allowed}`);
}

function finite(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(field, value, `a finite number ≥ ${min}`);
  return value;
}

/** Check a series handed to make(): every field present, typed and in range; times ordered. */
export function validateReplaySeries(value: unknown): ReplaySeries {
  if (typeof value !== 'object' || value === null) {
    return fail('', value, 'a ReplaySeries object: build one with `await loadReplaySeries({ market: \'SOL\' })` (damm-gym data loaders)');
  }
  const s = value as ReplaySeries;
  if (typeof s.market !== 'string') fail('market', s.market, 'a market symbol string');
  finite('marketIndex', s.marketIndex, 0);
  if (s.protocol !== undefined && !PROTOCOL_VERSIONS.includes(s.protocol)) fail('protocol', s.protocol, PROTOCOL_VERSIONS.join(' | '));
  if (typeof s.start !== 'object' || s.start === null) fail('start', s.start, 'the recorded starting state');
  finite('start.ts', s.start.ts, 0);
  for (const k of ['baseAssetReserve', 'quoteAssetReserve', 'sqrtK', 'pegMultiplier'] as const) finite(`start.${k}`, s.start[k], 1);
  for (const k of ['totalFee', 'totalFeeMinusDistributions', 'baseAssetAmountLong', 'baseAssetAmountShort'] as const) finite(`start.${k}`, s.start[k], 0);
  const n = Array.isArray(s.oracleTs) ? s.oracleTs.length : -1;
  if (n < 1) fail('oracleTs', s.oracleTs, 'a non-empty array of unix seconds');
  if (!Array.isArray(s.oracleUsd) || s.oracleUsd.length !== n) fail('oracleUsd', s.oracleUsd, `an array of ${n} prices (one per oracleTs)`);
  if (!Array.isArray(s.markTwapUsd) || s.markTwapUsd.length !== n) fail('markTwapUsd', s.markTwapUsd, `an array of ${n} prices (one per oracleTs)`);
  for (let i = 0; i < n; i++) {
    finite(`oracleTs[${i}]`, s.oracleTs[i], i === 0 ? 0 : s.oracleTs[i - 1]!);
    if (!(s.oracleUsd[i]! > 0) || !Number.isFinite(s.oracleUsd[i])) fail(`oracleUsd[${i}]`, s.oracleUsd[i], 'a finite price > 0');
  }
  if (s.oracleTs[0]! > s.start.ts) fail('oracleTs[0]', s.oracleTs[0], `an oracle record at or before start.ts ${s.start.ts}`);
  finite('endTs', s.endTs, s.start.ts);
  if (!Array.isArray(s.events)) fail('events', s.events, 'an array of admin events');
  let prev = s.start.ts;
  s.events.forEach((e, i) => {
    prev = finite(`events[${i}].ts`, e.ts, prev);
    if (!['repeg', 'k', 'none'].includes(e.kind)) fail(`events[${i}].kind`, e.kind, "'repeg' | 'k' | 'none'");
    finite(`events[${i}].pegMultiplierAfter`, e.pegMultiplierAfter, 1);
    finite(`events[${i}].sqrtKAfter`, e.sqrtKAfter, 1);
    if (!Number.isFinite(e.adjustmentCostUsd)) fail(`events[${i}].adjustmentCostUsd`, e.adjustmentCostUsd, 'a finite number (USD)');
  });
  return s;
}
