import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CartPoleEnv } from '../env/tasks/cartpole/cartpole.js';
import '../env/tasks/builtin.js';
import {
  make,
  spec,
  checkEnv,
  captureWarnings,
  InvalidActionError,
  InvalidArgumentError,
  InvalidSeedError,
  ResetNeeded,
  type RgbArray,
} from '../env/core/index.js';

// Gymnasium cartpole.py step equations run with numpy float64 from state [0.01, -0.02, 0.03, -0.04]
// (a throw-away script; see the commit message). Our float64 state must match exactly.
const START = [0.01, -0.02, 0.03, -0.04];
const ACTIONS = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0];
const AFTER_5 = [0.00792112827476232, 0.17322123092863484, 0.027738818013807072, -0.29087295230897875];
const AFTER_20 = [0.06384158597203056, 0.371414817436008, -0.06650442445713949, -0.6523571267997376];
const AFTER_20_F32 = [0.06384158879518509, 0.37141481041908264, -0.06650442630052567, -0.6523571014404297];

test('dynamics match Gymnasium cartpole.py (Euler, same constants) to the last float64 bit', () => {
  const env = new CartPoleEnv();
  env.reset({ seed: 0 });
  env.state = START;
  let obs: Float32Array = new Float32Array(4);
  ACTIONS.forEach((a, i) => {
    const [o, reward, terminated, truncated, info] = env.step(a);
    obs = o;
    assert.deepEqual([reward, terminated, truncated, info], [1, false, false, {}]);
    if (i === 4) assert.deepEqual(Array.from(env.state!), AFTER_5);
  });
  assert.deepEqual(Array.from(env.state!), AFTER_20);
  assert.deepEqual(Array.from(obs), AFTER_20_F32, 'observations are the float32 cast of the state');
});

test('termination: pushing right from rest ends after 9 steps on the angle threshold (as Gymnasium)', () => {
  const env = new CartPoleEnv();
  env.reset({ seed: 0 });
  env.state = [0, 0, 0, 0];
  let steps = 0;
  let terminated = false;
  while (!terminated) {
    [, , terminated] = env.step(1);
    steps++;
  }
  assert.equal(steps, 9);
  assert.deepEqual(Array.from(env.state!), [0.14065097203306187, 1.7603811257683097, -0.21518604988500967, -2.777886494012814]);
  // Cart position threshold too.
  env.state = [2.39, 1, 0, 0];
  assert.equal(env.step(1)[2], true);
});

test('rewards: 1 per step including the terminal step; sutton_barto 0 / -1; steps beyond termination warn', () => {
  for (const [sb, alive, fell, beyond] of [[false, 1, 1, 0], [true, 0, -1, -1]] as const) {
    const env = new CartPoleEnv({ suttonBartoReward: sb });
    env.reset({ seed: 1 });
    env.state = [0, 0, 0.2, 0];
    assert.equal(env.step(1)[1], alive);
    env.state = [0, 0, 0.3, 0];
    const [, r, terminated] = env.step(1);
    assert.deepEqual([r, terminated], [fell, true]);
    const [[, r2], warnings] = captureWarnings(() => env.step(1));
    assert.equal(r2, beyond);
    assert.ok(warnings.some((w) => /already returned terminated = true/.test(w)));
  }
});

test('reset draws the state uniformly in (-0.05, 0.05) from the env RNG; seeds reproduce trajectories', () => {
  const env = make<Float32Array, number>('CartPole-v1');
  const run = (seed: number): number[][] => {
    const out: number[][] = [Array.from(env.reset({ seed })[0])];
    for (let t = 0; t < 30; t++) {
      const [obs, , terminated, truncated] = env.step(t % 3 === 0 ? 0 : 1);
      out.push(Array.from(obs));
      if (terminated || truncated) break;
    }
    return out;
  };
  const a = run(42);
  assert.deepEqual(run(42), a);
  assert.notDeepEqual(run(43), a);
  assert.ok(a[0]!.every((v) => v > -0.05 && v < 0.05));
  const wide = new CartPoleEnv();
  const [obs] = wide.reset({ seed: 5, options: { low: 0.2, high: 0.3 } });
  assert.ok(Array.from(obs).every((v) => v >= Math.fround(0.2) && v <= Math.fround(0.3)));
  assert.throws(() => wide.reset({ options: { low: 1, high: 0 } }), InvalidArgumentError);
  assert.throws(() => wide.reset({ seed: -3 }), InvalidSeedError);
  // Unseeded resets continue the stream instead of reseeding.
  const c = new CartPoleEnv();
  const first = c.reset({ seed: 9 })[0];
  const second = c.reset()[0];
  assert.notDeepEqual(first, second);
  assert.equal(c.npRandomSeed, 9);
});

test('invalid actions throw InvalidActionError naming the value, the space and the env id', () => {
  const env = make<Float32Array, number>('CartPole-v1');
  env.reset({ seed: 0 });
  for (const bad of [2, -1, 0.5, NaN, '1', true, null, [1]] as unknown as number[]) {
    assert.throws(
      () => env.step(bad),
      (e: unknown) =>
        e instanceof InvalidActionError && e.message.includes('Discrete(2)') && e.message.includes('CartPole-v1') && e.space === 'Discrete(2)',
      `action ${String(bad)}`,
    );
  }
  const nanMessage = (() => {
    try {
      env.step(NaN);
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(nanMessage, /Invalid action NaN for env CartPole-v1: not an element of Discrete\(2\)/);
  assert.throws(() => new CartPoleEnv().step(0), ResetNeeded);
  assert.throws(() => make('CartPole-v1').step(0), ResetNeeded);
});

test('TimeLimit from the registry truncates at 500 steps', () => {
  assert.equal(spec('CartPole-v1').maxEpisodeSteps, 500);
  const env = make<Float32Array, number>('CartPole-v1');
  env.reset({ seed: 0 });
  const inner = env.unwrapped as CartPoleEnv;
  let t = 0;
  let truncated = false;
  while (!truncated) {
    inner.state = [0, 0, 0, 0]; // keep the pole up so only the time limit ends the episode
    const r = env.step(t % 2);
    truncated = r[3];
    assert.equal(r[2], false);
    t++;
  }
  assert.equal(t, 500);
});

test('render modes: ansi text and a 400×600×3 rgb_array frame; unknown options and modes are rejected', () => {
  const ansi = make<Float32Array, number>('CartPole-v1', { renderMode: 'ansi' });
  assert.equal(ansi.render === undefined, false);
  ansi.reset({ seed: 0 });
  const text = ansi.render() as string;
  assert.match(text, /x=[+-]\d\.\d{3}/);
  assert.match(text, /\[=\]/);
  const rgb = make<Float32Array, number>('CartPole-v1', { renderMode: 'rgb_array' });
  rgb.reset({ seed: 0 });
  const frame = rgb.render() as RgbArray;
  assert.deepEqual(frame.shape, [400, 600, 3]);
  assert.equal(frame.data.length, 400 * 600 * 3);
  const pixel = (row: number, col: number) => Array.from(frame.data.subarray((row * 600 + col) * 3, (row * 600 + col) * 3 + 3));
  assert.deepEqual(pixel(0, 0), [255, 255, 255], 'white background');
  assert.deepEqual(pixel(399 - 100, 10), [0, 0, 0], 'track line at y = 100 from the bottom');
  assert.deepEqual(pixel(399 - 160, 300), [202, 152, 101], 'pole above the centred cart');
  const [none, warnings] = captureWarnings(() => new CartPoleEnv().render());
  assert.equal(none, null);
  assert.ok(warnings.some((w) => /without specifying any render mode/.test(w)));
  assert.throws(() => new CartPoleEnv({ renderMode: 'human' as 'ansi' }), /renderMode/);
  assert.throws(() => make('CartPole-v1', { gravity: 3 }), /unknown option 'gravity'/);
  const env = new CartPoleEnv();
  env.close();
  env.close();
  assert.ok(env.isClosed);
});

test('CartPole-v1 spaces and metadata follow Gymnasium', () => {
  const env = new CartPoleEnv();
  assert.equal(env.actionSpace.toString(), 'Discrete(2)');
  assert.equal(env.observationSpace.toString(), 'Box([-4.8 -inf -0.41887903 -inf], [4.8 inf 0.41887903 inf], (4,), float32)');
  assert.deepEqual(env.metadata, { renderModes: ['ansi', 'rgb_array'], renderFps: 50 });
  assert.equal(spec('CartPole-v1').rewardThreshold, 475);
  assert.deepEqual(checkEnv(env, { skipRenderCheck: true, skipCloseCheck: true }).filter((w) => !/infinity/.test(w)), []);
});
