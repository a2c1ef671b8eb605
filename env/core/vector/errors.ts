/** Typed errors of the struct-of-arrays (native) vector envs. */
import { describeValue, InvalidArgumentError } from '../errors.js';

/**
 * An option the scalar env accepts but its struct-of-arrays kernel does not implement. Refused
 * rather than silently run with different semantics; the message says what the kernel supports
 * and that `makeVec(id, n, { vectorizationMode: 'sync' })` runs any option on scalar envs.
 */
export class UnsupportedVectorOptionError extends InvalidArgumentError {
  constructor(
    /** The env id, e.g. `drift-vamm-v0`. */
    readonly envId: string,
    /** The option's name, dotted for nested fields (e.g. `oracle.kind`). */
    readonly option: string,
    readonly value: unknown,
    /** What the vector kernel supports, in words. */
    readonly supported: string,
  ) {
    super(
      `${envId} vector env: option ${option} = ${describeValue(value)} is not supported by the struct-of-arrays kernel; ` +
        `supported: ${supported}. Use makeVec('${envId}', n, { vectorizationMode: 'sync' }) for this option.`,
    );
  }
}
