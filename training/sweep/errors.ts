/** Typed errors of `damm-gym sweep`: each names the file, the place in it and what is allowed. */
import { DammGymError, describeValue } from '../../env/core/errors.js';

/**
 * A sweep config that cannot run: the message names the config file, the JSON path of the bad
 * value (`$.grid.agent.gamma[2]`), the value and what is allowed. Raised before any trial runs.
 */
export class SweepConfigError extends DammGymError {
  constructor(
    readonly file: string,
    /** JSONPath of the offending value, `$` for the whole document; or the flag, e.g. `--workers`. */
    readonly path: string,
    readonly value: unknown,
    readonly allowed: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${path}: got ${describeConfigValue(value)}; ${allowed}`, options);
  }
}

/** Strings (paths, names) in full up to 200 characters; anything else as the project describes values. */
function describeConfigValue(value: unknown): string {
  if (typeof value === 'string' && value.length <= 200) return JSON.stringify(value);
  return describeValue(value);
}

/**
 * A journal (the append-only record of finished trials) that cannot be resumed: written by another
 * config, corrupted in the middle, or present when `--resume` was not asked for.
 */
export class SweepJournalError extends DammGymError {}

/** A trial that threw inside its worker; the sweep stops, finished trials stay in the journal. */
export class SweepTrialError extends DammGymError {
  constructor(
    readonly trial: number,
    readonly description: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`trial ${trial} (${description}) failed: ${detail}; the trials finished before it are in the journal, fix the cause and rerun with --resume`, options);
  }
}
