/**
 * `ClipAction(env)`: clips each action coordinate into the env's Box bounds before stepping, and
 * advertises Box(−inf, inf) with the same shape and dtype (every finite action is now valid).
 * NaN stays NaN, so the env still rejects it.
 */
import { ActionWrapper, type Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { InvalidArgumentError, describeValue } from '../errors.js';
import { type DType, type DTypeArrayMap, allocate } from '../spaces/dtype.js';
import { flattenNested } from '../spaces/shape.js';

export class ClipAction<Obs, D extends DType> extends ActionWrapper<Obs, ArrayLike<number>, DTypeArrayMap[D]> {
  private readonly box: Box<D>;

  constructor(env: Env<Obs, DTypeArrayMap[D]>) {
    super(env);
    if (!(env.actionSpace instanceof Box)) {
      throw new InvalidArgumentError(`ClipAction: requires a Box action space, got ${env.actionSpace}`);
    }
    this.box = env.actionSpace as Box<D>;
    this.actionSpace = new Box(-Infinity, Infinity, this.box.shape, this.box.dtype) as unknown as Box<DType>;
  }

  action(action: ArrayLike<number>): DTypeArrayMap[D] {
    const box = this.box;
    const values: ArrayLike<number> = ArrayBuffer.isView(action) ? action : (flattenNested(action)?.values ?? []);
    if (values.length !== box.size) {
      throw new InvalidArgumentError(`ClipAction: expected ${box.size} action values for ${box}, got ${describeValue(action)}`);
    }
    const out = allocate(box.dtype, box.size);
    for (let i = 0; i < box.size; i++) {
      const v = values[i]!;
      out[i] = v < box.low[i]! ? box.low[i]! : v > box.high[i]! ? box.high[i]! : v;
    }
    return out;
  }
}
