/**
 * A ramping (amm-curves.md §3.6): the stored amp moves linearly from `initialA` at `initialATime` to
 * `futureA` at `futureATime`, floored like the contract's `_A()`. Values are in the contract's
 * stored units (A()·aPrecision); times in seconds (block timestamps).
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { MAX_A, MAX_A_CHANGE, MIN_RAMP_TIME } from './constants.js';
import { StableSwapRevert } from './errors.js';

export interface AmpRamp {
  /** Stored amp at the start of the ramp (A()·aPrecision). */
  readonly initialA: bigint;
  /** Stored amp at the end of the ramp. */
  readonly futureA: bigint;
  /** Ramp start, seconds. */
  readonly initialATime: bigint;
  /** Ramp end, seconds (≤ now: no ramp in progress). */
  readonly futureATime: bigint;
}

/** A fixed amp: initial = future, both times `time` (the constructor uses 0). */
export function constantRamp(amp: bigint, time = 0n): AmpRamp {
  return { initialA: amp, futureA: amp, initialATime: time, futureATime: time };
}

/** `_A()` at time `now`: the stored amp, floored toward the start value like the contract. */
export function ampAt(r: AmpRamp, now: bigint): bigint {
  const t1 = r.futureATime;
  const A1 = r.futureA;
  if (now >= t1) return A1;
  const A0 = r.initialA;
  const t0 = r.initialATime;
  // uint256 cannot go negative: the contract branches on the direction.
  if (A1 > A0) return A0 + ((A1 - A0) * (now - t0)) / (t1 - t0);
  return A0 - ((A0 - A1) * (now - t0)) / (t1 - t0);
}

/** True while `now` is inside the ramp window. */
export function isRamping(r: AmpRamp, now: bigint): boolean {
  return now < r.futureATime && r.initialA !== r.futureA;
}

/**
 * `ramp_A(future_A, future_time)` at `now`: checks the contract's asserts and returns the new ramp.
 * `futureA` is A() (not multiplied by aPrecision), as the contract takes it.
 * Reverts: a ramp started less than MIN_RAMP_TIME ago; future_time < now + MIN_RAMP_TIME;
 * future_A ∉ (0, MAX_A); a change of more than MAX_A_CHANGE× either way.
 */
export function rampA(r: AmpRamp, futureA: bigint, futureTime: bigint, now: bigint, aPrecision: bigint): AmpRamp {
  if (typeof futureA !== 'bigint') throw new InvalidArgumentError(`ramp_A: future_A must be a bigint (A(), not ×A_PRECISION), got ${describeValue(futureA)}`);
  if (typeof futureTime !== 'bigint') throw new InvalidArgumentError(`ramp_A: future_time must be a bigint timestamp (s), got ${describeValue(futureTime)}`);
  if (now < r.initialATime + MIN_RAMP_TIME) {
    throw new StableSwapRevert('ramp_A: too early', `now = ${now} is before the previous ramp start ${r.initialATime} + MIN_RAMP_TIME ${MIN_RAMP_TIME}`);
  }
  if (futureTime < now + MIN_RAMP_TIME) {
    throw new StableSwapRevert('ramp_A: insufficient time', `future_time = ${futureTime} must be ≥ now + MIN_RAMP_TIME = ${now + MIN_RAMP_TIME}`);
  }
  const initial = ampAt(r, now);
  const futureP = futureA * aPrecision;
  if (!(futureA > 0n && futureA < MAX_A)) {
    throw new StableSwapRevert('ramp_A: future_A', `future_A = ${futureA} must be in (0, ${MAX_A})`);
  }
  const ok = futureP < initial ? futureP * MAX_A_CHANGE >= initial : futureP <= initial * MAX_A_CHANGE;
  if (!ok) {
    throw new StableSwapRevert(
      'ramp_A: MAX_A_CHANGE',
      `future amp ${futureP} is more than ${MAX_A_CHANGE}× away from the current amp ${initial} (allowed [${(initial + MAX_A_CHANGE - 1n) / MAX_A_CHANGE}, ${initial * MAX_A_CHANGE}])`,
    );
  }
  return { initialA: initial, futureA: futureP, initialATime: now, futureATime: futureTime };
}

/** `stop_ramp_A()` at `now`: freezes the current amp. */
export function stopRampA(r: AmpRamp, now: bigint): AmpRamp {
  const current = ampAt(r, now);
  return { initialA: current, futureA: current, initialATime: now, futureATime: now };
}
