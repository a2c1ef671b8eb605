/**
 * `SyncVectorEnv`: steps `numEnvs` ordinary envs one after another in this thread (Gymnasium's
 * `gymnasium.vector.SyncVectorEnv`), with all three autoreset modes.
 */
import { InvalidArgumentError, ResetNeeded, describeValue } from '../errors.js';
import type { Env, EnvMetadata, Info, RenderFrame } from '../env.js';
import type { AnySpace } from '../spaces/space.js';
import { validateSeed } from '../rng.js';
import { AutoresetMode, isAutoresetMode } from './autoreset-mode.js';
import {
  VectorEnv,
  addVectorInfo,
  type VectorInfo,
  type VectorResetArgs,
  type VectorResetResult,
  type VectorStepResult,
} from './vector-env.js';
import { type Batched, type BatchedInput, batchSpace, concatenate, copyBatch, createEmptyArray, iterate } from './utils.js';

export interface SyncVectorEnvOptions {
  /** Default `next-step`, Gymnasium 1.x's default. */
  autoresetMode?: AutoresetMode;
  /**
   * true (default): `reset`/`step` return fresh arrays. false: they return the env's internal
   * buffers, overwritten by the next call (faster; copy what you keep).
   */
  copy?: boolean;
}

export class SyncVectorEnv<SObs, SAct> extends VectorEnv<Batched<SObs>, BatchedInput<SAct>> {
  readonly envs: Env<SObs, SAct>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: AnySpace;
  readonly singleActionSpace: AnySpace;
  readonly observationSpace: AnySpace;
  readonly actionSpace: AnySpace;
  readonly metadata: EnvMetadata;
  readonly autoresetMode: AutoresetMode;
  readonly copy: boolean;

  private readonly envObs: SObs[];
  private readonly observations: Batched<SObs>;
  private readonly rewards: Float64Array;
  private readonly terminations: Uint8Array;
  private readonly truncations: Uint8Array;
  /** Sub-envs whose last step ended an episode (reset on the next step in `next-step` mode). */
  private readonly autoresetEnvs: Uint8Array;

  constructor(envFns: readonly (() => Env<SObs, SAct>)[], options: SyncVectorEnvOptions = {}) {
    super();
    const mode = options.autoresetMode ?? AutoresetMode.NEXT_STEP;
    if (!isAutoresetMode(mode)) {
      throw new InvalidArgumentError(`SyncVectorEnv: autoresetMode must be 'next-step', 'same-step' or 'disabled', got ${describeValue(mode)}`);
    }
    if (!Array.isArray(envFns) || envFns.length === 0) {
      throw new InvalidArgumentError(`SyncVectorEnv: expected a non-empty array of env factories, got ${describeValue(envFns)}`);
    }
    this.autoresetMode = mode;
    this.copy = options.copy ?? true;
    this.envs = envFns.map((fn) => fn());
    this.numEnvs = this.envs.length;
    const first = this.envs[0]!;
    this.metadata = { ...first.metadata, autoresetMode: mode };
    this.renderMode = first.renderMode;
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    this.envs.forEach((env, i) => {
      if (!env.observationSpace.equals(this.singleObservationSpace)) {
        throw new InvalidArgumentError(
          `SyncVectorEnv: sub-env ${i} observation space ${env.observationSpace} differs from sub-env 0's ${this.singleObservationSpace}`,
        );
      }
      if (!env.actionSpace.equals(this.singleActionSpace)) {
        throw new InvalidArgumentError(
          `SyncVectorEnv: sub-env ${i} action space ${env.actionSpace} differs from sub-env 0's ${this.singleActionSpace}`,
        );
      }
    });
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs);
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs);
    this.envObs = new Array<SObs>(this.numEnvs);
    this.observations = createEmptyArray(this.singleObservationSpace, this.numEnvs) as Batched<SObs>;
    this.rewards = new Float64Array(this.numEnvs);
    this.terminations = new Uint8Array(this.numEnvs);
    this.truncations = new Uint8Array(this.numEnvs);
    this.autoresetEnvs = new Uint8Array(this.numEnvs);
  }

  /** Seeds of the sub-envs' RNGs. */
  get npRandomSeed(): number[] {
    return this.envs.map((e) => e.npRandomSeed);
  }

  reset(args: VectorResetArgs = {}): VectorResetResult<Batched<SObs>> {
    const seeds = this.resolveSeeds(args.seed);
    let options = args.options;
    let mask: boolean[] | null = null;
    if (options !== undefined && options.resetMask !== undefined) {
      const raw = options.resetMask;
      if (raw === null || typeof raw !== 'object' || raw.length !== this.numEnvs) {
        throw new InvalidArgumentError(`SyncVectorEnv.reset: options.resetMask must have length ${this.numEnvs}, got ${describeValue(raw)}`);
      }
      mask = Array.from(raw as ArrayLike<unknown>, (v, i) => {
        if (v === true || v === 1) return true;
        if (v === false || v === 0) return false;
        throw new InvalidArgumentError(`SyncVectorEnv.reset: options.resetMask[${i}] must be a boolean (or 0/1), got ${describeValue(v)}`);
      });
      if (!mask.some(Boolean)) {
        throw new InvalidArgumentError(`SyncVectorEnv.reset: options.resetMask must contain at least one true value, got ${describeValue(raw)}`);
      }
      // Sub-envs never see the mask (Gymnasium pops it before forwarding options).
      const { resetMask: _drop, ...rest } = options;
      options = rest;
    }
    const infos: VectorInfo = {};
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask !== null && !mask[i]) continue;
      this.terminations[i] = 0;
      this.truncations[i] = 0;
      this.autoresetEnvs[i] = 0;
      const seed = seeds[i];
      const [obs, info] = this.envs[i]!.reset({ seed: seed ?? undefined, options });
      this.envObs[i] = obs;
      addVectorInfo(infos, info, i, this.numEnvs);
    }
    concatenate(this.singleObservationSpace, this.envObs, this.observations);
    return [this.copy ? copyBatch(this.observations) : this.observations, infos];
  }

  step(actions: BatchedInput<SAct>): VectorStepResult<Batched<SObs>> {
    const perEnv = iterate(this.singleActionSpace, actions, this.numEnvs) as SAct[];
    const infos: VectorInfo = {};
    const mode = this.autoresetMode;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      let info: Info;
      if (mode === AutoresetMode.NEXT_STEP && this.autoresetEnvs[i]) {
        [this.envObs[i], info] = env.reset();
        this.rewards[i] = 0;
        this.terminations[i] = 0;
        this.truncations[i] = 0;
      } else {
        if (mode === AutoresetMode.DISABLED && this.autoresetEnvs[i]) {
          throw new ResetNeeded(
            `SyncVectorEnv.step: sub-env ${i} ended its episode; with autoresetMode 'disabled' reset it first with reset({ options: { resetMask } })`,
          );
        }
        const [obs, reward, terminated, truncated, stepInfo] = env.step(perEnv[i]!);
        this.envObs[i] = obs;
        this.rewards[i] = reward;
        this.terminations[i] = terminated ? 1 : 0;
        this.truncations[i] = truncated ? 1 : 0;
        info = stepInfo;
        if (mode === AutoresetMode.SAME_STEP && (terminated || truncated)) {
          addVectorInfo(infos, { final_obs: obs, final_info: info }, i, this.numEnvs);
          [this.envObs[i], info] = env.reset();
        }
      }
      addVectorInfo(infos, info, i, this.numEnvs);
    }
    concatenate(this.singleObservationSpace, this.envObs, this.observations);
    for (let i = 0; i < this.numEnvs; i++) this.autoresetEnvs[i] = this.terminations[i]! | this.truncations[i]!;
    if (!this.copy) return [this.observations, this.rewards, this.terminations, this.truncations, infos];
    return [copyBatch(this.observations), this.rewards.slice(), this.terminations.slice(), this.truncations.slice(), infos];
  }

  override render(): (RenderFrame | RenderFrame[] | null)[] {
    return this.envs.map((e) => e.render());
  }

  /** Calls method `name` (or reads attribute `name`) on every sub-env through its wrappers. */
  call(name: string, ...args: unknown[]): unknown[] {
    return this.envs.map((env) => {
      const attr = env.getWrapperAttr(name);
      return typeof attr === 'function' ? (attr as (...a: unknown[]) => unknown).apply(env, args) : attr;
    });
  }

  getAttr(name: string): unknown[] {
    return this.envs.map((env) => env.getWrapperAttr(name));
  }

  /** One value for all sub-envs, or an array with one value per sub-env. */
  setAttr(name: string, values: unknown): void {
    const list = Array.isArray(values) ? values : new Array<unknown>(this.numEnvs).fill(values);
    if (list.length !== this.numEnvs) {
      throw new InvalidArgumentError(`SyncVectorEnv.setAttr: expected ${this.numEnvs} values, got ${list.length}`);
    }
    this.envs.forEach((env, i) => env.setWrapperAttr(name, list[i]));
  }

  protected override closeExtras(): void {
    for (const env of this.envs) env.close();
  }

  private resolveSeeds(seed: VectorResetArgs['seed']): (number | undefined | null)[] {
    if (seed === undefined || seed === null) return new Array(this.numEnvs).fill(undefined);
    if (typeof seed === 'number') {
      validateSeed(seed, 'SyncVectorEnv.reset seed');
      return Array.from({ length: this.numEnvs }, (_, i) => seed + i);
    }
    if (!Array.isArray(seed) || seed.length !== this.numEnvs) {
      throw new InvalidArgumentError(
        `SyncVectorEnv.reset: seeds given as an array must have length numEnvs=${this.numEnvs}, got ${describeValue(seed)}`,
      );
    }
    return [...seed];
  }
}
