/**
 * Passive API checks (Gymnasium's `utils/passive_env_checker.py`): they look at what `reset`,
 * `step` and `render` return and report problems without changing anything. Hard violations throw
 * `EnvCheckError`; the rest go to the `warn` callback.
 */
import { EnvCheckError, describeValue } from '../errors.js';
import type { Env, ResetArgs, ResetResult, StepResult, RenderFrame } from '../env.js';
import { Space, type AnySpace } from '../spaces/space.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import { MultiBinary } from '../spaces/multi-binary.js';
import { Tuple } from '../spaces/tuple.js';
import { Dict } from '../spaces/dict.js';
import { dtypeOf } from '../spaces/dtype.js';
import { shapeSize } from '../spaces/shape.js';

export type Warn = (message: string) => void;

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function fail(message: string): never {
  throw new EnvCheckError(message);
}

/** Gymnasium's `check_space`: the space is a Space and its definition is sensible. */
export function checkSpace(space: unknown, kind: 'observation' | 'action', warn: Warn): void {
  if (!(space instanceof Space)) fail(`The ${kind} space must be a Space instance, got ${describeValue(space)}`);
  if (space instanceof Box) {
    if (space.low.length !== shapeSize(space.shape) || space.high.length !== shapeSize(space.shape)) {
      fail(`The Box ${kind} space's low/high sizes (${space.low.length}, ${space.high.length}) do not match its shape ${JSON.stringify(space.shape)}`);
    }
    let equal = false;
    let inverted = false;
    for (let i = 0; i < space.size; i++) {
      if (space.low[i] === space.high[i]) equal = true;
      if (space.low[i]! > space.high[i]!) inverted = true;
    }
    if (equal) warn(`A Box ${kind} space maximum and minimum values are equal.`);
    else if (inverted) warn(`A Box ${kind} space low value is greater than a high value.`);
  } else if (space instanceof Discrete) {
    if (!(space.n > 0)) fail(`Discrete ${kind} space's number of elements must be positive, got ${space.n}`);
    if (space.shape === null || space.shape.length !== 0) fail(`Discrete ${kind} space's shape should be [], got ${JSON.stringify(space.shape)}`);
  } else if (space instanceof MultiDiscrete) {
    if (space.size !== shapeSize(space.shape)) fail(`MultiDiscrete ${kind} space's shape must match its nvec`);
    for (let i = 0; i < space.size; i++) {
      if (!(space.nvec[i]! > 0)) fail(`MultiDiscrete ${kind} space's nvec elements must be > 0`);
    }
  } else if (space instanceof MultiBinary) {
    if (!space.shape.every((d) => d > 0)) fail(`MultiBinary ${kind} space's shape elements must be > 0`);
  } else if (space instanceof Tuple) {
    if (space.spaces.length === 0) fail(`An empty Tuple ${kind} space is not allowed.`);
    for (const s of space.spaces as readonly AnySpace[]) checkSpace(s, kind, warn);
  } else if (space instanceof Dict) {
    if (space.keys.length === 0) fail(`An empty Dict ${kind} space is not allowed.`);
    for (const k of space.keys) checkSpace(space.spaces[k], kind, warn);
  }
}

/**
 * Gymnasium's `check_obs`: type and dtype warnings, then containment. With `strict`, an
 * observation outside the space is a hard failure instead of a warning.
 */
export function checkObs(obs: unknown, space: AnySpace, method: string, warn: Warn, strict = false): void {
  const pre = `The obs returned by the \`${method}()\` method`;
  if (space instanceof Discrete) {
    if (typeof obs !== 'number' || !Number.isInteger(obs)) warn(`${pre} should be an integer number, actual type: ${typeof obs}`);
  } else if (space instanceof Box) {
    const d = dtypeOf(obs);
    if (d === null) warn(`${pre} was expecting a typed array, actual value: ${describeValue(obs)}`);
    else if (d !== space.dtype) warn(`${pre} was expecting a ${space.dtype} typed array, actual dtype: ${d}`);
  } else if (space instanceof MultiBinary || space instanceof MultiDiscrete) {
    if (dtypeOf(obs) === null) warn(`${pre} was expecting a typed array, actual value: ${describeValue(obs)}`);
  } else if (space instanceof Tuple) {
    if (!Array.isArray(obs)) fail(`${pre} was expecting an array for ${space}, actual value: ${describeValue(obs)}`);
    if (obs.length !== space.spaces.length) {
      fail(`${pre} length ${obs.length} is not the observation space length ${space.spaces.length}`);
    }
    (space.spaces as readonly AnySpace[]).forEach((s, i) => checkObs(obs[i], s, method, warn, strict));
  } else if (space instanceof Dict) {
    if (!isPlainObject(obs)) fail(`${pre} must be a plain object for ${space}, actual value: ${describeValue(obs)}`);
    const keys = Object.keys(obs).sort().join(',');
    if (keys !== [...space.keys].sort().join(',')) {
      fail(`${pre} keys [${Object.keys(obs).join(', ')}] are not the observation space keys [${space.keys.join(', ')}]`);
    }
    for (const k of space.keys) checkObs(obs[k], space.spaces[k]!, method, warn, strict);
  }
  if (!space.contains(obs)) {
    const msg = `${pre} is not within the observation space ${space}: ${describeValue(obs)}`;
    if (strict) fail(msg);
    warn(msg);
  }
}

/** Checks `env.reset(args)`'s result and returns it unchanged. */
export function envResetPassiveChecker<Obs>(env: Env<Obs, unknown>, args: ResetArgs | undefined, warn: Warn): ResetResult<Obs> {
  const result: unknown = env.reset(args);
  if (!Array.isArray(result) || result.length !== 2) {
    fail(`reset() must return [obs, info], got ${describeValue(result)}`);
  }
  checkObs(result[0], env.observationSpace, 'reset', warn);
  if (!isPlainObject(result[1])) fail(`The info returned by reset() must be a plain object, got ${describeValue(result[1])}`);
  return result as ResetResult<Obs>;
}

/**
 * Checks `env.step(action)`'s result and returns it unchanged. With `strict` (used by `checkEnv`),
 * non-boolean flags, a non-finite or non-number reward and an observation outside the space fail
 * instead of warning.
 */
export function envStepPassiveChecker<Obs, Act>(env: Env<Obs, Act>, action: Act, warn: Warn, strict = false): StepResult<Obs> {
  const result: unknown = env.step(action);
  if (!Array.isArray(result) || result.length !== 5) {
    fail(`step() must return [obs, reward, terminated, truncated, info], got ${describeValue(result)}`);
  }
  const report = (msg: string): void => (strict ? fail(msg) : warn(msg));
  const [obs, reward, terminated, truncated, info] = result as unknown[];
  if (typeof terminated !== 'boolean') report(`Expects \`terminated\` signal to be a boolean, actual value: ${describeValue(terminated)}`);
  if (typeof truncated !== 'boolean') report(`Expects \`truncated\` signal to be a boolean, actual value: ${describeValue(truncated)}`);
  checkObs(obs, env.observationSpace, 'step', warn, strict);
  if (typeof reward !== 'number') report(`The reward returned by step() must be a number, actual value: ${describeValue(reward)}`);
  else if (Number.isNaN(reward)) report('The reward is a NaN value.');
  else if (!Number.isFinite(reward)) report('The reward is an inf value.');
  if (!isPlainObject(info)) fail(`The info returned by step() must be a plain object, got ${describeValue(info)}`);
  return result as StepResult<Obs>;
}

/** Gymnasium's `_check_render_return`. */
export function checkRenderReturn(mode: string, value: unknown, warn: Warn): void {
  if (mode === 'human') {
    if (value !== null && value !== undefined) warn(`Human rendering should return null, got ${describeValue(value)}`);
  } else if (mode === 'rgb_array') {
    const frame = value as Partial<{ shape: unknown; data: unknown }> | null;
    if (frame === null || typeof frame !== 'object' || !(frame.data instanceof Uint8Array) || !Array.isArray(frame.shape)) {
      warn(`RGB-array rendering should return { shape: [h, w, 3], data: Uint8Array }, got ${describeValue(value)}`);
      return;
    }
    const shape = frame.shape as unknown[];
    if (shape.length !== 3) warn(`RGB-array rendering should have three axes, got shape ${JSON.stringify(shape)}`);
    else if (shape[2] !== 3) warn(`RGB-array rendering's last axis should have 3 channels, got ${String(shape[2])}`);
    else if (frame.data.length !== (shape[0] as number) * (shape[1] as number) * 3) {
      warn(`RGB-array rendering's data has ${frame.data.length} bytes, shape ${JSON.stringify(shape)} needs ${(shape[0] as number) * (shape[1] as number) * 3}`);
    }
  } else if (mode === 'ansi' || mode === 'ascii') {
    if (typeof value !== 'string') warn(`ANSI rendering should produce a string, got ${describeValue(value)}`);
  } else if (mode.endsWith('_list')) {
    if (!Array.isArray(value)) warn(`Render mode ${mode} should produce an array, got ${describeValue(value)}`);
    else for (const item of value) checkRenderReturn(mode.slice(0, -'_list'.length), item, warn);
  }
}

/** Checks metadata render modes/fps, then `env.render()`'s result; returns it unchanged. */
export function envRenderPassiveChecker(env: Env<unknown, unknown>, warn: Warn): RenderFrame | RenderFrame[] | null {
  const modes = env.metadata.renderModes as unknown;
  if (modes === undefined || modes === null) {
    warn('No render modes were declared in the environment (metadata.renderModes is missing).');
  } else if (!Array.isArray(modes) || !modes.every((m) => typeof m === 'string')) {
    warn(`Expects metadata.renderModes to be an array of strings, got ${describeValue(modes)}`);
  } else {
    const fps = env.metadata.renderFps;
    if (modes.length > 0) {
      if (fps === undefined) warn('No render fps was declared in the environment (metadata.renderFps), rendering may occur at inconsistent fps.');
      else if (typeof fps !== 'number') warn(`Expects metadata.renderFps to be a number, got ${describeValue(fps)}`);
      else if (!(fps > 0)) fail(`Expects metadata.renderFps to be greater than zero, got ${fps}`);
    }
    if (modes.length === 0 && env.renderMode !== null) {
      fail(`With no renderModes, expects renderMode to be null, got ${JSON.stringify(env.renderMode)}`);
    }
    if (modes.length > 0 && env.renderMode !== null && !modes.includes(env.renderMode)) {
      fail(`The environment was created with an unsupported render mode ${JSON.stringify(env.renderMode)}; supported: ${modes.join(', ')}`);
    }
  }
  const result = env.render();
  if (env.renderMode !== null) checkRenderReturn(env.renderMode, result, warn);
  return result;
}
