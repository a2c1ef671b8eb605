/**
 * Worker threads that each step a fixed shard of a vector env's rows, in lock step with the main
 * thread (EnvPool's `num_threads`). The rows' state is in SharedArrayBuffers both sides view; what
 * crosses threads per step is two integers in a control block: the main thread bumps a sequence
 * number (Atomics.notify), each worker steps its rows and publishes that number as done. A worker
 * spins briefly before it sleeps, since the next step usually comes within microseconds.
 *
 * Each thread starts from shardWorker.mjs (which loads the shard's TypeScript module) and runs
 * `serveShard` until `close`. The threads are unref'd, as Gymnasium's AsyncVectorEnv is closed at
 * exit: a forgotten `close()` does not keep the process alive. Errors a worker throws are sent back
 * as text and rethrown on the main thread by `join`, through the caller's `revive`.
 */
import { Worker } from 'node:worker_threads';
import { ClosedEnvironmentError } from '../errors.js';
import { workerFlags } from '../threads.js';

/** What each worker's task receives. */
export interface ShardTask<D> {
  readonly control: SharedArrayBuffer;
  readonly errors: SharedArrayBuffer;
  /** This worker's index among the workers (0-based). */
  readonly index: number;
  readonly data: D;
}

// control block: [SEQ, CMD, then per worker READY, DONE, ERROR_LENGTH] (shardWorker.mjs writes READY and ERROR_LENGTH too)
const SEQ = 0;
const CMD = 1;
const HEADER = 2;
const PER_WORKER = 3;
const READY = 0;
const DONE = 1;
const ERROR_LENGTH = 2;
const CMD_STEP = 1;
const CMD_EXIT = 2;
const ERROR_BYTES = 4096;
/** Polls of the shared word before sleeping on it (a few microseconds). */
const SPINS = 4000;

/** Blocks until `view[index]` ≠ `value`, spinning first; returns the new value. */
function awaitChange(view: Int32Array, index: number, value: number): number {
  for (let spins = 0; spins < SPINS; spins++) {
    const now = Atomics.load(view, index);
    if (now !== value) return now;
  }
  for (;;) {
    Atomics.wait(view, index, value);
    const now = Atomics.load(view, index);
    if (now !== value) return now;
  }
}

function writeError(task: ShardTask<unknown>, err: unknown): void {
  const control = new Int32Array(task.control);
  const e = err instanceof Error ? err : new Error(String(err));
  const bytes = new TextEncoder().encode(JSON.stringify({ name: e.name, message: e.message }));
  const length = Math.min(bytes.length, ERROR_BYTES);
  new Uint8Array(task.errors, task.index * ERROR_BYTES, ERROR_BYTES).set(bytes.subarray(0, length));
  Atomics.store(control, HEADER + task.index * PER_WORKER + ERROR_LENGTH, length);
}

/**
 * The worker side: builds the shard with `setup` (which returns the shard's step), reports ready,
 * then steps once per sequence number until the main thread asks it to exit.
 */
export function serveShard<D>(task: ShardTask<D>, setup: (data: D) => () => void): void {
  const control = new Int32Array(task.control);
  const base = HEADER + task.index * PER_WORKER;
  let step: () => void;
  try {
    step = setup(task.data);
  } catch (err) {
    writeError(task, err);
    Atomics.store(control, base + READY, -1);
    Atomics.notify(control, base + READY);
    return;
  }
  // the first command comes after READY, so it is sequence 1 even if it is already there
  let seen = 0;
  Atomics.store(control, base + READY, 1);
  Atomics.notify(control, base + READY);
  for (;;) {
    seen = awaitChange(control, SEQ, seen);
    if (Atomics.load(control, CMD) === CMD_EXIT) return;
    try {
      step();
    } catch (err) {
      writeError(task, err);
    }
    Atomics.store(control, base + DONE, seen);
    Atomics.notify(control, base + DONE);
  }
}

/** An error a worker threw, rebuilt on the main thread (by default a plain Error naming the worker). */
export type ReviveError = (name: string, message: string, worker: number) => Error;

const defaultRevive: ReviveError = (name, message, worker) => new Error(`worker thread ${worker}: ${name}: ${message}`);

/** The main thread's side: starts the workers, then runs one command at a time across them. */
export class ShardThreads {
  readonly size: number;
  private readonly control: Int32Array;
  private readonly errors: SharedArrayBuffer;
  private readonly workers: Worker[] = [];
  private seq = 0;
  private closed = false;

  /**
   * Starts one worker per entry of `data` on the module at `workerUrl` (its default export takes the
   * `ShardTask` and calls `serveShard`) and waits until each has built its shard; a worker that fails to build, or does
   * not report within `bootTimeoutMs`, closes them all and throws.
   */
  constructor(
    workerUrl: string,
    data: readonly unknown[],
    /** Who owns the threads, for messages (e.g. 'drift-vamm-v0 vector env'). */
    private readonly label: string,
    private readonly revive: ReviveError = defaultRevive,
    bootTimeoutMs = 120_000,
  ) {
    const size = data.length;
    this.size = size;
    const control = new SharedArrayBuffer(4 * (HEADER + PER_WORKER * size));
    this.control = new Int32Array(control);
    this.errors = new SharedArrayBuffer(ERROR_BYTES * size);
    const execArgv = workerFlags(process.execArgv);
    for (let w = 0; w < size; w++) {
      const task: ShardTask<unknown> = { control, errors: this.errors, index: w, data: data[w] };
      const worker = new Worker(new URL('./shardWorker.mjs', import.meta.url), { workerData: { module: workerUrl, task }, execArgv });
      worker.unref();
      this.workers.push(worker);
    }
    const deadline = performance.now() + bootTimeoutMs;
    for (let w = 0; w < size; w++) {
      const at = HEADER + w * PER_WORKER + READY;
      while (Atomics.load(this.control, at) === 0) {
        const left = deadline - performance.now();
        if (left <= 0) {
          this.close();
          throw new Error(`${label}: worker thread ${w} did not start within ${bootTimeoutMs} ms (${workerUrl})`);
        }
        Atomics.wait(this.control, at, 0, left);
      }
      if (Atomics.load(this.control, at) === -1) {
        const err = this.takeError(w);
        this.close();
        throw err ?? new Error(`${label}: worker thread ${w} failed to start`);
      }
    }
  }

  /** Starts a step on every worker (they read what the caller left in shared memory). */
  start(): void {
    if (this.closed) throw new ClosedEnvironmentError(`${this.label}: step() after close(); its worker threads have exited (make a new env)`);
    Atomics.store(this.control, CMD, CMD_STEP);
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.control, SEQ, this.seq);
    Atomics.notify(this.control, SEQ);
  }

  /** Waits for every worker to finish the step `start` began; rethrows the first worker error. */
  join(): void {
    const seq = this.seq;
    let first: Error | null = null;
    for (let w = 0; w < this.size; w++) {
      const at = HEADER + w * PER_WORKER + DONE;
      let done = Atomics.load(this.control, at);
      while (done !== seq) done = awaitChange(this.control, at, done);
      const err = this.takeError(w);
      if (err !== null && first === null) first = err;
    }
    if (first !== null) throw first;
  }

  private takeError(w: number): Error | null {
    const at = HEADER + w * PER_WORKER + ERROR_LENGTH;
    const length = Atomics.load(this.control, at);
    if (length === 0) return null;
    Atomics.store(this.control, at, 0);
    const text = new TextDecoder().decode(new Uint8Array(this.errors, w * ERROR_BYTES, length).slice());
    try {
      const { name, message } = JSON.parse(text) as { name: string; message: string };
      return this.revive(name, message, w);
    } catch {
      return this.revive('Error', text, w);
    }
  }

  /** Asks the workers to exit (their loops return and the threads end); later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CMD, CMD_EXIT);
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.control, SEQ, this.seq);
    Atomics.notify(this.control, SEQ);
    // a worker still loading (or failed) never reads the command
    for (const worker of this.workers) worker.terminate().catch(() => {});
  }
}
