import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Env,
  Box,
  Dict,
  Discrete,
  ObservationWrapper,
  RewardWrapper,
  ActionWrapper,
  TimeLimit,
  OrderEnforcing,
  PassiveEnvChecker,
  RecordEpisodeStatistics,
  Autoreset,
  NormalizeObservation,
  NormalizeReward,
  ClipAction,
  RescaleAction,
  FlattenObservation,
  DiscretizeObservation,
  DiscretizeAction,
  ResetNeeded,
  EnvCheckError,
  InvalidArgumentError,
  InvalidActionError,
  InvalidObservationError,
  captureWarnings,
  assertAction,
  type ResetArgs,
  type ResetResult,
  type StepResult,
} from '../env/core/index.js';
import { CartPoleEnv } from '../env/tasks/cartpole/cartpole.js';

/** 1-D walk: pos += action; reward = action; terminated when |pos| >= 3. */
class LineEnv extends Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box(-10, 10, [1], 'float32');
  readonly actionSpace = new Box(-1, 1, [1], 'float32');
  pos = 0;
  lastAction: Float32Array | null = null;
  constructor() {
    super();
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
  }
  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    this.pos = this.npRandom.uniform(-0.5, 0.5);
    return [Float32Array.of(this.pos), {}];
  }
  step(action: Float32Array): StepResult<Float32Array> {
    assertAction(this.actionSpace, action, 'LineEnv');
    this.lastAction = action;
    this.pos += action[0]!;
    return [Float32Array.of(this.pos), action[0]!, Math.abs(this.pos) >= 3, false, { pos: this.pos }];
  }
}

/** Rewards 1, 2, 3, … ; terminates after `length` steps. */
class CountEnv extends Env<number, number> {
  readonly observationSpace = new Discrete(1000);
  readonly actionSpace = new Discrete(2);
  t = 0;
  constructor(readonly length = 4) {
    super();
  }
  reset(args: ResetArgs = {}): ResetResult<number> {
    this.reseed(args.seed);
    this.t = 0;
    return [0, { reset: true }];
  }
  step(action: number): StepResult<number> {
    assertAction(this.actionSpace, action, 'CountEnv');
    this.t++;
    return [this.t, this.t, this.t >= this.length, false, {}];
  }
}

test('base wrappers forward spec, renderMode, metadata and npRandom, and may override spaces', () => {
  class Double extends ObservationWrapper<number, number, number> {
    constructor(env: Env<number, number>) {
      super(env);
      this.observationSpace = new Discrete(2000);
    }
    observation(obs: number): number {
      return obs * 2;
    }
  }
  class Neg extends RewardWrapper<number, number> {
    reward(r: number): number {
      return -r;
    }
  }
  class Flip extends ActionWrapper<number, number, number> {
    action(a: number): number {
      return 1 - a;
    }
  }
  const inner = new CountEnv();
  const env = new Flip(new Neg(new Double(inner)));
  assert.equal(env.observationSpace.toString(), 'Discrete(2000)');
  assert.equal(env.actionSpace, inner.actionSpace);
  assert.equal(env.metadata, inner.metadata);
  assert.equal(env.renderMode, null);
  assert.equal(env.unwrapped, inner);
  env.reset({ seed: 3 });
  assert.equal(env.npRandom, inner.npRandom);
  assert.equal(env.npRandomSeed, 3);
  assert.deepEqual(env.step(0).slice(0, 3), [2, -1, false]);
  assert.equal(env.toString(), '<Flip<Neg<Double<CountEnv instance>>>>');
  assert.equal(env.getWrapperAttr('length'), 4);
  assert.throws(() => new TimeLimit({} as Env<number, number>, 3), InvalidArgumentError);
});

test('TimeLimit truncates at maxEpisodeSteps and rejects non-positive limits', () => {
  const env = new TimeLimit(new CountEnv(100), 3);
  env.reset();
  assert.deepEqual([env.step(0)[3], env.step(0)[3], env.step(0)[3]], [false, false, true]);
  assert.equal(env.elapsedSteps, 3);
  env.reset();
  assert.equal(env.elapsedSteps, 0);
  assert.equal(env.step(1)[3], false);
  for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => new TimeLimit(new CountEnv(), bad), InvalidArgumentError);
  // Termination before the limit is left to the env.
  const short = new TimeLimit(new CountEnv(2), 5);
  short.reset();
  short.step(0);
  const last = short.step(0);
  assert.deepEqual([last[2], last[3]], [true, false]);
});

test('OrderEnforcing raises ResetNeeded before the first reset', () => {
  const env = new OrderEnforcing(new CountEnv());
  assert.throws(() => env.step(0), ResetNeeded);
  assert.throws(() => env.render(), ResetNeeded);
  assert.equal(new OrderEnforcing(new CountEnv(), { disableRenderOrderEnforcing: true }).render(), null);
  env.reset();
  assert.ok(env.hasReset);
  assert.equal(env.step(0)[0], 1);
});

test('PassiveEnvChecker checks only the first reset and step', () => {
  class BadInfo extends CountEnv {
    calls = 0;
    override step(action: number): StepResult<number> {
      const r = super.step(action);
      this.calls++;
      return [r[0], r[1], r[2], r[3], (this.calls === 1 ? 'oops' : {}) as unknown as Record<string, unknown>];
    }
  }
  const env = new PassiveEnvChecker(new BadInfo());
  env.reset();
  assert.throws(() => env.step(0), EnvCheckError);
  assert.doesNotThrow(() => env.step(0), 'later steps are not checked');

  class OutOfSpace extends CountEnv {
    override reset(args: ResetArgs = {}): ResetResult<number> {
      super.reset(args);
      return [5000, {}];
    }
  }
  const [, warnings] = captureWarnings(() => new PassiveEnvChecker(new OutOfSpace()).reset());
  assert.ok(warnings.some((w) => /not within the observation space/.test(w)), warnings.join('\n'));
});

test('RecordEpisodeStatistics adds info.episode at episode end and keeps bounded queues', () => {
  const env = new RecordEpisodeStatistics(new CountEnv(3), { bufferLength: 2 });
  for (let ep = 0; ep < 3; ep++) {
    env.reset();
    assert.equal(Object.hasOwn(env.step(0)[4], 'episode'), false);
    env.step(0);
    const info = env.step(0)[4];
    const stats = info['episode'] as { r: number; l: number; t: number };
    assert.deepEqual([stats.r, stats.l], [6, 3]);
    assert.ok(stats.t >= 0);
  }
  assert.equal(env.episodeCount, 3);
  assert.deepEqual(env.returnQueue.toArray(), [6, 6]);
  assert.deepEqual(env.lengthQueue.toArray(), [3, 3]);
  assert.equal(env.timeQueue.length, 2);
  assert.equal(new RecordEpisodeStatistics(new CountEnv()).returnQueue.maxLength, 100);
});

test('Autoreset resets on the step after the episode ends, returning reward 0 and false flags', () => {
  const env = new Autoreset(new CountEnv(2));
  env.reset();
  env.step(0);
  const end = env.step(0);
  assert.deepEqual(end.slice(0, 4), [2, 2, true, false]);
  assert.ok(env.autoreset);
  const after = env.step(1);
  assert.deepEqual(after, [0, 0, false, false, { reset: true }]);
  assert.deepEqual(env.step(0).slice(0, 3), [1, 1, false]);
});

test('NormalizeObservation standardises with running stats; freezing stops updates', () => {
  const env = new NormalizeObservation(new CountEnv(1000));
  assert.equal(env.observationSpace.toString(), 'Box(-inf, inf, (), float32)');
  const first = env.reset()[0];
  assert.ok(first instanceof Float32Array);
  // After one update from (mean 0, var 1, count 1e-4) with x = 0, the output is 0.
  assert.equal(first[0], 0);
  const outs: number[] = [];
  for (let i = 0; i < 200; i++) outs.push(env.step(0)[0][0]!);
  const { mean, var: v, count } = env.obsRms;
  assert.ok(Math.abs(count - 201.0001) < 1e-9);
  assert.ok(Math.abs(mean[0]! - 100) < 1e-3, `running mean ${mean[0]}`);
  assert.ok(Math.abs(v[0]! - (201 * 201 - 1) / 12) < 1, `running var ${v[0]}`);
  env.updateRunningMean = false;
  const frozenMean = mean[0];
  const obs = env.step(0)[0][0]!;
  assert.equal(env.obsRms.mean[0], frozenMean);
  assert.ok(Math.abs(obs - Math.fround((201 - frozenMean!) / Math.sqrt(v[0]! + 1e-8))) < 1e-6);
  assert.throws(() => new NormalizeObservation(new CountEnv(), { epsilon: 0 }), InvalidArgumentError);
});

test('NormalizeReward divides by the std of the discounted return (Gymnasium formula)', () => {
  const env = new NormalizeReward(new CountEnv(3), { gamma: 0.5 });
  env.reset();
  // Reference: G ← G·γ·(1 − terminated) + r; rms over G (start mean 0, var 1, count 1e-4).
  let g = 0;
  let mean = 0;
  let variance = 1;
  let count = 1e-4;
  const expected: number[] = [];
  const got: number[] = [];
  for (let ep = 0; ep < 2; ep++) {
    env.reset();
    for (let t = 1; t <= 3; t++) {
      const terminated = t === 3;
      g = g * 0.5 * (terminated ? 0 : 1) + t;
      const total = count + 1;
      const delta = g - mean;
      mean += delta / total;
      variance = (variance * count + (delta * delta * count) / total) / total;
      count = total;
      expected.push(t / Math.sqrt(variance + 1e-8));
      got.push(env.step(0)[1]);
    }
  }
  got.forEach((r, i) => assert.ok(Math.abs(r - expected[i]!) < 1e-12, `step ${i}: ${r} vs ${expected[i]}`));
  env.updateRunningMean = false;
  const before = env.returnRms.var[0];
  env.reset();
  env.step(0);
  assert.equal(env.returnRms.var[0], before);
  assert.throws(() => new NormalizeReward(new CountEnv(), { gamma: 1.5 }), InvalidArgumentError);
});

test('ClipAction clips into the Box and advertises Box(-inf, inf)', () => {
  const inner = new LineEnv();
  const env = new ClipAction(inner);
  assert.equal(env.actionSpace.toString(), 'Box(-inf, inf, (1,), float32)');
  env.reset({ seed: 0 });
  env.step(Float32Array.of(5));
  assert.deepEqual(Array.from(inner.lastAction!), [1]);
  env.step([-7]);
  assert.deepEqual(Array.from(inner.lastAction!), [-1]);
  assert.throws(() => env.step(Float32Array.of(NaN)), InvalidActionError, 'NaN is not clipped into validity');
  assert.throws(() => new ClipAction(new CountEnv() as unknown as Env<unknown, Float32Array>), InvalidArgumentError);
});

test('RescaleAction maps [min, max] affinely onto the env Box', () => {
  class WideEnv extends LineEnv {
    override readonly actionSpace = new Box(0, 10, [1], 'float32');
  }
  const inner = new WideEnv();
  const env = new RescaleAction(inner, -1, 1);
  assert.equal(env.actionSpace.toString(), 'Box(-1.0, 1.0, (1,), float32)');
  env.reset({ seed: 0 });
  for (const [a, expected] of [[-1, 0], [0, 5], [1, 10], [0.5, 7.5]] as const) {
    env.step(Float32Array.of(a));
    assert.equal(inner.lastAction![0], expected);
  }
  assert.throws(() => env.step(Float32Array.of(1.5)), InvalidActionError, 'out-of-range actions stay invalid');
  assert.throws(() => new RescaleAction(new WideEnv(), 1, 1), /strictly smaller/);
});

test('FlattenObservation flattens Dict observations', () => {
  class DictEnv extends Env<{ a: number; b: Float32Array }, number> {
    readonly observationSpace = new Dict({ a: new Discrete(3), b: new Box(0, 1, [2]) });
    readonly actionSpace = new Discrete(2);
    reset(args: ResetArgs = {}): ResetResult<{ a: number; b: Float32Array }> {
      this.reseed(args.seed);
      return [{ a: 2, b: Float32Array.of(0.25, 0.5) }, {}];
    }
    step(): StepResult<{ a: number; b: Float32Array }> {
      return [{ a: 0, b: Float32Array.of(1, 0) }, 0, false, false, {}];
    }
  }
  const env = new FlattenObservation(new DictEnv());
  assert.equal(env.observationSpace.toString(), 'Box(0.0, 1.0, (5,), float64)');
  assert.deepEqual(Array.from(env.reset()[0]), [0, 0, 1, 0.25, 0.5]);
  assert.deepEqual(Array.from(env.step(0)[0]), [1, 0, 0, 1, 0]);
});

test('DiscretizeObservation bins each coordinate, clips out-of-range values into edge bins, flattens row-major', () => {
  const cart = new CartPoleEnv();
  assert.throws(() => new DiscretizeObservation(cart, { bins: 4 }), /infinite range/);
  const env = new DiscretizeObservation(cart, { bins: [3, 4, 5, 6], low: [-2.4, -2, -0.21, -2], high: [2.4, 2, 0.21, 2] });
  assert.equal(env.observationSpace.toString(), 'Discrete(360)');
  // Edges are numpy's linspace(low, high, bins + 1)[1:-1], bit for bit (numpy 2.4.6).
  assert.deepEqual(Array.from(env.binEdges[2]!), [-0.126, -0.04200000000000001, 0.04200000000000001, 0.12599999999999997]);
  assert.deepEqual(Array.from(env.binEdges[3]!), [-1.3333333333333335, -0.6666666666666667, 0, 0.6666666666666665, 1.333333333333333]);
  const idx = (v: number[]) => env.observation(Float32Array.from(v));
  assert.equal(idx([-2.4, -2, -0.21, -2]), 0);
  assert.equal(idx([2.4, 2, 0.21, 2]), 359, 'values equal to high fall in the last bin');
  assert.equal(idx([-100, -100, -100, -100]), 0, 'below low → bin 0');
  assert.equal(idx([100, 100, 100, 100]), 359, 'above high → last bin');
  // coordinate bins: x=0 → 1 of 3, v=0.5 → 2 of 4, θ=0 → 2 of 5, ω=-1.9 → 0 of 6.
  assert.equal(idx([0, 0.5, 0, -1.9]), ((1 * 4 + 2) * 5 + 2) * 6 + 0);
  assert.deepEqual(env.unflattenIndex(((1 * 4 + 2) * 5 + 2) * 6), [1, 2, 2, 0]);
  const [lo, hi] = env.revertObservation(0);
  assert.ok(Math.abs(lo[0]! + 2.4) < 1e-12 && Math.abs(hi[0]! + 0.8) < 1e-9, `${lo[0]} ${hi[0]}`);
  assert.throws(() => idx([NaN, 0, 0, 0]), InvalidObservationError);
  const [obs] = env.reset({ seed: 1 });
  assert.ok(env.observationSpace.contains(obs));
  const multi = new DiscretizeObservation(new CartPoleEnv(), { bins: 2, low: -1, high: 1, multidiscrete: true });
  assert.equal(multi.observationSpace.toString(), 'MultiDiscrete([2 2 2 2])');
  assert.deepEqual(Array.from(multi.observation(Float32Array.of(-0.5, 0.5, 0, 3)) as Int32Array), [0, 1, 1, 1]);
});

test('DiscretizeAction sends bin centres and rejects invalid indices', () => {
  class TwoD extends LineEnv {
    override readonly actionSpace = new Box([-1, 0], [1, 10], null, 'float32');
    override step(action: Float32Array): StepResult<Float32Array> {
      assertAction(this.actionSpace, action, 'TwoD');
      this.lastAction = action;
      return [Float32Array.of(0), 0, false, false, {}];
    }
  }
  const inner = new TwoD();
  const env = new DiscretizeAction(inner, { bins: [2, 5] });
  assert.equal(env.actionSpace.toString(), 'Discrete(10)');
  env.reset();
  env.step(7); // row-major: (1, 2)
  assert.deepEqual(Array.from(inner.lastAction!), [0.5, 5]);
  assert.throws(() => env.step(10), InvalidActionError);
});
