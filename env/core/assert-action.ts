/** `assertAction`: the one check envs run on incoming actions. */
import { InvalidActionError } from './errors.js';
import type { AnySpace } from './spaces/space.js';
import { Box } from './spaces/box.js';
import { Discrete } from './spaces/discrete.js';

/** Why `action` is not in `space` (for the error message). */
function reason(space: AnySpace, action: unknown): string | undefined {
  if (space instanceof Box) return space.mismatch(action) ?? undefined;
  if (space instanceof Discrete) {
    if (typeof action !== 'number') return `expected a number, got ${typeof action}`;
    if (Number.isNaN(action)) return 'NaN is not an integer';
    if (!Number.isInteger(action)) return `${action} is not an integer`;
    return `expected an integer in [${space.start}, ${space.start + space.n - 1}]`;
  }
  return undefined;
}

/**
 * Throws `InvalidActionError` (naming the value, the space and `envId`) unless `action` is an
 * element of `space`. Returns the action typed as the space's element type.
 */
export function assertAction<T>(space: AnySpace, action: unknown, envId: string): T {
  if (!space.contains(action)) throw new InvalidActionError(action, space.toString(), envId, reason(space, action));
  return action as T;
}
