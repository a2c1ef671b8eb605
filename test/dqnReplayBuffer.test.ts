import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../env/core/rng.js';
import { ReplayBuffer, ReplayBufferFormatError } from '../agents/deep/replayBuffer.js';

function filled(capacity: number, n: number): ReplayBuffer {
  const b = new ReplayBuffer(capacity, 2);
  for (let i = 0; i < n; i++) b.add([i, -i], [i + 1, -(i + 1)], i % 3, i * 0.5, i % 4 === 3, i % 5 === 4);
  return b;
}

test('ReplayBuffer: a ring that overwrites the oldest transitions', () => {
  const b = filled(3, 5);
  assert.equal(b.size, 3);
  assert.equal(b.full, true);
  assert.equal(b.pos, 2);
  // rows 0 and 1 now hold transitions 3 and 4, row 2 still transition 2
  assert.deepEqual(Array.from(b.observations), [3, -3, 4, -4, 2, -2]);
  assert.deepEqual(Array.from(b.nextObservations), [4, -4, 5, -5, 3, -3]);
  assert.deepEqual(Array.from(b.actions), [0, 1, 2]);
  assert.deepEqual(Array.from(b.rewards), [1.5, 2, 1]);
  const partial = filled(10, 4);
  assert.equal(partial.size, 4);
  assert.equal(partial.full, false);
});

test('ReplayBuffer: truncations bootstrap, terminations do not (SB3 dones · (1 − timeouts))', () => {
  const b = new ReplayBuffer(4, 1);
  b.add([0], [1], 0, 1, false, false); // running
  b.add([1], [2], 0, 1, false, true); // time limit
  b.add([2], [3], 0, 1, true, false); // MDP end
  b.add([3], [4], 0, 1, true, true); // both: terminated wins
  assert.deepEqual(Array.from(b.dones), [0, 1, 1, 1]);
  assert.deepEqual(Array.from(b.timeouts), [0, 1, 0, 0]);
  const batch = b.sample(64, new Rng(0));
  for (let k = 0; k < batch.size; k++) {
    const row = batch.indices[k]!;
    assert.equal(batch.terminals[k], row >= 2 ? 1 : 0, `row ${row}`);
    // the stored next observation is the step's own, also at a time limit
    assert.equal(batch.nextObservations[k], row + 1);
  }
});

test('ReplayBuffer.sample: uniform with replacement over the filled rows, reproducible from the Rng', () => {
  const b = filled(1000, 50);
  const a = Array.from(b.sample(4000, new Rng(3)).indices);
  const again = Array.from(b.sample(4000, new Rng(3)).indices);
  assert.deepEqual(a, again);
  assert.ok(a.every((i) => i >= 0 && i < 50), 'only filled rows');
  const counts = new Array<number>(50).fill(0);
  for (const i of a) counts[i]!++;
  // 80 expected per row; a 6-sigma band (sd ≈ 8.9)
  assert.ok(counts.every((c) => c > 26 && c < 134), `counts ${counts.join(' ')}`);
  const other = Array.from(b.sample(4000, new Rng(4)).indices);
  assert.notDeepEqual(a, other);
  assert.throws(() => new ReplayBuffer(2, 1).sample(1, new Rng(0)), ReplayBufferFormatError);
});

test('ReplayBuffer.toBytes/fromBytes: an exact round trip, partial and wrapped', () => {
  for (const b of [filled(8, 5), filled(3, 7)]) {
    const back = ReplayBuffer.fromBytes(b.toBytes(), 'replay.bin');
    assert.equal(back.capacity, b.capacity);
    assert.equal(back.pos, b.pos);
    assert.equal(back.full, b.full);
    for (const key of ['observations', 'nextObservations', 'actions', 'rewards', 'dones', 'timeouts'] as const) {
      assert.deepEqual(Array.from(back[key]), Array.from(b[key]), key);
    }
    // the restored buffer continues as the original does
    b.add([9, 9], [9, 9], 1, 9, false, false);
    back.add([9, 9], [9, 9], 1, 9, false, false);
    assert.deepEqual(Array.from(back.sample(16, new Rng(1)).indices), Array.from(b.sample(16, new Rng(1)).indices));
  }
});

test('ReplayBuffer.fromBytes: damaged bytes are refused with the file named', () => {
  const bytes = filled(8, 5).toBytes();
  assert.throws(() => ReplayBuffer.fromBytes(bytes.subarray(0, bytes.length - 1), 'ckpt/replay.bin'), (e: unknown) =>
    e instanceof ReplayBufferFormatError && /ckpt\/replay\.bin/.test(e.message) && /bytes/.test(e.message));
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0x58;
  assert.throws(() => ReplayBuffer.fromBytes(wrongMagic, 'r.bin'), /magic/);
  const badHeader = bytes.slice();
  new DataView(badHeader.buffer).setUint32(16, 99, true); // size > capacity
  assert.throws(() => ReplayBuffer.fromBytes(badHeader, 'r.bin'), /inconsistent header/);
  assert.throws(() => ReplayBuffer.fromBytes(new Uint8Array(4), 'r.bin'), /header/);
  assert.throws(() => new ReplayBuffer(0, 2), ReplayBufferFormatError);
});
