/**
 * Typed errors of the market models. Messages name the bad field or index, its value and what is
 * allowed, so a JSON config can be fixed without reading the source.
 */
import { describeValue, InvalidArgumentError, DammGymError } from '../core/errors.js';

/** A price-process or trader-flow config (or constructor argument) with a value that is not allowed. */
export class MarketConfigError extends InvalidArgumentError {
  constructor(
    /** Dotted path of the field, e.g. `traderFlow.volumeModel.elasticity` or `replay.prices[17]`. */
    readonly field: string,
    readonly value: unknown,
    /** What the field accepts, in words. */
    readonly allowed: string,
  ) {
    super(`${field} = ${describeValue(value)} is not allowed: expected ${allowed}`);
  }
}

/** A `ReplayPrice` stepped past its last record (and not looping). */
export class ReplayExhaustedError extends DammGymError {
  constructor(
    /** The index the step asked for. */
    readonly index: number,
    readonly length: number,
  ) {
    super(
      `ReplayPrice stepped past the end: asked for index ${index} of a series of length ${length} ` +
        `(indices 0..${length - 1}); reset() it, make the episode shorter, or pass { loop: true }`,
    );
  }
}
