/**
 * Extra training data for the sequence predictors: the adjustments an env's own admin action (e.g.
 * drift-vamm's formulaic) makes over simulated episodes, labelled like the history's records.
 */
import type { Env } from '../../env/core/env.js';
import { InfoFeatureTracker, readInfo, SEQUENCE_POLICY_CLASSES } from './sequenceFeatureTracker.js';
import { required } from './sequencePolicy.js';

/** One adjustment an env's own admin action made, with the features before it (the history's layout). */
export interface SimulatedAdjustment {
  readonly window: number[][];
  readonly static: number[];
  readonly cls: (typeof SEQUENCE_POLICY_CLASSES)[number];
  /** |peg change| in bps (repegs), else null. */
  readonly pegChangeBps: number | null;
  /** ln √k scale (k changes), else null. */
  readonly lnSqrtKScale: number | null;
}

export interface SimulatedAdjustmentOptions {
  /** The named action the simulated admin takes (e.g. 'formulaic'). */
  readonly actionName: string;
  readonly actEverySteps: number;
  readonly stepsPerHour: number;
  readonly windowHours: number;
  /** Seed of the first episode; later episodes (after a termination) use seed + 1, + 2, … */
  readonly seed: number;
  /** Steps to play in all (default: one episode of the env's length, until it ends). */
  readonly steps?: number;
}

/**
 * Simulator-made training data (source §3.2's "similar market dynamics"): play `env` taking
 * `actionName` every `actEverySteps` steps and holding otherwise, and label each decision that changed
 * the curve like a historical record — a peg change as repeg up / down with its |bps|, a √k change as k
 * with its ln scale (both, as two records, when one action did both, as the history's admin did in two
 * instructions). Features come from the same tracker the policy uses.
 */
export function labelSimulatedAdjustments(env: Env<unknown, number>, o: SimulatedAdjustmentOptions): SimulatedAdjustment[] {
  const meanings = (env.unwrapped as unknown as { actionMeanings?: readonly string[] }).actionMeanings ?? [];
  const action = required(meanings, o.actionName);
  const hold = required(meanings, 'hold');
  const tracker = new InfoFeatureTracker(o.windowHours, o.stepsPerHour, 'labelSimulatedAdjustments');
  const out: SimulatedAdjustment[] = [];
  let played = 0;
  for (let episode = 0; o.steps === undefined ? episode === 0 : played < o.steps; episode++) {
    let [, info] = env.reset({ seed: o.seed + episode });
    tracker.reset();
    for (;;) {
      tracker.observe(info);
      const before = tracker.info;
      const due = tracker.steps > 0 && tracker.steps % o.actEverySteps === 0;
      const features = due ? tracker.features() : null;
      const [, , terminated, truncated, next] = env.step(due ? action : hold);
      played++;
      if (features !== null) {
        const after = readInfo(next, 'labelSimulatedAdjustments');
        if (after.pegUsd !== before.pegUsd) {
          out.push({
            ...features, cls: after.pegUsd > before.pegUsd ? 'repeg-up' : 'repeg-down',
            pegChangeBps: Math.abs(after.pegUsd / before.pegUsd - 1) * 1e4, lnSqrtKScale: null,
          });
        }
        if (after.sqrtK !== before.sqrtK) out.push({ ...features, cls: 'k', pegChangeBps: null, lnSqrtKScale: Math.log(after.sqrtK / before.sqrtK) });
      }
      info = next;
      if (terminated || truncated || (o.steps !== undefined && played >= o.steps)) break;
    }
  }
  return out;
}
