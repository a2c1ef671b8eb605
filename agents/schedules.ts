/** Exploration schedules, counted in episodes (tabular agents) or steps (DQN). */
import { AgentConfigError } from './errors.js';

export type EpsilonScheduleKind = 'linear' | 'exponential';

/**
 * ε at time `t` of a decay from `start` to `end` over `duration` units, then held at `end`.
 *
 * - `linear`: CleanRL's `linear_schedule`, `max(start + (end − start)·t/duration, end)`.
 * - `exponential`: geometric interpolation `start·(end/start)^(t/duration)`, held at `end`
 *   afterwards, so both kinds reach `end` at the same time and take the same parameters.
 *
 * `duration` 0 means `end` from the start.
 */
export function epsilonAt(kind: EpsilonScheduleKind, start: number, end: number, duration: number, t: number): number {
  if (duration <= 0 || t >= duration) return end;
  if (kind === 'linear') return Math.max(start + ((end - start) * t) / duration, end);
  return Math.max(start * Math.pow(end / start, t / duration), end);
}

/** Checks a start/end pair for `epsilonAt` (both probabilities, non-increasing, end > 0 if exponential). */
export function validateEpsilon(kind: EpsilonScheduleKind, start: number, end: number, where: string): void {
  if (kind !== 'linear' && kind !== 'exponential') {
    throw new AgentConfigError('epsilonSchedule', kind, "'linear' or 'exponential'", where);
  }
  if (!(start >= 0 && start <= 1)) throw new AgentConfigError('epsilonStart', start, 'a probability in [0, 1]', where);
  if (!(end >= 0 && end <= start)) throw new AgentConfigError('epsilonEnd', end, `a probability in [0, epsilonStart = ${start}]`, where);
  if (kind === 'exponential' && !(end > 0)) {
    throw new AgentConfigError('epsilonEnd', end, "a value > 0 for the 'exponential' schedule (it decays geometrically towards it)", where);
  }
}
