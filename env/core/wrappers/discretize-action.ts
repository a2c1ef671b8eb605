/**
 * `DiscretizeAction(env, { bins, multidiscrete? })`: the agent picks one of ∏ bins actions
 * (Discrete, row-major like DiscretizeObservation) or one bin per coordinate (MultiDiscrete); the
 * env receives the bin centres of its finite Box action space. Invalid indices throw
 * `InvalidActionError` (Gymnasium clips them).
 */
import { ActionWrapper, type Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import type { Space } from '../spaces/space.js';
import { type DType, type DTypeArrayMap, allocate } from '../spaces/dtype.js';
import { InvalidActionError, InvalidArgumentError } from '../errors.js';
import { linspace, resolveBins } from './discretize-observation.js';

export interface DiscretizeActionOptions {
  bins: number | readonly number[];
  multidiscrete?: boolean;
}

export class DiscretizeAction<Obs, D extends DType> extends ActionWrapper<Obs, number | ArrayLike<number>, DTypeArrayMap[D]> {
  readonly bins: readonly number[];
  readonly multidiscrete: boolean;
  /** Bin centres per coordinate. */
  readonly binCenters: readonly Float64Array[];
  private readonly box: Box<D>;

  constructor(env: Env<Obs, DTypeArrayMap[D]>, options: DiscretizeActionOptions) {
    super(env);
    if (!(env.actionSpace instanceof Box)) {
      throw new InvalidArgumentError(`DiscretizeAction: requires a Box action space, got ${env.actionSpace}`);
    }
    this.box = env.actionSpace as Box<D>;
    const { bins, low, high } = resolveBins(this.box as Box<DType>, { bins: options.bins }, 'DiscretizeAction');
    this.bins = bins;
    this.multidiscrete = options.multidiscrete ?? false;
    // Gymnasium: 0.5 · (edges[:-1] + edges[1:]) with edges = linspace(low, high, bins + 1).
    this.binCenters = bins.map((b, i) => {
      const edges = linspace(low[i]!, high[i]!, b + 1);
      const c = new Float64Array(b);
      for (let k = 0; k < b; k++) c[k] = 0.5 * (edges[k]! + edges[k + 1]!);
      return c;
    });
    this.actionSpace = (
      this.multidiscrete ? new MultiDiscrete(bins) : new Discrete(bins.reduce((a, b) => a * b, 1))
    ) as unknown as Space<number | ArrayLike<number>, unknown>;
  }

  action(action: number | ArrayLike<number>): DTypeArrayMap[D] {
    if (!this.actionSpace.contains(action)) {
      throw new InvalidActionError(action, this.actionSpace.toString(), `DiscretizeAction(${this.env.spec?.id ?? this.env.toString()})`);
    }
    const n = this.bins.length;
    const idx = new Array<number>(n);
    if (typeof action === 'number') {
      let rest = action;
      for (let i = n - 1; i >= 0; i--) {
        idx[i] = rest % this.bins[i]!;
        rest = Math.floor(rest / this.bins[i]!);
      }
    } else for (let i = 0; i < n; i++) idx[i] = action[i]!;
    const out = allocate(this.box.dtype, n);
    for (let i = 0; i < n; i++) out[i] = this.binCenters[i]![idx[i]!]!;
    return out;
  }
}
