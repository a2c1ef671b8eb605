/**
 * DQN's experience replay, as SB3's `ReplayBuffer(handle_timeout_termination=True)`
 * (`stable_baselines3/common/buffers.py`): a ring of `capacity` transitions in typed arrays
 * (observation, next observation, action, reward, done, timeout), overwritten oldest first, sampled
 * uniformly with replacement.
 *
 * `dones` records that the episode ended (terminated or truncated) and `timeouts` that it was cut by
 * a time limit rather than by the MDP, so the target bootstraps unless it truly terminated:
 * SB3's `dones · (1 − timeouts)`. `nextObservations` holds the real last observation of a
 * truncated episode (Gymnasium's final observation), never the first one of the next episode.
 *
 * `toBytes`/`fromBytes` serialise the filled part (little-endian) for checkpoints.
 */
import { endianness } from 'node:os';
import { DammGymError, describeValue } from '../../env/core/errors.js';
import type { Rng } from '../../env/core/rng.js';

/** Replay-buffer bytes that cannot be read back (wrong magic, sizes or length). */
export class ReplayBufferFormatError extends DammGymError {}

/** A sampled minibatch; the arrays are reused by the next `sample` call of the same buffer. */
export interface ReplayBatch {
  readonly size: number;
  /** `size × obsDim`, row-major. */
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** 1 where the target must not bootstrap: terminated (done and not a time-out). */
  readonly terminals: Float32Array;
  /** Buffer rows the batch came from. */
  readonly indices: Int32Array;
}

const MAGIC = 'DQNRBUF1';
const HEADER_BYTES = 32;

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  /** float32, as SB3 stores them (the target is computed in float32 anyway). */
  readonly rewards: Float32Array;
  readonly dones: Uint8Array;
  readonly timeouts: Uint8Array;
  /** Next row to write. */
  pos = 0;
  full = false;
  private batch: ReplayBatch | null = null;

  constructor(capacity: number, obsDim: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new ReplayBufferFormatError(`ReplayBuffer: capacity must be a positive integer, got ${describeValue(capacity)}`);
    if (!Number.isSafeInteger(obsDim) || obsDim < 1) throw new ReplayBufferFormatError(`ReplayBuffer: obsDim must be a positive integer, got ${describeValue(obsDim)}`);
    if (capacity * obsDim > 2 ** 28) {
      throw new ReplayBufferFormatError(`ReplayBuffer: capacity ${capacity} × obsDim ${obsDim} exceeds 2^28 floats per array; use a smaller buffer`);
    }
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.observations = new Float32Array(capacity * obsDim);
    this.nextObservations = new Float32Array(capacity * obsDim);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
    this.timeouts = new Uint8Array(capacity);
  }

  /** Transitions stored (at most `capacity`). */
  get size(): number {
    return this.full ? this.capacity : this.pos;
  }

  /** Stores (s, a, r, s') with how the step ended; `nextObs` is the step's own observation even when it ended the episode. */
  add(obs: ArrayLike<number>, nextObs: ArrayLike<number>, action: number, reward: number, terminated: boolean, truncated: boolean): void {
    const d = this.obsDim;
    const at = this.pos * d;
    for (let i = 0; i < d; i++) {
      this.observations[at + i] = obs[i]!;
      this.nextObservations[at + i] = nextObs[i]!;
    }
    this.actions[this.pos] = action;
    this.rewards[this.pos] = reward;
    this.dones[this.pos] = terminated || truncated ? 1 : 0;
    this.timeouts[this.pos] = truncated && !terminated ? 1 : 0;
    this.pos++;
    if (this.pos === this.capacity) {
      this.pos = 0;
      this.full = true;
    }
  }

  /** `batchSize` rows drawn uniformly with replacement by `rng` (SB3: `randint(0, upper_bound, batch_size)`). */
  sample(batchSize: number, rng: Rng): ReplayBatch {
    const n = this.size;
    if (n === 0) throw new ReplayBufferFormatError('ReplayBuffer.sample: the buffer is empty');
    const d = this.obsDim;
    if (this.batch === null || this.batch.size !== batchSize) {
      this.batch = {
        size: batchSize,
        observations: new Float32Array(batchSize * d),
        nextObservations: new Float32Array(batchSize * d),
        actions: new Int32Array(batchSize),
        rewards: new Float32Array(batchSize),
        terminals: new Float32Array(batchSize),
        indices: new Int32Array(batchSize),
      };
    }
    const b = this.batch;
    for (let k = 0; k < batchSize; k++) {
      const i = rng.integers(0, n);
      b.indices[k] = i;
      b.observations.set(this.observations.subarray(i * d, i * d + d), k * d);
      b.nextObservations.set(this.nextObservations.subarray(i * d, i * d + d), k * d);
      b.actions[k] = this.actions[i]!;
      b.rewards[k] = this.rewards[i]!;
      b.terminals[k] = this.dones[i]! * (1 - this.timeouts[i]!);
    }
    return b;
  }

  /** The filled rows and the ring position, little-endian. */
  toBytes(): Uint8Array {
    assertLittleEndian();
    const n = this.size;
    const d = this.obsDim;
    const parts: Uint8Array[] = [
      bytesOf(this.observations.subarray(0, n * d)),
      bytesOf(this.nextObservations.subarray(0, n * d)),
      bytesOf(this.actions.subarray(0, n)),
      bytesOf(this.rewards.subarray(0, n)),
      this.dones.subarray(0, n),
      this.timeouts.subarray(0, n),
    ];
    const out = new Uint8Array(HEADER_BYTES + parts.reduce((s, p) => s + p.byteLength, 0));
    out.set(new TextEncoder().encode(MAGIC), 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, this.capacity, true);
    view.setUint32(12, d, true);
    view.setUint32(16, n, true);
    view.setUint32(20, this.pos, true);
    view.setUint32(24, this.full ? 1 : 0, true);
    let at = HEADER_BYTES;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  /** Rebuilds a buffer from `toBytes()`; `source` (a file name) appears in errors. */
  static fromBytes(bytes: Uint8Array, source: string): ReplayBuffer {
    assertLittleEndian();
    const fail = (what: string): never => {
      throw new ReplayBufferFormatError(`${source}: not a replay buffer written by ReplayBuffer.toBytes (${what})`);
    };
    if (bytes.byteLength < HEADER_BYTES) fail(`${bytes.byteLength} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail(`magic ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 8)))}, expected ${MAGIC}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const capacity = view.getUint32(8, true);
    const d = view.getUint32(12, true);
    const n = view.getUint32(16, true);
    const pos = view.getUint32(20, true);
    const full = view.getUint32(24, true);
    if (capacity < 1 || d < 1 || n > capacity || pos >= capacity || full > 1 || (full === 1 ? n !== capacity : n !== pos)) {
      fail(`inconsistent header: capacity ${capacity}, obsDim ${d}, size ${n}, pos ${pos}, full ${full}`);
    }
    const expected = HEADER_BYTES + n * (2 * 4 * d + 4 + 4 + 1 + 1);
    if (bytes.byteLength !== expected) fail(`${bytes.byteLength} bytes; size ${n} × obsDim ${d} needs ${expected}`);
    const buffer = new ReplayBuffer(capacity, d);
    let at = HEADER_BYTES;
    const take = (len: number) => {
      const part = bytes.slice(at, at + len);
      at += len;
      return part.buffer;
    };
    buffer.observations.set(new Float32Array(take(4 * n * d)));
    buffer.nextObservations.set(new Float32Array(take(4 * n * d)));
    buffer.actions.set(new Int32Array(take(4 * n)));
    buffer.rewards.set(new Float32Array(take(4 * n)));
    buffer.dones.set(new Uint8Array(take(n)));
    buffer.timeouts.set(new Uint8Array(take(n)));
    buffer.pos = pos;
    buffer.full = full === 1;
    return buffer;
  }
}

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new ReplayBufferFormatError('ReplayBuffer serialisation assumes a little-endian machine');
}
