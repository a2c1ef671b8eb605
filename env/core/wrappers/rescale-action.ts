/**
 * `RescaleAction(env, minAction, maxAction)`: the agent acts in Box(minAction, maxAction) and the
 * action is mapped affinely onto the env's Box [low, high]:
 * `low + (high − low) · (a − minAction) / (maxAction − minAction)`. Coordinates unbounded in the
 * env must be given the same infinite bounds and pass through unchanged (as Gymnasium's
 * `rescale_box`). Out-of-range actions are not clipped, so the env still rejects them.
 */
import { ActionWrapper, type Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { InvalidArgumentError, describeValue } from '../errors.js';
import { type DType, type DTypeArrayMap, allocate } from '../spaces/dtype.js';
import { flattenNested } from '../spaces/shape.js';

export class RescaleAction<Obs, D extends DType> extends ActionWrapper<Obs, ArrayLike<number>, DTypeArrayMap[D]> {
  private readonly box: Box<D>;
  private readonly minA: Float64Array;
  private readonly maxA: Float64Array;

  constructor(env: Env<Obs, DTypeArrayMap[D]>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    if (!(env.actionSpace instanceof Box)) {
      throw new InvalidArgumentError(`RescaleAction: requires a Box action space, got ${env.actionSpace}`);
    }
    const box = env.actionSpace as Box<D>;
    this.box = box;
    const expand = (v: number | ArrayLike<number>, name: string): Float64Array => {
      if (typeof v === 'number') return new Float64Array(box.size).fill(v);
      const flat = flattenNested(v);
      if (flat === null || flat.values.length !== box.size) {
        throw new InvalidArgumentError(`RescaleAction: ${name} must be a number or ${box.size} numbers, got ${describeValue(v)}`);
      }
      return Float64Array.from(flat.values);
    };
    this.minA = expand(minAction, 'minAction');
    this.maxA = expand(maxAction, 'maxAction');
    for (let i = 0; i < box.size; i++) {
      const lo = box.boundedBelow[i] ? box.low[i]! : -Infinity;
      const hi = box.boundedAbove[i] ? box.high[i]! : Infinity;
      const mn = this.minA[i]!;
      const mx = this.maxA[i]!;
      if (Number.isNaN(mn) || Number.isNaN(mx)) throw new InvalidArgumentError(`RescaleAction: bounds cannot be NaN (index ${i})`);
      if ((!Number.isFinite(mn) || !Number.isFinite(lo)) && mn !== lo) {
        throw new InvalidArgumentError(`RescaleAction: for unbounded components the target bounds must match the env's infinite bounds (index ${i}: minAction ${mn}, low ${lo})`);
      }
      if ((!Number.isFinite(mx) || !Number.isFinite(hi)) && mx !== hi) {
        throw new InvalidArgumentError(`RescaleAction: for unbounded components the target bounds must match the env's infinite bounds (index ${i}: maxAction ${mx}, high ${hi})`);
      }
      if (!(mn < mx)) {
        throw new InvalidArgumentError(`RescaleAction: minAction must be strictly smaller than maxAction, got ${mn} and ${mx} at index ${i}; the rescaling has no inverse where they are equal`);
      }
    }
    const bound = (v: Float64Array) => reshape(v, box.shape) as number | unknown[];
    this.actionSpace = new Box(bound(this.minA), bound(this.maxA), box.shape, box.dtype) as unknown as Box<DType>;
  }

  action(action: ArrayLike<number>): DTypeArrayMap[D] {
    const box = this.box;
    const values: ArrayLike<number> = ArrayBuffer.isView(action) ? action : (flattenNested(action)?.values ?? []);
    if (values.length !== box.size) {
      throw new InvalidArgumentError(`RescaleAction: expected ${box.size} action values, got ${describeValue(action)}`);
    }
    const out = allocate(box.dtype, box.size);
    for (let i = 0; i < box.size; i++) {
      const a = values[i]!;
      const mn = this.minA[i]!;
      const mx = this.maxA[i]!;
      if (!Number.isFinite(mn) || !Number.isFinite(mx)) out[i] = a;
      else {
        const lo = box.low[i]!;
        const hi = box.high[i]!;
        out[i] = lo + ((hi - lo) * (a - mn)) / (mx - mn);
      }
    }
    return out;
  }
}

function reshape(values: Float64Array, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => reshape(values.subarray(i * stride, (i + 1) * stride), shape.slice(1)));
}
