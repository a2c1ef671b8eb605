/**
 * `RecordEpisodeStatistics(env)`: at the end of each episode adds `info.episode = { r, l, t }`
 * (return, length, wall-clock seconds rounded to µs) and keeps the last `bufferLength` values in
 * `returnQueue`, `lengthQueue` and `timeQueue`.
 */
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { InvalidArgumentError, describeValue } from '../errors.js';

export interface EpisodeStatistics {
  /** Sum of rewards. */
  r: number;
  /** Number of steps. */
  l: number;
  /** Seconds from reset to the final step. */
  t: number;
}

export interface RecordEpisodeStatisticsOptions {
  bufferLength?: number;
  statsKey?: string;
}

/** A fixed-capacity FIFO (Python's `deque(maxlen=n)`), oldest first. */
export class BoundedQueue<T> implements Iterable<T> {
  private items: T[] = [];
  constructor(readonly maxLength: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.maxLength) this.items.shift();
  }

  get length(): number {
    return this.items.length;
  }

  toArray(): T[] {
    return [...this.items];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}

export class RecordEpisodeStatistics<Obs, Act> extends Wrapper<Obs, Act> {
  readonly statsKey: string;
  readonly returnQueue: BoundedQueue<number>;
  readonly lengthQueue: BoundedQueue<number>;
  readonly timeQueue: BoundedQueue<number>;
  episodeCount = 0;
  private episodeStart = -1;
  private episodeReturn = 0;
  private episodeLength = 0;

  constructor(env: Env<Obs, Act>, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    const bufferLength = options.bufferLength ?? 100;
    if (!Number.isInteger(bufferLength) || bufferLength <= 0) {
      throw new InvalidArgumentError(`RecordEpisodeStatistics: bufferLength must be a positive integer, got ${describeValue(bufferLength)}`);
    }
    this.statsKey = options.statsKey ?? 'episode';
    this.returnQueue = new BoundedQueue(bufferLength);
    this.lengthQueue = new BoundedQueue(bufferLength);
    this.timeQueue = new BoundedQueue(bufferLength);
  }

  override reset(args?: ResetArgs): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.episodeStart = performance.now();
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.episodeReturn += result[1];
    this.episodeLength += 1;
    if (result[2] || result[3]) {
      if (this.statsKey in result[4]) {
        throw new InvalidArgumentError(`RecordEpisodeStatistics: the env's info already has key '${this.statsKey}'; choose another statsKey`);
      }
      const t = Math.round((performance.now() - this.episodeStart) * 1000) / 1e6;
      const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t };
      // A new info object: the env's may be shared or frozen.
      result[4] = { ...result[4], [this.statsKey]: stats };
      this.returnQueue.push(this.episodeReturn);
      this.lengthQueue.push(this.episodeLength);
      this.timeQueue.push(t);
      this.episodeCount++;
      this.episodeStart = performance.now();
    }
    return result;
  }
}
