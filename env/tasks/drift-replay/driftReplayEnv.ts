/**
 * drift-replay-v0: drift-vamm-v0 on a market's recorded history — the oracle follows the recorded
 * hourly oracle TWAP, the AMM starts from a recorded state, and the admin's recorded repeg / k
 * actions are one more discrete action ('historical').
 */
import { createMarket } from '../../amm/drift-v1/state.js';
import { calculatePrice } from '../../amm/drift-v1/price.js';
import { MARK_PRICE_PRECISION } from '../../amm/drift-v1/constants.js';
import { PROTOCOL_VERSIONS, type ProtocolVersion } from '../../amm/drift-v1/protocol.js';
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { HeldSeriesPrice } from '../../market/price/held.js';
import { DriftVammEnv } from '../drift-vamm/driftVammEnv.js';
import { calibratedTraderFlow } from '../drift-vamm/calibration.js';
import type { DriftVammOptions } from '../drift-vamm/options.js';
import { validateReplaySeries, type ReplaySeries } from './series.js';

/** drift-vamm-v0's options that a replay takes over from the history. */
type Replayed = 'market' | 'oracle' | 'horizon' | 'protocol';

export interface DriftReplayOptions extends Omit<DriftVammOptions, Replayed> {
  /** The history to replay (required): `await loadReplaySeries({ market: 'SOL' })`. */
  series?: ReplaySeries;
  /** Program semantics; default the series' own (the version deployed when it starts), else 'jan2022'. */
  protocol?: ProtocolVersion;
  /** Episode length in hours of market time (default: to the end of the series). */
  hours?: number;
  /**
   * Trader flow calibrated on the series' market (default true; `traders` fields still override).
   * false: drift-vamm-v0's generic default flow.
   */
  calibrated?: boolean;
}

const HOUR = 3600;

function bad(name: string, value: unknown, allowed: string): never {
  throw new InvalidArgumentError(`drift-replay-v0 option ${name}: got ${describeValue(value)}; allowed: ${allowed}`);
}

/**
 * ## Description
 *
 * Offline evaluation on Drift v1's own history (damm-parameter-optimization.md §2.2.2, "approximate
 * numerically from Drift's trading data"). Everything is drift-vamm-v0 (same curve math, trader
 * flow, funding, reward, observation and the same discrete actions, so policies move between the
 * two) except three things taken from the record:
 * - the oracle is the market's recorded hourly oracle TWAP (funding-rate history), held until the
 *   next record is published — never interpolated, so nothing at time t reads data from after t;
 * - the AMM starts from the before-state of a recorded curve record: reserves, sqrt_k, peg, fee
 *   pool, and the users' open interest (long and short). Those starting positions stay open all
 *   episode (their holders are not simulated), so funding and repeg costs see the recorded imbalance;
 *   the simulated trader flow trades on top of them;
 * - the discrete action 'historical' (the last index) applies the admin's recorded repeg / update_k
 *   of this step — the absolute peg and sqrt_k each curve record set, in record order — through
 *   the same program guards. The `historical` policy always picks it.
 * Trader arrivals stay random (seeded): different seeds give different flows on the same oracle path.
 * The flow is the market's calibrated one (`calibrated: true`, the default: arrival rate, volume
 * elasticity to k, informed share, trade sizes and holding time fitted on the same history; see
 * `damm-gym fit volume`).
 *
 * ## Action Space
 *
 * drift-vamm-v0's plus 'historical': `Discrete(7)` with the default `kDeltas`. `actionSpace:
 * 'continuous'` gives drift-vamm-v0's Box (no historical action).
 *
 * ## Observation Space
 *
 * drift-vamm-v0's (`Box(5,)`, or `Box(1,)` with `observation: 'imbalance'`); the time feature is
 * step / episode length.
 *
 * ## Rewards
 *
 * drift-vamm-v0's (fee-pool change in USD, or the source's seed reward).
 *
 * ## Starting State
 *
 * The series' starting record (a market's first curve record by default); the oracle is the last
 * oracle TWAP published at or before it.
 *
 * ## Episode End
 *
 * Terminated on divergence or an invalid market as in drift-vamm-v0, but not when the fee pool falls
 * below its floor: the recorded market went on (LUNA started below it), so every policy plays the
 * whole path and totals compare; the program's own guards still reject adjustments it cannot pay.
 * Truncated by the env itself when `hours` of market time have passed or the series ends.
 *
 * ## Arguments
 *
 * `make('drift-replay-v0', { series, hours, calibrated, protocol, engine, stepSec, observation, actionSpace, kDeltas,
 * kDeltaMax, kRange, reward, rejectionPenaltyUsd, oracleConfidenceBps, maxDivergence, traders, renderMode })`.
 * `series` is required (the data is loaded asynchronously by DuckDB; make() is synchronous):
 * `make('drift-replay-v0', { series: await loadReplaySeries({ market: 'SOL' }) })`.
 *
 * ## Version History
 *
 * - v0: initial version.
 */
export class DriftReplayEnv extends DriftVammEnv {
  readonly series: ReplaySeries;

  constructor(options: DriftReplayOptions = {}) {
    const { series: rawSeries, hours, protocol, calibrated = true, ...rest } = options;
    if (rawSeries === undefined) {
      bad('series', rawSeries, "the history to replay: make('drift-replay-v0', { series: await loadReplaySeries({ market: 'SOL' }) })");
    }
    for (const k of ['market', 'oracle', 'horizon'] as const) {
      if (k in options) bad(k, (options as Record<string, unknown>)[k], 'nothing: a replay takes it from the series');
    }
    const series = validateReplaySeries(rawSeries);
    const stepSec = rest.stepSec ?? 60;
    if (!Number.isInteger(stepSec) || stepSec < 1 || stepSec > HOUR) bad('stepSec', stepSec, 'an integer number of seconds in [1, 3600]');
    const span = series.endTs - series.start.ts;
    if (hours !== undefined && (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0)) bad('hours', hours, 'a positive number of hours');
    const seconds = Math.min(span, hours === undefined ? span : hours * HOUR);
    const horizonSteps = Math.floor(seconds / stepSec);
    if (horizonSteps < 1) bad('hours', hours, `at least one step of ${stepSec} s within the series (${span} s long)`);
    const chosen = protocol ?? series.protocol ?? 'jan2022';
    if (typeof calibrated !== 'boolean') bad('calibrated', calibrated, 'true | false');
    const traders = calibrated ? { ...calibratedTraderFlow(series.market, stepSec), ...rest.traders } : rest.traders;
    if (!PROTOCOL_VERSIONS.includes(chosen)) bad('protocol', chosen, PROTOCOL_VERSIONS.join(' | '));

    const s = series.start;
    const oracle = new HeldSeriesPrice(series.oracleTs, series.oracleUsd, s.ts);
    oracle.reset();
    const curve = {
      baseAssetReserve: BigInt(s.baseAssetReserve), quoteAssetReserve: BigInt(s.quoteAssetReserve),
      sqrtK: BigInt(s.sqrtK), pegMultiplier: BigInt(s.pegMultiplier),
    };
    const ts = BigInt(s.ts);
    const long = BigInt(s.baseAssetAmountLong);
    const short = -BigInt(s.baseAssetAmountShort);
    const template = createMarket(curve, {
      baseAssetAmountLong: long, baseAssetAmountShort: short, baseAssetAmount: long + short,
      totalFee: BigInt(s.totalFee), totalFeeMinusDistributions: BigInt(s.totalFeeMinusDistributions),
      lastFundingRateTs: ts, lastOraclePriceTwapTs: ts, lastMarkPriceTwapTs: ts,
      lastOraclePriceTwap: BigInt(Math.round(oracle.price * Number(MARK_PRICE_PRECISION))),
      lastMarkPriceTwap: calculatePrice(curve.quoteAssetReserve, curve.baseAssetReserve, curve.pegMultiplier),
    });
    super(
      {
        ...rest, stepSec, protocol: chosen, horizon: horizonSteps, traders,
        market: {
          baseAssetReserve: s.baseAssetReserve, quoteAssetReserve: s.quoteAssetReserve, sqrtK: s.sqrtK,
          pegMultiplier: s.pegMultiplier, totalFee: s.totalFee, totalFeeMinusDistributions: s.totalFeeMinusDistributions,
        },
      },
      { template, startTs: s.ts, oracle, horizonSteps, adminEvents: series.events, floorTerminates: false },
    );
    this.series = series;
  }
}
