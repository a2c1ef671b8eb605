/**
 * `EmpiricalQPolicy` (saved kind 'empirical-q'): the greedy policy of the empirical MDP solved from
 * Drift history, acting in any env with drift-vamm-v0's observation (obs[0] = d/sqrt_k, obs[1] =
 * mark/oracle − 1) and named discrete actions. obs[0] picks the state (ImbalanceBins), the state
 * its action class, and the class a drift-vamm action (actionClasses.ts has the table).
 *
 * The env's action names are part of the policy (config.actionMeanings, recorded when it was
 * trained): a saved file carries no env, and an env built with other `kDeltas` lists its actions
 * in another order, so `bindActionMeanings` re-targets the policy to such an env.
 *
 * Pace (`actEvery`): the model is estimated on the admin's event clock (one step per recorded
 * repeg / k change, hours to days apart), while drift-vamm steps every minute. With `actEvery` n
 * the policy takes its class's action on the first step after reset and every n-th step after,
 * and holds in between, so it intervenes about as often as the admin did; n = 1 acts every step.
 */
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { AgentConfigError, PolicyFileError } from '../errors.js';
import { registerPolicyKind } from '../persistence.js';
import type { JsonObject, PersistablePolicy, PolicyData } from '../policy.js';
import {
  EMPIRICAL_ACTION_CLASSES, driftActionFor, driftActionIndices, type DriftActionIndices, type EmpiricalActionClass,
} from './actionClasses.js';
import { ImbalanceBins, type ImbalanceBinsConfig } from './imbalanceBins.js';

export interface EmpiricalQPolicyData {
  readonly bins: ImbalanceBinsConfig;
  /** The action class of each state. */
  readonly classes: readonly EmpiricalActionClass[];
  /** The solver's Q(s, class) at s·5 + class index (null: unavailable class), for inspection. */
  readonly q?: readonly (number | null)[];
  /** Transitions observed in each state (0: the class comes from the prior alone). */
  readonly stateCounts?: readonly number[];
  /** Act every n-th step, hold in between (default 1: every step). */
  readonly actEvery?: number;
}

export interface EmpiricalQPolicyOptions {
  /** drift-vamm's action names, in the env's order. */
  readonly actionMeanings: readonly string[];
  readonly name?: string;
  /** How the policy was built (market, γ, solver, …), saved as the file's config. */
  readonly config?: JsonObject;
}

export class EmpiricalQPolicy implements PersistablePolicy<ArrayLike<number>, number> {
  readonly kind = 'empirical-q';
  readonly name: string;
  readonly bins: ImbalanceBins;
  readonly classes: readonly EmpiricalActionClass[];
  readonly actionMeanings: readonly string[];
  readonly config: JsonObject;
  readonly actEvery: number;
  private readonly data: EmpiricalQPolicyData;
  private readonly indices: DriftActionIndices;
  /** act() calls since the last reset. */
  private calls = 0;

  constructor(data: EmpiricalQPolicyData, options: EmpiricalQPolicyOptions) {
    this.bins = new ImbalanceBins(data.bins, 'EmpiricalQPolicy');
    if (!Array.isArray(data.classes) || data.classes.length !== this.bins.bins) {
      throw new AgentConfigError('classes', data.classes, `one action class per state (${this.bins.bins})`, 'EmpiricalQPolicy');
    }
    data.classes.forEach((c, s) => {
      if (!EMPIRICAL_ACTION_CLASSES.includes(c)) throw new AgentConfigError(`classes[${s}]`, c, `one of ${EMPIRICAL_ACTION_CLASSES.join(', ')}`, 'EmpiricalQPolicy');
    });
    const actEvery = data.actEvery ?? 1;
    if (!Number.isSafeInteger(actEvery) || actEvery < 1) throw new AgentConfigError('actEvery', actEvery, 'a positive integer (steps)', 'EmpiricalQPolicy');
    this.actEvery = actEvery;
    this.indices = driftActionIndices(options.actionMeanings);
    this.data = data;
    this.classes = Object.freeze([...data.classes]);
    this.actionMeanings = Object.freeze([...options.actionMeanings]);
    this.name = options.name ?? 'empirical-q';
    this.config = { ...(options.config ?? {}), actionMeanings: [...options.actionMeanings] };
  }

  /** The same policy for an env whose actions are named `meanings` (e.g. another kDeltas list). */
  bindActionMeanings(meanings: readonly string[]): EmpiricalQPolicy {
    return new EmpiricalQPolicy(this.data, { actionMeanings: meanings, name: this.name, config: this.config });
  }

  /** The state (imbalance bin) of an observation. */
  stateOf(obs: ArrayLike<number>): number {
    return this.bins.index(this.check(obs)[0]!);
  }

  /** The action class the policy takes for an observation. */
  classOf(obs: ArrayLike<number>): EmpiricalActionClass {
    return this.classes[this.stateOf(obs)]!;
  }

  /** Starts the pace count (evaluation calls it at every episode start). */
  reset(): void {
    this.calls = 0;
  }

  act(obs: ArrayLike<number>): number {
    const o = this.check(obs);
    const due = this.calls % this.actEvery === 0;
    this.calls++;
    return due ? driftActionFor(this.classes[this.bins.index(o[0]!)]!, o[1]!, this.indices) : this.indices.hold;
  }

  private check(obs: ArrayLike<number>): ArrayLike<number> {
    if (obs === null || typeof obs !== 'object' || typeof obs.length !== 'number' || obs.length < 2 || typeof obs[0] !== 'number' || typeof obs[1] !== 'number') {
      throw new InvalidObservationError(
        `${this.name}: observation ${describeValue(obs)} is not drift-vamm-v0's default observation (obs[0] = imbalance d/sqrt_k, obs[1] = mark/oracle − 1)`,
      );
    }
    return obs;
  }

  toPolicyData(): PolicyData {
    const d = this.data;
    return {
      config: this.config,
      data: {
        bins: { bins: this.bins.bins, range: this.bins.range },
        classes: [...this.classes],
        actEvery: this.actEvery,
        ...(d.q === undefined ? {} : { q: [...d.q] }),
        ...(d.stateCounts === undefined ? {} : { stateCounts: [...d.stateCounts] }),
      },
    };
  }
}

registerPolicyKind('empirical-q', (file, r) => {
  const d = r.object(file.data, 'data');
  const b = r.object(d['bins'], 'data.bins');
  const bins = r.integer(b['bins'], 'data.bins.bins', 1);
  const rangeValue = b['range'];
  const range = typeof rangeValue === 'number' && rangeValue > 0 ? rangeValue : r.fail('data.bins.range', 'a number > 0', rangeValue);
  const classesValue = d['classes'];
  const classes: EmpiricalActionClass[] = Array.isArray(classesValue) && classesValue.length === bins
    ? classesValue.map((c, i) => (EMPIRICAL_ACTION_CLASSES.includes(c as EmpiricalActionClass)
      ? c as EmpiricalActionClass
      : r.fail(`data.classes[${i}]`, `one of ${EMPIRICAL_ACTION_CLASSES.join(', ')}`, c)))
    : r.fail('data.classes', `an array of ${bins} action classes (one per state)`, classesValue);
  const meaningsValue = file.config['actionMeanings'];
  const meanings: string[] = Array.isArray(meaningsValue) && meaningsValue.every((m) => typeof m === 'string')
    ? meaningsValue as string[]
    : r.fail('config.actionMeanings', "the env's action names (an array of strings)", meaningsValue);
  const qValue = d['q'];
  let q: (number | null)[] | undefined;
  if (qValue !== undefined) {
    q = Array.isArray(qValue) && qValue.every((v) => v === null || typeof v === 'number')
      ? qValue as (number | null)[]
      : r.fail('data.q', 'an array of numbers or nulls', qValue);
  }
  const stateCounts = d['stateCounts'] === undefined ? undefined : r.numbers(d['stateCounts'], 'data.stateCounts', bins, 'one count per state', true);
  const actEvery = d['actEvery'] === undefined ? 1 : r.integer(d['actEvery'], 'data.actEvery', 1);
  try {
    return new EmpiricalQPolicy(
      { bins: { bins, range }, classes, actEvery, ...(q === undefined ? {} : { q }), ...(stateCounts === undefined ? {} : { stateCounts }) },
      { actionMeanings: meanings, name: file.name, config: file.config },
    );
  } catch (err) {
    if (err instanceof AgentConfigError) {
      const field = err.field === 'actionMeanings' ? 'config.actionMeanings' : err.field === 'bins' || err.field === 'range' ? `data.bins.${err.field}` : `data.${err.field}`;
      throw new PolicyFileError(r.file, field, err.expected, describeValue(err.value), { cause: err });
    }
    throw err;
  }
});
