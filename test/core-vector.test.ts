import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Env,
  Box,
  Discrete,
  SyncVectorEnv,
  AutoresetMode,
  Rng,
  ResetNeeded,
  InvalidArgumentError,
  InvalidSeedError,
  make,
  makeVec,
  addVectorInfo,
  batchSpace,
  iterate,
  type ResetArgs,
  type ResetResult,
  type StepResult,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';

const N = 3;

function cartpoles(): Env<Float32Array, number>[] {
  return Array.from({ length: N }, () => make<Float32Array, number>('CartPole-v1', { maxEpisodeSteps: 20 }));
}

/** Random actions that end plenty of episodes within the run. */
function actionStream(seed: number, steps: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: steps }, () => Array.from({ length: N }, () => rng.integers(0, 2)));
}

test('next-step autoreset (default) matches stepping the envs by hand', () => {
  const venv = new SyncVectorEnv(cartpoles().map((e) => () => e));
  assert.equal(venv.metadata.autoresetMode, AutoresetMode.NEXT_STEP);
  const refs = cartpoles();
  const [obs0] = venv.reset({ seed: 10 });
  const needsReset = new Array<boolean>(N).fill(false);
  refs.forEach((e, i) => assert.deepEqual(obs0.subarray(i * 4, i * 4 + 4), e.reset({ seed: 10 + i })[0]));
  let episodesEnded = 0;
  for (const actions of actionStream(1, 120)) {
    const [obs, rewards, terms, truncs] = venv.step(actions);
    for (let i = 0; i < N; i++) {
      let expected: [Float32Array, number, boolean, boolean];
      if (needsReset[i]) {
        expected = [refs[i]!.reset()[0], 0, false, false];
      } else {
        const [o, r, te, tr] = refs[i]!.step(actions[i]!);
        expected = [o, r, te, tr];
      }
      needsReset[i] = expected[2] || expected[3];
      if (needsReset[i]) episodesEnded++;
      assert.deepEqual(obs.subarray(i * 4, i * 4 + 4), expected[0]);
      assert.deepEqual([rewards[i], terms[i] === 1, truncs[i] === 1], [expected[1], expected[2], expected[3]]);
    }
  }
  assert.ok(episodesEnded >= 10, `the run should cross many episode ends, saw ${episodesEnded}`);
});

test('same-step autoreset matches by-hand stepping and reports final_obs / final_info', () => {
  const venv = new SyncVectorEnv(cartpoles().map((e) => () => e), { autoresetMode: 'same-step' });
  assert.equal(venv.metadata.autoresetMode, 'same-step');
  const refs = cartpoles();
  venv.reset({ seed: [3, 4, 5] });
  refs.forEach((e, i) => e.reset({ seed: 3 + i }));
  let finals = 0;
  for (const actions of actionStream(2, 120)) {
    const [obs, rewards, terms, truncs, infos] = venv.step(actions);
    for (let i = 0; i < N; i++) {
      const [o, r, te, tr] = refs[i]!.step(actions[i]!);
      assert.deepEqual([rewards[i], terms[i] === 1, truncs[i] === 1], [r, te, tr]);
      if (te || tr) {
        finals++;
        const finalObs = infos['final_obs'] as (Float32Array | null)[];
        assert.equal((infos['_final_obs'] as Uint8Array)[i], 1);
        assert.deepEqual(finalObs[i], o, 'the terminal observation goes to infos.final_obs');
        assert.equal((infos['_final_info'] as Uint8Array)[i], 1);
        assert.deepEqual(obs.subarray(i * 4, i * 4 + 4), refs[i]!.reset()[0], 'obs is already the reset obs');
      } else {
        assert.deepEqual(obs.subarray(i * 4, i * 4 + 4), o);
        if (infos['_final_obs']) assert.equal((infos['_final_obs'] as Uint8Array)[i], 0);
      }
    }
  }
  assert.ok(finals >= 10, `saw ${finals} episode ends`);
});

test('disabled autoreset: stepping a finished sub-env throws; resetMask resets only the masked sub-envs', () => {
  const venv = makeVec<Float32Array, ArrayLike<number>>('CartPole-v1', N, { autoresetMode: 'disabled', maxEpisodeSteps: 2 });
  assert.equal(venv.metadata.autoresetMode, 'disabled');
  venv.reset({ seed: 0 });
  venv.step([0, 0, 0]);
  const [obs2, , , truncs] = venv.step([1, 1, 1]);
  assert.deepEqual(Array.from(truncs), [1, 1, 1]);
  assert.throws(() => venv.step([0, 0, 0]), ResetNeeded);
  const [obs3, infos] = venv.reset({ options: { resetMask: [false, true, false] } });
  assert.deepEqual(obs3.subarray(0, 4), obs2.subarray(0, 4), 'unmasked sub-envs keep their observation');
  assert.notDeepEqual(obs3.subarray(4, 8), obs2.subarray(4, 8));
  assert.deepEqual(infos, {});
  assert.throws(() => venv.step([0, 0, 0]), /sub-env 0/);
  assert.throws(() => venv.reset({ options: { resetMask: [false, false, false] } }), InvalidArgumentError);
  assert.throws(() => venv.reset({ options: { resetMask: [true] } }), InvalidArgumentError);
  venv.reset({ options: { resetMask: [true, false, true] } });
  assert.doesNotThrow(() => venv.step([0, 0, 0]));
});

test('vector reset seeds: int → seed + i, arrays per sub-env, validation', () => {
  const venv = makeVec<Float32Array, ArrayLike<number>>('CartPole-v1', N);
  const [a] = venv.reset({ seed: 7 });
  const [b] = venv.reset({ seed: [7, 8, 9] });
  assert.deepEqual(a, b);
  const single = make<Float32Array, number>('CartPole-v1');
  assert.deepEqual(a.subarray(8, 12), single.reset({ seed: 9 })[0]);
  assert.throws(() => venv.reset({ seed: [1, 2] }), InvalidArgumentError);
  assert.throws(() => venv.reset({ seed: -1 }), InvalidSeedError);
  assert.equal(venv.observationSpace.toString(), 'Box([[-4.8 -inf -0.41887903 -inf] [-4.8 -inf -0.41887903 -inf] [-4.8 -inf -0.41887903 -inf]], [[4.8 inf 0.41887903 inf] [4.8 inf 0.41887903 inf] [4.8 inf 0.41887903 inf]], (3, 4), float32)');
  assert.equal(venv.actionSpace.toString(), 'MultiDiscrete([2 2 2])');
  assert.ok(venv.observationSpace.contains(a));
  assert.throws(() => venv.step([0, 1]), /3 actions/);
  venv.close();
  venv.close();
  assert.ok(venv.closed);
});

test('copy: false returns the internal buffers; copy: true (default) returns fresh arrays', () => {
  const shared = makeVec<Float32Array, ArrayLike<number>>('CartPole-v1', 2, { copy: false });
  const [o1] = shared.reset({ seed: 0 });
  const [o2] = shared.step([0, 0]);
  assert.equal(o1, o2);
  const fresh = makeVec<Float32Array, ArrayLike<number>>('CartPole-v1', 2);
  const [p1] = fresh.reset({ seed: 0 });
  const [p2] = fresh.step([0, 0]);
  assert.notEqual(p1, p2);
});

test('infos are batched per key with _key masks (numbers, booleans, nested objects, others)', () => {
  const infos = {};
  addVectorInfo(infos, { cost: 1.5, ok: true, name: 'a', nested: { depth: 2 } }, 0, 3);
  addVectorInfo(infos, { cost: 2, name: 'c' }, 2, 3);
  assert.deepEqual(infos, {
    cost: Float64Array.of(1.5, 0, 2),
    _cost: Uint8Array.of(1, 0, 1),
    ok: Uint8Array.of(1, 0, 0),
    _ok: Uint8Array.of(1, 0, 0),
    name: ['a', null, 'c'],
    _name: Uint8Array.of(1, 0, 1),
    nested: { depth: Float64Array.of(2, 0, 0), _depth: Uint8Array.of(1, 0, 0) },
    _nested: Uint8Array.of(1, 0, 0),
  });
  const mixed: Record<string, unknown> = {};
  addVectorInfo(mixed, { v: 1 }, 0, 2);
  addVectorInfo(mixed, { v: 'x' }, 1, 2);
  assert.deepEqual(mixed['v'], [1, 'x'], 'a key whose type changes falls back to a plain array');
});

test('Box actions: flat batches are split into per-env views; arrays of per-env actions also work', () => {
  class Echo extends Env<Float32Array, Float32Array> {
    readonly observationSpace = new Box(-1, 1, [2], 'float32');
    readonly actionSpace = new Box(-1, 1, [2], 'float32');
    reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      this.reseed(args.seed);
      return [new Float32Array(2), {}];
    }
    step(action: Float32Array): StepResult<Float32Array> {
      if (!this.actionSpace.contains(action)) throw new Error('bad action');
      return [Float32Array.from(action), action[0]!, false, false, { first: action[0]! }];
    }
  }
  const venv = new SyncVectorEnv([() => new Echo(), () => new Echo()]);
  venv.reset();
  const [obs, rewards, , , infos] = venv.step(Float32Array.of(0.1, 0.2, 0.3, 0.4));
  assert.deepEqual(obs, Float32Array.of(0.1, 0.2, 0.3, 0.4));
  assert.deepEqual(rewards, Float64Array.of(Math.fround(0.1), Math.fround(0.3)));
  assert.deepEqual(infos['_first'], Uint8Array.of(1, 1));
  const [obs2] = venv.step([Float32Array.of(0.5, 0.5), Float32Array.of(-0.5, -0.5)]);
  assert.deepEqual(obs2, Float32Array.of(0.5, 0.5, -0.5, -0.5));
  const views = iterate(new Box(0, 1, [2]), Float32Array.of(1, 2, 3, 4), 2) as Float32Array[];
  assert.equal(views[1]!.buffer.byteLength, 16, 'typed batches of the right dtype are split without copying');
  assert.equal(batchSpace(new Discrete(3, 1), 2).toString(), 'MultiDiscrete([3 3], start=[1 1])');
  assert.throws(() => new SyncVectorEnv([]), InvalidArgumentError);
  assert.throws(() => new SyncVectorEnv([() => new Echo()], { autoresetMode: 'NextStep' as AutoresetMode }), /autoresetMode/);
});

test('sub-envs with different spaces are rejected', () => {
  class Small extends Env<number, number> {
    readonly observationSpace = new Discrete(2);
    readonly actionSpace = new Discrete(2);
    reset(): ResetResult<number> {
      return [0, {}];
    }
    step(): StepResult<number> {
      return [0, 0, false, false, {}];
    }
  }
  class Big extends Small {
    override readonly observationSpace = new Discrete(3);
  }
  assert.throws(() => new SyncVectorEnv<number, number>([() => new Small(), () => new Big()]), /observation space Discrete\(3\) differs/);
});
