/**
 * `checkEnv(env)`: Gymnasium's `check_env` — spaces, `reset` and `step` results, seed and step
 * determinism, render modes and `close` twice. Hard failures throw `EnvCheckError`; soft findings
 * are returned as warning strings (warnings the env itself emits meanwhile are included).
 *
 * Stricter than Gymnasium where it leaves room (our agents rely on these): a step observation
 * outside the space, non-boolean terminated/truncated and a NaN/inf/non-number reward fail instead
 * of warning; seed determinism is also checked for envs without a spec (Gymnasium only checks envs
 * whose spec says deterministic); the RNG state after `reset(seed) + step(a)` must match between
 * two runs; a `close()` that throws the second time fails.
 */
import { Env } from '../env.js';
import { EnvCheckError, describeValue } from '../errors.js';
import { captureWarnings } from '../logger.js';
import { Box } from '../spaces/box.js';
import { Tuple } from '../spaces/tuple.js';
import { Dict } from '../spaces/dict.js';
import type { AnySpace } from '../spaces/space.js';
import type { RngState } from '../rng.js';
import {
  type Warn,
  checkSpace,
  envRenderPassiveChecker,
  envResetPassiveChecker,
  envStepPassiveChecker,
  isPlainObject,
} from './passive.js';

export interface CheckEnvOptions {
  skipRenderCheck?: boolean;
  skipCloseCheck?: boolean;
}

/**
 * Gymnasium's `data_equivalence`: same structure and types; typed arrays equal within
 * rtol = atol = 1e-5 unless `exact`; scalars compared exactly.
 */
export function dataEquivalence(a: unknown, b: unknown, exact = false): boolean {
  if (typeof a !== typeof b) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const u = x[i]!;
      const v = y[i]!;
      if (u === v) continue;
      if (exact || !(Math.abs(u - v) <= 1e-5 + 1e-5 * Math.abs(v))) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => dataEquivalence(v, b[i], exact));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => dataEquivalence(a[k], b[k], exact));
  }
  return a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number));
}

function fail(message: string): never {
  throw new EnvCheckError(message);
}

function rngState(env: Env<unknown, unknown>, when: string): RngState {
  const rng = env.unwrapped.peekNpRandom();
  if (rng === null) {
    fail(`Expects the env RNG to exist after ${when}; most likely reset() does not call this.reseed(seed) (Gymnasium's super().reset(seed=seed)).`);
  }
  return rng.getState();
}

function sameState(a: RngState, b: RngState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Gymnasium's `check_space_limit` (soft). */
function checkSpaceLimit(space: AnySpace, kind: 'observation' | 'action', warn: Warn): void {
  if (space instanceof Box) {
    if (!space.boundedBelow.every((b) => b === 1)) warn(`A Box ${kind} space minimum value is -infinity. This is probably too low.`);
    if (!space.boundedAbove.every((b) => b === 1)) warn(`A Box ${kind} space maximum value is infinity. This is probably too high.`);
    if (kind === 'action' && space.shape.length === 1) {
      let bad = false;
      for (let i = 0; i < space.size; i++) {
        const lo = space.low[i]!;
        const hi = space.high[i]!;
        if ((lo !== 0 && Math.abs(lo) !== Math.abs(hi)) || lo < -1 || hi > 1) bad = true;
      }
      if (bad) warn('For Box action spaces, we recommend using a symmetric and normalized space (range=[-1, 1] or [0, 1]).');
    }
  } else if (space instanceof Tuple) {
    for (const s of space.spaces as readonly AnySpace[]) checkSpaceLimit(s, kind, warn);
  } else if (space instanceof Dict) {
    for (const k of space.keys) checkSpaceLimit(space.spaces[k]!, kind, warn);
  }
}

function attempt<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EnvCheckError) throw e;
    throw new EnvCheckError(`${what} threw: ${e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e)}`, { cause: e });
  }
}

function checkResetReturnType(env: Env<unknown, unknown>): void {
  const result: unknown = attempt('reset()', () => env.reset());
  if (!Array.isArray(result) || result.length !== 2) fail(`reset() must return [obs, info], got ${describeValue(result)}`);
  if (!env.observationSpace.contains(result[0])) {
    fail(`The observation returned by reset() is not within the observation space ${env.observationSpace}: ${describeValue(result[0])}`);
  }
  if (!isPlainObject(result[1])) fail(`The info returned by reset() must be a plain object, got ${describeValue(result[1])}`);
}

function checkResetSeedDeterminism(env: Env<unknown, unknown>, warn: Warn): void {
  const space = env.observationSpace;
  const resetIn = (seed: number | undefined): unknown => {
    const label = seed === undefined ? 'reset()' : `reset({ seed: ${seed} })`;
    const [obs] = attempt(label, () => env.reset(seed === undefined ? undefined : { seed }));
    if (!space.contains(obs)) fail(`The observation returned by ${label} is not within the observation space ${space}: ${describeValue(obs)}`);
    return obs;
  };
  const obs1 = resetIn(123);
  const state1 = rngState(env, 'reset({ seed: 123 })');
  const obs2 = resetIn(undefined);
  const obs3 = resetIn(123);
  const state3 = rngState(env, 'reset({ seed: 123 })');
  const obs4 = resetIn(undefined);
  if (env.spec === null || !env.spec.nondeterministic) {
    if (!dataEquivalence(obs1, obs3)) fail('Using reset({ seed: 123 }) is non-deterministic as the observations are not equivalent.');
    if (!dataEquivalence(obs2, obs4)) fail('Using reset({ seed: 123 }) then reset() is non-deterministic as the observations are not equivalent.');
    if (!dataEquivalence(obs1, obs3, true)) warn('Using reset({ seed: 123 }) observations are not equal although similar.');
    if (!dataEquivalence(obs2, obs4, true)) warn('Using reset({ seed: 123 }) then reset() observations are not equal although similar.');
  }
  if (!sameState(state1, state3)) {
    fail('The RNG states differ after two reset({ seed: 123 }) calls; most likely reset() does not call this.reseed(seed).');
  }
  resetIn(456);
  if (sameState(rngState(env, 'reset({ seed: 456 })'), state1)) {
    fail('The RNG states are equal after reset({ seed: 123 }) and reset({ seed: 456 }); most likely reset() does not call this.reseed(seed).');
  }
}

function checkStepDeterminism(env: Env<unknown, unknown>, warn: Warn): void {
  if (env.spec !== null && env.spec.nondeterministic) return;
  const seed = 123;
  env.actionSpace.seed(seed);
  const action = env.actionSpace.sample();
  env.reset({ seed });
  const [obs0, rew0, term0, trunc0, info0] = attempt('step()', () => env.step(action));
  const state0 = rngState(env, 'reset({ seed: 123 }) and step()');
  env.reset({ seed });
  const [obs1, rew1, term1, trunc1, info1] = attempt('step()', () => env.step(action));
  const state1 = rngState(env, 'reset({ seed: 123 }) and step()');
  if (!sameState(state0, state1)) fail('The env RNG state differs after the same reset({ seed }) and step(action); step() uses randomness that is not from this.npRandom.');
  if (!dataEquivalence(obs0, obs1)) fail('Deterministic step observations are not equivalent for the same seed and action.');
  if (!dataEquivalence(obs0, obs1, true)) warn('Step observations are not equal although similar given the same seed and action.');
  if (!dataEquivalence(rew0, rew1)) fail(`Deterministic step rewards are not equivalent for the same seed and action (${rew0} vs ${rew1}).`);
  if (!dataEquivalence(term0, term1, true)) fail('Deterministic step termination flags are not equivalent for the same seed and action.');
  if (trunc0 !== false || trunc1 !== false) fail('Environment truncates after 1 step, something has gone very wrong.');
  if (!dataEquivalence(info0, info1)) fail('Deterministic step infos are not equivalent for the same seed and action.');
  if (!dataEquivalence(info0, info1, true)) warn('Step infos are not equal although similar given the same seed and action.');
}

function runChecks(env: Env<unknown, unknown>, options: CheckEnvOptions, warn: Warn): void {
  if (!(env instanceof Env)) fail(`checkEnv expects an Env instance, got ${describeValue(env)}`);
  if (env.unwrapped !== env) {
    warn(`The environment (${env}) is different from the unwrapped version (${env.unwrapped}); checks see the wrappers too. Consider checkEnv(env.unwrapped).`);
  }
  checkSpace(env.actionSpace, 'action', warn);
  checkSpaceLimit(env.actionSpace, 'action', warn);
  checkSpace(env.observationSpace, 'observation', warn);
  checkSpaceLimit(env.observationSpace, 'observation', warn);

  checkResetReturnType(env);
  checkResetSeedDeterminism(env, warn);
  attempt('reset({ options: {} })', () => env.reset({ options: {} }));

  attempt('reset()', () => envResetPassiveChecker(env, undefined, warn));
  const action = env.actionSpace.sample();
  attempt('step()', () => envStepPassiveChecker(env, action, warn, true));

  checkStepDeterminism(env, warn);

  if (!options.skipRenderCheck) {
    if (env.renderMode !== null) attempt('render()', () => envRenderPassiveChecker(env, warn));
    const spec = env.spec;
    if (spec !== null) {
      for (const mode of env.metadata.renderModes) {
        const other = attempt(`make(${spec.id}, { renderMode: '${mode}' })`, () => spec.make({ renderMode: mode, disableEnvChecker: true }));
        attempt(`reset() with renderMode '${mode}'`, () => other.reset());
        attempt(`render() with renderMode '${mode}'`, () => envRenderPassiveChecker(other, warn));
        other.close();
      }
    } else {
      warn('Not able to test alternative render modes because the environment has no spec; create it with make().');
    }
  }

  if (!options.skipCloseCheck) {
    const spec = env.spec;
    if (spec !== null) {
      const other = attempt(`make(${spec.id})`, () => spec.make({ disableEnvChecker: true }));
      attempt('close()', () => other.close());
      attempt('a second close()', () => other.close());
    } else {
      warn('Not able to check close() twice because the environment has no spec; create it with make().');
    }
  }
}

/** Runs the checks; throws `EnvCheckError` on a hard failure, returns the warnings otherwise. */
export function checkEnv(env: Env<unknown, unknown>, options: CheckEnvOptions = {}): string[] {
  const warnings: string[] = [];
  const [, emitted] = captureWarnings(() => runChecks(env, options, (m) => warnings.push(m)));
  return [...warnings, ...emitted];
}
