import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './buildModel';
import { modelFiles, modelFromFiles, orphanedModels, savedModelUrl, specMismatch } from './savedModels';
import { DEFAULT_COMPILE, DEFAULT_FIT, type ModelSpec } from './spec';

const spec: ModelSpec = {
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax', useBias: true },
  ],
  compile: DEFAULT_COMPILE,
  fit: DEFAULT_FIT,
};
const input = { height: 6, width: 6, channels: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model files', () => {
  it('are model.json (topology and a manifest naming weights.bin) and every weight in weights.bin', async () => {
    const model = buildModel(spec, input, 3);
    const files = await modelFiles(model);
    expect(files.modelJson.format).toBe('layers-model');
    const [group] = files.modelJson.weightsManifest;
    expect(group?.paths).toEqual(['weights.bin']);
    expect(group?.weights.map((w) => w.shape)).toEqual([[3, 3, 1, 2], [2], [72, 3], [3]]);
    expect(files.weightData.byteLength).toBe(model.countParams() * 4);
    model.dispose();
  });

  it('rebuild the same model (our seeded dropout included), which predicts exactly as the original', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel(spec, input, 3);
    const copy = await modelFromFiles(await modelFiles(model));
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 7);
    const [a, b] = [model.predict(x) as tf.Tensor, copy.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(copy.layers.map((layer) => layer.getClassName())).toEqual(['Conv2D', 'SeededDropout', 'Flatten', 'Dense']);
    tf.dispose([x, a, b]);
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with weights that do not fit the topology are refused, leaving nothing behind', async () => {
    const model = buildModel(spec, input, 3);
    const files = await modelFiles(model);
    model.dispose();
    const before = tf.memory().numTensors;
    await expect(modelFromFiles({ ...files, weightData: files.weightData.slice(0, 40) })).rejects.toThrow();
    // Same byte count, but one weight declared with another shape: the weights decode, then do not fit.
    const [group] = files.modelJson.weightsManifest;
    const swapped = group && { ...group, weights: group.weights.map((w, i) => (i === 0 ? { ...w, shape: [2, 3, 3, 1] } : w)) };
    await expect(modelFromFiles({ ...files, modelJson: { ...files.modelJson, weightsManifest: swapped ? [swapped] : [] } })).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('are checked against the spec that comes with them: the first difference is named', async () => {
    const model = buildModel(spec, input, 3);
    const copy = await modelFromFiles(await modelFiles(model));
    model.dispose();
    const withLayers = (layers: ModelSpec['layers']): ModelSpec => ({ ...spec, layers });
    const [conv, dropout, flatten, dense] = spec.layers as [ModelSpec['layers'][number], ModelSpec['layers'][number], ModelSpec['layers'][number], ModelSpec['layers'][number]];
    expect(specMismatch(copy, spec, input)).toBeNull();
    expect(specMismatch(copy, spec, { ...input, height: 8, width: 8 })).toBe("its model takes inputs of shape (None, 6, 6, 1), but its spec's takes (None, 8, 8, 1)");
    expect(specMismatch(copy, withLayers([conv, flatten, dense]), input)).toBe('its model has 4 layers, but its spec has 3');
    expect(specMismatch(copy, withLayers([conv, { type: 'batchNormalization', momentum: 0.99 }, flatten, dense]), input)).toBe(
      'layer 2 of its model (dropout) is a SeededDropout, but its spec has BatchNormalization there',
    );
    expect(specMismatch(copy, withLayers([{ type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'same', activation: 'tanh' }, dropout, flatten, dense]), input)).toBe(
      'layer 1 of its model (conv2d) has the activation relu, but its spec has Conv2D(2, 3×3, same, tanh) there',
    );
    expect(specMismatch(copy, withLayers([{ type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }, dropout, flatten, dense]), input)).toBe(
      "layer 1 of its model (conv2d) outputs (None, 6, 6, 2), but its spec's Conv2D(2, 3×3, relu) outputs (None, 4, 4, 2)",
    );
    expect(specMismatch(copy, withLayers([conv, dropout, flatten, { type: 'dense', units: 3, activation: 'softmax', useBias: false }]), input)).toBe(
      "layer 4 of its model (dense) has 219 parameters, but its spec's Dense(3, softmax, no bias) has 216",
    );
    copy.dispose();
  });

  it('are saved in IndexedDB under one key per run', () => {
    expect(savedModelUrl('run-1')).toBe('indexeddb://digit-fashion-playground-run-run-1');
  });
});

describe('orphaned saved models', () => {
  const info = (dateSaved: string): tf.io.ModelArtifactsInfo => ({ dateSaved: new Date(dateSaved), modelTopologyType: 'JSON' });

  it('are the playground\'s models that no run keeps, saved before the cut-off; other apps\' models are left alone', () => {
    const listing = {
      [savedModelUrl('kept')]: info('2026-01-01'),
      [savedModelUrl('orphan')]: info('2026-01-01'),
      [savedModelUrl('saved-just-now')]: info('2026-03-01T12:00:00Z'),
      'indexeddb://someone-elses-model': info('2020-01-01'),
      'localstorage://digit-fashion-playground-run-x': info('2020-01-01'),
    };
    expect(orphanedModels(listing, new Set(['kept']), new Date('2026-03-01T00:00:00Z'))).toEqual([savedModelUrl('orphan')]);
    expect(orphanedModels(listing, new Set(['kept', 'orphan']), new Date('2026-03-02'))).toEqual([savedModelUrl('saved-just-now')]);
  });

  it('keep a model whose date cannot be read', () => {
    const listing = { [savedModelUrl('undated')]: { dateSaved: new Date('not a date'), modelTopologyType: 'JSON' } as tf.io.ModelArtifactsInfo };
    expect(orphanedModels(listing, new Set(), new Date('2030-01-01'))).toEqual([]);
  });
});
