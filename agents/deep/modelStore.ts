/**
 * Saving and loading tfjs models without tfjs-node (whose `file://` handler is the only built-in
 * one): the standard `model.json` + `weights.bin` layout, written through `withSaveHandler` and read
 * back through `fromMemory` (bit-identical predictions on the same backend, ecosystem.md §1c).
 *
 * Directories are written atomically: everything goes into a fresh temp directory beside the
 * target, which then replaces the target by rename. A crash leaves the previous directory (or a
 * `<dir>.old-*` sibling holding it during the instant of the swap), never a half-written one.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DammGymError } from '../../env/core/errors.js';

/** A model directory that is missing, incomplete or not a tfjs layers model. */
export class ModelFileError extends DammGymError {}

/** File name → contents (text or bytes). */
export type DirFiles = Readonly<Record<string, string | Uint8Array>>;

/** Write `files` as the whole content of `dir`, atomically (temp dir, then rename). */
export function writeDirAtomic(dir: string, files: DirFiles): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  mkdirSync(tmp);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
    if (existsSync(dir)) {
      const old = join(parent, `.${basename(dir)}.old-${tag}`);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The `model.json` + `weights.bin` pair of a layers model, in memory. */
export async function modelFiles(model: tf.LayersModel): Promise<{ 'model.json': string; 'weights.bin': Uint8Array }> {
  let out: { 'model.json': string; 'weights.bin': Uint8Array } | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    const weightData = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
    const modelJSON: tf.io.ModelJSON = {
      modelTopology: a.modelTopology as object,
      format: a.format,
      generatedBy: a.generatedBy,
      convertedBy: a.convertedBy,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
      ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
    };
    out = { 'model.json': JSON.stringify(modelJSON), 'weights.bin': new Uint8Array(weightData) };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
  }));
  if (out === null) throw new ModelFileError('model.save produced no artifacts');
  return out;
}

/** Save a model as `dir/model.json` + `dir/weights.bin` (plus `extra` files), atomically. */
export async function saveModel(model: tf.LayersModel, dir: string, extra: DirFiles = {}): Promise<void> {
  writeDirAtomic(dir, { ...(await modelFiles(model)), ...extra });
}

/** Load a model written by `saveModel` (or any tfjs `model.json` with its weight files beside it). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new ModelFileError(`${path}: no model.json here (a model directory holds model.json and weights.bin)`);
  let modelJSON: tf.io.ModelJSON;
  try {
    modelJSON = JSON.parse(readFileSync(path, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new ModelFileError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (modelJSON.modelTopology === undefined || !Array.isArray(modelJSON.weightsManifest)) {
    throw new ModelFileError(`${path}: not a tfjs layers model (needs modelTopology and weightsManifest)`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const p of group.paths) {
        const file = join(dir, p);
        if (!existsSync(file)) throw new ModelFileError(`${path}: weight file ${p} is missing`);
        const b = readFileSync(file);
        buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      }
    }
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
