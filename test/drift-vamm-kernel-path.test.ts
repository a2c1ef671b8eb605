/**
 * The scalar drift-vamm-v0 on the one-sub-env kernel (implementation 'auto') against its engine +
 * trader-flow objects (implementation 'reference'): the same seed and actions give the same
 * observations, rewards, flags, info objects (every key, strings included), market state and RNG
 * state, bit for bit; options the kernel does not implement run on the objects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { make, Rng, type Env, type Info } from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { DriftVammEnv } from '../env/tasks/drift-vamm/index.js';

const ID = 'drift-vamm-v0';
type Kwargs = Record<string, unknown>;

interface Step {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** Both implementations under make() (wrappers included), and their unwrapped envs. */
function pair(kwargs: Kwargs): { auto: Env<Float32Array, unknown>; ref: Env<Float32Array, unknown>; uAuto: DriftVammEnv; uRef: DriftVammEnv } {
  const auto = make(ID, kwargs) as unknown as Env<Float32Array, unknown>;
  const ref = make(ID, { ...kwargs, implementation: 'reference' }) as unknown as Env<Float32Array, unknown>;
  return { auto, ref, uAuto: auto.unwrapped as unknown as DriftVammEnv, uRef: ref.unwrapped as unknown as DriftVammEnv };
}

function record(result: [Float32Array, number, boolean, boolean, Info]): Step {
  const [obs, reward, terminated, truncated, info] = result;
  return { obs: Array.from(obs), reward, terminated, truncated, info };
}

/**
 * Steps both implementations with `action(t, rng)` for `steps` steps from `seed`, resetting (without
 * a seed: the stream continues) at each episode end unless `resetAtEnd` is false; compares every step, and the market and RNG
 * state every 97 steps. Returns what the run went through.
 */
function compare(kwargs: Kwargs, seed: number, steps: number, action: (t: number, rng: Rng) => unknown, resetAtEnd = true): { episodes: number; rejected: Set<string>; terminations: Set<string> } {
  const { auto, ref, uAuto, uRef } = pair(kwargs);
  assert.equal(uAuto.implementationInUse, 'kernel');
  assert.equal(uRef.implementationInUse, 'reference');
  const [oa, ia] = auto.reset({ seed });
  const [or, ir] = ref.reset({ seed });
  assert.deepEqual([Array.from(oa), ia], [Array.from(or), ir], 'reset');
  const rng = new Rng(seed + 1000);
  const seen = { episodes: 0, rejected: new Set<string>(), terminations: new Set<string>() };
  for (let t = 0; t < steps; t++) {
    const a = action(t, rng);
    const got = record(auto.step(a) as [Float32Array, number, boolean, boolean, Info]);
    const want = record(ref.step(a) as [Float32Array, number, boolean, boolean, Info]);
    assert.deepEqual(got, want, `step ${t} (seed ${seed}, action ${String(a)})`);
    if (typeof want.info.rejected === 'string') seen.rejected.add(want.info.rejected);
    if (typeof want.info.termination === 'string') seen.terminations.add(want.info.termination);
    if (t % 97 === 0) {
      assert.deepEqual(uAuto.state, uRef.state, `market state at step ${t}`);
      assert.ok(auto.npRandom.stateEquals(ref.npRandom), `RNG state at step ${t}`);
    }
    if ((want.terminated || want.truncated) && resetAtEnd) {
      seen.episodes++;
      const [o1, i1] = auto.reset();
      const [o2, i2] = ref.reset();
      assert.deepEqual([Array.from(o1), i1], [Array.from(o2), i2], `reset after step ${t}`);
    }
  }
  assert.deepEqual(uAuto.state, uRef.state, 'market state at the end');
  return seen;
}

describe('drift-vamm-v0 on the one-sub-env kernel', () => {
  it('reproduces the object path under random discrete actions over several episodes', () => {
    const seen = compare({}, 3, 4000, (_t, rng) => rng.integers(0, 6));
    assert.ok(seen.episodes >= 2, `episodes ${seen.episodes}`);
    assert.ok(seen.rejected.size >= 2, [...seen.rejected].join(', '));
  });

  it('reproduces terminations (fee-pool floor, divergence), also when stepping on below the floor', () => {
    // k up by 30 % most of the time drains LUNA's fee pool below its floor
    const floor = compare({ market: 'LUNA', kDeltas: [0.3], kRange: 1000 }, 5, 1500, (_t, rng) => (rng.random() < 0.7 ? 3 : 0), false);
    assert.ok(floor.terminations.has('fee-pool-floor'), [...floor.terminations].join(', '));
    const divergence = compare({ oracle: { kind: 'gbm', volatility: 6 }, maxDivergence: 0.03 }, 6, 1500, (_t, rng) => rng.integers(0, 6));
    assert.ok(divergence.terminations.has('divergence'), [...divergence.terminations].join(', '));
  });

  it('reproduces continuous actions, given as Float32Array or as plain numbers', () => {
    compare({ actionSpace: 'continuous' }, 7, 1500, (t, rng) => {
      const a = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
      return t % 2 === 0 ? Float32Array.from(a) : a;
    });
  });

  it('reproduces the imbalance observation, the seed reward and the calibrated BTC flow', () => {
    compare({ observation: 'imbalance', reward: 'seed' }, 8, 1500, (_t, rng) => rng.integers(0, 6));
    compare({ market: 'BTC', calibrated: true, stepSec: 120 }, 9, 1500, (_t, rng) => rng.integers(0, 6));
  });

  it('keeps stepping after a termination as the object path does', () => {
    const { auto, ref } = pair({ maxDivergence: 0.001 });
    auto.reset({ seed: 2 });
    ref.reset({ seed: 2 });
    let ended = 0;
    for (let t = 0; t < 300; t++) {
      const got = record(auto.step(0) as [Float32Array, number, boolean, boolean, Info]);
      assert.deepEqual(got, record(ref.step(0) as [Float32Array, number, boolean, boolean, Info]), `step ${t}`);
      if (got.terminated) ended++;
    }
    assert.ok(ended > 1, `terminated ${ended} times`);
  });

  it('shares its stream with npRandom: draws in between steps land in both paths alike', () => {
    const { auto, ref } = pair({});
    auto.reset({ seed: 4 });
    ref.reset({ seed: 4 });
    for (let t = 0; t < 200; t++) {
      if (t % 50 === 25) assert.equal(auto.npRandom.standardNormal(), ref.npRandom.standardNormal());
      assert.deepEqual(record(auto.step(t % 6) as [Float32Array, number, boolean, boolean, Info]), record(ref.step(t % 6) as [Float32Array, number, boolean, boolean, Info]), `step ${t}`);
    }
  });

  it('runs the options the kernel does not implement on the objects', () => {
    for (const kwargs of [{ engine: 'exact' }, { protocol: 'may2022' }, { oracle: { kind: 'merton', volatility: 0.8, jumpIntensity: 10, jumpMean: 0, jumpStd: 0.05 } }, { implementation: 'reference' }]) {
      const env = make(ID, kwargs).unwrapped as unknown as DriftVammEnv;
      assert.equal(env.implementationInUse, 'reference', JSON.stringify(kwargs));
    }
    assert.throws(() => make(ID, { implementation: 'fast' }), /option implementation: got "fast"; allowed: "auto" \| "reference"/);
  });
});
