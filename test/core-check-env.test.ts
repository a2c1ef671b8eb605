import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Env,
  Box,
  Discrete,
  checkEnv,
  dataEquivalence,
  listEnvs,
  make,
  register,
  unregister,
  EnvCheckError,
  type ResetArgs,
  type ResetResult,
  type StepResult,
} from '../env/core/index.js';
import { randomSeed } from '../env/core/rng.js';
import { PROBE_KWARGS } from '../env/tasks/builtin.js';

test('checkEnv passes on every registered env (unwrapped and as made), with all render modes', () => {
  const ids = listEnvs();
  assert.ok(ids.includes('CartPole-v1'));
  for (const id of ids) {
    const kwargs = PROBE_KWARGS[id]?.() ?? {};
    const warnings = checkEnv(make(id, kwargs).unwrapped);
    assert.ok(Array.isArray(warnings), id);
    assert.ok(!warnings.some((w) => /not within|non-deterministic|differ/.test(w)), `${id}: ${warnings.join('\n')}`);
    const wrapped = checkEnv(make(id, kwargs));
    assert.ok(wrapped.some((w) => /different from the unwrapped/.test(w)), `${id}: wrapped envs get a warning`);
  }
});

/** A correct env; the broken variants below override one behaviour each. */
class GoodEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<'float32'> = new Box(-1, 1, [2], 'float32');
  readonly actionSpace = new Discrete(2);
  protected v = 0;
  constructor() {
    super();
    this.metadata = { renderModes: ['ansi'], renderFps: 10 };
  }
  reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    this.reseed(args.seed);
    this.v = this.npRandom.uniform(-0.5, 0.5);
    return [Float32Array.of(this.v, 0), {}];
  }
  step(action: number): StepResult<Float32Array> {
    this.v = Math.max(-1, Math.min(1, this.v + (action === 1 ? 0.1 : -0.1) + this.npRandom.uniform(-0.01, 0.01)));
    return [Float32Array.of(this.v, 0), 1, false, false, { v: this.v }];
  }
  override render(): string {
    return `v=${this.v}`;
  }
}

test('checkEnv passes on a correct custom env without a spec and reports soft warnings only', () => {
  const warnings = checkEnv(new GoodEnv());
  assert.ok(warnings.some((w) => /no spec/.test(w)), warnings.join('\n'));
});

function assertFails(env: Env<unknown, unknown>, pattern: RegExp): void {
  assert.throws(() => checkEnv(env), (e: unknown) => e instanceof EnvCheckError && pattern.test(e.message), String(pattern));
}

test('checkEnv fails on a reset that ignores the seed (non-deterministic)', () => {
  class Unseeded extends GoodEnv {
    override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      this.reseed(args.seed);
      this.v = (randomSeed() % 1000) / 2000;
      return [Float32Array.of(this.v, 0), {}];
    }
  }
  assertFails(new Unseeded(), /non-deterministic/);
});

test('checkEnv fails on a reset that does not reseed the env RNG', () => {
  class OwnRng extends GoodEnv {
    override reset(): ResetResult<Float32Array> {
      this.v = 0.1;
      return [Float32Array.of(this.v, 0), {}];
    }
  }
  assertFails(new OwnRng(), /reseed/);
});

test('checkEnv fails on a bad info type', () => {
  class BadStepInfo extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      return [r[0], r[1], r[2], r[3], [1, 2] as unknown as Record<string, unknown>];
    }
  }
  assertFails(new BadStepInfo(), /info returned by step\(\) must be a plain object/);
  class BadResetInfo extends GoodEnv {
    override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      return [super.reset(args)[0], null as unknown as Record<string, unknown>];
    }
  }
  assertFails(new BadResetInfo(), /info returned by reset\(\) must be a plain object/);
});

test('checkEnv fails on observations outside the space (reset and step)', () => {
  class BadResetObs extends GoodEnv {
    override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      super.reset(args);
      return [Float32Array.of(5, 0), {}];
    }
  }
  assertFails(new BadResetObs(), /not within the observation space/);
  class BadStepObs extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      return [Float32Array.of(NaN, 0), r[1], r[2], r[3], r[4]];
    }
  }
  assertFails(new BadStepObs(), /not within the observation space/);
  class WrongDType extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      return [Float64Array.of(0, 0) as unknown as Float32Array, r[1], r[2], r[3], r[4]];
    }
  }
  assertFails(new WrongDType(), /not within the observation space/);
});

test('checkEnv fails on non-boolean flags, non-finite rewards and non-deterministic steps', () => {
  class NumericFlag extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      return [r[0], r[1], 0 as unknown as boolean, r[3], r[4]];
    }
  }
  assertFails(new NumericFlag(), /terminated/);
  class NanReward extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      return [r[0], NaN, r[2], r[3], r[4]];
    }
  }
  assertFails(new NanReward(), /NaN/);
  let global = 0;
  class Drifting extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      const r = super.step(action);
      global += 0.05;
      return [Float32Array.of(Math.min(1, r[0][0]! + global) - 0.2, 0), r[1], r[2], r[3], r[4]];
    }
  }
  assertFails(new Drifting(), /step observations are not equivalent/);
  class FourTuple extends GoodEnv {
    override step(action: number): StepResult<Float32Array> {
      return super.step(action).slice(0, 4) as unknown as StepResult<Float32Array>;
    }
  }
  assertFails(new FourTuple(), /must return \[obs, reward, terminated, truncated, info\]/);
});

test('checkEnv fails on invalid spaces, non-envs and a close() that throws the second time', () => {
  class NoSpace extends GoodEnv {
    override readonly observationSpace = { contains: () => true } as unknown as Box<'float32'>;
  }
  assertFails(new NoSpace(), /observation space must be a Space/);
  assert.throws(() => checkEnv({} as Env<unknown, unknown>), EnvCheckError);

  class CloseOnce extends GoodEnv {
    private closedAlready = false;
    override close(): void {
      if (this.closedAlready) throw new Error('already closed');
      this.closedAlready = true;
    }
  }
  register({ id: 'test/CloseOnce-v0', entryPoint: () => new CloseOnce() });
  try {
    assertFails(make('test/CloseOnce-v0').unwrapped, /second close\(\) threw/);
  } finally {
    unregister('test/CloseOnce-v0');
  }
});

test('checkEnv checks every declared render mode through the spec', () => {
  class BadAnsi extends GoodEnv {
    override render(): string {
      return 42 as unknown as string;
    }
  }
  register({ id: 'test/BadAnsi-v0', entryPoint: (kw) => Object.assign(new BadAnsi(), { renderMode: (kw['renderMode'] as string) ?? null }) });
  try {
    const warnings = checkEnv(make('test/BadAnsi-v0').unwrapped);
    assert.ok(warnings.some((w) => /ANSI rendering should produce a string/.test(w)), warnings.join('\n'));
  } finally {
    unregister('test/BadAnsi-v0');
  }
});

test('dataEquivalence compares structure, dtypes and values', () => {
  assert.ok(dataEquivalence({ a: Float32Array.of(1, 2), b: [1, 'x'] }, { b: [1, 'x'], a: Float32Array.of(1, 2) }));
  assert.ok(dataEquivalence(Float64Array.of(1), Float64Array.of(1 + 1e-9)));
  assert.ok(!dataEquivalence(Float64Array.of(1), Float64Array.of(1 + 1e-9), true));
  assert.ok(!dataEquivalence(Float64Array.of(1), Float32Array.of(1)));
  assert.ok(!dataEquivalence({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!dataEquivalence(1, 1.0000001));
});
