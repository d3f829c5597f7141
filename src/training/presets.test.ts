import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitValidation } from './batches';
import { buildModel } from './buildModel';
import { emptySpec, PRESET_ORDER, presetList, presetOfName, PRESETS, twinPresetOn, type PresetId } from './presets';
import { formatShape, insertionIndex, summarize, validateSpec } from './shapes';
import type { LayerSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The table the presets were specified from: Keras's parameter counts and each source's settings. */
const TABLE = {
  linear: { dataset: 'fashion-mnist', params: 7_850, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 5, batchSize: 32, validationSplit: 0 },
  quickstart: { dataset: 'mnist', params: 101_770, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 5, batchSize: 32, validationSplit: 0.1 },
  quickstartAsWritten: { dataset: 'mnist', params: 101_770, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 5, batchSize: 32, validationSplit: 0 },
  quickstartExperts: { dataset: 'mnist', params: 2_770_634, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 5, batchSize: 32, validationSplit: 0 },
  // validation_data=x_train[-10000:]: the last sixth of 60,000, as a split takes it.
  kerasGuide: { dataset: 'mnist', params: 55_050, optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy', fromLogits: false, epochs: 2, batchSize: 64, validationSplit: 1 / 6 },
  kerasConvnet: { dataset: 'mnist', params: 34_826, optimizer: 'adam', loss: 'categoricalCrossentropy', fromLogits: false, epochs: 15, batchSize: 128, validationSplit: 0.1 },
  basicClassification: { dataset: 'fashion-mnist', params: 101_770, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 10, batchSize: 32, validationSplit: 0 },
  mlpDropout: { dataset: 'mnist', params: 407_050, optimizer: 'adam', loss: 'categoricalCrossentropy', fromLogits: false, epochs: 5, batchSize: 128, validationSplit: 0.1 },
  dlwpCh2: { dataset: 'mnist', params: 407_050, optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy', fromLogits: false, epochs: 5, batchSize: 128, validationSplit: 0 },
  fashionMlp: { dataset: 'fashion-mnist', params: 203_530, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: false, epochs: 10, batchSize: 64, validationSplit: 0 },
  fashionCnn: { dataset: 'fashion-mnist', params: 302_026, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: false, epochs: 10, batchSize: 64, validationSplit: 0 },
  lenet: { dataset: 'fashion-mnist', params: 61_706, optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', fromLogits: true, epochs: 10, batchSize: 256, validationSplit: 0 },
  strongest: { dataset: 'mnist', params: 469_098, optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', fromLogits: false, epochs: 15, batchSize: 128, validationSplit: 0.1 },
} as const satisfies Record<PresetId, object>;

describe('presets', () => {
  it.each(PRESET_ORDER)('%s has the parameter count Keras prints, in the summary and in tfjs, layer by layer', (id) => {
    const preset = PRESETS[id];
    const summary = summarize(preset.spec, MNIST);
    expect(preset.expectedParams).toBe(TABLE[id].params);
    expect(summary.totalParams).toBe(TABLE[id].params);
    expect(validateSpec(preset.spec, MNIST, 10)).toEqual([]);
    const model = buildModel(preset.spec, MNIST, 10);
    try {
      expect(model.countParams()).toBe(TABLE[id].params);
      const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
      expect(trainable).toBe(summary.trainableParams);
      // The pure shape inference agrees with tfjs on every layer's name, output shape and count.
      expect(formatShape(model.inputs[0]?.shape ?? [])).toBe(formatShape(summary.inputShape));
      expect(model.layers.map((layer) => [layer.name, formatShape(layer.outputShape as (number | null)[]), layer.countParams()])).toEqual(
        summary.rows.map((row) => [row.name, formatShape(row.outputShape), row.params]),
      );
    } finally {
      model.dispose();
    }
  });

  it("holds out the Keras guide's validation_data, x_train[-10000:], with its split of 1/6", () => {
    expect(splitValidation(60_000, PRESETS.kerasGuide.spec.fit.validationSplit)).toEqual({ trainCount: 50_000, validationStart: 50_000, validationCount: 10_000 });
  });

  it.each(PRESET_ORDER)('%s has its source’s compile and fit settings', (id) => {
    const { spec, dataset } = PRESETS[id];
    const row = TABLE[id];
    expect(dataset).toBe(row.dataset);
    expect([spec.compile.optimizer, spec.compile.loss, spec.compile.fromLogits]).toEqual([row.optimizer, row.loss, row.fromLogits]);
    expect([spec.fit.epochs, spec.fit.batchSize, spec.fit.validationSplit]).toEqual([row.epochs, row.batchSize, row.validationSplit]);
    expect([spec.fit.seed, spec.fit.shuffle, spec.fit.trainLimit]).toEqual([42, true, null]);
    // The experts' tutorial tests after every epoch: the test set validates it.
    expect(spec.fit.validationData).toBe(id === 'quickstartExperts' ? 'test' : null);
    expect(spec.fit.augmentShift).toBe(id === 'strongest' ? 2 : 0);
  });

  it('lists every preset once, in display order, each carrying its own id', () => {
    expect(new Set(PRESET_ORDER)).toEqual(new Set(Object.keys(PRESETS)));
    expect(PRESET_ORDER).toHaveLength(Object.keys(PRESETS).length);
    expect(presetList().map((preset) => preset.id)).toEqual(PRESET_ORDER);
    for (const [key, preset] of Object.entries(PRESETS)) expect(preset.id).toBe(key);
  });

  it('starts empty with no layers, which says what to add; the layers the tutorial types in then make its model', () => {
    const spec = emptySpec();
    expect(spec.layers).toEqual([]);
    expect(validateSpec(spec, MNIST, 10).map((issue) => issue.message)).toEqual(['The model has no layers: add at least a Dense layer with 10 units, one per class.']);
    // "+ Flatten", "+ Dense", "+ Dense", each where the builder puts it, as Flatten → Dense(128) → Dense(10).
    let layers: LayerSpec[] = [];
    for (const layer of [{ type: 'flatten' }, { type: 'dense', units: 128, activation: 'relu', useBias: true }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }] as const) {
      const at = insertionIndex(layers, 10, layer.type);
      layers = [...layers.slice(0, at), layer, ...layers.slice(at)];
    }
    expect(validateSpec({ ...spec, layers }, MNIST, 10)).toEqual([]);
    expect(summarize({ layers }, MNIST).totalParams).toBe(101_770);
  });
});

describe('twinPresetOn', () => {
  it('finds the tutorial on the other dataset with the same layers, and none where there is none', () => {
    expect(twinPresetOn('quickstart', 'fashion-mnist')).toBe('basicClassification');
    expect(twinPresetOn('basicClassification', 'mnist')).toBe('quickstart');
    // The quickstart as written has its Dropout: another model.
    expect(twinPresetOn('quickstartAsWritten', 'fashion-mnist')).toBeNull();
    expect(twinPresetOn('fashionCnn', 'mnist')).toBeNull();
  });
});

describe('presetOfName', () => {
  it("finds the preset a run's name comes from, and no preset in a name of one's own", () => {
    expect(presetOfName('TensorFlow quickstart')).toBe('quickstart');
    expect(presetOfName('TensorFlow quickstart #3')).toBe('quickstart');
    // Two presets whose titles share a start: each name finds its own.
    expect(presetOfName('TensorFlow quickstart, as written (epochs 1) #2')).toBe('quickstartAsWritten');
    expect(presetOfName('TensorFlow quickstart (epochs 1) #2')).toBe('quickstart');
    expect(presetOfName('Fashion CNN (epochs 2, training subset 2000) #1')).toBe('fashionCnn');
    expect(presetOfName('Fashion CNNs I like')).toBeNull();
    expect(presetOfName('Custom model #2')).toBeNull();
    for (const id of PRESET_ORDER) expect(presetOfName(PRESETS[id].title)).toBe(id);
  });
});
