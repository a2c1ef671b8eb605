/**
 * The piscina worker: runs one trial per task. Errors come back as values (name and message), so
 * the main thread can name the trial that failed; structured cloning would drop the error's class.
 */
import { runTrial, type TrialTask } from './trials.js';

export type WorkerReply =
  | { readonly ok: true; readonly metrics: { readonly [name: string]: number } }
  | { readonly ok: false; readonly name: string; readonly message: string; readonly stack?: string };

/** Sent once per worker before the trials: loading this module is the thread's start-up cost. */
export interface WarmUp {
  readonly warmUp: true;
}

export default function sweepWorker(task: TrialTask | WarmUp): WorkerReply {
  if ('warmUp' in task) return { ok: true, metrics: {} };
  try {
    return { ok: true, metrics: runTrial(task).metrics };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  }
}
