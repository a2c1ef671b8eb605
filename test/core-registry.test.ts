import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Env,
  Discrete,
  VectorEnv,
  AutoresetMode,
  Box,
  register,
  make,
  makeVec,
  spec,
  listEnvs,
  unregister,
  parseEnvId,
  captureWarnings,
  TimeLimit,
  OrderEnforcing,
  PassiveEnvChecker,
  SyncVectorEnv,
  InvalidEnvIdError,
  EnvNotFoundError,
  RegistrationError,
  InvalidArgumentError,
  type ResetArgs,
  type ResetResult,
  type StepResult,
  type VectorResetResult,
  type VectorStepResult,
  type VectorEnvKwargs,
  type EnvMetadata,
} from '../env/core/index.js';
import { registerBuiltinEnvs } from '../env/tasks/builtin.js';

class KwargEnv extends Env<number, number> {
  readonly observationSpace = new Discrete(10);
  readonly actionSpace = new Discrete(2);
  constructor(readonly kwargs: Record<string, unknown>) {
    super();
    this.metadata = { renderModes: ['ansi'], renderFps: 1 };
    this.renderMode = (kwargs['renderMode'] as string | undefined) ?? null;
  }
  reset(args: ResetArgs = {}): ResetResult<number> {
    this.reseed(args.seed);
    return [0, {}];
  }
  step(): StepResult<number> {
    return [1, 0, false, false, {}];
  }
}

test('env id grammar: [namespace/]name[-vN]; malformed ids raise InvalidEnvIdError naming the id', () => {
  assert.deepEqual(parseEnvId('CartPole-v1'), { namespace: null, name: 'CartPole', version: 1 });
  assert.deepEqual(parseEnvId('drift/Peg-v12'), { namespace: 'drift', name: 'Peg', version: 12 });
  assert.deepEqual(parseEnvId('MyEnv'), { namespace: null, name: 'MyEnv', version: null });
  for (const bad of ['bad id', 'a/b/c-v1', '', 'x-v1 ', 'ns/']) {
    assert.throws(() => parseEnvId(bad), (e: unknown) => e instanceof InvalidEnvIdError && e.message.includes(JSON.stringify(bad)), bad);
  }
  assert.throws(() => register({ id: 'has space-v0', entryPoint: (kw) => new KwargEnv(kw) }), InvalidEnvIdError);
});

test('make applies PassiveEnvChecker → OrderEnforcing → TimeLimit and passes kwargs', () => {
  registerBuiltinEnvs();
  const env = make('CartPole-v1');
  assert.ok(env instanceof TimeLimit);
  assert.ok(env.env instanceof OrderEnforcing);
  assert.ok((env.env as OrderEnforcing<unknown, unknown>).env instanceof PassiveEnvChecker);
  assert.equal(String(env), '<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPoleEnv<CartPole-v1>>>>>');
  assert.equal((env as TimeLimit<unknown, unknown>).maxEpisodeSteps, 500);
  assert.equal(env.spec?.maxEpisodeSteps, 500);
  assert.equal(env.spec?.rewardThreshold, 475);
  assert.equal(env.unwrapped.spec?.maxEpisodeSteps, null, 'the unwrapped spec carries no wrappers');

  assert.equal((make('CartPole-v1', { maxEpisodeSteps: 7 }) as TimeLimit<unknown, unknown>).maxEpisodeSteps, 7);
  const noLimit = make('CartPole-v1', { maxEpisodeSteps: -1, disableEnvChecker: true });
  assert.ok(noLimit instanceof OrderEnforcing);
  assert.ok(noLimit.env.constructor.name === 'CartPoleEnv');
  assert.throws(() => make('CartPole-v1', { maxEpisodeSteps: 0 }), InvalidArgumentError);

  register({ id: 'test/Kwarg-v0', entryPoint: (kw) => new KwargEnv(kw), kwargs: { a: 1, b: 2 }, orderEnforce: false });
  const k = make('test/Kwarg-v0', { b: 3, renderMode: 'ansi' });
  assert.deepEqual((k.unwrapped as KwargEnv).kwargs, { a: 1, b: 3, renderMode: 'ansi' });
  assert.equal(k.renderMode, 'ansi');
  assert.ok(k instanceof PassiveEnvChecker, 'no OrderEnforcing and no TimeLimit for this spec');
  const [, warnings] = captureWarnings(() => make('test/Kwarg-v0', { renderMode: 'human' }));
  assert.ok(warnings.some((w) => w.includes("renderMode=\"human\"")), warnings.join('\n'));
  unregister('test/Kwarg-v0');
});

test('unknown ids raise EnvNotFoundError with close matches and the registered ids', () => {
  registerBuiltinEnvs();
  assert.throws(() => make('CartPol-v1'), (e: unknown) => e instanceof EnvNotFoundError && /Did you mean: 'CartPole-v1'/.test(e.message) && /Registered ids: .*CartPole-v1/.test(e.message));
  assert.throws(() => make('CartPole-v9'), (e: unknown) => e instanceof EnvNotFoundError && /v9/.test(e.message) && /'CartPole-v1'/.test(e.message));
  assert.throws(() => spec('CartPole-v0'), (e: unknown) => e instanceof EnvNotFoundError && /Please use 'CartPole-v1'/.test(e.message));
  assert.throws(() => make('nope/Thing-v0'), /Namespace nope not found/);
  // An unversioned id resolves to the latest version, with a warning.
  const [env, warnings] = captureWarnings(() => make('CartPole'));
  assert.equal(env.spec?.id, 'CartPole-v1');
  assert.ok(warnings.some((w) => /latest versioned environment CartPole-v1/.test(w)));
});

test('register validates specs and the versioned/unversioned rules', () => {
  assert.throws(() => register({ id: 'test/Empty-v0' }), RegistrationError);
  assert.throws(() => register({ id: 'test/Steps-v0', entryPoint: (kw) => new KwargEnv(kw), maxEpisodeSteps: 0 }), /maxEpisodeSteps/);
  register({ id: 'test/Ver-v0', entryPoint: (kw) => new KwargEnv(kw) });
  assert.throws(() => register({ id: 'test/Ver', entryPoint: (kw) => new KwargEnv(kw) }), /unversioned/);
  const [, warnings] = captureWarnings(() => register({ id: 'test/Ver-v0', entryPoint: (kw) => new KwargEnv(kw) }));
  assert.ok(warnings.some((w) => /Overriding environment test\/Ver-v0/.test(w)));
  assert.ok(listEnvs().includes('test/Ver-v0'));
  assert.deepEqual(listEnvs(), [...listEnvs()].sort());
  assert.ok(unregister('test/Ver-v0'));
  assert.ok(!listEnvs().includes('test/Ver-v0'));
  register({ id: 'test/NotEnv-v0', entryPoint: () => ({}) as Env<unknown, unknown> });
  assert.throws(() => make('test/NotEnv-v0'), /must return an Env/);
  unregister('test/NotEnv-v0');
});

test('makeVec: sync by default; vectorEntryPoint is used when registered and gets numEnvs/maxEpisodeSteps', () => {
  registerBuiltinEnvs();
  const sync = makeVec('CartPole-v1', 2, { autoresetMode: 'same-step' });
  assert.ok(sync instanceof SyncVectorEnv);
  assert.equal(sync.metadata.autoresetMode, 'same-step');
  assert.equal(String(sync), 'SyncVectorEnv(CartPole-v1, num_envs=2)');
  assert.equal(sync.spec?.kwargs['numEnvs'], 2);

  let received: VectorEnvKwargs | null = null;
  class NativeVec extends VectorEnv<Int32Array, ArrayLike<number>> {
    readonly numEnvs: number;
    readonly singleObservationSpace = new Discrete(10);
    readonly singleActionSpace = new Discrete(2);
    readonly observationSpace: Box<'int32'>;
    readonly actionSpace: Box<'int32'>;
    readonly metadata: EnvMetadata = { renderModes: [], autoresetMode: AutoresetMode.NEXT_STEP };
    constructor(kwargs: VectorEnvKwargs) {
      super();
      received = kwargs;
      this.numEnvs = kwargs.numEnvs;
      this.observationSpace = new Box(0, 9, [this.numEnvs], 'int32');
      this.actionSpace = new Box(0, 1, [this.numEnvs], 'int32');
    }
    reset(): VectorResetResult<Int32Array> {
      return [new Int32Array(this.numEnvs), {}];
    }
    step(): VectorStepResult<Int32Array> {
      const n = this.numEnvs;
      return [new Int32Array(n), new Float64Array(n), new Uint8Array(n), new Uint8Array(n), {}];
    }
  }
  register({
    id: 'test/Native-v0',
    entryPoint: (kw) => new KwargEnv(kw),
    vectorEntryPoint: (kw) => new NativeVec(kw),
    maxEpisodeSteps: 50,
    kwargs: { fee: 0.1 },
  });
  const native = makeVec('test/Native-v0', 4, { fee: 0.2 });
  assert.ok(native instanceof NativeVec);
  assert.deepEqual(received, { fee: 0.2, numEnvs: 4, maxEpisodeSteps: 50 });
  assert.equal(native.spec?.kwargs['vectorizationMode'], 'vector-entry-point');
  assert.ok(makeVec('test/Native-v0', 2, { vectorizationMode: 'sync' }) instanceof SyncVectorEnv);
  assert.throws(() => makeVec('test/Native-v0', 2, { wrappers: [(e) => e] }), /wrappers/);
  assert.throws(() => makeVec('CartPole-v1', 0), InvalidArgumentError);
  unregister('test/Native-v0');
});

test('spec(id) returns the registered EnvSpec; EnvSpec.make and toJSON work', () => {
  registerBuiltinEnvs();
  const s = spec('CartPole-v1');
  assert.equal(s.name, 'CartPole');
  assert.equal(s.version, 1);
  assert.equal(s.maxEpisodeSteps, 500);
  assert.equal(typeof s.entryPoint, 'function');
  assert.deepEqual(JSON.parse(JSON.stringify(s)), {
    id: 'CartPole-v1',
    rewardThreshold: 475,
    nondeterministic: false,
    maxEpisodeSteps: 500,
    orderEnforce: true,
    disableEnvChecker: false,
    kwargs: {},
    hasVectorEntryPoint: false,
  });
  const env = s.make({ maxEpisodeSteps: 3 });
  env.reset({ seed: 1 });
  env.step(0);
  env.step(0);
  assert.equal(env.step(0)[3], true);
});
