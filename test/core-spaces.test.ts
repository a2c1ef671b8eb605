import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  spaces,
  Box,
  Discrete,
  MultiDiscrete,
  MultiBinary,
  Tuple,
  Dict,
  flatdim,
  flatten,
  unflatten,
  flattenSpace,
  spaceFromJSON,
  SpaceError,
  type AnySpace,
} from '../env/core/index.js';

function makeSpaces(): AnySpace[] {
  return [
    new Discrete(5),
    new Discrete(3, -1),
    new Box(-1, 1, [2], 'float32'),
    new Box([-1, 0, -Infinity, -Infinity], [Infinity, 2, 5, Infinity], null, 'float64'),
    new Box(-3, 7, [2, 3], 'int32'),
    new Box(0, 255, [4], 'uint8'),
    new Box(-Infinity, Infinity, [3], 'int16'),
    new MultiDiscrete([5, 2, 2]),
    new MultiDiscrete([[2, 3], [4, 5]], [[0, 1], [-2, 0]]),
    new MultiBinary(6),
    new MultiBinary([2, 3]),
    new Tuple([new Discrete(2), new Box(0, 1, [3])]),
    new Dict({ position: new Box(-1, 1, [2]), color: new Discrete(3), nested: new Dict({ flag: new MultiBinary(2) }) }),
  ];
}

test('every space: samples lie in the space for many seeds, and the same seed gives the same samples', () => {
  for (const space of makeSpaces()) {
    for (let seed = 0; seed < 30; seed++) {
      space.seed(seed);
      const first = Array.from({ length: 5 }, () => space.sample());
      for (const s of first) assert.ok(space.contains(s), `${space} should contain ${JSON.stringify(space.toJsonable([s]))}`);
      space.seed(seed);
      const again = Array.from({ length: 5 }, () => space.sample());
      assert.deepEqual(again, first, `${space} seed ${seed}`);
    }
  }
});

test('JSON round trip of every space definition, and of samples via toJsonable/fromJsonable', () => {
  for (const space of makeSpaces()) {
    const json = JSON.parse(JSON.stringify(space));
    const back = spaceFromJSON(json);
    assert.ok(back.equals(space), `${space} → ${back}`);
    assert.equal(back.toString(), space.toString());
    space.seed(3);
    const samples = [space.sample(), space.sample()];
    const restored = space.fromJsonable(JSON.parse(JSON.stringify(space.toJsonable(samples))));
    assert.deepEqual(restored, samples, `${space} samples`);
  }
  assert.throws(() => spaceFromJSON({ type: 'Graph' }), SpaceError);
  assert.throws(() => spaceFromJSON({ type: 'Box', low: 'x', high: 1, shape: [1], dtype: 'float32' }), /low/);
  assert.throws(() => spaceFromJSON({ type: 'Box', low: 0, high: 1, shape: [1], dtype: 'int64' }), /dtype/);
});

test('toString follows Gymnasium repr', () => {
  assert.equal(new Discrete(2).toString(), 'Discrete(2)');
  assert.equal(new Discrete(3, -1).toString(), 'Discrete(3, start=-1)');
  assert.equal(new Box(-1, 1, [2], 'float32').toString(), 'Box(-1.0, 1.0, (2,), float32)');
  assert.equal(new Box(0, 255, [2, 2], 'uint8').toString(), 'Box(0, 255, (2, 2), uint8)');
  assert.equal(new Box([-1, -2], [2, 4]).toString(), 'Box([-1.0 -2.0], [2.0 4.0], (2,), float32)');
  assert.equal(new MultiDiscrete([5, 2, 2]).toString(), 'MultiDiscrete([5 2 2])');
  assert.equal(new MultiBinary(5).toString(), 'MultiBinary(5)');
  assert.equal(new Tuple([new Discrete(2), new MultiBinary(2)]).toString(), 'Tuple(Discrete(2), MultiBinary(2))');
  assert.equal(new Dict({ b: new Discrete(2), a: new Discrete(3) }).toString(), "Dict('a': Discrete(3), 'b': Discrete(2))");
});

test('Discrete: mask restricts samples, all-zero mask gives start, probability follows the distribution', () => {
  const d = new Discrete(4, 10, 0);
  for (let i = 0; i < 200; i++) assert.ok([11, 13].includes(d.sample({ mask: Int8Array.of(0, 1, 0, 1) })));
  assert.equal(d.sample({ mask: [0, 0, 0, 0] }), 10);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 20000; i++) counts[d.sample({ probability: [0.1, 0, 0.6, 0.3] }) - 10]++;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[0]! / 20000 - 0.1) < 0.015 && Math.abs(counts[2]! / 20000 - 0.6) < 0.015, JSON.stringify(counts));
  assert.throws(() => d.sample({ mask: [1, 0] }), /length 4/);
  assert.throws(() => d.sample({ mask: [2, 0, 0, 0] }), /0 or 1/);
  assert.throws(() => d.sample({ probability: [0.5, 0.5, 0.5, 0] }), /sum to 1/);
  assert.throws(() => d.sample({ probability: [1.5, -0.5, 0, 0] }), /\[0, 1\]/);
  assert.throws(() => d.sample({ mask: [1, 1, 1, 1], probability: [1, 0, 0, 0] }), /only one/);
  assert.ok(d.contains(13) && !d.contains(14) && !d.contains(9) && !d.contains(11.5) && !d.contains(NaN) && !d.contains('11'));
  assert.throws(() => new Discrete(0), SpaceError);
  assert.throws(() => new Discrete(2.5), SpaceError);
});

test('Box sampling by bound type: uniform, shifted exponential, normal; integer dtypes floored', () => {
  const box = new Box([-1, 2, -Infinity, -Infinity], [1, Infinity, 3, Infinity], null, 'float64', 0);
  const n = 20000;
  const sums = [0, 0, 0, 0];
  let aboveBoth = 0;
  for (let i = 0; i < n; i++) {
    const s = box.sample();
    assert.ok(s[0]! >= -1 && s[0]! <= 1);
    assert.ok(s[1]! >= 2);
    assert.ok(s[2]! <= 3);
    if (s[3]! > 0) aboveBoth++;
    for (let k = 0; k < 4; k++) sums[k] += s[k]!;
  }
  const mean = sums.map((v) => v / n);
  assert.ok(Math.abs(mean[0]!) < 0.03, `uniform mean ${mean[0]}`);
  assert.ok(Math.abs(mean[1]! - 3) < 0.05, `low-bounded: 2 + Exp(1) mean ${mean[1]}`);
  assert.ok(Math.abs(mean[2]! - 2) < 0.05, `high-bounded: 3 - Exp(1) mean ${mean[2]}`);
  assert.ok(Math.abs(mean[3]!) < 0.05 && Math.abs(aboveBoth / n - 0.5) < 0.02, `normal mean ${mean[3]}`);

  const ints = new Box(-2, 2, [1000], 'int32', 1).sample();
  assert.ok(ints instanceof Int32Array);
  const seen = new Set(ints);
  assert.deepEqual([...seen].sort((a, b) => a - b), [-2, -1, 0, 1, 2], 'both bounds are reachable for integer dtypes');
  assert.ok(new Box(-1, 1, [3], 'float32').sample() instanceof Float32Array);
  assert.equal(new Box(-Infinity, Infinity, [2], 'int8').low[0], -128);
  assert.ok(!new Box(-Infinity, Infinity, [2], 'int8').isBounded('below'));
});

test('Box construction errors name the problem', () => {
  assert.throws(() => new Box(1, 0, [1]), /low must be <= high/);
  assert.throws(() => new Box(NaN, 1, [1]), /NaN/);
  assert.throws(() => new Box([0, 0], [1, 1, 1]), /shape/);
  assert.throws(() => new Box(-Infinity, 1, [1], 'uint8'), /unsigned/);
  assert.throws(() => new Box(0, 300, [1], 'uint8'), /out of the uint8 range/);
  assert.throws(() => new Box(0, 1, [1], 'int64' as 'int32'), /dtype/);
  assert.throws(() => new Box(0, 1).sample({ mask: [1] as never }), /mask/);
});

test('Box.contains: dtype casting rules, shapes, NaN and bounds', () => {
  const box = new Box(-1, 1, [2], 'float32');
  assert.ok(box.contains(Float32Array.of(0.5, -1)));
  assert.ok(box.contains([0.5, 1]), 'plain arrays are cast to float32');
  assert.ok(box.contains(Int8Array.of(1, 0)), 'int8 casts safely to float32');
  assert.ok(!box.contains(Float64Array.of(0.5, 0.5)), 'float64 does not cast safely to float32 (numpy can_cast)');
  assert.ok(!box.contains(Float32Array.of(0.5)), 'wrong size');
  assert.ok(!box.contains(Float32Array.of(NaN, 0)), 'NaN');
  assert.ok(!box.contains([1.5, 0]), 'out of bounds');
  assert.ok(!box.contains('ab'));
  assert.match(box.mismatch(Float64Array.of(0, 0))!, /float64 cannot be cast safely to float32/);
  const grid = new Box(0, 3, [2, 2], 'int32');
  assert.ok(grid.contains([[0, 1], [2, 3]]));
  assert.ok(!grid.contains([[0, 1, 2], [2]]));
  assert.ok(!grid.contains([0.5, 1, 2, 3]), 'integer dtype needs integers');
  assert.ok(new Box(0, 1, [], 'float64').contains(0.5), 'shape [] accepts a number');
});

test('MultiDiscrete and MultiBinary: masks, probabilities, containment', () => {
  const md = new MultiDiscrete([3, 2], [1, -1], 'int32', 4);
  for (let i = 0; i < 100; i++) {
    const s = md.sample({ mask: [[0, 0, 1], [1, 0]] });
    assert.deepEqual(Array.from(s), [3, -1]);
  }
  assert.deepEqual(Array.from(md.sample({ mask: [[0, 0, 0], [0, 0]] })), [1, -1], 'all-zero masks give start');
  assert.deepEqual(Array.from(md.sample({ probability: [[0, 1, 0], [0, 1]] })), [2, 0]);
  assert.ok(md.contains([3, 0]) && !md.contains([4, 0]) && !md.contains([1.5, 0]) && !md.contains(Float32Array.of(1, 0)));
  assert.throws(() => new MultiDiscrete([2, 0]), /positive/);
  const mb = new MultiBinary(4, 2);
  assert.deepEqual(Array.from(mb.sample({ mask: [0, 1, 0, 1] })), [0, 1, 0, 1]);
  for (let i = 0; i < 50; i++) {
    const s = mb.sample({ probability: [0, 1, 0, 1] });
    assert.deepEqual(Array.from(s), [0, 1, 0, 1]);
  }
  assert.ok(mb.contains([1, 0, 0, 1]) && !mb.contains([2, 0, 0, 1]) && !mb.contains([1, 0]));
});

test('composite spaces: an int seed derives sub-seeds; per-subspace seeds and masks are accepted', () => {
  const t1 = new Tuple([new Discrete(100), new Box(0, 1, [2])], 5);
  const t2 = new Tuple([new Discrete(100), new Box(0, 1, [2])], 5);
  assert.deepEqual([t1.sample(), t1.sample()], [t2.sample(), t2.sample()]);
  const seeds = t1.seed(9) as number[];
  assert.equal(seeds.length, 2);
  assert.notEqual(seeds[0], seeds[1]);
  t1.seed([1, 2]);
  const direct = new Discrete(100, 0, 1).sample();
  assert.equal(t1.spaces[0].sample(), direct);
  const d = new Dict({ a: new Discrete(3), b: new Discrete(3) }, { a: 1, b: 2 });
  assert.equal(d.spaces.a.sample(), new Discrete(3, 0, 1).sample());
  assert.throws(() => d.seed({ a: 1 }), /keys/);
  const masked = d.sample({ mask: { a: [0, 0, 1], b: null } });
  assert.equal(masked.a, 2);
  assert.ok(d.contains({ a: 0, b: 2 }) && !d.contains({ a: 0 }) && !d.contains({ a: 0, b: 2, c: 1 }));
  assert.deepEqual(d.keys, ['a', 'b']);
  assert.deepEqual(Dict.fromEntries([['z', new Discrete(2)], ['a', new Discrete(2)]]).keys, ['z', 'a']);
});

test('flatdim / flatten / unflatten / flattenSpace', () => {
  const space = new Dict({
    pos: new Box(-1, 1, [2], 'float32'),
    kind: new Discrete(3, 1),
    bits: new MultiBinary(2),
    md: new MultiDiscrete([2, 3]),
  });
  assert.equal(flatdim(space), 2 + 3 + 2 + 5);
  space.seed(0);
  for (let i = 0; i < 20; i++) {
    const x = space.sample();
    const flat = flatten(space, x);
    assert.equal(flat.length, flatdim(space));
    assert.ok(flattenSpace(space).contains(flat), 'flattened sample lies in the flattened space');
    assert.deepEqual(unflatten(space, flat), x);
  }
  assert.deepEqual(Array.from(flatten(new Discrete(4, 2), 3)), [0, 1, 0, 0]);
  assert.equal(flattenSpace(space).dtype, 'float64', 'float32 with int32 promotes to float64 (numpy result_type)');
  assert.equal(flattenSpace(new Tuple([new Box(0, 1, [1], 'float32'), new MultiBinary(2)])).dtype, 'float32');
  const fb = flattenSpace(new Box(-Infinity, 1, [2, 2], 'float32'));
  assert.deepEqual(fb.shape, [4]);
  assert.ok(!fb.isBounded('below'));
  assert.throws(() => unflatten(new Discrete(3), [0, 0, 0]), /one-hot/);
  assert.ok(spaces.Box === Box && spaces.flatten === flatten, 'spaces namespace exports the same classes');
});
