/** Typed errors of the agents: each names the bad value, where it came from and what is allowed. */
import { DammGymError, describeValue } from '../env/core/errors.js';

/** An agent given an env whose observation or action space it cannot handle. */
export class UnsupportedSpaceError extends DammGymError {
  constructor(
    readonly agent: string,
    /** 'observation' or 'action'. */
    readonly which: 'observation' | 'action',
    /** The space's string form, e.g. `Box(-inf, inf, (4,), float32)`. */
    readonly space: string,
    readonly expected: string,
    hint?: string,
  ) {
    super(`${agent}: unsupported ${which} space ${space}; expected ${expected}` + (hint ? ` (${hint})` : ''));
  }
}

/** A config or option value outside its allowed range. */
export class AgentConfigError extends DammGymError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
    where = 'config',
  ) {
    super(`${where}.${field}: expected ${expected}, got ${describeValue(value)}`);
  }
}

/** A policy used in a state it does not allow (e.g. a random policy acting before its first reset). */
export class PolicyStateError extends DammGymError {}

/**
 * A policy file that cannot be read or does not have the expected content. The message names the
 * file, the field (a JSON path such as `data.q[3]`) and what is expected.
 */
export class PolicyFileError extends DammGymError {
  constructor(
    readonly file: string,
    readonly field: string | null,
    readonly expected: string,
    readonly got?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${file}: ${field === null ? '' : `field "${field}": `}expected ${expected}` + (got === undefined ? '' : `, got ${got}`),
      options,
    );
  }
}

/** An observation or action index outside a tabular agent's table (the space it was built for). */
export class TableIndexError extends DammGymError {}
