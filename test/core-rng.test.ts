import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, SeedSequence, npRandom, validateSeed, logGamma } from '../env/core/rng.js';
import { InvalidRngStateError, InvalidSeedError } from '../env/core/errors.js';

test('SeedSequence.generateState matches numpy 2.4.6 bit for bit', () => {
  // python3 -c "import numpy as np; print(np.random.SeedSequence(e, spawn_key=k).generate_state(6))"
  const vectors: [number, number[], number[]][] = [
    [0, [], [2968811710, 3677149159, 745650761, 2884920346, 2642120001, 549907821]],
    [123, [], [693650678, 2973253328, 387799215, 2723177262, 1950554525, 2259100799]],
    [2 ** 40 + 7, [], [238885397, 226915041, 1322230113, 2599373530, 2212210947, 2577144891]],
    [42, [1, 2], [4007147622, 3772432517, 3162052391, 3078089812, 1078678149, 1618437544]],
    [9007199254740991, [0], [12227575, 1583709909, 989796828, 1809243901, 2318385218, 2676513224]],
  ];
  for (const [entropy, key, expected] of vectors) {
    assert.deepEqual(Array.from(new SeedSequence(entropy, key).generateState(6)), expected, `entropy ${entropy} key ${key}`);
  }
});

test('xoshiro128** matches the reference C output for state [1, 2, 3, 4]', () => {
  const rng = new Rng(0);
  rng.setState({ ...rng.getState(), s: [1, 2, 3, 4], spareNormal: null });
  const out = Array.from({ length: 8 }, () => rng.nextUint32());
  assert.deepEqual(out, [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
});

test('seeds: non-integer, negative, unsafe and non-number seeds are rejected with InvalidSeedError', () => {
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, '3', null, 3n]) {
    assert.throws(() => validateSeed(bad), InvalidSeedError, `seed ${String(bad)}`);
    assert.throws(() => new Rng(bad as number), InvalidSeedError);
  }
  assert.throws(() => npRandom(-5), /non-negative/);
  assert.equal(validateSeed(0), 0);
});

test('same seed gives the same stream; different seeds differ; undefined seed uses fresh entropy', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const xs = Array.from({ length: 50 }, () => a.random());
  assert.deepEqual(Array.from({ length: 50 }, () => b.random()), xs);
  assert.notDeepEqual(Array.from({ length: 50 }, () => c.random()), xs);
  const [r1, s1] = npRandom();
  const [r2, s2] = npRandom();
  assert.notEqual(s1, s2);
  assert.notEqual(r1.random(), r2.random());
  const [r3] = npRandom(s1);
  const [r4] = npRandom(s1);
  assert.equal(r3.random(), r4.random());
});

test('getState/setState restores the stream bit-exactly, including the cached normal, through JSON', () => {
  const rng = new Rng(99);
  rng.normal(); // leaves a spare normal cached
  const saved = JSON.parse(JSON.stringify(rng.getState()));
  const expected = [rng.normal(), rng.random(), rng.integers(0, 1000), rng.poisson(3.5), rng.exponential()];
  const other = new Rng(1);
  other.setState(saved);
  assert.deepEqual([other.normal(), other.random(), other.integers(0, 1000), other.poisson(3.5), other.exponential()], expected);
  // The restored stream also spawns the same children.
  assert.equal(rng.spawn(1)[0]!.random(), other.spawn(1)[0]!.random());
  assert.ok(rng.stateEquals(other));
});

test('setState rejects malformed states', () => {
  const rng = new Rng(1);
  const good = rng.getState();
  assert.throws(() => rng.setState({ ...good, algorithm: 'pcg64' as 'xoshiro128**' }), InvalidRngStateError);
  assert.throws(() => rng.setState({ ...good, s: [0, 0, 0, 0] }), InvalidRngStateError);
  assert.throws(() => rng.setState({ ...good, s: [1, 2, 3, 2 ** 32] }), InvalidRngStateError);
  assert.throws(() => rng.setState({ ...good, spareNormal: NaN }), InvalidRngStateError);
});

test('spawn gives deterministic, independent children without consuming parent draws', () => {
  const p1 = new Rng(5);
  const p2 = new Rng(5);
  const [c1, c2] = p1.spawn(2);
  const before = p2.random();
  assert.equal(p1.random(), before, 'spawning does not advance the parent stream');
  const [d1] = p2.spawn(1);
  assert.equal(c1!.random(), d1!.random());
  assert.notEqual(c1!.random(), c2!.random());
  // Later spawns continue the spawn key (numpy semantics): not a repeat of the first child.
  const [c3] = p1.spawn(1);
  assert.deepEqual(c3!.seedSequence.spawnKey, [2]);
});

test('random() is in [0, 1) and integers() is unbiased and in range', () => {
  const rng = new Rng(3);
  const counts = new Array(7).fill(0);
  const n = 70000;
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    assert.ok(u >= 0 && u < 1);
    const k = rng.integers(0, 7);
    counts[k]++;
  }
  // Chi-square with 6 degrees of freedom: 22.46 is the 0.999 quantile.
  const chi = counts.reduce((s, c) => s + (c - n / 7) ** 2 / (n / 7), 0);
  assert.ok(chi < 22.46, `chi-square ${chi}`);
  for (let i = 0; i < 1000; i++) {
    const k = rng.integers(-3, 2 ** 40);
    assert.ok(Number.isInteger(k) && k >= -3 && k < 2 ** 40);
  }
  assert.equal(rng.integers(5, 6), 5);
  assert.throws(() => rng.integers(3, 3), /low < high/);
  assert.throws(() => rng.integers(0.5, 3), /safe integers/);
});

test('normal, exponential, lognormal and poisson have the right moments', () => {
  const rng = new Rng(11);
  const n = 40000;
  const moments = (draw: () => number): [number, number] => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      s2 += x * x;
    }
    const m = s / n;
    return [m, s2 / n - m * m];
  };
  const [nm, nv] = moments(() => rng.normal(2, 3));
  assert.ok(Math.abs(nm - 2) < 0.06 && Math.abs(nv - 9) < 0.3, `normal ${nm} ${nv}`);
  const [em, ev] = moments(() => rng.exponential(2));
  assert.ok(Math.abs(em - 2) < 0.06 && Math.abs(ev - 4) < 0.3, `exponential ${em} ${ev}`);
  const [lm] = moments(() => rng.lognormal(0, 0.5));
  assert.ok(Math.abs(lm - Math.exp(0.125)) < 0.02, `lognormal ${lm}`);
  for (const lam of [0.5, 4, 30, 500]) {
    const [pm, pv] = moments(() => rng.poisson(lam));
    assert.ok(Math.abs(pm - lam) < 0.05 * lam + 0.02, `poisson(${lam}) mean ${pm}`);
    assert.ok(Math.abs(pv - lam) < 0.1 * lam + 0.05, `poisson(${lam}) var ${pv}`);
  }
  assert.equal(rng.poisson(0), 0);
  assert.throws(() => rng.poisson(-1), /lam/);
  assert.throws(() => rng.poisson(NaN), /finite/);
});

test('logGamma matches known values', () => {
  assert.ok(Math.abs(logGamma(1)) < 1e-12);
  assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-10);
  assert.ok(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI))) < 1e-10);
  assert.ok(Math.abs(logGamma(101) - 363.73937555556347) < 1e-8);
});

test('clone continues the same stream independently', () => {
  const a = new Rng(21);
  a.random();
  const b = a.clone();
  assert.equal(a.random(), b.random());
  a.random();
  assert.notEqual(a.getState().s.join(), b.getState().s.join());
});
