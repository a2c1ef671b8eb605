/**
 * Base class of every error damm-gym throws on purpose. Subclasses name the bad value, where it came
 * from (file, line, column, flag, space) and what is allowed, so a user can fix the input without
 * reading our source.
 */
export class DammGymError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A seed that is not a non-negative safe integer (Gymnasium's `seeding.np_random` rule). */
export class InvalidSeedError extends DammGymError {}

/** An RNG state object that cannot be restored (wrong algorithm, shape or word range). */
export class InvalidRngStateError extends DammGymError {}

/** A space built, sampled, masked or decoded from JSON with values the space does not allow. */
export class SpaceError extends DammGymError {}

/** A bad argument to a wrapper, env or vector env constructor (e.g. `TimeLimit` with 0 steps). */
export class InvalidArgumentError extends DammGymError {}

/**
 * An action that is not an element of the env's action space. The message names the value, the
 * space (its string form, e.g. `Discrete(2)`) and the env id.
 */
export class InvalidActionError extends DammGymError {
  constructor(
    readonly action: unknown,
    readonly space: string,
    readonly envId: string,
    detail?: string,
  ) {
    super(
      `Invalid action ${describeValue(action)} for env ${envId}: not an element of ${space}` +
        (detail ? ` (${detail})` : ''),
    );
  }
}

/** An observation a wrapper cannot transform (e.g. NaN given to `DiscretizeObservation`). */
export class InvalidObservationError extends DammGymError {}

/** `step` (or `render`) called before the first `reset`, or a finished sub-env stepped without reset. */
export class ResetNeeded extends DammGymError {}

/** A call on an env after `close()` released what it needs (Gymnasium's `ClosedEnvironmentError`). */
export class ClosedEnvironmentError extends DammGymError {}

/** An env id that does not match `^(namespace/)?name(-vN)?$`. */
export class InvalidEnvIdError extends DammGymError {}

/** `make`/`spec` with an id that is not registered; the message lists close matches. */
export class EnvNotFoundError extends DammGymError {}

/** A registration that conflicts with the registry (versioned vs unversioned ids, no entry point). */
export class RegistrationError extends DammGymError {}

/** A failed hard check in `checkEnv` or the passive env checker. */
export class EnvCheckError extends DammGymError {}

/** Short, bounded description of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'boolean' || typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number>;
    const items = Array.from({ length: Math.min(arr.length, 8) }, (_, i) => describeValue(arr[i]));
    return `${value.constructor.name}[${items.join(', ')}${arr.length > 8 ? ', …' : ''}]`;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((v) => describeValue(v));
    return `[${items.join(', ')}${value.length > 8 ? ', …' : ''}]`;
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  if (ctor && ctor !== 'Object') return `[${ctor}]`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? json.slice(0, 80) + '…' : json;
  } catch {
    return '[object]';
  }
}
