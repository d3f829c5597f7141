import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, SpecError } from './buildModel';
import { emptySpec, PRESETS } from './presets';
import { formatShape, summarize, validateSpec } from './shapes';
import { DEFAULT_COMPILE, DEFAULT_FIT, type LayerSpec, type ModelSpec } from './spec';

const MNIST = { height: 28, width: 28, channels: 1 };
const spec = (layers: LayerSpec[], compile: Partial<ModelSpec['compile']> = {}): ModelSpec => ({ layers, compile: { ...DEFAULT_COMPILE, ...compile }, fit: DEFAULT_FIT });
const errors = (s: ModelSpec) => validateSpec(s, MNIST, 10).filter((i) => i.severity === 'error').map((i) => i.message);
const warnings = (s: ModelSpec) => validateSpec(s, MNIST, 10).filter((i) => i.severity === 'warning').map((i) => i.message);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('presets', () => {
  it.each(Object.entries(PRESETS))('%s has the parameter count Keras prints, in the summary and in tfjs', (_, preset) => {
    const summary = summarize(preset.spec, MNIST);
    expect(summary.totalParams).toBe(preset.expectedParams);
    expect(validateSpec(preset.spec, MNIST, 10).filter((i) => i.severity === 'error')).toEqual([]);
    const model = buildModel(preset.spec, MNIST, 10);
    expect(model.countParams()).toBe(preset.expectedParams);
    // The pure shape inference agrees with tfjs layer by layer.
    expect(model.layers.map((layer) => formatShape(layer.outputShape as (number | null)[]))).toEqual(summary.rows.map((row) => formatShape(row.outputShape)));
    expect(model.layers.map((layer) => layer.name)).toEqual(summary.rows.map((row) => row.name));
    model.dispose();
  });

  it('summarises the Fashion CNN row by row, as model.summary() prints it', () => {
    const summary = summarize(PRESETS.fashionCnn.spec, MNIST);
    expect(summary.rows.map((row) => [row.name, row.type, formatShape(row.outputShape), row.params])).toEqual([
      ['conv2d', 'Conv2D', '(None, 27, 27, 32)', 160],
      ['max_pooling2d', 'MaxPooling2D', '(None, 13, 13, 32)', 0],
      ['conv2d_1', 'Conv2D', '(None, 12, 12, 32)', 4128],
      ['max_pooling2d_1', 'MaxPooling2D', '(None, 6, 6, 32)', 0],
      ['flatten', 'Flatten', '(None, 1152)', 0],
      ['dense', 'Dense', '(None, 256)', 295168],
      ['dense_1', 'Dense', '(None, 10)', 2570],
    ]);
    expect(summary.totalBytes).toBe(302_026 * 4);
  });

  it('counts BatchNormalization’s moving statistics as non-trainable', () => {
    const summary = summarize(PRESETS.strongest.spec, MNIST);
    expect(summary.nonTrainableParams).toBe(2 * (32 + 32 + 64 + 64 + 128));
    expect(summary.trainableParams + summary.nonTrainableParams).toBe(summary.totalParams);
  });

  it('starts empty with a model that trains', () => {
    expect(errors(emptySpec())).toEqual([]);
  });
});

describe('validateSpec', () => {
  const flatten: LayerSpec = { type: 'flatten' };
  const out: LayerSpec = { type: 'dense', units: 10, activation: 'softmax', useBias: true };
  const conv = (kernelSize: number, padding: 'valid' | 'same' = 'valid', strides = 1): LayerSpec => ({ type: 'conv2d', filters: 4, kernelSize, strides, padding, activation: 'relu' });

  it('rejects an empty model', () => {
    expect(errors(spec([]))[0]).toMatch(/no layers/);
  });

  it('rejects a kernel larger than its input, naming the layer', () => {
    const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 8, strides: null, padding: 'valid' };
    expect(errors(spec([pool, conv(5), flatten, out]))).toEqual(['Layer 2 (Conv2D): kernel 5×5 is larger than its 3×3 input.']);
  });

  it('rejects zero units and a negative dropout rate', () => {
    expect(errors(spec([flatten, { type: 'dense', units: 0, activation: 'relu', useBias: true }, out]))[0]).toMatch(/^Layer 2 \(Dense\): units must be a whole number/);
    expect(errors(spec([flatten, { type: 'dropout', rate: -0.1 }, out]))[0]).toMatch(/^Layer 2 \(Dropout\): rate must be at least 0/);
  });

  it('rejects a shape that collapses to zero', () => {
    const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' };
    // 28 → 14 → 7 → 3 → 1, and a fifth pool has nothing left to pool.
    const layers = [pool, pool, pool, pool, pool, flatten, out];
    expect(errors(spec(layers))).toEqual(['Layer 5 (MaxPooling2D): pool 2×2 is larger than its 1×1 input.']);
  });

  it('asks for a Flatten before a Dense that follows a convolution', () => {
    expect(errors(spec([conv(3), out]))[0]).toMatch(/^Layer 2 \(Dense\): Dense needs a flat vector, but its input is \(None, 26, 26, 4\)\. Add a Flatten layer/);
  });

  it('asks for one output per class', () => {
    expect(errors(spec([flatten, { type: 'dense', units: 7, activation: 'softmax', useBias: true }]))[0]).toMatch(/must end with 10 outputs/);
  });

  it('warns about softmax with from_logits, and logits without it', () => {
    expect(warnings(spec([flatten, out], { fromLogits: true }))[0]).toMatch(/softmax is applied twice/);
    expect(warnings(spec([flatten, { ...out, activation: 'linear' }], { fromLogits: false }))[0]).toMatch(/raw scores \(logits\).*from_logits/);
    expect(warnings(PRESETS.quickstart.spec)).toEqual([]);
    expect(warnings(PRESETS.mlpDropout.spec)).toEqual([]);
  });

  it('refuses to build an invalid spec', () => {
    expect(() => buildModel(spec([]), MNIST, 10)).toThrow(SpecError);
  });
});

describe('buildModel seeding', () => {
  const weights = (s: ModelSpec) => {
    const model = buildModel(s, MNIST, 10);
    const values = model.getWeights().map((w) => Array.from(w.dataSync()));
    model.dispose();
    return values;
  };

  it('gives the same initial weights for the same seed, other weights for another', () => {
    const a = weights(PRESETS.quickstart.spec);
    expect(weights(PRESETS.quickstart.spec)).toEqual(a);
    expect(weights({ ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, seed: 7 } })).not.toEqual(a);
  });
});
