import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend, TfjsBackendError } from '../agents/deep/backend.js';
import { loadModel, ModelFileError, saveModel, writeDirAtomic } from '../agents/deep/modelStore.js';

function mlp(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 16, activation: 'relu', kernelInitializer: init(seed) }),
      tf.layers.dense({ units: 2, kernelInitializer: init(seed + 1) }),
    ],
  });
}

describe('tfjs backend and model files', () => {
  it('picks a backend in the documented order (tfjs-node is absent here) and refuses an unknown TFJS_BACKEND', async () => {
    const backend = await initTfjsBackend(undefined);
    assert.ok(['tensorflow', 'wasm', 'cpu'].includes(backend));
    assert.equal(tf.getBackend(), backend === 'tensorflow' ? 'tensorflow' : backend);
  });

  it('saves model.json + weights.bin and loads back identical predictions', async () => {
    await initTfjsBackend(undefined);
    const dir = join(mkdtempSync(join(tmpdir(), 'model-')), 'q');
    const model = mlp(7);
    await saveModel(model, dir, { 'meta.json': '{"note":1}' });
    assert.deepEqual(readdirSync(dir).sort(), ['meta.json', 'model.json', 'weights.bin']);
    const back = await loadModel(dir);
    const x = tf.randomNormal([32, 4], 0, 1, 'float32', 3);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    assert.deepEqual(Array.from(b), Array.from(a));
    // overwriting swaps the whole directory: the extra file of the first save is gone, no temp left behind
    await saveModel(mlp(9), dir);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    assert.ok(readdirSync(join(dir, '..')).every((n) => !n.startsWith('.q.')), 'no temp or old directory left');
    const c = ((await loadModel(dir)).predict(x) as tf.Tensor).dataSync();
    assert.notDeepEqual(Array.from(c), Array.from(a));
  });

  it('names a missing or broken model directory, and leaves no half-written directory when a write fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'model-'));
    await assert.rejects(loadModel(join(root, 'none')), (e: Error) => e instanceof ModelFileError && /no model\.json here/.test(e.message));
    writeDirAtomic(join(root, 'bad'), { 'model.json': '{"modelTopology": {}, "weightsManifest": [{"paths": ["weights.bin"], "weights": []}]}' });
    await assert.rejects(loadModel(join(root, 'bad')), /weight file weights\.bin is missing/);
    writeFileSync(join(root, 'junk.json'), 'x');
    assert.throws(() => writeDirAtomic(join(root, 'junk.json', 'sub'), { a: 'b' }));
    assert.ok(!existsSync(join(root, 'junk.json', 'sub')));
  });

  it('TFJS_BACKEND must name a backend', async () => {
    // a fresh module instance so the process-wide choice above does not answer
    const fresh = await import(`../agents/deep/backend.js?fresh=${Date.now()}`) as typeof import('../agents/deep/backend.js');
    await assert.rejects(fresh.initTfjsBackend('gpu'), (e: Error) => e instanceof fresh.TfjsBackendError && /TFJS_BACKEND="gpu" is not a backend; allowed: tensorflow, wasm, cpu/.test(e.message));
    assert.ok(TfjsBackendError);
  });
});
