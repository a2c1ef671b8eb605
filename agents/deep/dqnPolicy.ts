/**
 * The greedy policy of a trained Q network, as a `PersistablePolicy` of kind 'dqn'.
 *
 * On disk a policy is a directory: `policy.json` (the usual policy file; its `data.modelDir` names
 * the model directory beside it) and that directory with `model.json` + `weights.bin` (modelStore's
 * layout). Policy decoders are synchronous, so loading rebuilds the network from the saved
 * architecture and sets the weights read from weights.bin with readFileSync: the loaded network
 * computes exactly what the saved one did (bit-identical Q values on the same backend).
 *
 * Without `initTfjsBackend()` tfjs runs on its default cpu backend, which is the faster one for
 * batch-1 inference (ecosystem.md §1); across backends Q values may differ in the last float bits.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { InvalidObservationError, describeValue } from '../../env/core/errors.js';
import { Rng } from '../../env/core/rng.js';
import type { JsonObject, PersistablePolicy, PolicyData } from '../policy.js';
import { PolicyFileError } from '../errors.js';
import { registerPolicyKind, savePolicy, type PolicyMeta } from '../persistence.js';
import { saveModel } from './modelStore.js';
import {
  ObservationNormalizer, WeightsFormatError, buildQNetwork, greedyActions, qValues, setWeightsFromBytes, validateQNetworkSpec,
  type ObservationNormalizerState, type QNetworkSpec, type WeightSpec,
} from './qNetwork.js';

export interface DqnPolicyOptions {
  name?: string;
  /** `start` of the env's Discrete action space. */
  actionStart?: number;
  /** Frozen input statistics (copied), or null for raw observations. */
  normalizer?: ObservationNormalizer | null;
  /** How the network was trained (saved as the file's `config`). */
  config?: JsonObject;
  /** Model directory name beside policy.json (default 'model'). */
  modelDir?: string;
}

export class DqnPolicy implements PersistablePolicy<ArrayLike<number>, number> {
  readonly kind = 'dqn';
  readonly name: string;
  readonly actionStart: number;
  readonly normalizer: ObservationNormalizer | null;
  readonly config: JsonObject;
  readonly modelDir: string;
  private readonly input: Float32Array;

  constructor(readonly model: tf.LayersModel, readonly network: QNetworkSpec, options: DqnPolicyOptions = {}) {
    validateQNetworkSpec(network);
    this.name = options.name ?? 'dqn';
    this.actionStart = options.actionStart ?? 0;
    const n = options.normalizer ?? null;
    this.normalizer = n === null ? null : ObservationNormalizer.fromJSON(n.toJSON(), network.inputDim, 'DqnPolicy');
    this.config = options.config ?? {};
    this.modelDir = options.modelDir ?? 'model';
    this.input = new Float32Array(network.inputDim);
  }

  private check(obs: ArrayLike<number>): void {
    if (obs === null || typeof obs !== 'object' || obs.length !== this.network.inputDim) {
      throw new InvalidObservationError(
        `${this.name}: expected an observation of ${this.network.inputDim} numbers (the network's input), got ${describeValue(obs)}; `
        + 'evaluate it on the env and env options it was trained with (envSpec in its policy.json)',
      );
    }
  }

  /** Network input for `obs` (normalised when the policy has statistics). */
  private prepare(obs: ArrayLike<number>, out: Float32Array, offset: number): void {
    if (this.normalizer !== null) this.normalizer.normalizeInto(obs, out, offset);
    else for (let i = 0; i < this.network.inputDim; i++) out[offset + i] = obs[i]!;
  }

  /** Q(obs, ·). */
  qValues(obs: ArrayLike<number>): Float32Array {
    this.check(obs);
    this.prepare(obs, this.input, 0);
    return qValues(this.model, this.input, 1);
  }

  /** argmax_a Q(obs, a) (ties to the lowest action), as an env action. */
  act(obs: ArrayLike<number>): number {
    this.check(obs);
    this.prepare(obs, this.input, 0);
    return this.actionStart + greedyActions(this.model, this.input, 1)[0]!;
  }

  /** Greedy actions of `n` observations in one network call (`obs` row-major n × inputDim, raw). */
  actBatch(obs: Float32Array, n: number): Int32Array {
    const d = this.network.inputDim;
    if (obs.length !== n * d) throw new InvalidObservationError(`${this.name}.actBatch: expected ${n} × ${d} = ${n * d} numbers, got ${obs.length}`);
    let input = obs;
    if (this.normalizer !== null) {
      input = new Float32Array(n * d);
      for (let i = 0; i < n; i++) this.normalizer.normalizeInto(obs.subarray(i * d, i * d + d), input, i * d);
    }
    const actions = greedyActions(this.model, input, n);
    if (this.actionStart !== 0) for (let i = 0; i < n; i++) actions[i] = actions[i]! + this.actionStart;
    return actions;
  }

  toPolicyData(): PolicyData {
    return {
      config: this.config,
      data: {
        modelDir: this.modelDir,
        network: { inputDim: this.network.inputDim, hidden: [...this.network.hidden], nActions: this.network.nActions, activation: this.network.activation },
        actionStart: this.actionStart,
        normalizer: this.normalizer === null ? null : (this.normalizer.toJSON() as unknown as JsonObject),
      },
    };
  }
}

/**
 * Writes `dir/<modelDir>/` (model.json + weights.bin, atomically) and then `dir/policy.json`;
 * returns the policy file's path. `damm-gym evaluate --policy <dir>` loads it.
 */
export async function saveDqnPolicy(dir: string, policy: DqnPolicy, meta: PolicyMeta = {}): Promise<string> {
  await saveModel(policy.model, join(dir, policy.modelDir));
  const path = join(dir, 'policy.json');
  savePolicy(path, policy, meta);
  return path;
}

/** The model directory's weights, read synchronously: manifest entries and the concatenated bytes. */
function readModelDir(dir: string, source: string, field: string): { specs: WeightSpec[]; bytes: Uint8Array } {
  const modelPath = join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new PolicyFileError(source, field, `a model directory holding model.json and weights.bin`, `${dir} (no model.json)`);
  let json: { weightsManifest?: { paths: string[]; weights: WeightSpec[] }[] };
  try {
    json = JSON.parse(readFileSync(modelPath, 'utf8')) as typeof json;
  } catch (err) {
    throw new PolicyFileError(modelPath, null, 'valid JSON (a tfjs model.json)', (err as Error).message, { cause: err });
  }
  if (!Array.isArray(json.weightsManifest)) throw new PolicyFileError(modelPath, 'weightsManifest', 'the tfjs weights manifest (an array)', describeValue(json.weightsManifest));
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new PolicyFileError(modelPath, 'weightsManifest.paths', `weight files beside model.json`, `${p} is missing`);
      parts.push(new Uint8Array(readFileSync(file)));
    }
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return { specs, bytes };
}

registerPolicyKind('dqn', (file, r) => {
  const d = r.object(file.data, 'data');
  const modelDir = r.string(d['modelDir'], 'data.modelDir');
  const net = r.object(d['network'], 'data.network');
  const network: QNetworkSpec = {
    inputDim: r.integer(net['inputDim'], 'data.network.inputDim', 1),
    hidden: r.numbers(net['hidden'], 'data.network.hidden', Array.isArray(net['hidden']) ? net['hidden'].length : 0, 'units per hidden layer', true),
    nActions: r.integer(net['nActions'], 'data.network.nActions', 1),
    activation: r.string(net['activation'], 'data.network.activation') as QNetworkSpec['activation'],
  };
  const actionStart = d['actionStart'] === undefined ? 0 : r.integer(d['actionStart'], 'data.actionStart');
  let normalizer: ObservationNormalizer | null = null;
  try {
    validateQNetworkSpec(network, 'data.network');
    if (d['normalizer'] !== null && d['normalizer'] !== undefined) {
      normalizer = ObservationNormalizer.fromJSON(r.object(d['normalizer'], 'data.normalizer') as unknown as ObservationNormalizerState, network.inputDim, 'data.normalizer');
    }
  } catch (err) {
    if (err instanceof WeightsFormatError) throw new PolicyFileError(r.file, 'data', 'a valid network and normalizer', err.message, { cause: err });
    throw err;
  }
  const dir = isAbsolute(modelDir) ? modelDir : join(dirname(r.file), modelDir);
  // what initTfjsBackend does first; it also silences tfjs' "install tfjs-node" banner
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
  const { specs, bytes } = readModelDir(dir, r.file, 'data.modelDir');
  // the initial weights are overwritten; any seed will do
  const model = buildQNetwork(network, new Rng(0));
  try {
    setWeightsFromBytes(model, specs, bytes, join(dir, 'weights.bin'));
  } catch (err) {
    model.dispose();
    throw err;
  }
  return new DqnPolicy(model, network, { name: file.name, actionStart, normalizer, config: file.config, modelDir });
});
