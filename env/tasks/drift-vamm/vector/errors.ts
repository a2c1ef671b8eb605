/** Typed errors of the struct-of-arrays drift-vamm-v0 vector env. */
import { describeValue, InvalidArgumentError } from '../../../core/errors.js';

/**
 * An option the scalar drift-vamm-v0 accepts but the vector kernel does not implement. Refused
 * rather than silently run with different semantics; the message says what the kernel supports
 * and that `makeVec(id, n, { vectorizationMode: 'sync' })` runs any option on scalar envs.
 */
export class UnsupportedVectorOptionError extends InvalidArgumentError {
  constructor(
    /** The option's name, dotted for nested fields (e.g. `oracle.kind`). */
    readonly option: string,
    readonly value: unknown,
    /** What the vector kernel supports, in words. */
    readonly supported: string,
  ) {
    super(
      `drift-vamm-v0 vector env: option ${option} = ${describeValue(value)} is not supported by the struct-of-arrays kernel; ` +
        `supported: ${supported}. Use makeVec('drift-vamm-v0', n, { vectorizationMode: 'sync' }) for this option.`,
    );
  }
}
