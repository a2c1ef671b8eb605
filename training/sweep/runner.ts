/**
 * Runs a planned sweep on a pool of worker threads (piscina): keeps one trial in flight per worker,
 * records each finished trial in the journal (fsync'd) as it arrives, and at the end writes the
 * results table from the journal's records. With `resume`, trials already in the journal are not
 * run again, and the table comes out as an uninterrupted run's: every column but the measured
 * `wallSeconds` and `stepsPerSec`, which differ between any two runs, is computed bit for bit.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { workerExecArgv } from '../../env/core/threads.js';
import type { Json } from '../../env/core/spaces/space.js';
import { writeFileAtomic } from '../files.js';
import { toJson } from '../output.js';
import { SweepTrialError } from './errors.js';
import { Journal, JOURNAL_VERSION, type JournalHeader, type TrialRecord } from './journal.js';
import type { Column, SweepPlan, TrialSpec } from './plan.js';
import { cellValue, writeResultsTable } from './table.js';
import type { TrialTask } from './trials.js';
import type { WarmUp, WorkerReply } from './worker.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const SWEEP_FILE = 'sweep.json';
export const SUMMARY_FILE = 'summary.json';

export interface RunSweepOptions {
  /** Worker threads (each runs one trial at a time). */
  readonly workers: number;
  /** Output directory: journal, results table, sweep.json and summary.json. */
  readonly out: string;
  /** Continue the journal in `out` (skipping its finished trials) instead of refusing to touch it. */
  readonly resume?: boolean;
  /** Called once the trials left to run are known, before the pool starts. */
  readonly onStart?: (toRun: number) => void;
  /** Called after each trial is journaled (progress bars). */
  readonly onTrial?: (record: TrialRecord, done: number, toRun: number) => void;
}

export interface SweepSummary {
  readonly config: string;
  readonly env: string;
  readonly kind: string;
  readonly trials: number;
  /** Trials found finished in the journal and not run again. */
  readonly resumed: number;
  /** Trials run by this invocation. */
  readonly ran: number;
  readonly workers: number;
  /** From starting the pool to the last trial's result (thread start-up included). */
  readonly wallSeconds: number;
  /** Starting the worker threads and loading the env code in each (0 when nothing ran). */
  readonly startupSeconds: number;
  /** `ran / (wallSeconds − startupSeconds)`: the rate once the workers are up. */
  readonly trialsPerSec: number;
  /** Env steps (training and evaluation) of the trials run by this invocation. */
  readonly envSteps: number;
  /** `envSteps / (wallSeconds − startupSeconds)`, all workers together. */
  readonly envStepsPerSec: number;
  readonly files: { readonly dir: string; readonly csv: string; readonly parquet: string; readonly journal: string };
  readonly columns: readonly Column[];
  /** The swept parameters' columns (`agent.gamma`, …), in grid order. */
  readonly parameters: readonly string[];
  /** The results table, one object per trial in grid order. */
  readonly rows: readonly { readonly [column: string]: string | number | boolean | null }[];
}

/** The worker module; piscina loads it by URL (tsx compiles it in each worker). */
const WORKER_URL = new URL('./worker.ts', import.meta.url).href;

/** Worker count when neither `--workers` nor the config gives one: one per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runSweep(plan: SweepPlan, options: RunSweepOptions): Promise<SweepSummary> {
  const { config } = plan;
  const journalPath = join(options.out, JOURNAL_FILE);
  const header: JournalHeader = { type: 'sweep', version: JOURNAL_VERSION, fingerprint: plan.fingerprint, config: config.file, trials: plan.trials.length };
  const { journal, finished } = options.resume ? Journal.resume(journalPath, header) : { journal: Journal.create(journalPath, header), finished: new Map<string, TrialRecord>() };
  const records: TrialRecord[] = [];
  const pending: TrialSpec[] = [];
  for (const t of plan.trials) {
    const done = finished.get(t.key);
    if (done === undefined) pending.push(t);
    else records.push({ ...done, index: t.index });
  }
  writeFileAtomic(join(options.out, SWEEP_FILE), toJson({
    config: config.file, name: config.name, env: config.env, envOptions: config.envOptions, trial: config.trial,
    grid: config.grid.map((p) => ({ column: p.column, values: p.values })), seeds: config.seeds,
    fingerprint: plan.fingerprint, trials: plan.trials.length, columns: plan.columns,
  }));

  options.onStart?.(pending.length);
  const workers = Math.max(1, Math.min(options.workers, pending.length));
  const started = performance.now();
  let running = started;
  let ended = started;
  let envSteps = 0;
  try {
    if (pending.length > 0) {
      const pool = new Piscina<TrialTask | WarmUp, WorkerReply>({ filename: WORKER_URL, minThreads: workers, maxThreads: workers, execArgv: workerExecArgv() });
      // one warm-up per thread (each is busy until it has loaded the module), so start-up is timed apart
      await Promise.all(Array.from({ length: workers }, () => pool.run({ warmUp: true })));
      running = performance.now();
      let next = 0;
      let failure: SweepTrialError | null = null;
      const lane = async (): Promise<void> => {
        while (failure === null && next < pending.length) {
          const trial = pending[next++]!;
          let reply: WorkerReply;
          try {
            reply = await pool.run(trial.task);
          } catch (err) {
            reply = { ok: false, name: (err as Error).name, message: (err as Error).message };
          }
          if (!reply.ok) {
            failure ??= new SweepTrialError(trial.index, describeTrial(trial), `${reply.name}: ${reply.message}`);
            return;
          }
          const record: TrialRecord = { index: trial.index, key: trial.key, seed: trial.seed, params: trial.params, metrics: finiteOrNull(reply.metrics) };
          journal.append(record);
          records.push(record);
          envSteps += reply.metrics.envSteps ?? 0;
          options.onTrial?.(record, records.length - (plan.trials.length - pending.length), pending.length);
        }
      };
      try {
        await Promise.all(Array.from({ length: workers }, lane));
        ended = performance.now();
      } finally {
        await pool.destroy();
      }
      if (failure !== null) throw failure;
    }
  } finally {
    journal.close();
  }
  const wallSeconds = (ended - started) / 1000;
  const runSeconds = (ended - running) / 1000;

  records.sort((a, b) => a.index - b.index);
  const files = await writeResultsTable(options.out, plan.columns, records);
  const ran = pending.length;
  const summary: SweepSummary = {
    config: config.file, env: config.env, kind: config.trial.kind, trials: plan.trials.length, resumed: plan.trials.length - ran, ran, workers,
    wallSeconds, startupSeconds: (running - started) / 1000,
    trialsPerSec: ran === 0 ? 0 : ran / runSeconds, envSteps, envStepsPerSec: ran === 0 ? 0 : envSteps / runSeconds,
    files: { dir: options.out, ...files, journal: journalPath },
    columns: plan.columns,
    parameters: config.grid.map((p) => p.column),
    rows: records.map((r) => Object.fromEntries(plan.columns.map((c) => [c.name, cellValue(r, c)]))),
  };
  const { rows: _rows, ...brief } = summary;
  writeFileAtomic(join(options.out, SUMMARY_FILE), toJson(brief));
  return summary;
}

/** `agent.gamma=0.99, seed 2` */
export function describeTrial(t: Pick<TrialSpec, 'params' | 'seed'>): string {
  const parts = Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v as Json)}`);
  return [...parts, `seed ${t.seed}`].join(', ');
}

function finiteOrNull(metrics: { readonly [name: string]: number }): { [name: string]: number | null } {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}
