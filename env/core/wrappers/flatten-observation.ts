/**
 * `FlattenObservation(env)`: observations become `flatten(observationSpace, obs)` (one flat typed
 * array; Discrete parts one-hot) in `flattenSpace(observationSpace)`.
 */
import { ObservationWrapper, type Env } from '../env.js';
import type { Space } from '../spaces/space.js';
import type { TypedArray } from '../spaces/dtype.js';
import { flatten, flattenSpace } from '../spaces/utils.js';

export class FlattenObservation<Obs, Act> extends ObservationWrapper<TypedArray, Act, Obs> {
  private readonly inner: Space<Obs, unknown>;

  constructor(env: Env<Obs, Act>) {
    super(env);
    this.inner = env.observationSpace;
    this.observationSpace = flattenSpace(env.observationSpace) as unknown as Space<TypedArray, unknown>;
  }

  observation(obs: Obs): TypedArray {
    return flatten(this.inner, obs);
  }
}
